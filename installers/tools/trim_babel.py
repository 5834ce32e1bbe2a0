"""Keep only the CLDR data the app formats with (Welsh and British English, and what they
inherit from) in a frozen build's babel package: about 33 MB less.

    python trim_babel.py BABEL_PACKAGE_DIR

The app asks babel for cy_GB and en_GB only (core/i18n.py, reports/text.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

KEEP = {"root", "cy", "cy_GB", "en", "en_001", "en_150", "en_GB"}


def main() -> None:
    data = Path(sys.argv[1]) / "locale-data"
    if not data.is_dir():
        sys.exit(f"trim_babel: no locale-data in {data.parent}")
    removed = 0
    for path in data.glob("*.dat"):
        if path.stem not in KEEP:
            removed += path.stat().st_size
            path.unlink()
    missing = {name for name in KEEP if not (data / f"{name}.dat").is_file()} - {"en_150"}
    if missing:
        sys.exit(f"trim_babel: babel has no {', '.join(sorted(missing))}")
    print(f"trim_babel: removed {removed / 1e6:.1f} MB of locale data; kept {', '.join(sorted(KEEP))}")


if __name__ == "__main__":
    main()
