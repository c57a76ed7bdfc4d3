# Global OOM kill: hog allocates until the kernel runs out of memory (no swap, no
# cgroup limit) and the OOM killer picks it, the largest process. kres's own two
# processes have oom_score_adj -1000.
expect=oom_kill
scenario_run() {
	victim hog hog
	wait_for 30 dmesg_has "Killed process $pid (hog)" || { why="no OOM kill of hog in dmesg"; return 1; }
}
