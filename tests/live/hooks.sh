#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Live: a hook the kernel refuses costs only its feature, and says why.
# Failures are injected at load time with SOCKTOP_FAULT=FEATURE:KIND (the
# feature then takes its real error path) or made with --disable. In a
# stream, the hook it prints is needed: without it, one line on stderr
# naming the hook and the reason (kernel lockdown named as such, no
# verifier text), nothing on stdout, exit 1; hooks it does not print may
# fail unnoticed. The states hook is needed everywhere. Ports 23300-23399.
. "$(dirname "$0")/lib.sh"
need_live hooks-binds-lockdown hooks-binds-integrity hooks-binds-enoent hooks-connects-eperm \
	hooks-states-lockdown hooks-states-einval hooks-states-disabled hooks-states-eacces \
	hooks-unused-faults-states hooks-unused-faults-binds hooks-unused-faults-connects \
	hooks-fault-bad
cd "$TMP"
CONN="python3 $ROOT/tests/live/conn.py"

# fatal NAME FAULT 'MESSAGE' ARGS...: exit 1 within 10 s, stdout empty,
# stderr exactly "socktop: MESSAGE" (fixed text)
fatal() {
	local name=$1 fault=$2 want=$3 rc
	shift 3
	SOCKTOP_FAULT=$fault timeout 10 "$SOCKTOP" "$@" >"$name.out" 2>"$name.err" </dev/null
	rc=$?
	if [ $rc -ne 1 ]; then
		fail "$name" "exit $rc, want 1: $(head -c 300 "$name.err")"
	elif [ -s "$name.out" ]; then
		fail "$name" "wrote to stdout"
	elif [ "$(cat "$name.err")" != "socktop: $want" ]; then
		fail "$name" "stderr: $(head -c 400 "$name.err")"
	else
		pass "$name"
	fi
}

fatal hooks-binds-lockdown binds:lockdown \
	"cannot capture bind() calls: binds off: load bind programs: kernel lockdown (confidentiality) forbids it (/sys/kernel/security/lockdown)" \
	--stream=binds
fatal hooks-binds-integrity binds:lockdown-integrity \
	"cannot capture bind() calls: binds off: load bind programs: kernel lockdown (integrity) forbids it (/sys/kernel/security/lockdown)" \
	--stream=binds --json
fatal hooks-binds-enoent binds:enoent \
	"cannot capture bind() calls: binds off: load bind programs: hook not found in this kernel" \
	--stream=binds
fatal hooks-connects-eperm connects:eperm \
	"cannot capture TCP connects: connects off: load connect/accept programs: permission denied (needs root: CAP_BPF, CAP_PERFMON, CAP_NET_ADMIN)" \
	--stream=connects
fatal hooks-states-lockdown states:lockdown \
	"cannot capture TCP state changes: states off: load sock/inet_sock_set_state program: kernel lockdown (confidentiality) forbids it (/sys/kernel/security/lockdown)" \
	--stream
fatal hooks-states-einval states:einval \
	"cannot capture TCP state changes: states off: load sock/inet_sock_set_state program: rejected by the kernel (verifier or unsupported program type)" \
	--stream --json
fatal hooks-states-disabled "" \
	"cannot capture TCP state changes: states off: disabled (--disable states)" \
	--stream=binds --disable states
# the states hook is needed by the binds stream too
fatal hooks-states-eacces states:eacces,binds:eperm \
	"cannot capture TCP state changes: states off: load sock/inet_sock_set_state program: permission denied (needs root: CAP_BPF, CAP_PERFMON, CAP_NET_ADMIN)" \
	--stream=binds

# unused NAME PORT FAULT ARGS...: the faulted hooks are ones this stream
# does not load: it runs, prints our loopback connection's events, ends
# with status 0, and stderr does not mention them
unused() {
	local name=$1 port=$2 fault=$3 rc
	shift 3
	if ! SOCKTOP_FAULT=$fault socktop_bg "$name.out" "$@"; then
		fail "$name" "did not start: $(head -c 300 "$name.out.err")"
		return
	fi
	$CONN --port "$port" --count 2 >/dev/null
	stop_socktop
	rc=$?
	if [ $rc -ne 0 ]; then
		fail "$name" "exit $rc"
	elif ! grep -q "$port" "$name.out"; then
		fail "$name" "no event for port $port: $(head -c 300 "$name.out")"
	elif grep -Eq 'feature|off:|lockdown|permission|rejected' "$name.out.err"; then
		fail "$name" "stderr: $(head -c 300 "$name.out.err")"
	else
		pass "$name"
	fi
}

unused hooks-unused-faults-states 23301 binds:lockdown,connects:eperm,iters:einval \
	--stream --json -L 23301
unused hooks-unused-faults-binds 23302 connects:lockdown,iters:eperm --stream=binds --json -P 23302
unused hooks-unused-faults-connects 23303 binds:lockdown,iters:eperm --stream=connects --json \
	-P 23303

# a SOCKTOP_FAULT that says nothing valid is refused, not ignored
SOCKTOP_FAULT=binds:sometimes timeout 10 "$SOCKTOP" --stream >bad.out 2>bad.err </dev/null
rc=$?
check hooks-fault-bad eval '[ $rc = 1 ] && [ ! -s bad.out ] &&
	grep -q "^socktop: SOCKTOP_FAULT: bad entry \"binds:sometimes\"" bad.err'
