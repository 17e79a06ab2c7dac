#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Live: binds made here (TCP/UDP, v4/v6, port 0, each option, SO_BINDTODEVICE,
# failures, another uid, implicit binds), every field of every event checked;
# capture filters -u, -P, -E; text columns; --count; record/replay; and that
# with socktop attached another program's binds (and a foreign cgroup
# program) behave exactly as without it. Ports 41000-41999, picked free at
# run time by binds_do.py (the range is inside the ephemeral one).
. "$(dirname "$0")/lib.sh"
CASES="binds_tcp4 binds_tcp6 binds_udp4 binds_udp6_port0 binds_tcp4_port0 binds_opt_F
	binds_opt_T binds_opt_N binds_opt_R binds_opt_r binds_opt_F6 binds_bindtodevice_lo
	binds_eaddrinuse binds_eaddrnotavail binds_implicit_listen binds_tcp6_listener
	binds_implicit_connect6 binds_implicit_udp_connect binds_opt_N_connect binds_other_uid
	binds_eacces_other_uid binds_opt_N_same_socket"
need_live $CASES u_binds_other_uid u_binds_eacces_other_uid binds_filter_u P_binds_port_in binds_filter_P binds_no_E_hides_failures binds_text_columns \
	binds_count binds_record_replay binds_disable binds_filter_cgroup binds_others_unchanged \
	binds_foreign_still_attached binds_foreign_refusal_seen
cd "$TMP"
DO="python3 $ROOT/tests/live/binds_do.py"
CHK="python3 $ROOT/tests/live/check_binds.py"

# 1. every case, every field
if socktop_bg all.json --stream binds --json -E --record rec.gz; then
	$DO all >all.exp 2>all.do.err
	stop_socktop
	$CHK all.json all.exp
	cat all.do.err >&2
else
	for t in $CASES; do fail "$t" "socktop did not start"; done
fi

# 2. record/replay: the same lines from the recording, no kernel needed
"$SOCKTOP" --replay rec.gz --stream binds --json -E >replayed.json 2>replayed.err
check binds_record_replay cmp -s all.json replayed.json

# 3. -u: only the other uid's binds reach user space
read -r pu <<<"$($DO free 1)"
socktop_bg u.json --stream binds --json -E -u 65534 || fail binds_filter_u "no start"
$DO uid 65534 >u.exp
$DO ports "$pu" >/dev/null # root's bind: must not show
stop_socktop
$CHK u.json u.exp --only-uid 65534 --prefix u_

# 4. -P PORT without -E: the other port and the failed second bind stay out
read -r pin pout <<<"$($DO free 2)"
socktop_bg P.json --stream binds --json -P "$pin" || fail binds_filter_P "no start"
$DO ports "$pin" "$pout" | grep '"binds_port_in"' >P.exp
PORT=$pin python3 - <<'PY'
import os, socket
port = int(os.environ["PORT"])
a, b = socket.socket(), socket.socket()
a.bind(("127.0.0.1", port)); a.listen(1)
try:
    b.bind(("127.0.0.1", port))
except OSError:
    pass
PY
stop_socktop
$CHK P.json P.exp --only-ports "$pin" --prefix P_
check binds_no_E_hides_failures python3 -c '
import json, sys
ev = [json.loads(l) for l in open("P.json")]
sys.exit(0 if len(ev) == 2 and all(e["ret"] == 0 for e in ev) else 1)'

read -r pt pc pd pdeny <<<"$($DO free 4)"
# 5. text columns: bindsnoop order with -t -U -E, and one line per bind
socktop_bg text.txt --stream binds -t -U -E -P "$pt" || fail binds_text_columns "no start"
python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', $pt))"
stop_socktop
text_ok() {
	head -1 text.txt | grep -Eq '^TIME\(s\) +UID +RC +PID +COMM +PROT +ADDR +PORT +OPTS +IF$' &&
		[ "$(grep -c " $pt " text.txt)" = 1 ] &&
		grep " $pt " text.txt | grep -Eq "^[0-9.]+ +0 +0 +[0-9]+ +python3 +TCP +127\.0\.0\.1 +$pt \.\.\.\.\. +0$"
}
check binds_text_columns text_ok

# 6. --count: per address and port, at exit
socktop_bg count.txt --stream binds --count -P "$pc" || fail binds_count "no start"
python3 -c "
import socket
for _ in range(3):
    s = socket.socket(); s.bind(('127.0.0.1', $pc)); s.close()"
stop_socktop
check binds_count grep -Eq "^127\.0\.0\.1 +$pc +3 +TCP +0$" count.txt

# 7. --disable binds: the binds stream has nothing to print: it says why
# and exits 1 at once, printing nothing
timeout 10 "$SOCKTOP" --stream binds --json --disable binds >dis.json 2>dis.json.err
rc=$?
check binds_disable eval '[ $rc = 1 ] && [ ! -s dis.json ] &&
	grep -q "cannot capture bind() calls: binds off: disabled (--disable binds)" dis.json.err'

# 8. someone else's binds, and someone else's cgroup program, unchanged
cgroot=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
"$ROOT/build/tools/bind_deny" "$cgroot" "$pdeny" >deny.out 2>deny.err &
DPID=$!
PIDS+=("$DPID")
for _ in $(seq 1 100); do grep -q attached deny.out && break; sleep 0.05; done
$DO behaviour "$pdeny" >before.txt
socktop_bg during.json --stream binds --json -E || fail binds_others_unchanged "no start"
$DO behaviour "$pdeny" >during.txt
stop_socktop
$DO behaviour "$pdeny" >after.txt
kill -TERM "$DPID"
for _ in $(seq 1 100); do kill -0 "$DPID" 2>/dev/null || break; sleep 0.05; done
others_ok() {
	grep -q 'foreign program denies): EPERM' before.txt &&
		grep -q 'again: EADDRINUSE' before.txt &&
		cmp -s before.txt during.txt && cmp -s before.txt after.txt
}
check binds_others_unchanged others_ok
check binds_foreign_still_attached grep -q 'still attached [0-9]* yes' deny.out
check binds_foreign_refusal_seen python3 -c "
import json, sys
ev = [json.loads(l) for l in open('during.json')]
sys.exit(0 if any(e['req_port'] == $pdeny and e['error'] == 'EPERM' for e in ev) else 1)"

# 9. --cgroup: only binds of tasks in that cgroup v2 subtree
cgdir="$cgroot/socktop-binds-$$"
if mkdir "$cgdir" 2>/dev/null; then
	read -r pin pout <<<"$($DO free 2)"
	socktop_bg cg.json --stream binds --json --cgroup "socktop-binds-$$" ||
		fail binds_filter_cgroup "no start"
	sh -c "echo \$\$ >'$cgdir/cgroup.procs' && exec python3 -c \"import socket; s = socket.socket(); s.bind(('127.0.0.1', $pin))\""
	python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', $pout))"
	stop_socktop
	check binds_filter_cgroup python3 -c "
import json, sys
ev = [json.loads(l) for l in open('cg.json')]
sys.exit(0 if [e['port'] for e in ev] == [$pin] else 1)"
	rmdir "$cgdir" 2>/dev/null
else
	skip binds_filter_cgroup "cannot create a cgroup under $cgroot"
fi
