#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Live, in tmux: sockets of other network namespaces stay. Two private
# namespaces hold the same 127.0.0.1:PORT listener with connections; the
# UI, capturing only them (--netns) and resyncing every second, keeps
# every row for 70 s with repaired 0; connections closed inside one
# namespace then leave, still with nothing repaired; the exit summary
# counts the passes. Ports 42610-42619.
. "$(dirname "$0")/../tui/lib.sh"
ROOT=$TUI_ROOT
NAMES="netns_ui_rows netns_ui_resync_keeps netns_ui_close_inside netns_ui_passes"
tui_need_live $NAMES
if ! command -v ip >/dev/null || ! ip netns list >/dev/null 2>&1; then
	for t in $NAMES; do skip "$t" "needs ip netns (iproute2)"; done
	exit 0
fi
DO="python3 $ROOT/tests/live/netns_do.py"
TMPD=$(mktemp -d /tmp/socktop-netns-ui.XXXXXX)
NSA=socktop-ua-$$ NSB=socktop-ub-$$
HELPERS=()
finish() {
	for p in "${HELPERS[@]}"; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	tui_cleanup
	ip netns del "$NSA" 2>/dev/null
	ip netns del "$NSB" 2>/dev/null
	rm -rf "$TMPD"
}
trap finish EXIT INT TERM
for ns in "$NSA" "$NSB"; do
	ip netns add "$ns" && ip -n "$ns" link set lo up || {
		for t in $NAMES; do skip "$t" "cannot make a network namespace"; done
		exit 0
	}
done
PORT=42613
for n in a b; do
	ns=$NSA
	[ $n = b ] && ns=$NSB
	ip netns exec "$ns" $DO hold "$PORT" 6 >"$TMPD/$n" 2>&1 &
	HELPERS+=($!)
done
for i in $(seq 1 200); do
	grep -qs '^ready' "$TMPD/a" && grep -qs '^ready' "$TMPD/b" && break
	sleep 0.05
done
HA=$(awk '/^ready/ {print $2}' "$TMPD/a")
[ -n "$HA" ] || { for t in $NAMES; do fail "$t" "holders did not start"; done; exit 0; }

# each namespace: the listener and 6 connections, both ends: 13 rows
tui_start netns_ui 200 50 -- --netns "$NSA,$NSB" --resync 1 --disable binds
tui_wait 'Connections' 15 || { fail netns_ui_rows "UI did not start"; exit 0; }
tui_keys /
tui_type "port $PORT"
tui_keys Enter
# rows on PORT, and whether the header shows a repair (it shows none at 0)
rows() { tui_screen | grep -c "127\.0\.0\.1:$PORT "; }
unrepaired() { ! tui_screen | grep -Eq 'repaired [1-9]'; }
for i in $(seq 1 100); do [ "$(rows)" = 26 ] && break; sleep 0.1; done
check netns_ui_rows [ "$(rows)" = 26 ]

# 70 s of passes every second: every row stays, nothing is repaired
ok=1
for i in $(seq 1 14); do
	sleep 5
	if [ "$(rows)" != 26 ] || ! unrepaired; then
		ok=0
		echo "after $((i * 5)) s:" >&2
		tui_dump
		break
	fi
done
check netns_ui_resync_keeps [ $ok = 1 ]

# half of A's connections close: 6 rows of ESTABLISHED sockets leave
# (TIME_WAIT ones come back from the next pass: only iterators see them)
kill -USR1 "$HA"
estab() { tui_screen | grep -Ec "127\.0\.0\.1:$PORT( .*)? ESTABLISHED "; }
for i in $(seq 1 200); do [ "$(estab)" = 18 ] && break; sleep 0.1; done
n=$(estab)
check netns_ui_close_inside eval '[ "$n" = 18 ] && unrepaired'
tui_keys L
sleep 0.3
echo "messages page:" >&2
tui_screen | grep -v '^ *$' >&2
tui_keys Escape

tui_keys q
if tui_wait 'resync: [0-9]+ passes' 10; then
	line=$(tui_screen | grep -Eo 'resync: [0-9]+ passes \([0-9]+ failed\), [0-9]+ repaired')
	passes=$(awk '{print $2}' <<<"$line")
	check netns_ui_passes bash -c "[ ${passes:-0} -ge 30 ] && grep -q ' 0 repaired' <<<'$line'"
else
	fail netns_ui_passes "no resync line in the exit summary"
fi
tui_done
