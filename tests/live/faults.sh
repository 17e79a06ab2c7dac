#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Live: socktop killed with SIGKILL leaves nothing in the kernel. Started
# several times (the UI in tmux with every hook, and each --stream kind),
# once attached it is SIGKILLed (and a few times while it still loads),
# and bpftool must no longer show any of its programs, links, maps or BTF
# objects, nor a cgroup attachment of its programs; it pins nothing and
# mounts no bpffs.
#
# Other socktops (other tests, other people) may run at the same time with
# the same program names, so ours are told apart by id, never by name: the
# ids are read from /proc/PID/fdinfo of the socktop under test while it
# runs (prog_id, map_id, link_id, btf_id), and the kernel never hands an
# id out twice (cyclic idr), so an id gone is ours gone.
. "$(dirname "$0")/lib.sh"
rounds="ui1 ui2 ui3 states1 states2 binds1 binds2 connects1 json1"
early="0.01 0.03 0.05 0.07 0.1 0.15"
names=()
for r in $rounds; do names+=("faults-sigkill-$r"); done
for d in $early; do names+=("faults-sigkill-loading-$d"); done
need_live "${names[@]}" faults-pin-nothing
if ! command -v bpftool >/dev/null; then
	for t in "${names[@]}" faults-pin-nothing; do skip "$t" "bpftool not installed"; done
	exit 0
fi
cd "$TMP"

# own_ids PID: "prog N", "map N", "link N", "btf N", one a line, from the
# fds the process holds
own_ids() {
	local fd k
	for fd in /proc/"$1"/fd/*; do
		case $(readlink "$fd" 2>/dev/null) in
		anon_inode:bpf-prog) k=prog ;;
		anon_inode:bpf-map) k=map ;;
		anon_inode:bpf_link) k=link ;;
		anon_inode:btf) k=btf ;;
		*) continue ;;
		esac
		sed -n "s/^${k}_id:[[:space:]]*\([0-9]*\)$/$k \1/p" /proc/"$1"/fdinfo/"${fd##*/}" 2>/dev/null
	done | sort -u
}

# cgroup_progs: ids of every program attached to any cgroup
cgroup_progs() {
	bpftool cgroup tree -j 2>/dev/null | grep -o '"id":[0-9]*' | cut -d: -f2 | sort -u
}

# visible FILE: the ids in FILE that bpftool still shows, plus our
# programs still attached to a cgroup; prints them, none = nothing left
visible() {
	local kind id cg
	cg=$(cgroup_progs)
	while read -r kind id; do
		bpftool "$kind" show id "$id" >/dev/null 2>&1 && echo "$kind $id"
		[ "$kind" = prog ] && grep -qx "$id" <<<"$cg" && echo "cgroup-attached prog $id"
	done <"$1"
}

bpffs_mounts() { awk '$3 == "bpf" { print $2 }' /proc/mounts | sort; }

# pinned FILE: ids of ours that a bpffs file holds (needs a bpffs mounted)
pinned() {
	local kind id
	while read -r kind id; do
		[ "$kind" = btf ] && continue
		bpftool -f -j "$kind" show id "$id" 2>/dev/null | grep -q '"pinned"' &&
			echo "$kind $id pinned"
	done <"$1"
}

mounts_before=$(bpffs_mounts)
pin_bad=""

# wait_gone PID: until the process no longer exists (10 s)
wait_gone() {
	local i
	for i in $(seq 1 200); do
		[ -e /proc/"$1" ] || return 0
		sleep 0.05
	done
	return 1
}

# wait_released FILE: until bpftool shows none of the ids (the kernel
# frees some objects after an RCU grace period or from a work queue)
wait_released() {
	local i
	for i in $(seq 1 200); do
		[ -z "$(visible "$1")" ] && return 0
		sleep 0.05
	done
	return 1
}

# round NAME PID CGROUP: PID is attached; record its ids, check bpftool
# sees them (and, when CGROUP is yes, a cgroup attachment), SIGKILL it,
# then nothing of it may remain
round() {
	local name=$1 pid=$2 want_cg=$3 ids=$1.ids n
	own_ids "$pid" >"$ids"
	for kind in prog map link btf; do
		n=$(grep -c "^$kind " "$ids")
		if [ "$n" -eq 0 ]; then
			fail "faults-sigkill-$name" "holds no $kind fd while attached"
			kill -KILL "$pid" 2>/dev/null
			return
		fi
	done
	# the check can see what it looks for
	if [ "$(visible "$ids" | grep -vc '^cgroup')" -ne "$(wc -l <"$ids")" ]; then
		fail "faults-sigkill-$name" "bpftool does not show all of its objects while it runs"
		kill -KILL "$pid" 2>/dev/null
		return
	fi
	if [ "$want_cg" = yes ] && ! visible "$ids" | grep -q '^cgroup'; then
		fail "faults-sigkill-$name" "no cgroup attachment seen while it runs"
		kill -KILL "$pid" 2>/dev/null
		return
	fi
	pin_bad+=$(pinned "$ids")
	[ "$(bpffs_mounts)" = "$mounts_before" ] || pin_bad+=" mounted a bpffs"
	kill -KILL "$pid"
	if ! wait_gone "$pid"; then
		fail "faults-sigkill-$name" "still running 10 s after SIGKILL"
	elif ! wait_released "$ids"; then
		fail "faults-sigkill-$name" "left behind: $(visible "$ids" | tr '\n' ' ')"
	else
		pass "faults-sigkill-$name"
	fi
}

# stream rounds: started here, attached once it says "tracing"
stream_round() {
	local name=$1 cg=$2; shift 2
	if ! socktop_bg "$name.out" "$@" -L 23001; then
		fail "faults-sigkill-$name" "did not start"
		return
	fi
	round "$name" "$SPID" "$cg"
	wait "$SPID" 2>/dev/null # reaped quietly (no "Killed" line)
}

# UI rounds: in tmux, every hook (binds puts programs on the cgroup root);
# attached once the header says live
TSOCK=socktop-live-faults-$$
trap 'tmux -L "$TSOCK" kill-server 2>/dev/null; cleanup' EXIT
ui_round() {
	local name=$1 i pid=""
	tmux -L "$TSOCK" kill-server 2>/dev/null
	rm -f ui.pid
	tmux -L "$TSOCK" -f /dev/null new-session -d -x 120 -y 40 \
		"env TERM=tmux-256color LANG=C.UTF-8 sh -c 'echo \$\$ > $TMP/ui.pid; exec $SOCKTOP'; echo \"[exit \$?]\"; sleep 30"
	for i in $(seq 1 200); do
		if tmux -L "$TSOCK" capture-pane -p | grep -Eq ' live *$'; then
			pid=$(cat ui.pid)
			break
		fi
		sleep 0.05
	done
	if [ -z "$pid" ]; then
		fail "faults-sigkill-$name" "UI did not start: $(tmux -L "$TSOCK" capture-pane -p | grep -v '^$' | tail -3)"
		return
	fi
	round "$name" "$pid" yes
	tmux -L "$TSOCK" kill-server 2>/dev/null
}

# Killed while it loads: stopped (SIGSTOP) at a point in its start-up,
# its ids read while it cannot change them, then SIGKILLed
early_round() {
	local name=loading-$1 pid ids
	ids=$name.ids
	"$SOCKTOP" --stream=binds -P 23002 >/dev/null 2>"$name.err" &
	pid=$!
	PIDS+=("$pid")
	sleep "$1"
	kill -STOP "$pid"
	own_ids "$pid" >"$ids"
	echo "$name: stopped holding $(wc -l <"$ids") BPF objects" >&2 # for the log
	pin_bad+=$(pinned "$ids")
	kill -KILL "$pid"
	if ! wait_gone "$pid"; then
		fail "faults-sigkill-$name" "still running 10 s after SIGKILL"
	elif ! wait_released "$ids"; then
		fail "faults-sigkill-$name" "left behind: $(visible "$ids" | tr '\n' ' ')"
	else
		pass "faults-sigkill-$name"
	fi
	wait "$pid" 2>/dev/null
}

ui_round ui1
stream_round states1 no --stream
stream_round binds1 yes --stream=binds
ui_round ui2
stream_round connects1 no --stream=connects
stream_round states2 no --stream -s
stream_round json1 no --stream --json
stream_round binds2 yes --stream=binds --json
ui_round ui3
for d in $early; do early_round "$d"; done

if [ -n "$pin_bad" ]; then
	fail faults-pin-nothing "$pin_bad"
elif [ -z "$mounts_before" ]; then
	pass faults-pin-nothing # no bpffs mounted before, during or after: nowhere to pin
else
	pass faults-pin-nothing
fi
