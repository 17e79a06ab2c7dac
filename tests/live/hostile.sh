#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Live (root): two processes whose names and command lines hold terminal
# escapes (OSC title, CSI clear, C1 CSI raw and UTF-8, RLO, newline, a
# comma and a quote; tests/live/hostile_do.py) bind, listen, connect and
# close while socktop watches. Every stream (states, binds, connects) in
# text, CSV and JSON, the journal (-Y), the snapshot in text and JSON, and
# an error message quoting an outside path carry them escaped: no raw
# control byte, CSV columns constant, JSON valid (tests/live/check_hostile.py).
# Ports 24001-24009.
. "$(dirname "$0")/lib.sh"
KINDS="states binds connects"
FMTS="text csv json"
NAMES="hostile_journal hostile_snapshot_text hostile_snapshot_json hostile_record_path hostile_summary_clean"
for k in $KINDS; do for f in $FMTS; do NAMES+=" hostile_${k}_$f"; done; done
need_live $NAMES
cd "$TMP"
DO="python3 $ROOT/tests/live/hostile_do.py"
CHECK="python3 $ROOT/tests/live/check_hostile.py"
A=24001 B=24002

# 1. nine streams at once, and the journal, while the helper works
$CHECK journal-recv "$TMP/j.sock" "$TMP/journal.bin" &
PIDS+=($!)
for i in $(seq 1 100); do [ -S "$TMP/j.sock" ] && break; sleep 0.05; done
started=() ok=" "
for k in $KINDS; do
	case $k in
	states) filt=(-D "$A,$B") ;;
	*) filt=(-P "$A,$B") ;;
	esac
	for f in $FMTS; do
		args=(--stream="$k" --ringbuf-kb 4096 "${filt[@]}")
		[ "$f" = csv ] && args+=(-s)
		[ "$f" = json ] && args+=(--json)
		[ "$k/$f" = states/json ] && args+=(-Y)
		if SOCKTOP_JOURNAL_SOCKET="$TMP/j.sock" socktop_bg "$k.$f" "${args[@]}"; then
			started+=("$SPID") ok+="$k.$f "
		else
			fail "hostile_${k}_$f" "socktop did not start: $(head -c 300 "$k.$f.err")"
		fi
	done
done
$DO $A $B 0.3 >helper.out 2>&1
grep -q '^done' helper.out || fail hostile_helper "$(head -c 300 helper.out)"
sleep 0.3 # the drain timer passes at least once more
for SPID in "${started[@]}"; do stop_socktop; done
for k in $KINDS; do
	for f in $FMTS; do
		[[ "$ok" == *" $k.$f "* ]] && check "hostile_${k}_$f" $CHECK stream "$k" "$f" "$k.$f"
	done
done
check hostile_journal $CHECK journal "$TMP/journal.bin"
# the summaries and notes on stderr too
check hostile_summary_clean $CHECK clean ./*.err

# 2. the snapshot, while the helper holds its sockets
$DO 24003 24004 30 >hold.out 2>&1 &
HOLDER=$!
PIDS+=($HOLDER)
for i in $(seq 1 100); do grep -qs "^ready" hold.out && break; sleep 0.05; done
grep -qs "^ready" hold.out || echo "holder: $(cat hold.out)" >&2
"$SOCKTOP" --snapshot >snap.text 2>snap.text.err
check hostile_snapshot_text $CHECK snapshot text snap.text 24003 24004
"$SOCKTOP" --snapshot --json >snap.json 2>snap.json.err
check hostile_snapshot_json $CHECK snapshot json snap.json 24003 24004
kill -TERM "$HOLDER"

# 3. an error message naming an outside path: a recording that cannot be
# written (a symlink to /dev/full under a name with escapes)
bad=$(printf 'rec\033]0;pwn\007\302\233.gz')
ln -s /dev/full "$bad"
timeout -s INT 10 "$SOCKTOP" --stream -D 24009 --record "$bad" >rec.out 2>rec.err
rc=$?
if [ $rc -ne 0 ] && grep -qF 'rec\x1b]0;pwn\x07\xc2\x9b.gz' rec.err && $CHECK clean rec.err; then
	pass hostile_record_path
else
	fail hostile_record_path "exit $rc: $(head -c 300 rec.err | cat -v)"
fi
