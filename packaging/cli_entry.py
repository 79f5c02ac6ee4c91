"""Entry point of the frozen ``ecodesk-cli`` console executable (see packaging/ecodesk.spec)."""

import sys

from desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
