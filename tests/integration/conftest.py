"""Fixtures for the impd integration tests.

- `async def` tests run in a fresh event loop with an overall time limit
  (`@pytest.mark.timeout_s(N)`, default 60 s); no pytest plugin is needed.
- `impd_server` starts a fresh impd (own folder, data dir, ports) for each test. A module
  tunes its config with a module-level `IMPD_CONFIG = {...}` (merged into the defaults) and a
  test with `@pytest.mark.impd_config({...})`. At teardown the server gets SIGTERM and must
  exit 0; its stderr is attached to every failing test's report.
- `impd_factory(overrides)` starts further servers in the same test.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import impd_harness  # noqa: E402

DEFAULT_TEST_TIMEOUT = 60.0


def pytest_configure(config):
    config.addinivalue_line("markers", "impd_config(overrides): config overrides (nested dict) for impd_server")
    config.addinivalue_line("markers", "timeout_s(seconds): time limit for an async test")


def pytest_report_header(config):
    build = impd_harness.build_dir()
    missing = [n for n in ("impd", "impctl") if not impd_harness.binary(n, build).exists()]
    state = "MISSING " + ", ".join("bin/" + n for n in missing) if missing else "ok"
    return f"impd build (IMPD_BUILD): {build} [{state}]"


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    marker = pyfuncitem.get_closest_marker("timeout_s")
    timeout = float(marker.args[0]) if marker else DEFAULT_TEST_TIMEOUT
    kwargs = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    impd_harness.run_async(pyfuncitem.obj(**kwargs), timeout)
    return True


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for srv in getattr(item, "_impd_servers", []):
            report.sections.append((f"impd stderr: {srv.name} ({srv.folder})", srv.log_tail()))


@pytest.fixture(scope="session")
def tls_cert(tmp_path_factory):
    """One self-signed certificate (SAN imp.test, other.test) for the whole run."""
    return impd_harness.make_certificate(tmp_path_factory.mktemp("cert"))


def _overrides_for(request) -> dict:
    merged: dict = {}
    mod_cfg = getattr(request.module, "IMPD_CONFIG", None)
    if mod_cfg:
        merged = impd_harness.deep_merge(merged, mod_cfg)
    for marker in reversed(list(request.node.iter_markers("impd_config"))):
        merged = impd_harness.deep_merge(merged, marker.args[0] if marker.args else marker.kwargs)
    return merged


@pytest.fixture
def impd_factory(request, tmp_path, tls_cert):
    """Start impd servers on demand; all are stopped (and must exit 0) at teardown."""
    servers: list[impd_harness.ImpdServer] = []
    request.node._impd_servers = servers
    host = impd_harness.module_host(request.module.__name__)

    def start(overrides: dict | None = None, *, start: bool = True, name: str | None = None):
        name = name or f"impd{len(servers) + 1}"
        srv = impd_harness.ImpdServer(tmp_path / name, host=host, cert=tls_cert, overrides=overrides, name=name)
        servers.append(srv)
        if start:
            srv.start()
        return srv

    yield start

    problems = []
    # The list also shows federation peers' logs in failure reports; those stop themselves.
    for srv in [s for s in servers if isinstance(s, impd_harness.ImpdServer)]:
        try:
            srv.stop_and_check()
        except AssertionError as e:
            problems.append(str(e))
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)


@pytest.fixture
def impd_server(request, impd_factory):
    """A fresh, running impd for this test (module IMPD_CONFIG + impd_config marker applied)."""
    return impd_factory(_overrides_for(request), name="impd")
