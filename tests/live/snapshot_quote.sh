#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Live: a process named to forge a second owner (a '"' closing the quotes
# of ss's users:(("name",pid=...,fd=...)) field) is one owner in the
# snapshot's text, its quote escaped as \", and the pid that follows is the
# real one. Port 20680-20689.
. "$(dirname "$0")/lib.sh"
need_live snapshot_quote_escaped
cd "$TMP"
python3 - >hold.out <<'PY' &
import ctypes, socket, sys, time
ctypes.CDLL(None).prctl(15, b'a",pid=1),("x', 0, 0, 0)  # PR_SET_NAME
for p in range(20680, 20690):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        continue
    s.listen()
    break
import os
print("ready", os.getpid(), p, flush=True)
time.sleep(30)
PY
PIDS+=($!)
for _ in $(seq 100); do grep -q ^ready hold.out && break; sleep 0.05; done
read -r _ HPID PORT <hold.out
"$SOCKTOP" --snapshot >snap.txt 2>snap.err
line=$(grep "127.0.0.1:$PORT " snap.txt)
want="users:((\"a\\\",pid=1),(\\\"x\",pid=$HPID,fd="
if [[ $line == *"$want"* ]]; then
	pass snapshot_quote_escaped
else
	fail snapshot_quote_escaped "want $want in: $line"
fi
