#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Live: every network namespace at once. Two private namespaces and the
# host hold the same 127.0.0.1:PORT listener with connections; a third
# holds TIME_WAIT sockets and is deleted while socktop runs. The snapshot
# lists each set with its namespace and owners exactly as ss -tanp run
# inside that namespace; --netns keeps one namespace in the kernel;
# connections closed inside a namespace leave, a deleted namespace leaves
# no ghosts. Ports 42600-42609.
. "$(dirname "$0")/lib.sh"
NAMES="netns-snapshot-host netns-snapshot-a netns-snapshot-b netns-snapshot-text
netns-filter-one netns-filter-bad netns-duration-close-inside netns-duration-other-kept
netns-deleted-no-ghosts netns-stream-json netns-helper-caps netns-helper-gone netns-fallback-a
netns-fallback-b netns-helper-killed"
need_live $NAMES
if ! command -v ip >/dev/null || ! ip netns list >/dev/null 2>&1; then
	for t in $NAMES; do skip "$t" "needs ip netns (iproute2)"; done
	exit 0
fi
cd "$TMP"
DO="python3 $ROOT/tests/live/netns_do.py"
CHECK="python3 $ROOT/tests/live/netns_check.py"
NSA=socktop-a-$$ NSB=socktop-b-$$ NSC=socktop-c-$$

netns_cleanup() {
	for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	for ns in "$NSA" "$NSB" "$NSC"; do ip netns del "$ns" 2>/dev/null; done
	rm -rf "$TMP"
}
trap netns_cleanup EXIT

for ns in "$NSA" "$NSB" "$NSC"; do
	ip netns add "$ns" && ip -n "$ns" link set lo up || {
		for t in $NAMES; do skip "$t" "cannot make a network namespace"; done
		exit 0
	}
done
ino() { stat -L -c %i "$1"; }
IA=$(ino /run/netns/$NSA) IB=$(ino /run/netns/$NSB) IC=$(ino /run/netns/$NSC)
IH=$(ino /proc/self/ns/net)

PORT=$(python3 - <<'PY'
import socket
for p in range(42600, 42610):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        continue
    print(p)
    break
PY
)

# hold NAME [ip netns exec NS]: a holder; its pid in HP_NAME
hold() {
	local name=$1 i; shift
	"$@" $DO hold "$PORT" 6 >"$name.out" 2>"$name.err" &
	PIDS+=($!)
	for i in $(seq 1 200); do grep -qs '^ready' "$name.out" && break; sleep 0.05; done
	eval "HP_$name=$(awk '/^ready/ {print $2}' "$name.out")"
}
hold host
hold a ip netns exec "$NSA"
hold b ip netns exec "$NSB"
hold c ip netns exec "$NSC"
if [ -z "$HP_host" ] || [ -z "$HP_a" ] || [ -z "$HP_b" ] || [ -z "$HP_c" ]; then
	for t in $NAMES; do fail "$t" "holders did not start"; done
	exit 0
fi
kill -USR1 "$HP_c" # TIME_WAIT sockets in C: only iterators see them, no event ends them
for i in $(seq 1 100); do grep -qs '^closed' c.out && break; sleep 0.05; done

# 1. one snapshot, every namespace, each equal to ss inside it
"$SOCKTOP" --snapshot --json >snap.json 2>snap.err
ss -tanp >ss.host
ip netns exec "$NSA" ss -tanp >ss.a
ip netns exec "$NSB" ss -tanp >ss.b
check netns-snapshot-host $CHECK ss snap.json ss.host "$PORT" "$IH"
check netns-snapshot-a $CHECK ss snap.json ss.a "$PORT" "$IA" "$NSA"
check netns-snapshot-b $CHECK ss snap.json ss.b "$PORT" "$IB" "$NSB"
"$SOCKTOP" --snapshot >snap.txt 2>snap.txt.err
check netns-snapshot-text $CHECK text snap.txt "$PORT" "$NSA" "$NSB" "$IH"

# the fallback without iterators (sock_diag asked inside each namespace)
"$SOCKTOP" --snapshot --json --disable iters >fb.json 2>fb.err
check netns-fallback-a $CHECK ss fb.json ss.a "$PORT" "$IA" "$NSA"
check netns-fallback-b $CHECK ss fb.json ss.b "$PORT" "$IB" "$NSB"

# 2. --netns in the kernel: one namespace, by name; a bad one is a usage error
"$SOCKTOP" --snapshot --json --netns "$NSA" >one.json 2>one.err
check netns-filter-one bash -c "$CHECK ss one.json ss.a $PORT $IA $NSA &&
	python3 -c 'import json,sys; sys.exit(any(json.loads(l)[\"netns\"] != $IA for l in open(\"one.json\")))'"
"$SOCKTOP" --snapshot --netns "no-such-ns-$$" >bad.out 2>bad.err
rc=$?
check netns-filter-bad bash -c "[ $rc = 2 ] && grep -q 'no-such-ns-$$' bad.err"

# 3. while socktop runs: half of A's connections close (events), C is
# deleted with its TIME_WAIT sockets (no event: only a pass can tell)
"$SOCKTOP" --snapshot --duration 5 --json >dur.json 2>dur.err &
SPID=$!
PIDS+=("$SPID")
for i in $(seq 1 200); do # the start-up pass is taken before the drop
	[ "$(awk '/^CapEff/ {print $2}' /proc/$SPID/status 2>/dev/null)" = 0000000000000000 ] && break
	sleep 0.05
done
# the helper that walks the namespaces after the drop: socktop's one
# child, with the four capabilities a walk needs and nothing else
HELPER=$(ps -o pid= --ppid "$SPID" | head -n 1 | tr -d ' ')
st() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$HELPER/status" 2>/dev/null; }
check netns-helper-caps bash -c "[ -n '$HELPER' ] && [ '$(st CapEff)' = 0000008000280004 ] &&
	[ '$(st CapPrm)' = 0000008000280004 ] && [ '$(st CapBnd)' = 0000008000280004 ] &&
	[ '$(st NoNewPrivs)' = 1 ] && [ '$(st CapAmb)' = 0000000000000000 ]"
kill -USR1 "$HP_a"
kill -TERM "$HP_c"
ip netns del "$NSC"
wait "$SPID"
rc=$?
gone=1
for i in $(seq 1 40); do [ -e "/proc/$HELPER" ] || { gone=0; break; }; sleep 0.05; done
check netns-helper-gone bash -c "[ -n '$HELPER' ] && [ $gone = 0 ]"
ip netns exec "$NSA" ss -tanp >ss2.a
ip netns exec "$NSB" ss -tanp >ss2.b
check netns-duration-close-inside bash -c "[ $rc = 0 ] && grep -q '^closed' a.out &&
	$CHECK ss dur.json ss2.a $PORT $IA $NSA"
check netns-duration-other-kept $CHECK ss dur.json ss2.b "$PORT" "$IB" "$NSB"
check netns-deleted-no-ghosts $CHECK none dur.json "$IC" "$PORT"

# the helper killed: socktop walks what it can itself (its own namespace)
# and closes nothing of the namespaces it cannot enter
"$SOCKTOP" --snapshot --duration 3 --json >kill.json 2>kill.err &
SPID=$!
PIDS+=("$SPID")
for i in $(seq 1 200); do
	[ "$(awk '/^CapEff/ {print $2}' /proc/$SPID/status 2>/dev/null)" = 0000000000000000 ] && break
	sleep 0.05
done
HELPER=$(ps -o pid= --ppid "$SPID" | head -n 1 | tr -d ' ')
[ -n "$HELPER" ] && kill -9 "$HELPER"
wait "$SPID"
rc=$?
ip netns exec "$NSB" ss -tanp >ss3.b
check netns-helper-killed bash -c "[ -n '$HELPER' ] && [ $rc = 0 ] && $CHECK ss kill.json ss3.b $PORT $IB $NSB"

# 4. the streams' JSON names the namespace of every event
"$SOCKTOP" --stream --json -L "$PORT" --netns "$NSB" --duration 3 >st.json 2>st.err &
SPID=$!
PIDS+=("$SPID")
for i in $(seq 1 200); do grep -qs '^socktop: tracing' st.err && break; sleep 0.05; done
kill -USR1 "$HP_b"
wait "$SPID"
check netns-stream-json python3 -c "
import json, sys
ev = [json.loads(l) for l in open('st.json')]
sys.exit(not ev or any(e['netns'] != $IB for e in ev) or
         not any(e['newstate'] == 'CLOSE' for e in ev))"
