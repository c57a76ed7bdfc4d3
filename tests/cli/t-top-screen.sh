#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The kres top screen in a real pseudo-terminal: tmux runs `kres top --root-seq` over
# a fixture sequence at 100x40 (and 80x24), the pane is captured once kres has drawn
# the last snapshot and exited, and the values each fixture's README works out must
# be on it. A private tmux server keeps the pane after the exit and has no alternate
# screen, so the last frame stays readable; nothing here depends on timing.
. "$(dirname "$0")/../lib.sh"
kres=$(realpath "${1:?}")
rc=0
top=tests/fixtures/top
if ! command -v tmux >/dev/null; then
	t_skip "cli/top-screen: tmux is not installed (scripts/deps.sh test)"
	exit 0
fi
if [ ! -d "$top/seq-basic" ] || [ ! -d "$top/seq-pressure-db" ]; then
	t_skip "cli/top-screen: no fixture sequences in $top"
	exit 0
fi
tmp=$(mktemp -d)
tm() { env -u TMUX tmux -S "$tmp/tmux.sock" -f "$tmp/tmux.conf" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
cat >"$tmp/tmux.conf" <<'EOF'
set -g remain-on-exit on
set -g alternate-screen off
set -g default-terminal screen
set -g status off
EOF

# screen NAME COLS ROWS ARGS...: runs kres top ARGS in a COLSxROWS pane until it
# exits; the pane text is left in $tmp/NAME.txt. Fails when kres does not exit 0.
# The pane's shell writes kres's exit status to a file: tmux 3.3 does not always
# reap a child that exits while the pane drains its output (#{pane_dead_status}
# then stays empty).
screen() {
	local name=$1 cols=$2 rows=$3; shift 3
	tm new-session -d -s "$name" -x "$cols" -y "$rows" -c "$PWD" \
		"env LC_ALL=C TZ=UTC TERM=screen $kres top $*; echo \$? >$tmp/$name.st"
	local i
	# A bound, not a measurement: the runs take about 2 s.
	for i in $(seq 300); do
		[ -s "$tmp/$name.st" ] && [ "$(tm display -p -t "$name" '#{pane_dead}')" = 1 ] && break
		sleep 0.1
	done
	tm capture-pane -p -t "$name" -S - >"$tmp/$name.txt"
	tm kill-session -t "$name"
	local st
	st=$(cat "$tmp/$name.st" 2>/dev/null)
	[ "$st" = 0 ] || { echo "--- $name: exit status '${st:-none after 30 s}'" >&2; return 1; }
}

# expect NAME TEXT...: each TEXT (fixed strings) must be on the captured screen.
# expect_re NAME REGEX...: each extended regex must match a line of it.
expect() {
	local name=$1 s miss=(); shift
	for s in "$@"; do grep -Fq -- "$s" "$tmp/$name.txt" || miss+=("'$s'"); done
	report "$name" "${miss[@]}"
}
expect_re() {
	local name=$1 s miss=(); shift
	for s in "$@"; do grep -Eq -- "$s" "$tmp/$name.txt" || miss+=("/$s/"); done
	report "$name" "${miss[@]}"
}
report() {
	local name=$1; shift
	if [ $# -eq 0 ]; then
		t_pass "cli/top-screen: $name: $checks"
	else
		sed 's/^/    | /' "$tmp/$name.txt" | grep -v '^    | *$' >&2
		t_fail "cli/top-screen: $name: $checks: missing $*"; rc=1
	fi
}

# ---- seq-pressure-db at 100x40: the last of 8 samples is CRIT (README's table) ----
if screen db 100 40 --root-seq "$top/seq-pressure-db" -d 0.2; then
	checks="title: profile, grade, clock (btime + uptime)"
	expect db "profile db" " CRIT " "swap in use 40.0% > 30%" "14:18:57"
	checks="meters: used 98.38 % of 24684100 kB with 400000 available, swap 40 %, PSI"
	expect db "98.4% avail 391M/24G" "40.0% " "psi mem some" "40.0% avg10 40.0" \
		"20.0% avg10 20.0"
	checks="grades: memory and swap crit, one line each"
	expect_re db '^memory +CRIT +swap in use 40\.0%' '^swap +CRIT ' '^cpu +ok'
	checks="vm: swap-out 2766.667/s, reclaims 40+40 a minute, one OOM kill"
	expect db "so 2.8k/s" "si 100/s" "reclaims 80/min" "oom 1"
	checks="processes: 2202 with anon 1817152 kB and swap 280000 kB"
	expect_re db '^ +2202 postgres +1\.7G +273M ' '^ +PID COMM +ANON +SWAP +GROWTH +TREND +TTE'
else
	t_fail "cli/top-screen: seq-pressure-db: kres top did not exit 0"; rc=1
fi

# ---- seq-basic at 100x40 with a 4 s leak window: sample 5 (README "Expected") ----
if screen basic 100 40 --root-seq "$top/seq-basic" -d 0.2 --leak-window 5; then
	checks="levels and CPU: used 2.226 %, swap 12.5 %, busy 35+15+5, steal 7.5 (cpu1 10)"
	expect basic "2.2% avail 23G/24G" "12.5% 1.0G/8.0G" "55.0% us 35 sy 20 wa 5 x2" \
		"7.5% max 10% cpu1" "14:15:32"
	checks="network: 1000000 B/s in, 200000 out, softnet 90 % on cpu0, tcp_mem, conntrack"
	expect basic "rx 977K/s" "tx 195K/s" "drop 1.0/s" "softnet drop 2.0/s" \
		"squeeze 3.0/s" "softnet on cpu0 90%" "listen ovf 3.0/s" "tcp_mem 10%" \
		"conntrack 25%" "retrans 1.0%"
	checks="disk vda: util 50, 100 r/s and w/s, 1000 and 2000 KiB/s, await 4, aqu-sz 0.8"
	expect_re basic '^vda +50\.0 +100 +100 +1\.0M +2\.0M +4\.0 +0\.80$'
	checks="leak: 4101 grows 1024 KiB/s (3600 MiB/h), trend 1, 23569 s to MemAvailable"
	expect_re basic '^ +4101 appleak +105M +0K +3600M/h +\+1\.00 +6h32m LEAK +/app/appleak'
	checks="no leak: 4102 flat, 4103's growth is shmem"
	expect_re basic '^ +4102 idlesvc +50M +0K +0K/min ' '^ +4103 shmwriter +20M +0K +0K/min '
else
	t_fail "cli/top-screen: seq-basic: kres top did not exit 0"; rc=1
fi

# ---- 80x24: the short layout keeps the grades, their reasons and the table ----
if screen small 80 24 --root-seq "$top/seq-pressure-db" -d 0.2; then
	checks="80x24: grade summary, reasons worst first, table header and postgres"
	expect_re small '^memory CRIT  swap CRIT  cpu ok  io ok  net HIGH  disk ok' \
		'^memory: swap in use 40\.0%' '^ +PID COMM ' '^ +2202 postgres '
else
	t_fail "cli/top-screen: 80x24: kres top did not exit 0"; rc=1
fi

# ---- seq-oldkernel: counters a 3.10 kernel lacks are n/a, never 0 ----
if screen old 100 40 --root-seq "$top/seq-oldkernel" -d 0.2; then
	checks="old kernel: no workingset_refault, no oom_kill, MemAvailable estimated"
	expect old "refault n/a" "oom n/a" "avail ~23G/24G"
	checks="old kernel: no PSI files, every PSI meter n/a"
	expect_re old 'psi mem some \[ +n/a\]' 'psi mem full \[ +n/a\]' 'psi io full +\[ +n/a\]' \
		'psi cpu some \[ +n/a\]'
else
	t_fail "cli/top-screen: seq-oldkernel: kres top did not exit 0"; rc=1
fi
# ---- seq-hostile, stopped at the damaged snapshot 01: unknown, not zero ----
if screen hostile 100 40 --root-seq "$top/seq-hostile" -d 0.2 -n 2; then
	checks="truncated meminfo: memory and swap n/a, the error on the bottom line"
	expect_re hostile '^memory +\[ +n/a\]' '^swap +\[ +n/a\]' '^errors: /proc/meminfo line 3: '
else
	t_fail "cli/top-screen: seq-hostile: kres top did not exit 0"; rc=1
fi
exit $rc
