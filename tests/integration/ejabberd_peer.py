"""ejabberd 23.01 as a foreign XMPP domain for federation tests, and as a benchmark peer.

An EjabberdPeer has the shape of a ProsodyPeer (prosody_peer.py): one node serving one domain,
c2s and s2s on one loopback address, nothing else listening; `fed.ejabberd(...)` makes one inside
a Federation. Facts of this machine that shape the code (see shared/design/PEERS.md):

- It runs as the `ejabberd` user, started directly (setpriv), never through ejabberdctl's `su`:
  PAM would cut RLIMIT_NOFILE to 1024. Its folder lives under /tmp and belongs to that user.
- Erlang distribution (which ejabberdctl needs) listens on the peer's own address and a fixed
  port (ERL_DIST_PORT), so no epmd is started and nothing binds 0.0.0.0.
- Names: ejabberd looks up SRV records through Erlang's resolver, which `inetrc` points at the
  test DNS server, but it looks up the SRV target's address through libc getaddrinfo(), which
  reads /etc/resolv.conf (a resolver off this machine). So the node runs in a mount namespace of
  its own where a resolv.conf naming the test DNS server is bind-mounted over /etc/resolv.conf.
  That needs the DNS server on port 53 (DnsServer's default).

Outside pytest (a benchmark), a Federation supplies the CA and DNS server:

    with prosody_peer.Federation() as fed:
        peer = fed.ejabberd("ejabberd.test", profile="bench", c2s_require_encryption=False)
        peer.add_users_bulk("user", 10000, "bench-Pw-1")     # user0 .. user9999, 4-8 s

Start takes 1.5-2.5 s (an Erlang VM and Mnesia); each ejabberdctl call about 0.8 s.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any, Iterable, Mapping
from xml.sax.saxutils import quoteattr

import certs
from dns_server import DnsServer
from impd_harness import DEFAULT_PASSWORD, HarnessError, free_ports
from peer_process import PeerProcess
from bench_profile import BENCH_NOFILE, prlimit_prefix

EJABBERDCTL = "/usr/sbin/ejabberdctl"
USER = "ejabberd"
START_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0
CTL_TIMEOUT = 120.0     # an import of tens of thousands of users takes seconds, not minutes

PROFILES = ("test", "bench")


def _scalar(v: Any) -> str:
    """A YAML scalar: bare words stay plain (ejabberd reads them as atoms), the rest is quoted
    (read as strings); JSON string escapes are valid in YAML double-quoted scalars."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    s = str(v)
    if re.fullmatch(r"[a-z_][a-z0-9_]*", s) and s not in ("true", "false", "yes", "no", "on", "off", "null"):
        return s
    return json.dumps(s)


def _is_block(v: Any) -> bool:
    return isinstance(v, (Mapping, list, tuple)) and len(v) > 0


def _inline(v: Any) -> str:
    if isinstance(v, Mapping):
        return "{}"
    if isinstance(v, (list, tuple)):
        return "[]"
    return _scalar(v)


def _yaml_lines(v: Any, indent: int) -> Iterable[str]:
    pad = " " * indent
    if isinstance(v, Mapping):
        for k, x in v.items():
            if _is_block(x):
                yield f"{pad}{_scalar(k)}:"
                yield from _yaml_lines(x, indent + 2)
            else:
                yield f"{pad}{_scalar(k)}: {_inline(x)}"
    else:
        for x in v:
            if _is_block(x):
                yield f"{pad}-"      # a mapping as a list item, on the lines below
                yield from _yaml_lines(x, indent + 2)
            else:
                yield f"{pad}- {_inline(x)}"


def to_yaml(data: Mapping[str, Any]) -> str:
    """Block-style YAML for ejabberd.yml. Top-level keys start in column 0, which ejabberdctl's
    own sed-based reading of log_* options relies on."""
    return "\n".join(_yaml_lines(data, 0)) + "\n"


def _erl_tuple(ip: str) -> str:
    return "{" + ip.replace(".", ",") + "}"


def require_ejabberd() -> None:
    if not os.access(EJABBERDCTL, os.X_OK):
        raise HarnessError(f"{EJABBERDCTL} is missing: install the Debian package ejabberd")


def _descendants(pid: int) -> list[int]:
    """pid's children, grandchildren, ... (read from /proc)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            kids = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            continue
        for k in map(int, kids):
            out.append(k)
            todo.append(k)
    return out


_live: set["EjabberdPeer"] = set()


@atexit.register
def _kill_leftovers() -> None:
    # The Erlang VM is a grandchild of the process we start and does not die with us on its
    # own; a test run that ends without stopping its peers must not leave one behind.
    for peer in list(_live):
        peer.kill()


class EjabberdPeer(PeerProcess):
    """One ejabberd node serving `domain`. Construct, add users, start(); stop() at the end.

    It has the attributes xmpp_client.login() reads (jid(), c2s, cafile), so
    `await xmpp_client.login(peer, "bob")` logs in over STARTTLS trusting the peer's certificate.
    Users added before start() are imported in one go when it has started (ejabberdctl needs a
    running node); add_users_bulk() writes one XEP-0227 file and imports it.

    s2s settings:
    - s2s_use_starttls: "optional", "required" or "false" (ejabberd's own values).
    - dialback: load mod_s2s_dialback. With it, ejabberd's outgoing streams do not check the
      peer's certificate and fall back to dialback when SASL EXTERNAL fails or is not offered;
      without it, outgoing streams need a certificate it trusts and SASL EXTERNAL.
    - s2s_verify_incoming: trust `cafile` for certificates on incoming streams, so SASL EXTERNAL
      can succeed. ejabberd 23.01 offers EXTERNAL on every encrypted incoming stream and has
      no switch to stop checking; False gives it a CA bundle that signed nothing, so every
      EXTERNAL attempt fails and the peer must use dialback.

    ejabberd 23.01 bug: when it checks a certificate it trusts that carries an id-on-xmppAddr
    name, its incoming stream process crashes (xmpp 1.6.1 get_domains_from_san returns a binary
    where a list belongs) and it closes the stream without answering the SASL EXTERNAL request.
    Give the other side a certificate without xmppAddr (fed.cert(domain, xmpp_addr=False)) when
    ejabberd is meant to verify it; untrusted certificates fail before that code and are fine.

    profile="test" (default) or "bench": bench_profile.py lists what "bench" changes and how
    it matches impd's and ProsodyPeer's benchmark settings.
    """

    kind = "ejabberd"
    stop_timeout = STOP_TIMEOUT

    def __init__(self, domain: str, *, host: str, cert: certs.ServerCert, cafile: Path, dns: DnsServer,
                 folder: Path | None = None, c2s_port: int | None = None, s2s_port: int | None = None,
                 s2s_use_starttls: str | bool = "optional", dialback: bool = True, s2s_verify_incoming: bool = True,
                 c2s_require_encryption: bool = True, log_level: str | None = None, profile: str = "test",
                 modules: Mapping[str, Any] | None = None, options: Mapping[str, Any] | None = None,
                 listen_options: Mapping[str, Any] | None = None, name: str | None = None) -> None:
        """cafile: the CAs this node trusts for s2s peers; cert.trust is what its clients must
        trust. modules/options: further modules and top-level settings (they win);
        listen_options: further settings for both listeners."""
        if profile not in PROFILES:
            raise ValueError(f"profile must be one of {PROFILES}, not {profile!r}")
        self.domain = domain
        self.host = host
        self.name = name or f"ejabberd {domain}"
        self.profile = profile
        if folder is None:
            folder = Path(tempfile.mkdtemp(prefix=f"impd-ejabberd-{domain}-", dir="/tmp"))
        self.folder = Path(folder).resolve()
        self.folder.mkdir(parents=True, exist_ok=True)
        for parent in self.folder.parents:
            if not parent.stat().st_mode & 0o001:
                raise HarnessError(f"the ejabberd user cannot enter {parent}; put peer folders under /tmp")
        if not dns.alive():
            raise HarnessError("start the DnsServer before making a peer: its address goes into the config")
        if dns.port != 53:
            raise HarnessError("ejabberd needs its DNS server on port 53 (see the module docstring)")
        self.dns = dns
        self.c2s_port, self.s2s_port, self.dist_port = self._ports(host, c2s_port, s2s_port)
        self.spool = self.folder / "spool"
        self.logs = self.folder / "logs"
        for d in (self.spool, self.logs):
            d.mkdir(exist_ok=True)
        # Copies the ejabberd user owns: the originals may sit in a folder it cannot enter.
        self.cert_path = self.folder / "cert.pem"
        self.key_path = self.folder / "key.pem"
        self.ca_path = self.folder / "trusted-cas.pem"
        shutil.copyfile(cert.cert, self.cert_path)
        shutil.copyfile(cert.key, self.key_path)
        shutil.copyfile(cafile, self.ca_path)
        self.key_path.chmod(0o600)
        if s2s_verify_incoming:
            self.s2s_ca_path = self.ca_path
        else:
            self.s2s_ca_path = certs.CertAuthority(self.folder / "no-peer-ca", name="signs no peer").cert_path
        self.cafile = Path(cert.trust)           # for clients (xmpp_client.login)
        self.cert = cert
        if s2s_use_starttls in ("false", False):
            s2s_use_starttls = False
        elif s2s_use_starttls not in ("optional", "required", True):
            raise ValueError(f"s2s_use_starttls: 'optional', 'required' or 'false', not {s2s_use_starttls!r}")
        self.settings = {"s2s_use_starttls": s2s_use_starttls, "dialback": dialback,
                         "s2s_verify_incoming": s2s_verify_incoming, "c2s_require_encryption": c2s_require_encryption}
        level = log_level or ("warning" if profile == "bench" else "debug")
        self.log_level = {"warn": "warning"}.get(level, level)
        self.modules = dict(modules or {})
        self.options = dict(options or {})
        self.listen_options = dict(listen_options or {})
        self.config_path = self.folder / "ejabberd.yml"
        self.ctl_config_path = self.folder / "ejabberdctl.cfg"
        self.inetrc_path = self.folder / "inetrc"
        self.resolv_path = self.folder / "resolv.conf"
        self.log_path = self.logs / "ejabberd.log"
        self.stdout_path = self.folder / "ejabberd.stdout.log"
        self.node = f"ejabberd@{host}"
        self.proc: subprocess.Popen | None = None
        self.returncode: int | None = None
        self.start_seconds: float | None = None
        self.nofile: int | None = None          # RLIMIT_NOFILE it got (see bench_profile.py)
        self._pending: list[tuple[str, str]] = []
        self.write_config()

    @staticmethod
    def _ports(host: str, c2s: int | None, s2s: int | None) -> tuple[int, int, int]:
        a, b, dist = free_ports(host, 3)
        return c2s or a, s2s or b, dist

    # -- config

    def config(self) -> dict[str, Any]:
        h = self.host
        bench = self.profile == "bench"
        common = {"ip": h, "shaper": "none", "backlog": 65535 if bench else 128, **self.listen_options}
        c2s = {"port": self.c2s_port, "module": "ejabberd_c2s", "max_stanza_size": 262144, "starttls": True,
               "starttls_required": bool(self.settings["c2s_require_encryption"]), **common}
        s2s = {"port": self.s2s_port, "module": "ejabberd_s2s_in", "max_stanza_size": 524288, **common}
        modules: dict[str, Any] = {"mod_roster": {}, "mod_offline": {}, "mod_disco": {}, "mod_ping": {}}
        if self.settings["dialback"]:
            modules["mod_s2s_dialback"] = {}
        modules.update(self.modules)
        extra: dict[str, Any] = {}
        if bench:
            # Per-IP limit on in-band registration; mod_register is not loaded anyway, so
            # this only makes "no per-IP limits" explicit.
            extra["registration_timeout"] = "infinity"
        cfg: dict[str, Any] = {
            "hosts": [self.domain],
            "loglevel": self.log_level,
            # Debug logging of a busy test exceeds the default burst limit (500 lines a second)
            # and lines the tests look for would be dropped.
            "log_burst_limit_count": 1000000,
            "certfiles": [self.cert_path, self.key_path],
            "ca_file": self.ca_path,
            "s2s_cafile": self.s2s_ca_path,
            "s2s_use_starttls": self.settings["s2s_use_starttls"],
            # Outgoing s2s from this address, IPv4 only: the test DNS server has A records only.
            "outgoing_s2s_families": ["ipv4"],
            "outgoing_s2s_ipv4_address": h,
            # After a failed connection ejabberd refuses to retry a domain for up to this long
            # (default 300 s); one failure must not stall the rest of a short test.
            "s2s_max_retry_delay": 5,
            "auth_method": ["internal"],
            "auth_password_format": "plain",
            "listen": [c2s, s2s],
            "modules": modules,
            **extra,
            **self.options,
        }
        return cfg

    def ctl_config_text(self) -> str:
        bench = self.profile == "bench"
        lines = [
            "# ejabberdctl settings for a test peer; sourced by ejabberdctl (shell syntax)",
            f"ERLANG_NODE={self.node}",
            # Distribution on this address and a fixed port: ejabberdctl then starts no epmd
            # (which would listen on 0.0.0.0:4369), and control commands find the node directly.
            # The interface goes straight into the VM flags: INET_DIST_INTERFACE would cost
            # every ejabberdctl call an extra Erlang VM start to parse it.
            f"ERL_DIST_PORT={self.dist_port}",
            f'ERL_OPTIONS="-env ERL_CRASH_DUMP_BYTES 0 -kernel inet_dist_use_interface {_erl_tuple(self.host)}"',
            "EJABBERD_BYPASS_WARNINGS=true",
            f"ERL_MAX_PORTS={BENCH_NOFILE if bench else 32000}",
            f"ERL_PROCESSES={2000000 if bench else 250000}",
        ]
        return "\n".join(lines) + "\n"

    def inetrc_text(self) -> str:
        # Erlang's own resolver (SRV lookups): only the test DNS server; no /etc/resolv.conf.
        return (f'{{resolv_conf, ""}}.\n{{hosts_file, "/etc/hosts"}}.\n'
                f"{{nameserver, {_erl_tuple(self.dns.host)}, {self.dns.port}}}.\n"
                "{lookup, [file, dns]}.\n{timeout, 2000}.\n{retry, 2}.\n")

    def write_config(self) -> None:
        self.config_path.write_text(f"# ejabberd peer {self.domain}; written by ejabberd_peer.py\n"
                                    + to_yaml(self.config()))
        self.ctl_config_path.write_text(self.ctl_config_text())
        self.inetrc_path.write_text(self.inetrc_text())
        self.dns.write_resolv_conf(self.resolv_path)
        cookie = self.folder / ".erlang.cookie"
        if not cookie.exists():
            cookie.write_text(os.urandom(16).hex().upper())
        cookie.chmod(0o400)
        for root, dirs, files in os.walk(self.folder):
            certs.give_to(USER, Path(root), *(Path(root) / n for n in dirs + files))

    # -- facts, in the shape xmpp_client.login() reads from an ImpdServer

    @property
    def pid(self) -> int:
        """The Erlang VM's pid (what to read RSS from); ejabberdctl's shell is its parent."""
        beam = self._beam_pid()
        if beam is None:
            raise HarnessError(f"{self.name} is not running")
        return beam

    # -- processes

    def _as_ejabberd(self, argv: list[str], limit: Iterable[str] = ()) -> list[str]:
        """argv as the ejabberd user, in a mount namespace whose /etc/resolv.conf names the test
        DNS server (module docstring); `limit` (a prlimit prefix) applies while still root."""
        script = ('mount --bind "$1" /etc/resolv.conf || exit 111; shift; '
                  f'exec setpriv --reuid={USER} --regid={USER} --init-groups --pdeathsig TERM "$@"')
        return [*limit, "unshare", "--mount", "--propagation", "private", "/bin/sh", "-c", script,
                "ejabberd-peer", str(self.resolv_path), *argv]

    def _ctl_argv(self, *args: str) -> list[str]:
        return [EJABBERDCTL, "--config-dir", str(self.folder), "--ctl-config", str(self.ctl_config_path),
                "--logs", str(self.logs), "--spool", str(self.spool), *args]

    def _env(self) -> dict[str, str]:
        # HOME: the Erlang cookie is read from $HOME/.erlang.cookie by the node and by every
        # ejabberdctl call alike.
        return {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": str(self.folder), "LANG": "C.UTF-8"}

    def ctl(self, *args: str, timeout: float = CTL_TIMEOUT) -> subprocess.CompletedProcess:
        """ejabberdctl with this node's settings, as the ejabberd user (the node must run)."""
        try:
            return subprocess.run(self._as_ejabberd(self._ctl_argv(*args)), cwd=self.folder, env=self._env(),
                                  capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as e:
            raise HarnessError(f"ejabberdctl {' '.join(args[:1])} did not finish within {timeout:.0f} s") from e

    def _ctl_ok(self, *args: str, timeout: float = CTL_TIMEOUT) -> str:
        res = self.ctl(*args, timeout=timeout)
        if res.returncode != 0:
            raise HarnessError(f"{self.name}: ejabberdctl {' '.join(args[:2])} exited {res.returncode}:\n"
                               f"{res.stdout}{res.stderr}")
        return res.stdout

    def _beam_pid(self) -> int | None:
        if not self.alive():
            return None
        for pid in _descendants(self.proc.pid):
            try:
                if Path(f"/proc/{pid}/comm").read_text().strip().startswith("beam"):
                    return pid
            except OSError:
                pass
        return None

    # -- users

    def add_user(self, local: str, password: str = DEFAULT_PASSWORD) -> str:
        """Register local@domain: at once when running, else at start()."""
        return self.add_users(local, password=password)[0]

    def add_users(self, *locals_: str, password: str = DEFAULT_PASSWORD) -> list[str]:
        self._pending += [(x, password) for x in locals_]
        if self.alive() and self._pending:
            self._import_pending()
        return [self.jid(x) for x in locals_]

    def add_users_bulk(self, prefix: str, count: int, password: str = DEFAULT_PASSWORD) -> list[str]:
        """Users prefix0 .. prefix<count-1> (the load generator's names) through one XEP-0227
        import (queued until start() when not running)."""
        return self.add_users(*(f"{prefix}{i}" for i in range(count)), password=password)

    def _import_pending(self) -> None:
        """One XEP-0227 (PIEFXIS) file for all pending users and one ejabberdctl call: each call
        starts an Erlang VM (about 0.8 s), so `ejabberdctl register` per user would take hours
        for 10,000; the import registers about 2,500 users a second."""
        users, self._pending = self._pending, []
        path = self.folder / f"import-{time.monotonic_ns()}.xml"
        with open(path, "w", encoding="utf-8") as f:
            f.write("<?xml version='1.0' encoding='UTF-8'?>\n<server-data xmlns='urn:xmpp:pie:0'>\n"
                    f"<host jid={quoteattr(self.domain)}>\n")
            f.writelines(f"<user name={quoteattr(u)} password={quoteattr(p)}/>\n" for u, p in users)
            f.write("</host>\n</server-data>\n")
        certs.give_to(USER, path)
        try:
            self._ctl_ok("import_piefxis", str(path))
        finally:
            path.unlink(missing_ok=True)

    # -- lifecycle

    def start(self, timeout: float = START_TIMEOUT) -> "EjabberdPeer":
        require_ejabberd()
        assert self.proc is None, "already started"
        if not self.dns.alive():
            raise HarnessError(f"{self.name}: its DNS server ({self.dns.endpoint}) is not running")
        limit, self.nofile = prlimit_prefix(BENCH_NOFILE if self.profile == "bench" else None)
        t0 = time.monotonic()
        # foreground-quiet: only critical lines on the console (our stdout file); the log
        # proper is logs/ejabberd.log.
        with open(self.stdout_path, "ab") as out:
            self.proc = subprocess.Popen(self._as_ejabberd(self._ctl_argv("foreground-quiet"), limit), cwd=self.folder,
                                         env=self._env(), stdin=subprocess.DEVNULL, stdout=out,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        _live.add(self)
        self._wait_listening((self.c2s_port, self.s2s_port), t0 + timeout, timeout)
        self.start_seconds = time.monotonic() - t0
        if self._pending:
            self._import_pending()
        return self

    def terminate(self) -> None:
        """SIGTERM to the Erlang VM without waiting (stop() waits): the VM shuts ejabberd down
        cleanly on SIGTERM, and ejabberdctl's shell exits with it."""
        beam = self._beam_pid()
        if beam is not None:
            os.kill(beam, signal.SIGTERM)
        elif self.alive():
            self.proc.send_signal(signal.SIGTERM)

    def _stopped(self) -> None:
        _live.discard(self)

    def kill(self) -> None:
        """SIGKILL to ejabberdctl's shell and everything below it (by pid)."""
        if self.proc is not None:
            for pid in [self.proc.pid, *_descendants(self.proc.pid)]:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            self.proc.wait(10)
            self.returncode = self.proc.returncode
        self.proc = None
        _live.discard(self)
