"""The test command also holds the code to its rules: ruff, mypy --strict, import contracts.

These are the checks a reviewer would otherwise run by hand; failing here names the file and
line the tool found.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def _run(*command: str) -> None:
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"


def test_ruff_lint() -> None:
    _run(sys.executable, "-m", "ruff", "check", ".")


def test_ruff_format() -> None:
    _run(sys.executable, "-m", "ruff", "format", "--check", ".")


def test_mypy_strict() -> None:
    _run(sys.executable, "-m", "mypy")


def test_import_contracts() -> None:
    exe = shutil.which("lint-imports")
    if exe is None:
        pytest.fail("lint-imports not installed: pip install -e '.[test]'")
    _run(exe)
