#!/usr/bin/env bash
# Renders a result folder's report.html in headless Chromium (Debian's `chromium` package), with no
# network, to a PNG, and checks the page rendered: the report must open on its own in a browser.
# Usage: scripts/check-report-html.sh RESULT_DIR OUTPUT_PNG
set -euo pipefail
dir=$1
png=$2
command -v chromium >/dev/null || { echo "chromium is not installed (apt-get install chromium)" >&2; exit 1; }
test -s "$dir/report.html" || { echo "$dir/report.html missing" >&2; exit 1; }
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --window-size=1280,4000 --hide-scrollbars \
  --screenshot="$png" "file://$(realpath "$dir/report.html")" >/dev/null 2>&1
test -s "$png" || { echo "chromium wrote no screenshot" >&2; exit 1; }
# A blank page compresses to a few kilobytes; the report with six figures and tables does not.
size=$(stat -c %s "$png")
if [ "$size" -lt 100000 ]; then
  echo "report.html rendered to a nearly blank page ($size bytes)" >&2
  exit 1
fi
echo "report.html rendered in Chromium: $png ($size bytes)"
