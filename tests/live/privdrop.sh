#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Live: least privilege. Started as root with SUDO_UID/SUDO_GID of a test
# user (nobody), socktop runs, once attached, as that user with no
# capability in any set, no-new-privs, not dumpable: that user cannot
# ptrace it; events, counters, the journal, iterators, cgroup names and
# the UI still work; --record is that user's file and replays. Without
# the capabilities it says which in one line and leaves the terminal be.
# Ports 21010-21099.
set -u
. "$(dirname "$0")/lib.sh"
NAMES="privdrop-status privdrop-groups privdrop-live-events privdrop-record-owner
privdrop-record-replays privdrop-record-as-user privdrop-replay-as-user privdrop-no-ptrace
privdrop-ptrace-control privdrop-journal privdrop-counters privdrop-fds-after-drop
privdrop-iter-after-drop privdrop-root-no-sudo privdrop-ui privdrop-ui-status
privdrop-ui-cgroup privdrop-nocaps-stream privdrop-nocaps-user privdrop-nocaps-ui
privdrop-snapshot-duration privdrop-keep-bpf privdrop-keep-bpf-no-ptrace privdrop-exit-detaches privdrop-nocaps-snapshot privdrop-ambient-user"
need_live $NAMES
for tool in setpriv tmux /usr/bin/python3; do
	if ! command -v "$tool" >/dev/null; then
		for t in $NAMES; do skip "$t" "$tool not installed"; done
		exit 0
	fi
done
TU=$(id -u nobody 2>/dev/null) TG=$(id -g nobody 2>/dev/null)
if [ -z "$TU" ] || [ "$TU" = 0 ]; then
	for t in $NAMES; do skip "$t" "no user nobody"; done
	exit 0
fi
PY=/usr/bin/python3 # not a per-user shim: the test user runs it too
AS_USER=(setpriv --reuid="$TU" --regid="$TG" --clear-groups --)
SUDO_ENV=(env SUDO_UID="$TU" SUDO_GID="$TG" SUDO_USER=nobody)
NOCAPS=(setpriv --bounding-set=-all --inh-caps=-all --)
HERE=$ROOT/tests/live
chmod 711 "$TMP"
mkdir "$TMP/u" "$TMP/rootonly" && chown "$TU:$TG" "$TMP/u" && chmod 700 "$TMP/rootonly"
cp "$SOCKTOP" "$TMP/u/socktop" && chmod 755 "$TMP/u/socktop" # reachable by the user
CG="" TSOCK=""
finish() {
	[ -n "$TSOCK" ] && tmux -L "$TSOCK" kill-server 2>/dev/null
	cleanup
	[ -n "$CG" ] && rmdir "$CG" 2>/dev/null
}
trap finish EXIT

status() { grep "^$2:" "/proc/$1/status" | cut -f2- | tr -s '\t ' ' ' | sed 's/ $//'; }

# status_dropped PID UID: ids, capability sets, no-new-privs as promised
status_dropped() {
	local pid=$1 uid=$2 gid=$3 f
	[ "$(status "$pid" Uid)" = "$uid $uid $uid $uid" ] || { echo "Uid: $(status "$pid" Uid)"; return 1; }
	[ "$(status "$pid" Gid)" = "$gid $gid $gid $gid" ] || { echo "Gid: $(status "$pid" Gid)"; return 1; }
	for f in CapInh CapPrm CapEff CapBnd CapAmb; do
		[ "$(status "$pid" $f)" = 0000000000000000 ] || { echo "$f: $(status "$pid" $f)"; return 1; }
	done
	[ "$(status "$pid" NoNewPrivs)" = 1 ] || { echo "NoNewPrivs: $(status "$pid" NoNewPrivs)"; return 1; }
}

# --- stream as the sudo user, with --record and -Y --------------------------
JSOCK=$TMP/u/journal.sock
$PY - "$JSOCK" >"$TMP/journal" <<'PY' &
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1]); os.chmod(sys.argv[1], 0o666)
s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
print("ready", flush=True)
while True:
    data, anc, _, _ = s.recvmsg(65536, socket.CMSG_SPACE(12))
    uid = [int.from_bytes(d[4:8], "little") for l, t, d in anc if t == socket.SCM_CREDENTIALS]
    text = bytes(c if 32 <= c < 127 else 32 for c in data).decode()
    print("uid", uid[0] if uid else "?", text, flush=True)
PY
PIDS+=($!)
for i in $(seq 1 100); do grep -qs ready "$TMP/journal" && break; sleep 0.05; done

out=$TMP/u/stream
( cd "$TMP/u" && exec "${SUDO_ENV[@]}" SOCKTOP_JOURNAL_SOCKET="$JSOCK" "$SOCKTOP" --stream --json \
	-Y -L 21010 --record rec.gz ) >"$out" 2>"$out.err" &
SPID=$!
PIDS+=("$SPID")
if ! wait_attached "$SPID"; then
	for t in privdrop-status privdrop-groups privdrop-live-events privdrop-record-owner \
		privdrop-record-replays privdrop-no-ptrace privdrop-ptrace-control privdrop-journal; do
		fail "$t" "socktop did not start: $(head -c 300 "$out.err")"
	done
else
	check privdrop-status status_dropped "$SPID" "$TU" "$TG"
	check privdrop-groups bash -c "[ \"$(status "$SPID" Groups)\" = \"$(id -G nobody)\" ]"
	$PY "$HERE/conn.py" --port 21010 --comm pdlive >"$TMP/conn" 2>&1
	for i in $(seq 1 100); do
		grep -q '"newstate":"CLOSE"' "$out" && grep -q 'uid 65534.*21010' "$TMP/journal" && break
		sleep 0.05
	done
	check privdrop-live-events grep -q '"comm":"pdlive".*"lport":21010' "$out"
	check privdrop-journal grep -q "^uid $TU .*21010" "$TMP/journal"
	"${AS_USER[@]}" $PY "$HERE/ptrace_try.py" "$SPID" >"$TMP/ptrace" 2>&1
	check privdrop-no-ptrace bash -c "grep -qx 'attach EPERM' '$TMP/ptrace' &&
		grep -qx 'mem EACCES' '$TMP/ptrace' && grep -qx 'environ EACCES' '$TMP/ptrace'"
	# the same user on its own dumpable process: the tries themselves work
	"${AS_USER[@]}" sleep 30 &
	CPID=$!
	PIDS+=("$CPID")
	sleep 0.1
	"${AS_USER[@]}" $PY "$HERE/ptrace_try.py" "$CPID" >"$TMP/ptrace.ctl" 2>&1
	check privdrop-ptrace-control grep -qx 'attach ok' "$TMP/ptrace.ctl"
	kill "$CPID" 2>/dev/null
	stop_socktop
	check privdrop-record-owner bash -c "[ \"\$(stat -c %u:%g '$TMP/u/rec.gz')\" = '$TU:$TG' ]"
	"$SOCKTOP" --replay "$TMP/u/rec.gz" --stream --json >"$TMP/replayed" 2>"$TMP/replayed.err"
	check privdrop-record-replays grep -q '"comm":"pdlive".*"lport":21010' "$TMP/replayed"
fi

# --record where only root may write: refused, as the user would be
"${SUDO_ENV[@]}" timeout 20 "$SOCKTOP" --stream -L 21011 --duration 1 \
	--record "$TMP/rootonly/rec.gz" >/dev/null 2>"$TMP/rootonly.err"
rc=$?
check privdrop-record-as-user bash -c "[ $rc = 1 ] && [ ! -e '$TMP/rootonly/rec.gz' ] &&
	grep -q 'cannot write recording.*Permission denied' '$TMP/rootonly.err'"
# --replay drops first: a file only root may read is refused
cp "$TMP/u/rec.gz" "$TMP/rootonly/rec.gz" 2>/dev/null
"${SUDO_ENV[@]}" timeout 20 "$SOCKTOP" --replay "$TMP/rootonly/rec.gz" --stream \
	>/dev/null 2>"$TMP/replay.err"
rc=$?
check privdrop-replay-as-user bash -c "[ $rc != 0 ] && grep -q 'Permission denied' '$TMP/replay.err'"

# --- counters after the drop: a tiny ring, stopped reader, a storm ----------
out=$TMP/counters
"${SUDO_ENV[@]}" "$SOCKTOP" --stream --json -L 21012 --ringbuf-kb 4 >"$out" 2>"$out.err" &
SPID=$!
PIDS+=("$SPID")
if wait_attached "$SPID"; then
	kill -STOP "$SPID"
	$PY "$HERE/conn.py" --port 21012 --count 60 >"$TMP/storm" 2>&1
	kill -CONT "$SPID"
	stop_socktop
	if grep -Eq ' [1-9][0-9]* lost \(kernel drops\) = [1-9][0-9]* emitted' "$out.err"; then
		pass privdrop-counters
	else
		fail privdrop-counters "$(grep -E 'lost|conn' "$out.err" "$TMP/storm" | head -3)"
	fi
else
	fail privdrop-counters "socktop did not start"
fi

# --- every BPF fd used unprivileged: program info, maps, iterators, ring ----
$PY -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 21013)); s.listen(); print("ready", flush=True); time.sleep(20)' \
	>"$TMP/holder" 2>&1 &
HPID=$!
PIDS+=("$HPID")
for i in $(seq 1 100); do grep -qs ready "$TMP/holder" && break; sleep 0.05; done
"${SUDO_ENV[@]}" timeout 30 "$ROOT/build/tools/after_drop" 21013 >"$TMP/after" 2>&1 &
APID=$!
for i in $(seq 1 200); do grep -qs "^ready" "$TMP/after" && break; sleep 0.05; done
$PY -c 'import socket; socket.create_connection(("127.0.0.1", 21013)).close()'
wait "$APID"
check privdrop-fds-after-drop bash -c "grep -qx 'uid $TU' '$TMP/after' &&
	grep -Eqx 'progs ([1-9][0-9]*) progs_info_ok \1 maps ([1-9][0-9]*) maps_ok \2' '$TMP/after' &&
	! grep -q '^counters_read [^o]' '$TMP/after' && grep -Eqx 'events [1-9][0-9]*' '$TMP/after'"
check privdrop-iter-after-drop bash -c "grep -q '^iter ok socks [1-9]' '$TMP/after' &&
	grep -qx 'owner $HPID 21013' '$TMP/after'"
kill "$HPID" 2>/dev/null

# --- root without sudo: stays uid 0, but with nothing else ------------------
out=$TMP/root
env -u SUDO_UID -u SUDO_GID "$SOCKTOP" --stream -L 21014 >"$out" 2>"$out.err" &
SPID=$!
PIDS+=("$SPID")
if wait_attached "$SPID"; then
	check privdrop-root-no-sudo status_dropped "$SPID" 0 0
	stop_socktop
else
	fail privdrop-root-no-sudo "socktop did not start"
fi

# --- --snapshot --duration: the watch runs dropped, the pass still has owners
$PY -c '
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 21018)); s.listen(); print("ready", flush=True); time.sleep(20)' \
	>"$TMP/holder2" 2>&1 &
HPID=$!
PIDS+=("$HPID")
for i in $(seq 1 100); do grep -qs ready "$TMP/holder2" && break; sleep 0.05; done
out=$TMP/snap
"${SUDO_ENV[@]}" "$SOCKTOP" --snapshot --duration 3 -L 21018 >"$out" 2>"$out.err" &
SPID=$!
PIDS+=("$SPID")
dropped=1
for i in $(seq 1 100); do # until the drop (the programs load first)
	[ "$(status "$SPID" CapEff)" = 0000000000000000 ] && break
	sleep 0.05
done
status_dropped "$SPID" "$TU" "$TG" >"$out.status" || dropped=0
wait "$SPID"
rc=$?
check privdrop-snapshot-duration bash -c "[ $dropped = 1 ] && [ $rc = 0 ] &&
	grep -q 'LISTEN .*127.0.0.1:21018 .*pid=$HPID' '$out'"
kill "$HPID" 2>/dev/null

# --- a kernel that refuses bpf() without CAP_BPF (before 6.5): only it kept
out=$TMP/keep
"${SUDO_ENV[@]}" SOCKTOP_PRIVDROP_FAULT=bpf-refused "$SOCKTOP" --stream --json -L 21019 \
	>"$out" 2>"$out.err" &
SPID=$!
PIDS+=("$SPID")
if wait_attached "$SPID"; then
	keep_ok() {
		local f
		[ "$(status "$SPID" Uid)" = "$TU $TU $TU $TU" ] || return 1
		for f in CapPrm CapEff CapBnd; do # bit 39: CAP_BPF
			[ "$(status "$SPID" $f)" = 0000008000000000 ] || return 1
		done
		[ "$(status "$SPID" CapInh)" = 0000000000000000 ] &&
			[ "$(status "$SPID" CapAmb)" = 0000000000000000 ] &&
			[ "$(status "$SPID" NoNewPrivs)" = 1 ] &&
			grep -q 'privileges dropped but CAP_BPF' "$out.err"
	}
	check privdrop-keep-bpf keep_ok
	"${AS_USER[@]}" $PY "$HERE/ptrace_try.py" "$SPID" >"$TMP/ptrace.keep" 2>&1
	check privdrop-keep-bpf-no-ptrace grep -qx 'attach EPERM' "$TMP/ptrace.keep"
	stop_socktop
else
	fail privdrop-keep-bpf "socktop did not start"
	fail privdrop-keep-bpf-no-ptrace "socktop did not start"
fi

# --- a user given just the capabilities (ambient, as a service manager
# would): they go too; the bounding set needs CAP_SETPCAP, so it stays
out=$TMP/u/ambient
setpriv --reuid="$TU" --regid="$TG" --clear-groups --inh-caps=+bpf,+perfmon,+dac_read_search \
	--ambient-caps=+bpf,+perfmon,+dac_read_search -- "$TMP/u/socktop" --stream -L 21021 \
	>"$out" 2>"$out.err" &
SPID=$!
PIDS+=("$SPID")
if wait_attached "$SPID"; then
	ambient_ok() {
		local f
		[ "$(status "$SPID" Uid)" = "$TU $TU $TU $TU" ] || return 1
		for f in CapInh CapPrm CapEff CapAmb; do
			[ "$(status "$SPID" $f)" = 0000000000000000 ] || return 1
		done
		[ "$(status "$SPID" NoNewPrivs)" = 1 ]
	}
	check privdrop-ambient-user ambient_ok
	stop_socktop
else
	fail privdrop-ambient-user "socktop did not start"
fi

# --- the UI, live, as the sudo user; a cgroup named after the drop ----------
TSOCK=socktop-privdrop-$$
CG=""
CGROOT=$(awk '$3 == "cgroup2" {print $2; exit}' /proc/self/mounts)
if [ -n "$CGROOT" ] && mkdir "$CGROOT/socktop-privdrop-$$" 2>/dev/null; then
	CG=$CGROOT/socktop-privdrop-$$
fi
tmux -L "$TSOCK" -f /dev/null new-session -d -x 200 -y 40 \
	"env -i PATH=/usr/bin:/bin HOME=/tmp TERM=tmux-256color LANG=C.UTF-8 TZ=UTC \
	SUDO_UID=$TU SUDO_GID=$TG SOCKTOP_THEMES=$ROOT/themes $SOCKTOP -L 21015; \
	echo \"[exit \$?]\"; sleep 30"
tmux -L "$TSOCK" set-option -g status off >/dev/null
screen() { tmux -L "$TSOCK" capture-pane -p -J 2>/dev/null; }
wait_screen() { # REGEX: up to 10 s
	local i
	for i in $(seq 1 200); do screen | grep -Eq -- "$1" && return 0; sleep 0.05; done
	screen >&2
	return 1
}
if wait_screen 'no TCP sockets seen yet|LOCAL'; then
	PANE=$(tmux -L "$TSOCK" display -p '#{pane_pid}')
	UPID=$(ps --ppid "$PANE" -o pid= -o comm= | awk '$2 == "socktop" {print $1}')
	check privdrop-ui-status status_dropped "${UPID:-0}" "$TU" "$TG"
	# a listener born after the drop, in its own cgroup when there is one
	$PY -c '
import socket, sys, time
if sys.argv[1]:
    open(sys.argv[1] + "/cgroup.procs", "w").write("0")
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 21015)); s.listen(); time.sleep(20)' "$CG" >/dev/null 2>&1 &
	LPID=$!
	PIDS+=("$LPID")
	if wait_screen "$LPID +python3 .*:21015 .*LISTEN"; then pass privdrop-ui; else fail privdrop-ui; fi
	if [ -z "$CG" ]; then
		skip privdrop-ui-cgroup "cannot make a cgroup v2 directory here"
	elif wait_screen "socktop-privdrop-$$"; then
		pass privdrop-ui-cgroup
	else
		fail privdrop-ui-cgroup "cgroup name not shown"
	fi
	# the programs and links it holds (root reads a non-dumpable's fds)
	for fd in /proc/"${UPID:-0}"/fd/*; do
		case $(readlink "$fd" 2>/dev/null) in
		anon_inode:bpf-prog) k=prog ;;
		anon_inode:bpf_link) k=link ;;
		*) continue ;;
		esac
		sed -n "s/^${k}_id:[[:space:]]*\([0-9]*\)$/$k \1/p" /proc/"$UPID"/fdinfo/"${fd##*/}"
	done | sort -u >"$TMP/ids"
	tmux -L "$TSOCK" send-keys q
	wait_screen '^\[exit 0\]' >/dev/null || fail privdrop-ui "did not quit with 0"
	# unprivileged at exit, it still takes every program and link away
	left=$(while read -r k id; do
		bpftool "$k" show id "$id" >/dev/null 2>&1 && echo "$k $id"
	done <"$TMP/ids")
	if ! command -v bpftool >/dev/null; then
		skip privdrop-exit-detaches "bpftool not installed"
	else
		check privdrop-exit-detaches bash -c "[ -z '$left' ] && grep -q '^link' '$TMP/ids' &&
			grep -q '^prog' '$TMP/ids'"
	fi
	kill "$LPID" 2>/dev/null
	wait "$LPID" 2>/dev/null
else
	for t in privdrop-ui privdrop-ui-status privdrop-ui-cgroup; do fail "$t" "UI did not start"; done
fi
tmux -L "$TSOCK" kill-server 2>/dev/null

# --- without the capabilities: one line, exit 1, terminal untouched ---------
oneline() { # ERRFILE: a single line naming the capabilities and --replay
	[ "$(wc -l <"$1")" = 1 ] && grep -q 'CAP_BPF' "$1" && grep -q 'CAP_PERFMON' "$1" &&
		grep -q -- '--replay' "$1"
}
"${NOCAPS[@]}" "$SOCKTOP" --stream -L 21016 >"$TMP/nocaps" 2>"$TMP/nocaps.err"
rc=$?
check privdrop-nocaps-stream bash -c "[ $rc = 1 ] && [ ! -s '$TMP/nocaps' ] && $(declare -f oneline); oneline '$TMP/nocaps.err'"
"${AS_USER[@]}" "$TMP/u/socktop" --stream -L 21016 >"$TMP/user" 2>"$TMP/user.err"
rc=$?
check privdrop-nocaps-user bash -c "[ $rc = 1 ] && $(declare -f oneline); oneline '$TMP/user.err'"
# --snapshot too: a table without other users' holders would be a lie
"${NOCAPS[@]}" "$SOCKTOP" --snapshot -L 21016 >"$TMP/nocaps" 2>"$TMP/nocaps.err"
rc=$?
check privdrop-nocaps-snapshot bash -c "[ $rc = 1 ] && [ ! -s '$TMP/nocaps' ] && $(declare -f oneline); oneline '$TMP/nocaps.err'"
tmux -L "$TSOCK" -f /dev/null new-session -d -x 250 -y 20 \
	"stty -g >$TMP/stty.before; setpriv --bounding-set=-all --inh-caps=-all -- $SOCKTOP -L 21017; \
	echo \"[exit \$?]\"; stty -g >$TMP/stty.after; sleep 30"
# the message is the first line on the screen (nothing cleared it), then
# the exit status; the tty modes are as before; no alternate screen
if wait_screen '^\[exit [0-9]+\]'; then
	screen | sed -n 1p >"$TMP/ui.err"
	check privdrop-nocaps-ui bash -c "[ \"\$(tmux -L '$TSOCK' capture-pane -p -J | sed -n 2p)\" = '[exit 1]' ] &&
		$(declare -f oneline); oneline '$TMP/ui.err' && cmp -s '$TMP/stty.before' '$TMP/stty.after' &&
		[ \"\$(tmux -L '$TSOCK' display -p '#{alternate_on}')\" = 0 ]"
else
	fail privdrop-nocaps-ui "did not exit"
fi
exit 0
