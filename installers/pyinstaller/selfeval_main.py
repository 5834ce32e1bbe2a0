"""The frozen app's entry point (PyInstaller): the `selfeval` command, GUI when given no subcommand."""

import sys

from selfeval_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
