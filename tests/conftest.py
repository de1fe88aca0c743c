"""Unit tests use the Hypothesis profiles registered once in ``properties/conftest.py``."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from properties import conftest as _profiles  # noqa: F401  (registers and loads the profile)

# A shell starts a background job (``pytest &``, ``nohup``) with SIGINT ignored, and an ignored
# signal stays ignored in every child: the tests that press Ctrl-C on a command would then wait
# on a child that cannot hear it. Catching SIGINT here again gives children the default action.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def quick_report(tmp_path_factory):
    """The quick report, seed 0, as the README's first command makes it, generated once per
    session in a subprocess into a temporary directory: ``(REPORT.md path, completed process)``.
    For the slow tests that compare it with the committed REPORT.md and check its lines."""
    out = tmp_path_factory.mktemp("quick-report") / "REPORT.md"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "verify.report", "--profile", "quick", "--seed", "0",
         "--out", str(out), "--json", str(out.with_name("report.json")), "--no-progress"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=3600, check=False)
    if not out.is_file():
        pytest.fail(f"python -m verify.report wrote no report (exit status {proc.returncode}):\n"
                    + proc.stderr[-2000:])
    return out, proc


def pytest_collection_modifyitems(items):
    from tests.slow import mark_slow

    mark_slow(items)
