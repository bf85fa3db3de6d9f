"""CI_STRICT=1 fails a run on any test that did not run: a skip in a test, a
module skipped whole, an importorskip, an xfail. Outside CI the same run passes
and ends with a banner counting what did not run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CASES = {
    "skip_in_test": "import pytest\n\ndef test_x():\n    pytest.skip('no browser here')\n",
    "skip_module": (
        "import pytest\npytest.skip('no Redis here', allow_module_level=True)\n\n"
        "def test_x():\n    pass\n"
    ),
    "importorskip": (
        "import pytest\npytest.importorskip('a_package_that_is_not_installed')\n\n"
        "def test_x():\n    pass\n"
    ),
    "xfail": (
        "import pytest\n\n@pytest.mark.xfail(reason='known bug')\ndef test_x():\n    assert False\n"
    ),
    "xfail_that_passes": (
        "import pytest\n\n@pytest.mark.xfail(reason='known bug')\ndef test_x():\n    assert True\n"
    ),
}


def run(tmp_path: Path, source: str, *, strict: bool) -> subprocess.CompletedProcess:
    (tmp_path / "test_case.py").write_text(source)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    env = {
        **os.environ,
        "CI_STRICT": "1" if strict else "0",
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [
            sys.executable, "-m", "pytest", "-p", "tests.strictness", "-p", "no:django",
            "-p", "no:xdist", "-p", "no:cacheprovider", "-p", "no:randomly", str(tmp_path),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize("case", CASES)
def test_under_ci_strict_a_test_that_did_not_run_fails_the_run(tmp_path, case):
    result = run(tmp_path, CASES[case], strict=True)
    assert result.returncode != 0, result.stdout
    assert "CI_STRICT=1" in result.stdout


@pytest.mark.parametrize("case", ["skip_in_test", "skip_module", "importorskip", "xfail"])
def test_outside_ci_the_run_passes_with_a_banner_saying_what_did_not_run(tmp_path, case):
    result = run(tmp_path, CASES[case], strict=False)
    # 5: pytest found nothing to run (the only module was skipped whole), not a failure.
    assert result.returncode in (0, 5), result.stdout
    assert "1 TESTS DID NOT RUN" in result.stdout


def test_a_run_where_everything_ran_has_no_banner(tmp_path):
    result = run(tmp_path, "def test_x():\n    pass\n", strict=True)
    assert result.returncode == 0, result.stdout
    assert "DID NOT RUN" not in result.stdout
