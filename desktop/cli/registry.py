"""How a group of subcommands joins the parser: each module has ``register(command)``."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Protocol


class Register(Protocol):
    def __call__(
        self, name: str, helptext: str, func: Callable[[argparse.Namespace], int]
    ) -> argparse.ArgumentParser: ...
