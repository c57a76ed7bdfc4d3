# kres check on the guest: a different kernel's real /proc and /sys. The facts are
# what the guest itself reads, for the host to compare with kres's JSON.
expect=
scenario_run() {
	kres check --format json >/run/check.json 2>/run/check.err
	fact check_exit $?
	fact kernel "$(uname -r)"
	fact mem_total_kb "$(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo)"
	fact cpus "$(nproc)"
}
