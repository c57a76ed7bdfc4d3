#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What watching the host costs: CPU time and peak memory of `kres top -b -d 1` against
# its peers `vmstat 1` (procps, system counters only) and `pidstat -r 1` (sysstat,
# every process's memory), run side by side for the same BENCH_SECONDS (default 60)
# with BENCH_IDLE (default 300) idle `sleep` processes on the host, so reading
# processes costs something. Each runs under GNU time (user + sys CPU seconds, maximum
# RSS). Prints a table, the ratios kres / peer, and kres against its targets
# (<= 0.2 % of one core at a 1 s interval, <= 4 MiB RSS); the targets are reported,
# not enforced.
# usage: [BENCH_SECONDS=N] [BENCH_IDLE=N] bench/sample.sh KRES
# Exit status: 0 unless a tool fails.
set -euo pipefail
export LC_NUMERIC=C
kres=${1:?usage: bench/sample.sh KRES}
secs=${BENCH_SECONDS:-60}
nidle=${BENCH_IDLE:-300}
[[ $secs =~ ^[1-9][0-9]*$ ]] || { echo "bench: BENCH_SECONDS must be a positive integer" >&2; exit 2; }
[[ $nidle =~ ^[0-9]+$ ]] || { echo "bench: BENCH_IDLE must be a non-negative integer" >&2; exit 2; }
[[ -x $kres ]] || kres=$(command -v "$kres") || { echo "bench: $1: not found" >&2; exit 2; }
kres=$(realpath "$kres")
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/deps.sh" bench
for c in vmstat pidstat /usr/bin/time; do
	command -v $c >/dev/null || { echo "bench: $c is missing (scripts/deps.sh bench)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/kres-bench-sample.XXXXXX)
idle=()
cleanup() {
	((${#idle[@]} == 0)) || kill "${idle[@]}" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
for ((i = 0; i < nidle; i++)); do
	sleep 1000 &
	idle+=($!)
done

# Every tool covers secs seconds: vmstat and kres print secs + 1 samples (the first at
# once, with no interval behind it), pidstat prints secs reports, the first after 1 s.
names=(kres vmstat pidstat)
cmds=("kres top -b -d 1 -n $((secs + 1))" "vmstat 1 $((secs + 1))" "pidstat -r 1 $secs")
runs=()
/usr/bin/time -f '%e %U %S %M' -o "$work/kres.time" "$kres" top -b -d 1 -n $((secs + 1)) >/dev/null 2>"$work/kres.err" &
runs+=($!)
# kres's resident memory split, read from its /proc/PID/status while it runs: how
# much of the RSS is its own (anonymous) and how much shared libraries (file).
(
	while kill -0 "${runs[0]}" 2>/dev/null; do
		k=$(pgrep -P "${runs[0]}") && grep -E '^(RssAnon|RssFile|RssShmem):' "/proc/$k/status" >"$work/kres.status.new" 2>/dev/null &&
			mv "$work/kres.status.new" "$work/kres.status"
		sleep 1
	done
) &
/usr/bin/time -f '%e %U %S %M' -o "$work/vmstat.time" vmstat 1 $((secs + 1)) >/dev/null 2>"$work/vmstat.err" &
runs+=($!)
/usr/bin/time -f '%e %U %S %M' -o "$work/pidstat.time" pidstat -r 1 "$secs" >/dev/null 2>"$work/pidstat.err" &
runs+=($!)
failed=0
for i in 0 1 2; do
	wait "${runs[$i]}" || { echo "bench: ${cmds[$i]} failed: $(head -c 300 "$work/${names[$i]}.err")" >&2; failed=1; }
done
((failed == 0)) || exit 1

printf 'seconds: %d, idle processes started: %d, processes on the host: %d, CPUs: %d\n' \
	"$secs" "$nidle" "$(ls -d /proc/[0-9]* | wc -l)" "$(nproc)"
for i in 0 1 2; do
	# GNU time writes "Command exited with non-zero status" first when it applies.
	echo "${cmds[$i]} $(tail -1 "$work/${names[$i]}.time")"
done | awk '
	{ e = $(NF - 3); cpu = $(NF - 2) + $(NF - 1); rss = $NF / 1024
	  $(NF - 3) = $(NF - 2) = $(NF - 1) = $NF = ""; sub(/ +$/, "")
	  name[NR] = $0; el[NR] = e; c[NR] = cpu; r[NR] = rss; pct[NR] = e > 0 ? 100 * cpu / e : 0 }
	function ratio(a, b) { return b > 0 ? sprintf("%.2f", a / b) : (a > 0 ? "inf (peer 0.00 s)" : "1 (both 0.00 s)") }
	END {
		printf "%-24s %9s %7s %12s %11s\n", "tool", "elapsed s", "CPU s", "% of a core", "max RSS MiB"
		for (i = 1; i <= NR; i++)
			printf "%-24s %9.2f %7.2f %12.3f %11.2f\n", name[i], el[i], c[i], pct[i], r[i]
		printf "kres / vmstat:  CPU %s, RSS %s\n", ratio(c[1], c[2]), ratio(r[1], r[2])
		printf "kres / pidstat: CPU %s, RSS %s\n", ratio(c[1], c[3]), ratio(r[1], r[3])
		printf "target <= 0.2 %% of one core: %.3f %% (%s; CPU time is counted in 0.01 s)\n", pct[1], pct[1] <= 0.2 ? "met" : "NOT met"
		printf "target <= 4 MiB RSS: %.2f MiB (%s)\n", r[1], r[1] <= 4 ? "met" : "NOT met"
	}'
[ -s "$work/kres.status" ] && awk '{ v[$1] = $2 / 1024 } END {
	printf "kres resident at its last second: anonymous %.2f MiB, file %.2f MiB (its binary and shared libraries), shmem %.2f MiB\n",
		v["RssAnon:"], v["RssFile:"], v["RssShmem:"] }' "$work/kres.status"
