#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Median wall time of `kres check` over N runs (default 100), against `sysctl -a`
# measured in the same run, interleaved so both see the same machine load. Prints
# both medians and the ratio. Target: kres under 10 ms and no slower than sysctl -a.
# usage: bench/check.sh KRES [N] [extra kres check args]
set -euo pipefail
kres=${1:?usage: bench/check.sh KRES [N]}
n=${2:-100}
shift $(( $# >= 2 ? 2 : 1 ))
command -v sysctl >/dev/null || { echo "bench: sysctl (procps) is missing" >&2; exit 1; }
t_kres=() t_sysctl=()
now() { local t=${EPOCHREALTIME/./}; echo "$t"; }
for ((i = 0; i < n; i++)); do
	a=$(now); "$kres" check "$@" >/dev/null 2>&1 || true; b=$(now)
	sysctl -a >/dev/null 2>&1 || true; c=$(now)
	t_kres+=($((b - a))) t_sysctl+=($((c - b)))
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
mk=$(median "${t_kres[@]}") ms=$(median "${t_sysctl[@]}")
procs=$(ls -d /proc/[0-9]* | wc -l)
printf 'runs: %d, processes on the host: %d, servers found: %s\n' "$n" "$procs" \
	"$({ "$kres" check --format json "$@" 2>/dev/null || true; } | jq '.services | length' 2>/dev/null)"
awk -v k="$mk" -v s="$ms" 'BEGIN {
	printf "kres check   median %8.2f ms\n", k / 1000
	printf "sysctl -a    median %8.2f ms\n", s / 1000
	printf "ratio kres / sysctl -a: %.2f (target <= 1.0; kres target < 10 ms)\n", k / s }'
