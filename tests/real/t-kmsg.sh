#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# kres log on this machine's own /dev/kmsg: every record read end to end (sequence
# numbers account for each one), and the follower with its state file: lines this
# test writes to /dev/kmsg (as a user process: facility user, a harmless text matched
# by a signature file of the test's own) are reported exactly once across a restart.
. "$(dirname "$0")/../lib.sh"
kres=${1:?}
rc=0
work=$(mktemp -d /tmp/kres-kmsg.XXXXXX)
trap 'kill $fpid 2>/dev/null; rm -rf "$work"' EXIT
fpid=

if [ ! -r /dev/kmsg ]; then
	t_fail "real/kmsg: /dev/kmsg is not readable here (needs CAP_SYSLOG with dmesg_restrict=1)"
	exit 1
fi

# 1. The whole buffer. A perl reader counts the records first (one read() each).
perl -e 'use Fcntl; sysopen(my $f, "/dev/kmsg", O_RDONLY|O_NONBLOCK) or die; my ($n, $first, $last) = (0);
	while (1) { my $r = sysread($f, my $b, 8192); if (!defined $r) { next if $!{EPIPE}; last } last if !$r;
		$n++; my ($s) = $b =~ /^\d+,(\d+),/; $first //= $s; $last = $s; } print "$n $first $last\n"' >"$work/perl" || true
read -r pn pfirst plast <"$work/perl"
"$kres" log --summary --format json >"$work/sum.json" 2>"$work/err"
got=$(jq -r '"\(.inputs[0].lines) \(.inputs[0].first_seq) \(.inputs[0].last_seq) \(.totals.lost) \(.inputs[0].malformed)"' "$work/sum.json")
read -r kn kfirst klast klost kbad <<<"$got"
if [ "$kbad" = 0 ] && [ $((kn + klost)) -eq $((klast - kfirst + 1)) ] && [ "$kn" -ge "$pn" ] &&
	[ "$klast" -ge "$plast" ] && { [ "$kfirst" = "$pfirst" ] || [ "$klost" -gt 0 ]; }; then
	t_pass "real/kmsg: /dev/kmsg read end to end ($kn records, seq $kfirst..$klast, $klost lost; perl saw $pn)"
else
	t_fail "real/kmsg: kres read '$got' (records first last lost malformed), perl '$pn $pfirst $plast'"; rc=1
fi

# 2. The follower. Writing to /dev/kmsg needs root (it is 0644 root).
if [ ! -w /dev/kmsg ]; then
	t_skip "real/kmsg: follow test needs write access to /dev/kmsg (run as root)"
	exit $rc
fi
token=kres-selftest-$$-$RANDOM
mkdir -p "$work/sig.d"
cat >"$work/sig.d/selftest.conf" <<CONF
[kres_selftest]
category = kres_selftest
severity = low
match = $token ping (?<n>\\d+)
explain = A line the kres test suite wrote to /dev/kmsg.
remedy = Nothing: it tests kres log itself.
subject = n
CONF
follow() {
	"$kres" log -f --format json --signatures-dir "$work/sig.d" --state "$work/state" >>"$work/$1" 2>>"$work/err" &
	fpid=$!
}
# wait_lines FILE N: up to 10 s for N lines.
wait_lines() {
	for _ in $(seq 100); do [ "$(grep -c kres_selftest "$work/$1")" -ge "$2" ] && return 0; sleep 0.1; done
	return 1
}
: >"$work/run1" && : >"$work/run2"
follow run1
sleep 1
echo "<6>kres-test: $token ping 1" >/dev/kmsg
wait_lines run1 1
kill -TERM "$fpid"; wait "$fpid"; code1=$?
echo "<6>kres-test: $token ping 2" >/dev/kmsg
echo "<6>kres-test: $token ping 3" >/dev/kmsg
follow run2
wait_lines run2 2
sleep 1
kill -TERM "$fpid"; wait "$fpid"; code2=$?; fpid=
# Only this test's events: the buffer may hold real faults of the machine too.
r1=$(jq -r 'select(.category == "kres_selftest") | "\(.fields.n)/\(.facility)/\(.level)"' "$work/run1" | paste -sd' ')
r2=$(jq -r 'select(.category == "kres_selftest") | .fields.n' "$work/run2" | paste -sd' ')
if [ "$r1" = "1/user/6" ] && [ "$r2" = "2 3" ] && [ "$code1" = 0 ] && [ "$code2" = 0 ]; then
	t_pass "real/kmsg: follow reports each injected line once across a restart (state file cursor)"
else
	t_fail "real/kmsg: follow: run 1 '$r1' (want 1/user/6), run 2 '$r2' (want '2 3'), exits $code1 $code2: $(head -c 300 "$work/err")"
	rc=1
fi
exit $rc
