#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# initramfs.sh OUT: the guests' initramfs (gzip'd newc cpio): busybox
# (static), socktop, kload and tmux with the libraries ldd names, the
# terminfo entries and the C.UTF-8 locale, and tests/kernels/init as
# /init. Kernel modules are a second archive per kernel (boot.sh), which
# the kernel unpacks over this one. Rebuilt only when an input is newer.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:?usage: initramfs.sh OUT}
BUSYBOX=$(command -v busybox || true)
bins=("$ROOT/socktop" "$ROOT/build/tools/kload" "$(command -v tmux || true)")
inputs=("$ROOT/tests/kernels/init" "$0" "${bins[@]}")

if [ -s "$out" ] && [ -z "${KT_DEBUG:-}" ] && [ ! -e "$out.debug" ]; then
	fresh=1
	for f in "${inputs[@]}"; do [ "$f" -nt "$out" ] && fresh=0; done
	[ $fresh = 1 ] && exit 0
fi
[ -n "$BUSYBOX" ] || { echo "initramfs.sh: busybox missing" >&2; exit 1; }
tree=$(mktemp -d "${out%/*}/initramfs.XXXXXX")
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree"/{bin,etc,lib,proc,sys,dev,tmp,root,r,mods,lib/terminfo}
install -m 755 "$ROOT/tests/kernels/init" "$tree/init"

# a binary and every library ldd names, at the same paths
copy_with_libs() {
	local f=$1 lib
	[ -x "$f" ] || { echo "initramfs.sh: $f missing" >&2; return 1; }
	cp "$f" "$tree/bin/"
	for lib in $(ldd "$f" 2>/dev/null | grep -oE '/[^ ]+'); do
		mkdir -p "$tree$(dirname "$lib")"
		cp -L "$lib" "$tree$lib"
	done
}
# busybox-static needs no library; a dynamic busybox gets its own
for b in "$BUSYBOX" "${bins[@]}"; do copy_with_libs "$b"; done
# for a developer's look inside: KT_DEBUG=SCRIPT runs SCRIPT first in the
# guest (its output in debug.out of the results), KT_DEBUG_BINS adds tools
# (bpftool, say) and KT_DEBUG_FILES files under /debug
if [ -n "${KT_DEBUG:-}" ]; then
	install -m 755 "$KT_DEBUG" "$tree/debug.sh"
	for b in ${KT_DEBUG_BINS:-}; do copy_with_libs "$(command -v "$b")"; done
	mkdir -p "$tree/debug"
	for f in ${KT_DEBUG_FILES:-}; do cp "$f" "$tree/debug/"; done
fi

for t in s/screen s/screen-256color x/xterm x/xterm-256color t/tmux t/tmux-256color l/linux; do
	for d in /lib/terminfo /usr/share/terminfo; do
		if [ -f "$d/$t" ]; then
			mkdir -p "$tree/lib/terminfo/${t%/*}"
			cp "$d/$t" "$tree/lib/terminfo/$t"
			break
		fi
	done
done
if [ -d /usr/lib/locale/C.utf8 ]; then
	mkdir -p "$tree/usr/lib/locale"
	cp -r /usr/lib/locale/C.utf8 "$tree/usr/lib/locale/"
fi
echo 'root:x:0:0:root:/root:/bin/sh' >"$tree/etc/passwd"
echo 'root:x:0:' >"$tree/etc/group"
(cd "$tree" && find . | sort | "$BUSYBOX" cpio -o -H newc 2>/dev/null) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
# a debug initramfs is not the suite's own: rebuilt on the next run
if [ -n "${KT_DEBUG:-}" ]; then touch "$out.debug"; else rm -f "$out.debug"; fi
