#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Starts MariaDB (Debian's mariadbd) on a unix socket only, as the mysql user, with a
# descriptor limit below what its max_connections and table_open_cache ask for, and
# checks that kres check, reading the live server, predicts exactly the values the
# server itself logs ("Could not increase number of max_open_files ... (request: N)",
# "Changed limits: max_open_files: F  max_connections: M (was ..)  table_cache: T
# (was ..)") and then runs with (SELECT @@max_connections, @@table_open_cache).
# Three starts: one where both settings are lowered, one where only table_open_cache
# is, and one where MariaDB's unsigned arithmetic lowers nothing although the limit
# is far too small (kres must still report it).
. "$(dirname "$0")/../lib.sh"
kres=${1:?}
T=real/mariadb
bin=/usr/sbin/mariadbd
if [ ! -x $bin ]; then t_fail "$T: $bin missing (scripts/deps.sh test installs mariadb-server)"; exit 1; fi
if [ "$(id -u)" -ne 0 ]; then t_fail "$T: must run as root (runs the server as mysql)"; exit 1; fi
work=$(mktemp -d /tmp/kres-mariadb.XXXXXX)
chown mysql "$work"
pid= runner=
stop() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$runner" ] && wait "$runner" 2>/dev/null; pid= runner=; }
cleanup() { stop; rm -rf "$work"; }
trap cleanup EXIT
runuser -u mysql -- mariadb-install-db --no-defaults --datadir="$work/data" --auth-root-authentication-method=normal \
	>"$work/install.log" 2>&1 || { tail -5 "$work/install.log" >&2; t_fail "$T: mariadb-install-db"; exit 1; }
rc=0
check() { # check NAME ACTUAL EXPECTED
	if [ "$2" = "$3" ]; then t_pass "$T: $1 = $3"; else t_fail "$T: $1: kres says '$2', expected '$3'"; rc=1; fi
}
sql() { mariadb --no-defaults -S "$work/sock" -u root -N -B -e "$1"; }

# run LIMIT MAX_CONNECTIONS TABLE_OPEN_CACHE: start, compare, stop.
run() {
	local lim=$1 mc=$2 toc=$3 name="limit $1, max_connections $2, table_open_cache $3"
	rm -f "$work/err.log" "$work/stderr"
	# The limit is set for soft and hard, so the unprivileged server cannot raise it.
	runuser -u mysql -- bash -c "ulimit -Sn $lim && ulimit -Hn $lim && exec $bin --no-defaults \
		--datadir=$work/data --socket=$work/sock --skip-networking --log-error=$work/err.log \
		--pid-file=$work/pid --max-connections=$mc --table-open-cache=$toc" 2>"$work/stderr" &
	runner=$!
	for _ in $(seq 100); do grep -q 'ready for connections' "$work/err.log" 2>/dev/null && break; sleep 0.1; done
	pid=$(cat "$work/pid" 2>/dev/null)
	if ! sql 'select 1' >/dev/null 2>&1; then
		tail -5 "$work/err.log" "$work/stderr" >&2; t_fail "$T: server did not start ($name)"; rc=1; stop; return
	fi
	"$kres" check --format json >"$work/k.json" 2>"$work/k.err"
	svc=".services[] | select(.pid == $pid)"
	if ! jq -e "$svc" "$work/k.json" >/dev/null; then t_fail "$T: kres did not find mariadbd $pid ($name)"; rc=1; stop; return; fi
	of() { jq -r "$svc.needs.open_files.$1" "$work/k.json"; }
	# What the server printed at start (stderr, before its error log is open, or the log).
	log=$(cat "$work/stderr" "$work/err.log")
	req=$(sed -n 's/.*Could not increase number of max_open_files to more than [0-9]* (request: \([0-9]*\)).*/\1/p' <<<"$log" | head -1)
	check "$name: request (server log)" "$(of request)" "${req:-none logged}"
	changed=$(grep -c 'Changed limits' <<<"$log")
	check "$name: 'Changed limits' logged" "$(of changed)" "$([ "$changed" -gt 0 ] && echo true || echo false)"
	if [ "$changed" -gt 0 ]; then
		line=$(grep 'Changed limits' <<<"$log" | head -1 | sed 's/.*Changed limits/Changed limits/')
		check "$name: predicted log line" "$(jq -r "$svc.needs.open_files.log[] | select(startswith(\"Changed\"))" "$work/k.json")" "$line"
	fi
	check "$name: max_connections (@@max_connections)" "$(of max_connections)" "$(sql 'select @@max_connections')"
	check "$name: table_open_cache (@@table_open_cache)" "$(of table_open_cache)" "$(sql 'select @@table_open_cache')"
	check "$name: table_open_cache_instances (@@table_open_cache_instances)" "$(of table_open_cache_instances)" \
		"$(sql 'select @@table_open_cache_instances')"
	check "$name: files (@@open_files_limit)" "$(of files)" "$(sql 'select @@open_files_limit')"
	my01=$(jq -r ".findings[] | select(.id == \"MY-01\" and (.subject | test(\"pid $pid\"))) | .status + \" \" + (.severity // \"\")" "$work/k.json")
	check "$name: MY-01 fails high" "$my01" "fail high"
	stop
}
run 1024 700 2000
run 4096 500 2000
run 1024 1000 2000
exit $rc
