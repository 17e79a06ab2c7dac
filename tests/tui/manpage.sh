#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# socktop(8) and the shell completions say what the program does: the man
# page renders without a warning (man --warnings; a broken copy does
# warn, so the check can fail), every option of --help is in the man page
# and every option the man page documents is in --help; both agree with
# the parser's own table (tui/opts.c) and every one is accepted; the bash
# and zsh completions offer exactly the options of --help; bash completes
# an option, a stream kind and a --disable list.
. "$(dirname "$0")/lib.sh"
NAMES="man-warnings man-warnings-can-fail man-options-help-in-man man-options-man-in-help man-options-parser man-options-accepted completion-bash-options completion-zsh-options completion-zsh-syntax completion-bash-works version-output"
if ! command -v man >/dev/null || [ ! -x "$TUI_BIN" ]; then
	for t in $NAMES; do skip "$t" "needs man (man-db) and a built socktop"; done
	exit 0
fi
T=$(mktemp -d /tmp/socktop-man.XXXXXX)
trap 'rm -rf "$T"' EXIT
MAN=$TUI_ROOT/tui/socktop.8
OPTS="python3 $TUI_ROOT/tests/tui/options.py"

# man's own check: groff's warnings on stderr, nothing else
LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$MAN" >"$T/man.txt" 2>"$T/man.err"
check man-warnings eval '[ ! -s "$T/man.err" ] && grep -q "^EXIT STATUS" "$T/man.txt" &&
	grep -q "^SEE ALSO" "$T/man.txt" && grep -q "^OVERHEAD" "$T/man.txt"'
[ -s "$T/man.err" ] && sed 's/^/    /' "$T/man.err" >&2
sed 's/^\.TP$/.TP\n.BOGUS macro/' "$MAN" >"$T/bad.8"
LC_ALL=C.UTF-8 man --warnings -l "$T/bad.8" >/dev/null 2>"$T/bad.err"
check man-warnings-can-fail test -s "$T/bad.err"

"$TUI_BIN" --help >"$T/help.txt"
$OPTS help "$T/help.txt" >"$T/o.help"
$OPTS man "$MAN" >"$T/o.man"
missing() { comm -23 "$1" "$2" | tr '\n' ' '; } # in $1, not in $2
m=$(missing "$T/o.help" "$T/o.man")
if [ -z "$m" ] && [ -s "$T/o.help" ]; then pass man-options-help-in-man; else fail man-options-help-in-man "not in socktop.8: $m"; fi
m=$(missing "$T/o.man" "$T/o.help")
if [ -z "$m" ] && [ -s "$T/o.man" ]; then pass man-options-man-in-help; else fail man-options-man-in-help "not in --help: $m"; fi
# the parser's table of long options, and its short option letters
{
	grep -o '{ "[a-z][a-z0-9-]*", ' "$TUI_ROOT/tui/opts.c" | sed 's/{ "\(.*\)", /--\1/'
	grep -o '#define OPTSTRING_COMMON "[^"]*"' "$TUI_ROOT/tui/opts.c" | sed 's/.*"\(.*\)"/\1/' |
		tr -d ':' | grep -o . | sed 's/^/-/'
	echo -L # its argument depends on the stream kind: outside OPTSTRING_COMMON
} | sort -u >"$T/o.parser"
m="$(missing "$T/o.parser" "$T/o.help")$(missing "$T/o.help" "$T/o.parser")"
if [ -z "$m" ] && [ "$(wc -l <"$T/o.parser")" -gt 20 ]; then pass man-options-parser; else fail man-options-parser "differ: $m"; fi
bad=""
while read -r o; do
	timeout 5 "$TUI_BIN" "$o" 1 </dev/null >/dev/null 2>"$T/one.err"
	grep -Eq "unrecognized option|invalid option" "$T/one.err" && bad+="$o "
done <"$T/o.help"
if [ -z "$bad" ]; then pass man-options-accepted; else fail man-options-accepted "refused: $bad"; fi

$OPTS bash "$TUI_ROOT/tui/socktop.bash" >"$T/o.bash"
$OPTS zsh "$TUI_ROOT/tui/socktop.zsh" >"$T/o.zsh"
check completion-bash-options cmp -s "$T/o.help" "$T/o.bash"
check completion-zsh-options cmp -s "$T/o.help" "$T/o.zsh"
if command -v zsh >/dev/null; then
	check completion-zsh-syntax zsh -n "$TUI_ROOT/tui/socktop.zsh"
else
	skip completion-zsh-syntax "zsh not installed"
fi
complete_words() { # words...: what the completion offers for the last one
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _socktop; echo "${COMPREPLY[*]}"' \
		sh "$TUI_ROOT/tui/socktop.bash" socktop "$@"
}
check completion-bash-works eval '[ "$(complete_words --hea)" = "--headless" ] &&
	[ "$(complete_words --stream=re)" = "--stream=retrans" ] &&
	[ "$(complete_words --stream co)" = "connects" ] &&
	[ "$(complete_words --disable binds,i)" = "binds,iters" ] &&
	[ "$(complete_words --metrics 127)" = "127.0.0.1:9470" ]'

# --version: release, git describe, every feature with its kernel
"$TUI_BIN" --version >"$T/version.txt"
check version-output eval 'head -1 "$T/version.txt" | grep -Eq "^socktop [0-9]+\.[0-9]+( \(git [^)]+\))?$" &&
	grep -Eq "^  states +needs Linux [0-9]+\.[0-9]+ or later" "$T/version.txt" &&
	grep -q "^minimum kernel: Linux " "$T/version.txt" && grep -q "libmicrohttpd" "$T/version.txt"'
