# Soft lockup: watchdog_thresh 1 (the detector's threshold is twice that), then the
# lab's module spins 6 s in its init with preemption disabled, in insmod's context
# (one or two reports: see tests/lab/mod/kres_lockup.c).
expect=soft_lockup
scenario_run() {
	echo 1 >/proc/sys/kernel/watchdog_thresh || { why="cannot set watchdog_thresh"; return 1; }
	fact watchdog_thresh 1
	victim insmod insmod /lab/kres_lockup.ko spin_ms=6000
	wait_for 10 dmesg_has "BUG: soft lockup" || { why="no soft lockup report in dmesg"; return 1; }
}
