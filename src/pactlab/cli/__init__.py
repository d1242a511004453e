"""The `pactlab` command line: a thin layer over the Python API.

Command modules are imported lazily by `PactlabGroup` (see `pactlab.cli.app.COMMANDS`).
"""

from pactlab.cli.app import app


def main() -> None:
    """Entry point of the `pactlab` console script."""
    app()


__all__ = ["app", "main"]
