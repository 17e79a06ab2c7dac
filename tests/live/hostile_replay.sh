#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# A recording whose process names and header strings hold terminal escapes
# (mkfixture hostile), replayed through every stream in text, CSV and JSON
# and through the snapshot: nothing raw on stdout or stderr, CSV rows as
# wide as the header, every JSON line valid, the names escaped. No root.
# (The fixture has no bind or connect event of its own: those streams are
# checked for form only.)
. "$(dirname "$0")/lib.sh"
GEN=$ROOT/build/tools/mkfixture
CHECK="python3 $ROOT/tests/live/check_hostile.py"
if [ ! -x "$SOCKTOP" ] || [ ! -x "$GEN" ] || ! command -v python3 >/dev/null; then
	skip hostile-replay "needs ./socktop, build/tools/mkfixture and python3"
	exit 0
fi
"$GEN" hostile "$TMP/h.rec" || { fail hostile-replay-fixture; exit 0; }
# the EVIL process's name (cut to 15 bytes by the kernel) as shown
text='\x1b[31mEVIL\x1b]0;pwn'
for kind in states binds connects; do
	for f in text csv json; do
		args=(--replay "$TMP/h.rec" --stream="$kind")
		want=$text
		case $f in
		csv) args+=(-s) ;;
		json) args+=(--json) want='\\x1b[31mEVIL\\x1b]0;pwn"' ;;
		esac
		# text columns cut names: look for the whole name only where it fits
		[ "$f" = text ] && args+=(-w) && want='\x1b[31mEVIL'
		[ "$kind" = states ] || want= # the fixture's binds and connects are others'
		"$SOCKTOP" "${args[@]}" >"$TMP/$kind.$f" 2>"$TMP/$kind.$f.err"
		rc=$?
		if [ $rc -ne 0 ]; then
			fail "hostile-replay-$kind-$f" "exit $rc: $(head -c 200 "$TMP/$kind.$f.err")"
		else
			check "hostile-replay-$kind-$f" $CHECK format "$f" "$TMP/$kind.$f" ${want:+"$want"}
		fi
	done
done
"$SOCKTOP" --replay "$TMP/h.rec" --snapshot >"$TMP/snap.text" 2>"$TMP/snap.text.err"
check hostile-replay-snapshot-text $CHECK format text "$TMP/snap.text" "((\"$text\",pid=6666))"
"$SOCKTOP" --replay "$TMP/h.rec" --snapshot --json >"$TMP/snap.json" 2>"$TMP/snap.json.err"
check hostile-replay-snapshot-json $CHECK format json "$TMP/snap.json" '\\x1b[31mEVIL'
check hostile-replay-stderr $CHECK clean "$TMP"/*.err
