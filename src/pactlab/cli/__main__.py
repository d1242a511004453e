"""`python -m pactlab.cli` runs the command line (the same as the `pactlab` script)."""

from pactlab.cli import main

main()
