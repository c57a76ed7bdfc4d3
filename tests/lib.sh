# SPDX-License-Identifier: MIT
# Shared by the shell test suites: record one result line per test in $RESULTS.
RESULTS=${RESULTS:-$(pwd)/build/test-results}
mkdir -p "$(dirname "$RESULTS")"
t_pass() { echo "pass $*" >>"$RESULTS"; echo "ok   $*"; }
t_fail() { echo "fail $*" >>"$RESULTS"; echo "FAIL $*" >&2; }
t_skip() { echo "skip $*" >>"$RESULTS"; echo "skip $*"; }
