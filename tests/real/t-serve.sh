#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A real Prometheus (Debian's package) scrapes kres serve on loopback and evaluates
# deploy/prometheus/kres-alerts.yml; the host gets real problems and the right alerts
# must fire:
#   - a memory-cgroup OOM kill of a program of the test's own (a cgroup with a 32 MiB
#     limit, created by the test and removed after): the kernel logs it, kres serve's
#     /dev/kmsg follower counts it, KresOomKill fires;
#   - a process leaking 1 MiB/s (tests/real/leaker.c): KresProcessLeak fires with a
#     time to exhaustion under 24 h;
#   - a second agent on the removeipc-danger fixture tree (its check finds the
#     critical SYSD-01): KresCriticalFinding fires for that target only.
# The rules' "for:" durations are set to 0s in the test's copy (the real ones hold
# for minutes); everything else is the shipped file. Also: the query API returns the
# series node_exporter's dashboards use, and promtool lints this host's real output.
. "$(dirname "$0")/../lib.sh"
kres=$(realpath "${1:?}")
cd "$(dirname "$0")/../.." || exit 1
. tests/serve-lib.sh
rc=0
tmp=$(mktemp -d /tmp/kres-rserve.XXXXXX)
cg=
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	serve_stop
	[ -n "$cg" ] && rmdir "$cg" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
pass() { t_pass "real/serve: $*"; }
fail() { t_fail "real/serve: $*"; rc=1; }

for c in prometheus promtool curl jq cc; do
	command -v $c >/dev/null || { fail "$c is missing (scripts/deps.sh test installs it)"; exit 1; }
done

# The fixture agent (critical finding), then the host agent.
if ! serve_start "$tmp/fix.log" --root tests/fixtures/removeipc-danger --no-kmsg --no-procs --interval 1 --check-interval 2; then
	fail "fixture agent did not start: $(cat "$tmp/fix.log")"; exit 1
fi
fix_pid=$serve_pid fix_port=$serve_port
pids+=("$fix_pid")
serve_pid=
if ! serve_start "$tmp/host.log" --interval 1 --check-interval 30 --leak-window 20 --top 5; then
	fail "host agent did not start: $(cat "$tmp/host.log")"; exit 1
fi
host_port=$serve_port

curl -s "http://127.0.0.1:$host_port/metrics" >"$tmp/m"
promtool check metrics <"$tmp/m" >"$tmp/lint" 2>&1; pc=$?
grep -Ev '^(node_memory_|node_netstat_|node_sockstat_|node_vmstat_)[A-Za-z0-9_]+ (metric names should be written in .snake_case. not .camelCase.|no help text)' "$tmp/lint" >"$tmp/lint2"
if [ $pc != 1 ] && [ ! -s "$tmp/lint2" ]; then pass "promtool check metrics on this host ($(grep -vc '^#' "$tmp/m") samples)"
else fail "promtool check metrics (exit $pc): $(head -5 "$tmp/lint2")"; fi

# Prometheus on loopback, scraping both every second, rules evaluated every second.
sed -E 's/^([[:space:]]*)for:.*/\1for: 0s/' deploy/prometheus/kres-alerts.yml >"$tmp/rules.yml"
cat >"$tmp/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: [rules.yml]
scrape_configs:
  - job_name: kres
    static_configs:
      - targets: ['127.0.0.1:$host_port']
        labels: {role: host}
      - targets: ['127.0.0.1:$fix_port']
        labels: {role: fixture}
EOF
promtool check config "$tmp/prometheus.yml" >"$tmp/pc" 2>&1 || { fail "prometheus.yml: $(cat "$tmp/pc")"; exit 1; }
pport=$((host_port + 1))
prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/tsdb" \
	--web.listen-address="127.0.0.1:$pport" >"$tmp/prom.log" 2>&1 &
pids+=($!)
api="http://127.0.0.1:$pport/api/v1"
# q EXPR: the query's result vector as JSON.
q() { curl -s -m 5 --data-urlencode "query=$1" "$api/query" | jq -c '.data.result'; }
for i in $(seq 1 150); do
	[ "$(q 'sum(up{job="kres"})' | jq -r '.[0].value[1] // 0' 2>/dev/null)" = 2 ] && break
	sleep 0.2
done
if [ "$(q 'sum(up{job="kres"})' | jq -r '.[0].value[1] // 0')" = 2 ]; then pass "Prometheus scrapes both agents (up = 1)"
else fail "Prometheus does not scrape the agents: $(curl -s "$api/targets" | jq -c '[.data.activeTargets[] | {scrapeUrl, health, lastError}]')"; exit 1; fi

# Series the usual dashboards and the rules read, through the query API.
memtotal=$(awk '/^MemTotal:/ {print $2 * 1024}' /proc/meminfo)
got=$(q 'node_memory_MemTotal_bytes{role="host"}' | jq -r '.[0].value[1]')
[ "$got" = "$memtotal" ] && pass "query: node_memory_MemTotal_bytes = /proc/meminfo ($got)" || fail "node_memory_MemTotal_bytes: $got, want $memtotal"
ncpu=$(grep -c '^cpu[0-9]' /proc/stat)
got=$(q 'count(node_cpu_seconds_total{role="host",mode="idle"})' | jq -r '.[0].value[1]')
[ "$got" = "$ncpu" ] && pass "query: node_cpu_seconds_total has $ncpu CPUs" || fail "node_cpu_seconds_total idle series: $got, want $ncpu"
for s in 'node_pressure_memory_stalled_seconds_total' 'kres_pressure_stalled_ratio{resource="memory"}' \
	'node_vmstat_pgmajfault' 'node_context_switches_total' 'kres_kernel_events_total{category="memcg_oom_kill"}' \
	'kres_collector_success{collector="sample"}' 'process_resident_memory_bytes'; do
	n=$(q "$s"'{role="host"}' 2>/dev/null | jq 'length')
	[ "${n:-0}" -ge 1 ] && pass "query: $s present" || fail "query: $s missing"
done
rate=$(q 'rate(node_context_switches_total{role="host"}[10s])' | jq -r '.[0].value[1] // "none"')
awk -v r="$rate" 'BEGIN {exit !(r + 0 > 0)}' && pass "query: rate(node_context_switches_total) > 0 ($rate/s)" || fail "context switch rate: $rate"

# alert NAME [LABEL=VALUE]: waits up to $2 seconds for a firing alert.
alert_firing() {
	local name=$1 secs=$2 sel=${3:-}
	local i
	for i in $(seq 1 $((secs * 2))); do
		curl -s -m 5 "$api/alerts" >"$tmp/alerts"
		if jq -e --arg n "$name" --arg sel "$sel" '.data.alerts[] | select(.labels.alertname == $n and .state == "firing") |
			select($sel == "" or ([.labels | to_entries[] | "\(.key)=\(.value)"] | index($sel)))' "$tmp/alerts" >/dev/null; then
			return 0
		fi
		sleep 0.5
	done
	return 1
}

# 1. A critical finding on the fixture target.
if alert_firing KresCriticalFinding 30 "id=SYSD-01"; then
	inst=$(jq -r '[.data.alerts[] | select(.labels.alertname == "KresCriticalFinding")][0].labels.role' "$tmp/alerts")
	[ "$inst" = fixture ] && pass "KresCriticalFinding fires for SYSD-01 on the fixture target" || fail "KresCriticalFinding fired for role '$inst'"
else
	fail "KresCriticalFinding did not fire: $(jq -c '[.data.alerts[] | .labels.alertname]' "$tmp/alerts")"
fi

# 2. A real memory-cgroup OOM kill.
cgv1=/sys/fs/cgroup/memory
if [ -w "$cgv1" ] && [ -f "$cgv1/memory.limit_in_bytes" ]; then
	cg=$cgv1/kres-test-$$
	mkdir "$cg" && echo $((32 << 20)) >"$cg/memory.limit_in_bytes"
elif [ -f /sys/fs/cgroup/cgroup.controllers ] && grep -qw memory /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null; then
	cg=/sys/fs/cgroup/kres-test-$$
	mkdir "$cg" && echo $((32 << 20)) >"$cg/memory.max" && echo 0 >"$cg/memory.swap.max"
fi
if [ -n "$cg" ]; then
	cat >"$tmp/hog.c" <<'EOF'
#include <stdlib.h>
#include <string.h>
int main(void) { for (int i = 0; i < 256; i++) { char *p = malloc(1 << 20); if (p) memset(p, 1, 1 << 20); } return 0; }
EOF
	cc -O1 -o "$tmp/kres-hog" "$tmp/hog.c"
	(echo $BASHPID >"$cg/cgroup.procs" && exec "$tmp/kres-hog") 2>/dev/null
	hog_status=$?
	[ $hog_status = 137 ] && pass "the hog was OOM-killed in its cgroup (exit 137)" || fail "the hog exited $hog_status, not killed"
	if alert_firing KresOomKill 30 "role=host"; then pass "KresOomKill fires after a real memory-cgroup OOM kill"
	else fail "KresOomKill did not fire: $(jq -c '[.data.alerts[] | .labels.alertname]' "$tmp/alerts")"; fi
	curl -s "http://127.0.0.1:$host_port/events?category=memcg_oom_kill" >"$tmp/ev"
	victim=$(jq -r '[.events[] | select(.fields.comm == "kres-hog")] | last | .fields.comm' "$tmp/ev")
	[ "$victim" = kres-hog ] && pass "/events names the victim (kres-hog)" || fail "/events: $(head -c 400 "$tmp/ev")"
	n=$(q 'sum(kres_kernel_events_total{role="host",category="memcg_oom_kill"})' | jq -r '.[0].value[1]')
	[ "${n:-0}" -ge 1 ] && pass "kres_kernel_events_total{category=memcg_oom_kill} = $n" || fail "memcg_oom_kill counter: $n"
else
	fail "no writable memory cgroup (v1 memory controller or v2 with memory delegated) to make an OOM kill in"
fi

# 3. A leak of 1 MiB/s, seen over the 20 s leak window.
cc -O2 -o "$tmp/leaker" tests/real/leaker.c
"$tmp/leaker" grow 1024 90 >/dev/null 2>&1 &
leak_pid=$!
pids+=("$leak_pid")
if alert_firing KresProcessLeak 60 "pid=$leak_pid"; then
	slope=$(q "kres_process_leak_slope_bytes_per_second{pid=\"$leak_pid\"}" | jq -r '.[0].value[1]')
	tte=$(q "kres_process_leak_exhaustion_seconds{pid=\"$leak_pid\"}" | jq -r '.[0].value[1]')
	awk -v s="$slope" 'BEGIN {exit !(s > 0.9 * 1048576 && s < 1.1 * 1048576)}' &&
		pass "KresProcessLeak fires for the leaker: slope $slope B/s (1 MiB/s ± 10 %), exhaustion in $tte s" ||
		fail "leak slope $slope B/s, want 1 MiB/s ± 10 %"
else
	fail "KresProcessLeak did not fire for pid $leak_pid: $(curl -s "http://127.0.0.1:$host_port/metrics" | grep "pid=\"$leak_pid\"" | head -5)"
fi
# No alert that the host did not earn.
curl -s -m 5 "$api/alerts" >"$tmp/alerts"
unexpected=$(jq -r '[.data.alerts[] | select(.state == "firing" and .labels.role == "host") | .labels.alertname] | unique |
	map(select(. != "KresOomKill" and . != "KresProcessLeak")) | join(",")' "$tmp/alerts")
[ -z "$unexpected" ] && pass "no other alert fires for this host" || fail "unexpected alerts for this host: $unexpected"
kill "$leak_pid" 2>/dev/null
serve_stop; st=$?
[ $st = 0 ] && pass "host agent exits 0 on SIGTERM" || fail "host agent exit status $st"
exit $rc
