#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# deploy/: the Prometheus alert rules and their unit tests, the example Prometheus
# configuration, the Grafana dashboard and the systemd unit. Checks that they are valid
# for the tools that load them, that every PromQL metric name is one kres serve exports
# (docs/metrics.md, or the list below while that file does not exist), that every
# kernel-event category is one of the catalog's, and that the unit keeps its hardening.
. "$(dirname "$0")/../lib.sh"
kres=${1:?usage: t-deploy.sh KRES}
cd "$(dirname "$0")/../.." || exit 1
rc=0
fail() { t_fail "deploy: $*"; rc=1; }
pass() { t_pass "deploy: $*"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

rules=deploy/prometheus/kres-alerts.yml
rtest=deploy/prometheus/kres-alerts.test.yml
pconf=deploy/prometheus/prometheus.yml
dash=deploy/grafana/kres-dashboard.json
unit=deploy/kres-serve.service

for f in "$rules" "$rtest" "$pconf" "$dash" "$unit" deploy/README.md; do
	[ -f "$f" ] || fail "$f is missing"
done
[ $rc = 0 ] || exit 1

# ------------------------------------------------------------------ Prometheus rules
if command -v promtool >/dev/null; then
	if out=$(promtool check rules "$rules" 2>&1); then
		pass "promtool check rules ($(grep -o '[0-9]* rules found' <<<"$out"))"
	else
		fail "promtool check rules $rules: $out"
	fi
	if out=$(promtool test rules "$rtest" 2>&1); then
		pass "promtool test rules"
	else
		printf '%s\n' "$out" | head -80 >&2
		fail "promtool test rules $rtest failed"
	fi
	# The example config, with rule_files resolved from its own directory (promtool
	# loads and checks kres-alerts.yml too), from another working directory.
	if out=$(cd / && promtool check config "$OLDPWD/$pconf" 2>&1) && grep -q '1 rule files found' <<<"$out"; then
		pass "promtool check config (rule file found relative to the config)"
	else
		fail "promtool check config $pconf: $out"
	fi
	# The commented fleet variant (TLS, basic auth, file_sd), uncommented in place of
	# the plain job.
	{
		sed '/^scrape_configs:/q' "$pconf"
		awk '/# BEGIN fleet/ { on = 1; next } /# END fleet/ { on = 0; next } on { sub(/^  # /, "  "); print }' "$pconf"
	} >"$tmp/fleet.yml"
	cp "$rules" "$tmp/"
	if grep -q 'scheme: https' "$tmp/fleet.yml" && grep -q 'file_sd_configs' "$tmp/fleet.yml" &&
		out=$(promtool check config "$tmp/fleet.yml" 2>&1); then
		pass "promtool check config: the commented TLS/basic-auth/file_sd variant"
	else
		fail "fleet variant of $pconf: ${out:-markers or keys missing}"
	fi
else
	t_skip "deploy: promtool not installed (make deps-test)"
fi

# Every alert: a for:, severity critical or warning, summary and description naming the
# instance. Every alert name: a test case where it fires and one where it must not.
if perl -e '
	local $/; my $t = <>; my @bad; my $n = 0;
	for my $r (split /\n(?=\s*- alert:)/, $t) {
		next unless $r =~ /^\s*- alert:\s*(\S+)/; my $a = $1; $n++;
		$r =~ s/\n\s*- name:.*//s;
		push @bad, "$a: no for:" unless $r =~ /^\s+for:\s*\d+[smh]\s*$/m;
		push @bad, "$a: severity not critical|warning" unless $r =~ /^\s+severity:\s*(critical|warning)\s*$/m;
		push @bad, "$a: no summary" unless $r =~ /^\s+summary:/m;
		push @bad, "$a: no description" unless $r =~ /^\s+description:/m;
		push @bad, "$a: annotations do not name the instance" unless $r =~ /\$labels\.instance/;
	}
	print join("\n", @bad), "\n" if @bad; exit(@bad || !$n ? 1 : 0);' "$rules" >"$tmp/bad" 2>&1; then
	pass "every alert has for:, severity, summary and description with the instance"
else
	fail "alert rule fields: $(tr '\n' ';' <"$tmp/bad")"
fi
# alertname -> firing / silent cases, from the test file's layout
# ("exp_alerts: []" is a case where nothing fires; "exp_alerts:" then "- exp_labels").
awk '
	/^ *alertname:/ { a = $2 }
	/^ *exp_alerts: *\[\] *$/ { silent[a] = 1; next }
	/^ *exp_alerts: *$/ { pending = a; next }
	pending != "" && /^ *- exp_labels/ { fires[pending] = 1 }
	/[^ ]/ && !/^ *exp_alerts/ { if (!/^ *- exp_labels/) pending = "" }
	END { for (k in fires) print "fires " k; for (k in silent) print "silent " k }' "$rtest" >"$tmp/cases"
missing=
for a in $(sed -n 's/^ *- alert: *//p' "$rules" | sort -u); do
	grep -qx "fires $a" "$tmp/cases" || missing="$missing $a(firing)"
	grep -qx "silent $a" "$tmp/cases" || missing="$missing $a(silent)"
done
if [ -z "$missing" ]; then
	pass "every alert has a firing and a non-firing test case ($(sed -n 's/^ *- alert: *//p' "$rules" | sort -u | wc -l) alerts)"
else
	fail "alerts without test cases:$missing"
fi

# Kernel-event categories in the rules, their tests and the dashboard: the catalog's
# (the annotation templates' category='%s' aside).
sed -n 's/^category *= *//p' src/klog/signatures.conf | sort -u >"$tmp/categories"
grep -ohE "category *(=~?|!~?) *[\"'][^\"']*[\"']" "$rules" "$rtest" "$dash" |
	sed -E 's/^category *(=~?|!~?) *.//; s/.$//; s/\\"//g' | tr '|' '\n' | sed '/^$/d; /%s/d' | sort -u >"$tmp/used-categories"
unknown=$(comm -23 "$tmp/used-categories" "$tmp/categories" | tr '\n' ' ')
if [ ! -s "$tmp/used-categories" ]; then
	fail "no category found in the rules (parser broken?)"
elif [ -z "$unknown" ]; then
	pass "event categories are the catalog's ($(wc -l <"$tmp/used-categories") used)"
else
	fail "categories not in src/klog/signatures.conf: $unknown"
fi

# ------------------------------------------------------------------ Grafana dashboard
if ! command -v jq >/dev/null; then
	t_skip "deploy: jq not installed"
elif ! jq -e . "$dash" >/dev/null 2>&1; then
	fail "$dash is not valid JSON"
else
	pass "dashboard is valid JSON"
	# All panels, with those nested in collapsed rows.
	P='[.panels[] | ., (.panels[]?)]'
	if jq -e '(.schemaVersion >= 37) and (.uid | length > 0) and (.title | length > 0)' "$dash" >/dev/null; then
		pass "dashboard schemaVersion $(jq .schemaVersion "$dash"), uid $(jq -r .uid "$dash")"
	else
		fail "dashboard: schemaVersion < 37, or no uid or title"
	fi
	if jq -e '[.templating.list[] | select(.name == "DS_PROMETHEUS" and .type == "datasource" and .query == "prometheus")] | length == 1' "$dash" >/dev/null &&
		jq -e '[.templating.list[] | select(.name == "instance" and (.query.query // .query | tostring | test("label_values\\(kres_build_info.*, *instance\\)")))] | length == 1' "$dash" >/dev/null &&
		jq -e '[.__inputs[]? | select(.name == "DS_PROMETHEUS")] | length == 1' "$dash" >/dev/null; then
		pass "dashboard: \${DS_PROMETHEUS} input and variable, instance from label_values(kres_build_info, instance)"
	else
		fail "dashboard: DS_PROMETHEUS input/variable or the instance variable missing"
	fi
	bad=$(jq -r "$P"'[] | select(.type != "row") | select((.title // "") == "" or ([.targets[]? | select((.expr // "") != "")] | length) == 0) | "\(.id) \(.title // "(no title)")"' "$dash")
	rowbad=$(jq -r "$P"'[] | select(.type == "row" and (.title // "") == "") | .id' "$dash")
	n=$(jq "$P"' | map(select(.type != "row")) | length' "$dash")
	if [ -z "$bad$rowbad" ] && [ "$n" -ge 20 ]; then
		pass "dashboard: all $n panels have a title and at least one PromQL target"
	else
		fail "dashboard panels without title or target: ${bad//$'\n'/; } ${rowbad:+rows without title: $rowbad} ($n panels)"
	fi
	bad=$(jq -r "$P"'[] | select(.type != "row") | select(.datasource.uid != "${DS_PROMETHEUS}" or ([.targets[] | select(.datasource.uid != "${DS_PROMETHEUS}")] | length) > 0) | .title' "$dash")
	dup=$(jq -r "$P"' | map(.id) | group_by(.) | map(select(length > 1) | .[0]) | .[]' "$dash")
	grid=$(jq -r "$P"'[] | select(.gridPos == null or .gridPos.x + .gridPos.w > 24) | .title' "$dash")
	if [ -z "$bad$dup$grid" ]; then
		pass "dashboard: every panel uses \${DS_PROMETHEUS}, ids unique, grid within 24 columns"
	else
		fail "dashboard: datasource not \${DS_PROMETHEUS}: ${bad//$'\n'/; } duplicate ids: $dup bad gridPos: $grid"
	fi
	# Every expression parses: as recording rules, with Grafana's variables replaced.
	jq -r "$P"'[] | .targets[]?.expr // empty' "$dash" >"$tmp/dash-exprs"
	jq -r '.annotations.list[] | .expr // empty' "$dash" >>"$tmp/dash-exprs"
	{
		printf 'groups:\n  - name: dashboard\n    rules:\n'
		n=0
		while IFS= read -r e; do
			n=$((n + 1))
			e=${e//\$__rate_interval/5m}; e=${e//\$__range/6h}; e=${e//\$__interval/1m}
			e=${e//\$\{job\}/.*}; e=${e//\$job/.*}; e=${e//\$\{instance\}/.*}; e=${e//\$instance/.*}
			printf '      - record: dashboard:expr_%d\n        expr: %s\n' "$n" "$(jq -Rn --arg e "$e" '$e')"
		done <"$tmp/dash-exprs"
	} >"$tmp/dash-rules.yml"
	if ! command -v promtool >/dev/null; then
		t_skip "deploy: dashboard PromQL syntax (no promtool)"
	elif out=$(promtool check rules "$tmp/dash-rules.yml" 2>&1); then
		pass "dashboard: all $(wc -l <"$tmp/dash-exprs") PromQL expressions parse"
	else
		fail "dashboard PromQL: $out"
	fi
fi

# ------------------------------------------------------------------ metric names
# The metric families kres serve exports (spec of src/serve/metrics.c), one per line;
# <X> is any name part. Used while docs/metrics.md does not exist.
cat >"$tmp/embedded" <<'EOF'
node_memory_<Key>_bytes
node_memory_HugePages_Total
node_memory_HugePages_Free
node_memory_HugePages_Rsvd
node_memory_HugePages_Surp
node_vmstat_pswpin
node_vmstat_pswpout
node_vmstat_pgmajfault
node_vmstat_oom_kill
node_vmstat_compact_stall
node_vmstat_thp_fault_alloc
node_vmstat_pgscan_kswapd
node_vmstat_pgscan_direct
node_vmstat_pgsteal_anon
node_vmstat_pgsteal_file
node_vmstat_pgsteal_kswapd
node_vmstat_pgsteal_direct
node_vmstat_pgfault
node_vmstat_pageoutrun
node_vmstat_pgpgin
node_vmstat_pgpgout
node_pressure_cpu_waiting_seconds_total
node_pressure_io_waiting_seconds_total
node_pressure_io_stalled_seconds_total
node_pressure_memory_waiting_seconds_total
node_pressure_memory_stalled_seconds_total
node_cpu_seconds_total
node_cpu_guest_seconds_total
node_context_switches_total
node_forks_total
node_intr_total
node_boot_time_seconds
node_procs_running
node_procs_blocked
node_network_receive_{bytes,packets,errs,drop,fifo,frame,compressed,multicast}_total
node_network_transmit_{bytes,packets,errs,drop,fifo,colls,carrier,compressed}_total
node_softnet_processed_total
node_softnet_dropped_total
node_softnet_times_squeezed_total
node_softnet_received_rps_total
node_softnet_flow_limit_count_total
node_softnet_backlog_len
node_netstat_Tcp_{ActiveOpens,PassiveOpens,AttemptFails,EstabResets,CurrEstab,InSegs,OutSegs,RetransSegs,InErrs,OutRsts}
node_netstat_Udp_{RcvbufErrors,SndbufErrors,InErrors}
node_netstat_Ip_{InDiscards,OutDiscards}
node_netstat_TcpExt_{ListenOverflows,ListenDrops,TCPBacklogDrop,PruneCalled,RcvPruned,OfoPruned,TCPMemoryPressures,TCPMemoryPressuresChrono,TCPAbortOnMemory,TCPTimeouts,TCPSynRetrans,TCPReqQFullDrop,TCPReqQFullDoCookies,TCPRcvQDrop}
node_sockstat_sockets_used
node_sockstat_TCP_{inuse,orphan,tw,alloc,mem,mem_bytes}
node_sockstat_UDP_{inuse,mem,mem_bytes}
node_nf_conntrack_entries
node_nf_conntrack_entries_limit
node_disk_{reads_completed,reads_merged,read_bytes,read_time_seconds,writes_completed,writes_merged,written_bytes,write_time_seconds}_total
node_disk_io_now
node_disk_{io_time_seconds,io_time_weighted_seconds,discards_completed,discards_merged,discarded_sectors,discard_time_seconds,flush_requests,flush_requests_time_seconds}_total
node_nfsd_server_threads
kres_build_info
kres_pressure_waiting_ratio
kres_pressure_stalled_ratio
kres_sample_interval_seconds
kres_vmstat_allocstall_total
kres_vmstat_workingset_refault_total
kres_memory_pressure_grade
kres_pressure_grade
kres_process_{anon_bytes,swap_bytes,leaking,leak_slope_bytes_per_second,leak_exhaustion_seconds}
kres_processes_untracked
kres_kernel_events_total
kres_kernel_log_lost_records_total
kres_kernel_log_suppressed_total
kres_check_finding
kres_check_failures
kres_collector_{duration_seconds,success,last_run_timestamp_seconds,errors_total}
kres_sample_file_error
kres_sampler_buffer_grows_total
kres_http_responses_total
kres_http_rejected_connections_total
kres_metrics_render_seconds
process_{cpu_seconds_total,resident_memory_bytes,virtual_memory_bytes,open_fds,max_fds,start_time_seconds}
EOF
# The fields the kernel prints in /proc/meminfo (fs/proc/meminfo.c and arch code), as
# node_exporter names them ("Active(anon)" -> Active_anon): node_memory_<Key>_bytes is
# checked against these whatever the list above says.
meminfo='MemTotal MemFree MemAvailable Buffers Cached SwapCached Active Inactive Active_anon
Inactive_anon Active_file Inactive_file Unevictable Mlocked HighTotal HighFree LowTotal
LowFree MmapCopy SwapTotal SwapFree Zswap Zswapped Dirty Writeback AnonPages Mapped Shmem
KReclaimable Slab SReclaimable SUnreclaim KernelStack ShadowCallStack PageTables
SecPageTables NFS_Unstable Bounce WritebackTmp CommitLimit Committed_AS VmallocTotal
VmallocUsed VmallocChunk Percpu HardwareCorrupted AnonHugePages ShmemHugePages
ShmemPmdMapped FileHugePages FilePmdMapped CmaTotal CmaFree Unaccepted Hugepagesize Hugetlb
DirectMap4k DirectMap2M DirectMap4M DirectMap1G'

if [ -f docs/metrics.md ]; then
	src=docs/metrics.md
	# first cell of each table row; several names per cell (a, b), {a,b} groups,
	# "_suffix" shorthands for the previous name's last part, <X> placeholders.
	sed -n 's/^ *| *\([^|]*\)|.*/\1/p' docs/metrics.md | tr -d '`*' >"$tmp/families-raw"
else
	src="the list embedded in tests/cli/t-deploy.sh"
	cp "$tmp/embedded" "$tmp/families-raw"
fi
# Expressions: the rules' expr: blocks and their annotation queries (printf "..."), the
# dashboard's targets, annotations and variables. One per line, tagged by origin.
awk '
	function flush() { if (e != "") print "rules: " e; e = ""; on = 0 }
	/^ *expr: *\|/ { flush(); on = 1; ind = -1; next }
	/^ *expr: *[^ |]/ { flush(); sub(/^ *expr: */, ""); print "rules: " $0; next }
	on { match($0, /^ */); if ($0 ~ /^ *$/) next
	     if (ind < 0) ind = RLENGTH
	     if (RLENGTH < ind) flush(); else { e = e " " $0; next } }
	END { flush() }' "$rules" >"$tmp/exprs"
grep -o 'printf "[^"]*"' "$rules" | sed 's/^printf "//; s/"$//; s/^/rules (annotation query): /' >>"$tmp/exprs"
if [ -f "$tmp/dash-exprs" ]; then
	sed 's/^/dashboard: /' "$tmp/dash-exprs" >>"$tmp/exprs"
	jq -r '.templating.list[] | select(.type == "query") | (.query.query // .query)' "$dash" |
		sed -n 's/.*label_values( *\([a-zA-Z_:][a-zA-Z0-9_:]*\).*/dashboard variable: \1/p' >>"$tmp/exprs"
fi
MEMINFO=$meminfo perl -e '
	my ($famfile, $exprfile) = @ARGV;
	my (@re, $prev);
	open my $f, "<", $famfile or die;
	while (my $cell = <$f>) {
		chomp $cell;
		# expand {a,b,...} groups, then split on commas and blanks
		my @todo = ($cell); my @cells;
		while (@todo) {
			my $c = shift @todo;
			if ($c =~ /^(.*?)\{([^{}]*)\}(.*)$/) { push @todo, map { "$1$_$3" } split /,/, $2, -1; }
			else { push @cells, $c }
		}
		for my $tok (map { split /[\s,]+/ } @cells) {
			next if $tok eq "" || $tok eq "family" || $tok =~ /^-+$/;
			if ($tok =~ /^_\w+$/ && defined $prev) { (my $p = $prev) =~ s/_[^_]+$//; $tok = $p . $tok }
			next unless $tok =~ /^[a-zA-Z_:][\w:<>]*$/;
			$prev = $tok;
			my $r = join "", map { /^<\w+>$/ ? "[A-Za-z0-9_]+" : quotemeta } split /(<\w+>)/, $tok;
			push @re, qr/^$r$/;
		}
	}
	my %meminfo = map { $_ => 1 } split " ", $ENV{MEMINFO};
	my %kw = map { $_ => 1 } qw(and or unless by without on ignoring group_left group_right offset bool atan2 inf nan);
	my (%bad, %seen);
	open my $x, "<", $exprfile or die;
	while (my $line = <$x>) {
		chomp $line;
		my ($origin, $e) = $line =~ /^([^:]+): (.*)$/ or next;
		# a variable query line is the bare metric name of label_values()
		$e =~ s/"(?:[^"\\]|\\.)*"/ /g; $e =~ s/\x27(?:[^\x27\\]|\\.)*\x27/ /g; $e =~ s/`[^`]*`/ /g;
		1 while $e =~ s/\{[^{}]*\}/ /g;
		$e =~ s/\[[^\[\]]*\]/ /g;
		$e =~ s/\$\{[^}]*\}|\$\w+/ /g;
		$e =~ s/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/ /g;
		$e =~ s/(?<![\w:.])\d[\w.]*(?:[eE][+-]?\d+)?/ /g;
		while ($e =~ /(?<![\w:.])([A-Za-z_:][\w:]*+)(?!\s*\()/g) {
			my $m = $1;
			next if $kw{lc $m};
			$seen{$m} = 1;
			my $ok = $m eq "up" || grep { $m =~ $_ } @re;
			if ($ok && $m =~ /^node_memory_(\w+)_bytes$/ && !$meminfo{$1}) { $ok = 0 }
			$bad{$m} ||= $origin unless $ok;
		}
	}
	printf "%d families, %d metric names used\n", scalar @re, scalar keys %seen;
	print "unknown: $_ (in $bad{$_})\n" for sort keys %bad;
	exit(%bad ? 1 : @re < 20 ? 2 : 0);' "$tmp/families-raw" "$tmp/exprs" >"$tmp/names" 2>&1
st=$?
echo "deploy: metric names checked against $src: $(head -1 "$tmp/names")"
if [ $st = 0 ]; then
	pass "every metric name in the rules and the dashboard is exported by kres serve (or is up) per $src"
elif [ $st = 2 ]; then
	fail "could not read the metric families from $src ($(head -1 "$tmp/names"))"
else
	fail "metric names not exported by kres serve (per $src): $(sed 1d "$tmp/names" | tr '\n' ';')"
fi
[ "$(grep -c . "$tmp/exprs")" -ge 60 ] || fail "only $(grep -c . "$tmp/exprs") expressions extracted (parser broken?)"

# ------------------------------------------------------------------ systemd unit
# key=value lines of the unit (comments dropped), to compare exactly.
grep -Ev '^[[:space:]]*(#|;|$)' "$unit" >"$tmp/unit-lines"
want='Type=exec
ExecReload=/bin/kill -HUP $MAINPID
Restart=on-failure
DynamicUser=yes
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=read-only
PrivateTmp=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=no
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
PrivateDevices=no
DevicePolicy=closed
DeviceAllow=/dev/kmsg r
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX AF_NETLINK
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
MemoryDenyWriteExecute=yes
SystemCallFilter=@system-service
SystemCallArchitectures=native
OOMScoreAdjust=-900
Nice=5
StandardOutput=journal'
missing=
while IFS= read -r l; do
	grep -qxF -- "$l" "$tmp/unit-lines" || missing="$missing [$l]"
done <<<"$want"
[ -z "$missing" ] && pass "unit: hardening lines present" || fail "unit lacks:$missing"
caps_ok=1
for k in CapabilityBoundingSet AmbientCapabilities; do
	got=$(sed -n "s/^$k=//p" "$tmp/unit-lines" | tr ' ' '\n' | sed '/^$/d' | sort | tr '\n' ' ')
	[ "$got" = "CAP_DAC_READ_SEARCH CAP_SYSLOG CAP_SYS_PTRACE " ] || { caps_ok=0; fail "unit: $k is '$got', want exactly CAP_SYSLOG CAP_DAC_READ_SEARCH CAP_SYS_PTRACE"; }
done
[ $caps_ok = 1 ] && pass "unit: capabilities are exactly CAP_SYSLOG CAP_DAC_READ_SEARCH CAP_SYS_PTRACE"
if grep -qE '^ExecStart=/usr/local/bin/kres serve --listen (127\.0\.0\.1|\[::1\]):9816( |$)' "$tmp/unit-lines"; then
	pass "unit: ExecStart listens on loopback by default"
else
	fail "unit: ExecStart is not '/usr/local/bin/kres serve --listen 127.0.0.1:9816 ...'"
fi
grep -qE '^MemoryMin=[0-9]+[KMG]?$' "$tmp/unit-lines" && grep -qE '^CPUWeight=([1-9]|[1-9][0-9])$' "$tmp/unit-lines" &&
	pass "unit: MemoryMin set, CPUWeight below the default 100" || fail "unit: MemoryMin or a low CPUWeight missing"
# Settings that would blind or break the agent.
forbidden=$(grep -E '^(ProtectKernelLogs=yes|PrivateDevices=yes|ProtectProc=(invisible|noaccess|ptraceable)|ProcSubset=pid|PrivateNetwork=yes|PrivateIPC=yes|PrivateUsers=yes)' "$tmp/unit-lines" | tr '\n' ' ')
[ -z "$forbidden" ] && pass "unit: nothing that hides /dev/kmsg, /proc or the host's IPC and network" ||
	fail "unit: settings that blind kres: $forbidden"
grep -q '/etc/kres/kres.conf' "$unit" && grep -q '/etc/kres/web.yml' "$unit" &&
	pass "unit: mentions /etc/kres/kres.conf and /etc/kres/web.yml" || fail "unit: /etc/kres/kres.conf or web.yml not mentioned"

# systemd-analyze verify works without a running systemd on systemd >= 250 or so. Probe
# it on a trivial unit first; only when that is clean, any message about ours is a
# failure (unknown keys and unparsable values are only warnings, exit status 0).
if ! command -v systemd-analyze >/dev/null; then
	t_skip "deploy: systemd-analyze verify (not installed; grep checks above only)"
else
	kabs=$(cd "$(dirname "$kres")" 2>/dev/null && pwd)/$(basename "$kres")
	mkdir -p "$tmp/sd"
	printf '[Unit]\nDescription=probe\n[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n' >"$tmp/sd/probe.service"
	if ! out=$(cd "$tmp/sd" && timeout 60 systemd-analyze verify ./probe.service 2>&1) || [ -n "$out" ]; then
		t_skip "deploy: systemd-analyze verify does not work here: $(head -c 200 <<<"$out")"
	elif [ ! -x "$kabs" ]; then
		t_skip "deploy: systemd-analyze verify (no kres binary at $kres)"
	else
		sed "s|/usr/local/bin/kres|$kabs|" "$unit" >"$tmp/sd/kres-serve.service"
		if out=$(cd "$tmp/sd" && timeout 60 systemd-analyze verify ./kres-serve.service 2>&1) && [ -z "$out" ]; then
			pass "unit: systemd-analyze verify is clean"
		else
			fail "unit: systemd-analyze verify: $(tr '\n' ' ' <<<"$out")"
		fi
		# Exposure score (systemd 252+ can score a unit file offline).
		if score=$(cd "$tmp/sd" && timeout 60 systemd-analyze security --offline=true ./kres-serve.service 2>/dev/null | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p') && [ -n "$score" ]; then
			if awk -v s="$score" 'BEGIN { exit !(s <= 3.5) }'; then
				pass "unit: systemd-analyze security exposure $score (at most 3.5)"
			else
				fail "unit: systemd-analyze security exposure $score, above 3.5"
			fi
		else
			t_skip "deploy: systemd-analyze security --offline not supported here"
		fi
	fi
fi
exit $rc
