#!/usr/bin/env bash
# F9/k (htop's kill): a confirmation page naming the socket's owner and a
# signal list; Esc sends nothing; on a replay nothing is sent (the
# recording's pids are another host's). Live: SIGTERM ends the process
# that holds the selected socket. Port 25230.
. "$(dirname "$0")/lib.sh"
tui_need tui-kill

tui_start kill 120 40 -- --replay "$TUI_FIX/basic.rec" --no-pace
tui_wait 'replay unpaced \(end\)' >/dev/null || { fail tui-kill-start; exit 1; }
tui_keys /
tui_type 'comm postgres lport 5432 state listen'
tui_keys Enter
tui_wait 'postgres .*LISTEN' >/dev/null
tui_keys k
check tui-kill-page tui_wait 'Send a signal to process 901 \(postgres\)'
check tui-kill-signals tui_wait '15 SIGTERM'
tui_keys Escape
check tui-kill-cancel tui_gone 'Send a signal' 3
tui_keys F9
tui_wait 'Send a signal to process 901' 3 >/dev/null
tui_keys Down Enter
check tui-kill-replay-refused tui_wait 'not sent: the processes of a recording are not this host'"'"'s'
tui_keys q
tui_cleanup

if [ "$(id -u)" != 0 ]; then
	skip tui-kill-live "needs root (live capture)"
	tui_done; exit
fi
python3 -c '
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 25230)); s.listen(); print("ready", flush=True); time.sleep(60)' \
	>/tmp/socktop-kill-$$.out 2>&1 &
VICTIM=$!
trap 'kill $VICTIM 2>/dev/null; rm -f /tmp/socktop-kill-$$.out; tui_cleanup' EXIT
for i in $(seq 100); do grep -qs ready /tmp/socktop-kill-$$.out && break; sleep 0.05; done
tui_start killlive 120 40 --
if ! tui_wait ' live *$' 20 >/dev/null; then fail tui-kill-live "socktop did not start"; tui_done; exit; fi
tui_keys /
tui_type 'lport 25230'
tui_keys Enter
tui_wait "$VICTIM +python3 .*127\.0\.0\.1:25230 .*LISTEN" 10 >/dev/null
tui_keys k
check tui-kill-live-page tui_wait "Send a signal to process $VICTIM \\(python3\\)" 3
tui_keys Enter
check tui-kill-live-sent tui_wait "sent signal 15 to $VICTIM \\(SIGTERM\\)" 3
gone=0
for i in $(seq 60); do kill -0 $VICTIM 2>/dev/null || { gone=1; break; }; sleep 0.05; done
check tui-kill-live [ $gone = 1 ]
tui_keys q
tui_done
