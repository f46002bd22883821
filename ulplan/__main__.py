"""`python -m ulplan` runs the command-line interface."""

from ulplan.cli import main

main()
