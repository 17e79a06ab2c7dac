#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Live: who owns each socket. A process started before socktop is found by
# the snapshot (iterators and the sock_diag fallback) exactly as ss -tanp
# sees it; connect outcomes (refused, established, timed out, failed
# before any SYN) in the connects stream; an accepted socket carries the
# acceptor's pid; --cgroup keeps only the test cgroup's sockets.
# Ports 42100-42199.
. "$(dirname "$0")/lib.sh"
need_live snapshot_matches_ss snapshot_holder snapshot_text fallback_matches_ss \
	connect_pid_filter connect_uid_column connect_refused connect_established connect_timeout connect_unreach connect_port_filter \
	accept_owner owners_replay_identical prefork_shared_listener cgroup_snapshot cgroup_stream cgroup_states
cd "$TMP"
DO="python3 $ROOT/tests/live/owners_do.py"
CHECK="python3 $ROOT/tests/live/owners_check.py"

# wait_line FILE REGEX: poll up to 10 s
wait_line() {
	local i
	for i in $(seq 1 200); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

start_bg() { # OUTFILE CMD...: background helper, pid in BG
	"${@:2}" >"$1" 2>"$1.err" &
	BG=$!
	PIDS+=("$BG")
}

# pick_port START: the first port of START..START+9 free to bind (other
# tests' clients may hold ports of this range as ephemeral ones)
pick_port() {
	python3 - "$1" <<'PY'
import socket, sys
for p in range(int(sys.argv[1]), int(sys.argv[1]) + 10):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        continue
    print(p)
    break
PY
}
P_HOLD=$(pick_port 42100) P_REF=$(pick_port 42110) P_SYN=$(pick_port 42120)
P_NOT=$(pick_port 42130) P_PRE=$(pick_port 42140) P_CGIN=$(pick_port 42150)
P_CGOUT=$(pick_port 42160) P_CGC1=$(pick_port 42170) P_CGC2=$(pick_port 42180)

# 1. a holder started before socktop: snapshot == ss -tanp
start_bg hold.out $DO hold $P_HOLD
wait_line hold.out '^ready' || { fail snapshot_matches_ss "holder did not start"; exit 0; }
HPID=$(awk '/^ready/ {print $2}' hold.out)
# ss sees the host's namespace: so does the snapshot compared with it
HOSTNS=$(stat -L -c %i /proc/self/ns/net)
"$SOCKTOP" --snapshot --json --netns "$HOSTNS" >snap.json 2>snap.err
ss -tanp >ss.txt
check snapshot_matches_ss $CHECK ss snap.json ss.txt $P_HOLD
check snapshot_holder $CHECK holder snap.json $P_HOLD "$HPID" ownhold LISTEN ESTABLISHED CLOSE_WAIT
"$SOCKTOP" --snapshot -L $P_HOLD >snap.txt 2>snap.txt.err
check snapshot_text grep -q "^LISTEN .*127.0.0.1:$P_HOLD .*users:((\"ownhold\",pid=$HPID,fd=" snap.txt
"$SOCKTOP" --snapshot --json --netns "$HOSTNS" --disable iters >fb.json 2>fb.err
ss -tanp >ss2.txt
check fallback_matches_ss $CHECK ss fb.json ss2.txt $P_HOLD

# 2. connect outcomes, one line each once known
socktop_bg conn.json --stream connects --json -P $P_HOLD,$P_REF,$P_SYN,42199 ||
	{ fail connect_start; exit 0; }
$DO connect $P_REF >refused.out
$DO connect $P_HOLD >est.out
$DO syncnt $P_SYN >syn.out
$DO unreach >unr.out
$DO connect $P_NOT >filtered.out
sleep 0.3
stop_socktop
check connect_refused $CHECK connect conn.json "$(sed 's/.*"pid": \([0-9]*\).*/\1/' refused.out)" $P_REF REFUSED
check connect_established $CHECK connect conn.json "$(sed 's/.*"pid": \([0-9]*\).*/\1/' est.out)" $P_HOLD ESTABLISHED
check connect_timeout $CHECK connect conn.json "$(sed 's/.*"pid": \([0-9]*\).*/\1/' syn.out)" $P_SYN TIMEDOUT
check connect_unreach $CHECK connect conn.json "$(sed 's/.*"pid": \([0-9]*\).*/\1/' unr.out)" 42199 ENETUNREACH
check connect_port_filter sh -c "! grep -q '\"dport\":$P_NOT' conn.json"

# -p PID: only that process's connects; -U: the UID column first
start_bg wa.out $DO waitconnect "$P_REF"
WA=$BG
start_bg wb.out $DO waitconnect "$P_REF"
WB=$BG
wait_line wa.out '^ready' && wait_line wb.out '^ready' || fail connect_pid_start
WAP=$(awk '/^ready/ {print $2}' wa.out) WBP=$(awk '/^ready/ {print $2}' wb.out)
socktop_bg pidf.txt --stream connects -U -p "$WAP" || fail connect_pid_start
kill -USR1 "$WAP" "$WBP"
wait_line wa.out errno && wait_line wb.out errno
sleep 0.3
stop_socktop
check connect_pid_filter python3 -c "
import sys
rows = [l.split() for l in open('pidf.txt')][1:]
sys.exit(0 if [r[1] for r in rows] == ['$WAP'] and rows[0][-1] == 'REFUSED' else 1)"
check connect_uid_column python3 -c "
import sys
l = open('pidf.txt').read().splitlines()
sys.exit(0 if l[0].split()[:3] == ['UID', 'PID', 'COMM'] and l[1].split()[0] == '0' else 1)"

# 3. passive side: the child of a pre-fork server accepts: it owns the socket
start_bg pre.out $DO prefork $P_PRE
wait_line pre.out '^ready' || { fail accept_owner "prefork did not start"; exit 0; }
PPID_=$(awk '/^ready/ {print $2}' pre.out)
CPID=$(awk '/^ready/ {print $3}' pre.out)
PIDS+=("$CPID")
"$SOCKTOP" --snapshot --json --duration 4 -L $P_PRE --record acc.rec >acc.json 2>acc.err &
SNAP=$!
PIDS+=("$SNAP")
sleep 2.5 # programs attached and the start-up pass done (duration 4)
kill -USR2 "$PPID_"
wait "$SNAP"
check accept_owner $CHECK accepted acc.json $P_PRE "$CPID"
# the recording replays to the same table, owners included
"$SOCKTOP" --replay acc.rec --snapshot --json -L $P_PRE >acc-replay.json 2>acc-replay.err
check owners_replay_identical cmp -s acc.json acc-replay.json
check prefork_shared_listener python3 -c "
import json, sys
l = [json.loads(x) for x in open('acc.json') if '\"LISTEN\"' in x]
sys.exit(0 if len(l) == 1 and sorted(o['pid'] for o in l[0]['owners']) == sorted([$PPID_, $CPID]) else 1)"

# 4. --cgroup: only sockets of tasks in the test cgroup
CGROOT=$(awk '$3 == "cgroup2" {print $2; exit}' /proc/self/mounts)
CG="$CGROOT/socktop-test-$$"
if [ -z "$CGROOT" ] || ! mkdir "$CG" 2>/dev/null; then
	skip cgroup_snapshot "no writable cgroup v2 hierarchy"
	skip cgroup_stream "no writable cgroup v2 hierarchy"
	exit 0
fi
cg_cleanup() {
	for p in $(cat "$CG/cgroup.procs" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
	for i in $(seq 1 50); do rmdir "$CG" 2>/dev/null && break; sleep 0.05; done
	cleanup
}
trap cg_cleanup EXIT
start_bg in.out sh -c "echo \$\$ >'$CG/cgroup.procs' && exec $DO hold $P_CGIN"
start_bg out.out $DO hold $P_CGOUT
wait_line in.out '^ready' && wait_line out.out '^ready' || fail cgroup_start
"$SOCKTOP" --snapshot --json --cgroup "$CG" >cg.json 2>cg.err
check cgroup_snapshot python3 -c "
import json, sys
s = [json.loads(x) for x in open('cg.json') if x.startswith('{')]
ports = {p for e in s for p in (e['lport'], e['rport'])}
sys.exit(0 if $P_CGIN in ports and $P_CGOUT not in ports and
         all(e['owners'] or e['state'] != 'LISTEN' for e in s) else 1)"
socktop_bg cgs.json --stream connects --json --cgroup "${CG#$CGROOT/}" || fail cgroup_stream_start
sh -c "echo \$\$ >'$CG/cgroup.procs' && exec $DO connect $P_CGC1" >cin.out
$DO connect $P_CGC2 >cout.out
sleep 0.3
stop_socktop
check cgroup_stream python3 -c "
import json, sys
s = [json.loads(x) for x in open('cgs.json') if x.startswith('{')]
sys.exit(0 if [e['dport'] for e in s] == [$P_CGC1] and s[0]['result'] == 'REFUSED' else 1)"
socktop_bg cgst.json --stream --json --cgroup "$CG" || fail cgroup_states_start
sh -c "echo \$\$ >'$CG/cgroup.procs' && exec $DO connect $P_CGIN" >cin2.out
$DO connect $P_CGOUT >cout2.out
sleep 0.3
stop_socktop
# the in-cgroup client's connect to the in-cgroup server: both ends (the
# accepted child inherits the listener's cgroup, seen in softirq); the
# outside client's connect to the outside server: nothing
check cgroup_states python3 -c "
import json, sys
s = [json.loads(x) for x in open('cgst.json') if x.startswith('{')]
ports = {p for e in s for p in (e['lport'], e['rport'])}
births = [e for e in s if e['oldstate'] == 'LISTEN' and e['newstate'] == 'SYN_RECV']
sys.exit(0 if $P_CGIN in ports and $P_CGOUT not in ports and births else 1)"
