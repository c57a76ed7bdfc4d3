#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Prints the closing "N passed, N failed" line of `make test` and fails on failures.
f=${1:?results file}
[ -f "$f" ] || { echo "summary: no results in '$f'" >&2; echo "0 passed, 1 failed"; exit 1; }
p=$(grep -c '^pass ' "$f"); x=$(grep -c '^fail ' "$f"); s=$(grep -c '^skip ' "$f")
grep '^fail ' "$f" | sed 's/^fail /failed: /' >&2
if [ "$s" -gt 0 ]; then echo "$p passed, $x failed, $s skipped"; else echo "$p passed, $x failed"; fi
[ "$x" -eq 0 ] && [ "$p" -gt 0 ]
