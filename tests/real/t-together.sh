#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# PostgreSQL 15, MariaDB and Redis on one host (all on loopback or unix sockets, in
# throw-away directories): kres check must audit all three in one run and report the
# host policy they disagree on: PostgreSQL wants strict overcommit unless its master
# is protected from the OOM killer, Redis requires vm.overcommit_memory = 1.
. "$(dirname "$0")/../lib.sh"
kres=${1:?}
T=real/together
pgbin=/usr/lib/postgresql/15/bin
for b in $pgbin/postgres /usr/sbin/mariadbd /usr/bin/redis-server; do
	[ -x $b ] || { t_fail "$T: $b missing (scripts/deps.sh test installs it)"; exit 1; }
done
if [ "$(id -u)" -ne 0 ]; then t_fail "$T: must run as root"; exit 1; fi
work=$(mktemp -d /tmp/kres-together.XXXXXX)
chmod 755 "$work"
mkdir "$work/pg" "$work/my" "$work/rd"
chown postgres "$work/pg"; chown mysql "$work/my"; chown redis "$work/rd"
pgport=$((20000 + RANDOM % 12000)); rdport=$((pgport + 1))
mypid=; rdpid=
cleanup() {
	runuser -u postgres -- $pgbin/pg_ctl -D "$work/pg/data" -m immediate -w stop >/dev/null 2>&1
	[ -n "$mypid" ] && kill "$mypid" 2>/dev/null
	[ -n "$rdpid" ] && kill "$rdpid" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
rc=0
check() { if [ "$2" = "$3" ]; then t_pass "$T: $1 = $3"; else t_fail "$T: $1: kres says '$2', expected '$3'"; rc=1; fi; }

runuser -u postgres -- $pgbin/initdb -D "$work/pg/data" -A trust >"$work/initdb.log" 2>&1 || { t_fail "$T: initdb"; exit 1; }
# Started with pg_ctl, not pg_ctlcluster: the master is not protected from the OOM killer.
runuser -u postgres -- $pgbin/pg_ctl -D "$work/pg/data" -w -t 60 -l "$work/pg/log" \
	-o "-c port=$pgport -c listen_addresses=127.0.0.1 -c unix_socket_directories=$work/pg" start >/dev/null ||
	{ t_fail "$T: PostgreSQL did not start"; exit 1; }
pgpid=$(head -1 "$work/pg/data/postmaster.pid")
runuser -u mysql -- mariadb-install-db --no-defaults --datadir="$work/my/data" >"$work/my/install.log" 2>&1 ||
	{ t_fail "$T: mariadb-install-db"; exit 1; }
runuser -u mysql -- /usr/sbin/mariadbd --no-defaults --datadir="$work/my/data" --socket="$work/my/sock" \
	--skip-networking --log-error="$work/my/err.log" --pid-file="$work/my/pid" 2>/dev/null &
runuser -u redis -- /usr/bin/redis-server --port $rdport --bind 127.0.0.1 --save '' --dir "$work/rd" \
	--logfile "$work/rd/log" &
for _ in $(seq 100); do
	grep -q 'ready for connections' "$work/my/err.log" 2>/dev/null && grep -q 'Ready to accept' "$work/rd/log" 2>/dev/null && break
	sleep 0.1
done
# runuser stays as the parent: take the servers' own pids.
mypid=$(cat "$work/my/pid")
rdpid=$(redis-cli -p $rdport info server | sed -n 's/^process_id:\([0-9]*\).*/\1/p')
"$kres" check --format json >"$work/k.json" 2>"$work/k.err"
for p in "$pgpid postgresql" "$mypid mariadb" "$rdpid redis"; do
	set -- $p
	check "finds $2 (pid $1)" "$(jq -r ".services[] | select(.pid == $1) | .flavor" "$work/k.json")" "$2"
done
ovc=$(cat /proc/sys/vm/overcommit_memory)
fix=$(jq -r '.findings[] | select(.id == "FIX-02" and (.summary | startswith("vm.overcommit_memory")))' "$work/k.json")
check "FIX-02 names PostgreSQL and Redis" "$(jq -r '.subject | test("PostgreSQL.* / Redis")' <<<"$fix")" true
check "FIX-02 fails: the master is unprotected ($(cat /proc/$pgpid/oom_score_adj))" "$(jq -r .status <<<"$fix")" \
	"$([ "$(cat /proc/$pgpid/oom_score_adj)" -le -900 ] && echo info || echo fail)"
check "RD-01 for vm.overcommit_memory = $ovc" \
	"$(jq -r ".findings[] | select(.id == \"RD-01\") | .status" "$work/k.json")" "$([ "$ovc" = 1 ] && echo ok || echo fail)"
check "MY-01 audits MariaDB" "$(jq -r "[.findings[] | select(.id == \"MY-01\" and (.subject | test(\"pid $mypid\")))] | length" "$work/k.json")" 1
check "PG-03 audits PostgreSQL" "$(jq -r "[.findings[] | select(.id == \"PG-03\" and (.subject | test(\"pid $pgpid\")))] | length" "$work/k.json")" 1
exit $rc
