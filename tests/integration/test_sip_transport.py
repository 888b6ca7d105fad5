"""impd's SIP transport against a real SIP peer: sipp (Debian's sip-tester) over UDP and TCP,
and a minimal Python TLS client for the TLS legs (Debian's sipp has no TLS). Covers the
built-in OPTIONS answer, admission of federated peers (RFC 5922: static route address over
UDP/TCP, certificate over TLS), the 400/404/405/420/501 answers, and keep-alives.

Domains of the test: imp.test is ours; lab.test is federated with a static route on this
module's loopback address (sipp's source); far.test has a route elsewhere, so requests from
here must be refused; lync.test has no route (TLS only: its certificate proves it); other.test
is federated too, but its certificate must not speak for lync.test; evil.test is not federated.
"""

from __future__ import annotations

import secrets
import shutil
import socket
import ssl
import subprocess
from pathlib import Path

import pytest

import certs
import impd_harness

HOST = impd_harness.module_host(__name__)
SIPP_DIR = Path(__file__).resolve().parent / "sipp"
LOCAL, LAB, FAR, LYNC, OTHER, EVIL = "imp.test", "lab.test", "far.test", "lync.test", "other.test", "evil.test"
SIPP_TIMEOUT = 30.0


@pytest.fixture
def sip_server(impd_factory, tmp_path):
    """impd with UDP, TCP and TLS SIP listeners on this module's address, a certificate from a
    test CA (which it also trusts for peers), and the federated domains above."""
    if shutil.which("sipp") is None:
        raise impd_harness.HarnessError("sipp is missing: install Debian's sip-tester (scripts/deps.sh test)")
    ca = certs.CertAuthority(tmp_path / "ca")
    own = ca.issue(LOCAL, xmpp_addr=False)
    srv = impd_factory({
        "tls": {"certificate": str(own.cert), "key": str(own.key), "ca_file": str(ca.cert_path)},
        "sip": {
            "federated_domain": [
                {"domain": LAB, "profile": "generic", "route": f"udp://{HOST}:5060"},
                {"domain": FAR, "profile": "generic", "route": "tcp://127.0.0.2:5060"},
                {"domain": LYNC, "profile": "lync"},
                {"domain": OTHER, "profile": "generic"},
            ],
        },
    }, start=False)
    udp, tcp, tls = impd_harness.free_ports(HOST, 3, avoid=srv.ports)
    srv.config["sip"]["listen"] = [f"udp://{HOST}:{udp}", f"tcp://{HOST}:{tcp}", f"tls://{HOST}:{tls}"]
    srv.ports |= {udp, tcp, tls}
    srv.write_config()
    srv.start()
    srv.sip = {"udp": (HOST, udp), "tcp": (HOST, tcp), "tls": (HOST, tls)}
    srv.ca = ca
    return srv


# --- sipp ---------------------------------------------------------------------------------------

def sipp(server, tmp_path: Path, scenario: str, transport: str, **keys: str) -> str:
    """Runs one sipp call of `scenario` against impd; fails with sipp's traces unless it passed.
    Returns what the scenario's <log> actions wrote."""
    work = tmp_path / "sipp"
    work.mkdir(exist_ok=True)
    (port,) = impd_harness.free_ports(HOST, 1, avoid=server.ports)  # sipp's UDP port too
    keys = {"from_domain": LAB, "to_domain": LOCAL, **keys}
    cmd = ["sipp", "-sf", str(SIPP_DIR / scenario), "-t", {"udp": "u1", "tcp": "t1"}[transport],
           "-i", HOST, "-p", str(port), "-m", "1", "-timeout", "15s", "-timeout_error",
           "-recv_timeout", "5000", "-nostdin", "-trace_err", "-trace_msg", "-trace_logs"]
    for name, value in keys.items():
        cmd += ["-key", name, value]
    cmd.append("%s:%d" % server.sip[transport])
    try:
        res = subprocess.run(cmd, cwd=work, capture_output=True, text=True, timeout=SIPP_TIMEOUT,
                             stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as e:  # run() has killed sipp already
        raise AssertionError(f"sipp {scenario} over {transport} did not finish") from e
    stem = Path(scenario).stem
    traces = {p.name: p.read_text(errors="replace") for p in sorted(work.glob(f"{stem}_*"))}
    assert res.returncode == 0, (
        f"sipp {scenario} over {transport} exited {res.returncode}\n"
        + "\n".join(f"--- {name} ---\n{text[-4000:]}" for name, text in traces.items())
        + f"\n--- sipp output ---\n{res.stdout[-2000:]}{res.stderr[-2000:]}")
    logs = "".join(text for name, text in traces.items() if name.endswith("_logs.log"))
    for p in work.glob(f"{stem}_*"):
        p.unlink()
    return logs


@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_options_answered_with_capabilities(sip_server, tmp_path, transport):
    logs = sipp(sip_server, tmp_path, "options.xml", transport, from_domain=EVIL)
    assert "Allow has OPTIONS" in logs


@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_domain_not_federated_is_forbidden(sip_server, tmp_path, transport):
    logs = sipp(sip_server, tmp_path, "refused.xml", transport, from_domain=EVIL)
    assert "evil.test is not a federated domain" in logs


def test_federated_domain_from_wrong_address_is_forbidden(sip_server, tmp_path):
    logs = sipp(sip_server, tmp_path, "refused.xml", "udp", from_domain=FAR)
    assert f"{HOST} is not the static route of far.test" in logs


def test_tls_only_domain_over_udp_is_forbidden(sip_server, tmp_path):
    logs = sipp(sip_server, tmp_path, "refused.xml", "udp", from_domain=LYNC)
    assert "without TLS it cannot be authenticated" in logs


@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_admitted_request_without_handler_gets_405(sip_server, tmp_path, transport):
    logs = sipp(sip_server, tmp_path, "not_allowed.xml", transport)
    assert "Allow: INVITE" in logs and "MESSAGE" in logs


def test_unknown_method_gets_501(sip_server, tmp_path):
    sipp(sip_server, tmp_path, "unknown_method.xml", "udp")


def test_foreign_request_uri_gets_404(sip_server, tmp_path):
    sipp(sip_server, tmp_path, "not_found.xml", "tcp")


def test_unsupported_require_gets_420(sip_server, tmp_path):
    sipp(sip_server, tmp_path, "bad_extension.xml", "udp")


@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_malformed_request_gets_400_and_the_next_is_served(sip_server, tmp_path, transport):
    sipp(sip_server, tmp_path, "malformed_then_options.xml", transport)
    sipp(sip_server, tmp_path, "options.xml", transport)
    assert sip_server.alive()


# --- raw TCP and TLS ----------------------------------------------------------------------------

def request(method: str, uri: str, from_domain: str, transport: str, extra: str = "") -> bytes:
    tag, branch = secrets.token_hex(4), "z9hG4bK-" + secrets.token_hex(6)
    to = uri if method != "OPTIONS" else f"sip:{LOCAL}"
    return (f"{method} {uri} SIP/2.0\r\n"
            f"Via: SIP/2.0/{transport} {HOST}:5999;branch={branch}\r\n"
            f"Max-Forwards: 70\r\n"
            f"From: <sip:bob@{from_domain}>;tag={tag}\r\n"
            f"To: <{to}>\r\n"
            f"Call-ID: {secrets.token_hex(8)}@{from_domain}\r\n"
            f"CSeq: 1 {method}\r\n{extra}"
            f"Content-Length: 0\r\n\r\n").encode()


def read_message(sock) -> str:
    """One SIP message (by Content-Length), or what came before the peer closed."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return data.decode(errors="replace")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() in (b"content-length", b"l"):
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return (head + b"\r\n\r\n" + body).decode(errors="replace")


def status_of(message: str) -> int:
    assert message.startswith("SIP/2.0 "), f"not a response: {message!r}"
    return int(message.split(" ", 2)[1])


def header(message: str, name: str) -> str:
    for line in message.split("\r\n")[1:]:
        key, _, value = line.partition(":")
        if key.strip().lower() == name.lower():
            return value.strip()
    return ""


def tcp_connect(server) -> socket.socket:
    return socket.create_connection(server.sip["tcp"], timeout=5, source_address=(HOST, 0))


def tls_connect(server, client: certs.ServerCert | None) -> ssl.SSLSocket:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(str(server.ca.cert_path))  # impd's certificate names imp.test
    if client is not None:
        ctx.load_cert_chain(str(client.cert), str(client.key))
    raw = socket.create_connection(server.sip["tls"], timeout=5, source_address=(HOST, 0))
    return ctx.wrap_socket(raw, server_hostname=LOCAL)


def test_tcp_keepalive_ping_gets_pong(sip_server):
    with tcp_connect(sip_server) as s:
        s.sendall(b"\r\n\r\n")
        assert s.recv(16) == b"\r\n"
        s.sendall(request("OPTIONS", f"sip:{LOCAL}", EVIL, "TCP"))
        assert status_of(read_message(s)) == 200


def test_tcp_framing_lost_gets_400_and_close(sip_server):
    with tcp_connect(sip_server) as s:
        s.sendall(request("OPTIONS", f"sip:{LOCAL}", LAB, "TCP").replace(b"Content-Length: 0\r\n", b""))
        answer = read_message(s)
        assert status_of(answer) == 400
        assert "Content-Length" in header(answer, "Warning")
        assert s.recv(100) == b"", "the connection closes once framing is lost"
    with tcp_connect(sip_server) as s:
        s.sendall(request("OPTIONS", f"sip:{LOCAL}", LAB, "TCP"))
        assert status_of(read_message(s)) == 200


def test_tls_options_and_keepalive(sip_server, tmp_path):
    client = sip_server.ca.issue(LYNC, tmp_path / "lync", xmpp_addr=False)
    with tls_connect(sip_server, client) as s:
        s.sendall(request("OPTIONS", f"sip:{LOCAL}", LYNC, "TLS"))
        answer = read_message(s)
        assert status_of(answer) == 200
        assert "OPTIONS" in header(answer, "Allow")
        s.sendall(b"\r\n\r\n")
        assert s.recv(16) == b"\r\n"


def test_tls_peer_certified_for_its_domain_is_admitted(sip_server, tmp_path):
    client = sip_server.ca.issue(LYNC, tmp_path / "lync", xmpp_addr=False)
    with tls_connect(sip_server, client) as s:
        s.sendall(request("PUBLISH", f"sip:alice@{LOCAL}", LYNC, "TLS"))
        assert status_of(read_message(s)) == 405, "admitted; the gateway takes no PUBLISH"


def test_tls_certificate_for_another_domain_is_forbidden(sip_server, tmp_path):
    client = sip_server.ca.issue(OTHER, tmp_path / "other", xmpp_addr=False)
    with tls_connect(sip_server, client) as s:
        s.sendall(request("MESSAGE", f"sip:alice@{LOCAL}", LYNC, "TLS"))
        answer = read_message(s)
        assert status_of(answer) == 403
        assert "does not name lync.test" in header(answer, "Warning")
        s.sendall(request("PUBLISH", f"sip:alice@{LOCAL}", OTHER, "TLS"))
        assert status_of(read_message(s)) == 405, "the same certificate does speak for other.test"


def test_tls_without_or_with_untrusted_certificate_is_forbidden(sip_server, tmp_path):
    with tls_connect(sip_server, None) as s:
        s.sendall(request("MESSAGE", f"sip:alice@{LOCAL}", LYNC, "TLS"))
        answer = read_message(s)
        assert status_of(answer) == 403
        assert "no client certificate" in header(answer, "Warning")
    rogue = certs.self_signed(LYNC, tmp_path / "rogue", xmpp_addr=False)
    with tls_connect(sip_server, rogue) as s:
        s.sendall(request("MESSAGE", f"sip:alice@{LOCAL}", LYNC, "TLS"))
        answer = read_message(s)
        assert status_of(answer) == 403
        assert "not trusted" in header(answer, "Warning")


def test_listeners_are_logged(sip_server):
    log = sip_server.log()
    for transport in ("udp", "tcp", "tls"):
        assert "listening on %s://%s:%d" % (transport, *sip_server.sip[transport]) in log
