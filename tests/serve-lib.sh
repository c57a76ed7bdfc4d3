# SPDX-License-Identifier: MIT
# Starting and stopping kres serve in tests, on a loopback port of its own.
# serve_start LOGFILE ARGS...: starts "$kres serve --listen 127.0.0.1:PORT ARGS" and
# waits until /healthz answers (over https when ARGS hold --web-config with TLS:
# set SERVE_SCHEME=https and SERVE_CURL_OPTS). Sets serve_pid and serve_port.
# Returns 1 when it did not come up within 10 s.
serve_pid=
serve_port=
SERVE_SCHEME=${SERVE_SCHEME:-http}
serve_start() {
	local log=$1; shift
	local try base=$((20000 + ($$ * 7 + RANDOM) % 12000))
	for try in 0 1 2 3 4 5 6 7; do
		serve_port=$((base + try * 13))
		"$kres" serve --listen "127.0.0.1:$serve_port" "$@" 2>"$log" &
		serve_pid=$!
		local i
		for i in $(seq 1 100); do
			if ! kill -0 "$serve_pid" 2>/dev/null; then
				break
			fi
			if curl -s -o /dev/null -m 1 ${SERVE_CURL_OPTS:-} "$SERVE_SCHEME://127.0.0.1:$serve_port/healthz"; then
				return 0
			fi
			sleep 0.1
		done
		if kill -0 "$serve_pid" 2>/dev/null; then
			kill "$serve_pid"; wait "$serve_pid" 2>/dev/null
			serve_pid=
			return 1
		fi
		wait "$serve_pid" 2>/dev/null
		serve_pid=
		grep -q 'in use' "$log" || return 1
	done
	return 1
}
# serve_stop: SIGTERM, and the exit status (124 when it did not exit within 5 s).
serve_stop() {
	[ -n "$serve_pid" ] || return 0
	kill -TERM "$serve_pid" 2>/dev/null
	local i
	for i in $(seq 1 50); do
		kill -0 "$serve_pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$serve_pid" 2>/dev/null; then
		kill -KILL "$serve_pid"; wait "$serve_pid" 2>/dev/null; serve_pid=
		return 124
	fi
	wait "$serve_pid"; local st=$?
	serve_pid=
	return $st
}
