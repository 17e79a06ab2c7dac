#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make bench: a resync pass over 20 network namespaces of 1000 sockets
# each (a listener and 500 connected pairs, both ends held, in each) on
# top of the host's own. Prints bench_resync's figures; cleans up after.
set -u
cd "$(dirname "$0")/../.."
NNS=${NNS:-20}
PAIRS=${NS_PAIRS:-500}
PORT=22099
if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null; then
	echo "netns: skipped (needs root and ip)"
	exit 0
fi
TMPD=$(mktemp -d /tmp/socktop-bench-netns.XXXXXX)
PIDS=()
NSS=()
finish() {
	for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	for ns in "${NSS[@]}"; do ip netns del "$ns" 2>/dev/null; done
	rm -rf "$TMPD"
}
trap finish EXIT INT TERM
for i in $(seq 1 "$NNS"); do
	ns=socktop-bench-$$-$i
	ip netns add "$ns" && ip -n "$ns" link set lo up || { echo "netns: cannot make $ns"; exit 0; }
	NSS+=("$ns")
	ip netns exec "$ns" python3 -c '
import resource, socket, sys, time
resource.setrlimit(resource.RLIMIT_NOFILE, (4096, 4096))
port, n = int(sys.argv[1]), int(sys.argv[2])
l = socket.socket()
l.bind(("127.0.0.1", port))
l.listen(1024)
keep = []
for _ in range(n):
    c = socket.create_connection(("127.0.0.1", port))
    s, _ = l.accept()
    keep += [c, s]
print("ready", flush=True)
sys.stdin.read()
' "$PORT" "$PAIRS" >"$TMPD/$i" 2>&1 < <(sleep 600) &
	PIDS+=($!)
done
for i in $(seq 1 "$NNS"); do
	for t in $(seq 1 200); do grep -qs '^ready' "$TMPD/$i" && break; sleep 0.05; done
	grep -qs '^ready' "$TMPD/$i" || { echo "netns: holder $i did not start"; exit 0; }
done
echo "netns: $NNS namespaces of $((2 * PAIRS + 1)) sockets each"
build/tools/bench_resync 1 "$PORT" 5 || true
