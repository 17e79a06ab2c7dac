#compdef socktop
# SPDX-License-Identifier: GPL-2.0
# zsh completion for socktop(8). Every option of `socktop --help' is here
# (tests/tui/manpage.sh checks).
_arguments -s \
	'--stream=-[print events as lines]::kind:(states binds connects life retrans)' \
	'--snapshot[print the sockets that exist now, then exit]' \
	'--replay[read a recording instead of the kernel]:recording:_files' \
	'--record[also write every event to FILE]:recording:_files' \
	'--headless[no UI, no stream]' \
	'--metrics[serve Prometheus metrics at GET /metrics]:address (ADDR\:PORT):(127.0.0.1\:9470 \[::1\]\:9470)' \
	'(-L --localport)'{-L+,--localport=}'[local ports (or, with --stream=connects and no list, the LPORT column)]::ports:' \
	'--lport[connects: LPORT column]' \
	'(-D --remoteport)'{-D+,--remoteport=}'[remote ports]:ports:' \
	'(-4 --ipv4)'{-4,--ipv4}'[IPv4 only]' \
	'(-6 --ipv6)'{-6,--ipv6}'[IPv6 only]' \
	'(-p --pid)'{-p+,--pid=}'[one process]:pid:_pids' \
	'(-u --uid)'{-u+,--uid=}'[one user]:uid:' \
	'(-P --ports)'{-P+,--ports=}'[bind/connect ports]:ports:' \
	'--cgroup=[tasks in this cgroup v2 subtree only]:cgroup:_directories' \
	'--netns=[these network namespaces only]:namespaces (names or inodes):' \
	'(-t --timestamp)'{-t,--timestamp}'[seconds since the first event]' \
	'(-T --time)'{-T,--time}'[wall clock HH:MM:SS]' \
	'(-w --wide)'{-w,--wide}'[wide columns]' \
	'(-s --csv)'{-s,--csv}'[comma-separated values]' \
	'--json[one JSON object a line]' \
	'(-Y --journal)'{-Y,--journal}'[also log state changes to the journal]' \
	'(-U --print-uid)'{-U,--print-uid}'[UID column]' \
	'(-E --errors)'{-E,--errors}'[include failed binds]' \
	'(-c --count)'{-c,--count}'[counts at exit]' \
	'--duration=[stop after SECS seconds]:seconds:' \
	'--speed=[replay speed]:speed:' \
	'--no-pace[replay: apply it all at once]' \
	'--theme=[colour theme]:theme:(default light mono high-contrast)' \
	'--ringbuf-kb=[ring buffer size in KiB]:KiB:' \
	'--resync=[repair period in seconds]:seconds:' \
	'--max-sockets=[sockets kept in the table]:count:' \
	'--disable=[turn off hooks]:features:_values -s , feature states binds connects iters traffic synack' \
	'(- *)'{-h,--help}'[usage]' \
	'(- *)--version[version, features, minimum kernel]'
