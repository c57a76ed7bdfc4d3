#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The lab: real faults of a real kernel. Boots Debian's kernel under QEMU (-accel tcg:
# KVM does not work nested on the build machines) once per scenario, with an
# initramfs holding kres (tests/lab/build.sh). In the guest `kres log -f` and
# `kres serve` run from boot while the scenario makes the kernel fail; the guest
# writes what they reported, and its own kernel log, to its second serial port.
# Here each report is compared with the kernel's own lines: the same number of
# events as the kernel printed reports (exactly once each), the category and
# signature, the fields (victim pid and comm, CPU and seconds, device, block), and
# kres serve's counters.
#
#   tests/lab/run.sh KRES [SCENARIO...]      default: every scenario
#   tests/lab/run.sh --verify DIR [SCENARIO...]
#       checks saved guest output, DIR/SCENARIO/{results.log,qemu.rc}, without
#       booting (tests/cli/t-lab-verify.sh checks the checks on captured output)
#
# One result line per scenario. A missing prerequisite (packages from
# `scripts/deps.sh lab`) fails with its name; nothing is skipped.
# LAB_JOBS guests run at once (default: 2); each has LAB_TIMEOUT seconds (240) and
# LAB_MEM MiB of memory (512; the sanitizer build's kres needs about 200 MiB a process).
. "$(dirname "$0")/../lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
verify_only=
if [ "${1:-}" = --verify ]; then
	verify_only=1
	out=$(realpath "${2:?usage: run.sh --verify DIR [SCENARIO...]}")
	shift 2
else
	kres=$(realpath "${1:?usage: run.sh KRES [SCENARIO...]}")
	shift
	out=$(dirname "$kres")/lab
fi
all=(oom memcg hung blkerr segv lockup check)
scenarios=("${@:-${all[@]}}")
jobs=${LAB_JOBS:-2}
limit=${LAB_TIMEOUT:-240}

for t in qemu-system-x86_64 jq; do
	[ -n "$verify_only" ] && [ "$t" != jq ] && continue
	command -v "$t" >/dev/null || {
		t_fail "lab: '$t' not found (scripts/deps.sh lab installs qemu-system-x86 and jq)"
		exit 1
	}
done
if [ -z "$verify_only" ]; then
	mkdir -p "$out"
	if ! "$here/build.sh" "$kres" "$out" 2>"$out/build.err"; then
		t_fail "lab: building the guest failed: $(tail -1 "$out/build.err")"
		exit 1
	fi
	kernel=$(cat "$out/kernel")
fi

# ---- running one guest ----

boot() {
	local s=$1 d=$out/$1
	rm -rf "$d" && mkdir -p "$d"
	local t0=$SECONDS
	timeout -k 5 "$limit" qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m "${LAB_MEM:-512}" \
		-nodefaults -display none -no-reboot -kernel "$kernel" -initrd "$out/initramfs.cpio.gz" \
		-append "console=ttyS0 panic=-1 kres_lab=$s" \
		-serial "file:$d/console.log" -serial "file:$d/results.log" >"$d/qemu.out" 2>&1
	echo "$? $((SECONDS - t0))" >"$d/qemu.rc"
}

# Splits results.log into its sections: facts, events, metrics, check, stderr, dmesg.
split_results() {
	local d=$1
	tr -d '\r' <"$d/results.log" | awk -v d="$d" '
		/^@@lab end /  { sub(/^@@lab end /, ""); print > (d "/status"); f = ""; next }
		/^@@lab begin/ { next }
		/^@@[a-z]+$/   { f = d "/" substr($0, 3); printf "" > f; next }
		f != ""        { print >> f }'
	# The kernel log without its "<level>[ seconds] " prefixes.
	[ -f "$d/dmesg" ] && sed -E 's/^<[0-9]+>\[ *[0-9.]+\] //' "$d/dmesg" >"$d/kernel"
}

# ---- checking one guest ----

errs=()
err() { errs+=("$*"); }
fact() { awk -v k="$1" '$1 == k { sub(/^[^ ]+ /, ""); print; exit }' "$d/facts"; }
# kernel ERE: how many lines of the guest's kernel log match.
kcount() { grep -cE -- "$1" "$d/kernel"; }
# events SIGNATURE: kres log's events of that signature, one JSON object per line.
events() { jq -c --arg s "$1" 'select(.signature == $s)' "$d/events"; }
# served CATEGORY SIGNATURE: kres serve's counter.
served() {
	awk -v k="kres_kernel_events_total{category=\"$1\",signature=\"$2\"}" \
		'$1 == k { print $2; found = 1 } END { if (!found) print "none" }' "$d/metrics"
}
metric() { awk -v k="$1" '$1 == k { print $2 }' "$d/metrics"; }
eq() { [ "$2" = "$3" ] || err "$1: kres says '$2', expected '$3'"; }

# once CATEGORY SIGNATURE ERE: the kernel printed N >= 1 lines matching ERE; kres log
# must report N events of SIGNATURE in CATEGORY and kres serve must count N.
# Sets N (not printed: err must run in this shell, not in a $(...) subshell).
once() {
	local cat=$1 sig=$2 n k s
	k=$(kcount "$3")
	n=$(events "$sig" | jq -s --arg c "$cat" '[.[] | select(.category == $c)] | length')
	s=$(served "$cat" "$sig")
	[ "$k" -ge 1 ] || err "the kernel printed no '$3' line"
	[ "$n" = "$k" ] || err "$sig: kres log reported $n events for $k kernel lines"
	[ "$s" = "$k" ] || err "$sig: kres serve counted $s for $k kernel lines"
	N=$k
}
# only CATEGORY N: kres log reported exactly N events in CATEGORY (no other
# signature of the category fired on the same lines).
only() {
	local n
	n=$(jq -s --arg c "$1" '[.[] | select(.category == $c)] | length' "$d/events")
	[ "$n" = "$2" ] || err "$1: $n events in the category, expected $2"
}
# first SIGNATURE JQ-PATH: a field of the first event of SIGNATURE ("null" if none).
first() { events "$1" | head -1 | jq -r "$2 // \"null\""; }
# victim_is SIGNATURE COMM: the first event names the scenario's victim: its pid as
# the guest recorded it, and COMM.
victim_is() {
	eq pid "$(first "$1" .fields.pid)" "$(fact victim_pid)"
	eq comm "$(first "$1" .fields.comm)" "$2"
}

check_oom() {
	local pid n line
	pid=$(fact victim_pid)
	once oom_kill oom_killed_process 'Out of memory: Killed process [0-9]+ \('
	n=$N
	only oom_kill "$n"
	victim_is oom_killed_process hog
	eq constraint "$(first oom_killed_process .fields.constraint)" CONSTRAINT_NONE
	line=$(grep -m1 -E "Killed process $pid " "$d/kernel")
	eq anon_rss_kb "$(first oom_killed_process .fields.anon_rss_kb)" "$(sed -E 's/.*anon-rss:([0-9]+)kB.*/\1/' <<<"$line")"
	eq "hog's exit status" "$(fact victim_exit)" 137
	eq "serve node_vmstat_oom_kill" "$(metric node_vmstat_oom_kill)" "$n"
	summary="oom_kill ×$n victim $pid (hog)"
}

check_memcg() {
	local pid n line
	pid=$(fact victim_pid)
	once memcg_oom_kill memcg_oom_killed_process 'Memory cgroup out of memory: Killed process [0-9]+ \('
	n=$N
	only memcg_oom_kill "$n"
	only oom_kill 0
	victim_is memcg_oom_killed_process hog
	eq constraint "$(first memcg_oom_killed_process .fields.constraint)" CONSTRAINT_MEMCG
	eq memcg "$(first memcg_oom_killed_process .fields.memcg)" "$(fact memcg)"
	eq task_memcg "$(first memcg_oom_killed_process .fields.task_memcg)" "$(fact memcg)"
	line=$(grep -m1 -E "Killed process $pid " "$d/kernel")
	eq anon_rss_kb "$(first memcg_oom_killed_process .fields.anon_rss_kb)" "$(sed -E 's/.*anon-rss:([0-9]+)kB.*/\1/' <<<"$line")"
	eq "memory.events oom_kill" "$n" "$(fact oom_kill_count)"
	eq "serve node_vmstat_oom_kill" "$(metric node_vmstat_oom_kill)" "$n"
	summary="memcg_oom_kill ×$n victim $pid (hog) in $(fact memcg)"
}

check_hung() {
	local pid n secs f
	pid=$(fact victim_pid)
	once hung_task hung_task 'INFO: task [^ ]+:[0-9]+ blocked for more than [0-9]+ seconds'
	n=$N
	only hung_task "$n"
	secs=$(grep -m1 -oE "INFO: task labwrite:$pid blocked for more than [0-9]+" "$d/kernel" | grep -oE '[0-9]+$')
	victim_is hung_task labwrite
	eq seconds "$(first hung_task .fields.seconds)" "$secs"
	[ "${secs:-0}" -ge "$(fact timeout_secs)" ] || err "blocked $secs s, under the $(fact timeout_secs) s timeout"
	# The frames kres took from the report are in the kernel's call trace.
	for f in $(events hung_task | head -1 | jq -r '.frames[]'); do
		grep -qE "^ (\? )?$f\+0x" "$d/kernel" || err "frame $f is not in the kernel's trace"
	done
	[ "$(first hung_task '.frames[0]')" != null ] || err "no call-trace frames"
	eq "writer's exit status after resume" "$(fact writer_exit)" 0
	summary="hung_task ×$n labwrite:$pid ${secs}s in $(first hung_task '.frames | join(">")')"
}

check_blkerr() {
	local dev ne nb nr blocks kblocks
	dev=$(fact device)
	once ext4_error ext4_error "EXT4-fs error \\(device $dev\\)"
	ne=$N
	only ext4_error "$((ne + $(kcount 'EXT4-fs warning \(device|Aborting journal on device')))"
	eq "ext4 device" "$(events ext4_error | jq -r .fields.device | sort -u | paste -sd,)" "$dev"
	eq "ext4 comm" "$(first ext4_error .fields.comm)" \
		"$(grep -m1 -oE "EXT4-fs error \\(device $dev\\): .* comm [^:]+:" "$d/kernel" | sed -E 's/.* comm ([^:]+):$/\1/')"
	once blk_io_error buffer_io_error "Buffer I/O error on dev $dev, logical block [0-9]+"
	nb=$N
	blocks=$(events buffer_io_error | jq -r .fields.block | paste -sd,)
	kblocks=$(grep -oE "Buffer I/O error on dev $dev, logical block [0-9]+" "$d/kernel" | grep -oE '[0-9]+$' | paste -sd,)
	eq "blocks" "$blocks" "$kblocks"
	grep -qE "(^|,)$(fact first_block)(,|$)" <<<"$blocks" || err "block $(fact first_block) of the read not reported"
	# Block-layer lines ("<status> error, dev X, sector N"): loop over tmpfs prints
	# some for mke2fs's WRITE_ZEROES on 6.1; whatever their number, each is one event.
	nr=$(kcount ' error, dev [^,]+, sector [0-9]+')
	eq "blk_io_error events" "$(events blk_io_error | wc -l)" "$nr"
	eq "blk_io_error served" "$(served blk_io_error blk_io_error)" "$nr"
	only blk_io_error "$((nb + nr))"
	summary="ext4_error ×$ne, buffer_io_error ×$nb (blocks $blocks) on $dev; blk_io_error ×$nr"
}

check_segv() {
	local pid n line
	pid=$(fact victim_pid)
	once segfault segfault 'segv\[[0-9]+\]: segfault at '
	n=$N
	only segfault "$n"
	line=$(grep -m1 -E "segv\\[$pid\\]: segfault at " "$d/kernel")
	victim_is segfault segv
	eq address "$(first segfault .fields.address)" 0
	eq ip "$(first segfault .fields.ip)" "$(sed -E 's/.* ip ([0-9a-f]+) .*/\1/' <<<"$line")"
	eq error "$(first segfault .fields.error)" "$(sed -E 's/.* error ([0-9a-f]+) .*/\1/' <<<"$line")"
	grep -q "likely on CPU" <<<"$line" &&
		eq cpu "$(first segfault .fields.cpu)" "$(sed -E 's/.*likely on CPU ([0-9]+).*/\1/' <<<"$line")"
	eq "segv's exit status" "$(fact victim_exit)" 139
	summary="segfault ×$n segv[$pid] at 0 error $(first segfault .fields.error)"
}

check_lockup() {
	local pid n cpu secs
	pid=$(fact victim_pid)
	once soft_lockup soft_lockup 'BUG: soft lockup - CPU#[0-9]+ stuck for [0-9]+s!'
	n=$N
	only soft_lockup "$n"
	cpu=$(grep -m1 -oE 'kres_lockup: spinning on CPU [0-9]+' "$d/kernel" | grep -oE '[0-9]+$')
	secs=$(grep -m1 -oE 'BUG: soft lockup - CPU#[0-9]+ stuck for [0-9]+s' "$d/kernel" | grep -oE '[0-9]+s$' | tr -d s)
	eq cpu "$(first soft_lockup .fields.cpu)" "$cpu"
	eq seconds "$(first soft_lockup .fields.seconds)" "$secs"
	[ "${secs:-0}" -ge $((2 * $(fact watchdog_thresh))) ] || err "stuck $secs s, under the 2 × watchdog_thresh threshold"
	victim_is soft_lockup insmod
	summary="soft_lockup ×$n CPU#$cpu ${secs}s [insmod:$pid]"
}

check_check() {
	local c=$d/check
	jq -e . "$c" >/dev/null 2>&1 || { err "kres check printed no JSON"; return; }
	eq kernel "$(jq -r .host.kernel "$c")" "$(fact kernel)"
	eq mem_total_kb "$(jq -r .host.mem_total_kb "$c")" "$(fact mem_total_kb)"
	eq cpus "$(jq -r .host.cpus "$c")" "$(fact cpus)"
	eq "input errors" "$(jq -c .input_errors "$c")" "[]"
	# QEMU without KVM: the lab guest runs under TCG.
	eq virtualization "$(jq -r .host.virtualization "$c")" qemu
	eq "exit status" "$(fact check_exit)" "$(jq -r .summary.exit_code "$c")"
	eq "serve MemTotal" "$(metric node_memory_MemTotal_bytes)" "$(($(fact mem_total_kb) * 1024))"
	eq "serve CPUs" "$(grep -c '^node_cpu_seconds_total{cpu="[0-9]*",mode="idle"}' "$d/metrics")" "$(fact cpus)"
	summary="kernel $(fact kernel), $(jq -r '.summary | "\(.ok) ok, \(.info) info, \(.skip) skip, state \(.state)"' "$c")"
}

verify() {
	local s=$1 rc secs status
	d=$out/$s
	errs=() summary=
	read -r rc secs <"$d/qemu.rc"
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		t_fail "lab/$s: the guest did not finish within $limit s (console: $d/console.log)"
		return
	fi
	split_results "$d"
	status=$(cat "$d/status" 2>/dev/null || echo "no results on the serial port (qemu exit $rc)")
	if [ "$status" != ok ]; then
		t_fail "lab/$s: $status (console: $d/console.log)"
		return
	fi
	"check_$s"
	eq "kres log's exit status" "$(fact kres_log_exit)" 0
	eq "kres serve's exit status" "$(fact kres_serve_exit)" 0
	grep -qE 'ERROR: AddressSanitizer|runtime error:|LeakSanitizer' "$d/stderr" &&
		err "a sanitizer report in the guest: $(grep -m1 -E 'AddressSanitizer|runtime error:|LeakSanitizer' "$d/stderr")"
	if [ ${#errs[@]} -eq 0 ]; then
		t_pass "lab/$s: $summary (${secs}s)"
	else
		t_fail "lab/$s: $(IFS=';'; echo "${errs[*]}") ($d)"
	fi
}

for s in "${scenarios[@]}"; do
	declare -F "check_$s" >/dev/null && [ -f "$here/guest/$s.sh" ] || {
		t_fail "lab: no scenario '$s' (have: ${all[*]})"
		exit 1
	}
done
running=0
for s in "${scenarios[@]}"; do
	[ -n "$verify_only" ] && break
	boot "$s" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
done
wait
rc=0
for s in "${scenarios[@]}"; do
	verify "$s"
	[ ${#errs[@]} -eq 0 ] && [ "$(cat "$out/$s/status" 2>/dev/null)" = ok ] || rc=1
done
exit $rc
