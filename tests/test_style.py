"""The code passes `ruff check` with the project's configuration (pyproject.toml), as CI checks it."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _ruff() -> list[str]:
    beside = Path(sys.executable).with_name("ruff")
    if beside.exists():
        return [str(beside)]
    if shutil.which("ruff"):
        return ["ruff"]
    if os.environ.get("CI"):
        pytest.fail("ruff is not installed: CI must check the style (pip install -e '.[test]' installs it)")
    pytest.skip("ruff is not installed (pip install -e '.[test]' installs it)")


def test_ruff_check_passes():
    result = subprocess.run([*_ruff(), "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
