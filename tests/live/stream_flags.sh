#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Every pair and triple of each stream's bcc flags on a fixture recording
# (build/tools/mkstreams): header, column count of every line (CSV through
# a real CSV reader) and line count; -s with --json refused with the
# reason. Replay only: no root needed.
. "$(dirname "$0")/lib.sh"
MK=$ROOT/build/tools/mkstreams
if [ ! -x "$SOCKTOP" ] || [ ! -x "$MK" ]; then
	for k in states binds connects; do skip "stream_flags_$k" "socktop or mkstreams not built"; done
	exit 0
fi
"$MK" "$TMP/streams.rec" || { fail stream_flags_fixture "mkstreams failed"; exit 0; }
python3 "$ROOT/tests/live/stream_flags.py" "$SOCKTOP" "$TMP/streams.rec" "$TMP"
