#!/usr/bin/perl
# SPDX-License-Identifier: MIT
# render.pl: render one /dev/kmsg-format file (what `cat /dev/kmsg` prints) the way
# another tool would show the same records, so that `kres log` can be tested on every
# rendering of one corpus file.
#
# usage: render.pl --format FMT [--boot-epoch SECONDS] [--host NAME] [--simple]
#                  [--crlf] [-o FILE] [FILE|-]
#
# FMT  kmsg dmesg dmesg-T dmesg-r dmesg-x syslog-imklog syslog-imjournal rsyslog-iso
#      rfc5424 journal-short journal-monotonic journal-json journal-export console gzip
#
# Wall clock = boot epoch (default 1709632800 = 2024-03-05 10:00:00 UTC) + the record's
# usec, always printed in UTC (dmesg -T, like util-linux, adds the two whole-second
# parts and drops both fractions). Prefixes (facility 0 = kernel):
#   dmesg             [ 7712.345678] text
#   dmesg-T           [Tue Mar  5 12:08:32 2024] text
#   dmesg-r           <0>[ 7712.345678] text          (<N> = the raw prefix, fac<<3|level)
#   dmesg-x           kern  :emerg : [ 7712.345678] text
#   syslog-imklog     Mar  5 12:08:32 db-1 kernel: [ 7712.345678] text
#   syslog-imjournal  Mar  5 12:08:32 db-1 kernel: text
#   rsyslog-iso       2024-03-05T12:08:32.345678+00:00 db-1 kernel: text
#   rfc5424           <0>1 2024-03-05T12:08:32.345678+00:00 db-1 kernel - - - text
#   journal-short     Mar 05 12:08:32 db-1 kernel: text
#   journal-monotonic [ 7712.345678] db-1 kernel: text
#   journal-json      one object per line, as `journalctl -o json`
#   journal-export    `journalctl -o export` (binary-safe; feed it to
#                     `systemd-journal-remote -o X.journal -` to get a journal file)
#   console           the kernel's console prefix; a userspace noise line (systemd with
#                     and without colour, login prompt, shell prompt, empty line, ...)
#                     after every 7th record, moved down past indented records (stack
#                     frames) so it never splits a stack trace
#   gzip              the dmesg rendering, gzip-compressed (deterministic header)
#   kmsg              the input records, re-emitted unchanged
# A `caller=T123` field in the header (CONFIG_PRINTK_CALLER) adds the caller the way
# the kernel prints it on the console and /proc/kmsg, `[ 7712.345678][  T123] `
# (console, imklog), and as util-linux >= 2.40 does, `[ 7712.345678] [  T123] ` (dmesg
# family; the width there depends on pid_max, we use 6; util-linux 2.38 ignores it).
#
# Records of another facility (prefix >= 8, written to /dev/kmsg by userspace): the
# syslog and journal renderings take the identifier the way journald does (first word
# of the text if it ends in `:`, `name[pid]:` gives SYSLOG_PID) and print
# `host name[pid]: rest`, or `host unknown: text` when there is none; imklog lines of
# such records carry no `[ts]`. journal-json: SYSLOG_IDENTIFIER/SYSLOG_PID only when
# found (journald omits them otherwise), SYSLOG_FACILITY = prefix>>3, _TRANSPORT=kernel
# for every record (journald's journald-kmsg.c sets it for all /dev/kmsg records).
#
# Every rendering but kmsg drops the continuation lines ( SUBSYSTEM=, DEVICE=, ...;
# journal-json/-export keep them as _KERNEL_<KEY>) and unescapes \xNN. What each tool then
# does with a newline or a control byte in the text is reproduced (default):
#   dmesg*            util-linux: lines after an embedded newline are indented by the
#                     prefix width; bytes that are neither printable nor space
#                     (C0 but \t\n\v\f\r, DEL, invalid UTF-8, C1) are printed as \xNN
#   console, imklog   the kernel's record_print_text(): every line repeats the prefix;
#                     imklog (rsyslog) escapes control bytes as #ooo (tab -> #011)
#   imjournal, rsyslog-iso, rfc5424
#                     one line per record, control bytes incl. newline -> #ooo (#012)
#   journal-short/-monotonic
#                     journalctl: continuation lines indented by the prefix width, a
#                     tab printed as 8 spaces; a message with control bytes (but \t \n)
#                     or invalid UTF-8 prints as `[52B blob data]` (systemd 252 prints
#                     the message length - 8)
#   journal-json      compact, as systemd 252 prints it (journalctl's own key order is
#                     a hash order; ours is fixed); MESSAGE is a JSON string, or an
#                     array of byte values when it is not printable UTF-8
# --simple replaces all of that by one rule: every line of the text is printed with the
# same prefix, bytes raw (journal-json and -export unchanged).
# --crlf ends console lines with \r\n, as a serial console capture does.
use strict;
use warnings;
use Getopt::Long qw(:config no_ignore_case bundling);
use POSIX qw(strftime);

my %FORMATS = map { $_ => 1 } qw(kmsg dmesg dmesg-T dmesg-r dmesg-x syslog-imklog
    syslog-imjournal rsyslog-iso rfc5424 journal-short journal-monotonic journal-json
    journal-export console gzip);

my ($format, $out_file, $simple, $crlf, $help);
my $boot_epoch = 1709632800;
my $host = 'db-1';
GetOptions(
	'format|f=s' => \$format,
	'boot-epoch=s' => \$boot_epoch,
	'host=s' => \$host,
	'simple' => \$simple,
	'crlf' => \$crlf,
	'o=s' => \$out_file,
	'help|h' => \$help,
) or usage(2);
usage(0) if $help;
usage(2) unless defined $format && @ARGV <= 1;
die "render.pl: unknown format '$format'\n" unless $FORMATS{$format};
die "render.pl: --boot-epoch must be a number of seconds\n"
    unless $boot_epoch =~ /^\d+(\.\d{1,6})?$/;
my $boot_us = sprintf('%.0f', $boot_epoch * 1e6);

sub usage {
	my $fh = $_[0] ? \*STDERR : \*STDOUT;
	print $fh "usage: render.pl --format FMT [--boot-epoch SECONDS] [--host NAME] "
	    . "[--simple] [--crlf] [-o FILE] [FILE|-]\nFMT: "
	    . join(' ', sort keys %FORMATS) . "\n";
	exit $_[0];
}

# ---- read the records ----------------------------------------------------------------
my $in_name = @ARGV ? $ARGV[0] : '-';
my $in;
if ($in_name eq '-') {
	$in = \*STDIN;
} else {
	open($in, '<', $in_name) or die "render.pl: $in_name: $!\n";
}
binmode $in;
my @recs;
while (my $line = <$in>) {
	$line =~ s/\n\z//;
	if ($line =~ /^ (.*)\z/s) {
		die "render.pl: $in_name:$.: continuation line before any record\n" unless @recs;
		my $kv = $1;
		die "render.pl: $in_name:$.: continuation line is not KEY=value\n"
		    unless $kv =~ /^([^=]+)=(.*)\z/s;
		push @{ $recs[-1]{dict} }, [ $1, unescape($2) ];
		push @{ $recs[-1]{raw} }, $line;
		next;
	}
	die "render.pl: $in_name:$.: not a kmsg record (PREFIX,SEQ,USEC,FLAG;text)\n"
	    unless $line =~ /^(\d+),(\d+),(\d+)(?:,([^;]*))?;(.*)\z/s;
	my %r = (pri => $1 + 0, seq => $2, usec => $3, text => unescape($5),
		dict => [], raw => [$line], caller => '');
	for my $f (split /,/, $4 // '') {
		$r{caller} = $1 if $f =~ /^caller=([TC]\d+)$/;
	}
	push @recs, \%r;
}
close $in if $in_name ne '-';

sub unescape {
	my $s = shift;
	$s =~ s/\\x([0-9a-fA-F]{2})/chr(hex $1)/ge;
	return $s;
}

# ---- helpers -------------------------------------------------------------------------
my @FAC = qw(kern user mail daemon auth syslog lpr news uucp cron authpriv ftp
    res0 res1 res2 res3 local0 local1 local2 local3 local4 local5 local6 local7);
my @LVL = qw(emerg alert crit err warn notice info debug);

# one UTF-8 character (RFC 3629, no surrogates, no overlongs), or one other byte
my $U8 = qr/[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}
	|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}
	|\xf4[\x80-\x8f][\x80-\xbf]{2}/x;

sub cp { # code point of one UTF-8 sequence
	my @b = unpack('C*', shift);
	return $b[0] if @b == 1;
	my $c = $b[0] & (0xff >> (@b + 1));
	$c = ($c << 6) | ($_ & 0x3f) for @b[1 .. $#b];
	return $c;
}

# journald's utf8_is_printable(): valid UTF-8, no C0 control but \t \n, no DEL/C1
sub printable_utf8 {
	my $s = shift;
	while ($s =~ /\G(?:([\x00-\x7f])|($U8)|([\x80-\xff]))/gc) {
		return 0 if defined $3;
		my $c = defined $1 ? ord $1 : cp($2);
		return 0 if ($c < 0x20 && $c != 9 && $c != 10) || ($c >= 0x7f && $c <= 0x9f);
	}
	return 1;
}

# util-linux dmesg safe_fwrite() in a UTF-8 locale: hex what is neither printable
# nor space
sub dmesg_escape {
	my $s = shift;
	$s =~ s{([\x00-\x08\x0e-\x1f\x7f])|($U8)|([\x80-\xff])}{
		defined $1 ? sprintf('\\x%02x', ord $1)
		: defined $3 ? sprintf('\\x%02x', ord $3)
		: (cp($2) <= 0x9f ? join('', map { sprintf('\\x%02x', $_) } unpack('C*', $2)) : $2)
	}ge;
	return $s;
}

# rsyslog EscapeControlCharactersOnReceive (default on): control byte -> #ooo
sub rsyslog_escape {
	my $s = shift;
	$s =~ s/([\x00-\x1f\x7f])/sprintf('#%03o', ord $1)/ge;
	return $s;
}

# systemd format_bytes()
sub format_bytes {
	my $n = shift;
	my @u = ([ 'E', 1 << 60 ], [ 'P', 1 << 50 ], [ 'T', 1 << 40 ], [ 'G', 1 << 30 ],
		[ 'M', 1 << 20 ], [ 'K', 1 << 10 ]);
	for my $u (@u) {
		next if $n < $u->[1];
		my $d = int(($n % $u->[1]) * 10 / $u->[1]);
		return int($n / $u->[1]) . ($d ? ".$d" : '') . $u->[0];
	}
	return "${n}B";
}

sub mono { sprintf('[%5d.%06d]', int($_[0] / 1e6), $_[0] % 1000000) }
sub wall { my $us = $boot_us + $_[0]; return (int($us / 1e6), $us % 1000000) }
sub iso {
	my ($s, $f) = wall(shift);
	return strftime('%Y-%m-%dT%H:%M:%S', gmtime $s) . sprintf('.%06d+00:00', $f);
}
sub callertag { $_[0]{caller} eq '' ? '' : sprintf('[%6s] ', $_[0]{caller}) }
# the kernel's own prefix (console, /proc/kmsg): "[%5lu.%06lu]" "[%6s]" then one space
sub kprefix {
	my $r = shift;
	return mono($r->{usec}) . ($r->{caller} eq '' ? '' : sprintf('[%6s]', $r->{caller})) . ' ';
}

# journald's syslog_parse_identifier(): first word, if it ends in ':'
sub ident {
	my $t = shift;
	return (undef, undef, $t)
	    unless $t =~ /^[ \t\n\r]*([^ \t\n\r]*):(?:[ \t\n\r]|\z)/ && length $1;
	my ($id, $end) = ($1, $+[0]);
	my $pid;
	($id, $pid) = ($1, $2) if $id =~ /^(.*)\[([^\]]*)\]\z/s;
	my $rest = substr($t, $end);
	return ($id, $pid, $rest);
}

# tag and message of a record for syslog/journal renderings
sub tag_msg {
	my $r = shift;
	return ('kernel', $r->{text}) if $r->{pri} < 8;
	my ($id, $pid, $rest) = ident($r->{text});
	return ('unknown', $r->{text}) unless defined $id;
	return ((defined $pid ? "$id\[$pid\]" : $id), $rest);
}

# ---- text renderings -----------------------------------------------------------------
# how a multi-line text / control bytes are written: see the header
my %STYLE = (
	dmesg => 'dmesg', 'dmesg-T' => 'dmesg', 'dmesg-r' => 'dmesg', 'dmesg-x' => 'dmesg',
	gzip => 'dmesg', console => 'repeat', 'syslog-imklog' => 'imklog',
	'syslog-imjournal' => 'oneline', 'rsyslog-iso' => 'oneline', rfc5424 => 'oneline',
	'journal-short' => 'journal', 'journal-monotonic' => 'journal',
);

sub prefix {
	my ($r, $fmt) = @_;
	my $kern = $r->{pri} < 8;
	my $dm = mono($r->{usec}) . ' ' . callertag($r);
	if ($fmt eq 'dmesg' || $fmt eq 'gzip') {
		return ($dm, $r->{text});
	} elsif ($fmt eq 'console') {
		return (kprefix($r), $r->{text});
	} elsif ($fmt eq 'dmesg-r') {
		return ("<$r->{pri}>$dm", $r->{text});
	} elsif ($fmt eq 'dmesg-x') {
		my ($f, $l) = ($r->{pri} >> 3, $r->{pri} & 7);
		return (sprintf('%-6s:%-6s: ', $FAC[$f] // $f, $LVL[$l]) . $dm, $r->{text});
	} elsif ($fmt eq 'dmesg-T') {
		# util-linux record_time(): boot_time.tv_sec + rec->tv.tv_sec, both truncated
		my $s = int($boot_us / 1e6) + int($r->{usec} / 1e6);
		return ('[' . strftime('%a %b %e %H:%M:%S %Y', gmtime $s) . '] ' . callertag($r),
			$r->{text});
	}
	my ($tag, $msg) = tag_msg($r);
	my ($s, $f) = wall($r->{usec});
	if ($fmt eq 'syslog-imklog') {
		return (strftime('%b %e %H:%M:%S', gmtime $s) . " $host $tag: "
			. ($kern ? kprefix($r) : ''), $msg);
	} elsif ($fmt eq 'syslog-imjournal') {
		return (strftime('%b %e %H:%M:%S', gmtime $s) . " $host $tag: ", $msg);
	} elsif ($fmt eq 'rsyslog-iso') {
		return (iso($r->{usec}) . " $host $tag: ", $msg);
	} elsif ($fmt eq 'rfc5424') {
		my ($app, $proc) = $tag =~ /^(.*)\[(.*)\]\z/ ? ($1, $2) : ($tag, '-');
		return ("<$r->{pri}>1 " . iso($r->{usec}) . " $host $app $proc - - ", $msg);
	} elsif ($fmt eq 'journal-short') {
		return (strftime('%b %d %H:%M:%S', gmtime $s) . " $host $tag: ", $msg);
	} elsif ($fmt eq 'journal-monotonic') {
		return (mono($r->{usec}) . " $host $tag: ", $msg);
	}
	die "render.pl: internal: no prefix for $fmt\n";
}

sub render_text {
	my ($r, $fmt) = @_;
	my ($p, $t) = prefix($r, $fmt);
	my $style = $simple ? 'repeat' : $STYLE{$fmt};
	if ($style eq 'dmesg') {
		my $ind = ' ' x length $p;
		$t = dmesg_escape($t);
		$t =~ s/\n(?=.)/\n$ind/gs;
		return "$p$t\n";
	} elsif ($style eq 'repeat') {
		return join('', map { "$p$_\n" } split /\n/, $t, -1);
	} elsif ($style eq 'imklog') {
		return join('', map { $p . rsyslog_escape($_) . "\n" } split /\n/, $t, -1);
	} elsif ($style eq 'oneline') {
		return $p . rsyslog_escape($t) . "\n";
	} elsif ($style eq 'journal') {
		# systemd 252 output_short(): the size printed is the field's length - 8
		return $p . '[' . format_bytes(length($t) - 8 < 0 ? 0 : length($t) - 8)
		    . " blob data]\n" unless printable_utf8($t);
		$t =~ s/\t/        /g;
		my $ind = ' ' x length $p;
		my @l = split /\n/, $t, -1;
		@l = ('') unless @l;
		return $p . join('', map { ($_ ? $ind : '') . $l[$_] . "\n" } 0 .. $#l);
	}
	die "render.pl: internal: style $style\n";
}

# ---- journal-json --------------------------------------------------------------------
my $BOOT_ID = '8d3f1c2b9e7a4f60a5b4c3d2e1f00718';
my $MACHINE_ID = '4b1e6a2f0c9d48e7b3a5f6c7d8e9fa01';
my $SEQNUM_ID = 'c0ffee00d1ab4c3e9f8e7d6c5b4a3921';

sub jval {
	my $s = shift;
	return '[' . join(',', unpack('C*', $s)) . ']' unless printable_utf8($s);
	my %e = ("\"" => '\\"', "\\" => '\\\\', "\n" => '\\n', "\t" => '\\t', "\r" => '\\r',
		"\b" => '\\b', "\f" => '\\f');
	$s =~ s{(["\\\x00-\x1f])}{$e{$1} // sprintf('\\u%04x', ord $1)}ge;
	return "\"$s\"";
}

# the fields journald stores for one /dev/kmsg record (journald-kmsg.c), after the
# four that journalctl -o json/export put first
sub journal_fields {
	my ($r, $n) = @_;
	my $rt = $boot_us + $r->{usec};
	my $x = sprintf('%08x%08x', ($r->{seq} * 2654435761) % 4294967296, $r->{usec} % 4294967296);
	my @f = (
		[ __CURSOR => sprintf('s=%s;i=%x;b=%s;m=%x;t=%x;x=%s', $SEQNUM_ID, $n + 1,
			$BOOT_ID, $r->{usec}, $rt, $x) ],
		[ __REALTIME_TIMESTAMP => $rt ],
		[ __MONOTONIC_TIMESTAMP => $r->{usec} ],
		[ _BOOT_ID => $BOOT_ID ],
	);
	my $dev;
	for my $kv (@{ $r->{dict} }) {
		push @f, [ "_KERNEL_$kv->[0]" => $kv->[1] ];
		$dev = $1 if $kv->[0] eq 'DEVICE' && $kv->[1] =~ /^\+[^:]+:(.+)\z/s;
	}
	push @f, [ _UDEV_SYSNAME => $dev ] if defined $dev;
	push @f, [ _SOURCE_MONOTONIC_TIMESTAMP => $r->{usec} ], [ _TRANSPORT => 'kernel' ],
	    [ PRIORITY => $r->{pri} & 7 ], [ SYSLOG_FACILITY => $r->{pri} >> 3 ];
	my $msg = $r->{text};
	if ($r->{pri} < 8) {
		push @f, [ SYSLOG_IDENTIFIER => 'kernel' ];
	} else {
		my ($id, $pid, $rest) = ident($msg);
		if (defined $id) {
			push @f, [ SYSLOG_IDENTIFIER => $id ];
			push @f, [ SYSLOG_PID => $pid ] if defined $pid;
			$msg = $rest;
		}
	}
	push @f, [ MESSAGE => $msg ], [ _MACHINE_ID => $MACHINE_ID ], [ _HOSTNAME => $host ];
	return @f;
}

sub render_json {
	my @f = journal_fields(@_);
	return '{' . join(',', map { "\"$_->[0]\":" . jval("$_->[1]") } @f) . "}\n";
}

# journalctl -o export: KEY=value, or KEY\n<le64 size>value when not printable UTF-8
# or multi-line; an empty line ends the entry
sub render_export {
	my @f = journal_fields(@_);
	my $o = '';
	for (@f) {
		my ($k, $v) = ($_->[0], "$_->[1]");
		$o .= printable_utf8($v) && $v !~ /\n/ ? "$k=$v\n"
		    : "$k\n" . pack('V2', length($v), 0) . "$v\n";
	}
	return "$o\n";
}

# ---- console noise -------------------------------------------------------------------
my $E = "\e";
my @NOISE = (
	"         Starting systemd-journald.service - Journal Service...",
	"[${E}[0;32m  OK  ${E}[0m] Reached target local-fs.target - Local File Systems.",
	"",
	"Debian GNU/Linux 12 $host ttyS0",
	"$host login: ",
	"[  OK  ] Started postgresql\@15-main.service - PostgreSQL Cluster 15-main.",
	"root\@$host:~# systemctl restart postgresql",
	"cloud-init[812]: Cloud-init v. 22.4.2 finished at Tue, 05 Mar 2024 10:00:21 +0000. Datasource DataSourceEc2Local.  Up 21.37 seconds",
	"[${E}[0;1;31mFAILED${E}[0m] Failed to start nfs-server.service - NFS server and services.",
	"See 'systemctl status nfs-server.service' for details.",
	"root\@$host:~# ",
	"         Stopping user\@0.service - User Manager for UID 0...",
);

# ---- output --------------------------------------------------------------------------
my $out;
if (defined $out_file && $out_file ne '-') {
	open($out, '>', $out_file) or die "render.pl: $out_file: $!\n";
} else {
	$out = \*STDOUT;
}
binmode $out;

my $buf = '';
if ($format eq 'kmsg') {
	$buf .= join("\n", @{ $_->{raw} }) . "\n" for @recs;
} elsif ($format eq 'journal-json') {
	$buf .= render_json($recs[$_], $_) for 0 .. $#recs;
} elsif ($format eq 'journal-export') {
	$buf .= render_export($recs[$_], $_) for 0 .. $#recs;
} elsif ($format eq 'console') {
	# one noise line after every 7th record, deferred while the next record is a stack
	# frame or another indented line, so that noise never splits a stack trace
	my ($k, $pending) = (0, 0);
	for my $i (0 .. $#recs) {
		if ($pending && $recs[$i]{text} !~ /^\s/) {
			$buf .= $NOISE[$k++ % @NOISE] . "\n";
			$pending = 0;
		}
		$buf .= render_text($recs[$i], $format);
		$pending = 1 if $i % 7 == 6;
	}
	$buf .= $NOISE[$k++ % @NOISE] . "\n" if $pending;
	$buf =~ s/\n/\r\n/g if $crlf;
} else {
	$buf .= render_text($_, $format) for @recs;
}

if ($format eq 'gzip') {
	require IO::Compress::Gzip;
	my $z;
	unless (IO::Compress::Gzip::gzip(\$buf => \$z, Time => 0, Minimal => 1, -Level => 6)) {
		no warnings 'once';
		die "render.pl: gzip: $IO::Compress::Gzip::GzipError\n";
	}
	$buf = $z;
}
print $out $buf or die "render.pl: write: $!\n";
close $out or die "render.pl: write: $!\n";
exit 0;
