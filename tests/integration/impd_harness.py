"""Start and stop impd for the integration tests.

One ImpdServer is one impd process with its own folder (config, certificate, data dir, stderr
log) on a loopback address, with free ports picked by binding port 0 first. Nothing here talks
to the network outside 127.0.0.0/8.
"""

from __future__ import annotations

import asyncio
import copy
import os
import signal
import socket
import ssl
import subprocess
import time
import zlib
from pathlib import Path
from typing import Any, Iterable, Mapping

REPO_ROOT = Path(__file__).resolve().parents[2]
DOMAIN = "imp.test"
OTHER_DOMAIN = "other.test"
DEFAULT_PASSWORD = "s3cret-Pw"

START_TIMEOUT = 20.0  # a sanitizer build starts slowly; a healthy one is ready in well under 1 s
STOP_TIMEOUT = 15.0
CLI_TIMEOUT = 30.0


class HarnessError(AssertionError):
    """A failure of the server under test, as seen by the harness (start, stop, impctl)."""


def build_dir() -> Path:
    return Path(os.environ.get("IMPD_BUILD", str(REPO_ROOT / "build-test"))).resolve()


def binary(name: str, build: Path | None = None) -> Path:
    return (build or build_dir()) / "bin" / name


def require_binaries(build: Path | None = None) -> None:
    """Fail (never skip) with a message that says what to do when the server is not built."""
    missing = [str(binary(n, build)) for n in ("impd", "impctl") if not os.access(binary(n, build), os.X_OK)]
    if missing:
        raise HarnessError(
            "impd is not built: missing " + ", ".join(missing)
            + ". Build it with `make build-test` (or point IMPD_BUILD at a build folder holding bin/impd and bin/impctl)."
        )


def module_host(module_name: str) -> str:
    """A stable loopback address per test module (127.0.0.20 .. 127.0.0.219)."""
    return "127.0.0.%d" % (20 + zlib.crc32(module_name.encode()) % 200)


def free_ports(host: str, count: int, avoid: Iterable[int] = ()) -> list[int]:
    """Ports free on host right now: all sockets are held open together so the ports differ.
    `avoid`: ports already handed to a server that is not listening yet (the kernel readily
    gives a just-closed port out again)."""
    held, ports = [], []
    try:
        while len(ports) < count:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((host, 0))
            held.append(s)  # held even when avoided, so the next draw is another port
            if s.getsockname()[1] not in avoid:
                ports.append(s.getsockname()[1])
        return ports
    finally:
        for s in held:
            s.close()


# --- certificates -------------------------------------------------------------------------------

def make_certificate(folder: Path, domains: Iterable[str] = (DOMAIN, OTHER_DOMAIN)) -> tuple[Path, Path]:
    """A self-signed EC P-256 certificate whose SAN covers the given domains."""
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = folder / "cert.pem", folder / "key.pem"
    domains = list(domains)
    san = ",".join("DNS:" + d for d in domains)
    cmd = [
        "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "30",
        "-subj", "/CN=" + domains[0], "-addext", "subjectAltName=" + san,
        "-addext", "basicConstraints=critical,CA:TRUE",
    ]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if res.returncode != 0:
        raise HarnessError("openssl could not make the test certificate:\n" + res.stderr)
    key.chmod(0o600)
    return cert, key


def client_ssl_context(cafile: Path | None) -> ssl.SSLContext:
    """Trust exactly the test certificate (and check the name), or verify nothing when None."""
    if cafile is None:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        return ctx
    ctx = ssl.create_default_context(cafile=str(cafile))
    ctx.check_hostname = True
    ctx.verify_mode = ssl.CERT_REQUIRED
    return ctx


# --- config -------------------------------------------------------------------------------------

def default_config(host: str, c2s_port: int, direct_port: int, admin_port: int) -> dict[str, Any]:
    return {
        "server": {"domains": [DOMAIN], "data_dir": "var", "log_level": "debug"},
        "tls": {"certificate": "cert.pem", "key": "key.pem"},
        "xmpp": {
            "c2s": {
                "listen": [f"{host}:{c2s_port}"],
                "direct_tls": [f"{host}:{direct_port}"],
                "tls": "required",
                "max_stanza_bytes": 65536,
                "max_connections_per_ip": 200,
                "connect_rate_per_ip": 50,
                "auth_failures_before_close": 3,
                "auth_failures_per_ip_per_minute": 30,
                "bytes_per_second": 1048576,
                "idle_timeout": 300,
                "negotiation_timeout": 30,
                "keepalive": 60,
                "sm_resume_timeout": 300,
                "offline_limit": 1000,
            },
            "s2s": {"enabled": False},
        },
        # Tests that need SIP name their own listeners; the default 5060/5061 would clash.
        "sip": {"listen": []},
        "admin": {"listen": f"{host}:{admin_port}"},
    }


def c2s(**settings: Any) -> dict[str, Any]:
    """Overrides for [xmpp.c2s], e.g. c2s(tls="optional", negotiation_timeout=2)."""
    return {"xmpp": {"c2s": settings}}


DELETE = object()  # an override value that removes the key


def deep_merge(base: Mapping[str, Any], overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    """Merge nested dicts; DELETE markers are kept so that layers of overrides compose."""
    out = {k: (v if v is DELETE else copy.deepcopy(v)) for k, v in base.items()}
    for k, v in (overrides or {}).items():
        if v is DELETE:
            out[k] = DELETE
        elif isinstance(v, Mapping) and isinstance(out.get(k), Mapping):
            out[k] = deep_merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def strip_deleted(cfg: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (strip_deleted(v) if isinstance(v, Mapping) else v) for k, v in cfg.items() if v is not DELETE}


def _toml_key(k: str) -> str:
    if k and all(c.isalnum() or c in "-_" for c in k):
        return k
    return _toml_value(k)


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        esc = v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
        return '"' + esc + '"'
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    raise TypeError(f"cannot write {v!r} as TOML")


def to_toml(data: Mapping[str, Any]) -> str:
    """A small TOML writer for the shapes impd's config uses (tables, arrays of tables, scalars)."""
    lines: list[str] = []

    def table(prefix: list[str], tbl: Mapping[str, Any], header: str | None) -> None:
        scalars = [(k, v) for k, v in tbl.items() if not isinstance(v, Mapping) and not _is_table_array(v)]
        if header is not None and (scalars or not any(isinstance(v, Mapping) for v in tbl.values())):
            lines.append("")
            lines.append(header)
        for k, v in scalars:
            lines.append(f"{_toml_key(k)} = {_toml_value(v)}")
        for k, v in tbl.items():
            path = prefix + [_toml_key(k)]
            if isinstance(v, Mapping):
                table(path, v, "[" + ".".join(path) + "]")
            elif _is_table_array(v):
                for item in v:
                    lines.append("")
                    lines.append("[[" + ".".join(path) + "]]")
                    for ik, iv in item.items():
                        lines.append(f"{_toml_key(ik)} = {_toml_value(iv)}")

    table([], data, None)
    return "\n".join(lines).lstrip("\n") + "\n"


def _is_table_array(v: Any) -> bool:
    return isinstance(v, (list, tuple)) and bool(v) and all(isinstance(x, Mapping) for x in v)


# --- the server ---------------------------------------------------------------------------------

class ImpdServer:
    """One impd process in its own folder. Use start()/stop() or the pytest fixtures."""

    def __init__(self, folder: Path, *, host: str = "127.0.0.1", cert: tuple[Path, Path] | None = None,
                 overrides: Mapping[str, Any] | None = None, build: Path | None = None,
                 name: str = "impd") -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.host = host
        self.name = name
        self.build = build or build_dir()
        self.domain = DOMAIN
        self.c2s_port, self.direct_tls_port, self.admin_port = free_ports(host, 3)
        # Every port handed to this server; more listeners must be drawn with avoid=ports.
        self.ports: set[int] = {self.c2s_port, self.direct_tls_port, self.admin_port}
        self.cafile: Path | None = None
        self.config = strip_deleted(deep_merge(
            default_config(host, self.c2s_port, self.direct_tls_port, self.admin_port), overrides))
        if cert is not None:
            (self.folder / "cert.pem").write_bytes(cert[0].read_bytes())
            (self.folder / "key.pem").write_bytes(cert[1].read_bytes())
            (self.folder / "key.pem").chmod(0o600)
            if self.config.get("tls", {}).get("certificate") == "cert.pem":
                self.cafile = self.folder / "cert.pem"   # clients trust exactly this certificate
        self.config_path = self.folder / "impd.toml"
        self.config_path.write_text(to_toml(self.config))
        self.log_path = self.folder / "impd.stderr.log"
        self.proc: subprocess.Popen | None = None
        self.returncode: int | None = None
        self.start_failed = False   # start() already reported the problem

    def write_config(self, text: str | None = None) -> None:
        """Rewrite the config file from self.config (or with the given raw text)."""
        self.config_path.write_text(to_toml(self.config) if text is None else text)

    # -- facts about the running server

    @property
    def pid(self) -> int:
        assert self.proc is not None, "impd is not running"
        return self.proc.pid

    @property
    def c2s(self) -> tuple[str, int]:
        return (self.host, self.c2s_port)

    @property
    def direct_tls(self) -> tuple[str, int]:
        return (self.host, self.direct_tls_port)

    @property
    def tls_mode(self) -> str:
        return self.config["xmpp"]["c2s"].get("tls", "required")

    def c2s_setting(self, key: str) -> Any:
        return self.config["xmpp"]["c2s"][key]

    def ssl_context(self) -> ssl.SSLContext:
        return client_ssl_context(self.cafile)

    def jid(self, local: str) -> str:
        return f"{local}@{self.domain}"

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, max_chars: int = 20000) -> str:
        text = self.log()
        if len(text) > max_chars:
            text = "[... %d earlier characters cut ...]\n" % (len(text) - max_chars) + text[-max_chars:]
        return text

    def rss_kb(self) -> int:
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise HarnessError("no VmRSS for impd")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    # -- lifecycle

    def start(self, timeout: float = START_TIMEOUT) -> "ImpdServer":
        require_binaries(self.build)
        assert self.proc is None, "already started"
        log = open(self.log_path, "ab")
        try:
            self.proc = subprocess.Popen(
                [str(binary("impd", self.build)), "--config", str(self.config_path)],
                cwd=self.folder, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            log.close()
        try:
            self._wait_ready(timeout)
        except HarnessError:
            self.start_failed = True
            raise
        return self

    def _wait_ready(self, timeout: float) -> None:
        """Ready means the c2s port accepts connections. The direct TLS port gets a short grace
        period but is not required, so that a broken direct TLS fails only the tests using it."""
        deadline = time.monotonic() + timeout
        pending = [self.c2s_port]
        while pending:
            if self.proc.poll() is not None:
                self.returncode = self.proc.returncode
                raise HarnessError(
                    f"impd exited with status {self.proc.returncode} before listening on "
                    f"{self.host}:{pending[0]}\n--- impd stderr ---\n{self.log_tail()}")
            try:
                with socket.create_connection((self.host, pending[0]), timeout=0.5):
                    pending.pop(0)
                    continue
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.kill()
                raise HarnessError(
                    f"impd did not listen on {self.host}:{pending[0]} within {timeout:.0f} s"
                    f"\n--- impd stderr ---\n{self.log_tail()}")
            time.sleep(0.05)
        if self.config["xmpp"]["c2s"].get("direct_tls"):
            grace = time.monotonic() + 2.0
            while time.monotonic() < grace:
                try:
                    with socket.create_connection((self.host, self.direct_tls_port), timeout=0.5):
                        break
                except OSError:
                    time.sleep(0.05)

    def stop(self, timeout: float = STOP_TIMEOUT) -> int:
        """SIGTERM, wait, and return the exit status (SIGKILL and raise if it does not exit)."""
        if self.proc is None:
            return 0
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                raise HarnessError(
                    f"impd did not exit within {timeout:.0f} s of SIGTERM (killed)"
                    f"\n--- impd stderr ---\n{self.log_tail()}")
        self.returncode = self.proc.returncode
        return self.returncode

    def restart(self) -> int:
        """SIGTERM (the exit status must be 0), then start again on the same ports and data."""
        rc = self.stop()
        if rc != 0:
            raise HarnessError(f"impd exited with status {rc} after SIGTERM\n--- impd stderr ---\n{self.log_tail()}")
        self.proc = None
        time.sleep(0.1)
        self.start()
        return rc

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
            self.returncode = self.proc.returncode

    def stop_and_check(self) -> None:
        if self.start_failed:
            self.kill()
            return
        rc = self.stop()
        if rc != 0:
            raise HarnessError(
                f"impd exited with status {rc} after SIGTERM (a clean drain exits 0)"
                f"\n--- impd stderr ---\n{self.log_tail()}")

    # -- impctl

    def impctl(self, *args: str, timeout: float = CLI_TIMEOUT) -> subprocess.CompletedProcess:
        require_binaries(self.build)
        return run_cli([str(binary("impctl", self.build)), "--config", str(self.config_path), *args],
                       cwd=self.folder, timeout=timeout)

    def add_user(self, jid: str, password: str = DEFAULT_PASSWORD) -> str:
        if "@" not in jid:
            jid = self.jid(jid)
        res = self.impctl("user", "add", jid, "--password", password)
        if res.returncode != 0:
            raise HarnessError(f"impctl user add {jid} exited {res.returncode}: {res.stderr.strip()}")
        return jid

    def add_users(self, *locals_: str, password: str = DEFAULT_PASSWORD) -> list[str]:
        return [self.add_user(x, password) for x in locals_]

    def check_config(self) -> subprocess.CompletedProcess:
        require_binaries(self.build)
        return run_cli([str(binary("impd", self.build)), "--config", str(self.config_path), "--check"],
                       cwd=self.folder, timeout=CLI_TIMEOUT)


def run_cli(argv: list[str], *, cwd: Path | None = None, timeout: float = CLI_TIMEOUT) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as e:
        raise HarnessError(f"{' '.join(argv)} did not finish within {timeout:.0f} s") from e


# --- running coroutine tests --------------------------------------------------------------------

_cleanups: list = []


def on_loop_exit(coro_fn) -> None:
    """Register an async callable to run before the test's event loop closes (client clean-up)."""
    _cleanups.append(coro_fn)


def run_async(coro, timeout: float) -> Any:
    """Run one test coroutine in a fresh event loop with an overall time limit."""

    async def main():
        try:
            return await asyncio.wait_for(coro, timeout)
        except asyncio.TimeoutError:
            raise AssertionError(f"test did not finish within {timeout:.0f} s") from None
        finally:
            fns, _cleanups[:] = list(_cleanups), []
            for fn in fns:
                try:
                    await asyncio.wait_for(fn(), 10)
                except Exception:
                    pass

    return asyncio.run(main())
