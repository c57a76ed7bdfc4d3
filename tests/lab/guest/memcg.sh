# Memory-cgroup OOM kill: cgroup v2 with the memory controller, a child group with
# memory.max 48 MiB, and hog in it.
expect=memcg_oom_kill
scenario_run() {
	mount -t cgroup2 cgroup2 /sys/fs/cgroup || { why="cannot mount cgroup2"; return 1; }
	echo +memory >/sys/fs/cgroup/cgroup.subtree_control || { why="no memory controller"; return 1; }
	mkdir /sys/fs/cgroup/lab
	echo 48M >/sys/fs/cgroup/lab/memory.max
	fact memcg /lab
	fact memory_max $(cat /sys/fs/cgroup/lab/memory.max)
	victim hog sh -c 'echo $$ >/sys/fs/cgroup/lab/cgroup.procs && exec hog'
	fact oom_kill_count $(sed -n 's/^oom_kill //p' /sys/fs/cgroup/lab/memory.events)
	wait_for 30 dmesg_has "Killed process $pid (hog)" || { why="no memcg OOM kill of hog in dmesg"; return 1; }
}
