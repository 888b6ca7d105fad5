"""What every foreign server started by the tests has in common (Prosody, ejabberd): where it
listens, its logs, waiting for its ports, and a stop that never leaves it running."""

from __future__ import annotations

import socket
import subprocess
import time
from typing import Callable

from impd_harness import HarnessError


class PeerProcess:
    """Subclasses set host, domain, c2s_port, s2s_port, name, folder, proc, returncode,
    stdout_path and log_path, and provide start(), terminate() and kill()."""

    kind = "peer"        # for messages: "prosody", "ejabberd"
    stop_timeout = 10.0  # seconds from SIGTERM to SIGKILL

    # -- facts, in the shape xmpp_client.login() reads from an ImpdServer

    @property
    def c2s(self) -> tuple[str, int]:
        return (self.host, self.c2s_port)

    @property
    def s2s(self) -> tuple[str, int]:
        return (self.host, self.s2s_port)

    def jid(self, local: str) -> str:
        return f"{local}@{self.domain}"

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log(self) -> str:
        out = []
        for p in (self.stdout_path, self.log_path):
            try:
                out.append(p.read_text(errors="replace"))
            except FileNotFoundError:
                pass
        return "".join(out)

    def log_tail(self, max_chars: int = 20000) -> str:
        text = self.log()
        if len(text) > max_chars:
            text = "[... %d earlier characters cut ...]\n" % (len(text) - max_chars) + text[-max_chars:]
        return text

    def _accepts(self, port: int) -> bool:
        try:
            with socket.create_connection((self.host, port), timeout=0.5):
                return True
        except OSError:
            return False

    def _wait_listening(self, ports, deadline: float, timeout: float,
                        broken: Callable[[], str | None] = lambda: None) -> None:
        """Returns once every port accepts connections. A process that exits first, one that
        `broken()` names a reason for, or the deadline raises HarnessError with the log; the
        process is killed in the last two cases."""
        for port in ports:
            while not self._accepts(port):
                if self.proc.poll() is not None:
                    self.returncode = self.proc.returncode
                    self.proc = None
                    self._stopped()
                    raise HarnessError(f"{self.name} exited with status {self.returncode} before listening on "
                                       f"{self.host}:{port}\n--- {self.kind} log ({self.folder}) ---\n{self.log_tail()}")
                why = broken()
                if why is None and time.monotonic() > deadline:
                    why = f"did not listen on {self.host}:{port} within {timeout:.0f} s"
                if why is not None:
                    self.kill()
                    raise HarnessError(f"{self.name} {why}\n--- {self.kind} log ({self.folder}) ---\n{self.log_tail()}")
                time.sleep(0.05)

    # -- lifecycle

    def stop(self, timeout: float | None = None) -> int:
        """SIGTERM and wait; SIGKILL and raise when it does not exit in time. Returns the status."""
        if self.proc is None:
            return self.returncode or 0
        timeout = self.stop_timeout if timeout is None else timeout
        if self.proc.poll() is None:
            self.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                raise HarnessError(f"{self.name} did not exit within {timeout:.0f} s of SIGTERM (killed)"
                                   f"\n--- {self.kind} log ({self.folder}) ---\n{self.log_tail()}")
        self.returncode = self.proc.returncode
        self.proc = None
        self._stopped()
        return self.returncode

    def _stopped(self) -> None:
        """Called once the process has exited through stop()."""

    def __enter__(self):
        return self if self.alive() else self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
