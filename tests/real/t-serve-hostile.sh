#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# kres serve against hostile clients (tests/real/hostile.c), on loopback. The agent runs
# with --interval 1 --check-interval 0 --no-kmsg --http-timeout 3; after each attack it
# must still answer /healthz and /metrics with 200 within 2 s, and its peak resident
# memory (VmHWM) must stay under 64 MiB. What each attack must get, from the contract
# (spec/serve-cli.md):
#  headers:   a 1 MiB header and a 17 KB one get 431 or a closed connection; a 15 KB
#             one (under the 16 KiB header block) gets 200;
#  methods:   405 with "Allow: GET, HEAD" for other methods on an endpoint, 404 for
#             unknown and traversal paths, 413 for request bodies, 400 (505 for a
#             version) or a closed connection for what HTTP cannot parse; HEAD /metrics
#             is 200 with no body; kres_http_responses_total counts the 405s and 404s;
#  plain/gzip: /metrics is text/plain version 0.0.4, with "Accept-Encoding: gzip" a gzip
#             body that gunzip turns into the same families;
#  slowloris, idle, keepalive: 20 connections trickling headers a byte a second, 20
#             silent ones, 20 idle after one answered request: each closed between
#             http-timeout - 1 and http-timeout + 2 s after it opened, and the agent
#             answers others meanwhile;
#  flood:     1000 concurrent GET /metrics with --max-connections 1100: at least 90 %
#             get a complete 200; with --max-connections 100 the excess waits in the accept queue
#             until a slot frees (150 idle connections holding all slots are cut by the deadline),
#             nothing hangs, and the agent answers afterwards;
#  SIGTERM:   with 20 idle connections open, the agent exits 0 within 5 s and closes them.
# Skips only when there is no C compiler to build the client.
. "$(dirname "$0")/../lib.sh"
kres=${1:?}
T=real/serve-hostile
here=$(cd "$(dirname "$0")" && pwd)
http_timeout=3
rss_max=65536 # KiB
# An ASan build maps shadow memory and keeps freed memory in quarantine: hundreds of
# MiB whatever the agent does, so its bound only catches runaway growth.
if grep -aq __asan_init "$kres" 2>/dev/null; then rss_max=1048576; fi
work=$(mktemp -d /tmp/kres-serve-hostile.XXXXXX)
apid= # the running agent
port=
# Stops what this script started and has not reaped (bash's job table: a reaped pid
# may belong to someone else by now); what ignores SIGTERM for 2 s gets SIGKILL.
cleanup() {
	local j i
	j=$(jobs -p)
	[ -n "$j" ] && kill $j 2>/dev/null
	for ((i = 0; i < 20; i++)); do
		[ -n "$(jobs -rp)" ] || break
		sleep 0.1
	done
	j=$(jobs -rp)
	[ -n "$j" ] && kill -KILL $j 2>/dev/null
	wait 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
rc=0
pass() { t_pass "$T: $*"; }
fail() { t_fail "$T: $*"; rc=1; }
for c in cc curl gunzip; do
	command -v $c >/dev/null || {
		[ $c = cc ] && { t_skip "$T: no C compiler (cc) to build tests/real/hostile.c"; exit 0; }
		fail "$c is missing (scripts/deps.sh test installs curl)"
		exit 1
	}
done
cc -O2 -Wall -Wextra -Werror -o "$work/hostile" "$here/hostile.c" 2>"$work/cc.err" ||
	{ fail "hostile.c does not build: $(head -c 500 "$work/cc.err")"; exit 1; }
hostile() { "$work/hostile" 127.0.0.1 "$port" "$@"; }

# alive PID: the process exists and is not a zombie (kill -0 succeeds on zombies).
alive() {
	local s
	s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	s=${s##*) }
	[ "${s%% *}" != Z ]
}
# field KEY LINE: the value of KEY=... in a hostile output line.
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
# code PATH: the HTTP status of GET PATH within 2 s (000 when none); body in $work/body.
code() { curl -s -o "$work/body" -w '%{http_code}' -m 2 "http://127.0.0.1:$port$1" 2>/dev/null; }
# metric SERIES: its value on /metrics ("" when absent).
metric() { curl -s -m 2 "http://127.0.0.1:$port/metrics" | awk -v s="$1" '$1 == s {print $2}'; }
# metric_wait SERIES MIN: its value once it reaches MIN ("" when absent); /metrics is
# rendered once per sample, so this waits up to 4 intervals (4 s) for a new render.
metric_wait() {
	local i v
	for ((i = 0; i < 20; i++)); do
		v=$(metric "$1")
		awk -v v="$v" -v m="$2" 'BEGIN {exit !(v != "" && v >= m)}' && break
		sleep 0.2
	done
	echo "$v"
}
# overflows: the host's TcpExt ListenOverflows (SYNs dropped by a full accept queue).
overflows() { awk '$1 == "TcpExt:" {if (!h) {for (i = 2; i <= NF; i++) if ($i == "ListenOverflows") k = i; h = 1} else print $k}' /proc/net/netstat; }
status_kb() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$apid/status" 2>/dev/null; }
log_tail() { tail -c 400 "$alog" | tr '\n' ' '; }

# agent_start NAME [OPTIONS]: starts kres serve on a free loopback port (19000 +
# pid % 1000, then others) and waits (10 s at most) for /healthz to answer 200.
agent_start() {
	local name=$1 try i
	shift
	alog=$work/$name.log
	for ((try = 0; try < 20; try++)); do
		port=$((19000 + ($$ + try * 37) % 1000))
		# taken: something accepts connections there
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
		"$kres" serve --listen "127.0.0.1:$port" --interval 1 --check-interval 0 --no-kmsg \
			--http-timeout $http_timeout "$@" >"$alog" 2>&1 &
		apid=$!
		for ((i = 0; i < 100; i++)); do
			[ "$(code /healthz)" = 200 ] && return 0
			alive "$apid" || break
			sleep 0.1
		done
		# lost a race for the port: another one
		if ! alive "$apid" && grep -qi 'in use' "$alog"; then
			wait "$apid"
			apid=
			continue
		fi
		fail "$name: kres serve $* did not answer /healthz with 200 within 10 s: $(log_tail)"
		return 1
	done
	fail "$name: no free port among 20 tried"
	return 1
}

# agent_ok LABEL: the agent is alive, answers /healthz and /metrics with 200 within
# 2 s each, and its VmHWM is under the bound.
agent_ok() {
	if ! alive "$apid"; then
		wait "$apid"
		fail "$1: the agent died (exit status $?): $(log_tail)"
		return 1
	fi
	local h m rss hwm
	h=$(code /healthz)
	m=$(code /metrics)
	rss=$(status_kb VmRSS) hwm=$(status_kb VmHWM)
	if [ "$h" != 200 ] || [ "$m" != 200 ]; then
		fail "$1: then /healthz $h, /metrics $m (want 200 within 2 s each): $(head -c 200 "$work/body")"
	elif [ "${hwm:-0}" -ge $rss_max ]; then
		fail "$1: VmHWM $hwm KiB, over the $rss_max KiB bound (VmRSS $rss KiB)"
	else
		pass "$1: then /healthz 200, /metrics 200, VmRSS $rss KiB, VmHWM $hwm KiB (bound $rss_max)"
		return 0
	fi
	return 1
}

# agent_stop LABEL: SIGTERM; the agent must exit 0 within 5 s.
agent_stop() {
	local i st t0=${EPOCHREALTIME/./}
	kill -TERM "$apid"
	for ((i = 0; i < 50; i++)); do alive "$apid" || break; sleep 0.1; done
	if alive "$apid"; then
		fail "$1: still running 5 s after SIGTERM"
		kill -KILL "$apid"
		wait "$apid"
	else
		wait "$apid"
		st=$?
		local ms=$(((${EPOCHREALTIME/./} - t0) / 1000))
		if [ $st -eq 0 ]; then pass "$1: exited 0, $ms ms after SIGTERM"; else
			fail "$1: exited $st after SIGTERM ($ms ms): $(log_tail)"; fi
	fi
	apid=
}

# ---- the plain and gzip bodies, HEAD ---------------------------------------------------
encodings() {
	local url=http://127.0.0.1:$port/metrics
	curl -s -m 5 -D "$work/plain.hdr" -o "$work/plain" "$url"
	curl -s -m 5 -H 'Accept-Encoding: gzip' -D "$work/gz.hdr" -o "$work/gz" "$url"
	local ct
	ct=$(sed -n 's/^[Cc]ontent-[Tt]ype: *\([^\r]*\).*/\1/p' "$work/plain.hdr")
	if [ "$ct" = "text/plain; version=0.0.4; charset=utf-8" ]; then pass "plain: Content-Type $ct"; else
		fail "plain: Content-Type '$ct', want 'text/plain; version=0.0.4; charset=utf-8'"; fi
	if grep -qi '^content-encoding:' "$work/plain.hdr"; then
		fail "plain: a Content-Encoding without Accept-Encoding: $(grep -i '^content-encoding:' "$work/plain.hdr")"
	fi
	if ! grep -qi '^content-encoding: *gzip' "$work/gz.hdr"; then
		fail "gzip: no 'Content-Encoding: gzip' with 'Accept-Encoding: gzip': $(tr '\r\n' '  ' <"$work/gz.hdr")"
		return
	fi
	if ! gunzip -c <"$work/gz" >"$work/gunz" 2>"$work/gz.err"; then
		fail "gzip: the body is not gzip: $(head -c 200 "$work/gz.err")"
		return
	fi
	local a b n
	a=$(awk '$1 == "#" && $2 == "TYPE" {print $3}' "$work/plain" | sort)
	b=$(awk '$1 == "#" && $2 == "TYPE" {print $3}' "$work/gunz" | sort)
	n=$(wc -l <<<"$a")
	if [ -z "$a" ]; then fail "plain: no '# TYPE' line in /metrics: $(head -c 200 "$work/plain")"
	elif [ "$a" = "$b" ]; then
		pass "gzip: $(stat -c %s "$work/gz") bytes gunzip to $(stat -c %s "$work/gunz") with the same $n families as the plain body ($(stat -c %s "$work/plain") bytes)"
	else
		fail "gzip: families differ from the plain body: $(diff <(echo "$a") <(echo "$b") | grep '^[<>]' | head -5 | tr '\n' ' ')"
	fi
	local h
	h=$(curl -s -I -m 2 -o /dev/null -w '%{http_code}' "$url")
	[ "$h" = 200 ] && pass "HEAD /metrics (curl -I): 200" || fail "HEAD /metrics (curl -I): $h, want 200"
}

# ---- huge headers ------------------------------------------------------------------------
headers() {
	local size want out res
	for size in 1048576 17000 15000; do
		want="431|closed"
		[ $size -lt 16000 ] && want=200
		out=$(hostile headers $size)
		res=$(field result "$out")
		if [[ $res =~ ^($want)$ ]]; then pass "headers: one $size-byte header: $res ($out)"; else
			fail "headers: one $size-byte header: '$res', want $want ($out)"; fi
	done
	agent_ok "headers"
}

# ---- methods and malformed requests -----------------------------------------------------
methods() {
	local out bad n line n405 n404 c405 c404 b405 b404
	b405=$(metric 'kres_http_responses_total{code="405"}') b404=$(metric 'kres_http_responses_total{code="404"}')
	out=$(hostile methods)
	printf '%s\n' "$out" >"$work/methods.out"
	n=$(grep -c . <<<"$out")
	bad=$(grep ' ok=no ' <<<"$out")
	while IFS= read -r line; do [ -n "$line" ] && fail "methods: ${line%% ms=*}"; done <<<"$bad"
	[ -z "$bad" ] && pass "methods: all $n cases got an answer the contract allows ($(awk '{print $2}' <<<"$out" | sort | uniq -c | awk '{printf "%s%s x%s", NR > 1 ? ", " : "", $2, $1}'))"
	# every 405 says which methods are allowed
	bad=$(awk '$2 == 405 && $0 !~ / allow=GET,HEAD / {print $1 " " $7}' <<<"$out")
	if [ -z "$bad" ]; then pass "methods: every 405 carries 'Allow: GET, HEAD'"; else
		fail "methods: 405 without 'Allow: GET, HEAD': $(tr '\n' ' ' <<<"$bad")"; fi
	line=$(grep '^head-metrics ' <<<"$out")
	if [ "$(field body "$line")" = 0 ] && [ "$(awk '{print $2}' <<<"$line")" = 200 ]; then
		pass "methods: HEAD /metrics: 200 and no body"
	else
		fail "methods: HEAD /metrics: ${line%% ms=*} (want 200, body=0)"
	fi
	# the agent's own counters saw them
	n405=$(awk '$2 == 405' <<<"$out" | wc -l) n404=$(awk '$2 == 404' <<<"$out" | wc -l)
	c405=$(metric_wait 'kres_http_responses_total{code="405"}' $((${b405:-0} + n405)))
	c404=$(metric_wait 'kres_http_responses_total{code="404"}' $((${b404:-0} + n404)))
	if awk -v a="${b405:-0}" -v b="$c405" -v n="$n405" -v c="${b404:-0}" -v d="$c404" -v m="$n404" \
		'BEGIN {exit !(b != "" && d != "" && b - a >= n && d - c >= m)}'; then
		pass "methods: kres_http_responses_total 405 ${b405:-0} -> $c405 ($n405 sent), 404 ${b404:-0} -> $c404 ($n404 sent)"
	else
		fail "methods: kres_http_responses_total{code=\"405\"} ${b405:-absent} -> ${c405:-absent} after $n405 405s, {code=\"404\"} ${b404:-absent} -> ${c404:-absent} after $n404 404s"
	fi
	agent_ok "methods"
}

# ---- connections that never finish a request --------------------------------------------
slow() {
	local kind=$1 out hp lo hi closed r0 r1
	r0=$(metric kres_http_rejected_connections_total)
	hostile "$kind" 20 $((http_timeout + 7)) >"$work/$kind.out" &
	hp=$!
	sleep 1.5
	agent_ok "$kind: while 20 connections are held open"
	wait $hp
	out=$(cat "$work/$kind.out")
	closed=$(field closed "$out") lo=$(field first_close_s "$out") hi=$(field last_close_s "$out")
	if [ "$closed" = 20 ] && awk -v lo="$lo" -v hi="$hi" -v t=$http_timeout \
		'BEGIN {exit !(lo >= t - 1 && hi <= t + 2)}'; then
		pass "$kind: all 20 closed $lo..$hi s after they opened (http-timeout $http_timeout s): $out"
	else
		fail "$kind: want all 20 closed within $((http_timeout - 1))..$((http_timeout + 2)) s of opening: ${out:-no output}"
	fi
	# The agent cuts requests whose headers are late itself and counts them; silent
	# connections may be closed by libmicrohttpd's idle timeout first (not counted).
	if [ "$kind" = slowloris ]; then
		r1=$(metric_wait kres_http_rejected_connections_total $((${r0:-0} + 20)))
		if awk -v a="${r0:-0}" -v b="$r1" 'BEGIN {exit !(b != "" && b - a >= 20)}'; then
			pass "$kind: kres_http_rejected_connections_total ${r0:-0} -> $r1"
		else
			fail "$kind: kres_http_rejected_connections_total ${r0:-absent} -> ${r1:-absent}, want 20 more"
		fi
	fi
	agent_ok "$kind"
}

# ---- a flood of concurrent scrapes --------------------------------------------------------
flood() {
	local out ok st o0
	o0=$(overflows)
	out=$(hostile flood 1000)
	st=$?
	ok=$(field ok "$out")
	if [ $st -eq 0 ] && [ "${ok:-0}" -ge 900 ]; then
		pass "flood (--max-connections 1100): $ok of 1000 complete 200s, p50 $(field p50_ms "$out") ms, p99 $(field p99_ms "$out") ms, accept queue overflows $(($(overflows) - o0)): $out"
	else
		fail "flood (--max-connections 1100): want >= 900 of 1000 complete 200s and none hung or truncated (hostile exit $st): ${out:-no output}"
	fi
	agent_ok "flood"
}

flood_limited() {
	local out ok st turned o0 hp t0 t1 code
	# Beyond --max-connections, connections wait in the kernel's accept queue until a
	# slot frees (libmicrohttpd stops accepting at the limit); no connection may hang
	# or be cut short, and the request deadline bounds how long a slot is held.
	o0=$(overflows)
	out=$(hostile flood 1000)
	st=$?
	ok=$(field ok "$out")
	turned=$(($(field refused "$out") + $(field reset "$out") + $(field closed "$out") + $(field s503 "$out")))
	if [ $st -eq 0 ] && [ "${ok:-0}" -ge 1 ] && [ $((ok + turned)) -eq 1000 ]; then
		pass "flood (--max-connections 100): $ok complete 200s, $turned turned away, none hung (accept queue overflows $(($(overflows) - o0))): $out"
	else
		fail "flood (--max-connections 100): want every connection answered or turned away, none hung or truncated (hostile exit $st; accept queue overflows $(($(overflows) - o0))): ${out:-no output}"
	fi
	agent_ok "flood (--max-connections 100)"
	# 150 idle connections hold all 100 slots: /healthz waits in the queue and is
	# answered once the deadline (--http-timeout 3) frees them.
	hostile idle 150 8 >/dev/null &
	hp=$!
	sleep 0.5
	t0=$(date +%s.%N)
	code=$(curl -s -o /dev/null -m 8 -w "%{http_code}" "http://127.0.0.1:$port/healthz")
	t1=$(date +%s.%N)
	wait $hp
	if [ "$code" = 200 ] && awk -v a="$t0" -v b="$t1" 'BEGIN {exit !(b - a <= 3 + 2)}'; then
		pass "slots held by 150 idle connections: /healthz answered in $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}') s (deadline 3 s)"
	else
		fail "slots held by 150 idle connections: /healthz $code after $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}') s, want 200 within 5 s"
	fi
}

# ---- SIGTERM with connections open --------------------------------------------------------
stop_with_idle() {
	local hp out
	hostile idle 20 10 >"$work/stop.out" &
	hp=$!
	sleep 0.5
	agent_stop "SIGTERM with 20 idle connections open"
	wait $hp
	out=$(cat "$work/stop.out")
	if [ "$(field closed "$out")" = 20 ]; then pass "SIGTERM: all 20 idle connections closed: $out"; else
		fail "SIGTERM: want the 20 idle connections closed: ${out:-no output}"; fi
}

if agent_start main --max-connections 1100 && agent_ok "start"; then
	encodings
	headers
	methods
	slow slowloris
	slow idle
	slow keepalive
	flood
	stop_with_idle
fi
[ -n "$apid" ] && agent_stop "main"
if agent_start limited --max-connections 100; then
	flood_limited
	agent_stop "limited: SIGTERM"
fi
exit $rc
