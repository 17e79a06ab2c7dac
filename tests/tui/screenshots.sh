#!/usr/bin/env bash
# make screenshots: regenerate screenshots/*.png (and .txt) from the
# recorded fixture with the shared tui-shot tool (tmux -> xterm -> PNG).
set -eu
cd "$(dirname "$0")/../.."
shot=${TUI_SHOT:-../shared/tools/tui-shot}
[ -x "$shot" ] || { echo "screenshots: $shot not found (set TUI_SHOT)" >&2; exit 1; }
fix=build/fixtures
mkdir -p "$fix" screenshots
build/tools/mkfixture basic "$fix/basic.rec"
run="env LANG=C.UTF-8 TZ=UTC SOCKTOP_THEMES=$PWD/themes ./socktop --replay $fix/basic.rec --no-pace"

# main screen, then a filter, the detail page and help
"$shot" -s 120x40 -w 1 -o screenshots/main.png \
	-k '/' -l 'port 80,443' -k Enter -o screenshots/filter.png \
	-k '/' -k C-u -l 'comm python3' -k Enter -k Enter -o screenshots/detail.png \
	-k Escape -k Escape -k F1 -o screenshots/help.png -- $run
# the sort picked with < >, in 80x24
"$shot" -s 80x24 -w 1 -k '<' -k '<' -o screenshots/small-80x24.png -- $run
# the other themes
"$shot" -s 120x40 -w 1 -o screenshots/theme-light.png -- $run --theme light
"$shot" -s 120x40 -w 1 -o screenshots/theme-high-contrast.png -- $run --theme high-contrast
"$shot" -s 120x40 -w 1 -o screenshots/no-color.png -- env NO_COLOR=1 $run
rm -f screenshots/*.txt # the text captures are for tests, not the README
ls -l screenshots/*.png
