"""``python -m desktop`` and the ``ecodesk`` GUI script (also the PyInstaller entry point)."""

from __future__ import annotations

import sys


def main() -> int:
    from desktop.app import main as run

    return run()


if __name__ == "__main__":
    sys.exit(main())
