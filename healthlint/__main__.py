"""`python -m healthlint`."""

import sys

from healthlint.cli import main

sys.exit(main())
