#!/usr/bin/env bash
# Overload (root, live BPF): events dropped by a full ring buffer are
# counted in the kernel and shown; received + lost equals what the kernel
# emitted, checked against an independent count (the churn tool's
# connections x 5 server-side transitions + 2 per listener, capture
# filtered to this test's ports); after socktop was stopped (SIGSTOP)
# under churn, the lost count shows in the header within a frame and a
# resync repairs the table until it agrees with ss again.
# Ports 22000-22099 (stream test 22000-22063, UI test 22064-22099).
. "$(dirname "$0")/lib.sh"
NAMES="overload-tiny-ring-lost overload-tiny-ring-exact overload-before-stop
	overload-sigstop-header overload-lost-highlighted overload-resync-shown overload-resync-agrees overload-resync-owners
	overload-sigstop-exact overload-summary-repaired overload-summary-bounds
	overload-resync-replayed"
# shellcheck disable=SC2086
need_live $NAMES
CHURN=$ROOT/build/tools/churn
HOLD=$ROOT/tests/live/overload_hold.py
if [ ! -x "$CHURN" ]; then
	for t in $NAMES; do skip "$t" "no build/tools/churn (make)"; done
	exit 0
fi
ports() { seq -s, "$1" "$2"; }

# "received lost emitted" from an exit summary
summary_counts() {
	sed -n 's/.*socktop: \([0-9]*\) events received + \([0-9]*\) lost (kernel drops) = \([0-9]*\) emitted.*/\1 \2 \3/p' "$1" | tail -n 1
}

# 1. A 4 KiB ring (32 records) under churn: events are lost, and
# received + lost is exactly what the workload made on these ports.
L1=$(ports 22000 22063)
socktop_bg "$TMP/tiny.out" --stream -L "$L1" --ringbuf-kb 4 --disable binds,connects,iters
"$CHURN" 2 22000 1 64 >"$TMP/churn1" || echo "churn failed" >&2
stop_socktop
read -r conns _ <<<"$(sed -n 's/^connections \([0-9]*\) .*listeners \([0-9]*\)$/\1 \2/p' "$TMP/churn1")"
read -r got lost emitted <<<"$(summary_counts "$TMP/tiny.out.err")"
expect=$(( ${conns:-0} * 5 + 64 * 2 ))
echo "tiny ring: connections $conns, expected $expect, received $got + lost $lost = emitted $emitted" >&2
check overload-tiny-ring-lost [ "${lost:-0}" -gt 0 ]
# every received event is a line (plus the header)
if [ "${conns:-0}" -gt 0 ] && [ "$((got + lost))" = "$expect" ] && [ "$emitted" = "$expect" ] &&
	[ "$(wc -l <"$TMP/tiny.out")" = "$((got + 1))" ]; then
	pass overload-tiny-ring-exact
else
	fail overload-tiny-ring-exact
fi

if ! command -v tmux >/dev/null; then
	for t in $NAMES; do case $t in overload-tiny-*) ;; *) skip "$t" "tmux not installed" ;; esac; done
	exit 0
fi

# 2. The UI, stopped under churn. Churn listens on 22064-22095, the holder
# on 22096 (before the stop) and 22097 (during it).
. "$ROOT/tests/tui/lib.sh"
trap 'tui_cleanup; cleanup' EXIT
L2=$(ports 22064 22097)
N=10
# the exact count below is of state changes: the features that send other
# records under this churn (traffic's retransmits and resets, synack's
# SYN-ACK retransmits when the listener's queue is full) are off
tui_start overload 160 40 -- -L "$L2" --ringbuf-kb 64 --disable binds,connects,traffic,synack \
	--record "$TMP/ui.rec"
if ! tui_wait ' live(, recording)? *$' 10; then
	fail overload-sigstop-header "socktop did not start"; exit 1
fi
# the program in the pane (tmux runs sh -c "env ... socktop ...")
shpid=$(tmux -L "$TUI_SOCK" list-panes -F '#{pane_pid}')
spid=""
for _ in $(seq 1 100); do
	spid=$(pgrep -P "$shpid" | head -n 1) && [ -n "$spid" ] && break
	sleep 0.05
done
if [ -z "$spid" ]; then fail overload-sigstop-header "no socktop process in the pane"; exit 1; fi
# one ring a CPU: the holder and the churn share CPU 0, so the churn
# fills the ring the holder's new sockets would go to
taskset -c 0 python3 "$HOLD" 22096 22097 $N >"$TMP/hold" &
hpid=$!
PIDS+=("$hpid")
# held_ready WORD: the holder said WORD (bounded: 30 s on a loaded host)
held_ready() {
	for _ in $(seq 1 600); do
		grep -qs "$1" "$TMP/hold" && return 0
		kill -0 "$hpid" 2>/dev/null || break
		sleep 0.05
	done
	echo "holder not $1" >&2
	return 1
}
if ! held_ready ready1; then fail overload-before-stop "holder did not start"; exit 1; fi
check overload-before-stop tui_wait "ESTABLISHED $N " 10
kill -STOP "$spid"
taskset -c 0 "$CHURN" 2 22064 1 32 >"$TMP/churn2" || echo "churn failed" >&2
kill -USR1 "$hpid"
held_ready ready2 || fail overload-holder-step "no ready2"

kill -CONT "$spid"
# the drops show within a frame (the header polls the kernel's counters
# every 100 ms); the resync follows them
check overload-sigstop-header tui_wait 'lost [1-9][0-9]*' 2
# highlighted: the count in the theme's warn colour (yellow)
lost_warn() { tui_colours | sed -n 3p | grep -qE $'lost (\e\\[[0-9;]*m)*\e\\[33m[1-9][0-9]*'; }
check overload-lost-highlighted lost_warn
check overload-resync-shown tui_wait 'repaired [1-9][0-9]*' 10

# the header's counts by state against ss for the same ports (TIME_WAIT
# aside: its end has no event, the table follows it at each resync)
header_states() {
	tui_screen | sed -n 2p | grep -oE '(ESTABLISHED|LISTEN|SYN_SENT|SYN_RECV|FIN_WAIT1|FIN_WAIT2|CLOSE_WAIT|LAST_ACK|CLOSING) [0-9]+' |
		sort | tr '\n' ' '
}
ss_states() {
	ss -Htan '( sport >= :22064 and sport <= :22097 )' | awk '
		{ m["ESTAB"]="ESTABLISHED"; m["LISTEN"]="LISTEN"; m["SYN-SENT"]="SYN_SENT";
		  m["SYN-RECV"]="SYN_RECV"; m["FIN-WAIT-1"]="FIN_WAIT1"; m["FIN-WAIT-2"]="FIN_WAIT2";
		  m["CLOSE-WAIT"]="CLOSE_WAIT"; m["LAST-ACK"]="LAST_ACK";
		  m["CLOSING"]="CLOSING"; if ($1 in m) n[m[$1]]++ }
		END { for (s in m) print m[s], n[m[s]] + 0 }' | sort | tr '\n' ' '
}
ok=0
for _ in $(seq 1 100); do
	h=$(header_states) s=$(ss_states)
	[ -n "$h" ] && [ "$h" = "$s" ] && { ok=1; break; }
	sleep 0.1
done
echo "header: $h" >&2
echo "ss:     $s" >&2
if [ $ok = 1 ]; then pass overload-resync-agrees; else fail overload-resync-agrees; tui_dump; fi
# the sockets born while socktop was stopped were found with their holder
tui_screen >"$TMP/rows"
found=$(grep -cE "^ *$hpid +python3 .*127\.0\.0\.1:22097 .*ESTABLISHED +≥" "$TMP/rows")
if [ "$found" = "$N" ]; then
	pass overload-resync-owners
else
	fail overload-resync-owners "$found of $N rows on :22097 with the holder $hpid"
	cat "$TMP/rows" >&2
fi

tui_keys q
tui_wait '^\[exit 0\]' 10 || fail overload-quit
tui_screen >"$TMP/ui.err"
kill "$hpid" 2>/dev/null
read -r conns _ <<<"$(sed -n 's/^connections \([0-9]*\) .*listeners \([0-9]*\)$/\1 \2/p' "$TMP/churn2")"
read -r got lost emitted <<<"$(summary_counts "$TMP/ui.err")"
# churn: 5 a connection + 2 a listener; holder: 1 + 2N, then N/2 + 1 + 2N
expect=$(( ${conns:-0} * 5 + 32 * 2 + 1 + 2 * N + N / 2 + 1 + 2 * N ))
echo "stopped UI: connections $conns, expected $expect, received $got + lost $lost = emitted $emitted" >&2
if [ "${lost:-0}" -gt 0 ] && [ "$((got + lost))" = "$expect" ] && [ "$emitted" = "$expect" ]; then
	pass overload-sigstop-exact
else
	fail overload-sigstop-exact
fi
check overload-summary-repaired grep -Eq 'resync: [0-9]+ passes \(0 failed\), [1-9][0-9]* repaired' "$TMP/ui.err"
# every bound and what it dropped, in the exit summary
# the recording carries the resync: a replay repairs the same way
"$SOCKTOP" --replay "$TMP/ui.rec" --stream >/dev/null 2>"$TMP/replay.err"
rep() { grep -o 'resync: [0-9]* passes.*TIME_WAIT found' "$1"; }
same_resync() { [ -n "$(rep "$TMP/ui.err")" ] && [ "$(rep "$TMP/ui.err")" = "$(rep "$TMP/replay.err")" ]; }
if same_resync; then
	pass overload-resync-replayed
else
	fail overload-resync-replayed
	echo "live:   $(rep "$TMP/ui.err")" >&2
	echo "replay: $(rep "$TMP/replay.err")" >&2
fi
check overload-summary-bounds grep -Eq '^socktop: bounds: sockets [0-9]+ of [0-9]+ \([0-9]+ evicted' "$TMP/ui.err"
grep -E '^socktop: (resync|bounds|[0-9]+ events)' "$TMP/ui.err" >&2
tui_done
