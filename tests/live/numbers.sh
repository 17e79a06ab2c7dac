#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Live: the numbers are right. In a network namespace of its own (so the
# host's TIME_WAIT table, full under other tests' churn, cannot drop ours,
# and ss lists only ours): a helper holds 3000 established loopback pairs
# plus listeners, half-closed pairs (FIN_WAIT2 / CLOSE_WAIT), orphan
# FIN_WAIT2 and TIME_WAIT; socktop --snapshot --json (iterators, then the
# sock_diag fallback) and ss -tanp agree on every socket's addresses,
# ports and state, and on every holder (pid, comm, fd) but for TIME_WAIT
# and orphans, which are counted. Then churn: the states streams count
# exactly connections x each transition of a normal close, none lost.
# Ports 25000-25199.
. "$(dirname "$0")/lib.sh"
NAMES="numbers_snapshot_sockets numbers_snapshot_owners numbers_fallback_sockets numbers_fallback_owners numbers_churn_transitions numbers_churn_nothing_lost"
need_live $NAMES
cd "$TMP"
CHECK="python3 $ROOT/tests/live/numbers_check.py"
PAIRS=${NUMBERS_PAIRS:-3000}
NS=socktop-numbers-$$
if ! ip netns add "$NS" 2>ns.err; then
	for t in $NAMES; do skip "$t" "no network namespace: $(head -c 200 ns.err)"; done
	exit 0
fi
in_ns() { ip netns exec "$NS" "$@"; }
HOLD=""
finish() {
	[ -n "$HOLD" ] && kill -9 "$HOLD" 2>/dev/null
	cleanup
	ip netns del "$NS" 2>/dev/null
}
trap finish EXIT
in_ns ip link set lo up

in_ns python3 "$ROOT/tests/live/numbers_hold.py" 25000 "$PAIRS" >hold.out 2>&1 &
HOLD=$!
for i in $(seq 1 600); do grep -q '^ready' hold.out && break; sleep 0.05; done
if ! grep -q '^ready' hold.out; then
	for t in $NAMES; do fail "$t" "holder did not start: $(head -c 300 hold.out)"; done
	exit 0
fi
HPID=$(awk '/^ready/ {print $2}' hold.out)
MIN=$((2 * PAIRS + 11))

t0=$(date +%s%N)
in_ns "$SOCKTOP" --snapshot --json >snap.json 2>snap.err
t1=$(date +%s%N)
in_ns ss -tanp >ss.txt
echo "# figure: socktop --snapshot --json (iterators) took $(((t1 - t0) / 1000000)) ms"
$CHECK sockets snap.json ss.txt 25000 25099 $MIN >figs 2>diff && pass numbers_snapshot_sockets ||
	{ fail numbers_snapshot_sockets; cat diff >&2; }
sed 's/^/# figure: /' figs
$CHECK owners snap.json ss.txt 25000 25099 "$HPID" >figs 2>diff && pass numbers_snapshot_owners ||
	{ fail numbers_snapshot_owners; cat diff >&2; }
sed 's/^/# figure: /' figs

t0=$(date +%s%N)
in_ns "$SOCKTOP" --snapshot --json --disable iters >fb.json 2>fb.err
t1=$(date +%s%N)
in_ns ss -tanp >ss2.txt
echo "# figure: socktop --snapshot --json --disable iters (sock_diag) took $(((t1 - t0) / 1000000)) ms"
$CHECK sockets fb.json ss2.txt 25000 25099 $MIN >figs 2>diff && pass numbers_fallback_sockets ||
	{ fail numbers_fallback_sockets; cat diff >&2; }
$CHECK owners fb.json ss2.txt 25000 25099 "$HPID" >figs 2>diff && pass numbers_fallback_owners ||
	{ fail numbers_fallback_owners; cat diff >&2; }
kill -9 "$HOLD" 2>/dev/null
wait "$HOLD" 2>/dev/null
HOLD=""

# churn on 64 listening ports: -L sees the listeners and the accepted
# sockets, -D the connecting ones (filters apply in the kernel)
PORTS=$(seq -s, 25100 25163)
socktop_bg L.json --stream --json -L "$PORTS" || { fail numbers_churn_transitions "socktop -L did not start"; exit 0; }
LPID=$SPID
socktop_bg D.json --stream --json -D "$PORTS" || { fail numbers_churn_transitions "socktop -D did not start"; exit 0; }
DPID=$SPID
in_ns "$ROOT/build/tools/churn" "${NUMBERS_CHURN_S:-1}" 25100 1 >churn.out 2>churn.err
echo "# figure: churn: $(cat churn.out)"
sleep 0.3
SPID=$LPID; stop_socktop
SPID=$DPID; stop_socktop
CONNS=$(awk '/^connections/ {print $2}' churn.out)
if [ -z "$CONNS" ] || [ "$CONNS" -lt 1 ]; then
	fail numbers_churn_transitions "churn made no connection: $(cat churn.out churn.err)"
else
	$CHECK transitions L.json D.json "$CONNS" 64 >figs 2>diff && pass numbers_churn_transitions ||
		{ fail numbers_churn_transitions "$(cat diff)"; }
	sed 's/^/# figure: /' figs
fi
# received + lost is what the kernel emitted: lost must be 0 here, and
# if it is not, say so (the counts above cannot be exact then)
lost=$(sed -n 's/.*[^0-9]\([0-9][0-9]*\) lost (kernel drops).*/\1/p' L.json.err D.json.err | awk "{s += \$1} END {if (NR) print s}")
grep -h "lost (kernel drops)" L.json.err D.json.err | sed 's/^/# figure: /'
if [ -n "$lost" ] && [ "$lost" = 0 ]; then
	pass numbers_churn_nothing_lost
else
	fail numbers_churn_nothing_lost "LOST EVENTS: ${lost:-no summary} (see the summaries above)"
fi
