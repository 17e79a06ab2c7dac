#!/usr/bin/env bash
# Render benchmark: frame time (rows rebuilt and sorted, whole screen drawn
# through curses) with 10k and 100k sockets from generated recordings.
# Called from tests/bench/run; prints one line per measurement.
set -eu
cd "$(dirname "$0")/../.."
out=build/fixtures
mkdir -p "$out"
for n in 10000 100000; do
	rec=$out/big$n.rec
	[ -s "$rec" ] && [ "$rec" -nt build/tools/mkfixture ] || build/tools/mkfixture big $n "$rec"
	build/tools/bench_render "$rec" "${FRAMES:-100}" 120x40
done
