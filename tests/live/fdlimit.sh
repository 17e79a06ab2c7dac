#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Live: at a low open-file limit every mode says "too many open files
# (limit N)" once, with what to do, and exits 1: no libbpf or verifier
# log, no misleading cause (no cgroup v2, "-24 threads"). A low soft limit
# under a high hard one is raised, and capture works.
. "$(dirname "$0")/lib.sh"
need_live fdlimit_binds_16 fdlimit_states_16 fdlimit_snapshot_8 fdlimit_soft_raised
cd "$TMP"
low() { # name limit args...
	local name=$1 lim=$2 rc; shift 2
	(ulimit -n "$lim"; exec timeout -k 1 10 "$SOCKTOP" "$@" --duration 1) >out 2>err </dev/null
	rc=$?
	if [ $rc -eq 1 ] && [ "$(wc -l <err)" -eq 1 ] &&
		grep -q "^socktop: too many open files (limit $lim): .*ulimit -n" err; then
		pass "$name"
	else
		fail "$name" "exit $rc, $(wc -l <err) lines: $(head -c 300 err)"
	fi
}
low fdlimit_binds_16 16 --stream=binds
low fdlimit_states_16 16 --stream
low fdlimit_snapshot_8 8 --snapshot
(ulimit -Sn 16; exec timeout -k 1 10 "$SOCKTOP" --stream --duration 0.5) >out 2>err </dev/null
rc=$?
if [ $rc -eq 0 ] && grep -q "^socktop: tracing" err; then
	pass fdlimit_soft_raised
else
	fail fdlimit_soft_raised "exit $rc: $(head -c 300 err)"
fi
