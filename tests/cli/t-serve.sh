#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# kres serve on fixture trees, on loopback ports of its own: option and configuration
# errors; the endpoints (status codes, content types, HEAD, gzip); the metrics of a
# fixture root checked against its files; kernel-event counters checked against the
# corpus's .expect file; the periodic check's findings (removeipc-danger has a
# critical SYSD-01); a kmsg file growing while the agent runs; SIGHUP reloads (a bad
# file keeps the running configuration, a web-config turns basic auth on); TLS with
# basic auth; promtool's lint of the output.
. "$(dirname "$0")/../lib.sh"
kres=${1:?}
cd "$(dirname "$0")/../.." || exit 1
. tests/serve-lib.sh
rc=0
tmp=$(mktemp -d /tmp/kres-serve.XXXXXX)
trap 'serve_stop; rm -rf "$tmp"' EXIT
pass() { t_pass "cli/serve: $*"; }
fail() { t_fail "cli/serve: $*"; rc=1; }
# check NAME GOT WANT
check() { if [ "$2" == "$3" ]; then pass "$1 ($2)"; else fail "$1: got '$2', want '$3'"; fi; }

# ---- usage and configuration errors: exit 3 with a message naming the input ----
expect_err() {
	local name=$1 re=$2; shift 2
	out=$("$kres" serve "$@" 2>&1); code=$?
	if [ "$code" = 3 ] && grep -Eq -- "$re" <<<"$out"; then pass "error: $name"
	else fail "error: $name: exit $code, output: $(head -c 300 <<<"$out")"; fi
}
expect_err "bad --listen" "--listen 'nowhere': expected ADDR:PORT" --listen nowhere
expect_err "hostname in --listen" "--listen 'localhost:9816'" --listen localhost:9816
expect_err "--interval 0" "bad value '0' for interval" --interval 0 --listen 127.0.0.1:0
expect_err "unknown option" "unknown option '--frob'" --frob --listen 127.0.0.1:0
expect_err "missing --config" "cannot read $tmp/none.conf: No such file" --config "$tmp/none.conf" --listen 127.0.0.1:0
printf '[serve]\ninterval = 2\ntop = many\n' >"$tmp/bad.conf"
expect_err "bad config value" "$tmp/bad.conf:3: bad value 'many' for top" --config "$tmp/bad.conf" --listen 127.0.0.1:0
printf '[serve]\nfrobnicate = 1\n' >"$tmp/bad2.conf"
expect_err "unknown config key" "$tmp/bad2.conf:2: unknown option 'frobnicate'" --config "$tmp/bad2.conf" --listen 127.0.0.1:0
printf 'basic_auth_users:\n  u: notahash\n' >"$tmp/bad-web.yml"
expect_err "bad web-config" "$tmp/bad-web.yml:2" --web-config "$tmp/bad-web.yml" --no-kmsg --check-interval 0 --root tests/fixtures/pg15-clean --listen 127.0.0.1:0
expect_err "missing kmsg" "cannot open $tmp/no.kmsg" --kmsg "$tmp/no.kmsg" --root tests/fixtures/pg15-clean --listen 127.0.0.1:0
"$kres" serve --help | grep -q '^usage: kres serve' && pass "--help" || fail "--help"

# ---- a fixture root ----
root=tests/fixtures/removeipc-danger
cp tests/fixtures/klog/corpus/oom_global.kmsg "$tmp/kmsg"
printf '[serve]\ninterval = 0.5\ncheck-interval = 2\n' >"$tmp/kres.conf"
if ! serve_start "$tmp/log" --config "$tmp/kres.conf" --root "$root" --kmsg "$tmp/kmsg" --no-procs; then
	fail "the agent did not start: $(cat "$tmp/log")"
	exit 1
fi
base="http://127.0.0.1:$serve_port"
curl -s -D "$tmp/h" -o "$tmp/m" "$base/metrics"
check "/metrics status" "$(head -1 "$tmp/h" | tr -d '\r' | cut -d' ' -f2)" 200
check "/metrics content type" "$(grep -i '^content-type:' "$tmp/h" | tr -d '\r' | cut -d' ' -f2-)" \
	"text/plain; version=0.0.4; charset=utf-8"
memtotal=$(awk '/^MemTotal:/ {print $2 * 1024}' $root/proc/meminfo)
check "node_memory_MemTotal_bytes = MemTotal kB x 1024" "$(awk '$1 == "node_memory_MemTotal_bytes" {print $2}' "$tmp/m")" "$memtotal"
check "kres_build_info" "$(grep -c "^kres_build_info{version=\"$("$kres" --version | cut -d' ' -f2)\"} 1$" "$tmp/m")" 1
if grep -Eq '^[a-z_]+(\{[^}]*\})? [^ ]+ [0-9]+$' "$tmp/m"; then fail "a sample carries a timestamp"; else pass "no timestamps"; fi

# Kernel events: every (category, signature) of the corpus's expectations, counted.
grep -v '^#' tests/fixtures/klog/corpus/oom_global.expect | awk 'NF >= 3 && $1 != "totals" {n[$1 " " $2] += $3} END {for (k in n) print k, n[k]}' | sort >"$tmp/want"
awk -F'[{}"]' '/^kres_kernel_events_total\{/ {split($0, v, " "); if (v[length(v)] > 0) print $3, $5, v[length(v)]}' "$tmp/m" | sort >"$tmp/got"
if [ -s "$tmp/want" ] && diff -u "$tmp/want" "$tmp/got" >"$tmp/d"; then pass "kernel event counters = oom_global.expect ($(wc -l <"$tmp/want") pairs)"
else fail "kernel event counters differ: $(cat "$tmp/d")"; fi
check "pre-filled zero series (soft_lockup)" "$(grep -c '^kres_kernel_events_total{category="soft_lockup",signature="[a-z_]*"} 0$' "$tmp/m" | awk '{print ($1 > 0)}')" 1
nev=$(awk '{s += $3} END {print s}' "$tmp/want")
curl -s "$base/events" >"$tmp/ev"
check "/events holds every event" "$(jq '.events | length' "$tmp/ev")" "$nev"
check "/events first victim" "$(jq -r '.events[0] | "\(.category) \(.fields.pid) \(.fields.comm)"' "$tmp/ev")" "oom_kill 1523 postmaster"
check "/events?category=segfault" "$(curl -s "$base/events?category=segfault" | jq '.events | length')" 0

# The periodic check: wait for its first result.
for i in $(seq 1 100); do
	[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/findings")" = 200 ] && break
	sleep 0.1
done
curl -s "$base/findings" >"$tmp/f.json"
"$kres" check --root $root --format json >"$tmp/direct.json" 2>/dev/null
check "/findings = kres check --format json (fail ids)" \
	"$(jq -c '[.findings[] | select(.status == "fail") | .id]' "$tmp/f.json")" \
	"$(jq -c '[.findings[] | select(.status == "fail") | .id]' "$tmp/direct.json")"
curl -s "$base/metrics" >"$tmp/m2"
check "kres_check_finding SYSD-01 critical" \
	"$(grep -c '^kres_check_finding{id="SYSD-01",severity="critical",subject="PostgreSQL 15 (pid 21484, /srv/pgdata)"} 1$' "$tmp/m2")" 1
for sev in critical high medium low info; do
	want=$(jq "[.findings[] | select(.status == \"fail\" and .severity == \"$sev\")] | length" "$tmp/direct.json")
	check "kres_check_failures{severity=\"$sev\"}" "$(awk -v s="kres_check_failures{severity=\"$sev\"}" '$1 == s {print $2}' "$tmp/m2")" "$want"
done
check "check collector succeeded" "$(awk '$1 == "kres_collector_success{collector=\"check\"}" {print $2}' "$tmp/m2")" 1

# promtool: parse errors fail; lint only the CamelCase names node_exporter has too.
if command -v promtool >/dev/null; then
	promtool check metrics <"$tmp/m2" >"$tmp/lint" 2>&1; pc=$?
	grep -Ev '^(node_memory_|node_netstat_|node_sockstat_|node_vmstat_)[A-Za-z0-9_]+ (metric names should be written in .snake_case. not .camelCase.|no help text)' "$tmp/lint" >"$tmp/lint2"
	if [ $pc != 1 ] && [ ! -s "$tmp/lint2" ]; then pass "promtool check metrics ($(grep -vc '^#' "$tmp/m2") samples)"
	else fail "promtool check metrics (exit $pc): $(head -5 "$tmp/lint2")"; fi
else
	fail "promtool is missing (scripts/deps.sh test installs prometheus)"
fi

# Endpoints and methods.
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
check "GET /healthz" "$(curl -s "$base/healthz")" ok
check "GET / (links)" "$(curl -s "$base/" | grep -c 'href="metrics"')" 1
check "GET /nope" "$(code "$base/nope")" 404
check "POST /metrics" "$(code -X POST -d x=1 "$base/metrics")" 405
check "DELETE /metrics Allow" "$(curl -s -D - -o /dev/null -X DELETE "$base/metrics" | grep -i '^allow:' | tr -d '\r')" "Allow: GET, HEAD"
check "HEAD /metrics" "$(curl -s -I "$base/metrics" | head -1 | tr -d '\r' | cut -d' ' -f2) $(curl -s -X HEAD -m 2 "$base/metrics" 2>/dev/null | wc -c)" "200 0"
check "GET with a body" "$(code -X GET -H 'Content-Type: text/plain' --data-binary hello "$base/metrics")" 413
curl -s -H 'Accept-Encoding: gzip' -D "$tmp/gh" -o "$tmp/m.gz" "$base/metrics"
check "gzip Content-Encoding" "$(grep -i '^content-encoding:' "$tmp/gh" | tr -d '\r' | cut -d' ' -f2)" gzip
check "gzip body = plain families" "$(gunzip -c "$tmp/m.gz" | grep '^# TYPE' | md5sum)" "$(curl -s "$base/metrics" | grep '^# TYPE' | md5sum)"

# The kmsg file grows: the new event is counted within a few seconds.
cat tests/fixtures/klog/corpus/hung_task.kmsg >>"$tmp/kmsg"
want_hung=$(grep -v '^#' tests/fixtures/klog/corpus/hung_task.expect | awk '$1 == "hung_task" {s += $3} END {print s}')
for i in $(seq 1 50); do
	got_hung=$(curl -s "$base/metrics" | awk '/^kres_kernel_events_total\{category="hung_task"/ {s += $2} END {print s + 0}')
	[ "$got_hung" = "$want_hung" ] && break
	sleep 0.1
done
check "appended hung tasks counted" "$got_hung" "$want_hung"

# SIGHUP: a bad configuration is refused and the old one kept; a good one applies.
printf '[serve]\ninterval = fast\n' >"$tmp/kres.conf"
kill -HUP "$serve_pid"; sleep 0.5
grep -q "reload: $tmp/kres.conf:2: bad value 'fast' for interval; the running configuration is kept" "$tmp/log" &&
	pass "SIGHUP with a bad file keeps the configuration" || fail "bad reload: $(tail -2 "$tmp/log")"
check "still serving after a bad reload" "$(code "$base/healthz")" 200
hash=$(htpasswd -nbB -C 4 prom 's3cret:x' | cut -d: -f2-)
printf 'basic_auth_users:\n  prom: %s\n' "$hash" >"$tmp/web.yml"
printf '[serve]\ninterval = 0.5\ncheck-interval = 2\nweb-config = %s\n' "$tmp/web.yml" >"$tmp/kres.conf"
kill -HUP "$serve_pid"; sleep 0.5
grep -q "reloaded: interval 0.5 s, check every 2 s, plain HTTP, basic auth" "$tmp/log" && pass "SIGHUP applies a new web-config" || fail "reload: $(tail -2 "$tmp/log")"
check "no credentials: 401" "$(code "$base/metrics")" 401
check "401 asks for Basic" "$(curl -s -D - -o /dev/null "$base/metrics" | grep -i '^www-authenticate:' | tr -d '\r')" 'WWW-Authenticate: Basic realm="kres"'
check "wrong password: 401" "$(code -u prom:wrong "$base/metrics")" 401
check "right password (with a colon): 200" "$(code -u 'prom:s3cret:x' "$base/metrics")" 200
serve_stop; st=$?
check "SIGTERM exit status" "$st" 0

# ---- TLS with basic auth ----
if openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/key.pem" -out "$tmp/cert.pem" -days 2 \
	-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1; then
	printf 'tls_server_config:\n  cert_file: cert.pem\n  key_file: "key.pem"\nbasic_auth_users:\n  prom: %s\n' "$hash" >"$tmp/tls.yml"
	SERVE_SCHEME=https SERVE_CURL_OPTS="--cacert $tmp/cert.pem" \
		serve_start "$tmp/log2" --web-config "$tmp/tls.yml" --root tests/fixtures/pg15-clean --no-kmsg --check-interval 0 --no-procs
	if [ -n "$serve_pid" ]; then
		tbase="https://127.0.0.1:$serve_port"
		check "TLS + auth: 200" "$(code --cacert "$tmp/cert.pem" -u 'prom:s3cret:x' "$tbase/metrics")" 200
		check "TLS without auth: 401" "$(code --cacert "$tmp/cert.pem" "$tbase/metrics")" 401
		check "plain HTTP to the TLS port fails" "$(code -m 2 "http://127.0.0.1:$serve_port/metrics")" 000
		check "TLS metrics are metrics" "$(curl -s --cacert "$tmp/cert.pem" -u 'prom:s3cret:x' "$tbase/metrics" | grep -c '^node_memory_MemTotal_bytes ')" 1
		serve_stop
	else
		fail "TLS agent did not start: $(cat "$tmp/log2")"
	fi
else
	fail "openssl could not make a test certificate"
fi
exit $rc
