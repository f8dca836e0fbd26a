#!/usr/bin/env bash
# Renders a result folder's report.html in headless Chromium (Debian's `chromium` package), with no
# network, to a PNG, and checks the page rendered: the report must open on its own in a browser. Then
# checks that nothing is wider than a 1280-pixel window (tables included): the page's scroll width,
# read from a copy of the page that writes it into its title, must not exceed the viewport's width.
# Usage: scripts/check-report-html.sh RESULT_DIR OUTPUT_PNG
set -euo pipefail
dir=$1
png=$2
width=1280
command -v chromium >/dev/null || { echo "chromium is not installed (apt-get install chromium)" >&2; exit 1; }
test -s "$dir/report.html" || { echo "$dir/report.html missing" >&2; exit 1; }
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
headless=(chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync
  --user-data-dir="$profile" --window-size=$width,4000 --hide-scrollbars)
timeout 120 "${headless[@]}" --screenshot="$png" "file://$(realpath "$dir/report.html")" >/dev/null 2>&1
test -s "$png" || { echo "chromium wrote no screenshot" >&2; exit 1; }
# A blank page compresses to a few kilobytes; the report with six figures and tables does not.
size=$(stat -c %s "$png")
if [ "$size" -lt 100000 ]; then
  echo "report.html rendered to a nearly blank page ($size bytes)" >&2
  exit 1
fi
echo "report.html rendered in Chromium: $png ($size bytes)"
# The copy sits beside the original so the page is the same; it reports its widths in its title.
probe="$dir/.width-probe-$$.html"
trap 'rm -rf "$profile" "$probe"' EXIT
sed 's|</body>|<script>document.title = "scroll " + document.documentElement.scrollWidth + " client " + document.documentElement.clientWidth;</script></body>|' \
  "$dir/report.html" >"$probe"
dom=$(timeout 120 "${headless[@]}" --dump-dom "file://$(realpath "$probe")" 2>/dev/null)
read -r scroll client < <(echo "$dom" | sed -n 's|.*<title>scroll \([0-9]*\) client \([0-9]*\)</title>.*|\1 \2|p' | head -1)
if [ -z "${scroll:-}" ]; then
  echo "could not read the page's width from Chromium" >&2
  exit 1
fi
if [ "$scroll" -gt "$client" ]; then
  echo "report.html is $scroll pixels wide in a $client-pixel window: something (a table?) overflows" >&2
  exit 1
fi
echo "report.html fits a $width-pixel window: scroll width $scroll, viewport $client"
