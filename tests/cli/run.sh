#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# CLI tests: each directory tests/cli/cases/NAME holds
#   args          the kres arguments (one line; paths relative to the repo root)
#   expected.txt  stdout of the text report        expected.exit  the exit code
#   expected.json stdout with --format json        expected.err   stderr (optional)
#   asserts       optional jq expressions over the JSON, one per line, each must be true
# UPDATE=1 rewrites the expected files from the current binary (review the diff!).
. "$(dirname "$0")/../lib.sh"
kres=${1:?usage: run.sh KRES}
cd "$(dirname "$0")/../.." || exit 1
# git keeps no empty directory; the trees need theirs (queues/rx-0, /proc/PID/fd).
grep -v '^#' tests/fixtures/empty-dirs.txt | while IFS= read -r d; do mkdir -p "$d"; done
rc=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for d in tests/cli/cases/*/; do
	name=${d%/}; name=${name##*/}
	read -r -a args <"$d/args"
	NO_COLOR=1 "$kres" "${args[@]}" >"$tmp/out.txt" 2>"$tmp/err.txt"; code=$?
	NO_COLOR=1 "$kres" "${args[@]}" --format json >"$tmp/out.json" 2>/dev/null
	if [ "${UPDATE:-0}" = 1 ]; then
		cp "$tmp/out.txt" "$d/expected.txt"; cp "$tmp/out.json" "$d/expected.json"
		echo "$code" >"$d/expected.exit"
		if [ -s "$tmp/err.txt" ]; then cp "$tmp/err.txt" "$d/expected.err"; else rm -f "$d/expected.err"; fi
	fi
	fail=
	[ "$code" = "$(cat "$d/expected.exit")" ] || fail="exit $code, expected $(cat "$d/expected.exit")"
	diff -u "$d/expected.txt" "$tmp/out.txt" >"$tmp/diff" || fail="${fail:+$fail; }text differs"
	diff -u "$d/expected.json" "$tmp/out.json" >>"$tmp/diff" || fail="${fail:+$fail; }json differs"
	if [ -f "$d/expected.err" ]; then
		diff -u "$d/expected.err" "$tmp/err.txt" >>"$tmp/diff" || fail="${fail:+$fail; }stderr differs"
	elif [ -s "$tmp/err.txt" ]; then
		fail="${fail:+$fail; }unexpected stderr: $(head -c 300 "$tmp/err.txt")"
	fi
	jq -e . "$tmp/out.json" >/dev/null 2>&1 || fail="${fail:+$fail; }invalid JSON"
	if [ -f "$d/asserts" ]; then
		while IFS= read -r a; do
			[ -z "$a" ] || [ "${a:0:1}" = "#" ] && continue
			[ "$(jq -e "$a" "$tmp/out.json" 2>&1)" = true ] || fail="${fail:+$fail; }assert failed: $a"
		done <"$d/asserts"
	fi
	if [ -n "$fail" ]; then
		head -60 "$tmp/diff" >&2
		t_fail "cli/$name: $fail"; rc=1
	else
		t_pass "cli/$name"
	fi
done
# Scripted tests: tests/cli/t-*.sh, each given the binary, recording its own results.
for t in tests/cli/t-*.sh; do
	[ -f "$t" ] || continue
	bash "$t" "$kres" || rc=1
done
exit $rc
