"""`python -m selfeval_app`: the same as the `selfeval` command."""

import sys

from selfeval_app.cli import main

sys.exit(main())
