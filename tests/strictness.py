"""How the test run treats what it did not run.

In CI (``CI_STRICT=1``) a test that did not run is a failure: a skip anywhere
(in a test, a fixture, a whole module, an ``importorskip``) and an expected
failure (``xfail``), so a missing browser, database or package turns the run
red instead of quietly shrinking it. Outside CI the run ends with a banner
that says how many tests did not run and why.

A plain pytest plugin, so that it can be tested on a test file of its own.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest

STRICT = os.environ.get("CI_STRICT", "") not in ("", "0")


def _reason(report) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple):
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not STRICT:
        return
    if hasattr(report, "wasxfail"):
        reason = report.wasxfail or "no reason given"
        del report.wasxfail
        report.outcome = "failed"
        report.longrepr = f"xfail under CI_STRICT=1 counts as a failure: {reason}"
    elif report.skipped:
        report.outcome = "failed"
        report.longrepr = f"Skipped under CI_STRICT=1, which counts as a failure: {_reason(report)}"


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    """A module skipped whole (``pytest.skip(allow_module_level=True)``,
    ``importorskip``) never reaches the per-test hook above."""
    outcome = yield
    report = outcome.get_result()
    if STRICT and report.skipped:
        report.outcome = "failed"
        report.longrepr = (
            f"{collector.nodeid} skipped whole under CI_STRICT=1, which counts as a failure: "
            f"{_reason(report)}"
        )


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    not_run = terminalreporter.stats.get("skipped", []) + terminalreporter.stats.get("xfailed", [])
    if STRICT or not not_run:
        return
    reasons = Counter(
        (getattr(report, "wasxfail", None) and f"xfail: {report.wasxfail}") or _reason(report)
        for report in not_run
    )
    write = terminalreporter.write_line
    write("")
    write("=" * 78, red=True, bold=True)
    write(
        f"{len(not_run)} TESTS DID NOT RUN; CI (CI_STRICT=1) fails on each of them:",
        red=True,
        bold=True,
    )
    for reason, count in reasons.most_common():
        write(f"  {count:>4} × {reason}", red=True)
    write("=" * 78, red=True, bold=True)
