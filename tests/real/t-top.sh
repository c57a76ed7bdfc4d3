#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# kres top's leak detection against processes whose memory is known:
#  leak:     tests/real/leaker.c grows its heap at exactly 1024 KiB/s; kres top must flag
#            it once its 20 s window is full (not before, at most 5 s after), report a
#            slope within 10 % of 1024 KiB/s in every leak entry, keep flagging it while it
#            grows, and give a time to exhaustion equal to headroom_kb / slope_kb_s (1 %);
#  plateau:  the same program allocates 64 MiB in 2 s, then holds; kres top must watch it
#            over a full window and never flag it;
#  postgres: PostgreSQL 15 on loopback with shared_buffers = 512MB, restarted cold, has
#            ~400 MB of table pulled into its shared buffers over ~30 s by TID range scans
#            (which, unlike large sequential scans, do not use a ring buffer) while a
#            second session runs sequential count(*) scans. The scanning backend's
#            RssShmem must grow by at least 300 MB (else the test proves nothing), and
#            no postgres process may be flagged: shared memory is not RssAnon.
# kres top runs at -d 0.5 --leak-window 20 --top 50 --format json. Skips only when cc
# (leak, plateau) or the PostgreSQL 15 binaries (postgres) are missing.
. "$(dirname "$0")/../lib.sh"
kres=${1:?}
T=real/top
here=$(cd "$(dirname "$0")" && pwd)
window=20
work=$(mktemp -d /tmp/kres-top.XXXXXX)
chmod 755 "$work"
pids=()        # background processes to kill on exit
pg_stop=:      # stops the server, once started
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	$pg_stop
	wait 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
bin=/usr/lib/postgresql/15/bin
rc=0
pass() { t_pass "$T: $*"; }
fail() { t_fail "$T: $*"; rc=1; }
command -v jq >/dev/null || { fail "jq is missing (scripts/deps.sh test installs it)"; exit 1; }

# top_start OUT N: runs kres top in the background and waits for its first sample, so
# that processes started next are born while it watches. Sets $top_pid.
top_start() {
	"$kres" top --format json -d 0.5 -n "$2" --leak-window $window --top 50 >"$1" 2>"$1.err" &
	top_pid=$!
	pids+=("$top_pid")
	local i
	for ((i = 0; i < 100; i++)); do
		[ -s "$1" ] && return 0
		kill -0 $top_pid 2>/dev/null || break
		sleep 0.1
	done
	fail "kres top wrote no sample: $(head -c 500 "$1.err")"
	return 1
}
# top_wait OUT: waits for kres top; fails unless it exited 0 and every line is JSON.
top_wait() {
	local st=0
	wait "$top_pid" || st=$?
	if [ $st -ne 0 ]; then fail "kres top exited $st: $(head -c 500 "$1.err")"; return 1; fi
	if ! jq -e . "$1" >/dev/null 2>"$1.jqerr"; then fail "kres top printed a line that is not JSON: $(head -c 300 "$1.jqerr")"; return 1; fi
	return 0
}
# wait_line FILE: waits (5 s at most) for the leaker's "PID START" line.
wait_line() {
	local i
	for ((i = 0; i < 50; i++)); do [ -s "$1" ] && return 0; sleep 0.1; done
	return 1
}

# ---- leak and plateau ----------------------------------------------------------------
leak_and_plateau() {
	local out=$work/ab.json gpid gstart ppid
	if ! command -v cc >/dev/null; then
		t_skip "$T: leak, plateau: no C compiler (cc) to build tests/real/leaker.c"
		return
	fi
	cc -O2 -Wall -Wextra -Werror -o "$work/leaker" "$here/leaker.c" 2>"$work/cc.err" ||
		{ fail "leaker.c does not build: $(head -c 500 "$work/cc.err")"; return; }
	top_start "$out" 70 || return
	"$work/leaker" grow 1024 40 >"$work/grow.out" & pids+=($!)
	"$work/leaker" plateau 65536 2 40 >"$work/plat.out" & pids+=($!)
	wait_line "$work/grow.out" && wait_line "$work/plat.out" || { fail "leaker printed no pid"; return; }
	read -r gpid gstart <"$work/grow.out"
	read -r ppid _ <"$work/plat.out"
	top_wait "$out" || return

	# leak: every leak entry of the grower, with the sample's t
	local L="[.[] | .t as \$t | .leaks[] | select(.pid == $gpid) | . + {t: \$t}]"
	local n first delay
	n=$(jq -s "$L | length" "$out")
	if [ "$n" -eq 0 ]; then
		fail "leak: pid $gpid (1024 KiB/s for 40 s) never in \"leaks\"; its last procs.top entry: $(jq -sc "[.[] | .procs.top[] | select(.pid == $gpid)] | last" "$out")"
	else
		first=$(jq -s "$L | first.t" "$out")
		delay=$(awk -v a="$first" -v b="$gstart" 'BEGIN {printf "%.2f", a - b}')
		if awk -v d="$delay" -v w=$window 'BEGIN {exit !(d >= w - 1 && d <= w + 5)}'; then
			pass "leak: flagged ${delay} s after the leaker started (window $window s)"
		else
			fail "leak: flagged ${delay} s after the leaker started, want $((window - 1))..$((window + 5)) s; first entry: $(jq -sc "$L | first" "$out")"
		fi
		# still flagged in every later sample (it grows for 40 s, kres watches ~35 s)
		local missed
		missed=$(jq -sc "[.[] | select(.t >= $first) | select(any(.leaks[]; .pid == $gpid) | not) | .t]" "$out")
		if [ "$missed" = "[]" ]; then pass "leak: flagged in every sample after the first ($n)"; else
			fail "leak: not flagged at t = $missed although still growing"; fi
		local bad
		bad=$(jq -sc "$L | map(select(.slope_kb_s < 921.6 or .slope_kb_s > 1126.4)) | map({t, slope_kb_s, trend})" "$out")
		bad=$(jq -c 'if length > 5 then .[0:5] + ["... \(length) in all"] else . end' <<<"$bad")
		if [ "$bad" = "[]" ]; then
			pass "leak: slope_kb_s $(jq -sr "$L | map(.slope_kb_s) | \"\(min)..\(max)\"" "$out") within 10 % of 1024 in all $n entries"
		else
			fail "leak: slope_kb_s off by more than 10 % of 1024: $bad"
		fi
		bad=$(jq -sc "$L | map(select((.tte_s | type) != \"number\" or .tte_s <= 0 or
			((.tte_s - .headroom_kb / .slope_kb_s) | fabs) > 0.01 * .headroom_kb / .slope_kb_s))
			| map({t, tte_s, headroom_kb, slope_kb_s, limit})" "$out")
		bad=$(jq -c 'if length > 5 then .[0:5] + ["... \(length) in all"] else . end' <<<"$bad")
		if [ "$bad" = "[]" ]; then
			pass "leak: tte_s = headroom_kb / slope_kb_s within 1 % ($(jq -sr "$L | first | \"\(.tte_s) s = \(.headroom_kb) KiB / \(.slope_kb_s) KiB/s, \(.limit)\"" "$out"))"
		else
			fail "leak: tte_s is not headroom_kb / slope_kb_s (1 %): $bad"
		fi
	fi

	# plateau: watched over a full window, never flagged
	local P="[.[] | .t as \$t | .procs.top[] | select(.pid == $ppid) | . + {t: \$t}]"
	local leaks maxanon full
	leaks=$(jq -sc "[.[] | .t as \$t | .leaks[] | select(.pid == $ppid) | . + {t: \$t}]" "$out")
	maxanon=$(jq -s "$P | map(.anon_kb) | max // 0" "$out")
	full=$(jq -s "$P | map(select(.window_full)) | length" "$out")
	if [ "$maxanon" -lt 60000 ] || [ "$full" -eq 0 ]; then
		fail "plateau: pid $ppid not observed: max anon_kb $maxanon (want >= 60000), $full samples with a full window; last entry: $(jq -sc "$P | last" "$out")"
	elif [ "$leaks" != "[]" ]; then
		fail "plateau: pid $ppid (64 MiB in 2 s, then flat) flagged: $(jq -c '.[0:3]' <<<"$leaks")"
	else
		pass "plateau: anon_kb up to $maxanon, $full samples over a full window, never flagged (last: $(jq -sc "$P | last | {slope_kb_s, trend}" "$out"))"
	fi
	local p
	for p in $gpid $ppid; do kill "$p" 2>/dev/null; done
}

# ---- PostgreSQL warming its shared buffers --------------------------------------------
postgres_warming() {
	local out=$work/pg.json
	if [ ! -x $bin/postgres ] || [ ! -x $bin/psql ]; then
		t_skip "$T: postgres: no PostgreSQL 15 binaries in $bin (scripts/deps.sh test installs postgresql)"
		return
	fi
	# The server refuses to run as root: as root, run it as postgres. (as, pgw and bin
	# are global: the exit trap stops the server through pg_ctl.)
	as=()
	[ "$(id -u)" -eq 0 ] && as=(runuser -u postgres --)
	pgw=$work/pg
	local port=$((20000 + RANDOM % 12000))
	mkdir "$pgw"
	[ ${#as[@]} -eq 0 ] || chown postgres "$pgw"
	"${as[@]}" $bin/initdb -D "$pgw/data" -A trust >"$pgw/initdb.log" 2>&1 ||
		{ fail "postgres: initdb: $(tail -3 "$pgw/initdb.log")"; return; }
	# one line: pg_ctl hands it to /bin/sh
	local opts="-c port=$port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$pgw"
	opts+=" -c shared_buffers=512MB -c huge_pages=off -c fsync=off -c synchronous_commit=off"
	opts+=" -c full_page_writes=off -c wal_level=minimal -c max_wal_senders=0 -c max_wal_size=4GB"
	pg_ctl() { "${as[@]}" $bin/pg_ctl -D "$pgw/data" -w -t 60 -l "$pgw/log" "$@" >/dev/null; }
	pg_stop="pg_ctl -m immediate stop"
	psqlc() { "${as[@]}" env PGAPPNAME="${app:-kres-test}" $bin/psql -X -q -At -v ON_ERROR_STOP=1 -h "$pgw" -p "$port" -d postgres "$@"; }
	pg_ctl -o "$opts" start || { fail "postgres: server did not start: $(tail -3 "$pgw/log")"; return; }
	# ~1.8 M rows of ~230 bytes: ~420 MB, under shared_buffers
	psqlc -c "create table t as select g, repeat('x', 200) as pad from generate_series(1, 1800000) g" -c "vacuum t" ||
		{ fail "postgres: cannot create the table"; return; }
	local blocks
	blocks=$(psqlc -c "select pg_relation_size('t') / 8192")
	pg_ctl -m fast -o "$opts" restart || { fail "postgres: restart failed: $(tail -3 "$pgw/log")"; return; }
	local master
	master=$(head -1 "$pgw/data/postmaster.pid")

	top_start "$out" 80 || return
	local shmem0
	shmem0=$(awk '/^Shmem:/ {print $2}' /proc/meminfo)
	# 26 chunks, one every 1.3 s: the buffers fill over ~33 s of kres's 40
	local chunks=26 step i
	step=$(((blocks + chunks - 1) / chunks))
	{
		for ((i = 0; i < chunks; i++)); do
			echo "select count(*) from t where ctid >= '($((i * step)),0)'::tid and ctid < '($(((i + 1) * step)),0)'::tid;"
			echo "select pg_sleep(1.3);"
		done
	} >"$pgw/warm.sql"
	{
		echo "set max_parallel_workers_per_gather = 0;"
		for ((i = 0; i < 12; i++)); do echo "select count(*) from t; select pg_sleep(2);"; done
	} >"$pgw/scan.sql"
	app=kres-warm psqlc -f "$pgw/warm.sql" >/dev/null 2>"$pgw/warm.err" & pids+=($!)
	local warm_psql=$!
	app=kres-scan psqlc -f "$pgw/scan.sql" >/dev/null 2>"$pgw/scan.err" & pids+=($!)
	local scan_psql=$!
	local warm="" scan=""
	for ((i = 0; i < 50; i++)); do
		warm=$(psqlc -c "select pid from pg_stat_activity where application_name = 'kres-warm'")
		scan=$(psqlc -c "select pid from pg_stat_activity where application_name = 'kres-scan'")
		[ -n "$warm" ] && [ -n "$scan" ] && break
		sleep 0.1
	done
	[ -n "$warm" ] || { fail "postgres: the warming session did not start: $(head -c 300 "$pgw/warm.err")"; return; }
	# While kres watches: the warming backend's RssShmem, Shmem and every postgres pid.
	local rs0 rs1 shmem1=$shmem0 s
	rs0=$(awk '/^RssShmem:/ {print $2}' /proc/$warm/status)
	rs1=$rs0
	while kill -0 $top_pid 2>/dev/null; do
		s=$(awk '/^RssShmem:/ {print $2}' /proc/$warm/status 2>/dev/null) && [ -n "$s" ] && rs1=$s
		s=$(awk '/^Shmem:/ {print $2}' /proc/meminfo)
		[ "$s" -gt "$shmem1" ] && shmem1=$s
		{ echo "$master"; pgrep -P "$master"; } >>"$pgw/pids"
		sleep 0.5
	done
	top_wait "$out" || return
	wait $warm_psql || fail "postgres: warming session failed: $(head -c 300 "$pgw/warm.err")"
	wait $scan_psql || fail "postgres: scanning session failed: $(head -c 300 "$pgw/scan.err")"

	local grew=$((rs1 - rs0)) mgrew=$((shmem1 - shmem0))
	local info="backend $warm RssShmem ${rs0} -> ${rs1} KiB (+$((grew / 1024)) MiB), /proc/meminfo Shmem +$((mgrew / 1024)) MiB, $blocks blocks"
	if [ $grew -lt 307200 ]; then
		fail "postgres: shared buffers did not grow by 300 MB, the test proves nothing: $info"
	else
		pass "postgres: shared memory grew while kres watched: $info"
	fi
	local pgpids leaks
	pgpids=$(sort -un "$pgw/pids" | jq -sc .)
	leaks=$(jq -sc --argjson pg "$pgpids" "[.[] | .t as \$t | .leaks[] | select(.pid as \$p | any(\$pg[]; . == \$p) or .comm == \"postgres\") | . + {t: \$t}]" "$out")
	local W="[.[] | .procs.top[] | select(.pid == $warm and .window_full)]"
	if [ "$leaks" != "[]" ]; then
		fail "postgres: flagged as leaking ($(jq -r 'length' <<<"$pgpids") postgres pids watched): $(jq -c '.[0:3]' <<<"$leaks")"
	elif [ "$(jq -s "$W | length" "$out")" -eq 0 ]; then
		fail "postgres: the warming backend $warm never in procs.top with a full window, so kres did not judge it: $(jq -sc "[.[] | .procs.top[] | select(.pid == $warm)] | last" "$out")"
	else
		pass "postgres: no postgres process flagged ($(jq -r 'length' <<<"$pgpids") pids); warming backend over a full window: $(jq -sc "$W | last | {anon_kb, slope_kb_s, trend}" "$out")"
	fi
}

leak_and_plateau
postgres_warming
exit $rc
