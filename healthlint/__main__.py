"""`python -m healthlint`."""

from healthlint.cli import run

run()
