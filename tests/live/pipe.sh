#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Live: a stream whose reader goes away ends promptly and quietly: exit
# status 0, no error on stderr (the usual summary line only), for each
# stream kind and format.
# 1. `socktop --stream ... | head -n 5` with loopback traffic made here
#    until head has its lines, then none.
# 2. A reader that exits, once socktop is attached, before any event: no
#    write ever fails, so socktop must see the closed pipe itself.
# A run that has not ended 10 s after its reader did is a FAIL (the wait
# is a bound, not a measurement). A full disk (/dev/full) is an error:
# one line, exit 1. Ports 23100-23199.
. "$(dirname "$0")/lib.sh"
cases="head-states head-states-csv head-states-json head-binds head-binds-json head-connects
	head-connects-json idle-states idle-states-json idle-binds-json idle-connects-json"
names=()
for c in $cases; do names+=("pipe-$c"); done
cd "$TMP"

# Without root, from a recording: a reader that leaves is no error; a
# full disk is, said once, exit 1.
if [ -x "$SOCKTOP" ] && "$ROOT/build/tools/mkfixture" basic fix.rec 2>/dev/null; then
	"$SOCKTOP" --replay fix.rec --stream 2>rhead.err | head -n 1 >/dev/null
	rc=${PIPESTATUS[0]}
	check pipe-replay-head eval '[ $rc = 0 ] && ! grep -iEq "error|broken|pipe|writ" rhead.err'
	"$SOCKTOP" --replay fix.rec --stream --json >/dev/full 2>rfull.err
	rc=$?
	check pipe-replay-full eval '[ $rc = 1 ] &&
		[ "$(grep -c "^socktop: writing the output: No space left on device$" rfull.err)" = 1 ]'
else
	skip pipe-replay-head "no socktop or mkfixture (make)"
	skip pipe-replay-full "no socktop or mkfixture (make)"
fi

need_live "${names[@]}" pipe-snapshot-head pipe-snapshot-full pipe-stream-full
CONN="python3 $ROOT/tests/live/conn.py"

# gone PID SECS: until the process has ended
gone() {
	local i
	for ((i = 0; i < $2 * 20; i++)); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.05
	done
	return 1
}

# verdict NAME PID: socktop (PID) must end within 10 s of its reader,
# with status 0 and nothing but its usual lines on stderr
verdict() {
	local name=$1 pid=$2 rc extra
	if ! gone "$pid" 10; then
		fail "pipe-$name" "still running 10 s after its reader exited"
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		return
	fi
	wait "$pid"
	rc=$?
	# its usual lines ("tracing ...", the summary) and no complaint
	extra=$(grep -v '^socktop: ' "$name.err"; grep -iE 'error|broken|pipe|write|cannot|fail' "$name.err")
	if [ "$rc" -ne 0 ]; then
		fail "pipe-$name" "exit $rc: $(head -c 300 "$name.err")"
	elif [ -n "$extra" ]; then
		fail "pipe-$name" "stderr: $(head -c 300 <<<"$extra")"
	else
		pass "pipe-$name"
	fi
}

# traffic PORT: one loopback connection to PORT (a listener bound there,
# a connect, an accept, both closed): state, bind and connect events
traffic() { $CONN --port "$1" --count 1 >/dev/null 2>&1; }

# head_case NAME PORT ARGS...: socktop ARGS | head -n 5, traffic to PORT
# until head is done (at most 100 connections), then silence
head_case() {
	local name=$1 port=$2 spid hpid i
	shift 2
	rm -f "$name.fifo" && mkfifo "$name.fifo" && : >"$name.err"
	"$SOCKTOP" "$@" >"$name.fifo" 2>"$name.err" &
	spid=$!
	PIDS+=("$spid")
	head -n 5 <"$name.fifo" >"$name.out" &
	hpid=$!
	for i in $(seq 1 200); do
		grep -q '^socktop: tracing' "$name.err" 2>/dev/null && break
		kill -0 "$spid" 2>/dev/null || break
		sleep 0.05
	done
	for i in $(seq 1 100); do
		kill -0 "$hpid" 2>/dev/null || break
		traffic "$port"
	done
	if ! gone "$hpid" 10; then
		fail "pipe-$name" "head never got 5 lines: $(head -c 300 "$name.err")"
		kill -KILL "$spid" "$hpid" 2>/dev/null
		wait "$spid" "$hpid" 2>/dev/null
		return
	fi
	if [ "$(wc -l <"$name.out")" -ne 5 ]; then
		fail "pipe-$name" "head got $(wc -l <"$name.out") lines"
	fi
	verdict "$name" "$spid"
}

# idle_case NAME ARGS...: the reader exits once socktop is attached,
# having read nothing; no event comes (ARGS filter on a port nobody uses)
idle_case() {
	local name=$1 spid rpid
	shift
	rm -f "$name.fifo" && mkfifo "$name.fifo" && : >"$name.err"
	"$SOCKTOP" "$@" >"$name.fifo" 2>"$name.err" &
	spid=$!
	PIDS+=("$spid")
	# holds the read end open until socktop is attached, then closes it
	sh -c 'for i in $(seq 1 200); do grep -q "^socktop: tracing" "$1" && exit 0; sleep 0.05; done; exit 1' \
		sh "$name.err" <"$name.fifo" &
	rpid=$!
	if ! wait "$rpid"; then
		fail "pipe-$name" "socktop did not attach: $(head -c 300 "$name.err")"
		kill -KILL "$spid" 2>/dev/null
		wait "$spid" 2>/dev/null
		return
	fi
	verdict "$name" "$spid"
}

# -L: states of the server side; -P: the port bound, or connected to
head_case head-states 23101 --stream -L 23101
head_case head-states-csv 23102 --stream -s -L 23102
head_case head-states-json 23103 --stream --json -L 23103
head_case head-binds 23104 --stream=binds -P 23104
head_case head-binds-json 23105 --stream=binds --json -P 23105
head_case head-connects 23106 --stream=connects -P 23106
head_case head-connects-json 23107 --stream=connects --json -P 23107
idle_case idle-states --stream -L 23111
idle_case idle-states-json --stream --json -L 23112
idle_case idle-binds-json --stream=binds --json -P 23113
idle_case idle-connects-json --stream=connects --json -P 23114

# --snapshot prints everything at once: | head is fine, a full disk is not
"$SOCKTOP" --snapshot 2>shead.err | head -n 1 >/dev/null
rc=${PIPESTATUS[0]}
check pipe-snapshot-head eval '[ $rc = 0 ] && [ ! -s shead.err ]'
"$SOCKTOP" --snapshot >/dev/full 2>sfull.err
rc=$?
check pipe-snapshot-full eval '[ $rc = 1 ] && grep -qx "socktop: writing the snapshot: No space left on device" sfull.err'
# a live stream to a full disk stops at its first flush (the header)
timeout 10 "$SOCKTOP" --stream -L 23121 >/dev/full 2>lfull.err
rc=$?
check pipe-stream-full eval '[ $rc = 1 ] &&
	[ "$(grep -c "^socktop: writing the output: No space left on device$" lfull.err)" = 1 ]'
