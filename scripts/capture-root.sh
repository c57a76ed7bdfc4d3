#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Captures this machine as a fixture tree: runs kres check with KRES_TRACE_FILES set,
# then copies every file kres read (and recreates every symlink it resolved) under
# OUTDIR, so `kres check --root OUTDIR` sees what it saw here.
# usage: scripts/capture-root.sh KRES OUTDIR [kres check options...]
set -euo pipefail
kres=${1:?usage: capture-root.sh KRES OUTDIR [options]}
out=${2:?usage: capture-root.sh KRES OUTDIR [options]}
shift 2
list=$(mktemp)
trap 'rm -f "$list"' EXIT
KRES_TRACE_FILES=$list "$kres" check "$@" >/dev/null 2>&1 || true
mkdir -p "$out"
# The place of path p in the tree: p itself, or, when a directory on the way is a
# symlink kres also recorded (/sys/block/vda -> ../devices/...), where that link
# leads, so the recreated link finds it.
place() {
	local dir
	dir=$(dirname "$1")
	if mkdir -p "$out$dir" 2>/dev/null; then echo "$out$1"; return; fi
	dir=$(realpath "$dir")
	mkdir -p "$out$dir"
	echo "$out$dir/$(basename "$1")"
}
# Recreates the relative symlinks among the directories on the way to $1
# (/sys/class/net/eth0 -> ../../devices/...), so paths through them resolve in the
# tree as on the host. Absolute links are left alone: writing through one would
# leave the tree.
links() {
	local q= part t parts
	case $1 in /proc/*) return ;; esac # /proc/self and /proc/net stay plain directories
	IFS=/ read -ra parts <<<"${1#/}"
	for part in "${parts[@]:0:${#parts[@]}-1}"; do
		q=$q/$part
		[ -L "$q" ] && [ ! -e "$out$q" ] && [ ! -L "$out$q" ] || continue
		t=$(readlink "$q")
		case $t in /*) return ;; esac
		mkdir -p "$out$(dirname "$q")"
		ln -s "$t" "$out$q"
	done
}
sort -u "$list" | while IFS= read -r p; do
	[ -e "$p" ] || [ -L "$p" ] || continue
	links "$p"
	# /proc itself and other directories kres lists are recreated by their files.
	dst=$(place "$p")
	# A symlink kres resolved (cwd, exe, /sys/bus/*/devices/*) is recreated as one,
	# with its target as it is (it may dangle inside the tree).
	if [ -L "$p" ]; then
		ln -sfn "$(readlink "$p")" "$dst"
	elif [ -d "$p" ]; then
		mkdir -p "$dst"
		# A directory kres lists under /sys: its subdirectories and relative links
		# (queues/rx-0, /sys/class/net/eth0) are what it counts.
		if [[ $p == /sys/* ]]; then
			for e in "$p"/*; do
				if [ -L "$e" ]; then
					t=$(readlink "$e")
					[[ $t == /* ]] || [ -e "$dst/${e##*/}" ] || ln -s "$t" "$dst/${e##*/}"
				elif [ -d "$e" ]; then
					mkdir -p "$dst/${e##*/}"
				fi
			done
		fi
		# A process's descriptors are links kres counts and reads ("socket:[N]").
		if [[ $p =~ ^/proc/[0-9]+/fd$ ]]; then
			for fd in "$p"/*; do
				t=$(readlink "$fd" 2>/dev/null) && ln -sfn "$t" "$dst/${fd##*/}"
			done
		fi
	elif [ -r "$p" ]; then
		cat "$p" >"$dst" 2>/dev/null || rm -f "$dst"
	fi
done
echo "captured $(find "$out" -type f | wc -l) files into $out"
