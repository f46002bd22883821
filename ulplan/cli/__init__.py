"""The ``ulplan`` command line. Commands live in small modules loaded on first use."""

from ulplan.cli.main import main

__all__ = ["main"]
