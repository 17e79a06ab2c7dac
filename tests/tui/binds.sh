#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The Binds pane from a recording: rows newest first with every column,
# failures in the error colour, a hostile process name escaped, the counts
# toggle, the filter terms uid / proto / errors, and Enter landing on the
# bound socket's row in Connections.
. "$(dirname "$0")/lib.sh"
tui_need tui-binds
gen=$TUI_ROOT/build/tools/mkbinds
if [ ! -x "$gen" ] || ! "$gen" "$TUI_FIX/binds.rec"; then
	skip tui-binds "cannot make the bind fixture (build/tools/mkbinds)"
	exit 0
fi

tui_start binds 100 30 -- --replay "$TUI_FIX/binds.rec" --no-pace
tui_wait 'replay unpaced \(end\)' || { fail tui-binds-start; exit 1; }
tui_keys Tab
if tui_wait 'TIME +PID +UID COMM +PROT ADDR +PORT OPTS +IF RESULT' 3; then
	pass tui-binds-pane
else
	fail tui-binds-pane
fi

rows() { tui_screen | sed -n '6,$p'; }
# newest first: the last redis failure is the first row, nginx's :80 the last
order_ok() {
	rows | head -1 | grep -Eq '^09:30:00 +1402 +1000 redis-server +TCP +127\.0\.0\.1 +6379 \.\.\.\.\. +0 EADDRINUSE' &&
		rows | grep -Eq '^09:30:00 +901 +0 nginx +TCP +0\.0\.0\.0 +80 \.\.\.R\. +0 ok' &&
		[ "$(rows | grep -Ec '^09:30:00 ')" = 9 ]
}
check tui-binds-rows order_ok
check tui-binds-columns eval "rows | grep -Eq 'dnsmasq +UDP +10\.0\.0\.5 +5353 F\.\.\.\. +2 ok' &&
	rows | grep -Eq 'curl +TCP +0\.0\.0\.0 +51234 \.\.\.\.\. +0 ok implicit' &&
	rows | grep -Eq 'envoy +TCP +127\.0\.0\.1 +0 \.TN\.\. +0 ok'"
check tui-binds-escaped eval "rows | grep -q 'x1b\[31mevil' && ! tui_screen | grep -q \$'\x1b'"
# the failed rows are drawn in the error role: not the plain one
err_colour() {
	local plain failed
	plain=$(tui_colours | grep 'nginx' | grep -v '::' | head -1)
	failed=$(tui_colours | grep 'EACCES' | head -1)
	[ -n "$failed" ] && [ -n "$plain" ] && [ "${failed%%09:30*}" != "${plain%%09:30*}" ]
}
check tui-binds-error-colour err_colour

# 80x24: still every column
tui_resize 80 24
if tui_wait '^TIME +PID +UID COMM +PROT ADDR +PORT OPTS +IF RESULT' 3 &&
	tui_screen | grep -Eq '^09:30:00 +1202 +1000 dnsmasq +UDP +127\.0\.0\.1 +53 \.\.\.\.\. +0 EACCES'; then
	pass tui-binds-80x24
else
	fail tui-binds-80x24
fi
tui_resize 100 30
tui_wait 'TIME +PID +UID COMM +PROT ADDR +PORT +OPTS' 3 >/dev/null

# counts per address and port
tui_keys c
if tui_wait 'PROT LADDR +LPORT +BINDS +FAILED' 3 &&
	tui_screen | grep -Eq '^TCP +127\.0\.0\.1 +6379 +2 +2 *$'; then
	pass tui-binds-counts
else
	fail tui-binds-counts
fi
tui_keys c
tui_wait 'TIME +PID +UID COMM' 3 >/dev/null

filt() { # name text regex-present regex-absent
	tui_keys /
	tui_wait 'Filter: ' 2 >/dev/null
	tui_keys C-u
	tui_type "$2"
	tui_keys Enter
	if tui_wait "Filter: $2" 3 && rows | grep -Eq -- "$3" && ! rows | grep -Eq -- "$4"; then
		pass "$1"
	else
		fail "$1"
		tui_dump
	fi
}
filt tui-binds-filter-errors 'errors' 'EADDRINUSE|EACCES' ' ok'
filt tui-binds-filter-proto 'proto udp' 'dnsmasq' 'nginx|redis'
filt tui-binds-filter-uid 'uid 1000' 'curl' 'nginx|envoy'
# counts under a filter: what a count can answer (errors: any failure)
tui_keys /
tui_wait 'Filter: ' 2 >/dev/null
tui_keys C-u
tui_type 'errors'
tui_keys Enter c
if tui_wait 'PROT LADDR +LPORT +BINDS +FAILED' 3 &&
	tui_screen | grep -Eq '^TCP +127\.0\.0\.1 +6379 +2 +2 *$' &&
	tui_screen | grep -Eq '^UDP +127\.0\.0\.1 +53 +1 +1 *$' &&
	[ "$(tui_screen | grep -Ec '^(TCP|UDP) ')" = 2 ]; then
	pass tui-binds-counts-filter
else
	fail tui-binds-counts-filter
	tui_dump
fi
tui_keys c
tui_keys Escape
tui_gone 'Filter: ' 3 >/dev/null

# Enter on nginx's port 80 bind: Connections with that listener selected.
# First put the Connections cursor on sshd's row, so the move is seen.
sgr() { # the background colour that opens the line holding $1
	tui_colours | grep -F "$1" | head -1 | perl -ne 'print $1 if /^((?:\e\[[0-9;]*m| )*)/' |
		grep -o '\[4[0-9]m' | tail -1
}
tui_keys BTab
tui_wait 'PID COMM +IP +LOCAL' 3 >/dev/null
tui_keys Home Down
tui_wait '0\.0\.0\.0:22 ' 2 >/dev/null
for _ in 1 2 3; do
	[ -n "$(sgr '0.0.0.0:22 ')" ] && [ "$(sgr '0.0.0.0:22 ')" != "$(sgr '0.0.0.0:80 ')" ] && break
	tui_keys Up
	sleep 0.2
done
sel=$(sgr '0.0.0.0:22 ')
tui_keys Tab
tui_wait 'TIME +PID +UID COMM' 3 >/dev/null
tui_keys End Enter
enter_ok() {
	tui_wait 'PID COMM +IP +LOCAL' 3 && [ -n "$sel" ] &&
		[ "$(sgr '0.0.0.0:80 ')" = "$sel" ] && [ "$(sgr '0.0.0.0:22 ')" != "$sel" ]
}
check tui-binds-enter enter_ok
tui_done
