#!/usr/bin/env bash
# The Groups pane: connections summed by remote address, by remote port
# and by local service (m cycles), sortable; Enter shows a group's
# sockets (the Connections pane under the group's filter), Esc comes back
# with the filter as it was; the view filter narrows the sums.
. "$(dirname "$0")/lib.sh"
tui_need tui-groups

tui_start groups 120 40 -- --replay "$TUI_FIX/basic.rec" --no-pace
tui_wait 'replay unpaced \(end\)' >/dev/null || { fail tui-groups-start; exit 1; }
tui_keys Tab Tab Tab
check tui-groups-pane tui_wait '10 groups by remote address \(m: by remote port\)'
check tui-groups-raddr tui_wait '^127\.0\.0\.1 +2 +2 +0 +0 +0 +- '
check tui-groups-v6-whole tui_wait '^2001:db8:ffff:1234:5678:9abc:def0:1 +1 +0 +0 +1 '
tui_keys m
check tui-groups-rport tui_wait '^6379 +2 +2 +1 +1 +0 '
tui_keys m
check tui-groups-service tui_wait '^80 nginx +3 +3 +3 '
check tui-groups-service-pg tui_wait '^5432 postgres +1 +1 +1 '
# sorted by SERVICE (the key)
tui_keys '<'
check tui-groups-sort-key tui_wait 'SERVICE▲'
check tui-groups-sort-order bash -c "$(declare -f tui_screen); TUI_SOCK=$TUI_SOCK; tui_screen | grep -E '^[0-9]+ [a-z]' | awk '{print \$1}' | paste -sd, | grep -qx '22,80,443,5432'"
tui_keys Home Down Enter
check tui-groups-enter tui_wait 'Sockets of local service 80; Esc: back to Groups'
check tui-groups-enter-filter tui_wait 'Filter: lport 80$'
check tui-groups-enter-rows tui_wait '10\.0\.0\.5:80 +203\.0\.113\.143:42218 +ESTABLISHED'
tui_keys Escape
check tui-groups-back tui_wait '4 groups by local service'
check tui-groups-back-filter tui_gone 'Filter: ' 3
# the view filter narrows the sums
tui_keys /
tui_type 'state close_wait'
tui_keys Enter
check tui-groups-filtered tui_wait '1 group by local service|no connection to a local listening port'
tui_keys q
tui_done
