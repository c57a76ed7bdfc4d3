# Hung task: a device-mapper linear device over a loop device is suspended, and
# labwrite writes to it and waits in fsync, in D state, until khungtaskd reports it.
# hung_task_timeout_secs is lowered to 5 and hung_task_warnings to 1, so the kernel
# reports the task once (it would repeat every check interval otherwise).
expect=hung_task
# What the writer is doing, for the results' stderr section when no report came.
hung_diag() {
	cat /run/labwrite.out /proc/"$1"/wchan /proc/"$1"/stack >&2
	grep -E '^(State|voluntary_ctxt_switches)' /proc/"$1"/status >&2
	grep . /proc/sys/kernel/hung_task_* >&2
}
scenario_run() {
	echo 5 >/proc/sys/kernel/hung_task_timeout_secs
	echo 1 >/proc/sys/kernel/hung_task_warnings
	fact timeout_secs 5
	truncate -s 16M /run/disk.img
	losetup /dev/loop0 /run/disk.img || { why="losetup failed"; return 1; }
	echo "0 $(blockdev --getsz /dev/loop0) linear /dev/loop0 0" | dmsetup create --noudevsync lab && dmsetup mknodes lab ||
		{ why="dmsetup create failed"; return 1; }
	dmsetup suspend --noudevsync lab || { why="dmsetup suspend failed"; return 1; }
	labwrite /dev/mapper/lab >/run/labwrite.out 2>&1 &
	pid=$!
	fact victim_pid "$pid"
	fact victim_comm labwrite
	wait_for 30 dmesg_has "INFO: task labwrite:$pid blocked" ||
		{ why="no hung task report in dmesg"; hung_diag "$pid"; return 1; }
	dmsetup resume --noudevsync lab
	wait "$pid"
	fact writer_exit $?
}
