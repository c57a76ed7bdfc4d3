#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# kres log against the corpus: every tests/fixtures/klog/corpus/*.kmsg is rendered in
# every input format (tests/klog/render.pl) and each rendering must give the events of
# its .expect file; the VM-console logs likewise. Then: the catalog's own samples,
# docs/signatures.md, user signature files and their errors, --fail-on, stdin, the
# follow cursor over a kmsg file, and hostile input.
. "$(dirname "$0")/../lib.sh"
kres=$(realpath "${1:?}")
rc=0
work=build/klog-test
rm -rf "$work" && mkdir -p "$work"
render=tests/klog/render.pl
check=tests/klog/check-expect.pl
formats=(kmsg dmesg dmesg-T dmesg-r dmesg-x syslog-imklog syslog-imjournal rsyslog-iso rfc5424
	journal-short journal-monotonic journal-json console gzip)
jremote=/lib/systemd/systemd-journal-remote

# run_expect NAME EXPECT FILE [kres options]: compares one input's events.
run_expect() {
	local name=$1 exp=$2 file=$3; shift 3
	"$kres" log --year 2024 --format json "$@" "$file" >"$work/$name.jsonl" 2>"$work/$name.err"
	local code=$?
	"$kres" log --year 2024 --summary --format json "$@" "$file" >"$work/$name.sum" 2>>"$work/$name.err"
	if [ "$code" -ne 0 ] || ! "$check" "$exp" "$work/$name.jsonl" "$work/$name.sum" >"$work/$name.diff"; then
		echo "--- $name (exit $code): $(head -c 300 "$work/$name.err")" >&2
		head -20 "$work/$name.diff" >&2
		return 1
	fi
}

ncorpus=0
for k in tests/fixtures/klog/corpus/*.kmsg; do
	[ -e "$k" ] || continue
	base=$(basename "$k" .kmsg) exp=${k%.kmsg}.expect bad=()
	ncorpus=$((ncorpus + 1))
	for f in "${formats[@]}"; do
		out=$work/$base.$f
		perl "$render" --format "$f" -o "$out" "$k" || { bad+=("$f(render)"); continue; }
		run_expect "$base.$f" "$exp" "$out" || bad+=("$f")
	done
	# The journal itself, through sd-journal, when journal-remote can build one.
	if [ -x "$jremote" ]; then
		mkdir -p "$work/$base.journal"
		perl "$render" --format journal-export -o "$work/$base.export" "$k" &&
			"$jremote" --output="$work/$base.journal/k.journal" "$work/$base.export" 2>/dev/null &&
			{ run_expect "$base.sd-journal" "$exp" --journal-dir="$work/$base.journal" || bad+=(sd-journal); }
	fi
	if [ ${#bad[@]} -eq 0 ]; then
		t_pass "cli/klog: corpus $base in ${#formats[@]} formats$([ -x "$jremote" ] && echo ' and the journal')"
	else
		t_fail "cli/klog: corpus $base: wrong in ${bad[*]}"; rc=1
	fi
done
[ "$ncorpus" -ge 10 ] && t_pass "cli/klog: $ncorpus corpus files" || { t_fail "cli/klog: only $ncorpus corpus files"; rc=1; }

for c in tests/fixtures/klog/console/*.log; do
	[ -e "$c" ] || continue
	base=console-$(basename "$c" .log)
	if run_expect "$base" "${c%.log}.expect" "$c"; then t_pass "cli/klog: $base"; else t_fail "cli/klog: $base"; rc=1; fi
done

# The catalog: every sample is matched by its own signature; the docs are current.
if out=$("$kres" log --test-samples 2>&1) && grep -q ' 0 wrong$' <<<"$out"; then
	t_pass "cli/klog: $(tail -1 <<<"$out")"
else
	echo "$out" >&2; t_fail "cli/klog: catalog samples"; rc=1
fi
if diff -u docs/signatures.md <("$kres" log --list-signatures) >/dev/null; then
	t_pass "cli/klog: docs/signatures.md matches --list-signatures"
else
	t_fail "cli/klog: docs/signatures.md differs from 'kres log --list-signatures' (regenerate it)"; rc=1
fi
# Every category of DESIGN.md has a signature.
missing=()
for cat in soft_lockup hard_lockup rcu_stall hung_task oom_kill memcg_oom_kill page_alloc_failure \
	netdev_tx_timeout ena_tx_timeout ena_reset virtio_net_error nfs_not_responding nfs_recovered \
	blk_io_error nvme_timeout ext4_error xfs_error fs_shutdown mce segfault conntrack_full \
	tcp_mem_pressure syn_flood kernel_oops kernel_bug kernel_warning kernel_panic; do
	grep -qx "## $cat" docs/signatures.md || missing+=("$cat")
done
[ ${#missing[@]} -eq 0 ] && t_pass "cli/klog: every DESIGN.md category has signatures" ||
	{ t_fail "cli/klog: no signatures for ${missing[*]}"; rc=1; }

# expect NAME WANT_EXIT REGEX -- ARGS...: exit code and a line of the output.
expect() {
	local name=$1 want=$2 re=$3; shift 4
	out=$("$@" 2>&1); code=$?
	if [ "$code" != "$want" ]; then t_fail "cli/klog: $name: exit $code, expected $want: $(head -c 300 <<<"$out")"; rc=1; return; fi
	if ! grep -Eq -- "$re" <<<"$out"; then t_fail "cli/klog: $name: output lacks /$re/: $(head -c 300 <<<"$out")"; rc=1; return; fi
	t_pass "cli/klog: $name"
}
lock='Mar  5 10:21:33 db-1 kernel: [ 7712.345678] watchdog: BUG: soft lockup - CPU#7 stuck for 22s! [postgres:41234]'
printf '%s\n' "$lock" >"$work/lock.log"
printf 'Mar  5 10:21:33 db-1 kernel: nf_conntrack: nf_conntrack: table full, dropping packet\n' >"$work/ct.log"
expect "--fail-on high, critical found" 2 'soft_lockup' -- "$kres" log --fail-on high "$work/lock.log"
expect "--fail-on high, high found" 1 'conntrack_full' -- "$kres" log --fail-on high "$work/ct.log"
expect "--fail-on critical, high found" 0 'conntrack_full' -- "$kres" log --fail-on critical "$work/ct.log"
expect "no --fail-on" 0 'soft_lockup' -- "$kres" log "$work/lock.log"
expect "stdin" 0 'cpu=7 pid=41234 seconds=22' -- sh -c "gzip -c '$work/lock.log' | '$kres' log -"
expect "missing file" 3 "cannot open '/nonexistent/kern.log': No such file or directory" -- "$kres" log /nonexistent/kern.log
expect "missing file, others read" 3 'soft_lockup' -- "$kres" log /nonexistent/kern.log "$work/lock.log"
expect "bad --fail-on" 3 "--fail-on 'urgent' is not critical, high, medium or low" -- "$kres" log --fail-on urgent "$work/lock.log"
expect "bad --input-format" 3 "unknown input format 'xml'" -- "$kres" log --input-format xml "$work/lock.log"
expect "--follow with files" 3 'not files' -- "$kres" log -f "$work/lock.log"
expect "truncated gzip" 3 "cannot decompress '.*cut.gz': the gzip data ends early" -- sh -c "gzip -c '$work/lock.log' | head -c 60 >'$work/cut.gz'; '$kres' log '$work/lock.log' '$work/cut.gz'"

# User signatures: a new category is used; a broken file names its line and reason.
mkdir -p "$work/sig.d" "$work/badsig.d"
cat >"$work/sig.d/50-raid.conf" <<'CONF'
# a user's signature
[md_disk_failure]
category = raid_degraded
severity = high
match = md/raid1:(?<device>md\d+): Disk failure on (?<disk>\S+)
explain = One half of the mirror failed; the array has no redundancy left.
remedy = Replace the disk and add it back with mdadm --manage.
sample = md/raid1:md0: Disk failure on sdb1, disabling device.
CONF
printf 'Mar  5 10:21:33 db-1 kernel: md/raid1:md0: Disk failure on sdb1, disabling device.\n' >"$work/raid.log"
expect "user signature" 0 'md_disk_failure device=md0 disk=sdb1' -- "$kres" log --signatures-dir "$work/sig.d" "$work/raid.log"
expect "user signature samples" 0 ' 0 wrong$' -- "$kres" log --signatures-dir "$work/sig.d" --test-samples
printf '[x]\ncategory = y\nseverity = high\nexplain = e\nremedy = r\nmatch = (?<=a)b\n' >"$work/badsig.d/10-bad.conf"
expect "invalid user pattern" 3 "10-bad.conf:6: invalid pattern of 'x'" -- "$kres" log --signatures-dir "$work/badsig.d" "$work/raid.log"
printf '[x]\ncategory = y\nseverity = extreme\n' >"$work/badsig.d/10-bad.conf"
expect "invalid user severity" 3 "10-bad.conf:3: severity 'extreme' is not critical" -- "$kres" log --signatures-dir "$work/badsig.d" "$work/raid.log"

# The follow cursor over a kmsg file: a restart neither repeats nor loses events.
kf=$work/follow.kmsg st=$work/follow.state
printf '6,1,100,-;hello\n0,2,200,-;watchdog: BUG: soft lockup - CPU#7 stuck for 22s! [postgres:4]\n' >"$kf"
timeout -s TERM 3 "$kres" log -f --format json --kmsg "$kf" --state "$st" >"$work/f1.jsonl" 2>&1
printf '3,3,300,-;Out of memory: Killed process 9 (postgres) total-vm:100kB, anon-rss:50kB, file-rss:0kB, shmem-rss:0kB\n' >>"$kf"
timeout -s TERM 3 "$kres" log -f --format json --kmsg "$kf" --state "$st" >"$work/f2.jsonl" 2>&1
timeout -s TERM 3 "$kres" log -f --format json --kmsg "$kf" --state "$st" >"$work/f3.jsonl" 2>&1
got=$(jq -rs 'map(.category) | join(",")' "$work/f1.jsonl")/$(jq -rs 'map(.category) | join(",")' "$work/f2.jsonl")/$(wc -c <"$work/f3.jsonl")
[ "$got" = "soft_lockup/oom_kill/0" ] && t_pass "cli/klog: follow cursor resumes exactly" ||
	{ t_fail "cli/klog: follow cursor: got $got, expected soft_lockup/oom_kill/0"; rc=1; }

# Hostile input: binary garbage, NUL bytes, invalid UTF-8, a 1 MB line, truncated kmsg
# records; the valid lines after each are all found, and JSON output stays valid.
perl -e 'srand(42); print map { chr(int(rand(256))) } 1 .. 300000; print "\n";
	print "Mar  5 10:21:33 db-1 kernel: a\0b\xff\xfe nf_conntrack: table full, dropping packet\n";
	print "x" x 1048576, "\n";
	print "Mar  5 10:21:34 db-1 kernel: TCP: out of memory -- consider tuning tcp_mem\n";
	print "\xc3\x28\xa0\xa1 BUG: soft lockup - CPU#1 stuck for 30s! [\xff\xfe:7]\n";' >"$work/hostile.log"
expect "hostile text" 0 '' -- "$kres" log --format json "$work/hostile.log"
n=$("$kres" log --format json "$work/hostile.log" | jq -s 'map(.category) | sort | join(",")' 2>&1)
[ "$n" = '"conntrack_full,soft_lockup,tcp_mem_pressure"' ] && t_pass "cli/klog: hostile text: valid lines after garbage found, JSON valid" ||
	{ t_fail "cli/klog: hostile text: got $n"; rc=1; }
printf '0,1,100,-;watchdog: BUG: soft lockup - CPU#1 stuck\n5,2\n,,,;\n4,3,300,-;Kernel panic - not syncing: Out of memory and no killable processes...\n6,x,1,-;y\n' >"$work/hostile.kmsg"
n=$("$kres" log --summary --format json "$work/hostile.kmsg" | jq -c '[.inputs[0].malformed, .inputs[0].lines, (.categories | map(.category) | join(","))]')
[ "$n" = '[3,5,"kernel_panic,kernel_bug"]' ] && t_pass "cli/klog: truncated kmsg records counted, the valid one found" ||
	{ t_fail "cli/klog: truncated kmsg: got $n"; rc=1; }
exit $rc
