"""The `pactlab` command line: a thin layer over the Python API."""

from pactlab.cli import core  # noqa: F401  (registers the commands)
from pactlab.cli import evidence as _evidence  # noqa: F401  (registers `extract`)
from pactlab.cli import forecast as _forecast  # noqa: F401  (registers `forecast`)
from pactlab.cli import interop as _interop  # noqa: F401  (registers the GENIUS commands)
from pactlab.cli import negotiation as _negotiation  # noqa: F401  (negotiate, tournament)
from pactlab.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
