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
	timeout 5 "$SOCKTOP" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
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
bad both-families -4 -6
bad record-replay --record /tmp/a.rec --replay /tmp/b.rec
bad csv-json --stream -s --json
bad two-clocks --stream -t -T
bad snapshot-stream --snapshot --stream
bad extra-arg --stream extra

timeout 5 "$SOCKTOP" --help >"$TMP/out" 2>"$TMP/err"
rc=$?
if [ $rc -eq 0 ] && grep -q '^usage: socktop' "$TMP/out" && [ ! -s "$TMP/err" ]; then
	pass cli-help
else
	fail cli-help "exit $rc"
fi
timeout 5 "$SOCKTOP" --version >"$TMP/out" 2>"$TMP/err"
rc=$?
if [ $rc -eq 0 ] && grep -q '^socktop [0-9]' "$TMP/out"; then
	pass cli-version
else
	fail cli-version "exit $rc"
fi
