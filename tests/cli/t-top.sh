#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# kres top over the snapshot sequences of tests/fixtures/top: every expected number below
# is worked out by hand in that sequence's README.md (tests/fixtures/top/seq-*/README.md).
# Each sequence runs once with --format json; the samples are checked with jq, numbers
# within 0.01. Then hostile input (seq-hostile) and usage errors.
. "$(dirname "$0")/../lib.sh"
kres=$(realpath "${1:?usage: t-top.sh KRES}")
cd "$(dirname "$0")/../.." || exit 1
rc=0
work=build/top-test
rm -rf "$work" && mkdir -p "$work"
fx=tests/fixtures/top

# jq helpers: same() compares a result with the expected value (numbers within 0.01,
# arrays and objects element by element); the others pick a device, disk, CPU or process.
defs='
def same($g; $w):
	if ($g | type) == "number" and ($w | type) == "number" then (($g - $w) | fabs) <= 0.01
	elif ($g | type) == "array" and ($w | type) == "array" then
		($g | length) == ($w | length) and ([range(0; $w | length) as $i | same($g[$i]; $w[$i])] | all)
	elif ($g | type) == "object" and ($w | type) == "object" then
		($g | keys) == ($w | keys) and ([$w | keys[] as $k | same($g[$k]; $w[$k])] | all)
	else $g == $w end;
def dev($n): .net.devices[] | select(.name == $n);
def disk($n): .disks[] | select(.name == $n);
def pcpu($n): .cpu.per_cpu[] | select(.cpu == $n);
def proc($p): .procs.top[] | select(.pid == $p);
def rep($v; $n): [range(0; $n) | $v];
'

# run SEQ [OPTIONS...]: kres top --format json over the sequence into $work/SEQ.jsonl. It
# must exit 0 and print one valid JSON line per snapshot.
run() {
	local seq=$1 n code; shift
	n=$(find "$fx/$seq" -mindepth 1 -maxdepth 1 -type d -name '[0-9]*' | wc -l)
	"$kres" top --format json --root-seq "$fx/$seq" "$@" >"$work/$seq.jsonl" 2>"$work/$seq.err"
	code=$?
	if [ "$code" -ne 0 ]; then
		t_fail "cli/top: $seq: exit $code, expected 0: $(head -c 300 "$work/$seq.err")"; rc=1; return 1
	fi
	if [ "$(wc -l <"$work/$seq.jsonl")" -ne "$n" ] || ! jq -e -s "length == $n" "$work/$seq.jsonl" >/dev/null 2>&1; then
		t_fail "cli/top: $seq: expected $n JSON lines, got: $(head -c 300 "$work/$seq.jsonl")"; rc=1; return 1
	fi
	return 0
}

# is SEQ EXPR WANT: the jq expression EXPR over the samples of SEQ (an array: sample i is
# .[i]) must give the JSON value WANT.
nfail=0 npass=0
is() {
	local seq=$1 expr=$2 want=$3 got
	got=$(jq -c -s "$defs $expr" "$work/$seq.jsonl" 2>&1) || got="(jq: ${got//$'\n'/ })"
	[ -n "$got" ] || got="(no value)"
	if jq -n -e --argjson g "$got" --argjson w "$want" "$defs same(\$g; \$w)" >/dev/null 2>&1; then
		npass=$((npass + 1))
	else
		t_fail "cli/top: $seq: $expr: got $got, expected $want"
		nfail=$((nfail + 1)) rc=1
	fi
}

# done_seq SEQ: one pass line for the sequence when all of its checks held.
done_seq() {
	[ "$nfail" -eq 0 ] && t_pass "cli/top: $1: $npass checks"
	nfail=0 npass=0
}

# ---- seq-basic: steady rates (run with a 5 s leak window: its 6 snapshots, the least kres judges, span it) ----
s=seq-basic
if run $s --leak-window 5; then
	is $s '[.[].t]' '[11593,11594,11595,11596,11597,11598]'
	is $s '[.[].dt]' '[null,1,1,1,1,1]'
	is $s '[.[0,5].time]' '["2026-11-22T14:15:27Z","2026-11-22T14:15:32Z"]'
	is $s '[.[].seq]' '[0,1,2,3,4,5]'
	is $s '.[0] | [.vm.pswpin, .cpu.user, .net.rx_bytes, .psi.memory.some]' '[null,null,null,null]'
	is $s '[.[].profile] | unique' '["oltp"]'
	is $s '[.[].grade] | unique' '["ok"]'
	is $s '[.[].errors | length]' '[0,0,0,0,0,0]'
	# memory levels
	is $s '[.[].memory.total_kb] | unique' '[24684100]'
	is $s '[.[].memory.available_kb]' '[24150104,24147032,24143960,24140888,24137816,24134744]'
	is $s '[.[0,5].memory.used_pct]' '[2.163,2.226]'
	is $s '.[5].memory | [.swap_total_kb, .swap_used_kb, .swap_used_pct]' '[8388608,1048576,12.5]'
	# vm
	is $s '[.[1:][].vm.pswpin]' '[100,100,100,100,100]'
	is $s '.[3].vm | [.pswpout, .pgfault, .pgmajfault, .pgscan_kswapd, .pgscan_direct, .pgsteal, .allocstall, .refault, .oom_kills]' \
		'[100,10000,50,1000,300,1000,1,100,0]'
	is $s '[.[1:][].vm.reclaims_min]' '[60,60,60,60,60]'
	# PSI
	is $s '[.[1:][].psi.memory.some]' '[10,10,10,10,10]'
	is $s '.[2].psi | [.memory.full, .cpu.some, .cpu.full, .io.some, .io.full]' '[2,5,0,3,1]'
	is $s '.[2].psi | [.memory.some_avg10, .memory.full_avg10, .cpu.some_avg10, .io.some_avg10, .io.full_avg10]' '[10,2,5,3,1]'
	# CPU
	is $s '.[2].cpu | [.n, .user, .nice, .system, .idle, .iowait, .irq, .softirq, .steal]' '[2,35,0,15,32.5,5,0,5,7.5]'
	is $s '[.[1:][].cpu.steal]' '[7.5,7.5,7.5,7.5,7.5]'
	is $s '.[2].cpu | [.steal_max_cpu, .steal_max_pct, .ctxt, .forks, .running, .blocked]' '[1,10,5000,10,3,1]'
	is $s '[.[4].cpu.per_cpu[] | [.cpu, .user, .system, .idle, .iowait, .steal, .softirq]]' \
		'[[0,40,20,25,5,5,5],[1,30,10,40,5,10,5]]'
	# network
	is $s '[.[1:][].net.rx_bytes]' '[1000000,1000000,1000000,1000000,1000000]'
	is $s '.[2].net | [.rx_bytes, .tx_bytes, .rx_packets, .tx_packets, .rx_drop, .tx_drop, .rx_errs, .tx_errs]' \
		'[1000000,200000,1000,500,1,0,0,0]'
	is $s '.[2] | [dev("lo").rx_bytes, dev("eth0").rx_bytes, dev("eth0").tx_bytes, dev("ifb0").rx_bytes]' '[10000,1000000,200000,0]'
	is $s '.[2].net | [.softnet_processed, .softnet_dropped, .softnet_squeezed, .softnet_top_cpu, .softnet_top_share]' '[1000,2,3,0,90]'
	is $s '.[2].net | [.listen_overflows, .listen_drops, .backlog_drop, .prune_called, .tcp_mem_pressures]' '[3,3,0,0,0]'
	is $s '.[2].net | [.retrans_pct, .tcp_mem_pct, .conntrack_pct]' '[1,10,25]'
	# disks
	is $s '[.[].disks | map(.name)] | unique' '[["vda"]]'
	is $s '.[2] | disk("vda") | [.r_s, .w_s, .rkb_s, .wkb_s, .util_pct, .await_ms, .r_await_ms, .w_await_ms, .aqu_sz, .in_flight]' \
		'[100,100,1000,2000,50,4,2,6,0.8,1]'
	is $s '[.[1:][] | disk("vda").util_pct]' '[50,50,50,50,50]'
	# nfsd
	is $s '.[2].nfsd' '{"threads":8,"packets":200,"enqueued":120,"woken":100,"no_threads":null}'
	# processes and leaks
	is $s '[.[].procs.count]' '[4,4,4,4,4,4]'
	is $s '[.[5].procs.top[].pid]' '[4101,4102,4103,1]'
	is $s '[.[] | proc(4101).anon_kb]' '[102400,103424,104448,105472,106496,107520]'
	is $s '[.[] | proc(4103) | .anon_kb]' '[20480,20480,20480,20480,20480,20480]'
	is $s '[.[5] | proc(4102, 1) | .anon_kb]' '[51200,7720]'
	is $s '.[5] | proc(4101).cgroup' '"/app/appleak"'
	is $s '.[5] | proc(4101) | [.window_full, .leaking, .slope_kb_s, .trend, .tte_s]' '[true,true,1024,1,23569.086]'
	is $s '.[5].leaks | map(.pid)' '[4101]'
	is $s '.[5].leaks[0] | [.comm, .anon_kb, .swap_kb, .slope_kb_s, .trend, .headroom_kb, .limit, .tte_s]' \
		'["appleak",107520,0,1024,1,24134744,"memavailable",23569.086]'
	is $s '[.[0:3][] | proc(4101) | [.window_full, .leaking]]' '[[false,false],[false,false],[false,false]]'
	is $s '[.[0:3][].leaks | length]' '[0,0,0]'
	is $s '[.[] | proc(4103).leaking]' '[false,false,false,false,false,false]'
	is $s '[.[] | .procs.top[] | select(.pid != 4101) | .leaking] | any' 'false'
	is $s '.[5] | [proc(4102, 4103, 1) | .slope_kb_s]' '[0,0,0]'
	is $s '[.[].leaks[] | select(.pid != 4101)] | length' '0'
fi
done_seq $s

# ---- seq-resets: resets count 0, u32 wraps give the exact delta ----
s=seq-resets
if run $s; then
	is $s '.[0].time' '"2026-11-22T14:15:27Z"'
	is $s '[.[1:][].vm.pswpin]' '[100,100,100,0,100]'
	is $s '[.[1:][].vm.pswpout]' '[100,100,100,100,100]'
	is $s '[.[1:][].net.rx_bytes]' '[1000000,0,1000000,1000000,1000000]'
	is $s '.[2].net | [.rx_bytes, .tx_bytes, .rx_packets, .tx_packets, .rx_drop]' '[0,0,0,0,0]'
	is $s '.[2] | dev("eth0") | [.rx_bytes, .tx_bytes, .rx_packets, .tx_packets, .rx_drop]' '[0,0,0,0,0]'
	is $s '[.[1:][].net.softnet_processed]' '[1000,1000,1000,1000,1000]'
	is $s '.[2].net | [.softnet_top_cpu, .softnet_top_share]' '[0,90]'
	is $s '[.[1:][] | disk("vda").util_pct]' '[50,50,50,50,50]'
	is $s '.[3] | disk("vda") | [.util_pct, .aqu_sz, .await_ms]' '[50,0.8,4]'
	is $s '[.[1:][].cpu.n]' '[2,2,2,2,2]'
	is $s '.[3].cpu | [.user, .system, .idle, .iowait, .softirq, .steal]' '[35,15,35,2.5,5,7.5]'
	is $s '.[3] | pcpu(1) | [.user, .system, .idle, .iowait, .softirq, .steal]' '[30,10,45,0,5,10]'
	is $s '.[3] | pcpu(0) | [.user, .system, .idle, .iowait]' '[40,20,25,5]'
	is $s '[.[1:][].cpu.user]' '[35,35,35,35,35]'
fi
done_seq $s

# ---- seq-hotplug: shares over the CPUs online in both snapshots ----
s=seq-hotplug
if run $s; then
	is $s '[.[1:][].cpu.n]' '[4,3,3,3,4]'
	is $s '[.[1:][].cpu | [.user, .system, .idle]]' \
		'[[40,12.5,47.5],[26.667,10,63.333],[26.667,10,63.333],[26.667,10,63.333],[40,12.5,47.5]]'
	is $s '[.[1,5] | [.cpu.per_cpu[].cpu]]' '[[0,1,2,3],[0,1,2,3]]'
	is $s '[.[2,3] | [.cpu.per_cpu[].cpu]]' '[[0,1,3],[0,1,3]]'
	is $s '[.[4].cpu.per_cpu[] | select(.user != null) | .cpu]' '[0,1,3]'
	is $s '.[5] | pcpu(2) | [.user, .system, .idle]' '[80,20,0]'
	is $s '.[2] | pcpu(3) | [.user, .system, .idle]' '[10,10,80]'
	is $s '[.[1:][].net | [.softnet_processed, .softnet_top_cpu, .softnet_top_share]]' \
		'[[1000,2,60],[400,3,50],[400,3,50],[400,3,50],[1000,2,60]]'
	is $s '[.[1:][].cpu.steal]' '[0,0,0,0,0]'
	is $s '[.[1:][].cpu | [.user, .nice, .system, .idle, .iowait, .irq, .softirq, .steal][] | . >= 0 and . <= 100] | all' 'true'
	is $s '[.[1:][].vm.pswpin]' '[100,100,100,100,100]'
	is $s '[.[1:][].net.rx_bytes]' '[1000000,1000000,1000000,1000000,1000000]'
fi
done_seq $s

# ---- seq-devloss: devices matched by name, fresh ones null ----
s=seq-devloss
vdb='[.r_s, .w_s, .rkb_s, .wkb_s, .util_pct, .await_ms, .r_await_ms, .w_await_ms, .aqu_sz]'
if run $s; then
	is $s '[.[1:][].net.rx_bytes]' '[1500000,1000000,1000000,1000000,1000000]'
	is $s '.[1].net | [.tx_bytes, .rx_packets, .tx_packets]' '[300000,1400,700]'
	is $s '.[1] | dev("eth1") | [.rx_bytes, .tx_bytes]' '[500000,100000]'
	is $s '[.[] | [.net.devices[].name] | index("eth1") != null]' '[true,true,false,false,false,false]'
	is $s '[.[] | [.disks[].name]]' '[["vda","vdb"],["vda","vdb"],["vda"],["vda"],["vda","vdb"],["vda","vdb"]]'
	is $s ".[1] | disk(\"vdb\") | $vdb" '[50,50,400,400,20,2,2,2,0.2]'
	is $s ".[4] | disk(\"vdb\") | $vdb" '[null,null,null,null,null,null,null,null,null]'
	is $s ".[5] | disk(\"vdb\") | $vdb" '[50,50,400,400,20,2,2,2,0.2]'
	is $s '[.[1:][] | disk("vda").util_pct]' '[50,50,50,50,50]'
	is $s '[.[] | [.procs.top[].pid] | sort]' '[[1,4101,4102],[1,4101,4102],[1,4101,4102],[1,4101,4203],[1,4101,4203],[1,4101,4203]]'
	is $s '[.[].procs.count]' '[3,3,3,3,3,3]'
	is $s '.[3] | proc(4203) | [.comm, .anon_kb, .slope_kb_s]' '["worker",30720,null]'
	is $s '[.[1:][].vm.pswpin]' '[100,100,100,100,100]'
	is $s '[.[1:][].cpu.user]' '[35,35,35,35,35]'
fi
done_seq $s

# ---- seq-oldkernel: a 3.10-era layout ----
s=seq-oldkernel
if run $s; then
	is $s '[.[].memory.available_kb]' '[24202276,24202276,24202276,24202276]'
	is $s '.[0].memory.used_pct' '1.952'
	is $s '.[1].memory | [.swap_total_kb, .swap_used_kb, .swap_used_pct]' '[8388604,1048576,12.5]'
	is $s '[.[].psi]' "$(jq -cn '[range(4) | {cpu: null, memory: null, io: null}]')"
	is $s '[.[1:][].vm.pswpin]' '[100,100,100]'
	is $s '.[2].vm | [.pswpout, .pgfault, .pgmajfault, .pgscan_kswapd, .pgscan_direct, .pgsteal, .allocstall]' '[100,10000,50,1000,300,1000,1]'
	is $s '.[3].vm.reclaims_min' '60'
	is $s '.[2].vm | [.refault, .oom_kills]' '[null,null]'
	is $s '.[2].cpu | [.n, .user, .system, .idle, .iowait, .softirq, .steal, .steal_max_cpu]' '[2,35,15,32.5,5,5,7.5,1]'
	is $s '.[2].net | [.rx_bytes, .tx_bytes, .softnet_processed, .softnet_top_cpu, .softnet_top_share]' '[1000000,200000,1000,0,90]'
	is $s '.[2].net | [.listen_overflows, .retrans_pct, .tcp_mem_pct, .conntrack_pct]' '[3,1,10,null]'
	is $s '[.[].disks | map(.name)] | unique' '[["vda"]]'
	is $s '.[2] | disk("vda") | [.util_pct, .await_ms, .r_await_ms, .w_await_ms, .aqu_sz, .rkb_s, .wkb_s]' '[50,4,2,6,0.8,1000,2000]'
	is $s '[.[].nfsd]' '[null,null,null,null]'
	is $s '[.[].procs.count]' '[2,2,2,2]'
	is $s '.[3] | proc(4102).anon_kb' '51200'
	is $s '[.[].errors | length]' '[0,0,0,0]'
fi
done_seq $s

# ---- seq-pressure-db: the db grade goes ok -> high -> crit ----
s=seq-pressure-db
if run $s --profile db; then
	is $s '[.[].profile] | unique' '["db"]'
	is $s '[.[].grade]' '["ok","ok","ok","ok","high","high","high","crit"]'
	is $s '[.[].resources.memory.grade]' '["ok","ok","ok","ok","high","high","high","crit"]'
	is $s '[.[].t]' '[11593,11623,11653,11683,11713,11743,11773,11803]'
	is $s '[.[].dt]' '[null,30,30,30,30,30,30,30]'
	is $s '[.[].memory.swap_used_pct]' '[5,8,12,20,28,32,36,40]'
	is $s '[.[].memory.available_kb]' '[1600000,1300000,1100000,900000,700000,600000,500000,400000]'
	is $s '[.[0,7].memory.used_pct]' '[93.518,98.380]'
	is $s '[.[1:][].vm.allocstall]' '[0.167,0.167,0.333,1.667,1.333,1.333,1.333]'
	is $s '[.[1:][].vm.reclaims_min]' '[10,10,15,60,90,80,80]'
	is $s '[.[1:][].psi.memory.full]' '[1,1,2,3,4,8,20]'
	is $s '[.[1:][].psi.memory.some]' '[2,2,4,6,8,16,40]'
	is $s '[.[1:][].vm.oom_kills]' '[0,0,0,0,0,0,1]'
	is $s '[.[1:][].vm.pswpin]' '[100,100,100,100,100,100,100]'
	is $s '[.[1:][].vm.pswpout]' '[2100,2766.667,5433.333,5433.333,2766.667,2766.667,2766.667]'
	is $s '.[7] | proc(2202) | [.swap_kb, .anon_kb]' '[280000,1817152]'
	is $s '[.[1:][].cpu.user]' '[35,35,35,35,35,35,35]'
	is $s '[.[1:][].net.rx_bytes] | unique' '[1000000]'
fi
done_seq $s

# ---- seq-hostile: a broken snapshot is reported, the rest still printed ----
s=seq-hostile
if run $s; then
	is $s '[.[1].errors[].file] | [index("/proc/meminfo"), index("/proc/net/softnet_stat"), index("/proc/diskstats")] | map(. != null)' \
		'[true,true,false]'
	# An empty diskstats is a host without block devices (NFS root, initramfs), not an error.
	is $s '.[1].disks' '[]'
	is $s '.[1] | [.cpu.user, .cpu.steal, .vm.pswpin, .psi.memory.some, .net.rx_bytes, .net.listen_overflows, .nfsd.packets]' \
		'[35,7.5,100,10,1000000,3,200]'
	is $s '[.[0,2].errors]' '[[],[]]'
	is $s '.[2] | [.cpu.user, .net.rx_bytes, .memory.total_kb]' '[35,1000000,24684100]'
fi
done_seq $s

# ---- batch text: golden output of seq-basic (every number checked by hand against
# tests/fixtures/top/seq-basic/README.md: si/so 100, majf 50, reclaims 60 a minute, PSI
# memory 10/2, us 35 sy 20 st 7.5, rx 1000000 B/s = 977 KiB/s, vda 50 % util 4 ms await,
# the db grade high on reclaims, and the leak of pid 4101 at 1024 KiB/s) ----
if out=$(TZ=UTC "$kres" top -b --root-seq "$fx/seq-basic" --leak-window 5 --profile db 2>&1) &&
	diff -u "$fx/seq-basic.batch.golden" <(printf '%s\n' "$out") >/tmp/kres-top-golden.diff; then
	t_pass "cli/top: seq-basic batch text matches the golden file"
else
	t_fail "cli/top: seq-basic batch text differs: $(head -c 600 /tmp/kres-top-golden.diff)"
	rc=1
fi

# ---- usage errors and an unreadable root: exit 3 ----
expect3() {
	local name=$1 out code; shift
	out=$("$kres" top "$@" 2>&1 </dev/null); code=$?
	if [ "$code" = 3 ]; then t_pass "cli/top: $name: exit 3"; else
		t_fail "cli/top: $name: exit $code, expected 3: $(head -c 200 <<<"$out")"; rc=1
	fi
}
expect3 "missing --root-seq directory" --format json --root-seq "$work/no-such-dir"
expect3 "unknown profile" --format json --profile desktop --root-seq "$fx/seq-basic"
expect3 "unknown --set key" --format json --set db.nothing=1 --root-seq "$fx/seq-basic"
exit $rc
