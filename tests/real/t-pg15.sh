#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Starts PostgreSQL 15 (Debian's package) on 127.0.0.1 with shared_buffers = 300MB in a
# throw-away data directory, then checks that kres check, reading the live master:
#  - computes exactly PostgreSQL's own SHOW shared_memory_size_in_huge_pages;
#  - reports the master's oom_score_adj, RLIMIT_NOFILE and RLIMIT_NPROC as /proc shows;
#  - finds the settings from the server's configuration (max_connections from SHOW);
#  - computes the PostgreSQL 15 semaphore formula from the live settings.
# A second run sets OOM protection through PG_OOM_ADJUST_* and checks the children.
. "$(dirname "$0")/../lib.sh"
kres=${1:?}
bin=/usr/lib/postgresql/15/bin
if [ ! -x $bin/postgres ]; then t_fail "real/pg15: $bin/postgres missing (scripts/deps.sh test installs postgresql)"; exit 1; fi
if [ "$(id -u)" -ne 0 ]; then t_fail "real/pg15: must run as root (reads the master's environ, runs the server as postgres)"; exit 1; fi
work=$(mktemp -d /tmp/kres-pg15.XXXXXX)
# Below the ephemeral range (32768-60999), where clients' ports would collide.
port=$((20000 + RANDOM % 12000))
chown postgres "$work"
runpg() { runuser -u postgres -- "$@"; }
stop() { runpg $bin/pg_ctl -D "$work/data" -m immediate -w stop >/dev/null 2>&1; }
cleanup() { stop; rm -rf "$work"; }
trap cleanup EXIT
runpg $bin/initdb -D "$work/data" -A trust >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log" >&2; t_fail "real/pg15: initdb"; exit 1; }
start() { # start [env assignments...]
	runpg env "$@" $bin/pg_ctl -D "$work/data" -w -t 60 -l "$work/log" \
		-o "-c port=$port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$work -c shared_buffers=300MB -c max_connections=150" \
		start >/dev/null || { tail -5 "$work/log" >&2; return 1; }
}
sql() { runpg $bin/../bin/psql -X -h "$work" -p "$port" -Atc "$1" postgres 2>/dev/null || psql -X -h "$work" -p "$port" -U postgres -Atc "$1" postgres; }
rc=0
check() { # check NAME ACTUAL EXPECTED
	if [ "$2" = "$3" ]; then t_pass "real/pg15: $1 = $3"; else t_fail "real/pg15: $1: kres says '$2', expected '$3'"; rc=1; fi
}

# A port another program holds (a client's ephemeral port) is retried elsewhere.
for try in 1 2 3; do
	start && break
	grep -q 'Address already in use' "$work/log" || break
	port=$((20000 + RANDOM % 12000))
done
[ -f "$work/data/postmaster.pid" ] || { t_fail "real/pg15: server did not start"; exit 1; }
pid=$(head -1 "$work/data/postmaster.pid")
"$kres" check --format json >"$work/k.json" 2>"$work/k.err"
svc=".services[] | select(.pid == $pid)"
jq -e "$svc" "$work/k.json" >/dev/null || { t_fail "real/pg15: kres did not find master $pid"; exit 1; }
check "huge pages (SHOW shared_memory_size_in_huge_pages)" \
	"$(jq -r "$svc.needs.huge_pages" "$work/k.json")" "$(sql 'show shared_memory_size_in_huge_pages')"
check "shared memory measured from the live mapping" "$(jq -r "$svc.needs.shared_memory_measured" "$work/k.json")" true
check "max_connections (SHOW max_connections)" \
	"$(jq -r "$svc.settings.max_connections.value" "$work/k.json")" "$(sql 'show max_connections')"
check "major version" "$(jq -r "$svc.major" "$work/k.json")" 15
# 15: max_connections + autovacuum_max_workers + max_wal_senders + max_worker_processes + 6
want=$(( $(sql 'show max_connections') + $(sql 'show autovacuum_max_workers') + $(sql 'show max_wal_senders') + $(sql 'show max_worker_processes') + 6 ))
check "semaphores (PostgreSQL 15 formula)" "$(jq -r "$svc.needs.semaphores" "$work/k.json")" "$want"
f() { jq -r ".findings[] | select(.id == \"$1\" and (.subject | test(\"pid $pid\"))) | $2" "$work/k.json"; }
check "OOM-01 observed = /proc/$pid/oom_score_adj" "$(f OOM-01 .observed)" "$(cat /proc/$pid/oom_score_adj)"
nofile=$(awk '/^Max open files/ {print $4}' /proc/$pid/limits)
check "LIM-01 soft RLIMIT_NOFILE = /proc/$pid/limits" "$(f LIM-01 .observed)" "$nofile"
nproc=$(awk '/^Max processes/ {print $3}' /proc/$pid/limits)
[ "$nproc" = unlimited ] && want_np="processes: unlimited" || want_np="processes: soft limit $nproc"
check "LIM-02 soft RLIMIT_NPROC = /proc/$pid/limits" "$(f LIM-02 .summary | sed 's/ [<>]=.*//; s/, .*//')" "$want_np"
check "LIM-02 source names /proc/$pid/limits" "$(f LIM-02 .source)" "/proc/$pid/limits 'Max processes'"
stop

# Second run: OOM scores. With CAP_SYS_RESOURCE the master is protected (-1000) and
# its children reset through PG_OOM_ADJUST_*, as the PostgreSQL docs prescribe; kres
# must see -1000 on the master and 0 on the children. Without it (this Firecracker
# guest's root lacks the capability) the master runs at +500 and kres must report
# the value that /proc shows on the master and every child.
if sh -c 'echo -1 >/proc/self/oom_score_adj' 2>/dev/null; then adj=-1000; else adj=500; fi
( echo $adj >/proc/self/oom_score_adj && exec runuser -u postgres -- env PG_OOM_ADJUST_FILE=/proc/self/oom_score_adj PG_OOM_ADJUST_VALUE=0 \
	$bin/pg_ctl -D "$work/data" -w -t 60 -l "$work/log" \
	-o "-c port=$port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$work -c shared_buffers=300MB" start >/dev/null ) ||
	{ t_fail "real/pg15: start with oom_score_adj $adj"; exit 1; }
pid=$(head -1 "$work/data/postmaster.pid")
sql 'select 1' >/dev/null
"$kres" check --format json >"$work/k2.json" 2>/dev/null
f() { jq -r ".findings[] | select(.id == \"$1\" and (.subject | test(\"pid $pid\"))) | $2" "$work/k2.json"; }
# min, max and negative count of the children's scores, straight from /proc
want=$(for k in $(pgrep -P "$pid"); do cat /proc/$k/oom_score_adj; done |
	awk 'NR == 1 || $1 < mn { mn = $1 } NR == 1 || $1 > mx { mx = $1 } $1 < 0 { neg++ }
	     END { printf "%d children: oom_score_adj %d..%d, %d negative", NR, mn, mx, neg }')
check "OOM-01 observed = /proc/$pid/oom_score_adj" "$(f OOM-01 .observed)" "$(cat /proc/$pid/oom_score_adj)"
check "OOM-02 children as /proc shows them" "$(f OOM-02 .observed | sed 's/.*; //')" "$want"
check "OOM-02 reads PG_OOM_ADJUST_* from the master's environment" "$(f OOM-02 .observed | sed 's/; .*//')" \
	"PG_OOM_ADJUST_FILE=/proc/self/oom_score_adj, PG_OOM_ADJUST_VALUE=0"
if [ "$adj" -lt 0 ]; then
	check "OOM-01 on a protected master" "$(f OOM-01 .status)" ok
	check "OOM-02 children reset" "$(f OOM-02 .status)" ok
	check "MEM-01 accepts overcommit 0 with a protected master" "$(f MEM-01 .status)" ok
else
	t_skip "real/pg15: protected master (-1000): this machine's root lacks CAP_SYS_RESOURCE"
fi
exit $rc
