#!/usr/bin/env bash
# Regenerate docs/render.png: the shipped model's events on the bundled sample article, rendered by
# `eventx extract --format html` and photographed by headless Chromium (apt-get install chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
${EVENTX:-.venv/bin/eventx} extract eventx/samples/article_uk.txt --date 2026-04-08 --format html > "$tmp/page.html"
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$tmp/profile" --hide-scrollbars \
  --window-size=1100,1250 --screenshot="$tmp/render.png" "file://$tmp/page.html" 2>/dev/null
mv "$tmp/render.png" docs/render.png
echo "wrote docs/render.png"
