#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# boot.sh NAME: one line of the kernel matrix. Fetches the kernel NAME of
# tests/kernels/list (fetch.sh), boots it under qemu-system-x86_64 with
# software emulation (TCG) and the initramfs of initramfs.sh, whose /init
# runs the smoke suite; the results come back on the second serial port
# and check.py judges them (PASS/FAIL lines, the matrix row in
# tests/out/kernels/NAME.row). SKIP with the reason when qemu, busybox or
# the package archive is missing.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
name=${1:?usage: boot.sh NAME}
KB=$ROOT/build/kernels
OUT=$ROOT/tests/out/kernels
T=kernels-$name
# the longest a guest may take (TCG on a busy 2-CPU host)
BOOT_TIMEOUT=${BOOT_TIMEOUT:-270}

rm -f "$OUT/$name.row" # a kernel skipped now has no row from an earlier run
skip() { echo "SKIP $T: $1"; exit 0; }
fail() { echo "FAIL $T: $1"; exit 1; }

command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 not installed (make deps)"
command -v busybox >/dev/null || skip "busybox not installed (make deps installs busybox-static)"
command -v tmux >/dev/null || skip "tmux not installed (make deps)"
[ -x "$ROOT/socktop" ] && [ -x "$ROOT/build/tools/kload" ] || skip "socktop not built (make)"
for f in bios-256k.bin; do
	[ -e /usr/share/qemu/$f ] || [ -e /usr/share/seabios/$f ] || skip "qemu firmware $f missing (seabios)"
done
mkdir -p "$KB" "$OUT" || fail "cannot create $KB"

why=$(bash "$ROOT/tests/kernels/fetch.sh" "$name" 2>"$OUT/$name.fetch.log")
case $? in
0) ;;
3) skip "$why" ;;
*) fail "fetch: $(tail -n 3 "$OUT/$name.fetch.log" | tr '\n' ' ')" ;;
esac
K=$KB/$name
bash "$ROOT/tests/kernels/initramfs.sh" "$KB/initramfs.cpio.gz" 2>"$OUT/$name.initramfs.log" ||
	fail "initramfs: $(tail -n 3 "$OUT/$name.initramfs.log" | tr '\n' ' ')"

run=$OUT/$name
rm -rf "$run" && mkdir -p "$run/mods/mods" || fail "cannot create $run"
cp "$K"/mods/*.ko "$run/mods/mods/" 2>/dev/null
(cd "$run/mods" && find . | busybox cpio -o -H newc 2>/dev/null) | gzip -1 >"$run/mods.cpio.gz"
cat "$KB/initramfs.cpio.gz" "$run/mods.cpio.gz" >"$run/initrd"

# a plain x86-64 CPU: qemu 7.2's TCG mis-emulates cmpxchg16b now and then
# (a double fault in the guest's slab allocator with -cpu max)
start=$(date +%s)
timeout "$BOOT_TIMEOUT" qemu-system-x86_64 -nographic -no-reboot -accel tcg -cpu qemu64,-cx16 -smp 1 -m 1024 \
	-nic none -monitor none -kernel "$K/vmlinuz" -initrd "$run/initrd" \
	-append "console=ttyS0 panic=-1 loglevel=4" \
	-serial "file:$run/console.log" -serial "file:$run/results.b64" </dev/null >"$run/qemu.log" 2>&1
rc=$?
secs=$(($(date +%s) - start))
[ $rc = 124 ] && fail "guest did not finish in $BOOT_TIMEOUT s (console: $(tail -c 300 "$run/console.log" | tr -d '\r' | tr '\n' ' '))"
[ $rc = 0 ] || fail "qemu exit $rc: $(tail -c 300 "$run/qemu.log" | tr '\n' ' ')"

mkdir -p "$run/res"
if ! sed -n '/KT-RESULTS-BEGIN/,/KT-RESULTS-END/p' "$run/results.b64" | tr -d '\r' | grep -q KT-RESULTS-END ||
	! sed -n '/KT-RESULTS-BEGIN/,/KT-RESULTS-END/p' "$run/results.b64" | tr -d '\r' | sed '1d;$d' |
		base64 -d | tar -xzf - -C "$run/res"; then
	oops=$(tr -d '\r' <"$run/console.log" | grep -m3 -E 'Oops|BUG:|panic|RIP:' | tr '\n' ' ')
	fail "no results from the guest (${oops:+kernel: $oops; }console: $(tail -c 300 "$run/console.log" | tr -d '\r' | tr '\n' ' '))"
fi
rm -f "$run/initrd" "$run/mods.cpio.gz"
python3 "$ROOT/tests/kernels/check.py" --name "$name" --dir "$run/res" --socktop "$ROOT/socktop" \
	--version "$(cat "$K/version")" --seconds "$secs" --row "$OUT/$name.row"
