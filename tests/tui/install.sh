#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make install DESTDIR=... lays out the binary (sbin), the themes, the man
# page, the bash and zsh completions and the systemd unit (not enabled);
# the installed binary, started from / with no SOCKTOP_THEMES, finds its
# themes there (the same binary copied elsewhere does not: the check can
# fail); man finds the page; bash completes the installed themes; the
# unit names the installed binary and systemd-analyze accepts it; make
# uninstall leaves nothing. The same with PREFIX=/usr.
. "$(dirname "$0")/lib.sh"
NAMES="install-files install-version install-themes-found install-themes-control install-man install-completion-themes install-unit install-unit-verify install-not-enabled uninstall-leaves-nothing install-prefix-usr"
tui_need install-files
T=$(mktemp -d /tmp/socktop-install.XXXXXX)
trap 'tui_cleanup; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
D=$T/dest
P=$D/usr/local
mk() { make -C "$TUI_ROOT" -s --no-print-directory "$@"; }

if ! mk install DESTDIR="$D" >"$T/install.out" 2>&1; then
	for t in $NAMES; do fail "$t" "make install: $(tail -3 "$T/install.out" | tr '\n' ' ')"; done
	exit 0
fi
want="sbin/socktop share/man/man8/socktop.8 share/bash-completion/completions/socktop
share/zsh/site-functions/_socktop lib/systemd/system/socktop.service"
for th in "$TUI_ROOT"/themes/*.theme; do want+=" share/socktop/themes/$(basename "$th")"; done
ok=1
for f in $want; do [ -f "$P/$f" ] || { ok=0; echo "missing $P/$f" >&2; }; done
[ -x "$P/sbin/socktop" ] || ok=0
# nothing else: every file installed is one of these
[ "$(find "$D" -type f | wc -l)" = "$(echo $want | wc -w)" ] || ok=0
check install-files test $ok = 1
check install-version eval '"$P/sbin/socktop" --version | head -1 | grep -q "^socktop "'

# the UI of the installed binary, from /, themes from PREFIX/share only
themes_line() { # BIN: its help page's themes line, with --theme light
	TUI_BIN=$1
	cd / || return 1
	tui_start install 120 40 SOCKTOP_THEMES= -- --replay "$TUI_FIX/basic.rec" --no-pace \
		--theme light
	cd - >/dev/null || return 1
	tui_wait 'replay unpaced' || return 1
	tui_keys F1
	tui_wait 'Keys everywhere' || return 1
	for _ in $(seq 1 12); do
		tui_screen | grep -E 'default.*mono|no theme files found' && break
		tui_keys PageDown
		sleep 0.1
	done
	tui_keys Escape q
	tui_cleanup
}
themes_line "$P/sbin/socktop" >"$T/themes.txt" 2>&1
check install-themes-found grep -Eq 'default +high-contrast +light\* +mono' "$T/themes.txt"
mkdir -p "$T/elsewhere/bin"
cp "$P/sbin/socktop" "$T/elsewhere/bin/"
if [ -d /usr/local/share/socktop/themes ]; then
	skip install-themes-control "socktop is installed in /usr/local: a copy would find those themes"
else
	themes_line "$T/elsewhere/bin/socktop" >"$T/themes2.txt" 2>&1
	check install-themes-control grep -q "no theme files found" "$T/themes2.txt"
fi

check install-man eval 'MANPATH="$P/share/man" man -w socktop | grep -qx "$P/share/man/man8/socktop.8" &&
	LC_ALL=C.UTF-8 man --warnings -l "$P/share/man/man8/socktop.8" 2>&1 >/dev/null | wc -c | grep -qx 0'
got=$(PATH="$P/sbin:$PATH" bash -c '. "$1"; COMP_WORDS=(socktop --theme hi); COMP_CWORD=2; _socktop
	echo "${COMPREPLY[*]}"' sh "$P/share/bash-completion/completions/socktop")
check install-completion-themes test "$got" = "high-contrast"

U=$P/lib/systemd/system/socktop.service
check install-unit eval 'grep -qx "ExecStart=/usr/local/sbin/socktop --headless --metrics 127.0.0.1:9470" "$U" &&
	! grep -q "@" "$U"'
if command -v systemd-analyze >/dev/null; then
	# verified where it is installed, the binary it names taken from DESTDIR
	sed "s|^ExecStart=/usr/local/sbin/socktop|ExecStart=$P/sbin/socktop|" "$U" >"$T/socktop.service"
	# (and the man page its Documentation= names, from there too)
	MANPATH="$P/share/man" systemd-analyze verify "$T/socktop.service" >"$T/verify.out" 2>&1
	check install-unit-verify eval '! grep -i "socktop.service" "$T/verify.out" | grep -qiv "^$"'
	[ -s "$T/verify.out" ] && sed 's/^/    /' "$T/verify.out" >&2
else
	skip install-unit-verify "systemd-analyze not installed"
fi
check install-not-enabled eval '[ ! -e "$D/etc" ] && ! find "$D" -name "*.wants" | grep -q .'

mk uninstall DESTDIR="$D" >"$T/uninstall.out" 2>&1
left=$(find "$D" -type f -o -type l)
check uninstall-leaves-nothing eval '[ -z "$left" ] && [ ! -d "$P/share/socktop" ]'
[ -n "$left" ] && echo "left: $left" >&2

# PREFIX=/usr, as a distribution package would
D2=$T/usr-dest
mk install PREFIX=/usr DESTDIR="$D2" >"$T/install2.out" 2>&1
ok=0
[ -x "$D2/usr/sbin/socktop" ] && [ -f "$D2/usr/share/socktop/themes/light.theme" ] &&
	grep -qx "ExecStart=/usr/sbin/socktop --headless --metrics 127.0.0.1:9470" \
		"$D2/usr/lib/systemd/system/socktop.service" && ok=1
mk uninstall PREFIX=/usr DESTDIR="$D2" >>"$T/install2.out" 2>&1
[ -z "$(find "$D2" -type f -o -type l)" ] || ok=0
check install-prefix-usr test $ok = 1
tui_done
