#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# A million sockets: HOLD_CONNS loopback connections (default 500000: both
# ends, so a million sockets, and the listener) held in a network
# namespace made for this run, then socktop's UI started under maximum
# churn on the host. Prints, each beside its target: the start-up
# snapshot's time, events lost while it ran, socktop's resident memory and
# bytes a socket, and the first frame.
#
# How a million fit: the namespace has its own port range and addresses,
# so nothing on the host is taken. Each client binds its own source
# (127.0.1.1 and up, ports 1024-65535: 64,512 a source address), the
# server ends wait un-accepted in the listener's queue (the namespace's
# somaxconn raised), and the client fds are spread over processes of
# fewer than the hard fd limit each. The namespace goes with the run.
# MILLION_ARGS: more socktop options, to compare (e.g. "--disable traffic").
set -eu
cd "$(dirname "$0")/../.."
conns=${HOLD_CONNS:-500000}
[ "$(id -u)" = 0 ] || { echo "million: needs root (namespaces, live BPF); skipped"; exit 0; }
for t in ip tmux; do
	command -v $t >/dev/null || { echo "million: needs $t; skipped"; exit 0; }
done
ns=socktop-million-$$ sock=socktop-million-$$ out=$(mktemp -d /tmp/socktop-million.XXXXXX)
hold_pid= churn_pid=
cleanup() {
	tmux -L "$sock" kill-server 2>/dev/null || true
	[ -n "$churn_pid" ] && kill "$churn_pid" 2>/dev/null
	[ -n "$hold_pid" ] && kill "$hold_pid" 2>/dev/null
	wait 2>/dev/null || true
	ip netns del "$ns" 2>/dev/null || true
	rm -rf "$out"
}
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link set lo up
ip netns exec "$ns" sysctl -qw net.core.somaxconn=$((conns + 16))

echo "million: opening $conns connections ($((2 * conns + 1)) sockets) in namespace $ns"
mkfifo "$out/hold.in"
ip netns exec "$ns" build/tools/hold "$conns" <"$out/hold.in" >"$out/hold.out" 2>&1 &
hold_pid=$!
exec 9>"$out/hold.in" # holds its stdin open: the hold lasts until fd 9 closes
for _ in $(seq 1200); do
	grep -q '^held' "$out/hold.out" 2>/dev/null && break
	kill -0 "$hold_pid" 2>/dev/null || break
	sleep 0.5
done
if ! grep -q '^held' "$out/hold.out"; then
	echo "million: could not hold the connections: $(head -c 300 "$out/hold.out")"
	exit 0
fi
echo "million: $(cat "$out/hold.out")"

# the UI, started while the churn runs on the host (every CPU)
build/tools/churn 60 28000 >"$out/churn.out" &
churn_pid=$!
sleep 1
t0=$(date +%s.%N)
tmux -L "$sock" -f /dev/null new-session -d -x 160 -y 50 \
	"env TERM=tmux-256color LANG=C.UTF-8 SOCKTOP_THEMES=$PWD/themes ./socktop --max-sockets $((2 * conns + 200000)) ${MILLION_ARGS:-} 2>$out/err"
pid= shown=
for _ in $(seq 600); do
	p=$(tmux -L "$sock" list-panes -F '#{pane_pid}' 2>/dev/null | head -1)
	[ -n "$p" ] && pid=$(pgrep -P "$p" -x socktop || echo "$p")
	if tmux -L "$sock" capture-pane -p 2>/dev/null | grep -q 'ESTAB'; then
		shown=$(date +%s.%N)
		# lost by then: while the snapshot ran (the header's count)
		lost_first=$(tmux -L "$sock" capture-pane -p | sed -n 's/.*lost \([0-9][0-9]*\).*/\1/p' | head -1)
		break
	fi
	sleep 0.1
done
if [ -z "$shown" ]; then
	echo "million: the UI did not show rows in 60 s"
	cat "$out/err"
	exit 0
fi
sleep 3 # a few frames and a tick with the churn going on
rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
rss_file=$(awk '/^RssFile/ {print $2}' "/proc/$pid/status")
# the BPF rings are file mappings too (anon_inode:bpf-map), and their data
# is mapped twice (a record that wraps reads straight on): RSS counts each
# ring's pages two times. Apart from them, what the binary and libraries
# take, and the rest: the table, indexes, rows, counters
rss_rings=$(awk '/^[0-9a-f]+-[0-9a-f]+ / {m = ($6 == "anon_inode:bpf-map")} m && /^Rss:/ {s += $2} END {print s + 0}' "/proc/$pid/smaps")
rss_libs=$((rss_file - rss_rings))
rss_rest=$((rss - rss_file))
tmux -L "$sock" send-keys q
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill "$churn_pid" 2>/dev/null || true
wait "$churn_pid" 2>/dev/null || true
churn_pid=
socks=$(sed -n 's/.*start-up snapshot: \([0-9]*\) sockets.*/\1/p' "$out/err")
snap=$(sed -n 's/.*start-up snapshot: [0-9]* sockets in \([0-9.]*\) s.*/\1/p' "$out/err")
lost=$(sed -n 's/.*events received + \([0-9]*\) lost.*/\1/p' "$out/err")
grep '^socktop: \(start-up\|[0-9]* events\|the rings\)' "$out/err" || true
printf 'million: start-up snapshot %s sockets in %s s (target < 5 s); first screen with rows %.1f s after start\n' \
	"${socks:-?}" "${snap:-?}" "$(echo "$shown - $t0" | bc)"
echo "million: lost ${lost_first:-0} events under churn by the first screen, while the snapshot ran (target 0); ${lost:-?} by the end, 3 s later"
# what the table held at the end (the snapshot's sockets, the churn's
# TIME_WAIT and lingering ones) and the finished kept: the exit summary's
table=$(sed -n 's/.*bounds: sockets \([0-9]*\) of.*/\1/p' "$out/err")
hist=$(sed -n 's/.*, history \([0-9]*\) of.*/\1/p' "$out/err")
if [ -n "$socks" ] && [ "$socks" -gt 0 ]; then
	echo "million: RSS $rss KiB, $((rss * 1024 / socks)) bytes a socket held (target < 400): the BPF rings' mappings $rss_rings KiB (--ringbuf-kb, counted twice), binary and libraries $rss_libs, the rest $rss_rest: $((rss_rest * 1024 / socks)) bytes a socket held"
	if [ -n "$table" ] && [ "$table" -gt 0 ]; then
		echo "million: the table held $table sockets at the end (the churn's too) and ${hist:-?} finished: $((rss * 1024 / (table + ${hist:-0}))) bytes an entry, the rest alone $((rss_rest * 1024 / (table + ${hist:-0})))"
	fi
fi
