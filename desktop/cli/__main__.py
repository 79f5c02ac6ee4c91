"""``python -m desktop.cli``: the command line without the installed ``ecodesk-cli`` script.

Useful from a source checkout, and in tests, which run the real process to see its exit status
and what it prints.
"""

from __future__ import annotations

import sys

from desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
