# Segfault: segv writes through a null pointer; the kernel prints
# "segv[PID]: segfault at 0 ip ... error 6 in labtool[...]".
expect=segfault
scenario_run() {
	victim segv segv
	wait_for 10 dmesg_has "segv\[$pid\]: segfault" || { why="no segfault line in dmesg"; return 1; }
}
