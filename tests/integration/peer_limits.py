"""The open-files limit a benchmark peer gets, and the command prefix that sets it.

The tests run as root, so they may raise RLIMIT_NOFILE for a peer before it drops privileges
(setpriv keeps the limit) -- but only up to the current hard limit unless the process holds
CAP_SYS_RESOURCE. Some sandboxes drop that capability: then the hard limit is all a peer can
get, and the benchmark must know (50,000 connections need more than 50,000 descriptors).
"""

from __future__ import annotations

import resource

CAP_SYS_RESOURCE = 24


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
