"""impctl user management and `impd --check`, as operators and scripts use them."""

from __future__ import annotations

import subprocess

import pytest

import impd_harness
from impd_harness import DEFAULT_PASSWORD, DELETE, binary, c2s, run_cli
from raw_xmpp import AuthFailed, RawXmpp
import xmpp_client


def listed(res: subprocess.CompletedProcess) -> set[str]:
    return set(res.stdout.split())


def one_line_reason(res: subprocess.CompletedProcess) -> None:
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, f"a failed operation prints a one-line reason on stderr, got: {res.stderr!r}"


# --- impctl user ... --------------------------------------------------------------------------

def test_user_add_list_del(impd_factory):
    srv = impd_factory(start=False)
    for jid in ("alice@imp.test", "bob@imp.test"):
        res = srv.impctl("user", "add", jid, "--password", "pw-" + jid)
        assert res.returncode == 0, res.stderr
    res = srv.impctl("user", "list")
    assert res.returncode == 0, res.stderr
    assert {"alice@imp.test", "bob@imp.test"} <= listed(res)

    res = srv.impctl("user", "del", "alice@imp.test")
    assert res.returncode == 0, res.stderr
    res = srv.impctl("user", "list")
    assert res.returncode == 0, res.stderr
    assert "alice@imp.test" not in listed(res)
    assert "bob@imp.test" in listed(res)


def test_user_import(impd_factory):
    srv = impd_factory(start=False)
    accounts = srv.folder / "accounts.txt"
    accounts.write_text("# bulk\nu0@imp.test pw zero\n\nu1@imp.test pw-one\n")
    res = srv.impctl("user", "import", str(accounts))
    assert res.returncode == 0, res.stderr
    assert "added 2 account(s)" in res.stdout
    assert {"u0@imp.test", "u1@imp.test"} <= listed(res := srv.impctl("user", "list"))
    bad = srv.folder / "bad.txt"
    bad.write_text("u2@imp.test pw\nnobody-here\n")
    res = srv.impctl("user", "import", str(bad))
    assert res.returncode == 1 and "line 2" in res.stderr


async def test_imported_password_with_spaces_signs_in(impd_factory):
    srv = impd_factory(start=False)
    (srv.folder / "a.txt").write_text("alice@imp.test pw with spaces\n")
    assert srv.impctl("user", "import", str(srv.folder / "a.txt")).returncode == 0
    srv.start()
    await xmpp_client.login(srv, "alice", "pw with spaces")


def test_user_list_empty_store(impd_factory):
    srv = impd_factory(start=False)
    res = srv.impctl("user", "list")
    assert res.returncode == 0, res.stderr
    assert "@" not in res.stdout


def test_user_list_by_domain(impd_factory):
    srv = impd_factory({"server": {"domains": ["imp.test", "other.test"]}}, start=False)
    assert srv.impctl("user", "add", "ann@imp.test", "--password", "x1-pw").returncode == 0
    assert srv.impctl("user", "add", "olga@other.test", "--password", "x2-pw").returncode == 0
    res = srv.impctl("user", "list", "--domain", "other.test")
    assert res.returncode == 0, res.stderr
    assert listed(res) >= {"olga@other.test"}
    assert "ann@imp.test" not in listed(res)
    res = srv.impctl("user", "list", "--domain", "imp.test")
    assert "ann@imp.test" in listed(res) and "olga@other.test" not in listed(res)


def test_duplicate_add_exits_1(impd_factory):
    srv = impd_factory(start=False)
    assert srv.impctl("user", "add", "dup@imp.test", "--password", "one-pw").returncode == 0
    res = srv.impctl("user", "add", "dup@imp.test", "--password", "two-pw")
    assert res.returncode == 1, (res.returncode, res.stderr)
    one_line_reason(res)


@pytest.mark.parametrize("args", [
    ("user", "del", "ghost@imp.test"),
    ("user", "passwd", "ghost@imp.test", "--password", "whatever-pw"),
])
def test_operation_on_missing_user_exits_1(impd_factory, args):
    srv = impd_factory(start=False)
    res = srv.impctl(*args)
    assert res.returncode == 1, (res.returncode, res.stdout, res.stderr)
    one_line_reason(res)


def test_add_user_in_foreign_domain_fails(impd_factory):
    srv = impd_factory(start=False)
    res = srv.impctl("user", "add", "eve@elsewhere.test", "--password", "pw-pw-pw")
    assert res.returncode in (1, 2), (res.returncode, res.stderr)
    assert "eve@elsewhere.test" not in listed(srv.impctl("user", "list"))


@pytest.mark.parametrize("args", [
    (),
    ("user",),
    ("user", "add"),
    ("user", "add", "nopw@imp.test"),
    ("user", "passwd", "nopw@imp.test"),
    ("user", "frobnicate", "x@imp.test"),
    ("user", "list", "--domain"),
    ("user", "add", "x@imp.test", "--password", "pw", "--no-such-option"),
], ids=lambda a: " ".join(a) or "no-args")
def test_bad_usage_exits_2(impd_factory, args):
    srv = impd_factory(start=False)
    res = srv.impctl(*args)
    assert res.returncode == 2, (res.returncode, res.stdout, res.stderr)
    assert res.stderr.strip(), "bad usage should say what is wrong on stderr"
    assert "nopw@imp.test" not in listed(srv.impctl("user", "list"))


# --- impctl against a running server ------------------------------------------------------------

async def _can_login(srv, user: str, password: str) -> bool:
    c = await RawXmpp.connect(*srv.c2s, ssl_ctx=srv.ssl_context())
    try:
        await c.login(user, password, mech="PLAIN")
        return True
    except AuthFailed as e:
        assert e.condition == "not-authorized", str(e)
        return False
    finally:
        await c.close()


async def test_impctl_while_server_runs(impd_server):
    srv = impd_server
    res = srv.impctl("user", "add", "late@imp.test", "--password", "first-pw")
    assert res.returncode == 0, res.stderr
    assert await _can_login(srv, "late", "first-pw")

    res = srv.impctl("user", "passwd", "late@imp.test", "--password", "second-pw")
    assert res.returncode == 0, res.stderr
    assert not await _can_login(srv, "late", "first-pw")
    assert await _can_login(srv, "late", "second-pw")

    res = srv.impctl("user", "del", "late@imp.test")
    assert res.returncode == 0, res.stderr
    assert not await _can_login(srv, "late", "second-pw")
    assert "late@imp.test" not in listed(srv.impctl("user", "list"))


# --- impd --check -------------------------------------------------------------------------------

def test_check_good_config(impd_factory):
    srv = impd_factory(start=False)
    res = srv.check_config()
    assert res.returncode == 0, res.stdout + res.stderr


def test_check_good_config_without_certificate(impd_factory):
    """Both tls keys absent: a self-signed certificate is made at first start."""
    srv = impd_factory({"tls": DELETE}, start=False)
    res = srv.check_config()
    assert res.returncode == 0, res.stdout + res.stderr


def test_version():
    impd_harness.require_binaries()
    res = run_cli([str(binary("impd")), "--version"])
    assert res.returncode == 0, res.stderr
    assert (res.stdout + res.stderr).strip()


BAD_CONFIGS = {
    "tls-mode": (c2s(tls="sometimes"), "xmpp.c2s.tls"),
    "empty-domains": ({"server": {"domains": []}}, "server.domains"),
    "unknown-key": (c2s(bogus_knob=1), "bogus_knob"),
    "wrong-type": (c2s(idle_timeout="soon"), "xmpp.c2s.idle_timeout"),
    "negative-size": (c2s(max_stanza_bytes=-1), "xmpp.c2s.max_stanza_bytes"),
    "bad-listen": (c2s(listen=["127.0.0.1:notaport"]), "xmpp.c2s.listen"),
    "missing-cert-file": ({"tls": {"certificate": "missing.pem"}}, "tls.certificate"),
    "unknown-section": ({"frobnicator": {"enabled": True}}, "frobnicator"),
}


def _check_output(res: subprocess.CompletedProcess) -> str:
    return res.stdout + res.stderr


@pytest.mark.parametrize("case", sorted(BAD_CONFIGS))
def test_check_bad_config_exits_2_naming_file_and_key(impd_factory, case):
    overrides, key = BAD_CONFIGS[case]
    srv = impd_factory(overrides, start=False)
    res = srv.check_config()
    out = _check_output(res)
    assert res.returncode == 2, f"exit {res.returncode}, output: {out}"
    assert key in out, f"the message should name the key {key!r}: {out}"
    assert srv.config_path.name in out, f"the message should name the file {srv.config_path}: {out}"


def test_check_not_toml(impd_factory):
    srv = impd_factory(start=False)
    srv.write_config("[server\ndomains = [\"imp.test\"\n")
    res = srv.check_config()
    assert res.returncode == 2, _check_output(res)
    assert srv.config_path.name in _check_output(res)


def test_check_missing_file(tmp_path):
    impd_harness.require_binaries()
    missing = tmp_path / "nowhere.toml"
    res = run_cli([str(binary("impd")), "--config", str(missing), "--check"])
    assert res.returncode == 2, _check_output(res)
    assert "nowhere.toml" in _check_output(res)


def test_impd_refuses_to_start_on_bad_config(impd_factory):
    """A bad config exits 2 without ever listening."""
    srv = impd_factory(c2s(tls="sometimes"), start=False)
    proc = subprocess.Popen([str(binary("impd")), "--config", str(srv.config_path)], cwd=srv.folder,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail("impd kept running with an invalid config")
    assert proc.returncode == 2, out + err
    assert "xmpp.c2s.tls" in out + err


async def test_sigterm_exits_0_and_restart_keeps_users(impd_factory):
    srv = impd_factory()
    srv.add_user("keep", DEFAULT_PASSWORD)
    assert await _can_login(srv, "keep", DEFAULT_PASSWORD)
    srv.restart()
    assert await _can_login(srv, "keep", DEFAULT_PASSWORD)


def test_check_certs_names_a_local_domain_the_certificate_does_not_cover(impd_factory):
    srv = impd_factory({"server": {"domains": ["imp.test", "other.test", "third.test"]}}, start=False)
    res = srv.impctl("check", "certs")
    assert res.returncode == 1, res.stdout + res.stderr
    assert "third.test: NOT covered" in res.stdout
    assert "imp.test: covered" in res.stdout and "other.test: covered" in res.stdout
    assert "third.test" in res.stderr
    covered = impd_factory({"server": {"domains": ["imp.test", "other.test"]}}, start=False, name="covered")
    assert covered.impctl("check", "certs").returncode == 0
