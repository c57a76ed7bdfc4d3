#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Real-server tests: each tests/real/t-*.sh starts its server on loopback, checks
# kres against what the server itself reports, and stops it.
. "$(dirname "$0")/../lib.sh"
kres=$(realpath "${1:?usage: run.sh KRES}")
rc=0
for t in "$(dirname "$0")"/t-*.sh; do
	bash "$t" "$kres" || rc=1
done
exit $rc
