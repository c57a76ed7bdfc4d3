#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Replays each fuzz target's committed corpus (fuzz/corpus/<target>/) once, so every
# input that ever crashed or was interesting stays a regression test.
. "$(dirname "$0")/../tests/lib.sh"
rc=0
for f in "$@"; do
	n=${f##*/}
	c=fuzz/corpus/$n
	if [ ! -d "$c" ] || [ -z "$(ls -A "$c")" ]; then
		t_fail "fuzz/$n (no corpus in $c)"; rc=1; continue
	fi
	if "$f" -runs=0 "$c" >"build/fuzz/$n.log" 2>&1; then
		t_pass "fuzz/$n ($(ls "$c" | wc -l) inputs)"
	else
		tail -30 "build/fuzz/$n.log" >&2; t_fail "fuzz/$n"; rc=1
	fi
done
exit $rc
