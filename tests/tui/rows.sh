#!/usr/bin/env bash
# Connections pane on the basic fixture: rows, header counts, escaped
# hostile comm, sorting (F6 < > I), selection kept while rows move.
. "$(dirname "$0")/lib.sh"
tui_need tui-rows

tui_start rows 120 40 -- --replay "$TUI_FIX/basic.rec" --no-pace
if tui_wait 'replay unpaced \(end\)'; then pass tui-rows-start; else fail tui-rows-start; exit 1; fi

s=$(tui_screen)
check tui-rows-present grep -q 'redis-server .*10\.0\.0\.5:6379 .*LISTEN' <<<"$s"
check tui-rows-v6 grep -q '\[2001:db8:4a1::5\]:443' <<<"$s"
check tui-rows-header-counts grep -Eq 'open 17 +ESTAB 9 +LISTEN 6 +SYN_S 1 .* CLOSE_W 1 .* closed 4' <<<"$s"
check tui-rows-host grep -q 'socktop web-01' <<<"$s"
# the comm with ESC sequences is shown escaped, never raw
check tui-rows-escaped grep -q '\\x1b\[31mEVIL' <<<"$s"
if tui_colours | grep -q $'\x1b\]0;pwn'; then fail tui-rows-no-raw-escape; else pass tui-rows-no-raw-escape; fi

pids() { tui_screen | awk 'NR > 5 && $1 ~ /^[0-9]+$/ { print $1 }'; }
# from STATE, '<' goes back through the columns on the screen to PID
# (ascending): four or five presses, as the IP column is shown or not
for _ in 1 2 3 4 5; do
	tui_keys '<'
	tui_wait 'PID▲ COMM' 1 >/dev/null 2>&1 && break
done
check tui-sort-pid-title tui_wait 'PID▲ COMM'
if pids | sort -n -c 2>/dev/null; then pass tui-sort-pid-asc; else fail tui-sort-pid-asc; tui_dump; fi
tui_keys I
check tui-sort-invert-title tui_wait 'PID▼ COMM'
if pids | sort -rn -c 2>/dev/null; then pass tui-sort-pid-desc; else fail tui-sort-pid-desc; tui_dump; fi
# F6 moves on to COMM; AGE is reached with '<' from PID (wraps)
tui_keys F6
check tui-sort-comm tui_wait 'COMM▲'
tui_keys '<' '<'
check tui-sort-age tui_wait 'AGE▼'
first_age=$(tui_screen | sed -n 6p | awk '{print $NF}')
check tui-sort-age-first test "$first_age" = "59.0s"

# selection follows the socket when the order changes
tui_keys Home Down Down
sel=$(tui_screen | sed -n 8p | awk '{print $2}')
tui_keys '>' # wraps to PID
tui_wait 'PID▲' >/dev/null
tui_keys Enter
if tui_wait 'Socket 0x' && tui_screen | grep -q "comm $sel"; then
	pass tui-sort-selection-kept
else
	fail tui-sort-selection-kept "selected $sel"
fi
tui_keys Escape
# closed sockets linger dimmed, then leave; c keeps the finished ones
closed() { tui_screen | grep -c ' CLOSE  '; }
tui_keys Home
before=$(closed)
tui_keys c
tui_wait 'finished sockets kept visible' >/dev/null
after=$(closed)
if [ "$before" -eq 4 ] && [ "$after" -gt "$before" ]; then pass tui-rows-history; else fail tui-rows-history "$before -> $after"; fi
tui_keys c
tui_wait 'hidden after a few seconds' >/dev/null
check tui-rows-history-off test "$(closed)" -eq "$before"
tui_keys q
check tui-rows-quit tui_wait '^\[exit 0\]'
tui_done
