#!/usr/bin/env bash
# Live (root): the kernel hands a closed socket's memory to the next one
# at once, so connections made in a row reuse skaddrs. Every finished
# connection must still linger as its own dimmed row, never replaced by
# the lifecycle that took its address. Ports 20300-20399.
. "$(dirname "$0")/lib.sh"
tui_need tui-reuse
if [ "$(id -u)" != 0 ]; then skip tui-reuse "needs root (BPF)"; exit 0; fi
trap 'tui_cleanup' EXIT
tui_start reuse 120 40 --
if ! tui_wait ' live *$' 10; then
	if tui_screen | grep -q '^\[exit'; then skip tui-reuse "socktop could not start capture here"; exit 0; fi
	fail tui-reuse-start; exit 1
fi
tui_keys /
tui_type 'port 20301'
tui_keys Enter
tui_wait 'Filter: port 20301' >/dev/null || { fail tui-reuse-filter; exit 1; }
out=$(python3 "$(dirname "$0")/../live/conn.py" --port 20301 --count 4 --comm reuse)
# the listener and both ends of the four connections: 9 rows, all closed
rows() { [ "$(tui_screen | grep -E ':20301 ' | grep -cE '127\.0\.0\.1:[0-9]+ +(127\.0\.0\.1:[0-9]+|\*) +CLOSE ')" = 9 ]; }
wait_rows() { local i; for i in $(seq 45); do rows && return 0; sleep 0.1; done; tui_dump; return 1; }
check tui-reuse-rows wait_rows
# each client port the test used has its own row
ok=1
for p in $(echo "$out" | python3 -c 'import json,sys; print(*[c["cport"] for c in json.load(sys.stdin)["conns"]])'); do
	tui_screen | grep -qE "127\.0\.0\.1:$p +127\.0\.0\.1:20301 +CLOSE" || ok=0
done
check tui-reuse-each [ $ok = 1 ]
# after the linger they leave, all of them
check tui-reuse-leave tui_gone 'CLOSE ' 15
tui_keys q
tui_done
