"""Shared fixtures: a private user-data folder per test, demo and empty databases, the seeds."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from db.connection import Database, open_database
from desktop.fonts import register_fonts
from desktop.services.demo import build_demo

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(autouse=True)
def _private_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test may touch the real per-user data folder."""
    monkeypatch.setenv("ECODESK_HOME", str(tmp_path_factory.mktemp("home")))


@pytest.fixture(scope="session", autouse=True)
def _bundled_fonts(qapp: QApplication) -> None:
    """The application font as ``desktop.app`` sets it: printouts and charts need its CJK glyphs.

    Without it Qt paints Chinese in whatever the machine has (on a bare Linux, boxes), and a PDF
    a test prints would not contain the words a user reads.
    """
    register_fonts(qapp)


@pytest.fixture
def demo_db(tmp_path: Path) -> Iterator[Database]:
    db = build_demo(tmp_path / "demo.ecodesk")
    yield db
    db.close()


@pytest.fixture
def empty_db(tmp_path: Path) -> Iterator[Database]:
    db = open_database(tmp_path / "empty.ecodesk", create=True)
    yield db
    db.close()


def seed_text(prefix: str) -> str:
    """The text of seed report ``prefix`` (000-004) from ../shared/seeds."""
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.fail(f"seed {prefix} not found in {SEEDS}: the tests need ../shared/seeds")
    return matches[0].read_text(encoding="utf-8")


# GUI tests run offscreen everywhere, with or without a screen (set before pytest-qt makes the
# QApplication).
os.environ["QT_QPA_PLATFORM"] = "offscreen"
