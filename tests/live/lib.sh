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
	[ -n "${KEEP_TMP:-}" ] || rm -rf "$TMP"
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

# The traffic tests (with tests/tui/lib.sh sourced too): the UI's
# TX/s of one connection against ss's bytes_acked over the same second.
#
# rate_vs_ss NAME NS ROW_RE PORT: the row matching ROW_RE in the UI's
# screen, its TX/s counted from the right as the title line places it
# (the columns shown depend on the width), against `ss -ti` for local
# PORT in namespace NS; within 30% in one of three seconds passes NAME.

# TX/s of the row matching $1 on the screen now, empty when not there
row_txs() {
	local scr after
	scr=$(tui_screen)
	after=$(grep -E ' PID .*TX/s' <<<"$scr" | head -1 |
		awk '{for (i = 1; i <= NF; i++) if ($i ~ /^TX\/s/) print NF - i}')
	grep -E "$1" <<<"$scr" | head -1 | awk -v k="${after:-0}" '{print $(NF - k)}'
}

rate_vs_ss() {
	local name=$1 ns=$2 row_re=$3 port=$4 a0 a1 t0 t1 txs i try out
	# a rate needs two pulls; passes are spaced wider on a host whose
	# sockets make them costly (many TIME_WAIT): wait for the first
	# rate, up to 6 s
	for i in $(seq 1 60); do
		case $(row_txs "$row_re") in '' | -) sleep 0.1 ;; *) break ;; esac
	done
	acked() { ip netns exec "$ns" ss -tinH "( sport = :$port )" | grep -o 'bytes_acked:[0-9]*' | cut -d: -f2; }
	# up to three seconds, each judged alone: a pacer starved for one
	# second on a loaded machine is not socktop's error, a wrong rate
	# fails all three
	for try in 1 2 3; do
		a0=$(acked); t0=$(date +%s.%N); sleep 1; a1=$(acked); t1=$(date +%s.%N)
		txs=$(row_txs "$row_re")
		out=$(python3 - "$name" "$a0" "$a1" "$t0" "$t1" "$txs" "$try" <<'PY'
import re, sys
name = sys.argv[1]
a0, a1, t0, t1 = int(sys.argv[2] or 0), int(sys.argv[3] or 0), float(sys.argv[4]), float(sys.argv[5])
ss_rate = (a1 - a0) / (t1 - t0)
m = re.match(r'([\d.]+)(B|KiB|MiB|GiB)$', sys.argv[6])
mine = float(m.group(1)) * {'B': 1, 'KiB': 1024, 'MiB': 2**20, 'GiB': 2**30}[m.group(2)] if m else -1
good = ss_rate > 0 and abs(mine - ss_rate) <= 0.3 * ss_rate
print(('PASS ' + name) if good else
      'FAIL %s: socktop TX/s %s, ss %.0f B/s over the same second (try %s of 3)' % (name, sys.argv[6] or 'none', ss_rate, sys.argv[7]))
PY
)
		case $out in PASS*) break ;; esac
	done
	echo "$out"
}
