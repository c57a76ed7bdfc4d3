#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The lab's checks, checked: tests/lab/run.sh --verify on guest output captured from
# real faults (tests/fixtures/lab) must pass, and must fail on copies where one thing
# is wrong: an event reported twice or not at all, a wrong pid, CPU, seconds or
# block, a serve counter that disagrees, a wrong hypervisor, a guest that failed or
# hung. Runs without QEMU.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fx=tests/fixtures/lab
rc=0

# verify DIR SCENARIO: runs the checks into their own results file; prints the line.
verify() { RESULTS=$tmp/inner tests/lab/run.sh --verify "$1" "$2" 2>&1; }

cp -r "$fx" "$tmp/good"
out=$(RESULTS=$tmp/inner tests/lab/run.sh --verify "$tmp/good" 2>&1)
n=$(grep -c '^ok   lab/' <<<"$out")
if [ "$n" = 7 ] && ! grep -q '^FAIL' <<<"$out"; then
	t_pass "lab-verify: the captured output of all 7 scenarios passes"
else
	t_fail "lab-verify: captured output: $n of 7 pass: $(grep FAIL <<<"$out" | head -3)"
	rc=1
fi

# mutant NAME SCENARIO EXPECTED-TEXT SED-SCRIPT [FILE]: the scenario's results with
# SED-SCRIPT applied must fail, saying EXPECTED-TEXT.
mutant() {
	local name=$1 s=$2 want=$3 script=$4 file=${5:-results.log} d=$tmp/$1 line
	rm -rf "$d" && mkdir -p "$d" && cp -r "$fx/$s" "$d/"
	sed -i -e "$script" "$d/$s/$file"
	cmp -s "$d/$s/$file" "$fx/$s/$file" && { t_fail "lab-verify: $name: the mutation changed nothing"; rc=1; return; }
	line=$(verify "$d" "$s" | grep "lab/$s")
	if [[ $line == FAIL* ]] && grep -qF -- "$want" <<<"$line"; then
		t_pass "lab-verify: $name fails ($want)"
	else
		t_fail "lab-verify: $name: expected a failure saying '$want', got: $line"
		rc=1
	fi
}

mutant oom-twice oom 'kres log reported 2 events for 1 kernel lines' \
	'/"signature":"oom_killed_process"/p'
mutant oom-missed oom 'kres log reported 0 events for 1 kernel lines' \
	'/"signature":"oom_killed_process"/d'
mutant oom-serve oom 'kres serve counted 0 for 1 kernel lines' \
	's/^\(kres_kernel_events_total{category="oom_kill",signature="oom_killed_process"}\) 1$/\1 0/'
mutant oom-rss oom 'anon_rss_kb' 's/"anon_rss_kb":\([0-9]*\)/"anon_rss_kb":1\1/'
mutant memcg-pid memcg 'pid: kres says' 's/"pid":\([0-9]*\),"task_memcg"/"pid":9\1,"task_memcg"/'
mutant memcg-group memcg "memcg: kres says '/other'" 's|"memcg":"/lab"|"memcg":"/other"|'
mutant memcg-as-global memcg 'oom_kill: 1 events in the category, expected 0' \
	's/"category":"memcg_oom_kill"/"category":"oom_kill"/'
mutant hung-seconds hung 'seconds: kres says' 's/"seconds":\([0-9]*\)/"seconds":1\1/'
mutant hung-frame hung 'frame not_a_kernel_function' 's/"frames":\["__schedule"/"frames":["not_a_kernel_function"/'
mutant hung-no-frames hung 'no call-trace frames' '/"signature":"hung_task"/s/"frames":\[[^]]*\]/"frames":[]/'
mutant blk-block blkerr 'blocks: kres says' 's/"block":"401"/"block":"402"/'
mutant blk-device blkerr 'ext4 device' '/"signature":"ext4_error"/s/"device":"dm-0"/"device":"dm-1"/'
mutant segv-cpu segv 'cpu: kres says' '/"signature":"segfault"/s/"cpu":\([0-9]\)/"cpu":7/'
mutant segv-comm segv "comm: kres says 'segw'" '/"signature":"segfault"/s/"comm":"segv"/"comm":"segw"/'
mutant lockup-cpu lockup 'cpu: kres says' '/"signature":"soft_lockup"/s/"cpu":\([0-9]\)/"cpu":9/'
mutant lockup-seconds lockup 'seconds: kres says' '/"signature":"soft_lockup"/s/"seconds":\([0-9]*\)/"seconds":4\1/'
mutant check-virt check "virtualization: kres says 'kvm', expected 'qemu'" 's/"virtualization": "qemu"/"virtualization": "kvm"/'
mutant check-memtotal check 'serve MemTotal' 's/^node_memory_MemTotal_bytes \([0-9]*\)$/node_memory_MemTotal_bytes 1\1/'
mutant guest-failed segv 'scenario segv: no segfault line in dmesg' 's/^@@lab end ok$/@@lab end scenario segv: no segfault line in dmesg/'
mutant log-exit oom "kres log's exit status: kres says '1'" 's/^kres_log_exit 0$/kres_log_exit 1/'
mutant serve-exit lockup "kres serve's exit status: kres says '134'" 's/^kres_serve_exit 0$/kres_serve_exit 134/'
mutant sanitizer memcg 'a sanitizer report in the guest: ==1==ERROR: AddressSanitizer' \
	's/^kres serve: stopping$/==1==ERROR: AddressSanitizer: heap-use-after-free\n&/'
mutant guest-hung hung 'did not finish within' 's/^0 /124 /' qemu.rc
exit $rc
