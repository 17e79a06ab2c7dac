# SPDX-License-Identifier: GPL-2.0
# Helpers for live tests: root and BPF checks, starting socktop in the
# background, waiting until its programs are attached, stopping it.
# Every test prints PASS/FAIL/SKIP lines; tests/run counts them.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SOCKTOP=${SOCKTOP:-$ROOT/socktop}
TMP=$(mktemp -d /tmp/socktop-live.XXXXXX)
PIDS=()

cleanup() {
	for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1${2:+: $2}"; }
skip() { echo "SKIP $1: $2"; }
check() { # name, command...: PASS when the command succeeds
	local name=$1; shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}

# Skips every named test with the reason, and exits, when live capture
# cannot run here.
need_live() {
	local why=""
	if [ "$(id -u)" != 0 ]; then why="needs root (live BPF capture)";
	elif [ ! -r /sys/kernel/btf/vmlinux ]; then why="kernel has no BTF";
	elif [ ! -x "$SOCKTOP" ]; then why="socktop not built";
	fi
	if [ -n "$why" ]; then
		for t in "$@"; do skip "$t" "$why"; done
		exit 0
	fi
}

# socktop_bg OUTFILE ARGS...: start socktop; sets SPID. Returns when its
# programs are attached (it says "tracing" on stderr), or fails.
socktop_bg() {
	local out=$1; shift
	"$SOCKTOP" "$@" >"$out" 2>"$out.err" &
	SPID=$!
	PIDS+=("$SPID")
	wait_attached "$SPID"
}

wait_attached() {
	local pid=$1 i
	for i in $(seq 1 200); do
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "socktop exited early:" >&2; cat "$out.err" >&2 2>/dev/null
			return 1
		fi
		if grep -q "^socktop: tracing" "$out.err" 2>/dev/null; then
			return 0
		fi
		sleep 0.05
	done
	echo "socktop not attached after 10 s" >&2
	return 1
}

# stop_socktop: SIGINT and wait (bounded); returns socktop's exit status.
stop_socktop() {
	local i rc
	kill -INT "$SPID" 2>/dev/null
	for i in $(seq 1 100); do
		kill -0 "$SPID" 2>/dev/null || break
		sleep 0.05
	done
	kill -9 "$SPID" 2>/dev/null
	wait "$SPID"; rc=$?
	return $rc
}
