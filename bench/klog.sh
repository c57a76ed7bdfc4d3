#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Throughput of `kres log --summary` on a large kernel log in syslog format, against
# `grep -E -c -f` with the same catalog as POSIX EREs (`kres log --patterns ere`) and
# against `wc -l` (the floor: read the file and find the newlines).
# usage: bench/klog.sh KRES [SIZE_MB]          (SIZE_MB default 1024, MiB)
#
# The log is built once and cached under build/bench/ (rebuilt when this script,
# tests/klog/render.pl or the corpus change): a ~4 MiB block repeated. The block is
# mostly benign lines (this machine's dmesg, saved once to build/bench/klog-dmesg.txt,
# minus anything fault-like, and realistic audit/ext4/xfs/IPv6/bridge/usb/scsi/nvme/
# virtio/TCP lines with varying numbers; ~5% userspace lines from systemd, CRON, sshd,
# systemd-journald as in /var/log/syslog) and ~1% fault lines: each corpus file
# tests/fixtures/klog/corpus/*.kmsg (else tests/klog/sample.kmsg) rendered with
# `render.pl --format syslog-imklog`, inserted whole, re-timed to the block's clock
# (gaps inside an incident kept, but at most 1 s).
#
# Each command runs 3 times after one `cat FILE >/dev/null`; the best wall time and
# the best user+sys time are reported. grep runs with LC_ALL=C (its fastest mode).
# Targets (printed, not enforced): kres >= 1000 MiB/s per CPU-second, >= 10x grep.
# Exit status: 0 unless a command fails (kres and grep may exit 0 or 1).
set -euo pipefail
export LC_NUMERIC=C
kres=${1:?usage: bench/klog.sh KRES [SIZE_MB]}
size_mb=${2:-1024}
[[ $size_mb =~ ^[1-9][0-9]*$ ]] || { echo "bench: SIZE_MB must be a positive integer" >&2; exit 2; }
[[ -x $kres ]] || kres=$(command -v "$kres") || { echo "bench: $1: not found" >&2; exit 2; }
kres=$(realpath "$kres")
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$root/build/bench
render=$root/tests/klog/render.pl
mkdir -p "$out"

# ---- inputs -------------------------------------------------------------------------
shopt -s nullglob
corpus=("$root"/tests/fixtures/klog/corpus/*.kmsg)
shopt -u nullglob
corpus_desc="${#corpus[@]} corpus files"
if ((${#corpus[@]} == 0)); then
	corpus=("$root/tests/klog/sample.kmsg")
	corpus_desc="tests/klog/sample.kmsg (no tests/fixtures/klog/corpus/*.kmsg yet)"
fi
dmesg_txt=$out/klog-dmesg.txt
if [[ ! -e $dmesg_txt ]]; then
	dmesg >"$dmesg_txt.tmp" 2>/dev/null || : >"$dmesg_txt.tmp"
	mv "$dmesg_txt.tmp" "$dmesg_txt"
fi

log=$out/klog-${size_mb}M.log
key=$(cat "${BASH_SOURCE[0]}" "$render" "${corpus[@]}" "$dmesg_txt" | md5sum | cut -d' ' -f1)
key="$key $size_mb"

# ---- build the log ------------------------------------------------------------------
if [[ ! -e $log || ! -e $log.key || $(<"$log.key") != "$key" ]]; then
	echo "bench: building $log (${size_mb} MiB) ..." >&2
	t0=$EPOCHREALTIME
	faults=$out/klog-faults.txt
	: >"$faults"
	for f in "${corpus[@]}"; do
		"$render" --format syslog-imklog "$f" >>"$faults"
		echo "%%" >>"$faults" # end of one incident
	done
	block_bytes=$((size_mb < 4 ? size_mb * 1048576 : 4 * 1048576))
	block=$out/klog-block.log
	perl - "$dmesg_txt" "$faults" "$block_bytes" >"$block" <<'PERL'
use strict;
use warnings;
use POSIX qw(strftime);
my ($dmesg, $faults, $want) = @ARGV;
srand(20240305);
my $host = 'db-1';
my $boot = 1709632800;
my $up = 5.0;    # uptime of the next line, seconds

# benign kernel texts from this machine's dmesg, minus anything a catalog may match
my @machine;
open(my $d, '<', $dmesg) or die "$dmesg: $!";
while (<$d>) {
	chomp;
	s/^\[\s*\d+\.\d+\]\s?//;
	s/^\s+//;
	next if $_ eq '';
	next if /segfault|Code:|BUG|WARN|Call Trace|RIP:|oom|Out of memory|error|fail|timed out|
		hung|stall|lockup|not responding|suppressed|trap|protection|Firmware Bug|
		taint|panic|killed|denied|abort|reset|corrupt|critical|I\/O|unable|cannot/xi;
	push @machine, $_;
}
close $d;

sub r { int(rand($_[0])) }
sub hx { join '', map { sprintf '%x', r(16) } 1 .. $_[0] }
sub uuid { join '-', hx(8), hx(4), hx(4), hx(4), hx(12) }
my @dev = qw(nvme0n1p1 nvme1n1 dm-0 dm-1 vda1 vdb sda1 sdb1 xvda1 md0);
my @kern = (
	sub { sprintf 'audit: type=1400 audit(%d.%03d:%d): apparmor="STATUS" operation="profile_replace" profile="unconfined" name="/usr/sbin/%s" pid=%d comm="apparmor_parser"',
		$boot + $up, r(1000), 100 + r(9000), (qw(ntpd chronyd tcpdump mysqld))[r(4)], 300 + r(60000) },
	sub { sprintf "audit: type=1130 audit(%d.%03d:%d): pid=1 uid=0 auid=4294967295 ses=4294967295 subj=unconfined msg='unit=%s comm=\"systemd\" exe=\"/usr/lib/systemd/systemd\" hostname=? addr=? terminal=? res=success'",
		$boot + $up, r(1000), 100 + r(9000), (qw(systemd-tmpfiles-clean logrotate man-db apt-daily sysstat-collect))[r(5)] },
	sub { sprintf 'EXT4-fs (%s): mounted filesystem %s with ordered data mode. Quota mode: none.', $dev[r(scalar @dev)], uuid() },
	sub { sprintf 'EXT4-fs (%s): re-mounted %s. Quota mode: none.', $dev[r(scalar @dev)], uuid() },
	sub { sprintf 'XFS (%s): Mounting V5 Filesystem %s', $dev[r(scalar @dev)], uuid() },
	sub { sprintf 'XFS (%s): Ending clean mount', $dev[r(scalar @dev)] },
	sub { sprintf 'IPv6: ADDRCONF(NETDEV_CHANGE): veth%s: link becomes ready', hx(7) },
	sub { sprintf 'IPv6: ADDRCONF(NETDEV_CHANGE): eth%d: link becomes ready', r(4) },
	sub { sprintf 'br-%s: port %d(veth%s) entered %s state', hx(12), 1 + r(40), hx(7), (qw(blocking forwarding disabled))[r(3)] },
	sub { sprintf 'docker0: port %d(veth%s) entered %s state', 1 + r(20), hx(7), (qw(blocking forwarding disabled))[r(3)] },
	sub { sprintf 'device veth%s %s promiscuous mode', hx(7), r(2) ? 'entered' : 'left' },
	sub { sprintf 'eth0: renamed from veth%s', hx(7) },
	sub { sprintf 'usb %d-%d: new high-speed USB device number %d using xhci_hcd', 1 + r(4), 1 + r(8), 2 + r(60) },
	sub { sprintf 'usb %d-%d: New USB device found, idVendor=%s, idProduct=%s, bcdDevice= %d.%02d', 1 + r(4), 1 + r(8), hx(4), hx(4), r(10), r(100) },
	sub { sprintf 'usb-storage %d-%d:1.0: USB Mass Storage device detected', 1 + r(4), 1 + r(8) },
	sub { sprintf 'scsi %d:0:0:0: Direct-Access     QEMU     QEMU HARDDISK    2.5+ PQ: 0 ANSI: 5', r(8) },
	sub { my $n = (8 + r(4000)) * 2097152; sprintf 'sd %d:0:0:0: [sd%s] %d 512-byte logical blocks: (%d GB/%d GiB)', r(8), chr(97 + r(8)), $n, $n * 512 / 1e9, $n / 2097152 },
	sub { sprintf 'sd %d:0:0:0: [sd%s] Attached SCSI disk', r(8), chr(97 + r(8)) },
	sub { my $n = (8 + r(4000)) * 2097152; sprintf 'virtio_blk virtio%d: [vd%s] %d 512-byte logical blocks (%d GB/%d GiB)', r(8), chr(97 + r(6)), $n, $n * 512 / 1e9, $n / 2097152 },
	sub { sprintf 'nvme nvme%d: %d/0/0 default/read/poll queues', r(4), 2 + r(62) },
	sub { sprintf 'pci 0000:00:%02x.0: [1af4:%s] type 00 class 0x0%s', r(32), hx(4), hx(5) },
	sub { sprintf 'ena 0000:00:%02x.0: Elastic Network Adapter (ENA) found at mem %s, mac addr 0a:%s:%s:%s:%s:%s', 5 + r(3), 'febf' . hx(4), hx(2), hx(2), hx(2), hx(2), hx(2) },
	sub { sprintf 'e1000e 0000:00:%02x.0 eth%d: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx', r(32), r(4) },
	sub { sprintf 'TCP: Hash tables configured (established %d bind %d)', 2**(14 + r(8)), 2**(12 + r(6)) },
	sub { 'TCP: bbr registered' },
	sub { sprintf 'loop%d: detected capacity change from 0 to %d', r(32), 8 * (1000 + r(900000)) },
	sub { sprintf 'IPVS: Creating netns size=%d id=%d', 2048 + 8 * r(100), 2 + r(500) },
	sub { sprintf 'overlayfs: "xino" feature enabled using %d upper inode bits.', 32 },
	sub { sprintf 'bpfilter: Loaded bpfilter_umh pid %d', 300 + r(60000) },
	sub { sprintf 'kvm-clock: cpu %d, msr %s, secondary cpu clock', r(64), hx(7) },
	sub { sprintf 'x86/mm: Checked W+X mappings: passed, no W+X pages found.' },
	sub { sprintf 'NFSD: Using nfsdcld client tracking operations.' },
	sub { sprintf 'nf_conntrack: default automatic helper assignment has been turned off for security reasons and CT-based firewall rule not found. Use the iptables CT target to attach helpers instead.' },
	sub { sprintf 'random: crng init done' },
	sub { sprintf 'fuse: init (API version 7.%d)', 30 + r(9) },
);
my @user = (
	sub { my $n = r(90000); sprintf 'systemd[1]: Started session-%d.scope - Session %d of User %s.', $n, $n, (qw(root deploy postgres))[r(3)] },
	sub { sprintf 'systemd[1]: %s.service: Deactivated successfully.', (qw(logrotate man-db apt-daily sysstat-collect phpsessionclean))[r(5)] },
	sub { sprintf 'CRON[%d]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)', 300 + r(60000) },
	sub { sprintf 'sshd[%d]: Accepted publickey for deploy from 10.%d.%d.%d port %d ssh2: ED25519 SHA256:%s', 300 + r(60000), r(256), r(256), r(256), 1024 + r(60000), hx(43) },
	sub { sprintf 'systemd-journald[%d]: Time spent on flushing to /var/log/journal/%s is %d.%03dms for %d entries.', 200 + r(200), hx(32), r(200), r(1000), r(5000) },
);

my @groups;    # one corpus file each: [ [tag, kernel_ts|undef, text], ... ]
{
	local $/ = "%%\n";
	open(my $f, '<', $faults) or die "$faults: $!";
	while (my $g = <$f>) {
		chomp $g;
		my @l;
		for (split /\n/, $g) {
			/^\w{3} [ \d]\d \d\d:\d\d:\d\d \S+ ([^:]+): (.*)\z/s or die "unexpected: $_\n";
			my ($tag, $m) = ($1, $2);
			if ($tag eq 'kernel' && $m =~ /^\[\s*(\d+\.\d+)\](.*)\z/s) {
				push @l, [ $tag, $1, $2 ];
			} else {
				push @l, [ $tag, undef, $m ];
			}
		}
		push @groups, \@l if @l;
	}
}

my ($bytes, $lines, $nfault, $gi) = (0, 0, 0, 0);
my $last_s = -1;
my $stamp;
sub emit {
	my ($tag, $ts, $text) = @_;
	my $s = int($boot + $up);
	if ($s != $last_s) { $stamp = strftime('%b %e %H:%M:%S', gmtime $s); $last_s = $s; }
	my $line = "$stamp $host $tag: "
	    . (defined $ts ? sprintf('[%5d.%06d]', int($ts), ($ts - int($ts)) * 1e6 + 0.5) : '')
	    . $text . "\n";
	print $line;
	$bytes += length $line;
	$lines++;
}
while ($bytes < $want) {
	if (@groups && $nfault < 0.01 * $lines) {
		my $g = $groups[$gi++ % @groups];
		my $prev;    # keep the gaps inside an incident, but at most 1 s each
		for my $l (@$g) {
			if (defined $l->[1]) {
				$up += ($l->[1] - $prev < 1 ? $l->[1] - $prev : 1) if defined $prev;
				$prev = $l->[1];
			}
			emit($l->[0], defined $l->[1] ? $up : undef, $l->[2]);
			$nfault++;
		}
	} elsif (r(100) < 5) {
		my ($tag, $m) = $user[r(scalar @user)]->() =~ /^([^:]+): (.*)\z/s;
		emit($tag, undef, $m);
	} else {
		my $text = (@machine && r(100) < 30) ? $machine[r(scalar @machine)] : $kern[r(scalar @kern)]->();
		emit('kernel', $up, " $text");
	}
	$up += r(200000) / 1e6;
}
printf STDERR "bench: block %d bytes, %d lines, %d fault lines (%.2f%%) in %d incidents\n",
    $bytes, $lines, $nfault, 100 * $nfault / $lines, scalar @groups;
PERL
	bb=$(stat -c %s "$block")
	copies=$(( (size_mb * 1048576 + bb / 2) / bb ))
	((copies >= 1)) || copies=1
	for ((i = 0; i < copies; i++)); do cat "$block"; done >"$log.tmp"
	mv "$log.tmp" "$log"
	echo "$key" >"$log.key"
	t1=$EPOCHREALTIME
	awk -v a="${t0/,/.}" -v b="${t1/,/.}" -v n="$copies" \
		'BEGIN { printf "bench: built in %.1f s (%d copies of the block)\n", b - a, n }' >&2
fi

# ---- measure ------------------------------------------------------------------------
bytes=$(stat -c %s "$log")
nlines=$(wc -l <"$log")
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
ere=$out/klog.ere
"$kres" log --patterns ere >"$ere" || { echo "bench: $kres log --patterns ere failed" >&2; exit 1; }
if grep -q '^$' "$ere"; then # an empty ERE matches every line
	echo "bench: warning: kres printed empty patterns; dropped" >&2
	sed -i '/^$/d' "$ere"
fi
npat=$(grep -c . "$ere" || true)
((npat > 0)) || { echo "bench: $kres log --patterns ere printed no pattern" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# best_of3 NAME OKRC STDOUT CMD...: sets wall_s[NAME], cpu_s[NAME] (seconds, user+sys)
declare -A wall_s cpu_s
best_of3() {
	local name=$1 okrc=$2 stdout=$3 i rc w c wall=9e9 cpuv=9e9
	shift 3
	for i in 1 2 3; do
		rc=0
		{ TIMEFORMAT='%3R %3U %3S'; time "$@" >"$stdout" 2>"$tmp/err"; } 2>"$tmp/time" || rc=$?
		if ((rc > okrc)); then
			echo "bench: '$*' exited $rc" >&2
			sed 's/^/  /' "$tmp/err" >&2
			exit 1
		fi
		read -r w c < <(awk '{ print $1, $2 + $3 }' "$tmp/time")
		wall=$(awk -v a="$wall" -v b="$w" 'BEGIN { print (b < a) ? b : a }')
		cpuv=$(awk -v a="$cpuv" -v b="$c" 'BEGIN { print (b < a) ? b : a }')
	done
	wall_s[$name]=$wall
	cpu_s[$name]=$cpuv
}

cat "$log" >/dev/null
best_of3 kres 1 /dev/null "$kres" log --summary "$log"
best_of3 grep 1 "$tmp/count" env LC_ALL=C grep -E -c -f "$ere" "$log"
grep_count=$(<"$tmp/count")
best_of3 wc 0 /dev/null wc -l "$log"

printf 'file: %s\n' "${log#"$root"/}"
printf 'size: %d bytes (%.1f MiB), %d lines; faults from %s\n' "$bytes" \
	"$(awk -v b="$bytes" 'BEGIN { print b / 1048576 }')" "$nlines" "$corpus_desc"
printf 'host: nproc %s, CPU %s\n' "$(nproc)" "$cpu"
printf 'patterns: %d EREs from kres log --patterns ere; grep -c counted %s lines\n' "$npat" "$grep_count"
awk -v mib="$(awk -v b="$bytes" 'BEGIN { print b / 1048576 }')" \
	-v kw="${wall_s[kres]}" -v kc="${cpu_s[kres]}" \
	-v gw="${wall_s[grep]}" -v gc="${cpu_s[grep]}" \
	-v ww="${wall_s[wc]}" -v wcc="${cpu_s[wc]}" 'BEGIN {
	printf "\n%-28s %9s %9s %12s %14s\n", "best of 3", "wall s", "cpu s", "MiB/s wall", "MiB/s per cpu-s"
	row("kres log --summary", kw, kc)
	row("grep -E -c -f (LC_ALL=C)", gw, gc)
	row("wc -l", ww, wcc)
	printf "\nkres / grep speed (wall): %6.2fx   (target >= 10x)\n", gw / max(kw)
	printf "kres / grep speed (cpu):  %6.2fx\n", gc / max(kc)
	printf "kres / wc -l speed (wall): %5.2fx   (wc -l is the floor)\n", ww / max(kw)
	printf "kres MiB/s per cpu-second: %.0f   (target >= 1000)\n", mib / max(kc)
	}
	function max(x) { return x > 0.001 ? x : 0.001 }
	function row(n, w, c) { printf "%-28s %9.3f %9.3f %12.0f %14.0f\n", n, w, c, mib / max(w), mib / max(c) }'
