#!/usr/bin/env bash
# Renders a `zoo compare` report in a real browser (headless Chromium, Debian's `chromium` package) and saves
# PNG screenshots next to it, to check that index.html and learning-curves.svg look right.
#
#   Benchmarks/compare/screenshot.sh [results-dir]      (default: results)
#
# Writes <dir>/index.png (the whole report page) and <dir>/learning-curves.png (the plot alone).
set -euo pipefail

dir="${1:-results}"
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [[ -z "$browser" ]]; then
    echo "no Chromium found: apt-get install -y chromium" >&2
    exit 1
fi
for file in index.html learning-curves.svg; do
    [[ -f "$dir/$file" ]] || { echo "$dir/$file is missing: run zoo compare --out $dir first" >&2; exit 1; }
done
absolute="$(cd "$dir" && pwd)"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT

shoot() { # url output width height
    "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
        --window-size="$3,$4" --screenshot="$2" "$1" 2>/dev/null
    echo "wrote $2"
}
shoot "file://$absolute/index.html" "$absolute/index.png" 1100 2400
shoot "file://$absolute/learning-curves.svg" "$absolute/learning-curves.png" 860 520
