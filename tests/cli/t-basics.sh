#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The command line itself: help, version, usage errors and their exit codes, and
# docs/checks.md kept equal to the binary's rule table.
. "$(dirname "$0")/../lib.sh"
kres=${1:?}
rc=0
# expect NAME WANT_EXIT WANT_REGEX_IN_OUTPUT -- ARGS...
expect() {
	local name=$1 want=$2 re=$3; shift 4
	out=$("$kres" "$@" 2>&1); code=$?
	if [ "$code" != "$want" ]; then t_fail "cli/basics: $name: exit $code, expected $want"; rc=1; return; fi
	if ! grep -Eq -- "$re" <<<"$out"; then t_fail "cli/basics: $name: output lacks /$re/: $(head -c 200 <<<"$out")"; rc=1; return; fi
	t_pass "cli/basics: $name"
}
expect "kres --help" 0 '^usage: kres <command>' -- --help
expect "kres --version" 0 '^kres [0-9]+\.[0-9]+\.[0-9]+$' -- --version
expect "kres (no command)" 3 'usage: kres' --
expect "unknown command" 3 "unknown command 'frobnicate'" -- frobnicate
expect "check --help" 0 '^usage: kres check' -- check --help
expect "check -h" 0 'exit status: 0 OK, 1 WARNING' -- check -h
expect "bad --format" 3 "--format 'yaml': expected text, json or nagios" -- check --format yaml
expect "bad option" 3 'usage: kres check' -- check --bogus
expect "missing root" 3 "cannot open root '/nonexistent/kres': No such file or directory" -- check --root /nonexistent/kres
expect "bad --set" 3 "--set 'max_connections': expected name=value" -- check --root tests/fixtures/pg15-clean --set max_connections
expect "bad --pg-version" 3 "--pg-version 'x': expected a major version" -- check --pg-version x
expect "bad --flavor" 3 "--workload 'oracle': expected postgresql, seaboxsql, mysql, mariadb, redis or net" -- check --conf /etc/postgresql/15/main/postgresql.conf --flavor oracle
expect "missing --conf" 3 "--conf '/nonexistent/postgresql.conf': No such file or directory" -- check --conf /nonexistent/postgresql.conf
expect "--conf a directory" 3 "--conf '/etc': not a regular file" -- check --conf /etc
expect "stray argument" 3 "unexpected argument 'extra'" -- check extra
if diff -u docs/checks.md <("$kres" check --list-rules) >/dev/null; then
	t_pass "cli/basics: docs/checks.md matches --list-rules"
else
	t_fail "cli/basics: docs/checks.md differs from 'kres check --list-rules' (regenerate it)"; rc=1
fi
# Every rule id of the table appears in the docs exactly once as a heading.
ids=$("$kres" check --list-rules | grep -c '^### ')
[ "$ids" -ge 30 ] && t_pass "cli/basics: $ids rules documented" || { t_fail "cli/basics: only $ids rules"; rc=1; }
exit $rc
