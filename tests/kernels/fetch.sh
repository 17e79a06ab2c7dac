#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# fetch.sh NAME: fetch the kernel NAME of tests/kernels/list and unpack it
# into build/kernels/NAME/ (vmlinuz, release, version, mods/*.ko). Uses
# apt-get download with an apt configuration of its own under
# build/kernels/apt (its own sources.list, lists and cache; the host's apt
# configuration is never changed and nothing is installed). A kernel
# already unpacked is reused when the archive is unreachable.
# Exit 0: ready. Exit 3: cannot (one line on stdout says why). Else: error.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LIST=$ROOT/tests/kernels/list
KB=$ROOT/build/kernels
APT=$KB/apt
name=${1:?usage: fetch.sh NAME}
DEF_PKG=linux-image-cloud-amd64
DEF_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
# the modules the guest loads (sock_diag for the snapshot's fallback)
MODS="inet_diag tcp_diag"

cannot() { echo "$*"; exit 3; }

# NAME SUITE PACKAGE MIRROR KEYRING of every kernel, defaults filled in
list_lines() {
	local n s p m k
	while read -r n s p m k; do
		case $n in '' | '#'*) continue ;; esac
		echo "$n ${s:?} ${p:-$DEF_PKG} ${m:-$MIRROR} ${k:-$DEF_KEYRING}"
	done <"$LIST"
}

# The Debian archive the host's own apt uses, unless told
host_mirror() {
	[ -n "${KERNELS_MIRROR:-}" ] && { echo "$KERNELS_MIRROR"; return; }
	apt-get indextargets --format '$(REPO_URI)' 2>/dev/null |
		grep -m1 -E '/debian/?$' | sed 's|/$||'
}

apt_conf() {
	mkdir -p "$APT"/lists/partial "$APT"/cache/archives/partial "$APT"/parts \
		"$APT"/sources.d "$APT"/prefs.d "$KB"/debs || return 1
	: >"$APT"/status
	cat >"$APT"/apt.conf <<-EOF
		Dir::Etc::SourceList "$APT/sources.list";
		Dir::Etc::SourceParts "$APT/sources.d";
		Dir::Etc::Parts "$APT/parts";
		Dir::Etc::Preferences "$APT/preferences";
		Dir::Etc::PreferencesParts "$APT/prefs.d";
		Dir::State::Lists "$APT/lists";
		Dir::State::status "$APT/status";
		Dir::Cache "$APT/cache";
		APT::Architecture "amd64";
		APT::Architectures { "amd64"; };
		APT::Sandbox::User "root";
		Acquire::Languages "none";
		// suites kept only as archives (and mirrors frozen at a date)
		// carry an expired Valid-Until; signatures are still checked
		Acquire::Check-Valid-Until "false";
		// an archive that does not answer is a SKIP, not a hung test
		Acquire::Retries "1";
		Acquire::http::Timeout "30";
		Acquire::https::Timeout "30";
	EOF
	list_lines | awk '{ print "deb [signed-by=" $5 "] " $4 " " $2 " main" }' | sort -u \
		>"$APT"/sources.list.new || return 1
	if ! cmp -s "$APT"/sources.list.new "$APT"/sources.list; then
		mv "$APT"/sources.list.new "$APT"/sources.list
		rm -f "$APT"/updated
	else
		rm -f "$APT"/sources.list.new
	fi
}

papt() { APT_CONFIG=$APT/apt.conf "$@"; }

# apt-get update at most once a day; an old list is kept when it fails
apt_update() {
	if [ -e "$APT"/updated ] && [ -z "$(find "$APT"/updated -mmin +1440)" ]; then
		return 0
	fi
	# a suite that could not be fetched is a warning, not an error, to apt
	if papt apt-get update -qq >"$APT"/update.log 2>&1 &&
		! grep -qE '^(E:|Err:|W: Failed to fetch|W: Some index files)' "$APT"/update.log; then
		touch "$APT"/updated
		return 0
	fi
	return 1
}

# the linux-{image,binary,modules}-* dependencies of a .deb: NAME=VERSION
# where pinned (Debian's), else NAME (from the same suite)
kernel_deps() {
	dpkg-deb -f "$1" Depends Pre-Depends | sed -E 's/^[A-Za-z-]+: //' | tr ',' '\n' |
		sed -E 's/^ +//; s/ *\|.*//' | awk '$1 ~ /^linux-(image|binary|modules)-/ {
			if ($2 == "(=") { v = $3; sub(/\)$/, "", v); print $1 "=" v } else print $1 }' |
		sort -u
}

# download PKG[=VER] (from SUITE when no version) into debs/, print the file
download() {
	local spec=$1 suite=$2 tmp=$KB/debs/new f
	case $spec in *=*) ;; *) spec="$spec/$suite" ;; esac
	rm -rf "$tmp" && mkdir -p "$tmp" || return 1
	(cd "$tmp" && papt apt-get download -qq "$spec" >>"$APT"/download.log 2>&1) || return 1
	for f in "$tmp"/*.deb; do
		[ -f "$f" ] || return 1
		mv "$f" "$KB/debs/" && echo "$KB/debs/${f##*/}"
	done
}

# unpack the package set into $1 and keep what the guest needs
unpack() {
	local out=$1 tmp=$1.tmp deb vmlinuz mdir m ko
	shift
	rm -rf "$tmp" && mkdir -p "$tmp/x" "$tmp/mods" || return 1
	for deb in "$@"; do dpkg -x "$deb" "$tmp/x" || return 1; done
	vmlinuz=$(find "$tmp/x" -name 'vmlinuz*' -type f | head -n 1)
	[ -n "$vmlinuz" ] || { echo "no vmlinuz in $*" >&2; return 1; }
	mdir=$(find "$tmp/x" -type d -regex '.*/lib/modules/[^/]+' | head -n 1)
	[ -n "$mdir" ] || { echo "no modules in $*" >&2; return 1; }
	for m in $MODS; do
		ko=$(find "$mdir" -name "$m.ko*" | head -n 1)
		[ -n "$ko" ] || continue # built in
		case $ko in
		*.xz) xz -dc "$ko" >"$tmp/mods/$m.ko" ;;
		*.zst) zstd -qdc "$ko" >"$tmp/mods/$m.ko" ;;
		*.gz) gzip -dc "$ko" >"$tmp/mods/$m.ko" ;;
		*) cp "$ko" "$tmp/mods/$m.ko" ;;
		esac || return 1
	done
	mv "$vmlinuz" "$tmp/vmlinuz" && basename "$mdir" >"$tmp/release" || return 1
	rm -rf "$tmp/x" "$out" && mv "$tmp" "$out"
}

MIRROR=$(host_mirror)
[ -n "$MIRROR" ] || cannot "no Debian archive in the host's apt sources (set KERNELS_MIRROR)"
line=$(list_lines | awk -v n="$name" '$1 == n')
[ -n "$line" ] || { echo "fetch.sh: no kernel $name in $LIST" >&2; exit 2; }
read -r _ suite pkg _ _ <<<"$line"
dir=$KB/$name
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null ||
	cannot "needs apt-get and dpkg-deb (a Debian host)"

mkdir -p "$KB" && exec 9>"$KB/lock" && flock 9 || { echo "fetch.sh: cannot lock $KB/lock" >&2; exit 1; }
apt_conf || { echo "fetch.sh: cannot write $APT" >&2; exit 1; }
if ! apt_update; then
	if [ -s "$dir/vmlinuz" ]; then
		echo "note: archive unreachable, using the cached $name ($(cat "$dir/version"))" >&2
		exit 0
	fi
	[ -e "$APT"/updated ] ||
		cannot "package archive unreachable: $(grep -m1 -E '^(E|W|Err):' "$APT"/update.log | cut -c1-160)"
fi
# the version the suite holds now; nothing to do when it is unpacked
meta=$(download "$pkg" "$suite") || {
	[ -s "$dir/vmlinuz" ] && exit 0
	cannot "cannot download $pkg from $suite: $(tail -n 1 "$APT"/download.log | cut -c1-160)"
}
version=$(dpkg-deb -f "$meta" Version)
if [ -s "$dir/vmlinuz" ] && [ "$(cat "$dir/version" 2>/dev/null)" = "$pkg $version" ]; then
	exit 0
fi
debs=("$meta")
# the packages still to fetch: the kernel's dependencies, breadth first
next_deps=$(kernel_deps "$meta")
seen=" "
while [ -n "$next_deps" ]; do
	set -- $next_deps
	next_deps=""
	for spec; do
		case $seen in *" $spec "*) continue ;; esac
		seen="$seen$spec "
		f=$(download "$spec" "$suite") || cannot "cannot download $spec: $(tail -n 1 "$APT"/download.log | cut -c1-160)"
		debs+=("$f")
		next_deps="$next_deps $(kernel_deps "$f")"
	done
done
unpack "$dir" "${debs[@]}" || { echo "fetch.sh: cannot unpack $name" >&2; exit 1; }
echo "$pkg $version" >"$dir/version"
rm -f "${debs[@]}"
