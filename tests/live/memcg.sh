#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Live: the UI under a 64 MiB memory cgroup limit while 100k sockets are
# held (by processes outside the cgroup). socktop sizes itself to the
# limit, evicts the oldest sockets (the header counts them), says why in
# its messages, is not OOM-killed, and quits cleanly. The cgroup is made
# here: cgroup v2 (memory.max) where the memory controller is there, else
# the v1 memory hierarchy (memory.limit_in_bytes); removed at the end.
# Ports 21200-21399.
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/tui/lib.sh"
need_live memcg_survives memcg_evicts_says_so memcg_quits
LIMIT=$((64 << 20))
SOCKETS=100000

# the cgroup: v2 if it has the memory controller, else v1's
CG="" OOMF="" ENABLED=""
v2=$(awk '$3 == "cgroup2" {print $2; exit}' /proc/self/mounts)
if [ -n "$v2" ] && grep -qw memory "$v2/cgroup.controllers" 2>/dev/null; then
	CG=$v2/socktop-memcg-$$
	if ! grep -qw memory "$v2/cgroup.subtree_control"; then
		echo +memory >"$v2/cgroup.subtree_control" && ENABLED=$v2/cgroup.subtree_control
	fi
	mkdir "$CG" && echo "$LIMIT" >"$CG/memory.max" && echo 0 >"$CG/memory.swap.max" 2>/dev/null
	OOMF=$CG/memory.events
else
	v1=$(awk '$3 == "cgroup" && $4 ~ /(^|,)memory(,|$)/ {print $2; exit}' /proc/self/mounts)
	rel=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ {print $3; exit}' /proc/self/cgroup)
	if [ -n "$v1" ]; then
		CG=$v1${rel%/}/socktop-memcg-$$
		mkdir "$CG" && echo "$LIMIT" >"$CG/memory.limit_in_bytes"
		OOMF=$CG/memory.oom_control
	fi
fi
if [ -z "$CG" ] || [ ! -d "$CG" ]; then
	for t in memcg_survives memcg_evicts_says_so memcg_quits; do
		skip "$t" "no memory cgroup controller to limit (neither cgroup v2 nor v1 has one)"
	done
	exit 0
fi
oom_kills() { awk '$1 == "oom_kill" {print $2}' "$OOMF"; }
memcg_cleanup() {
	tui_cleanup
	for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	for p in $(cat "$CG/cgroup.procs" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
	for _ in $(seq 1 50); do rmdir "$CG" 2>/dev/null && break; sleep 0.1; done
	[ -n "$ENABLED" ] && echo -memory >"$ENABLED" 2>/dev/null # as it was, if nobody uses it
	rm -rf "$TMP"
}
trap memcg_cleanup EXIT

# the holders: as many processes as the open-file limit needs
hard=$(ulimit -Hn)
[ "$hard" = unlimited ] && hard=1048576
per=$(((hard - 400) / 2)); [ $per -gt 25000 ] && per=25000
if [ $per -lt 1000 ]; then
	for t in memcg_survives memcg_evicts_says_so memcg_quits; do
		skip "$t" "open-file hard limit $hard is too low to hold $SOCKETS sockets"
	done
	exit 0
fi
n=$(((SOCKETS / 2 + per - 1) / per))
for k in $(seq 0 $((n - 1))); do
	python3 "$ROOT/tests/live/numbers_hold.py" $((21200 + k * 20)) "$per" >"$TMP/hold$k.out" 2>&1 &
	PIDS+=($!)
done
for _ in $(seq 1 1200); do
	[ "$(cat "$TMP"/hold*.out | grep -c '^ready')" -eq "$n" ] && break
	grep -q Error "$TMP"/hold*.out && break
	sleep 0.1
done
if [ "$(cat "$TMP"/hold*.out | grep -c '^ready')" -ne "$n" ]; then
	fail memcg_survives "holders did not start: $(cat "$TMP"/hold*.out | head -c 300)"
	exit 0
fi
before=$(oom_kills)

TUI_SOCK=socktop-live-memcg-$$
cmd="echo \$\$ >$CG/cgroup.procs && exec env -i PATH=/usr/bin:/bin TERM=tmux-256color LANG=C.UTF-8 $SOCKTOP"
tmux -L "$TUI_SOCK" -f /dev/null new-session -d -x 160 -y 45 \
	"sh -c '$cmd'; echo \"[exit \$?]\"; sleep 30"
tmux -L "$TUI_SOCK" set-option -g status off >/dev/null
if tui_wait 'evicted [1-9]' 30 && tui_wait ' live *$' 5; then
	sleep 10 # resync passes, a steady state
	if tui_screen | grep -q '\[exit' || [ "$(oom_kills)" != "$before" ]; then
		fail memcg_survives "ended: $(tui_screen | grep -a exit) (oom kills $before -> $(oom_kills))"
	else
		pass memcg_survives
	fi
else
	fail memcg_survives "no eviction shown (oom kills $before -> $(oom_kills)): $(tui_screen | grep -v '^$' | tail -3)"
	exit 0
fi
tui_keys L
if tui_wait 'memory limit 64 MiB, from ' 5 && tui_wait 'at most [0-9]+ sockets kept' 5 &&
	tui_screen | grep -q 'evicted [1-9]'; then
	pass memcg_evicts_says_so
else
	fail memcg_evicts_says_so
fi
tui_keys Escape q
if tui_wait '^\[exit 0\]' 10 && [ "$(oom_kills)" = "$before" ]; then
	pass memcg_quits
else
	fail memcg_quits "$(tui_screen | grep -a exit)"
fi
