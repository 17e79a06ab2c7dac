#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Live: --metrics. socktop --headless --metrics on an ephemeral loopback
# port, capturing only a cgroup of our own (other tests' sockets are not
# counted): known connections, refusals and failed binds made in that
# cgroup come out as exactly those counts; only GET /metrics is served
# (404, 405, 400 for a body or a malformed request) and socktop keeps
# serving after each; OpenMetrics when asked for; the serving process has
# dropped every capability and has one thread (libmicrohttpd runs in the
# loop); alongside a stream both work; a port in use is a clear error.
. "$(dirname "$0")/lib.sh"
NAMES="metrics_counts metrics_containers metrics_text_format metrics_openmetrics metrics_not_found metrics_method metrics_body metrics_malformed metrics_still_serving metrics_privileges metrics_one_thread metrics_exit metrics_with_stream metrics_port_in_use"
need_live $NAMES
cd "$TMP"
DO="python3 $ROOT/tests/live/metrics_do.py"
cgroot=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/self/mounts)
CG=socktop-metrics-$$.service # container_of_cgroup names a service
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
url_of() { # the endpoint socktop said it serves
	local i
	for i in $(seq 1 100); do
		grep -o 'metrics at http://[^ ]*' "$1" 2>/dev/null | head -1 | cut -d' ' -f3 | grep . && return 0
		sleep 0.05
	done
	return 1
}

socktop_bg out --headless --metrics 127.0.0.1:0 --cgroup "$CG" || { for t in $NAMES; do fail "$t" "no start"; done; exit 0; }
URL=$(url_of out.err)
PORT=${URL##*:}; PORT=${PORT%/metrics}

in_cg $DO work 7 3 2 >work.json 2>work.err || fail metrics_counts "workload: $(cat work.err)"
WANT=$(python3 -c "import json; w = json.load(open('work.json'))['want']; print(json.dumps(w))")
if $DO wait "$URL" "$WANT" >diff.txt 2>&1; then pass metrics_counts; else fail metrics_counts "$(tr '\n' ';' <diff.txt)"; fi

# sockets by container (here: the systemd service the cgroup is named as)
# and by namespace, while a listener and a connection to it are held
cat >hold.py <<'EOF'
import socket, time
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(1)
c = socket.create_connection(s.getsockname()); a, _ = s.accept()
print('ready', flush=True); time.sleep(30)
EOF
# (not through in_cg: $! must be python itself, which sh execs)
sh -c "echo \$\$ >'$cgroot/$CG/cgroup.procs' && exec python3 hold.py" >held.out 2>&1 &
HOLD=$!
PIDS+=("$HOLD")
for _ in $(seq 1 100); do grep -q ready held.out && break; sleep 0.05; done
WANT='{"socktop_container_sockets{container=\"'$CG'\",state=\"LISTEN\"}": 1, "socktop_container_sockets{container=\"'$CG'\",state=\"ESTABLISHED\"}": 2}'
if $DO wait "$URL" "$WANT" >diff3.txt 2>&1 && $DO get "$URL" | grep -Eq "^socktop_netns_sockets\{netns=\"[^\"]+\",state=\"ESTABLISHED\"\} 2$"; then
	pass metrics_containers
else
	fail metrics_containers "$(tr '\n' ';' <diff3.txt)"
fi
kill "$HOLD" 2>/dev/null

$DO get "$URL" >text.out
check metrics_text_format eval 'head -1 text.out | grep -q "^200 text/plain; version=0.0.4" &&
	grep -q "^# TYPE socktop_transitions_total counter$" text.out &&
	grep -q "^process_cpu_seconds_total [0-9.]*$" text.out && ! grep -q "^# EOF" text.out'
$DO get "$URL" -H "application/openmetrics-text; version=1.0.0" >om.out
check metrics_openmetrics eval 'head -1 om.out | grep -q "^200 application/openmetrics-text; version=1.0.0" &&
	grep -q "^# TYPE socktop_transitions counter$" om.out && [ "$(tail -1 om.out)" = "# EOF" ]'
check metrics_not_found eval '$DO get "${URL%/metrics}/" | head -1 | grep -q "^404 " &&
	$DO get "${URL}x" | head -1 | grep -q "^404 "'
check metrics_method eval '$DO get "$URL" -X POST -d a=1 | head -1 | grep -q "^405 " &&
	$DO get "$URL" -X HEAD | head -1 | grep -q "^405 "'
check metrics_body eval '$DO get "$URL" -X GET -d xyz | head -1 | grep -q "^400 "'
# libmicrohttpd answers what parses as HTTP with 400 and closes on the
# rest (no request line at all)
check metrics_malformed eval '$DO raw "$PORT" "GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: zz\r\n\r\n" | grep -q "^HTTP/1.1 400 " &&
	$DO raw "$PORT" "GET /metrics HTTP/1.1\r\n\r\n" | grep -q "^HTTP/1.1 400 " &&
	$DO raw "$PORT" "BAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n" | grep -q "^HTTP/1.1 405 " &&
	[ -z "$($DO raw "$PORT" "GARBAGE\r\n\r\n")" ]'
check metrics_still_serving eval '$DO get "$URL" | head -1 | grep -q "^200 "'
check metrics_privileges eval 'grep -q "^CapEff:[[:space:]]*0000000000000000$" /proc/$SPID/status &&
	grep -q "^CapPrm:[[:space:]]*0000000000000000$" /proc/$SPID/status'
# one thread (a resync pass may run a walker thread for a moment: look a
# few times), none of them libmicrohttpd's
one_thread() {
	local i
	cat /proc/$SPID/task/*/comm | grep -qi mhd && return 1
	for i in $(seq 1 20); do
		grep -q "^Threads:[[:space:]]*1$" /proc/$SPID/status && return 0
		sleep 0.1
	done
	return 1
}
check metrics_one_thread one_thread
stop_socktop
rc=$?
check metrics_exit eval '[ $rc = 0 ] && grep -q "events received" out.err'

# alongside a stream: both
socktop_bg st.json --stream connects --json --metrics 127.0.0.1:0 --cgroup "$CG" ||
	fail metrics_with_stream "no start"
URL=$(url_of st.json.err)
in_cg $DO work 2 1 0 >work2.json 2>/dev/null
WANT='{"socktop_connects_total{family=\"ipv4\",result=\"ESTABLISHED\"}": 2, "socktop_connects_total{family=\"ipv4\",result=\"REFUSED\"}": 1}'
$DO wait "$URL" "$WANT" >diff2.txt 2>&1
wrc=$?
stop_socktop
check metrics_with_stream eval '[ $wrc = 0 ] && [ "$(grep -c "\"result\": *\"ESTABLISHED\"" st.json)" = 2 ] &&
	[ "$(grep -c "\"result\": *\"REFUSED\"" st.json)" = 1 ]'

# a port someone holds: one line that says so, exit 1
python3 -c "
import socket, time
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(1)
print(s.getsockname()[1], flush=True); time.sleep(30)" >held.txt &
HELD=$!
PIDS+=("$HELD")
for _ in $(seq 1 100); do [ -s held.txt ] && break; sleep 0.05; done
timeout 20 "$SOCKTOP" --headless --metrics "127.0.0.1:$(cat held.txt)" >inuse.out 2>inuse.err
rc=$?
check metrics_port_in_use eval '[ $rc = 1 ] && grep -q "cannot listen: Address already in use" inuse.err'
