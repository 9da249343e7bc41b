#!/usr/bin/env bash
# The sweep's report page (DIR/index.html, docs/plots.md) in a real browser: headless Chromium
# loads the page of a results folder made from real `intvit sim` runs; from the DOM every
# <img> decoded (the page's own script marks each with naturalWidth > 0), and from a
# screenshot of the whole page no figure's region is blank.
# usage: report_page_test.sh <intvit binary> <source dir>. Exits 77 (skipped) without the
# SystemC model, python3-matplotlib or chromium.
set -uo pipefail
bin=$1
src=$2
source "$src/tests/tools/plot/fixture.sh"
command -v chromium >/dev/null || { echo "no chromium: skipped"; exit 77; }

make_runs "$tmp/r"
make_results "$tmp/r" --fake-energy-area
expect_rc 0 "plot" -- "$bin" plot "$tmp/r" || finish
want=$(ls "$tmp"/r/plots/*.png | wc -l)

# Root (CI containers) needs --no-sandbox; the HOME keeps Chromium's profile out of the user's.
chrome=(chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars
        --force-device-scale-factor=1 --virtual-time-budget=5000 --user-data-dir="$tmp/profile")
url="file://$tmp/r/index.html"
HOME=$tmp expect_rc 0 "chromium --dump-dom" -- "${chrome[@]}" --window-size=1400,900 \
  --dump-dom "$url" || finish
cp "$tmp/stdout" "$tmp/dom.html"
height=$("$py" "$src/tests/tools/plot/check_page.py" dom "$tmp/dom.html" "$want") ||
  fail "DOM: $height"
echo "ok: $want images rendered in the DOM; page height $height px"

# The screenshot covers the whole page; the same width gives the same layout as the DOM dump.
HOME=$tmp expect_rc 0 "chromium --screenshot" -- "${chrome[@]}" \
  --window-size=1400,"${height:-900}" --screenshot="$tmp/page.png" "$url" || finish
[[ -s $tmp/page.png ]] || fail "no screenshot"
"$py" "$src/tests/tools/plot/check_page.py" shot "$tmp/dom.html" "$tmp/page.png" ||
  fail "screenshot: some figure is blank"
echo "ok: every figure is drawn in the screenshot"

# The page needs nothing from the network.
grep -Eq '(src|href)="(https?:)?//' "$tmp/r/index.html" && fail "the page loads something remote"
finish
