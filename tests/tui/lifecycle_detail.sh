#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The detail view never shows a negative (wrapped) or invented time in a
# state, through a crafted recording: "reorder" has its handshake stamped
# by another CPU a millisecond before its SYN (IN OLD 0, and the next span
# counts from the latest stamp, as the stream's MS does); "gapper" lost
# ESTABLISHED>FIN_WAIT1, so the time in FIN_WAIT1 is unknown ("-") and
# the timeline's ESTABLISHED bar is marked as lasting at most its span.
. "$(dirname "$0")/lib.sh"
tui_need tui-lifecycle-detail
TMPD=$(mktemp -d /tmp/socktop-lifedetail.XXXXXX)
trap 'tui_cleanup; rm -rf "$TMPD"' EXIT

python3 - "$TMPD/life.rec" <<'EOF'
import gzip, struct, sys
EV = struct.Struct('<QQIIIHHHHHBB16s16s16siIIIQQ')
CLOSE, SYN_SENT, EST, FW1, FW2 = 7, 2, 1, 4, 5
MS = 1_000_000
T0 = 1000_000 * MS
def ip(last):
    return bytes([127, 0, 0, last]) + bytes(12)
def ev(ms, sk, old, new, comm, lport):
    return struct.pack('<I', 120) + EV.pack(
        T0 + ms * MS, 0xffff888000000000 + sk * 0x1000, 7, 7, 0, 1, 2, 6, lport, 443,
        old, new, ip(1), ip(2), comm.encode(), 0, 0, 0, 0, 0, 0)
evs = [
    ev(20, 2, CLOSE, SYN_SENT, 'gapper', 0), ev(21, 2, SYN_SENT, EST, 'gapper', 40002),
    ev(3000, 1, CLOSE, SYN_SENT, 'reorder', 0), ev(2999, 1, SYN_SENT, EST, 'reorder', 40001),
    ev(3010, 1, EST, FW1, 'reorder', 40001),
    ev(9000, 2, FW1, FW2, 'gapper', 40002),
]
body = struct.pack('<IIQq72s72s', 120, 0, T0, 1_700_000_000_000 * MS - T0, b'testhost', b'6.18')
hdr = b'SOCKTOP\x1a' + struct.pack('<II', 1, len(body)) + body
open(sys.argv[1], 'wb').write(gzip.compress(hdr + b''.join(evs)))
EOF
[ -s "$TMPD/life.rec" ] || { fail tui-lifecycle-detail "python3 could not write the recording"; exit 1; }

# open_detail COMM: filter to the process's one socket, Enter
open_detail() {
	tui_keys /
	tui_type "comm $1"
	tui_keys Enter
	tui_wait "Filter: comm $1" >/dev/null
	tui_keys Enter
	tui_wait 'Socket 0x[0-9a-f]+ ' 5
}

tui_start lifecycle_detail 120 40 LANG=C.UTF-8 -- --replay "$TMPD/life.rec" --no-pace
tui_wait 'replay unpaced \(end\)' 10 || { fail tui-lifecycle-detail "UI did not start"; exit 1; }
if open_detail reorder; then
	tui_screen >"$TMPD/reorder.txt"
	hs=$(grep -E 'SYN_SENT -> ESTABLISHED' "$TMPD/reorder.txt" | awk '{print $NF}')
	fw=$(grep -E 'ESTABLISHED -> FIN_WAIT1' "$TMPD/reorder.txt" | awk '{print $NF}')
	if [[ $hs =~ ^0(ms|us|s)?$ ]] && [ "$fw" = 10ms ]; then
		pass tui-detail-reordered-stamps
	else
		fail tui-detail-reordered-stamps "handshake in old '$hs', established '$fw'"
		cat "$TMPD/reorder.txt" >&2
	fi
	tui_keys Escape
	tui_keys /
	tui_keys C-u
	tui_keys Enter
else
	fail tui-detail-reordered-stamps "no detail for reorder"
fi
if open_detail gapper; then
	tui_screen >"$TMPD/gapper.txt"
	fw=$(grep -E 'FIN_WAIT1 -> FIN_WAIT2' "$TMPD/gapper.txt" | awk '{print $NF}')
	bar=$(grep -E '^ESTABLISHED +│' "$TMPD/gapper.txt" | awk '{print $NF}')
	if [ "$fw" = - ] && [[ $bar == ≤8.9* ]]; then
		pass tui-detail-gap-unknown
	else
		fail tui-detail-gap-unknown "in FIN_WAIT1 '$fw', ESTABLISHED bar '$bar'"
		cat "$TMPD/gapper.txt" >&2
	fi
else
	fail tui-detail-gap-unknown "no detail for gapper"
fi
tui_done
