"""Where EcoDesk keeps user data: the per-user data folder, never beside the executable.

Offices install EcoDesk where users may not write (Program Files, a read-only share), so the
default database, the demo database and settings go to the per-user data folder that Qt knows
for each system. ``ECODESK_HOME`` overrides it (tests, portable installs). Shipped files
(fonts, catalog) are found by ``resources.locate``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ORGANIZATION = "EcoDesk"
APPLICATION = "EcoDesk"


def user_data_dir() -> Path:
    override = os.environ.get("ECODESK_HOME")
    if override:
        folder = Path(override)
    else:
        from PySide6.QtCore import QCoreApplication, QStandardPaths

        QCoreApplication.setOrganizationName(ORGANIZATION)
        QCoreApplication.setApplicationName(APPLICATION)
        location = QStandardPaths.StandardLocation.AppLocalDataLocation
        folder = Path(QStandardPaths.writableLocation(location))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def default_database() -> Path:
    """The office's own database file."""
    return user_data_dir() / "office.ecodesk"


def demo_database() -> Path:
    return user_data_dir() / "demo.ecodesk"


def settings_file() -> Path:
    """Settings live beside the data (an ini file), so ``ECODESK_HOME`` moves them too."""
    return user_data_dir() / "settings.ini"


def configure_matplotlib_cache() -> Path | None:
    """In a frozen bundle, give matplotlib a persistent per-user config and cache folder.

    PyInstaller's matplotlib runtime hook points ``MPLCONFIGDIR`` at a fresh temporary folder on
    every launch, so matplotlib rebuilds its font list each time (about 0.45 s before the first
    chart). A folder under the user data directory keeps that cache between launches. Must run
    before matplotlib is first imported; from a source checkout nothing is changed, so a
    developer's own matplotlib configuration still applies. Returns the folder used, if any.
    """
    if not getattr(sys, "frozen", False):
        return None
    try:
        folder = user_data_dir() / "mplconfig"
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # an unwritable profile: keep the runtime hook's temporary folder
    os.environ["MPLCONFIGDIR"] = str(folder)
    return folder
