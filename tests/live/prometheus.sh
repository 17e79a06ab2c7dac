#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Live: a real Prometheus scrapes socktop. Debian's prometheus package
# (installed here when missing; SKIP with the reason when it cannot be),
# its own port, a private data directory and a 1 s scrape interval, points
# at socktop --headless --metrics on an ephemeral loopback port that
# captures only a cgroup of our own. Known connections, refusals and
# failed binds are made in that cgroup; Prometheus's HTTP API must then
# return exactly those counts, the target must be up with no scrape error
# (so Prometheus parsed the OpenMetrics it asked for), and socktop's own
# CPU and memory must be there.
. "$(dirname "$0")/lib.sh"
NAMES="prometheus_target_up prometheus_counts prometheus_process prometheus_openmetrics_scraped prometheus_promtool_lint"
need_live $NAMES
cd "$TMP"
DO="python3 $ROOT/tests/live/metrics_do.py"
if ! command -v prometheus >/dev/null; then
	# a package install can start its service: stop it if it did
	apt_prom() {
		DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq \
			--no-install-recommends -o DPkg::Lock::Timeout=300 prometheus >apt.out 2>&1
	}
	apt_prom || { timeout 300 apt-get update -qq >>apt.out 2>&1 && apt_prom; }
	if command -v systemctl >/dev/null && systemctl is-active -q prometheus 2>/dev/null; then
		systemctl stop prometheus 2>/dev/null
	fi
fi
if ! command -v prometheus >/dev/null; then
	for t in $NAMES; do skip "$t" "Debian's prometheus package is not installed and apt-get could not install it: $(tail -1 apt.out 2>/dev/null)"; done
	exit 0
fi
cgroot=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
CG=socktop-prom-$$
if ! mkdir "$cgroot/$CG" 2>cg.err; then
	for t in $NAMES; do skip "$t" "cannot create a cgroup under $cgroot: $(head -c 200 cg.err)"; done
	exit 0
fi
finish() {
	cleanup
	# whatever still runs in our cgroup is ours (a holder's child)
	for p in $(cat "$cgroot/$CG/cgroup.procs" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
	for _ in $(seq 1 50); do rmdir "$cgroot/$CG" 2>/dev/null && break; sleep 0.1; done
}
trap finish EXIT
in_cg() { sh -c "echo \$\$ >'$cgroot/$CG/cgroup.procs' && exec \"\$@\"" sh "$@"; }

socktop_bg out --headless --metrics 127.0.0.1:0 --cgroup "$CG" ||
	{ for t in $NAMES; do fail "$t" "socktop did not start"; done; exit 0; }
for _ in $(seq 1 100); do grep -q 'metrics at http' out.err && break; sleep 0.05; done
URL=$(grep -o 'metrics at http://[^ ]*' out.err | head -1 | cut -d' ' -f3)
TARGET=${URL#http://}; TARGET=${TARGET%/metrics}

PPORT=$($DO freeport)
cat >prom.yml <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: socktop
    static_configs:
      - targets: ['$TARGET']
EOF
prometheus --config.file=prom.yml --storage.tsdb.path="$TMP/data" \
	--web.listen-address="127.0.0.1:$PPORT" --log.level=warn >prom.out 2>&1 &
PROM_PID=$!
PIDS+=("$PROM_PID")
PROM=http://127.0.0.1:$PPORT
for _ in $(seq 1 300); do
	$DO get "$PROM/-/ready" 2>/dev/null | head -1 | grep -q '^200 ' && break
	sleep 0.1
done

check prometheus_target_up $DO promwait "$PROM" '{"up{job=\"socktop\"}": 1}'
in_cg $DO work 9 4 3 >work.json 2>work.err || fail prometheus_counts "workload: $(cat work.err)"
WANT=$(python3 -c "
import json
w = json.load(open('work.json'))['want']
print(json.dumps({k.replace('{', '{job=\"socktop\",', 1): v for k, v in w.items()}))")
if $DO promwait "$PROM" "$WANT" >diff.txt 2>&1; then pass prometheus_counts; else
	fail prometheus_counts "$(tr '\n' ';' <diff.txt)"; fi
check prometheus_process $DO promwait "$PROM" \
	'{"process_resident_memory_bytes{job=\"socktop\"} > bool 1000000": 1, "process_cpu_seconds_total{job=\"socktop\"} > bool 0": 1, "socktop_events_lost_total{job=\"socktop\"}": 0}'
# up with no scrape error, and what it stored is what OpenMetrics says:
# the families named without their suffix, the build an info
python3 - "$PROM" >targets.txt 2>&1 <<'EOF'
import json, sys, urllib.request
get = lambda p: json.load(urllib.request.urlopen(sys.argv[1] + p, timeout=10))["data"]
a = [x for x in get("/api/v1/targets")["activeTargets"] if x["labels"]["job"] == "socktop"][0]
m = get("/api/v1/targets/metadata?match_target=%7Bjob%3D%22socktop%22%7D")
types = {x["metric"]: x["type"] for x in m}
print(a["health"], repr(a["lastError"]), types.get("socktop_build"), types.get("socktop_transitions"))
sys.exit(0 if a["health"] == "up" and not a["lastError"] and types.get("socktop_build") == "info"
         and types.get("socktop_transitions") == "counter" else 1)
EOF
rc=$?
sed "s/^/    /" targets.txt >&2
check prometheus_openmetrics_scraped test $rc = 0
# Prometheus's own linter on the text format: names, types, help, no dups
if command -v promtool >/dev/null; then
	$DO get "$URL" | tail -n +2 >scrape.txt
	promtool check metrics <scrape.txt >lint.txt 2>&1
	lrc=$?
	check prometheus_promtool_lint eval '[ $lrc = 0 ] && [ ! -s lint.txt ] && grep -q "^socktop_sockets{" scrape.txt'
	sed 's/^/    /' lint.txt >&2
else
	skip prometheus_promtool_lint "promtool not installed with prometheus"
fi
kill -TERM "$PROM_PID" 2>/dev/null
stop_socktop
