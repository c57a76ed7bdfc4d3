#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs each cmocka test binary given; one result line per binary.
. "$(dirname "$0")/../lib.sh"
rc=0
for t in "$@"; do
	name=unit/${t##*/}
	if out=$("$t" 2>&1); then
		n=$(grep -Eo '\[  PASSED  \] [0-9]+' <<<"$out" | grep -Eo '[0-9]+$' || echo 0)
		t_pass "$name ($n cases)"
	else
		echo "$out" >&2
		t_fail "$name"
		rc=1
	fi
done
exit $rc
