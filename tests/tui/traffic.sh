#!/usr/bin/env bash
# Traffic from a recording (mkfixture traffic: the basic minute with the
# counters a pull would have read): the columns at 200 and 120 columns,
# sorting by a rate, the counter filters, the Processes totals, the
# detail page's counters and charts; an old-style recording (no
# counters) shows no traffic columns and help says why.
. "$(dirname "$0")/lib.sh"
tui_need tui-traffic
fix=$(tui_fixture traffic) || { skip tui-traffic "cannot make the traffic fixture"; exit 0; }

tui_start traffic 200 40 -- --replay "$fix" --no-pace
tui_wait 'replay unpaced \(end\)' || { fail tui-traffic-start; exit 1; }
check tui-traffic-titles-200 tui_wait 'AGE +TX +RX +TX/s +RX/s +RTT +RETR +CWND +DLVR/s'
# the ssh session, in a slow stretch at the end: 432 KiB/s sent, 4.8 KiB/s received
check tui-traffic-ssh tui_wait '192\.168\.1\.20:50522 +ESTABLISHED .* 62\.2MiB +708KiB +432KiB +4\.8KiB'
# sorted by RX/s (the column before RTT), highest first
for i in $(seq 1 16); do
	tui_screen | grep -q 'RX/s▼' && break
	tui_keys '>'
	tui_wait 'sorted by' 2 >/dev/null # the note says each step: the next is read after it
	sleep 0.1
done
check tui-traffic-sort-rx tui_wait 'RX/s▼'
rx=$(tui_screen | sed -n 6p | awk '{print $(NF-4)}')
check tui-traffic-sort-top test "$rx" = "384KiB"
# filters on the counters
tui_keys /
tui_type 'rxrate>200K'
tui_keys Enter
check tui-traffic-filter tui_wait 'Filter: rxrate >200K'
n=$(tui_screen | grep -cE '^ +~?[0-9]+ ')
check tui-traffic-filter-rows test "$n" = 2
tui_keys /
tui_keys C-u
tui_type 'retrans>0 rtt>1ms'
tui_keys Enter
check tui-traffic-filter-retrans tui_wait 'Filter: retrans >0 rtt >1ms'
tui_keys /
tui_keys C-u
tui_type 'rtt>5parsecs'
tui_keys Enter
check tui-traffic-filter-error tui_wait "rtt: unit 'parsecs'"
tui_keys Escape Escape
# the detail page of the ssh session: counters and charts
tui_keys /
tui_keys C-u
tui_type 'rport 50522'
tui_keys Enter
tui_wait 'Filter: rport 50522' >/dev/null
tui_keys Enter
check tui-traffic-detail tui_wait 'traffic TX [0-9.]+MiB \(sent'
s=$(tui_screen)
check tui-traffic-detail-rtt grep -Eq 'RTT [0-9.]+(us|ms) +cwnd [0-9]+ +delivery' <<<"$s"
check tui-traffic-detail-charts grep -Eq '^TX/s +│.*│ max [0-9.]+[KM]iB/s' <<<"$s"
check tui-traffic-detail-marks grep -Eq '^marks│' <<<"$s"
tui_keys Escape Escape
# Processes: totals and rates per process
tui_keys Tab Tab
check tui-traffic-procs tui_wait 'ERR +TX +RX +TX/s +RX/s +RETR'
# curl: its open socket and the one that ended (final counters) add up
check tui-traffic-procs-curl tui_wait '4242 .* curl .* 472KiB +1\.1MiB +96\.0KiB +384KiB'
tui_keys q
tui_wait '^\[exit 0\]' >/dev/null || fail tui-traffic-exit

# 120 columns: the rates (and what fits after them), the addresses keep
# their usual width
tui_start traffic120 120 40 -- --replay "$fix" --no-pace
tui_wait 'replay unpaced \(end\)' >/dev/null
check tui-traffic-titles-120 tui_wait 'AGE( +[A-Z]+)* +TX/s +RX/s( |$)'
tui_keys q

# a recording without counters: no traffic columns; help says why
tui_start notraffic 200 40 -- --replay "$TUI_FIX/basic.rec" --no-pace
tui_wait 'replay unpaced \(end\)' >/dev/null
s=$(tui_screen)
if grep -q 'TX/s' <<<"$s"; then fail tui-traffic-none-hidden; else pass tui-traffic-none-hidden; fi
tui_keys F1
tui_wait 'Keys everywhere' >/dev/null
# a page at a time, each drawn before the next (help ends with the section)
for i in $(seq 1 40); do
	tui_screen | grep -q 'counters were off when this was recorded' && break
	before=$(tui_screen | md5sum)
	tui_keys NPage
	for j in $(seq 1 20); do [ "$(tui_screen | md5sum)" != "$before" ] && break; sleep 0.05; done
done
check tui-traffic-none-why tui_wait 'none: traffic counters were off when this was recorded'
tui_done
