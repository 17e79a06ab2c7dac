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
build/tools/mkfixture traffic "$fix/traffic.rec"
run="env -u SUDO_UID LANG=C.UTF-8 TZ=UTC XDG_CONFIG_HOME=/nonexistent/socktop-shots SOCKTOP_THEMES=$PWD/themes ./socktop --replay $fix/basic.rec --no-pace"
# the same minute with the counters a pull would have read
trun="env -u SUDO_UID LANG=C.UTF-8 TZ=UTC XDG_CONFIG_HOME=/nonexistent/socktop-shots SOCKTOP_THEMES=$PWD/themes ./socktop --replay $fix/traffic.rec --no-pace"

# main screen, then a filter, the detail page and help
"$shot" -s 120x40 -w 1 -o screenshots/main.png \
	-k '/' -l 'port 80,443' -k Enter -o screenshots/filter.png \
	-k '/' -k C-u -l 'comm python3' -k Enter -k Enter -o screenshots/detail.png \
	-k Escape -k Escape -k F1 -o screenshots/help.png -- $trun
# traffic: every counter at 200 columns, sorted by TX/s; the Processes
# pane's totals and rates; the detail page's charts
"$shot" -s 200x40 -w 1 -k '>' -k '>' -k '>' -k '>' -k '>' -o screenshots/traffic.png \
	-k Tab -k Tab -o screenshots/processes.png -- $trun
"$shot" -s 120x40 -w 1 -k '/' -l 'rport 44720' -k Enter -k Enter -o screenshots/detail-traffic.png \
	-- $trun
# the column setup (F2)
"$shot" -s 120x40 -w 1 -k F2 -k Down -k Down -o screenshots/setup.png -- $trun
# the sort picked with < >, in 80x24
"$shot" -s 80x24 -w 1 -k '<' -k '<' -o screenshots/small-80x24.png -- $run
# the other themes
"$shot" -s 120x40 -w 1 -o screenshots/theme-light.png -- $run --theme light
"$shot" -s 120x40 -w 1 -o screenshots/theme-high-contrast.png -- $run --theme high-contrast
"$shot" -s 120x40 -w 1 -o screenshots/no-color.png -- env NO_COLOR=1 $run
rm -f screenshots/*.txt # the text captures are for tests, not the README
ls -l screenshots/*.png
