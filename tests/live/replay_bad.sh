#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Malformed recordings through the binary: `socktop --replay BAD --stream`
# must exit 2 within 5 s, print every event before the fault, and name the
# file, the byte and the fault on stderr, for every kind of bad file: not
# gzip, other gzip data, bad magic or version, cut header or record, zero,
# wrong or huge lengths, unknown kinds, garbage, bad CRC or length, a killed
# writer, empty, missing, a directory, a device, a FIFO without a writer,
# an unreadable file, a path holding escapes. No root needed: the recordings
# are written here by python3 from the documented format.
set -u
. "$(dirname "$0")/lib.sh"

if [ ! -x "$SOCKTOP" ] || ! command -v python3 >/dev/null; then
	skip replay-bad "needs ./socktop and python3"
	exit 0
fi

python3 - "$TMP" <<'EOF'
import gzip, struct, sys, zlib
d = sys.argv[1]
EV = struct.Struct('<QQIIIHHHHHBB16s16s16siIIIQQ')
assert EV.size == 120
def ev(i, old, new):
    return EV.pack(1000_000_000_000 + i * 1_000_000, 0xffff888000001000, 100 + i, 100 + i,
                   0, 1, 2, 6, 40000, 8080, old, new, bytes([127, 0, 0, 1]) + bytes(12),
                   bytes([127, 0, 0, 1]) + bytes(12), b'ev%d' % i, 0, 0, 0, 0, 0, 0)
life = [(7, 2), (2, 1), (1, 4), (4, 5), (5, 7)]  # CLOSE SYN_SENT ... CLOSE
body = struct.pack('<IIQq72s72s', 120, 0, 999_000_000_000, 1_700_000_000_000_000_000 -
                   1000_000_000_000, b'testhost', b'6.18')
hdr = b'SOCKTOP\x1a' + struct.pack('<II', 1, len(body)) + body
recs = [struct.pack('<I', 120) + ev(i, *s) for i, s in enumerate(life)]
raw = hdr + b''.join(recs)
def put(name, data):
    open(f'{d}/{name}', 'wb').write(data)
def gz(data):
    return gzip.compress(data)
put('good.rec', gz(raw))
put('empty.rec', b'')
put('text.rec', b'GET / HTTP/1.1\r\nHost: example\r\n\r\n' * 10)
put('uncompressed.rec', raw)
put('othergz.rec', gz(b'{"not": "a recording"}\n' * 20))
put('magic.rec', gz(b'SOCKTOQ\x1a' + raw[8:]))
put('version.rec', gz(raw[:8] + struct.pack('<I', 7) + raw[12:]))
put('evsize.rec', gz(raw[:16] + struct.pack('<I', 112) + raw[20:]))
put('hdrcut.rec', gz(raw[:40]))
r = bytearray(raw); off = len(hdr) + 2 * 124
r[off:off + 4] = struct.pack('<I', 119)
put('reclen.rec', gz(bytes(r)))
r = bytearray(raw); off = len(hdr) + 3 * 124 + 4 + 28
r[off:off + 2] = struct.pack('<H', 99)
put('kind.rec', gz(bytes(r)))
put('midrecord.rec', gz(raw[:len(hdr) + 4 * 124 + 50]))
g = gz(raw)
put('trailer.rec', g[:-4])
flip = bytearray(g); flip[len(g) // 2] ^= 0xff
put('corrupt.rec', bytes(flip))
r = bytearray(raw); off = len(hdr) + 2 * 124
r[off:off + 4] = struct.pack('<I', 0)
put('reclen0.rec', gz(bytes(r)))
r[off:off + 4] = struct.pack('<I', 0xffffffff)
put('reclenhuge.rec', gz(bytes(r)))
put('hdrlenhuge.rec', gz(raw[:12] + struct.pack('<I', 0xffffffff) + raw[16:]))
# garbage between records, inside a well-formed gzip stream
put('garbage.rec', gz(hdr + b''.join(recs[:2]) + b'\xde\xad\xbe\xef' * 50 + b''.join(recs[2:])))
# the trailer's CRC-32 or length wrong (zlib withholds the data it cannot vouch for)
crc = bytearray(g); crc[-8] ^= 0x01
put('crc.rec', bytes(crc))
isize = bytearray(g); isize[-4] ^= 0x01
put('isize.rec', bytes(isize))
# a gzip member follows the recording: data past the end of its stream
put('twice.rec', g + g)
# junk after the compressed data, a little or (sparse, below) 2 GiB of zeros
put('junk.rec', g + b'\x00junk after the end\n')
put('zeros.rec', g)
# an address family no socket has (99), and AF_UNIX: never shown as IPv4
r = bytearray(raw); off = len(hdr) + 2 * 124 + 4 + 30
assert r[off:off + 2] == struct.pack('<H', 2)
r[off:off + 2] = struct.pack('<H', 99)
put('family.rec', gz(bytes(r)))
r[off:off + 2] = struct.pack('<H', 1)
put('family-unix.rec', gz(bytes(r)))
# a writer killed after its last flush: sync-flushed deflate, no trailer
c = zlib.compressobj(1, zlib.DEFLATED, 31)
put('killed.rec', c.compress(hdr + b''.join(recs[:3])) + c.flush(zlib.Z_SYNC_FLUSH))
EOF
[ -s "$TMP/good.rec" ] || { fail replay-bad-fixtures "python3 could not write them"; exit 0; }

# case FILE EVENTS FAULT: exit 2, EVENTS events printed, message names it.
# (timeout -k: socktop blocks SIGTERM for its signalfd, so a hang needs KILL)
# Under a 256 MiB address-space limit: no length field makes it allocate.
case_bad() {
	local name=$1 want=$2 fault=$3 f="$TMP/$1.rec" rc n
	(ulimit -v 262144; exec timeout -k 1 5 "$SOCKTOP" --replay "$f" --stream) >"$TMP/out" 2>"$TMP/err"
	rc=$?
	n=$(grep -c ' ev[0-9] ' "$TMP/out")
	if [ $rc -ne 2 ]; then
		fail "replay-bad-$name" "exit $rc, want 2$([ $rc = 124 ] && echo ' (hung)')"
	elif [ "$want" != any ] && [ "$n" -ne "$want" ]; then
		fail "replay-bad-$name" "$n events printed, want $want"
	elif ! grep -qF "$f" "$TMP/err" || ! grep -q 'byte [0-9]' "$TMP/err" ||
		! grep -qi -- "$fault" "$TMP/err"; then
		fail "replay-bad-$name" "message lacks file, byte or '$fault': $(head -c 300 "$TMP/err")"
	else
		pass "replay-bad-$name"
	fi
}

timeout -k 1 5 "$SOCKTOP" --replay "$TMP/good.rec" --stream >"$TMP/out" 2>"$TMP/err"
rc=$?
n=$(grep -c ' ev[0-9] ' "$TMP/out")
if [ $rc -eq 0 ] && [ "$n" -eq 5 ] && grep -q '^SKADDR' "$TMP/out"; then
	pass replay-good
else
	fail replay-good "exit $rc, $n events"
fi

case_bad empty 0 empty
case_bad text 0 "not a socktop recording"
case_bad uncompressed 0 "not a socktop recording"
case_bad othergz 0 magic
case_bad magic 0 magic
case_bad version 0 "version 7"
case_bad evsize 0 "112"
case_bad hdrcut 0 truncated
case_bad reclen 2 "length 119"
case_bad kind 3 "unknown event kind 99"
case_bad midrecord 4 truncated
case_bad trailer 5 truncated
case_bad corrupt any corrupt
case_bad killed 3 truncated
case_bad reclen0 2 "length 0,"
case_bad reclenhuge 2 "length 4294967295"
case_bad hdrlenhuge 0 "length 4294967295"
case_bad garbage 2 "corrupt record"
case_bad crc any "incorrect data check"
case_bad isize any "incorrect length check"
case_bad twice 5 "trailing data at byte $(stat -c %s "$TMP/good.rec")"
case_bad junk 5 "trailing data at byte $(stat -c %s "$TMP/good.rec")"
truncate -s 2G "$TMP/zeros.rec"
case_bad zeros 5 "trailing data at byte $(stat -c %s "$TMP/good.rec")"
case_bad family 2 "unknown address family 99"
case_bad family-unix 2 "unknown address family 1"
# a FIFO nobody writes to reads as empty at once; a device is refused
mkfifo "$TMP/fifo.rec"
case_bad fifo 0 empty
ln -s /dev/zero "$TMP/zero.rec"
case_bad zero 0 "a device"

# and a file that is not there, or not readable as a file
timeout -k 1 5 "$SOCKTOP" --replay "$TMP/missing.rec" --stream >"$TMP/out" 2>"$TMP/err"
rc=$?
if [ $rc -eq 2 ] && grep -qF "$TMP/missing.rec" "$TMP/err"; then
	pass replay-bad-missing
else
	fail replay-bad-missing "exit $rc: $(head -c 200 "$TMP/err")"
fi
timeout -k 1 5 "$SOCKTOP" --replay "$TMP" --stream >"$TMP/out" 2>"$TMP/err"
rc=$?
if [ $rc -eq 2 ] && grep -qF "$TMP: a directory" "$TMP/err"; then
	pass replay-bad-directory
else
	fail replay-bad-directory "exit $rc: $(head -c 200 "$TMP/err")"
fi

# a path holding escapes is named escaped: nothing raw reaches stderr
hostile=$(printf '%s/x\033]0;pwn\007\033[2J\302\233\342\200\256' "$TMP")
timeout -k 1 5 "$SOCKTOP" --replay "$hostile" --stream >"$TMP/out" 2>"$TMP/err"
rc=$?
if [ $rc -eq 2 ] && grep -qF 'x\x1b]0;pwn\x07\x1b[2J\xc2\x9b\u202e' "$TMP/err" &&
	python3 "$ROOT/tests/live/check_hostile.py" clean "$TMP/err"; then
	pass replay-bad-hostile-path
else
	fail replay-bad-hostile-path "exit $rc: $(head -c 200 "$TMP/err" | cat -v)"
fi

# a file its user cannot read (as nobody: root reads anything)
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	chmod 711 "$TMP"
	cp "$TMP/good.rec" "$TMP/secret.rec"
	chmod 600 "$TMP/secret.rec"
	timeout -k 1 5 setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$SOCKTOP" --replay "$TMP/secret.rec" --stream >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ $rc -eq 2 ] && grep -qF "$TMP/secret.rec: Permission denied" "$TMP/err"; then
		pass replay-bad-unreadable
	else
		fail replay-bad-unreadable "exit $rc: $(head -c 200 "$TMP/err")"
	fi
else
	skip replay-bad-unreadable "needs root and setpriv to test as another user"
fi
