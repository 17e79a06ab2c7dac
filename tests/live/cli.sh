#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Command-line errors through the binary: each prints what is wrong and the
# usage to stderr, nothing to stdout, and exits 2, at once (no capture is
# started, so no root is needed). --help and --version exit 0 on stdout.
set -u
. "$(dirname "$0")/lib.sh"

if [ ! -x "$SOCKTOP" ]; then
	skip cli "socktop not built"
	exit 0
fi

# bad NAME ARGS...: exit 2, "usage: socktop" on stderr, stdout empty
bad() {
	local name=$1 rc; shift
	timeout -k 1 5 "$SOCKTOP" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	rc=$?
	if [ $rc -ne 2 ]; then
		fail "cli-$name" "exit $rc, want 2"
	elif ! grep -q '^usage: socktop' "$TMP/err"; then
		fail "cli-$name" "no usage on stderr: $(head -c 200 "$TMP/err")"
	elif [ -s "$TMP/out" ]; then
		fail "cli-$name" "wrote to stdout"
	elif [ "$(head -c 8 "$TMP/err")" = "usage: s" ]; then
		fail "cli-$name" "usage without saying what was wrong"
	else
		pass "cli-$name"
	fi
}

many=$(seq -s, 1 65)

bad port-empty -L ""
bad port-trailing-comma -L 1,
bad port-leading-comma -D ,1
bad port-double-comma -L 1,,2
bad port-range -L 70000
bad port-negative -L -1
bad port-word -L a
bad port-too-many -L "$many"
bad bind-port -P x
bad pid-zero -p 0
bad pid-word -p abc
bad pid-huge -p 99999999999
bad uid-word -u root
bad duration -s --stream --duration 0
bad speed --speed 0
bad ringbuf --ringbuf-kb 1
bad resync --resync -1
bad max-sockets --max-sockets 10
bad stream-kind --stream=bogus
bad unknown-long --bogus
bad unknown-short -Z
bad missing-arg --replay
bad record-replay --record /tmp/a.rec --replay /tmp/b.rec
bad csv-json --stream -s --json
bad lport-states --stream --lport
bad snapshot-stream --snapshot --stream
bad extra-arg --stream extra
bad extra-arg-alone extra
bad extra-after-dashes --stream -- extra
# every option that takes an argument, without it
for opt in -L -D -P -p -u --duration --speed --ringbuf-kb --resync --max-sockets \
	--disable --record --theme --cgroup --netns --localport --remoteport --ports --pid --uid; do
	bad "missing-arg$opt" --stream "$opt"
done
# numbers out of range or not numbers
bad pid-trailing -p 12x
bad pid-negative -p -5
bad uid-negative -u -2
bad uid-huge -u 4294967295
bad duration-word --stream --duration abc
bad duration-negative --stream --duration -1
bad duration-nan --stream --duration nan
bad duration-inf --stream --duration inf
bad speed-inf --replay x.rec --speed inf
bad ringbuf-small --ringbuf-kb 3
bad ringbuf-word --ringbuf-kb big
bad resync-negative --resync -1
bad resync-short --resync 0.01
bad max-sockets-small --max-sockets 99
bad max-sockets-float --max-sockets 1e6
bad port-hex -L 0x50
bad port-float -D 1.5
bad port-huge -P 99999999999999999999
bad stream-empty --stream=
# bad filters: an unknown feature, a cgroup that does not exist
bad disable-unknown --disable bogus
bad disable-trailing-comma --disable states,
bad disable-empty --disable ""
bad cgroup-missing --stream --cgroup /nonexistent/socktop-cli
bad cgroup-not-v2 --stream --cgroup /
bad netns-missing --stream --netns socktop-cli-no-such-ns
bad netns-not-inode --stream --netns 12x
bad netns-empty --stream --netns ,
# options the chosen mode would ignore
bad csv-without-stream -s
bad time-without-stream -T
bad wide-snapshot --snapshot -w
bad json-ui --json
bad count-states --stream --count
bad uid-col-states --stream -U
bad journal-binds --stream=binds -Y
bad journal-ui -Y
bad errors-connects --stream=connects -E
bad errors-snapshot --snapshot -E
bad speed-live --stream --speed 2
bad no-pace-live --no-pace
bad cgroup-replay --replay x.rec --cgroup system.slice
bad netns-replay --replay x.rec --netns 4026531840
bad record-replay-long --record=a.rec --replay=b.rec

timeout -k 1 5 "$SOCKTOP" --help >"$TMP/out" 2>"$TMP/err"
rc=$?
if [ $rc -eq 0 ] && grep -q '^usage: socktop' "$TMP/out" && [ ! -s "$TMP/err" ]; then
	pass cli-help
else
	fail cli-help "exit $rc"
fi
timeout -k 1 5 "$SOCKTOP" --version >"$TMP/out" 2>"$TMP/err"
rc=$?
if [ $rc -eq 0 ] && grep -q '^socktop [0-9]' "$TMP/out"; then
	pass cli-version
else
	fail cli-version "exit $rc"
fi

# an argument holding escapes is quoted escaped, nothing raw on stderr
timeout -k 1 5 "$SOCKTOP" -L "$(printf '1\033]0;pwn\007\302\233')" >"$TMP/out" 2>"$TMP/err"
rc=$?
if [ $rc -eq 2 ] && grep -qF "'1\x1b]0;pwn\x07\xc2\x9b'" "$TMP/err" &&
	! LC_ALL=C grep -aq $'[\x01-\x09\x0b-\x1f\x7f]\|\xc2\x9b' "$TMP/err"; then
	pass cli-hostile-arg
else
	fail cli-hostile-arg "exit $rc: $(head -c 200 "$TMP/err" | cat -v)"
fi
