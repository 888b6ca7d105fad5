"""A loopback DNS server (dnsmasq) holding only the records a test gives it.

Federation needs names: a server finds a peer domain through SRV `_xmpp-server._tcp.<domain>`
and then the target's address. dnsmasq answers from its config only (`--no-resolv`,
`--no-hosts`, and `local=/#/` so every other name is NXDOMAIN at once): it can forward nothing,
and no query from a test can reach the resolver in /etc/resolv.conf.

By default it listens on port 53 of its own address in 127.0.53.0/24 (probed free), because a
resolv.conf cannot carry a port. Who points where:
- impd: `[dns] servers = [dns.endpoint]` ("127.0.53.x:53"); any port works.
- Prosody (libunbound): `dns.unbound_forward` ("127.0.53.x@53"); any port works too.
- anything that only reads a resolv.conf: `dns.write_resolv_conf(path)` (needs port 53).

Records must be in place before start(): dnsmasq does not reread them from its config on
SIGHUP, so changing them later needs restart() (about 50 ms).
"""

from __future__ import annotations

import os
import random
import socket
import subprocess
import time
from pathlib import Path

from impd_harness import HarnessError

DNSMASQ = "/usr/sbin/dnsmasq"
START_TIMEOUT = 10.0
STOP_TIMEOUT = 5.0


def _free_on(host: str, port: int) -> bool:
    """True when both UDP and TCP host:port can be bound right now (dnsmasq serves both)."""
    for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
        s = socket.socket(socket.AF_INET, kind)
        try:
            if kind == socket.SOCK_STREAM:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((host, port))
        except OSError:
            return False
        finally:
            s.close()
    return True


def _free_udp_tcp_port(host: str) -> int:
    for _ in range(50):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((host, 0))
        port = s.getsockname()[1]
        s.close()
        if _free_on(host, port):
            return port
    raise HarnessError(f"no port free for both UDP and TCP on {host}")


def _pick_address(port: int) -> str:
    """An address in 127.0.53.0/24 with `port` free (0: any), in random order so that parallel
    runs rarely meet."""
    candidates = list(range(2, 255))
    random.shuffle(candidates)
    for n in candidates:
        host = f"127.0.53.{n}"
        if _free_on(host, port):
            return host
    hint = " (port 53 needs root: pass port=None for any free port)" if port == 53 and os.geteuid() else ""
    raise HarnessError(f"no address in 127.0.53.0/24 has port {port} free{hint}")


def _answers(host: str, port: int) -> bool:
    """Ready means it answers a query over UDP (a TCP probe could leave a half-open stream)."""
    query = bytes.fromhex("4d5a01000001000000000000") + b"\x05probe\x04test\x00" + b"\x00\x01\x00\x01"
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(0.2)
        try:
            s.connect((host, port))   # connected, so a closed port fails at once (ICMP refused)
            s.send(query)
            data = s.recv(512)
        except OSError:
            return False
    return data[:2] == query[:2]


class DnsServer:
    """One dnsmasq in `folder` (dnsmasq.conf, dnsmasq.log). Add records, then start()."""

    def __init__(self, folder: Path, *, host: str | None = None, port: int | None = 53) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._fixed_host = host is not None
        self.port = port if port is not None else 0   # 0: a free port, chosen at start()
        self._want_port = self.port
        self.host = host or ""
        self.lines: list[str] = []
        self.conf_path = self.folder / "dnsmasq.conf"
        self.log_path = self.folder / "dnsmasq.log"
        self.proc: subprocess.Popen | None = None
        self.name = "dnsmasq"   # how failure reports name it

    # -- records (dnsmasq config lines)

    def srv(self, name: str, target: str, port: int, priority: int = 0, weight: int = 0) -> "DnsServer":
        """SRV record: name is the full owner name, e.g. _xmpp-server._tcp.example.test."""
        self.lines.append(f"srv-host={name},{target},{port},{priority},{weight}")
        return self

    def xmpp_server(self, domain: str, target: str, port: int, priority: int = 0, weight: int = 0,
                    direct_tls: bool = False) -> "DnsServer":
        """_xmpp-server._tcp.<domain> (or _xmpps-server for direct TLS, XEP-0368)."""
        service = "_xmpps-server" if direct_tls else "_xmpp-server"
        return self.srv(f"{service}._tcp.{domain}", target, port, priority, weight)

    def no_service(self, name: str) -> "DnsServer":
        """An SRV record whose target is "." (RFC 2782: the service is decidedly not available)."""
        self.lines.append(f"srv-host={name},.")
        return self

    def host_record(self, name: str, *addresses: str) -> "DnsServer":
        """A/AAAA records for exactly `name` (and the matching PTR)."""
        self.lines.append("host-record=" + ",".join([name, *addresses]))
        return self

    def address(self, domain: str, ip: str) -> "DnsServer":
        """`domain` and every name under it resolve to ip."""
        self.lines.append(f"address=/{domain}/{ip}")
        return self

    def raw(self, line: str) -> "DnsServer":
        """Any other dnsmasq config line (cname=, txt-record=, ...)."""
        self.lines.append(line)
        return self

    # -- where it is

    @property
    def endpoint(self) -> str:
        """host:port, the form impd's `[dns] servers` takes."""
        return f"{self.host}:{self.port}"

    @property
    def unbound_forward(self) -> str:
        """host@port, the form libunbound's forwarder setting takes (Prosody's `unbound.forward`)."""
        return f"{self.host}@{self.port}"

    def write_resolv_conf(self, path: Path) -> Path:
        """A resolv.conf naming only this server; resolv.conf has no port, so it must be 53."""
        if self.port != 53:
            raise HarnessError(f"a resolv.conf cannot point at port {self.port}; start DnsServer with port=53")
        path = Path(path)
        path.write_text(f"# test DNS server ({self.conf_path})\nnameserver {self.host}\n"
                        "options attempts:1 timeout:1\n")
        path.chmod(0o644)
        return path

    # -- lifecycle

    def _write_conf(self) -> None:
        fixed = [
            "no-resolv", "no-hosts", "no-poll", "bind-interfaces",
            "local=/#/",        # every name it has no record for is NXDOMAIN, never forwarded
            "log-queries", "log-facility=-",
            f"listen-address={self.host}", f"port={self.port}",
        ]
        self.conf_path.write_text("\n".join(fixed + self.lines) + "\n")

    def start(self, timeout: float = START_TIMEOUT) -> "DnsServer":
        assert self.proc is None, "already started"
        if not os.access(DNSMASQ, os.X_OK):
            raise HarnessError(f"{DNSMASQ} is missing: install the Debian package dnsmasq-base")
        last = ""
        for _ in range(5):   # another process may take the address or port between probe and bind
            if not self._fixed_host:
                self.host = _pick_address(self._want_port)
            if self._want_port == 0:
                self.port = _free_udp_tcp_port(self.host)
            if self._launch(timeout):
                return self
            last = self.log_tail()
            if self._fixed_host and self._want_port:
                break
        raise HarnessError(f"dnsmasq did not start on {self.endpoint}\n--- dnsmasq log ---\n{last}")

    def _launch(self, timeout: float) -> bool:
        self._write_conf()
        with open(self.log_path, "ab") as log:
            # -d: foreground, no fork per TCP query, no pid file, no user switch.
            # setpriv --pdeathsig: it dies with the test process even when that is killed.
            self.proc = subprocess.Popen(
                ["setpriv", "--pdeathsig", "TERM", DNSMASQ, "-d", f"--conf-file={self.conf_path}"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.proc = None
                return False
            if _answers(self.host, self.port):
                return True
            time.sleep(0.02)
        self.stop()
        return False

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None

    def restart(self) -> "DnsServer":
        """Stop and start on the same address and port with the current records."""
        self.stop()
        self._fixed_host = True
        self._want_port = self.port
        return self.start()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log(self) -> str:
        """Everything it logged, every query included (log-queries)."""
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, max_chars: int = 8000) -> str:
        return self.log()[-max_chars:]

    def __enter__(self) -> "DnsServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
