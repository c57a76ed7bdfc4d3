#!/usr/bin/perl
# SPDX-License-Identifier: MIT
# Compares kres log's output with an expectations file (tests/fixtures/klog/README.md):
#   check-expect.pl EXPECT EVENTS.jsonl SUMMARY.json
# EXPECT has one line per folded event, in order: "category signature count key=value ...",
# and a last line "totals events=N suppressed=N lost=N". Only the listed fields are
# compared; frames=a,b,c compares the top frames. Prints each difference; exits 1 if any.
use strict;
use warnings;
use JSON::PP;

my ($expect, $events, $summary) = @ARGV;
die "usage: $0 EXPECT EVENTS.jsonl SUMMARY.json\n" unless defined $summary;
my $json = JSON::PP->new;

sub slurp_lines {
	my ($f) = @_;
	open(my $fh, '<', $f) or die "cannot open '$f': $!\n";
	my @l = <$fh>;
	close $fh;
	chomp @l;
	return @l;
}

my @got = map { $json->decode($_) } grep { length } slurp_lines($events);
my $sum = $json->decode(join("\n", slurp_lines($summary)));
my (@want, %totals);
for (slurp_lines($expect)) {
	next if /^\s*(#|$)/;
	my @w = split ' ';
	if ($w[0] eq 'totals') {
		for (@w[1 .. $#w]) { my ($k, $v) = split /=/, $_, 2; $totals{$k} = $v; }
		next;
	}
	push @want, \@w;
}

my @err;
push @err, sprintf("%d events, expected %d", scalar @got, scalar @want) if @got != @want;
for my $i (0 .. $#want) {
	my ($cat, $sig, $count, @kv) = @{ $want[$i] };
	my $g = $got[$i];
	unless ($g) { push @err, "event $i ($sig): missing"; next; }
	my $where = "event $i ($g->{signature} at line $g->{line})";
	push @err, "$where: category $g->{category}, expected $cat" if $g->{category} ne $cat;
	push @err, "$where: signature $g->{signature}, expected $sig" if $g->{signature} ne $sig;
	push @err, "$where: count $g->{count}, expected $count" if $g->{count} != $count;
	for (@kv) {
		my ($k, $v) = split /=/, $_, 2;
		my $have;
		if ($k eq 'frames') { $have = join(',', @{ $g->{frames} }); }
		elsif ($k eq 'suppressed' || $k eq 'subject') { $have = $g->{$k}; }
		else { $have = $g->{fields}{$k}; }
		$have = '(none)' unless defined $have;
		push @err, "$where: $k=$have, expected $v" if "$have" ne $v;
	}
}
for my $k (sort keys %totals) {
	my $have = $sum->{totals}{$k};
	$have = '(none)' unless defined $have;
	push @err, "totals: $k=$have, expected $totals{$k}" if "$have" ne $totals{$k};
}
print "$_\n" for @err;
exit(@err ? 1 : 0);
