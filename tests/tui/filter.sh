#!/usr/bin/env bash
# Filters hide rows, never data: each term kind, the family keys, a bad
# term's error on the prompt line (no exit), Esc clears.
. "$(dirname "$0")/lib.sh"
tui_need tui-filter

tui_start filter 120 40 -- --replay "$TUI_FIX/basic.rec" --no-pace
tui_wait 'replay unpaced \(end\)' || { fail tui-filter-start; exit 1; }

# apply FILTER, then expect rows matching RE and none matching NOT
filt() {
	local name=$1 text=$2 re=$3 not=${4:-}
	tui_keys /
	tui_wait 'Filter: ' 2 >/dev/null
	tui_keys C-u
	tui_type "$text"
	tui_keys Enter
	if ! tui_wait "Filter: .*${text%% *}" 3; then fail "$name" "no filter in header"; return; fi
	if ! tui_screen | sed -n '6,$p' | grep -Eq -- "$re"; then fail "$name" "no row /$re/"; tui_dump; return; fi
	if [ -n "$not" ] && tui_screen | sed -n '6,$p' | grep -Eq -- "$not"; then
		fail "$name" "row /$not/ not hidden"; tui_dump; return
	fi
	pass "$name"
}

filt tui-filter-port 'port 5432' '127\.0\.0\.1:5432' 'redis-server|:80 '
filt tui-filter-lport 'lport 80,22' '0\.0\.0\.0:80' 'postgres|:5432'
filt tui-filter-rport 'rport 6379' '10\.0\.0\.7:6379' 'LISTEN'
filt tui-filter-pid 'pid 901' 'postgres' 'nginx'
filt tui-filter-comm 'comm ngi' 'nginx' 'postgres|sshd'
filt tui-filter-state 'state listen' 'LISTEN' 'ESTABLISHED'
filt tui-filter-addr4 'addr 203.0.113.0/24' '203\.0\.113\.' '127\.0\.0\.1|2001:db8'
filt tui-filter-addr6 'addr 2001:db8:4a1::/48' '2001:db8:4a1' '10\.0\.0\.5:80 '
# a bare word: the name or an address holds it, or it is the port
filt tui-filter-bare 'ngi' 'nginx' 'postgres|sshd'
filt tui-filter-bare-addr '203.0.113' '203\.0\.113\.' '127\.0\.0\.1|2001:db8'
filt tui-filter-bare-port '5432' '127\.0\.0\.1:5432' 'redis-server|:80 '
filt tui-filter-and 'comm nginx state estab' 'nginx .*ESTABLISHED' 'LISTEN'

# Esc clears the filter
tui_keys Escape
check tui-filter-esc tui_gone 'Filter: ' 3
# ... but not for good: Up in the prompt brings the last filters back
tui_keys /
tui_wait 'Filter: ' 2 >/dev/null
tui_keys Up
check tui-filter-history tui_wait 'Filter: comm nginx state estab *$' 3
tui_keys Up
check tui-filter-history-older tui_wait 'Filter: 5432 *$' 3
tui_keys Enter
check tui-filter-history-applied tui_wait '4 of 21 +Filter: 5432$' 3
tui_keys Escape
tui_gone 'Filter: ' 3 >/dev/null

# family toggles
tui_keys 4
if tui_wait 'IPv6 only' 3 && ! tui_screen | sed -n '6,$p' | grep -Eq '(^| )[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+:[0-9]'; then
	pass tui-filter-hide4
else
	fail tui-filter-hide4
fi
tui_keys 4 6
if tui_wait 'IPv4 only' 3 && ! tui_screen | grep -q '\[2001:db8'; then
	pass tui-filter-hide6
else
	fail tui-filter-hide6
fi
tui_keys 6

# a bad term: error on the prompt line, still running, prompt still open
tui_keys /
tui_wait 'Filter: ' 2 >/dev/null
tui_keys C-u
tui_type 'port 99999 bogus'
tui_keys Enter
check tui-filter-error tui_wait 'Filter: port 99999 bogus +port: 99999 is out of range'
tui_keys C-u
tui_type 'state c'
tui_keys Enter
check tui-filter-ambiguous tui_wait "'c' is ambiguous \(CLOSE, CLOSE_WAIT, CLOSING\)"
tui_keys Escape
check tui-filter-error-no-exit tui_wait 'redis-server'
if tui_screen | grep -q '^\[exit'; then fail tui-filter-alive; else pass tui-filter-alive; fi
tui_keys q
tui_done
