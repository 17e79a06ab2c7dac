#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Live, in tmux: names. A namespace with a plain name holds a listener in
# a cgroup named like a docker container's scope; another, named with
# terminal escapes, holds one in a kubepods-like cgroup. The Connections
# pane shows NETNS (the /run/netns name, escaped) and CONTAINER; the
# filters "netns NAME", "netns INODE" and "container NAME" keep only
# their rows; the detail page and the Processes pane name both. Ports
# 42620-42629.
. "$(dirname "$0")/../tui/lib.sh"
ROOT=$TUI_ROOT
NAMES="netns_names_columns netns_names_escaped netns_names_filter_name netns_names_filter_inode
netns_names_filter_container netns_names_filter_bad netns_names_detail netns_names_procs
netns_names_snapshot_escaped netns_names_procs_k8s"
tui_need_live $NAMES
CGROOT=$(awk '$3 == "cgroup2" {print $2; exit}' /proc/self/mounts)
if ! command -v ip >/dev/null || ! ip netns list >/dev/null 2>&1 || [ -z "$CGROOT" ]; then
	for t in $NAMES; do skip "$t" "needs ip netns (iproute2) and a cgroup v2 hierarchy"; done
	exit 0
fi
DO="python3 $ROOT/tests/live/netns_do.py"
TMPD=$(mktemp -d /tmp/socktop-netns-names.XXXXXX)
NSA=socktop-na-$$ NSE=$'socktop-\e]0;owned\a-'$$
ID=$(printf '%064x' $$)
CGA="$CGROOT/socktop-names-$$.slice/docker-$ID.scope"
CGE="$CGROOT/socktop-names-$$.slice/kubepods-besteffort-pod1234abcd_5678.slice/cri-containerd-$ID.scope"
HELPERS=()
finish() {
	for p in "${HELPERS[@]}"; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	tui_cleanup
	ip netns del "$NSA" 2>/dev/null
	ip netns del "$NSE" 2>/dev/null
	rmdir "$CGA" "$CGE" "$(dirname "$CGE")" "$(dirname "$CGA")" 2>/dev/null
	rm -rf "$TMPD"
}
trap finish EXIT INT TERM
for ns in "$NSA" "$NSE"; do
	ip netns add "$ns" && ip -n "$ns" link set lo up || {
		for t in $NAMES; do skip "$t" "cannot make a network namespace"; done
		exit 0
	}
done
mkdir -p "$CGA" "$CGE" || { for t in $NAMES; do skip "$t" "cannot make a cgroup"; done; exit 0; }
IA=$(stat -L -c %i "/run/netns/$NSA")
PORT=42621
# each holder: into its cgroup, then into its namespace
(echo $BASHPID >"$CGA/cgroup.procs" && exec ip netns exec "$NSA" $DO hold $PORT 1) >"$TMPD/a" 2>&1 &
HELPERS+=($!)
(echo $BASHPID >"$CGE/cgroup.procs" && exec ip netns exec "$NSE" $DO hold $PORT 1) >"$TMPD/e" 2>&1 &
HELPERS+=($!)
for i in $(seq 1 200); do
	grep -qs '^ready' "$TMPD/a" && grep -qs '^ready' "$TMPD/e" && break
	sleep 0.05
done
HA=$(awk '/^ready/ {print $2}' "$TMPD/a")
[ -n "$HA" ] || { for t in $NAMES; do fail "$t" "holders did not start"; done; exit 0; }

# the snapshot names the namespace escaped, in text and in JSON
"$TUI_BIN" --snapshot -L $PORT >"$TMPD/snap.txt" 2>&1
"$TUI_BIN" --snapshot --json -L $PORT >"$TMPD/snap.json" 2>&1
snap_ok() {
	grep -qF "socktop-\x1b]0;owned\x07-$$ " "$TMPD/snap.txt" && ! grep -q $'\e' "$TMPD/snap.txt" &&
		python3 - "$TMPD/snap.json" "socktop-\\x1b]0;owned\\x07-$$" <<'PY'
import json, sys
names = {json.loads(l)["netns_name"] for l in open(sys.argv[1])}
sys.exit(sys.argv[2] not in names)
PY
}
check netns_names_snapshot_escaped snap_ok

tui_start netns_names 300 40 -- --disable binds
tui_wait 'Connections' 15 || { fail netns_names_columns "UI did not start"; exit 0; }
filter() { tui_keys /; tui_keys C-u; tui_type "$1"; tui_keys Enter; }
rows() { tui_screen | grep -c "127\\.0\\.0\\.1:$PORT "; }
filter "port $PORT"
tui_wait "NETNS +CONTAINER" 10
for i in $(seq 1 100); do [ "$(rows)" = 6 ] && break; sleep 0.1; done
columns_ok() {
	[ "$(rows)" = 6 ] &&
		tui_screen | grep -q "LISTEN .* $NSA  *docker:${ID:0:12}" &&
		tui_screen | grep -q "LISTEN .* socktop-.* k8s:pod1234abcd/${ID:0:12}"
}
# the escape arrives as text, never as a control byte
escaped_ok() {
	tui_screen | grep -qF 'socktop-\x1b]0;o' && ! tui_screen | grep -q $'\e'
}
check netns_names_columns columns_ok
check netns_names_escaped escaped_ok
filter "port $PORT netns $NSA"
sleep 0.5
only_a() { [ "$(rows)" = 3 ] && ! tui_screen | grep -q k8s:pod; }
check netns_names_filter_name only_a
filter "port $PORT netns $IA"
sleep 0.5
check netns_names_filter_inode [ "$(rows)" = 3 ]
filter "port $PORT container k8s:pod1234"
sleep 0.5
only_e() { [ "$(rows)" = 3 ] && ! tui_screen | grep -q docker:; }
check netns_names_filter_container only_e
filter "netns socktop-no-such-$$"
check netns_names_filter_bad tui_wait "netns: no namespace named 'socktop-no-such-$$'" 5
tui_keys Escape
filter "port $PORT netns $NSA state listen"
sleep 0.5
tui_keys Enter
check netns_names_detail tui_wait "netns $NSA \\($IA\\)  container docker:${ID:0:12}" 5
tui_keys Escape
tui_keys Tab Tab
check netns_names_procs tui_wait "$HA: .*netns $NSA  container docker:${ID:0:12}" 5
# a cgroup path longer than the pane keeps names the pod from its head
filter "port $PORT"
check netns_names_procs_k8s tui_wait "nshold .* k8s:pod1234abcd" 5
tui_done
