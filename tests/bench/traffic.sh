#!/usr/bin/env bash
# make bench, traffic: the cost of one pull pass (idle sockets: visited,
# nothing sent; moving: every socket sent) and socktop's CPU, its UI at
# the default refresh, with 10k and 100k established connections held
# (idle). Figures, not tests.
set -u
cd "$(dirname "$0")/../.."
B=build/tools/bench_traffic
for n in 10000 100000; do
	out=$(mktemp /tmp/socktop-bench-traffic.XXXXXX)
	# each size on ports of its own: none meets the TIME_WAIT of the one before
	"$B" "$n" $((23500 + n / 10000 * 100)) 5 40 >"$out" 2>&1 &
	bp=$!
	for i in $(seq 1 1200); do grep -q '^holding' "$out" && break; kill -0 $bp 2>/dev/null || break; sleep 0.1; done
	cat "$out"
	if ! grep -q '^holding' "$out"; then
		echo "  (bench_traffic did not get to hold $n connections)"
		wait $bp; rm -f "$out"; continue
	fi
	sock=socktop-bench-traffic-$$
	tmux -L "$sock" -f /dev/null new-session -d -x 160 -y 40 \
		"env TERM=tmux-256color LANG=C.UTF-8 SOCKTOP_THEMES=$PWD/themes $PWD/socktop 2>/dev/null"
	pid=""
	for i in $(seq 1 100); do
		pp=$(tmux -L "$sock" list-panes -F '#{pane_pid}' 2>/dev/null | head -1)
		pid=$(pgrep -P "$pp" -x socktop || true)
		[ -n "$pid" ] || { [ -n "$pp" ] && [ "$(cat /proc/$pp/comm 2>/dev/null)" = socktop ] && pid=$pp; }
		[ -n "$pid" ] && break
		sleep 0.1
	done
	sleep 8 # start-up snapshot of every socket, then the steady state
	if [ -n "$pid" ] && [ -r /proc/$pid/stat ]; then
		t0=$(awk '{print $14 + $15}' /proc/$pid/stat)
		sleep 10
		t1=$(awk '{print $14 + $15}' /proc/$pid/stat)
		hz=$(getconf CLK_TCK)
		awk -v a="$t0" -v b="$t1" -v hz="$hz" -v n="$n" 'BEGIN {
			printf "  socktop UI, %d idle connections held: %.1f%% of one CPU over 10 s " \
			       "(target < 3%% at 100k)\n", n, (b - a) / hz / 10 * 100 }'
	else
		echo "  socktop UI did not start"
	fi
	tmux -L "$sock" kill-server 2>/dev/null
	kill $bp 2>/dev/null; wait $bp 2>/dev/null
	rm -f "$out"
done
