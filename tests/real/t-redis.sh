#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Starts Redis (Debian's redis-server) on 127.0.0.1 as the redis user, with settings
# that make it audit the kernel at start: tcp-backlog above net.core.somaxconn,
# maxclients above its descriptor limit, disable-thp no (so it checks THP itself).
# Whether it warns about overcommit and THP depends on this host's settings, which
# the test never changes. kres check must report, for that server, a failing
# finding for exactly each problem Redis warned about, with the same numbers
# (maxclients after reduction, the backlog, somaxconn), and nothing Redis is content
# with may be worse than a warning.
. "$(dirname "$0")/../lib.sh"
kres=${1:?}
T=real/redis
bin=/usr/bin/redis-server
if [ ! -x $bin ]; then t_fail "$T: $bin missing (scripts/deps.sh test installs redis-server)"; exit 1; fi
if [ "$(id -u)" -ne 0 ]; then t_fail "$T: must run as root (runs the server as redis)"; exit 1; fi
work=$(mktemp -d /tmp/kres-redis.XXXXXX)
chown redis "$work"
port=$((20000 + RANDOM % 12000))
somaxconn=$(cat /proc/sys/net/core/somaxconn)
backlog=$((somaxconn + 1000))
cat >"$work/redis.conf" <<CONF
# kres real test: a throw-away Redis on loopback
port $port
bind 127.0.0.1
tcp-backlog $backlog
maxclients 5000
disable-thp no
save ""
appendonly no
dir $work
logfile $work/redis.log
daemonize no
CONF
chown redis "$work/redis.conf"
pid= runner=
stop() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$runner" ] && wait "$runner" 2>/dev/null; pid= runner=; }
cleanup() { stop; rm -rf "$work"; }
trap cleanup EXIT
rc=0
check() { # check NAME ACTUAL EXPECTED
	if [ "$2" = "$3" ]; then t_pass "$T: $1 = $3"; else t_fail "$T: $1: kres says '$2', expected '$3'"; rc=1; fi
}
runuser -u redis -- bash -c "ulimit -Sn 1024 && ulimit -Hn 1024 && exec $bin $work/redis.conf" &
runner=$!
for _ in $(seq 100); do grep -q 'Ready to accept connections' "$work/redis.log" 2>/dev/null && break; sleep 0.1; done
grep -q 'Ready to accept connections' "$work/redis.log" || { tail "$work/redis.log" >&2; t_fail "$T: server did not start"; exit 1; }
# runuser stays as the parent: the server's pid is the one Redis reports.
pid=$(redis-cli -p "$port" info server | sed -n 's/^process_id:\([0-9]*\).*/\1/p')
log=$(cat "$work/redis.log")

# Redis rewrote its process title, so kres finds the configuration through --conf
# (matched to the live server by its port).
"$kres" check --workload redis --conf "$work/redis.conf" --format json >"$work/k.json" 2>"$work/k.err"
svc=".services[] | select(.flavor == \"redis\")"
check "--conf attaches the running server (pid)" "$(jq -r "$svc.pid" "$work/k.json")" "$pid"
st() { jq -r ".findings[] | select(.id == \"$1\") | .status" "$work/k.json"; }
warned() { grep -q "$1" <<<"$log" && echo fail || echo ok; }

check "RD-01 as Redis's overcommit warning" "$(st RD-01)" "$(warned 'Memory overcommit must be enabled')"
check "RD-02 as Redis's THP warning" "$(st RD-02)" "$(warned 'Transparent Huge Pages (THP) support enabled')"
check "RD-03 as Redis's tcp-backlog warning" "$(st RD-03)" "$(warned "TCP backlog setting of $backlog cannot be enforced")"
check "RD-03 names somaxconn as Redis does" "$(jq -r '.findings[] | select(.id == "RD-03") | .observed' "$work/k.json")" \
	"net.core.somaxconn = $(sed -n 's/.*set to the lower value of \([0-9]*\).*/\1/p' <<<"$log")"
check "RD-04 as Redis's maxclients reduction" "$(st RD-04)" "$(warned 'maxclients has been reduced')"
reduced=$(sed -n 's/.*maxclients has been reduced to \([0-9]*\).*/\1/p' <<<"$log")
check "RD-04 predicts the reduced maxclients" "$(jq -r "$svc.needs.open_files.maxclients" "$work/k.json")" "$reduced"
check "maxclients (CONFIG GET maxclients)" "$(jq -r "$svc.needs.open_files.maxclients" "$work/k.json")" \
	"$(redis-cli -p "$port" --raw config get maxclients | tail -1)"
# Nothing Redis is content with is critical, and no RD finding fails without a warning.
check "no critical RD finding" "$(jq '[.findings[] | select((.id | startswith("RD-")) and .severity == "critical")] | length' "$work/k.json")" 0

# Without --conf, discovery still finds the server and its live limit.
"$kres" check --format json >"$work/k2.json" 2>/dev/null
svc2=".services[] | select(.pid == $pid)"
check "discovery finds the server" "$(jq -r "$svc2.flavor" "$work/k2.json")" redis
check "discovery: listen address from the process title" "$(jq -r "$svc2.listen" "$work/k2.json")" "127.0.0.1:$port"
check "discovery: maxclients capped by the live limit (1024 - 32)" \
	"$(jq -r "$svc2.needs.open_files.maxclients" "$work/k2.json")" 992
exit $rc
