#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Live: real loopback connections, IPv4 and IPv6, made here; every
# transition of both ends checked, then each capture filter, then
# record/replay byte for byte. Ports 20000-20999, below the ephemeral range so no client socket holds one.
. "$(dirname "$0")/lib.sh"
need_live states_v4 states_v6 states_server_closes filter_L filter_D filter_4 filter_6 \
	record_replay_identical summary_counts
cd "$TMP"
CONN="python3 $ROOT/tests/live/conn.py"
CHECK="python3 $ROOT/tests/live/check_states.py"

# 1. every transition, both families, both closers
socktop_bg ev.json --stream --json || { fail states_start; exit 0; }
$CONN --family 4 --port 20001 --count 3 --comm stlive4 >c4.json
$CONN --family 6 --port 20002 --count 3 --comm stlive6 >c6.json
$CONN --family 4 --port 20003 --comm stlive4s --closer server >c4s.json
stop_socktop
check states_v4 $CHECK ev.json c4.json
check states_v6 $CHECK ev.json c6.json
check states_server_closes $CHECK ev.json c4s.json
# the summary: events received equals the lines printed, nothing lost
seen=$(sed -n 's/^socktop: \([0-9]*\) events received + \([0-9]*\) lost.*/\1 \2/p' ev.json.err)
check summary_counts [ "$seen" = "$(wc -l <ev.json) 0" ]

# 2. capture filters: only matching events reach user space
only_ports() { # file field allowed...: every event's field in the list, and some event
	python3 - "$@" <<'PY'
import json, sys
f, field, allowed = sys.argv[1], sys.argv[2], set(sys.argv[3:])
ev = [json.loads(l) for l in open(f) if l.strip()]
bad = [e for e in ev if str(e[field]) not in allowed]
sys.exit(0 if ev and not bad else 1)
PY
}
socktop_bg L.json --stream --json -L 20011,20013 || fail filter_L_start
$CONN --port 20011 >/dev/null; $CONN --port 20012 >/dev/null; $CONN --family 6 --port 20013 >/dev/null
stop_socktop
check filter_L only_ports L.json lport 20011 20013

socktop_bg D.json --stream --json -D 20021 || fail filter_D_start
$CONN --port 20021 >/dev/null; $CONN --port 20022 >/dev/null
stop_socktop
check filter_D only_ports D.json rport 20021

socktop_bg 4.json --stream --json -4 -L 20031,20032 || fail filter_4_start
$CONN --family 4 --port 20031 >/dev/null; $CONN --family 6 --port 20032 >/dev/null
stop_socktop
check filter_4 only_ports 4.json family 4

socktop_bg 6.json --stream --json -6 -L 20041,20042 || fail filter_6_start
$CONN --family 4 --port 20041 >/dev/null; $CONN --family 6 --port 20042 >/dev/null
stop_socktop
check filter_6 only_ports 6.json family 6

# 3. record, then replay without root-only parts: identical lines
socktop_bg live.txt --stream -t -L 20051,20052 --record rec.gz || fail record_start
$CONN --port 20051 --count 2 >/dev/null; $CONN --family 6 --port 20052 >/dev/null
stop_socktop
"$SOCKTOP" --replay rec.gz --stream -t >replayed.txt 2>replayed.err
check record_replay_identical cmp -s live.txt replayed.txt
