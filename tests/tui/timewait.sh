#!/usr/bin/env bash
# w hides TIME_WAIT sockets (131k of them bury a busy host's rows) and
# shows them again; the header says so while they are hidden.
. "$(dirname "$0")/lib.sh"
tui_need tui-timewait

fix=$(tui_fixture timewait) || { fail tui-timewait-fixture; exit 1; }
tui_start timewait 120 40 -- --replay "$fix" --no-pace
tui_wait 'replay unpaced \(end\)' >/dev/null || { fail tui-timewait-start; exit 1; }
check tui-timewait-shown tui_wait 'TIME_WAIT'
n=$(tui_screen | grep -c 'TIME_WAIT ')
check tui-timewait-rows test "$n" -ge 20
tui_keys w
check tui-timewait-note tui_wait 'TIME_WAIT sockets hidden'
check tui-timewait-header tui_wait '7 of 37 +Filter: no TIME_WAIT$'
if tui_screen | sed -n '6,$p' | grep -Eq '198\.51\.100\.[0-9]+:300[0-9]+ +TIME_WAIT'; then
	fail tui-timewait-hidden; tui_dump
else
	pass tui-timewait-hidden
fi
check tui-timewait-others tui_wait 'nginx .*203\.0\.113\.50:41000 +ESTABLISHED'
tui_keys w
check tui-timewait-back tui_wait 'TIME_WAIT sockets shown'
check tui-timewait-back-rows tui_wait '198\.51\.100\.[0-9]+:300[0-9]+ +TIME_WAIT'
tui_keys q
tui_done
