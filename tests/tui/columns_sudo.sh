#!/usr/bin/env bash
# Started through sudo, the column choices (F2) belong to the user who ran
# sudo: the file is looked for in that user's home (not root's, not the
# XDG_CONFIG_HOME sudo passed on) and written as that user, once socktop
# has dropped root. The user here is nobody, whose home (/nonexistent)
# cannot be written: the choice stays for the run, the status line names
# nobody's path and the reason, and nothing appears in root's home.
. "$(dirname "$0")/lib.sh"
tui_need tui-columns-sudo
if [ "$(id -u)" != 0 ]; then skip tui-columns-sudo "needs root (to run as sudo would)"; exit 0; fi
home=$(getent passwd nobody | cut -d: -f6)
uid=$(getent passwd nobody | cut -d: -f3)
gid=$(getent passwd nobody | cut -d: -f4)
if [ -z "$uid" ] || [ -e "$home" ]; then skip tui-columns-sudo "no user nobody without a home here"; exit 0; fi
root_conf=$(mktemp -d /tmp/socktop-tui-rootconf.XXXXXX)
trap 'tui_cleanup; rm -rf "$root_conf"' EXIT
# as sudo leaves it: SUDO_UID/GID/USER, and a config dir of root's
tui_start columns-sudo 120 40 SUDO_UID="$uid" SUDO_GID="$gid" SUDO_USER=nobody \
	XDG_CONFIG_HOME="$root_conf" -- --replay "$TUI_FIX/basic.rec" --no-pace
tui_wait 'replay unpaced \(end\)' 10 >/dev/null || { fail tui-columns-sudo-start; exit 1; }
# it runs as nobody now
pid=""
for p in $(pgrep -f "socktop --replay $TUI_FIX/basic.rec"); do
	[ "$(cat /proc/"$p"/comm 2>/dev/null)" = socktop ] && pid=$p
done
if [ -n "$pid" ] && [ "$(stat -c %u /proc/"$pid")" = "$uid" ]; then
	pass tui-columns-sudo-dropped
else
	fail tui-columns-sudo-dropped "process ${pid:-?} not running as uid $uid"
fi
tui_keys F2
tui_wait 'Columns of the Connections pane' >/dev/null
tui_keys Space Escape # PID hidden
check tui-columns-sudo-path tui_wait "not saved to $home/\\.config/socktop/columns"
check tui-columns-sudo-kept tui_wait '^ *COMM +(IP +)?LOCAL'
if [ -z "$(ls -A "$root_conf")" ] && [ ! -e /root/.config/socktop/columns ]; then
	pass tui-columns-sudo-not-root
else
	fail tui-columns-sudo-not-root "a file was written for root: $(ls -AR "$root_conf")"
fi
tui_keys q
tui_done
