# Segfault: segv writes through a null pointer; the kernel prints
# "segv[PID]: segfault at 0 ip ... error 6 in labtool[...]".
expect=segfault
scenario_run() {
	segv >/run/segv.out 2>&1 &
	pid=$!
	fact victim_pid "$pid"
	fact victim_comm segv
	wait "$pid"
	fact victim_exit $?
	wait_for 10 dmesg_has "segv\[$pid\]: segfault" || { why="no segfault line in dmesg"; return 1; }
}
