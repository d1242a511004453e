"""The `pactlab` command line: a thin layer over the Python API."""

from pactlab.cli import (
    core,  # noqa: F401  (registers the commands)
    interop,  # noqa: F401  (registers import-genius, export-genius)
)
from pactlab.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
