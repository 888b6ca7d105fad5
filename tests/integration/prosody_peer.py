"""Prosody 0.12 as a foreign XMPP domain for federation (s2s) tests.

One ProsodyPeer is one Prosody process serving one VirtualHost, with c2s and s2s on a loopback
address and nothing else listening. A Federation bundles what peers share: a test CA (and an
untrusted one), one loopback DNS server holding each peer's SRV record, and clean-up; the
`federation` fixture hands one to a test (a test module makes it visible with
`federation = prosody_peer.federation`). `fed.prosody(...)` and `fed.ejabberd(...)` (see
ejabberd_peer.py) make peers the same way; profile="bench" on either gives the benchmark
settings of bench_profile.py, and add_users_bulk() provisions thousands of users in seconds.

Facts of this machine that shape the code (see shared/design/PEERS.md):
- Prosody refuses to run as root, so it runs as the `prosody` user through setpriv, in a folder
  under /tmp that user owns (pytest's own temporary folder is 0700 root).
- Prosody resolves through libunbound (Debian package lua-unbound), configured here to ask only
  the test DNS server. Without lua-unbound it falls back to a resolver that reads
  /etc/resolv.conf, which points off this machine: the harness then refuses to start it.
- libunbound answers NXDOMAIN for the reserved `.test` TLD by itself (RFC 6761 default local
  zone), so the config makes that zone transparent.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import pytest

import certs
from dns_server import DnsServer
from impd_harness import DEFAULT_PASSWORD, HarnessError, free_ports
from peer_process import PeerProcess
from bench_profile import BENCH_NOFILE, prlimit_prefix

PROSODY = "/usr/bin/prosody"
PROSODYCTL = "/usr/bin/prosodyctl"
USER = "prosody"
START_TIMEOUT = 20.0
CTL_TIMEOUT = 30.0
KEEP_ENV = "IMPD_KEEP_PEERS"   # set to 1 to keep peer folders even when the test passes

BASE_MODULES = ("roster", "saslauth", "tls", "dialback", "disco", "presence", "message", "offline",
                "ping", "s2s", "posix")
PROFILES = ("test", "bench")


def peer_host(index: int) -> str:
    """Loopback addresses for peers: 127.0.1.x, apart from impd's module_host range (127.0.0.x)."""
    return f"127.0.1.{1 + index % 250}"


def _as_prosody(argv: list[str]) -> list[str]:
    # --pdeathsig: Prosody dies with the test process even when that is killed.
    return ["setpriv", f"--reuid={USER}", f"--regid={USER}", "--init-groups", "--pdeathsig", "TERM", *argv]


_unbound_checked = False


def require_prosody() -> None:
    """Fail (never skip) with what to install; see the module docstring for lua-unbound."""
    global _unbound_checked
    if not os.access(PROSODY, os.X_OK):
        raise HarnessError(f"{PROSODY} is missing: install the Debian package prosody")
    if not _unbound_checked:
        res = subprocess.run(["lua5.4", "-e", 'require "lunbound"'], capture_output=True, text=True, timeout=10)
        if res.returncode != 0:
            raise HarnessError("Prosody would resolve names through /etc/resolv.conf (off this machine) "
                               "because lua-unbound is missing: install the Debian package lua-unbound")
        _unbound_checked = True


def _check_reachable(folder: Path) -> None:
    """The prosody user must be able to enter every folder above its own; pytest's tmp_path
    (under a 0700 /tmp/pytest-of-root) is not, so say so instead of failing obscurely later."""
    for parent in folder.parents:
        if not parent.stat().st_mode & 0o001:
            raise HarnessError(f"the prosody user cannot enter {parent} (mode {parent.stat().st_mode & 0o777:o}); "
                               f"put peer folders under /tmp (the default) instead of {folder}")


def _datamanager_encode(s: str) -> str:
    """Prosody's util.datamanager encode(): every byte that is not an ASCII letter or digit
    becomes %xx (lower-case hex), so prosody.test is stored as prosody%2etest."""
    return "".join(chr(b) if chr(b).isascii() and chr(b).isalnum() else "%%%02x" % b for b in s.encode())


def _lua_string(s: str) -> str:
    """A string literal the way util.serialization writes one (named or \\ddd escapes)."""
    named = {7: "\\a", 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t", 11: "\\v",
             92: "\\\\", 34: '\\"', 39: "\\'"}
    out = []
    for b in s.encode():
        if b in named:
            out.append(named[b])
        elif b < 32 or b >= 127:
            out.append("\\%03d" % b)
        else:
            out.append(chr(b))
    return '"' + "".join(out) + '"'


def lua(v: Any) -> str:
    """A Python value as a Lua literal (config files are Lua)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, (str, Path)):
        s = str(v).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'"{s}"'
    if isinstance(v, Mapping):
        return "{ " + " ".join(f"[{lua(k)}] = {lua(x)};" for k, x in v.items()) + " }"
    if isinstance(v, (list, tuple, set, frozenset)):
        return "{ " + " ".join(f"{lua(x)};" for x in v) + " }"
    raise TypeError(f"cannot write {v!r} as Lua")


class ProsodyPeer(PeerProcess):
    """One Prosody serving `domain`. Construct, add users, start(); stop() at the end.

    It has the attributes xmpp_client.login() uses on an ImpdServer (jid(), c2s, cafile), so
    `await xmpp_client.login(peer, "alice")` logs in over STARTTLS trusting the peer's cert.
    """

    kind = "prosody"

    def __init__(self, domain: str, *, host: str, cert: certs.ServerCert, cafile: Path, dns: DnsServer,
                 folder: Path | None = None, c2s_port: int | None = None, s2s_port: int | None = None,
                 s2s_require_encryption: bool = True, s2s_secure_auth: bool = True,
                 c2s_require_encryption: bool = True, authentication: str = "internal_plain",
                 log_level: str | None = None, profile: str = "test", modules: Iterable[str] = (),
                 options: Mapping[str, Any] | None = None, host_options: Mapping[str, Any] | None = None,
                 name: str | None = None) -> None:
        """cafile: the CAs this Prosody trusts for s2s peers (SASL EXTERNAL); cert.trust is what
        its clients must trust. options/host_options: further global/VirtualHost settings.

        profile="bench": logging at warn, a listen backlog of 65535 (Prosody's is 128) and a
        raised open-files limit; the modules are the same as for tests (BASE_MODULES: no
        mod_limits, no mod_mam, offline and roster on). bench_profile.py describes how this
        matches ejabberd's and impd's benchmark settings."""
        if profile not in PROFILES:
            raise ValueError(f"profile must be one of {PROFILES}, not {profile!r}")
        self.profile = profile
        self.domain = domain
        self.host = host
        self.name = name or f"prosody {domain}"
        if folder is None:
            folder = Path(tempfile.mkdtemp(prefix=f"impd-prosody-{domain}-", dir="/tmp"))
        self.folder = Path(folder).resolve()
        self.folder.mkdir(parents=True, exist_ok=True)
        _check_reachable(self.folder)
        self.data_dir = self.folder / "data"
        self.data_dir.mkdir(exist_ok=True)
        (self.folder / "certs").mkdir(exist_ok=True)
        if c2s_port is None or s2s_port is None:
            a, b = free_ports(host, 2)
            c2s_port, s2s_port = c2s_port or a, s2s_port or b
        self.c2s_port, self.s2s_port = c2s_port, s2s_port
        if not dns.alive():
            raise HarnessError("start the DnsServer before making a peer: its address goes into the config")
        self.dns = dns
        # Copies that the prosody user owns: the originals may sit in a folder it cannot enter.
        self.cert_path = self.folder / "cert.pem"
        self.key_path = self.folder / "key.pem"
        self.ca_path = self.folder / "trusted-cas.pem"
        shutil.copyfile(cert.cert, self.cert_path)
        shutil.copyfile(cert.key, self.key_path)
        shutil.copyfile(cafile, self.ca_path)
        self.key_path.chmod(0o600)
        self.cafile = Path(cert.trust)           # for clients (xmpp_client.login)
        self.cert = cert
        self.settings = {
            "s2s_require_encryption": s2s_require_encryption,
            "s2s_secure_auth": s2s_secure_auth,
            "c2s_require_encryption": c2s_require_encryption,
            "authentication": authentication,
        }
        self.log_level = log_level or ("warn" if profile == "bench" else "debug")
        self.modules = list(dict.fromkeys([*BASE_MODULES, *modules]))
        self.options = dict(options or {})
        if profile == "bench":
            # server_epoll's listen backlog (the kernel caps it at net.core.somaxconn).
            self.options.setdefault("network_settings", {"tcp_backlog": 65535})
        self.host_options = dict(host_options or {})
        self.config_path = self.folder / "prosody.cfg.lua"
        self.log_path = self.folder / "prosody.log"
        self.stdout_path = self.folder / "prosody.stdout.log"
        self.pidfile = self.folder / "prosody.pid"
        self.proc: subprocess.Popen | None = None
        self.returncode: int | None = None
        self.nofile: int | None = None          # RLIMIT_NOFILE it got (see bench_profile.py)
        self.write_config()
        self._own_folder()

    # -- config

    def config_text(self) -> str:
        h = self.host
        g: dict[str, Any] = {
            "pidfile": self.pidfile,
            "data_path": self.data_dir,
            "plugin_paths": [],                      # only Debian's modules, none from /usr/local
            "modules_enabled": self.modules,
            "storage": "internal",
            # An empty folder of its own: the default ("certs" beside the config) does not exist,
            # and Prosody logs that as an error on every start.
            "certificates": self.folder / "certs",
            "log": {self.log_level: self.log_path},
            # Listeners: c2s and s2s on this address only; every other one off, and bound to this
            # address anyway should a module bring one in, so nothing opens on 0.0.0.0 or ::.
            "interfaces": [h], "local_interfaces": [h],
            "c2s_ports": [self.c2s_port], "c2s_interfaces": [h],
            "s2s_ports": [self.s2s_port], "s2s_interfaces": [h],
            "c2s_direct_tls_ports": [], "s2s_direct_tls_ports": [], "legacy_ssl_ports": [],
            "http_ports": [], "https_ports": [], "http_interfaces": [h], "https_interfaces": [h],
            "component_ports": [],
            "allow_unencrypted_plain_auth": False,
            "ssl": {"certificate": self.cert_path, "key": self.key_path, "cafile": self.ca_path},
            # Only the test DNS server: no resolv.conf, no /etc/hosts, no root hints; its query
            # sockets bound to this address rather than 0.0.0.0.
            "unbound": {"resolvconf": False, "hoststxt": False, "forward": self.dns.unbound_forward,
                        "options": {"local-zone:": "test. transparent", "outgoing-interface:": h}},
            **self.settings,
            **self.options,
        }
        lines = [f"-- Prosody peer {self.domain} for an impd federation test; written by prosody_peer.py"]
        lines += [f"{k} = {lua(v)}" for k, v in g.items()]
        lines += ["", f"VirtualHost {lua(self.domain)}"]
        lines += [f"\t{k} = {lua(v)}" for k, v in self.host_options.items()]
        return "\n".join(lines) + "\n"

    def write_config(self) -> None:
        self.config_path.write_text(self.config_text())

    def _own_folder(self) -> None:
        for root, dirs, files in os.walk(self.folder):
            certs.give_to(USER, Path(root), *(Path(root) / n for n in dirs + files))

    # -- facts, in the shape xmpp_client.login() reads from an ImpdServer

    @property
    def pid(self) -> int:
        assert self.proc is not None, "prosody is not running"
        return self.proc.pid

    # -- users

    def prosodyctl(self, *args: str, timeout: float = CTL_TIMEOUT) -> subprocess.CompletedProcess:
        """prosodyctl with this config (an absolute path, which it requires), as the prosody user."""
        argv = _as_prosody([PROSODYCTL, "--config", str(self.config_path.resolve()), *args])
        try:
            return subprocess.run(argv, cwd=self.folder, capture_output=True, text=True, timeout=timeout,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as e:
            raise HarnessError(f"prosodyctl {' '.join(args)} did not finish within {timeout:.0f} s") from e

    def add_user(self, local: str, password: str = DEFAULT_PASSWORD) -> str:
        """Register local@domain (before or after start: internal storage is read from disk)."""
        res = self.prosodyctl("register", local, self.domain, password)
        if res.returncode != 0:
            raise HarnessError(f"prosodyctl register {local} {self.domain} exited {res.returncode}:\n"
                               f"{res.stdout}{res.stderr}")
        return self.jid(local)

    def add_users(self, *locals_: str, password: str = DEFAULT_PASSWORD) -> list[str]:
        return [self.add_user(x, password) for x in locals_]

    def add_users_bulk(self, prefix: str, count: int, password: str = DEFAULT_PASSWORD) -> list[str]:
        """Users prefix0 .. prefix<count-1> (the load generator's names), written straight into
        internal_plain's account files: prosodyctl costs a Lua start per user (minutes for
        10,000), this takes well under a second. Prosody reads these files on every login, so
        it works before or after start()."""
        if self.settings["authentication"] != "internal_plain":
            raise HarnessError("add_users_bulk writes internal_plain account files only")
        # prosodyctl stores nodeprep(name) and saslprep(password); for these characters both
        # are the identity, so the files are what prosodyctl would have written.
        if not re.fullmatch(r"[a-z0-9._-]*", prefix) or not re.fullmatch(r"[\x20-\x7e]+", password):
            raise ValueError("add_users_bulk takes a prefix of [a-z0-9._-] and a printable ASCII password")
        accounts = self.data_dir / _datamanager_encode(self.domain) / "accounts"
        accounts.mkdir(mode=0o750, parents=True, exist_ok=True)
        pw = pwd.getpwnam(USER)
        uid, gid = pw.pw_uid, pw.pw_gid
        for d in (accounts.parent, accounts):   # as Prosody makes them: its own, mode 0750
            os.chown(d, uid, gid)
            d.chmod(0o750)
        body = 'return {\n\t["password"] = %s;\n};\n' % _lua_string(password)
        names = [f"{prefix}{i}" for i in range(count)]
        for name in names:
            path = accounts / f"{_datamanager_encode(name)}.dat"
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o640)
            try:
                os.write(fd, body.encode())
                os.fchown(fd, uid, gid)
            finally:
                os.close(fd)
        return [self.jid(n) for n in names]

    # -- lifecycle

    def start(self, timeout: float = START_TIMEOUT) -> "ProsodyPeer":
        require_prosody()
        assert self.proc is None, "already started"
        if not self.dns.alive():
            raise HarnessError(f"{self.name}: its DNS server ({self.dns.endpoint}) is not running")
        # Raised as root before setpriv drops privileges, which keeps the limit.
        limit, self.nofile = prlimit_prefix(BENCH_NOFILE if self.profile == "bench" else None)
        with open(self.stdout_path, "ab") as out:
            self.proc = subprocess.Popen([*limit, *_as_prosody([PROSODY, "--config", str(self.config_path), "-F"])],
                                         cwd=self.folder, stdin=subprocess.DEVNULL, stdout=out,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        # A listener it could not open (port taken, bad setting) is only logged, and Prosody
        # runs on without it: fail now instead of at the time limit.
        self._wait_listening((self.c2s_port, self.s2s_port), time.monotonic() + timeout, timeout,
                             lambda: "could not open a listener" if "portmanager\terror\t" in self.log() else None)
        return self

    def terminate(self) -> None:
        """SIGTERM without waiting (stop() then waits). A Prosody that had s2s sessions takes
        about a second to exit (its loop waits out a timer after closing them), so peers told
        together overlap those seconds."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        if self.proc is not None:
            self.returncode = self.proc.returncode
        self.proc = None


class Federation:
    """A test CA, an untrusted CA, one DNS server and any number of Prosody and ejabberd peers,
    for one test.

    Each peer gets `_xmpp-server._tcp.<domain>` -> xmpp.<domain>:<s2s port> -> its address in the
    DNS server (restarted with the new records, same address). Point impd at `dns.endpoint`
    and give it `ca.cert_path` as its trust store.
    """

    def __init__(self, root: Path | None = None, *, on_new: Callable[[Any], None] | None = None) -> None:
        self.root = Path(root) if root else Path(tempfile.mkdtemp(prefix="impd-peers-", dir="/tmp"))
        self.root.chmod(0o755)   # the prosody and ejabberd users must reach their folders inside
        self._on_new = on_new or (lambda srv: None)
        self.ca = certs.CertAuthority(self.root / "ca", name="impd test CA")
        self._untrusted: certs.CertAuthority | None = None
        self.dns = DnsServer(self.root / "dns")
        self.dns.start()
        self._on_new(self.dns)
        self.peers: list[Any] = []   # ProsodyPeer and EjabberdPeer alike

    @property
    def untrusted_ca(self) -> certs.CertAuthority:
        if self._untrusted is None:
            self._untrusted = certs.CertAuthority(self.root / "untrusted-ca", name="untrusted test CA")
        return self._untrusted

    def cert(self, domain: str, kind: str = "trusted", **kw: Any) -> certs.ServerCert:
        """kind: "trusted" (test CA), "untrusted" (another CA) or "self-signed"; kw goes to
        CertAuthority.issue (extra_names, client_auth=False for serverAuth only, ...)."""
        folder = self.root / "certs"
        if kind == "trusted":
            return self.ca.issue(domain, folder, **kw)
        if kind == "untrusted":
            return self.untrusted_ca.issue(domain, folder / "untrusted", **kw)
        if kind == "self-signed":
            return certs.self_signed(domain, folder / "self-signed", **kw)
        raise ValueError(f"unknown certificate kind {kind!r}")

    def prosody(self, domain: str, *, cert: str | certs.ServerCert = "trusted", host: str | None = None,
                users: Iterable[str] = (), password: str = DEFAULT_PASSWORD, start: bool = True,
                srv: bool = True, **settings: Any) -> ProsodyPeer:
        """A Prosody for `domain` trusting the test CA; settings go to ProsodyPeer (e.g.
        s2s_secure_auth=False). srv=False leaves it out of DNS (the test adds records itself)."""
        server_cert = self.cert(domain, cert) if isinstance(cert, str) else cert
        peer = ProsodyPeer(domain, host=host or peer_host(len(self.peers)), cert=server_cert,
                           cafile=self.ca.cert_path, dns=self.dns, folder=self.root / f"prosody-{domain}",
                           **settings)
        return self._adopt(peer, users, password, start, srv)

    def ejabberd(self, domain: str, *, cert: str | certs.ServerCert = "trusted", host: str | None = None,
                 users: Iterable[str] = (), password: str = DEFAULT_PASSWORD, start: bool = True,
                 srv: bool = True, **settings: Any) -> Any:
        """An ejabberd (ejabberd_peer.EjabberdPeer) for `domain` trusting the test CA; settings
        go to EjabberdPeer (e.g. dialback=False, s2s_use_starttls="required")."""
        # Imported here: ejabberd_peer uses this module's neighbours, and Prosody-only runs
        # need nothing of it.
        from ejabberd_peer import EjabberdPeer
        server_cert = self.cert(domain, cert) if isinstance(cert, str) else cert
        peer = EjabberdPeer(domain, host=host or peer_host(len(self.peers)), cert=server_cert,
                            cafile=self.ca.cert_path, dns=self.dns, folder=self.root / f"ejabberd-{domain}",
                            **settings)
        return self._adopt(peer, users, password, start, srv)

    def _adopt(self, peer: Any, users: Iterable[str], password: str, start: bool, srv: bool) -> Any:
        self.peers.append(peer)
        self._on_new(peer)
        if srv:
            target = f"xmpp.{peer.domain}"
            self.dns.xmpp_server(peer.domain, target, peer.s2s_port).host_record(target, peer.host)
            self.dns.restart()
        peer.add_users(*users, password=password)
        if start:
            peer.start()
        return peer

    def close(self, keep: bool = False) -> list[str]:
        """Stop every peer (SIGTERM, then SIGKILL) and the DNS server; remove the folder unless
        keep (or IMPD_KEEP_PEERS=1). Returns the problems seen while stopping."""
        problems = []
        for peer in self.peers:
            peer.terminate()
        for peer in self.peers:
            try:
                peer.stop()
            except HarnessError as e:
                problems.append(str(e))
        self.dns.stop()
        if keep or problems or os.environ.get(KEEP_ENV) == "1":
            print(f"\nfederation peers kept for diagnosis in {self.root}")
        else:
            shutil.rmtree(self.root, ignore_errors=True)
        return problems

    def __enter__(self) -> "Federation":
        return self

    def __exit__(self, exc_type, *exc) -> None:
        problems = self.close(keep=exc_type is not None)
        if exc_type is not None:
            for peer in self.peers:
                print(f"\n--- {peer.name} log ({peer.folder}) ---\n{peer.log_tail()}")
        if problems and exc_type is None:
            raise HarnessError("\n\n".join(problems))


@pytest.fixture
def federation(request):
    """A Federation for this test. Its peers' logs (and the DNS log) are attached to a failing
    test's report through conftest's `_impd_servers` list; their folders are kept on failure."""

    def attach(srv: Any) -> None:
        # Looked up at each creation: impd_factory replaces the list when it is set up.
        servers = getattr(request.node, "_impd_servers", None)
        if servers is None:
            servers = request.node._impd_servers = []
        servers.append(srv)

    failed_before = request.session.testsfailed
    fed = Federation(on_new=attach)
    yield fed
    problems = fed.close(keep=request.session.testsfailed > failed_before)
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)
