#!/usr/bin/env bash
# Columns: widths fit the content (addresses as wide as the widest on the
# page, not a share of 200 cells; AGE never cut), a sort arrow on every
# sortable column; F2 chooses the columns and their order per pane, the
# choice is written to $XDG_CONFIG_HOME/socktop/columns and read at the
# next start; a bad line in that file is named (file:line), that pane
# keeps its defaults and the UI runs on.
. "$(dirname "$0")/lib.sh"
tui_need tui-columns
conf=$(mktemp -d /tmp/socktop-tui-columns.XXXXXX)
trap 'tui_cleanup; rm -rf "$conf"' EXIT
aged=$(tui_fixture aged) || { fail tui-columns-fixture "mkfixture aged"; exit 1; }

# the title line, and where a title starts in it (0-based), or -1
titles() { tui_screen | sed -n 5p; }
col_at() { titles | awk -v t="$1" '{ i = index($0, t); print i ? i - 1 : -1 }'; }

# ---- widths at 200 columns
tui_start columns 200 50 XDG_CONFIG_HOME="$conf" -- --replay "$TUI_FIX/basic.rec" --no-pace
tui_wait 'replay unpaced \(end\)' >/dev/null || { fail tui-columns-start; exit 1; }
l=$(col_at LOCAL) r=$(col_at REMOTE) s=$(col_at STATE)
# the widest local address on the page is 23 cells ([2001:db8:4a1::5]:55123)
if [ "$l" -ge 0 ] && [ $((r - l)) -le 25 ] && [ $((s - r)) -le 43 ]; then
	pass tui-columns-fit-addresses
else
	fail tui-columns-fit-addresses "LOCAL at $l, REMOTE at $r, STATE at $s: $(titles)"
fi
# every sortable column shows the arrow when sorted by it, IP and IN-STATE too
seen=" "
for i in 1 2 3 4 5 6 7 8; do
	tui_keys '>'
	sleep 0.2
	t=$(tui_screen | grep -o 'sorted by [A-Z-]*,' | tail -n 1 | sed 's/sorted by //; s/,//')
	[ -n "$t" ] && titles | grep -q -- "$t[▲▼]" && seen+="$t "
done
ok=1
for t in PID COMM IP LOCAL REMOTE STATE IN-STATE AGE; do
	case "$seen" in *" $t "*) ;; *) ok=0; echo "no arrow seen on $t (seen:$seen)" >&2 ;; esac
done
[ $ok = 1 ] && pass tui-columns-sort-arrows || fail tui-columns-sort-arrows

# ---- AGE whole at 200 and at 80 columns: "≥17m56s"
tui_start columns-aged 200 30 XDG_CONFIG_HOME="$conf" -- --replay "$aged" --no-pace
tui_wait 'replay unpaced \(end\)' >/dev/null
check tui-columns-age-200 tui_wait '≥17m56s +≥17m56s *$'
tui_resize 80 24
check tui-columns-age-80 tui_wait '≥17m56s *$'

# ---- F2: hide IP, move STATE to the front, in the Connections pane
tui_start columns-f2 120 40 XDG_CONFIG_HOME="$conf" -- --replay "$TUI_FIX/basic.rec" --no-pace
tui_wait 'replay unpaced \(end\)' >/dev/null
tui_keys F2
check tui-columns-f2-page tui_wait 'Columns of the Connections pane'
tui_keys Down Down Space # IP: hidden (goes to the end of the list)
check tui-columns-f2-hidden tui_wait '^ \[ \]  IP '
tui_keys Home Down Down Down Down F7 F7 F7 F7 # STATE: from the 5th place to the 1st
check tui-columns-f2-moved tui_wait '^ \[x\]  STATE .*$'
tui_keys Escape
check tui-columns-f2-saved tui_wait "columns saved to $conf/socktop/columns"
check tui-columns-f2-order tui_wait '^ *STATE[▲▼]? +PID +COMM +LOCAL +REMOTE +IN-STATE +AGE *$'
if grep -q '^conns = state pid comm local remote in-state age ' "$conf/socktop/columns" &&
	! grep '^conns' "$conf/socktop/columns" | grep -qw ip; then
	pass tui-columns-f2-file
else
	fail tui-columns-f2-file "$(cat "$conf/socktop/columns" 2>&1)"
fi
# the next start reads it
tui_start columns-again 120 40 XDG_CONFIG_HOME="$conf" -- --replay "$TUI_FIX/basic.rec" --no-pace
check tui-columns-kept tui_wait '^ *STATE[▲▼]? +PID +COMM +LOCAL +REMOTE +IN-STATE +AGE *$'
# the Processes pane has its own: hide USER there; Connections unchanged
tui_keys Tab Tab F2
tui_wait 'Columns of the Processes pane' >/dev/null
tui_keys Down Space Escape
check tui-columns-procs tui_wait '^ +PID +COMM +LISTEN +SOCKS'
grep -q '^procs = pid comm cgroup listen' "$conf/socktop/columns" && pass tui-columns-procs-file ||
	fail tui-columns-procs-file "$(cat "$conf/socktop/columns")"
# d: the defaults again, back in the Connections pane
for _ in 1 2 3 4 5; do
	tui_keys Tab
	tui_wait '^ *STATE[▲▼]? +PID +COMM' 1 >/dev/null 2>&1 && break
done
tui_keys F2
tui_wait 'Columns of the Connections pane' >/dev/null
tui_keys d Escape
check tui-columns-defaults tui_wait '^ +PID +COMM( +IP)? +LOCAL +REMOTE +STATE[▲▼]? +IN-STATE +AGE *$'

# ---- a bad file: named with its line, defaults for that pane, the UI runs
printf '# mine\nconns = pid bogus\nprocs = comm pid\n' >"$conf/socktop/columns"
tui_start columns-bad 120 40 XDG_CONFIG_HOME="$conf" -- --replay "$TUI_FIX/basic.rec" --no-pace
check tui-columns-bad-named tui_wait "columns: $conf/socktop/columns:2: unknown column 'bogus'"
check tui-columns-bad-defaults tui_wait '^ +PID +COMM( +IP)? +LOCAL +REMOTE +STATE[▲▼]? +IN-STATE +AGE *$'
tui_keys L
check tui-columns-bad-log tui_wait "columns:2: unknown column 'bogus'.*defaults"
tui_keys Escape Tab Tab
check tui-columns-bad-other-pane tui_wait '^ *COMM +PID *$'
tui_keys q
check tui-columns-bad-exit tui_wait '^\[exit 0\]'
tui_done
