"""`python -m dialplan` runs the command line."""

from .cli.main import run

run()
