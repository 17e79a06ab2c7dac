#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Live: a connect() in flight sits in its thread's slot of an array
# (tid % 16384, bpf/common.bpf.h), not a hash. Two threads of one slot
# inside connect() at once (tests/live/slots_do.py): the later takes the
# slot and that is counted ("kernel tables full" in the exit summary),
# never silent; both attempts still end in the connects stream, with
# their local ports, as the attempts are kept by socket. Port 25230.
. "$(dirname "$0")/lib.sh"
NAMES="slots_collision_found slots_both_reported slots_collision_counted"
need_live $NAMES
PORT=25230
if ! socktop_bg "$TMP/conn.out" --stream connects --lport; then
	for t in $NAMES; do fail "$t" "socktop did not start"; done
	exit 0
fi
python3 "$ROOT/tests/live/slots_do.py" $PORT >"$TMP/do.out" 2>&1
stop_socktop
read -r what _ _ LA LB _ <"$TMP/do.out"
if [ "$what" != tids ]; then
	# ids are the host's: a busy host may never hand out the one wanted
	for t in $NAMES; do skip "$t" "no thread id in the slot came: $(head -c 200 "$TMP/do.out")"; done
	exit 0
fi
pass slots_collision_found
# each attempt's line: its local port, the listener's port, ABORTED
both=0
for lp in $LA $LB; do
	grep -Eq "[[:space:]]$lp[[:space:]]+127\.0\.0\.1[[:space:]]+$PORT[[:space:]].*ABORTED" "$TMP/conn.out" && both=$((both + 1))
done
if [ $both = 2 ]; then pass slots_both_reported; else
	fail slots_both_reported "$both of 2 attempts ($LA $LB) in: $(grep " $PORT " "$TMP/conn.out" | tr '\n' '|')"
fi
n=$(grep -o 'kernel tables full [0-9]* times' "$TMP/conn.out.err" | grep -o '[0-9]*')
if [ "${n:-0}" -ge 1 ]; then pass slots_collision_counted; else
	fail slots_collision_counted "kernel tables full ${n:-?} times: $(tail -n 2 "$TMP/conn.out.err")"
fi
