#!/usr/bin/env bash
# Render the app icon's PNGs (16..512 px) and the Windows .ico from resources/icons/selfeval.svg.
# Needs rsvg-convert (Debian: librsvg2-bin). The PNGs are committed; run again after changing the SVG.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
icons="$root/resources/icons"
for size in 16 24 32 48 64 128 256 512; do
    rsvg-convert -w "$size" -h "$size" "$icons/selfeval.svg" -o "$icons/selfeval-$size.png"
done
python3 "$root/installers/tools/make_ico.py" "$icons/selfeval.ico" \
    "$icons"/selfeval-{16,24,32,48,64,128,256}.png
