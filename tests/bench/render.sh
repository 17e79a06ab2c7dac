#!/usr/bin/env bash
# Render benchmark: frame time (rows brought up to date with filter and
# sort, visible rows, header and status drawn through curses) with 10k,
# 100k and 1M sockets (RENDER_SIZES) from generated recordings, and the
# resident memory a socket; per scenario (nothing changed,
# state changes, sockets born and closing every frame), median and p95.
# Rows are checked against a build from scratch after each scenario.
# Called from tests/bench/run; prints its figures on stdout, exits 0.
set -eu
cd "$(dirname "$0")/../.."
out=build/fixtures
mkdir -p "$out"
for n in ${RENDER_SIZES:-10000 100000 1000000}; do
	rec=$out/big$n.rec
	[ -s "$rec" ] && [ "$rec" -nt build/tools/mkfixture ] || build/tools/mkfixture big $n "$rec"
	build/tools/bench_render "$rec" "${FRAMES:-100}" 120x40 ||
		echo "render: bench_render $rec failed (exit $?)"
done
