"""Where EcoDesk keeps user data: the per-user data folder, never beside the executable.

Offices install EcoDesk where users may not write (Program Files, a read-only share), so the
default database, the demo database and settings go to the per-user data folder that Qt knows
for each system. ``ECODESK_HOME`` overrides it (tests, portable installs). Shipped files
(fonts, catalog) are found by ``resources.locate``.
"""

from __future__ import annotations

import os
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
