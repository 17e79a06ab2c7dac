#!/usr/bin/env bash
# Network namespaces in a replay (mkfixture netns: the host's, web-a, and
# one whose name holds escapes, each with the same listener and 4-tuple):
# the NETNS column names each (the name escaped, the host's by inode), the
# same tuple is three rows, the listener's owner is its own namespace's;
# netns NAME and netns INODE filter; sorting reaches NETNS; the detail
# page and the Processes pane name the namespace.
. "$(dirname "$0")/lib.sh"
tui_need tui-netns
fix=$(tui_fixture netns) || { skip tui-netns "cannot make the netns fixture"; exit 0; }

tui_start netns 140 30 -- --replay "$fix" --no-pace
if tui_wait 'replay unpaced \(end\)'; then pass tui-netns-start; else fail tui-netns-start; exit 1; fi
rows() { tui_screen | grep -c '127\.0\.0\.1:8080 '; }
check tui-netns-column tui_wait 'AGE NETNS'
s=$(tui_screen)
check tui-netns-three-rows-a-tuple bash -c "[ \$(grep -c '127\.0\.0\.1:50000 .*127\.0\.0\.1:8080 .*ESTABLISHED' <<<'$s') = 3 ]"
check tui-netns-names bash -c "grep -q 'LISTEN .* web-a' <<<'$s' && grep -q 'LISTEN .* 4026531840' <<<'$s'"
check tui-netns-escaped grep -qF '\x1b]0;pwn\x07ns' <<<"$s"
if tui_colours | grep -q $'\x1b\]0;pwn'; then fail tui-netns-no-raw-escape; else pass tui-netns-no-raw-escape; fi
check tui-netns-owner-per-ns grep -Eq '^ +~901 nginx .*127\.0\.0\.1:8080 +127\.0\.0\.1:50000 .* web-a' <<<"$s"

tui_keys /
tui_type 'netns web-a'
tui_keys Enter
tui_wait 'Filter: netns web-a' 3 >/dev/null
check tui-netns-filter-name bash -c "[ $(rows) = 3 ] && ! tmux -L $TUI_SOCK capture-pane -p | grep -q 4026531840"
tui_keys /
tui_keys C-u
tui_type 'netns 4026531840'
tui_keys Enter
tui_wait 'Filter: netns 4026531840' 3 >/dev/null
check tui-netns-filter-inode bash -c "[ $(rows) = 3 ] && ! tmux -L $TUI_SOCK capture-pane -p | grep -q web-a"
tui_keys /
tui_keys C-u
tui_type 'netns nosuch'
tui_keys Enter
check tui-netns-filter-bad tui_wait "netns: no namespace named 'nosuch'" 3
tui_keys Escape
tui_keys Escape

# > from STATE: IN-STATE, AGE, then NETNS (the columns on screen)
tui_keys '>' '>' '>'
check tui-netns-sort tui_wait 'NETNS▲' 3

tui_keys /
tui_type 'netns web-a state listen'
tui_keys Enter
tui_wait 'Filter: netns web-a state listen' 3 >/dev/null
tui_keys Enter
check tui-netns-detail tui_wait 'netns web-a \(4026532101\)' 3
tui_keys Escape
tui_keys Escape
tui_keys /
tui_keys C-u
tui_keys Enter
tui_keys Tab Tab
check tui-netns-procs tui_wait 'ERR NETNS' 3
check tui-netns-procs-row tui_wait '901 .* web-a' 3
# help lists the terms and the columns (generated from their tables)
tui_keys F1
found=1
for i in $(seq 1 15); do
	tui_screen | grep -q 'netns NAME|INODE' && { found=0; break; }
	tui_keys NPage
	sleep 0.2
done
check tui-netns-help-terms [ $found = 0 ]
tui_done
