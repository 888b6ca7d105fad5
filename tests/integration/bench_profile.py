"""The benchmark profile: impd, Prosody and ejabberd on the same footing.

A side-by-side benchmark is fair only when every server does the same work, so
`ProsodyPeer(..., profile="bench")`, `EjabberdPeer(..., profile="bench")` and impd started with
`impd_overrides()` all run with:

| what                 | impd (impd_overrides)            | Prosody 0.12 (bench)              | ejabberd 23.01 (bench)                  |
| -------------------- | -------------------------------- | --------------------------------- | --------------------------------------- |
| logging              | log_level = "warn"               | log = { warn = file }             | loglevel: warning                       |
| rate limits, shapers | per-IP and byte limits raised    | no mod_limits                     | c2s and s2s `shaper: none`; no          |
|                      | above the load                   |                                   | mod_fail2ban, no max_user_sessions rule,|
|                      |                                  |                                   | registration_timeout: infinity          |
| listen backlog       | (impd's own)                     | network_settings.tcp_backlog 65535| listener `backlog: 65535` (default 5)   |
| archive              | none                             | no mod_mam                        | no mod_mam                              |
| offline storage      | on, offline_limit 1,000,000      | on (mod_offline, unlimited)       | on (mod_offline, unlimited)             |
| roster               | on                               | on (mod_roster)                   | on (mod_roster)                         |
| c2s TLS              | tls = "required" / "optional"    | c2s_require_encryption true/false | `starttls_required: true/false`         |
| passwords            | impd's store                     | internal_plain                    | auth_password_format: plain             |
| open files           | raised by the load tool          | RLIMIT_NOFILE 262144 (as granted) | same, and ERL_MAX_PORTS 262144,         |
|                      |                                  |                                   | ERL_PROCESSES 2,000,000                 |

The kernel caps every backlog at net.core.somaxconn (4096 here). Stream management is left
out of both peers (Prosody 0.12 has none built in). Restart a peer before each run: after many
logins Prosody's heap fragments, and ejabberd's idle sessions keep garbage until a full GC.

Open files: the tests run as root and raise RLIMIT_NOFILE for a peer before it drops
privileges (setpriv keeps the limit) -- but only up to the current hard limit unless the
process holds CAP_SYS_RESOURCE. Some sandboxes drop that capability; then the hard limit is all
a peer gets (`peer.nofile` says what it got), and 50,000 connections need more than that.
"""

from __future__ import annotations

import resource
from typing import Any

BENCH_NOFILE = 262144
CAP_SYS_RESOURCE = 24


def impd_overrides(c2s_require_encryption: bool = True, sessions: int = 50000) -> dict[str, Any]:
    """impd config overrides matching the peers' bench profile (merge into ImpdServer's)."""
    return {
        "server": {"log_level": "warn"},
        "xmpp": {"c2s": {
            "tls": "required" if c2s_require_encryption else "optional",
            "max_connections_per_ip": min(1_000_000, sessions + 1000),
            "connect_rate_per_ip": min(1_000_000, max(50, sessions)),
            "auth_failures_per_ip_per_minute": 1_000_000,
            "bytes_per_second": 1 << 30,
            "offline_limit": 1_000_000,
            "idle_timeout": 3600, "keepalive": 600, "negotiation_timeout": 60,
        }},
    }


def _has_cap(bit: int) -> bool:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("CapEff:"):
                return bool(int(line.split()[1], 16) >> bit & 1)
    return False


def nofile_limit(want: int) -> int:
    """The largest limit up to `want` that prlimit can set for a child of this process."""
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    if hard == resource.RLIM_INFINITY or want <= hard or _has_cap(CAP_SYS_RESOURCE):
        return want
    return hard


def prlimit_prefix(want: int | None) -> tuple[list[str], int]:
    """(argv prefix, granted limit): prepend the prefix to a command to start it with soft and
    hard RLIMIT_NOFILE at the granted value (want=None: inherit, empty prefix)."""
    if not want:
        return [], resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    n = nofile_limit(want)
    return ["prlimit", f"--nofile={n}:{n}", "--"], n
