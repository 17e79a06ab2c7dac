#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Live: --record onto a full disk (a 64 KiB tmpfs mounted here). socktop
# stops by itself with exit 1 and one message naming the file and the
# errno (never exit 0 over a lost recording), and what it wrote replays:
# its lines are the first lines the live run printed. Ports 20670-20679.
. "$(dirname "$0")/lib.sh"
need_live record_full_exit1 record_full_replayable
MNT=$TMP/small
mkdir -p "$MNT"
if ! mount -t tmpfs -o size=64k,mode=0777 socktop-test "$MNT" 2>"$TMP/mount.err"; then
	skip record_full_exit1 "cannot mount a tmpfs: $(cat "$TMP/mount.err")"
	skip record_full_replayable "cannot mount a tmpfs"
	exit 0
fi
trap 'umount "$MNT" 2>/dev/null; cleanup' EXIT
cd "$TMP"
socktop_bg live.txt --stream -t -L 20671 --record "$MNT/full.rec" ||
	{ fail record_full_exit1 "did not start"; exit 0; }
# connections until socktop stops (each is 8 or so records), at most 20 s
python3 - "$SPID" <<'PY'
import os, socket, sys, time
pid, end = int(sys.argv[1]), time.time() + 20
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 20671))
srv.listen(128)
while time.time() < end:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        break
    if os.path.exists("/proc/%d/stat" % pid) and open("/proc/%d/stat" % pid).read().split()[2] == "Z":
        break
    for _ in range(50):
        c = socket.create_connection(("127.0.0.1", 20671))
        a, _ = srv.accept()
        c.close(); a.close()
    time.sleep(0.01)
PY
for _ in $(seq 1 100); do kill -0 "$SPID" 2>/dev/null || break; sleep 0.05; done
if kill -0 "$SPID" 2>/dev/null; then
	stop_socktop; rc=$?
	fail record_full_exit1 "still running on a full disk (exit $rc after SIGINT)"
else
	wait "$SPID"; rc=$?
	if [ $rc -eq 1 ] && grep -qF "$MNT/full.rec" live.txt.err &&
		grep -q "No space left on device (errno 28)" live.txt.err; then
		pass record_full_exit1
	else
		fail record_full_exit1 "exit $rc: $(grep -v '^socktop: tracing' live.txt.err | head -c 300)"
	fi
fi
"$SOCKTOP" --replay "$MNT/full.rec" --stream -t >replayed.txt 2>replayed.err
rrc=$?
n=$(wc -l <replayed.txt)
if [ "$n" -gt 100 ] && [ $rrc -le 2 ] && head -n "$n" live.txt | cmp -s - replayed.txt; then
	pass record_full_replayable
else
	fail record_full_replayable "replay exit $rrc, $n lines: $(head -c 300 replayed.err)"
fi
