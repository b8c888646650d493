#!/usr/bin/env bash
# Renders a fixture's scenario as SVG: scripts/render-dot.sh FIXTURE OUT.svg
# Uses $TRUSTFUZZ when set, else `trustfuzz` on PATH; needs Graphviz's dot.
# OUT.svg appears complete or not at all (rendered beside it, then renamed).
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 FIXTURE OUT.svg" >&2
  exit 2
fi
tf=${TRUSTFUZZ:-trustfuzz}
command -v dot >/dev/null || { echo "$0: Graphviz 'dot' not found (apt-get install graphviz)" >&2; exit 3; }
dotfile=$(mktemp)
svg=$(mktemp "$2.XXXXXX")
trap 'rm -f "$dotfile" "$svg"' EXIT
"$tf" dot "$1" > "$dotfile"
dot -Tsvg "$dotfile" -o "$svg"
chmod 644 "$svg"
mv "$svg" "$2"
