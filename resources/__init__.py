"""Data files shipped with EcoDesk: fonts, the indicator catalog, demo data, icons.

This folder is a package only so that it installs beside ``desktop`` and ``db`` and is found the
same way from a source checkout, an installed wheel and a PyInstaller bundle (where ``__file__``
points into the bundle's data folder).
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent


def locate(*parts: str) -> Path:
    """Return the path of a shipped resource, e.g. ``locate("catalog", "indicators.csv")``."""
    return ROOT.joinpath(*parts)
