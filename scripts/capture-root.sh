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
sort -u "$list" | while IFS= read -r p; do
	[ -e "$p" ] || [ -L "$p" ] || continue
	# /proc itself and other directories kres lists are recreated by their files.
	dst=$out$p
	# A symlink kres resolved (cwd, exe, /sys/bus/*/devices/*) is recreated as one,
	# with its target as it is (it may dangle inside the tree).
	if [ -L "$p" ]; then
		mkdir -p "$(dirname "$dst")"
		ln -sfn "$(readlink "$p")" "$dst"
	elif [ -d "$p" ]; then
		mkdir -p "$dst"
	elif [ -r "$p" ]; then
		mkdir -p "$(dirname "$dst")"
		cat "$p" >"$dst" 2>/dev/null || rm -f "$dst"
	fi
done
echo "captured $(find "$out" -type f | wc -l) files into $out"
