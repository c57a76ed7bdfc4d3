#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What serving /metrics costs: `kres serve` against prometheus-node-exporter with the
# collectors that export the same quantities (cpu meminfo vmstat pressure netdev
# softnet sockstat diskstats stat netstat conntrack nfsd; the vmstat and netstat field
# lists and the netdev and diskstats device filters set to what kres exports), both on
# loopback, side by side. Scrapes are sequential on one keep-alive connection (as
# Prometheus does) with "Accept-Encoding: gzip", made by one curl process; latency is
# curl's time_total per scrape. The servers' CPU is utime + stime from /proc/PID/stat
# before and after (clock ticks), their memory VmRSS and VmHWM after.
#  pass 1 (cached): BENCH_SCRAPES (default 1000) back-to-back scrapes, kres at
#    --interval 5, so nearly every scrape serves the same sample: this is the cost of
#    serving, and node_exporter reads /proc for each of its scrapes;
#  pass 2 (fresh): BENCH_FRESH_SCRAPES (default 200) scrapes 0.15 s apart, kres at
#    --interval 0.1, so every scrape sees a new sample and includes a fresh render.
#    kres's CPU then also holds ten samples a second; that background is measured
#    while the other server is scraped (kres idle at the same interval) and shown
#    separately, with the difference as "net" per scrape.
# Prints a table per pass and the ratios kres / node_exporter against the targets
# (CPU per scrape <= 1/10, RSS <= 1/4); the targets are reported, not enforced.
# usage: [BENCH_SCRAPES=N] [BENCH_FRESH_SCRAPES=N] bench/serve.sh KRES
# Exit status: 0 unless a tool fails (a server does not start, a scrape is not a 200).
set -euo pipefail
export LC_NUMERIC=C
kres=${1:?usage: bench/serve.sh KRES}
n=${BENCH_SCRAPES:-1000}
nf=${BENCH_FRESH_SCRAPES:-200}
[[ $n =~ ^[1-9][0-9]*$ ]] || { echo "bench: BENCH_SCRAPES must be a positive integer" >&2; exit 2; }
[[ $nf =~ ^[1-9][0-9]*$ ]] || { echo "bench: BENCH_FRESH_SCRAPES must be a positive integer" >&2; exit 2; }
[[ -x $kres ]] || kres=$(command -v "$kres") || { echo "bench: $1: not found" >&2; exit 2; }
kres=$(realpath "$kres")
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/deps.sh" bench
ne=/usr/bin/prometheus-node-exporter
for c in $ne curl; do
	command -v $c >/dev/null || { echo "bench: $c is missing (scripts/deps.sh bench)" >&2; exit 1; }
done
tck=$(getconf CLK_TCK)

work=$(mktemp -d /tmp/kres-bench-serve.XXXXXX)
pids=()
cleanup() {
	((${#pids[@]} == 0)) || kill "${pids[@]}" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# free_port BASE: the first port from BASE on where nothing accepts connections.
free_port() {
	local p
	for ((p = $1; p < $1 + 200; p++)); do
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo $p; return 0; }
	done
	echo "bench: no free port from $1" >&2
	exit 1
}
# wait_ok PID PORT PATH NAME: waits (10 s at most) for PATH to answer 200.
wait_ok() {
	local i
	for ((i = 0; i < 100; i++)); do
		[ "$(curl -s -o /dev/null -w '%{http_code}' -m 1 "http://127.0.0.1:$2$3" || true)" = 200 ] && return 0
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	echo "bench: $4 did not answer $3 with 200: $(tail -c 500 "$work/$4.log")" >&2
	exit 1
}
# ticks PID: utime + stime in clock ticks (the fields after the comm's last ')').
ticks() {
	local s
	s=$(<"/proc/$1/stat")
	s=${s##*) }
	awk '{print $12 + $13}' <<<"$s"
}
kib() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
# scrape PORT COUNT RATE OUT: COUNT sequential gzip scrapes of /metrics by one curl on
# one connection (RATE: curl --rate, "" for back to back); OUT gets one line per
# scrape: "code seconds bytes".
scrape() {
	local i
	{
		echo 'header = "Accept-Encoding: gzip"'
		echo 'silent'
		for ((i = 0; i < $2; i++)); do
			echo "url = \"http://127.0.0.1:$1/metrics\""
			echo 'output = "/dev/null"'
		done
	} >"$work/curl.cfg"
	curl -K "$work/curl.cfg" ${3:+--rate "$3"} -w '%{http_code} %{time_total} %{size_download}\n' >"$4"
	local bad
	bad=$(awk '$1 != 200' "$4" | wc -l)
	[ "$(wc -l <"$4")" -eq "$2" ] && [ "$bad" -eq 0 ] ||
		{ echo "bench: port $1: $bad of $2 scrapes not 200: $(awk '$1 != 200' "$4" | head -3 | tr '\n' ' ')" >&2; exit 1; }
}
# stats OUT: "p50_ms p99_ms gzip_bytes(median)" of a scrape file.
stats() {
	awk '{print $2 * 1000, $3}' "$1" | sort -n | awk '{t[NR] = $1; b[NR] = $2}
		function rank(p) { k = int(p / 100 * NR + 0.999999); return k < 1 ? 1 : k }
		END {printf "%.3f %.3f %d\n", t[rank(50)], t[rank(99)], b[rank(50)]}'
}
# plain PORT: "series bytes" of one uncompressed scrape.
plain() {
	curl -s -m 10 "http://127.0.0.1:$1/metrics" >"$work/plain"
	echo "$(grep -cv -e '^#' -e '^$' "$work/plain") $(stat -c %s "$work/plain")"
}

# ---- node_exporter with kres's collectors ------------------------------------------------
want=(cpu meminfo vmstat pressure netdev softnet sockstat diskstats stat netstat conntrack nfsd)
nehelp=$("$ne" --help 2>&1)
nevers=$("$ne" --version 2>&1 | awk 'NR == 1 {print $3}')
neargs=(--collector.disable-defaults) dropped=()
for c in "${want[@]}"; do
	if grep -qE -- "--(\[no-\])?collector\.$c( |$)" <<<"$nehelp"; then neargs+=("--collector.$c"); else dropped+=("$c"); fi
done
# kres's fields (spec/serve-metrics.md): its node_vmstat_* list plus the allocstall and
# workingset_refault counters it sums into kres_vmstat_*; its node_netstat_* list; lo
# included and kres's disk filter.
neargs+=("--collector.vmstat.fields=^(pswpin|pswpout|pgmajfault|oom_kill|compact_stall|thp_fault_alloc|pgscan_kswapd|pgscan_direct|pgsteal_anon|pgsteal_file|pgsteal_kswapd|pgsteal_direct|pgfault|pageoutrun|pgpgin|pgpgout|allocstall.*|workingset_refault.*)$")
neargs+=("--collector.netstat.fields=^(Tcp_(ActiveOpens|PassiveOpens|AttemptFails|EstabResets|CurrEstab|InSegs|OutSegs|RetransSegs|InErrs|OutRsts)|Udp_(RcvbufErrors|SndbufErrors|InErrors)|Ip_(InDiscards|OutDiscards)|TcpExt_(ListenOverflows|ListenDrops|TCPBacklogDrop|PruneCalled|RcvPruned|OfoPruned|TCPMemoryPressures|TCPMemoryPressuresChrono|TCPAbortOnMemory|TCPTimeouts|TCPSynRetrans|TCPReqQFullDrop|TCPReqQFullDoCookies|TCPRcvQDrop))$")
grep -q -- '--collector.netdev.device-exclude' <<<"$nehelp" && neargs+=("--collector.netdev.device-exclude=^$")
grep -q -- '--collector.diskstats.device-exclude' <<<"$nehelp" &&
	neargs+=("--collector.diskstats.device-exclude=^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\\d+n\\d+p)\\d+$")

base=$((29000 + $$ % 500 * 2))
p_ne=$(free_port $base)
"$ne" --web.listen-address=127.0.0.1:$p_ne "${neargs[@]}" >"$work/node_exporter.log" 2>&1 &
ne_pid=$!
pids+=("$ne_pid")
wait_ok $ne_pid $p_ne /metrics node_exporter
p_k=$(free_port $((p_ne + 1)))
"$kres" serve --listen 127.0.0.1:$p_k --interval 5 --check-interval 0 >"$work/kres.log" 2>&1 &
k_pid=$!
pids+=("$k_pid")
wait_ok $k_pid $p_k /healthz kres

echo "kres serve $("$kres" --version 2>/dev/null | head -1) vs prometheus-node-exporter $nevers; CPUs: $(nproc); $tck clock ticks/s"
echo "node_exporter: ${neargs[*]:0:$((${#want[@]} - ${#dropped[@]} + 1))}"
echo "  (${#dropped[@]} of the ${#want[@]} collectors missing from $nevers${dropped[*]:+: ${dropped[*]}}); vmstat and netstat fields, netdev (lo kept) and diskstats filters set to kres's; its go_*/process_*/promhttp_* self metrics left on, GOMAXPROCS its default"

# one pass: both servers, one after the other; the other's CPU is measured meanwhile,
# as its background rate while not scraped.
# run_pass LABEL COUNT RATE KPID KPORT: fills r_* for the table.
run_pass() {
	local label=$1 cnt=$2 rate=$3 kp=$4 kport=$5
	scrape "$kport" 20 "" "$work/warm"
	scrape "$p_ne" 20 "" "$work/warm"
	local a0 b0 a1 b1 a2 b2 t0 t1 t2
	t0=$EPOCHREALTIME a0=$(ticks "$kp") b0=$(ticks $ne_pid)
	scrape "$kport" "$cnt" "$rate" "$work/$label.kres"
	t1=$EPOCHREALTIME a1=$(ticks "$kp") b1=$(ticks $ne_pid)
	scrape "$p_ne" "$cnt" "$rate" "$work/$label.ne"
	t2=$EPOCHREALTIME a2=$(ticks "$kp") b2=$(ticks $ne_pid)
	# label cnt secs cpu_ticks idle_ticks idle_secs p50 p99 gzip rss hwm series bytes anon file
	echo "kres $cnt $(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}') $((a1 - a0)) $((a2 - a1)) $(awk -v a="$t1" -v b="$t2" 'BEGIN {print b - a}') $(stats "$work/$label.kres") $(kib "$kp" VmRSS) $(kib "$kp" VmHWM) $(plain "$kport") $(kib "$kp" RssAnon) $(kib "$kp" RssFile)" >"$work/$label.rows"
	echo "node_exporter $cnt $(awk -v a="$t1" -v b="$t2" 'BEGIN {print b - a}') $((b2 - b1)) $((b1 - b0)) $(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}') $(stats "$work/$label.ne") $(kib $ne_pid VmRSS) $(kib $ne_pid VmHWM) $(plain $p_ne) $(kib $ne_pid RssAnon) $(kib $ne_pid RssFile)" >>"$work/$label.rows"
}

# report FILE FRESH: the table and the ratios.
report() {
	awk -v tck="$tck" -v fresh="$2" '
	{ name[NR] = $1; cnt = $2; secs[NR] = $3; cpu[NR] = $4 / tck; idle[NR] = $5 / tck; isecs[NR] = $6
	  p50[NR] = $7; p99[NR] = $8; gz[NR] = $9; rss[NR] = $10 / 1024; hwm[NR] = $11 / 1024
	  series[NR] = $12; bytes[NR] = $13; anon[NR] = $14 / 1024; file[NR] = $15 / 1024; ticks[NR] = $4
	  per[NR] = 1000 * cpu[NR] / cnt
	  bg[NR] = isecs[NR] > 0 ? idle[NR] / isecs[NR] : 0                  # CPU s per s, not scraped
	  net[NR] = 1000 * (cpu[NR] - bg[NR] * secs[NR]) / cnt }
	function ratio(a, b) { return b > 0 ? sprintf("%.3f", a / b) : "n/a (peer 0)" }
	function target(r, t) { return r + 0 <= t ? "met" : "NOT met" }
	# the ratio of CPU per scrape with kres one tick either way, when its ticks are few
	function span(i) { return ticks[i] >= 100 ? "" : sprintf(" [%.3f..%.3f at +-1 tick]", (ticks[i] > 0 ? ticks[i] - 1 : 0) / tck / cnt * 1000 / per[2], (ticks[i] + 1) / tck / cnt * 1000 / per[2]) }
	END {
		printf "%-14s %7s %8s %9s %8s %8s %9s %9s %7s %9s %8s\n", "server", "scrapes", "CPU s", "CPU/scr ms", "p50 ms", "p99 ms", "VmRSS MiB", "VmHWM MiB", "series", "body KiB", "gzip KiB"
		for (i = 1; i <= NR; i++)
			printf "%-14s %7d %8.2f %9.3f %8.2f %8.2f %9.1f %9.1f %7d %9.1f %8.1f\n", name[i], cnt, cpu[i], per[i], p50[i], p99[i], rss[i], hwm[i], series[i], bytes[i] / 1024, gz[i] / 1024
		for (i = 1; i <= NR; i++) {
			printf "%s resident: anonymous %.1f MiB, file %.1f MiB (binary and shared libraries)", name[i], anon[i], file[i]
			if (ticks[i] < 100)
				printf "; CPU %d ticks in all, so per scrape +-%.3f ms", ticks[i], 1000 / tck / cnt
			printf "\n"
		}
		printf "background CPU while the other was scraped (%.1f s): kres %.2f ms/s, node_exporter %.2f ms/s; CPU is counted in 1/%d s\n", isecs[1], 1000 * bg[1], 1000 * bg[2], tck
		r = ratio(per[1], per[2]); m = ratio(rss[1], rss[2])
		if (fresh) {
			printf "kres net of its background (%d samples/s without scrapes): %.3f ms per scrape\n", 10, net[1]
			rn = ratio(net[1], per[2])
			printf "kres / node_exporter: CPU per scrape %s all-in%s (target <= 0.10: %s), %s net of sampling (%s); RSS %s (target <= 0.25: %s; anonymous only %s); latency p50 %s, p99 %s\n", r, span(1), target(r, 0.10), rn, target(rn, 0.10), m, target(m, 0.25), ratio(anon[1], anon[2]), ratio(p50[1], p50[2]), ratio(p99[1], p99[2])
		} else
			printf "kres / node_exporter: CPU per scrape %s%s (target <= 0.10: %s); RSS %s (target <= 0.25: %s; anonymous only %s); latency p50 %s, p99 %s\n", r, span(1), target(r, 0.10), m, target(m, 0.25), ratio(anon[1], anon[2]), ratio(p50[1], p50[2]), ratio(p99[1], p99[2])
	}' "$1"
}

echo
echo "pass 1 (cached): $n back-to-back scrapes each, kres --interval 5: nearly every kres scrape serves the"
echo "  same sample (the cost of serving it); node_exporter reads /proc on every scrape."
run_pass cached "$n" "" $k_pid $p_k
report "$work/cached.rows" 0

# pass 2: a second kres at --interval 0.1, scrapes 0.15 s apart (400 a minute)
kill -TERM $k_pid
pids=("$ne_pid")
wait $k_pid || true
p_k2=$(free_port $((p_ne + 1)))
"$kres" serve --listen 127.0.0.1:$p_k2 --interval 0.1 --check-interval 0 >"$work/kres.log" 2>&1 &
k2_pid=$!
pids+=("$k2_pid")
wait_ok $k2_pid $p_k2 /healthz kres
echo
echo "pass 2 (fresh): $nf scrapes each, 0.15 s apart, kres --interval 0.1: every kres scrape sees a new sample"
echo "  (a fresh render); kres's CPU also holds its 10 samples a second, shown as its background."
run_pass fresh "$nf" 400/m $k2_pid $p_k2
report "$work/fresh.rows" 1
