"""Kamailio 5.6 as a foreign SIMPLE domain for the SIP gateway's federation tests.

One KamailioPeer is one Kamailio process serving one domain as a presence server (PUBLISH,
SUBSCRIBE, NOTIFY through its presence and presence_xml modules) with SIP over TLS on one port
and UDP/TCP on another (for sipp, which has no TLS), all on one loopback address. The config
is rendered from the templates in kamailio/ (kamailio.cfg, tls.cfg) into the peer's folder.

Facts of this machine that shape the code (see shared/design/PEERS.md):
- Debian's packages are kamailio, kamailio-presence-modules and kamailio-tls-modules; the
  tests start their own instance in the foreground (-DD -E), never the system service.
- The presence modules need a db_url even with everything kept in memory: a db_text folder
  holding the empty tables they check (headers from the kamailio package) serves.
- Kamailio sends a NOTIFY to the Contact of the SUBSCRIBE, which names impd's domain
  (sip:imp.test:PORT;transport=tls), so it must resolve that name, and /etc/resolv.conf points
  off this machine. It runs in a mount namespace of its own whose /etc/hosts maps the test
  domains to loopback and whose /etc/resolv.conf names a loopback address where no DNS server
  listens; the config makes it resolve through libc (which reads /etc/hosts) and never by DNS
  at start-up.
- It runs as root (the tests do): Debian's kamailio user could not read pytest's folders.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Mapping

import certs
from impd_harness import HarnessError
from peer_process import PeerProcess

KAMAILIO = "/usr/sbin/kamailio"
MODULES = Path("/usr/lib/x86_64-linux-gnu/kamailio/modules")
DBTEXT_SCHEMA = Path("/usr/share/kamailio/dbtext/kamailio")
TEMPLATES = Path(__file__).resolve().parent / "kamailio"
# The tables presence and presence_xml open (and whose versions they check) at start-up.
PRESENCE_TABLES = ("presentity", "active_watchers", "watchers", "xcap")
START_TIMEOUT = 15.0
SHM_MB = 64
PKG_MB = 8


def require_kamailio() -> None:
    """Fail (never skip) with what to install."""
    if not os.access(KAMAILIO, os.X_OK):
        raise HarnessError(f"{KAMAILIO} is missing: install the Debian package kamailio (scripts/deps.sh test)")
    for module, package in (("presence.so", "kamailio-presence-modules"), ("presence_xml.so", "kamailio-presence-modules"),
                            ("tls.so", "kamailio-tls-modules")):
        if not (MODULES / module).exists():
            raise HarnessError(f"Kamailio's {module} is missing: install the Debian package {package}")


def render(template: str, fields: Mapping[str, object]) -> str:
    """The template with every {{NAME}} replaced; a field left unfilled is an error (Kamailio
    would read it as config text and fail far from the cause)."""
    out = re.sub(r"\{\{([A-Z_]+)\}\}", lambda m: str(fields[m.group(1)]) if m.group(1) in fields else m.group(0),
                 template)
    left = sorted(set(re.findall(r"\{\{([A-Z_]+)\}\}", out)))
    if left:
        raise HarnessError(f"Kamailio template fields without a value: {', '.join(left)}")
    return out


def free_sip_port(host: str, avoid: set[int] = frozenset()) -> int:
    """A port free for both UDP and TCP on host: the plain listener uses one port for both."""
    for _ in range(50):
        probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        probe.bind((host, 0))
        port = probe.getsockname()[1]
        probe.close()
        if port in avoid:
            continue
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            tcp.bind((host, port))
            return port
        except OSError:
            continue
        finally:
            tcp.close()
    raise HarnessError(f"no port free for both UDP and TCP on {host}")


class KamailioPeer(PeerProcess):
    """Kamailio serving `domain`: construct (the config is written then), start(), stop().

    impd_domain/impd_tls: impd's domain and its SIP TLS listener (host, port), the static
    route for requests to that domain. cert: this peer's certificate (server and client role);
    cafile: the CAs it trusts for impd's certificate."""

    kind = "kamailio"

    def __init__(self, domain: str, folder: Path, *, host: str, cert: certs.ServerCert, cafile: Path,
                 impd_domain: str, impd_tls: tuple[str, int], tls_port: int, port: int,
                 name: str | None = None) -> None:
        self.domain = domain
        self.host = host
        self.name = name or f"kamailio {domain}"
        self.folder = Path(folder).resolve()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.tls_port, self.port = tls_port, port
        self.impd_domain, self.impd_tls = impd_domain, impd_tls
        self.cert, self.cafile = cert, Path(cafile)
        self.config_path = self.folder / "kamailio.cfg"
        self.tls_config_path = self.folder / "tls.cfg"
        self.db_dir = self.folder / "db"
        self.run_dir = self.folder / "run"
        self.hosts_path = self.folder / "hosts"
        self.resolv_path = self.folder / "resolv.conf"
        self.log_path = self.folder / "kamailio.log"
        self.stdout_path = self.log_path
        self.proc: subprocess.Popen | None = None
        self.returncode: int | None = None
        self.write_config()

    # -- config

    def fields(self) -> dict[str, object]:
        return {
            "DOMAIN": self.domain, "HOST": self.host, "TLS_PORT": self.tls_port, "PORT": self.port,
            "FOLDER": self.folder, "IMPD_DOMAIN": self.impd_domain,
            "IMPD_HOST": self.impd_tls[0], "IMPD_PORT": self.impd_tls[1],
            "CERT": self.cert.cert, "KEY": self.cert.key, "CA": self.cafile,
        }

    def write_config(self) -> None:
        fields = self.fields()
        for name, path in (("kamailio.cfg", self.config_path), ("tls.cfg", self.tls_config_path)):
            path.write_text(render((TEMPLATES / name).read_text(), fields))
        self._write_db()
        self.run_dir.mkdir(exist_ok=True)
        # Both domains on loopback: impd's for the NOTIFYs to its Contact, ours for completeness.
        self.hosts_path.write_text(f"127.0.0.1\tlocalhost\n{self.impd_tls[0]}\t{self.impd_domain}\n"
                                   f"{self.host}\t{self.domain}\n")
        # A loopback address where nothing answers on port 53: a lookup that slips past
        # /etc/hosts fails at once instead of leaving this machine.
        self.resolv_path.write_text(f"nameserver {self.host}\noptions timeout:1 attempts:1\n")

    def _write_db(self) -> None:
        """Empty db_text tables with the headers (and versions) of the installed package."""
        if not DBTEXT_SCHEMA.is_dir():
            raise HarnessError(f"{DBTEXT_SCHEMA} is missing: it comes with the Debian package kamailio")
        self.db_dir.mkdir(exist_ok=True)
        for table in PRESENCE_TABLES:
            header = (DBTEXT_SCHEMA / table).read_text().splitlines()[0]
            (self.db_dir / table).write_text(header + "\n")
        lines = (DBTEXT_SCHEMA / "version").read_text().splitlines()
        rows = [l for l in lines[1:] if l.split(":")[1:2] and l.split(":")[1] in PRESENCE_TABLES]
        (self.db_dir / "version").write_text("\n".join([lines[0], *rows]) + "\n")

    # -- facts

    @property
    def sip(self) -> tuple[str, int]:
        """The plain (UDP and TCP) listener."""
        return (self.host, self.port)

    @property
    def tls(self) -> tuple[str, int]:
        return (self.host, self.tls_port)

    @property
    def route(self) -> str:
        """impd's static route to this domain."""
        return f"tls://{self.host}:{self.tls_port}"

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    # -- lifecycle

    def argv(self) -> list[str]:
        """Kamailio in the foreground (-DD), logging to stderr (-E), in a mount namespace whose
        /etc/hosts and /etc/resolv.conf are this peer's (module docstring)."""
        script = ('mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/resolv.conf || exit 111; '
                  'shift 2; exec "$@"')
        return ["unshare", "--mount", "--propagation", "private", "/bin/sh", "-c", script, "kamailio-peer",
                str(self.hosts_path), str(self.resolv_path),
                KAMAILIO, "-DD", "-E", "-f", str(self.config_path), "-Y", str(self.run_dir),
                "-P", str(self.run_dir / "kamailio.pid"), "-m", str(SHM_MB), "-M", str(PKG_MB),
                "-a", "no", "-w", str(self.folder)]

    def start(self, timeout: float = START_TIMEOUT) -> "KamailioPeer":
        require_kamailio()
        assert self.proc is None, "already started"
        with open(self.log_path, "ab") as out:
            self.proc = subprocess.Popen(self.argv(), cwd=self.folder, stdin=subprocess.DEVNULL, stdout=out,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        # The listeners are bound before the workers fork: TCP and TLS accepting means UDP is too.
        self._wait_listening((self.port, self.tls_port), time.monotonic() + timeout, timeout)
        return self

    def terminate(self) -> None:
        # The main process stops its workers on SIGTERM.
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        """SIGKILL to the whole process group this peer started (its own session): a killed
        main process leaves its workers behind otherwise."""
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(10)
        self.returncode = self.proc.returncode
