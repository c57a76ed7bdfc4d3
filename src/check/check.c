// SPDX-License-Identifier: MIT
/* The rule table of kres check and the helpers rules share. One row per rule: its
 * stable id, area, default severity, why it matters, and its source. docs/checks.md
 * lists the same rows with their formulas. */
#include "check/rules.h"

#include "host/net.h"
#include "host/nfsd.h"

#include <stdio.h>
#include <string.h>

#include "util/banned.h"

#define PGDOC "PostgreSQL docs, 'Managing Kernel Resources' (kernel-resources.html)"

const struct rule check_rules[] = {
	/* System V IPC: limits only bind servers that really use SysV objects. */
	{"IPC-01", "System V IPC", "kernel.shmmax",
	 "kernel.shmmax >= the largest System V segment of any server: 48 bytes (PostgreSQL 9.3+ with shared_memory_type = mmap) or the whole shared memory size (shared_memory_type = sysv)", SEV_CRITICAL,
	 "A System V segment larger than kernel.shmmax cannot be created: shmget() fails with EINVAL and the server refuses to start.",
	 PGDOC ", table 'System V IPC Parameters'", rule_ipc_shmmax, W_PG},
	{"IPC-02", "System V IPC", "kernel.shmall",
	 "kernel.shmall (pages) >= ceil((bytes of all System V segments now + segments of servers not running) / 4096)", SEV_CRITICAL,
	 "kernel.shmall caps all System V shared memory on the host, in pages; past it shmget() fails with ENOSPC.",
	 PGDOC "; Documentation/admin-guide/sysctl/kernel.rst", rule_ipc_shmall, W_PG},
	{"IPC-03", "System V IPC", "kernel.shmmni",
	 "kernel.shmmni >= segments now + 1 per server not running", SEV_LOW,
	 "kernel.shmmni caps the number of System V segments on the host; each server instance needs one.",
	 PGDOC, rule_ipc_shmmni, W_PG},
	{"IPC-04", "System V IPC", "SEMMSL (kernel.sem field 1)",
	 "SEMMSL >= SEMAS_PER_SET + 1 = 17 (for servers using System V semaphores)", SEV_CRITICAL,
	 "Each semaphore set the server creates holds SEMAS_PER_SET + 1 semaphores; a smaller SEMMSL makes semget() fail at start.",
	 PGDOC "; postgres src/backend/port/sysv_sema.c", rule_ipc_semmsl, W_PG},
	{"IPC-05", "System V IPC", "SEMMNS (kernel.sem field 2)",
	 "SEMMNS >= sum over servers of ceil(N / 16) x 17 + semaphores held by other users; N per version: SeaboxSQL max_connections + autovacuum_max_workers + max_worker_processes + 5; PostgreSQL <= 11 the same; 12-13 + max_wal_senders; 14-16 + 6 instead of + 5; 17 + 7; 18 max_connections + autovacuum_worker_slots + max_worker_processes + max_wal_senders + 40", SEV_CRITICAL,
	 "SEMMNS caps the semaphores of the whole host; when the server's sets do not fit, semget() fails with 'No space left on device' and the server does not start.",
	 PGDOC "; SeaboxSQL 'Managing Kernel Resources'", rule_ipc_semmns, W_PG},
	{"IPC-06", "System V IPC", "SEMMNI (kernel.sem field 4)",
	 "SEMMNI >= sum over servers of ceil(N / 16) + sets held by other users", SEV_CRITICAL,
	 "SEMMNI caps the number of semaphore sets on the host; the server needs one set per 16 processes.",
	 PGDOC "; SeaboxSQL 'Managing Kernel Resources'", rule_ipc_semmni, W_PG},
	/* The PostgreSQL family: configuration and needs. */
	{"PG-00", "PostgreSQL family", "configuration read",
	 "the configuration file and its includes parse; the major version is known (PG_VERSION or the executable's path)", SEV_HIGH,
	 "kres computes every requirement from the server's own settings; a configuration it cannot read means the figures below use defaults.",
	 "postgres src/backend/utils/misc/guc-file.l", rule_pg_config, W_PG},
	{"PG-01", "PostgreSQL family", "semaphores needed",
	 "reports N (see IPC-05) and whether it is System V (SeaboxSQL, PostgreSQL <= 9.6) or POSIX (PostgreSQL >= 10 on Linux)", SEV_INFO,
	 "The server allocates one semaphore per process that may exist at once; the count follows the major version's formula.",
	 PGDOC "; postgres src/backend/storage/lmgr/proc.c ProcGlobalSemas()", rule_pg_semaphores, W_PG},
	{"PG-03", "PostgreSQL family", "shared memory and huge pages needed",
	 "running: size of the master's shared '/dev/zero (deleted)' or '/anon_hugepage (deleted)' mapping; stopped: estimate from shared_buffers, wal_buffers, processes and lock settings (PostgreSQL 15 fit, within 1 %); huge pages = floor(bytes / Hugepagesize) + 1", SEV_INFO,
	 "The main shared memory segment decides the huge page pool; PostgreSQL reports it as shared_memory_size_in_huge_pages.",
	 PGDOC ", 'Linux Huge Pages'; postgres src/backend/storage/ipc/ipci.c", rule_pg_shmem, W_PG},
	{"PG-09", "PostgreSQL family", "/dev/shm size",
	 "with dynamic_shared_memory_type = posix, the tmpfs on /dev/shm is at least 1 GiB (heuristic)", SEV_MEDIUM,
	 "Parallel query and other dynamic shared memory live in /dev/shm (dynamic_shared_memory_type = posix); a small tmpfs makes queries fail with 'could not resize shared memory segment'.",
	 "PostgreSQL docs, dynamic_shared_memory_type (heuristic threshold 1 GiB)", rule_pg_devshm, W_PG},
	{"PG-11", "PostgreSQL family", "data directory on NFS",
	 "an NFS data directory is mounted hard (no 'soft' or 'softerr')", SEV_CRITICAL,
	 "'The only firm requirement for using NFS with PostgreSQL is that the file system is mounted using the hard option': a soft mount returns I/O errors the server treats as data loss.",
	 "PostgreSQL docs, 'Creating a Database Cluster', 'File Systems'", rule_pg_nfs, W_PG},
	/* MySQL and MariaDB */
	{"MY-00", "MySQL/MariaDB", "option files read",
	 "the option files (/etc/my.cnf, /etc/mysql/my.cnf or --defaults-file, with !include and !includedir) parse; the server's command line overrides them", SEV_HIGH,
	 "kres computes the server's file needs from its own settings; option files it cannot read mean the figures use defaults.",
	 "MariaDB KB 'Configuring MariaDB with Option Files'; MySQL manual 'Using Option Files'", rule_my_config, W_MY},
	{"MY-01", "MySQL/MariaDB", "open files and the limits the server lowers",
	 "RLIMIT_NOFILE >= request. MariaDB 10.x: wanted = 30 + max_connections + extra_max_connections + 2 x table_open_cache x table_open_cache_instances + thread_pool_size (one-thread-per-connection), request = max(wanted, 5 x (max_connections + extra_max_connections), open_files_limit); files = min(request, RLIMIT_NOFILE); then instances = min(max((files - 30 - max_connections) / 2 / table_open_cache, 1), instances), max_connections = max(min(files - 30 - 2 x min(table_open_cache, 200) x instances, max_connections), 10), table_open_cache = min(max((files - 30 - max_connections) / 2 / instances, min(table_open_cache, 200)), table_open_cache), in unsigned arithmetic (a negative term clamps nothing). MySQL: request = max(10 + max_connections + 2 x table_open_cache, 5 x max_connections, open_files_limit or 5000), max_connections <= files - 810, table_open_cache <= max((files - 10 - max_connections) / 2, 400)", SEV_HIGH,
	 "With fewer descriptors than it asks for, the server silently lowers max_connections and table_open_cache at start and only logs 'Changed limits'; when the arithmetic underflows (MariaDB) nothing is lowered and connections fail with 'Too many open files' under load.",
	 "MariaDB sql/mysqld.cc init_common_variables (measured with MariaDB 10.11.19); MySQL sql/mysqld.cc adjust_open_files_limit, adjust_max_connections, adjust_table_cache_size", rule_my_open_files, W_MY},
	{"MY-02", "MySQL/MariaDB", "[mysqld_safe] settings under systemd",
	 "no open-files-limit, core-file-size or malloc-lib in [mysqld_safe] when systemd starts the server", SEV_MEDIUM,
	 "Under systemd the server is started without mysqld_safe, so those settings are silently ignored; /etc/security/limits.conf does not apply to services either.",
	 "MariaDB KB 'systemd'; MariaDB support-files/mariadb.service.in", rule_my_safe, W_MY},
	{"MY-03", "MySQL/MariaDB", "large pages for the buffer pool",
	 "with large_pages = ON: HugePages_Total >= ceil(innodb_buffer_pool_size / Hugepagesize); MySQL (SysV SHM_HUGETLB) also needs vm.hugetlb_shm_group = the mysql group or RLIMIT_MEMLOCK >= the pool", SEV_MEDIUM,
	 "Without enough huge pages the server falls back to normal pages with a warning, and the memory reserved for the pool is wasted.",
	 "MySQL manual 'Enabling Large Page Support'; MariaDB KB 'large_pages'", rule_my_large_pages, W_MY},
	{"MY-04", "MySQL/MariaDB", "fs.aio-max-nr",
	 "fs.aio-max-nr >= 1048576 and fs.aio-nr < 90 % of it", SEV_LOW,
	 "InnoDB's native AIO reserves io_setup() events host-wide; once fs.aio-nr reaches fs.aio-max-nr the next server fails to initialise AIO.",
	 "mysqltuner (aio-max-nr >= 1048576); fs/aio.c ioctx_alloc", rule_my_aio, W_MY},
	/* Redis */
	{"RD-00", "Redis", "configuration read",
	 "redis.conf (from the command line, the unit's ExecStart, or /etc/redis/redis.conf when its port matches the process title) parses", SEV_HIGH,
	 "Redis rewrites its process title, so the configuration file must be found elsewhere; without it kres assumes Redis's defaults.",
	 "redis src/config.c loadServerConfigFromString", rule_rd_config, W_RD},
	{"RD-01", "Redis", "vm.overcommit_memory = 1",
	 "vm.overcommit_memory = 1, as Redis checks at start", SEV_HIGH,
	 "BGSAVE and replication fork() the server; with overcommit 0 or 2 the fork can fail under memory pressure and persistence stops ('Memory overcommit must be enabled!').",
	 "redis src/syscheck.c checkOvercommit", rule_rd_overcommit, W_RD},
	{"RD-02", "Redis", "transparent huge pages",
	 "transparent_hugepage/enabled is not 'always', or disable-thp yes (Redis then turns THP off for itself with prctl)", SEV_MEDIUM,
	 "With THP 'always', fork() copy-on-write copies 2 MB pages and latency and memory use grow; Redis warns at start.",
	 "redis src/server.c linuxMemoryWarnings, THPDisable; src/syscheck.c checkTHPEnabled", rule_rd_thp, W_RD},
	{"RD-03", "Redis", "somaxconn >= tcp-backlog",
	 "net.core.somaxconn >= tcp-backlog (default 511)", SEV_MEDIUM,
	 "The kernel caps Redis's listen() backlog at somaxconn; Redis warns 'The TCP backlog setting of N cannot be enforced'.",
	 "redis src/server.c checkTcpBacklogSettings", rule_rd_backlog, W_RD},
	{"RD-04", "Redis", "open files for maxclients",
	 "RLIMIT_NOFILE >= maxclients + 32; otherwise Redis tries setrlimit(maxclients + 32 - 16 k) for k = 0, 1, ... and sets maxclients = limit - 32", SEV_HIGH,
	 "Redis lowers maxclients to what the descriptor limit allows and refuses clients beyond it ('max number of clients reached').",
	 "redis src/server.c adjustOpenFilesLimit; src/server.h CONFIG_MIN_RESERVED_FDS", rule_rd_maxclients, W_RD},
	{"RD-05", "Redis", "Redis memory in huge pages",
	 "AnonHugePages of the running server = 0", SEV_MEDIUM,
	 "Huge pages in Redis's heap make every fork for persistence copy 2 MB per touched page; LATENCY DOCTOR reports it.",
	 "redis src/latency.c THPGetAnonHugePagesSize", rule_rd_anon_huge, W_RD},
	/* Memory */
	{"MEM-01", "Memory", "vm.overcommit_memory",
	 "vm.overcommit_memory = 2, or the master at oom_score_adj -1000", SEV_MEDIUM,
	 "With heuristic or unlimited overcommit the kernel can run out of memory later and the OOM killer may kill the master, taking every connection down; PostgreSQL recommends strict overcommit (2), or protecting the master.",
	 PGDOC ", 'Linux Memory Overcommit'; Documentation/mm/overcommit-accounting.rst", rule_mem_overcommit, 0},
	{"MEM-02", "Memory", "commit limit",
	 "in mode 2: Committed_AS < 90 % of CommitLimit, where CommitLimit = (MemTotal - Hugetlb) x overcommit_ratio / 100 + SwapTotal, or overcommit_kbytes + SwapTotal; >= 100 % is critical", SEV_HIGH,
	 "In strict mode every allocation fails once Committed_AS reaches CommitLimit = (MemTotal - huge pages) x overcommit_ratio / 100 + swap; a huge page pool shrinks it.",
	 "Documentation/mm/overcommit-accounting.rst; Documentation/filesystems/proc.rst", rule_mem_commit, 0},
	{"MEM-03", "Memory", "swap",
	 "on a database host, swap in use <= 30 % of SwapTotal (KVM memory guide)", SEV_INFO,
	 "The OOM killer acts only when memory and swap are exhausted; a little swap gives time, much swap use means a swap storm.",
	 PGDOC ", 'Linux Memory Overcommit'", rule_mem_swap, 0},
	{"MEM-04", "Memory", "vm.swappiness",
	 "vm.swappiness <= 10 on a database host", SEV_LOW,
	 "A high swappiness swaps database memory out to keep page cache; database tuning profiles use 1 to 10.",
	 "tuned profiles postgresql (3), throughput-performance (10); mysqltuner", rule_mem_swappiness, 0},
	{"MEM-05", "Memory", "transparent huge pages",
	 "transparent_hugepage/enabled is not 'always' on a database host", SEV_LOW,
	 "THP 'always' adds latency spikes (khugepaged compaction, page faults of 2 MB) to a process-per-connection server with a large shared segment; the postgresql tuned profile sets 'never'.",
	 "tuned profile postgresql; Documentation/admin-guide/mm/transhuge.rst", rule_mem_thp, 0},
	{"MEM-06", "Memory", "THP defrag",
	 "transparent_hugepage/defrag is not 'always' on a database host", SEV_MEDIUM,
	 "defrag 'always' makes page faults stall in direct compaction when memory is fragmented.",
	 "Documentation/admin-guide/mm/transhuge.rst", rule_mem_thp_defrag, 0},
	{"MEM-07", "Memory", "vm.zone_reclaim_mode",
	 "vm.zone_reclaim_mode = 0 when there is more than one NUMA node", SEV_MEDIUM,
	 "On NUMA hosts zone reclaim drops page cache of the local node instead of using remote memory, hurting database caches.",
	 "Documentation/admin-guide/sysctl/vm.rst", rule_mem_zone_reclaim, 0},
	{"MEM-08", "Memory", "cgroup memory limit",
	 "the master's cgroup memory limit (smallest along its path) >= 1.25 x its shared segment", SEV_HIGH,
	 "A cgroup limit below the shared segment plus backends makes the cgroup OOM killer act long before the host runs out of memory.",
	 "Documentation/admin-guide/cgroup-v2.rst (memory.max); cgroup-v1/memory.rst", rule_mem_cgroup, W_PG},
	{"MEM-09", "Memory", "dirty writeback limits",
	 "on a database or NFS server: dirty background threshold <= 1 GiB and dirty threshold <= 4 GiB, each = *_bytes if set, else *_ratio % of MemAvailable (kres's heuristic)", SEV_LOW,
	 "Ratio-based limits on a large host let gigabytes of dirty pages build up; a checkpoint, fsync or NFS COMMIT then stalls while they are written.",
	 "Documentation/admin-guide/sysctl/vm.rst; tuned profile postgresql (64 MiB / 512 MiB)", rule_mem_dirty, 0},
	/* Huge pages */
	{"HP-01", "Huge pages", "huge page pool for the server",
	 "huge_pages = on or try: free - reserved pages of the size >= shared_memory_size_in_huge_pages; a running server on normal pages has fallen back. Severity: critical for 'on', medium for 'try' from 2 GiB, else low", SEV_CRITICAL,
	 "With huge_pages = on the server does not start unless the pool has enough free pages; with 'try' it silently falls back to normal pages.",
	 PGDOC ", 'Linux Huge Pages'", rule_hp_pool, W_PG},
	{"HP-02", "Huge pages", "idle huge page pool",
	 "no huge page pool is entirely idle (free - reserved = total)", SEV_MEDIUM,
	 "Huge pages are taken out of normal memory at reservation; a pool nothing uses is memory lost to every process.",
	 "Documentation/admin-guide/mm/hugetlbpage.rst", rule_hp_idle, 0},
	/* The OOM killer */
	{"OOM-01", "OOM killer", "master oom_score_adj",
	 "master oom_score_adj = -1000 (live, or OOMScoreAdjust of the unit when stopped); low severity in strict overcommit mode", SEV_MEDIUM,
	 "If the OOM killer picks the master, every session is lost; PostgreSQL recommends oom_score_adj -1000 for it.",
	 PGDOC ", 'Linux Memory Overcommit'", rule_oom_master, W_PG},
	{"OOM-02", "OOM killer", "children's oom_score_adj",
	 "a master below 0 has its OOM adjust file variable set (PG_OOM_ADJUST_FILE, SD_OOM_ADJUST_FILE) and no child below 0", SEV_HIGH,
	 "Children inherit the master's score unless the OOM adjust variables reset it; with every backend at -1000 the kernel can find no process to kill and the host hangs or panics.",
	 PGDOC ", 'Linux Memory Overcommit'; postgres src/backend/postmaster/fork_process.c", rule_oom_children, W_PG},
	{"OOM-03", "OOM killer", "unit OOMScoreAdjust without the reset",
	 "a unit with a negative OOMScoreAdjust also sets Environment=<OOM adjust file variable>=/proc/self/oom_score_adj", SEV_HIGH,
	 "OOMScoreAdjust in the unit without the OOM adjust file variable makes every future backend unkillable too.",
	 PGDOC "; systemd.exec(5) OOMScoreAdjust=", rule_oom_unit, W_PG},
	/* Limits */
	{"LIM-01", "Limits", "open files per process",
	 "soft RLIMIT_NOFILE >= max_files_per_process; below 58 (48 FD_MINFREE + 10 reserved) the server does not start", SEV_MEDIUM,
	 "Each server process keeps up to max_files_per_process files open; a lower RLIMIT_NOFILE makes it close and reopen files constantly, and below 58 descriptors the server does not start.",
	 PGDOC ", 'Resource Limits'; postgres src/backend/storage/file/fd.c", rule_lim_nofile, W_PG},
	{"LIM-02", "Limits", "processes of the server user",
	 "soft RLIMIT_NPROC >= N + 1 (the master)", SEV_HIGH,
	 "RLIMIT_NPROC counts every process of the user: below the server's process count new connections fail with 'could not fork new process'.",
	 PGDOC ", 'Resource Limits'", rule_lim_nproc, W_PG},
	{"LIM-03", "Limits", "systemd TasksMax",
	 "the unit's TasksMax (N, N% of min(kernel.pid_max, kernel.threads-max), default 15 %) >= N + 1", SEV_HIGH,
	 "TasksMax caps the tasks of the unit's cgroup; below the server's process count forks fail.",
	 "systemd.resource-control(5) TasksMax=", rule_lim_tasksmax, W_PG},
	{"LIM-04", "Limits", "fs.file-max against the worst case",
	 "fs.file-max >= sum of (N + 1) x max_files_per_process + handles allocated now", SEV_HIGH,
	 "fs.file-max caps open files on the host; every server process may hold max_files_per_process of them.",
	 PGDOC ", 'Resource Limits'", rule_lim_filemax, W_PG},
	{"LIM-05", "Limits", "open files on the host (fs.file-nr)",
	 "allocated file handles <= 80 % of fs.file-max (high above 95 %)", SEV_MEDIUM,
	 "When allocated file handles reach fs.file-max every open() on the host fails with ENFILE.",
	 "Documentation/admin-guide/sysctl/fs.rst (80 %/95 % thresholds are kres's)", rule_lim_filenr, 0},
	{"LIM-06", "Limits", "LimitNOFILE against fs.nr_open",
	 "the hard limit of the unit's LimitNOFILE (N or soft:hard) <= fs.nr_open",
	 SEV_HIGH,
	 "No process may raise RLIMIT_NOFILE above fs.nr_open: a unit asking for more fails to start at the limits step.",
	 "Documentation/admin-guide/sysctl/fs.rst (nr_open); setrlimit(2) EPERM; systemd.exec(5)", rule_lim_nr_open, W_PG},
	{"LIM-07", "Limits", "descriptors in use",
	 "open descriptors of each running MySQL, Redis or busy network service < 80 % of its soft RLIMIT_NOFILE (95 %: high)", SEV_MEDIUM,
	 "At the limit accept() and open() fail with EMFILE: new connections are dropped while the process looks healthy.",
	 "getrlimit(2); kres's thresholds", rule_lim_fds_used, W_MY | W_RD | W_NET},
	/* systemd */
	{"SYSD-01", "systemd", "logind RemoveIPC",
	 "under systemd: RemoveIPC=no (logind.conf and logind.conf.d, default yes), or the server's uid <= SYS_UID_MAX (login.defs; UID_MIN - 1; 999)", SEV_CRITICAL,
	 "With RemoveIPC=yes logind deletes all System V and POSIX IPC objects of a non-system user when its last session ends, pulling shared memory and semaphores from under the running server.",
	 PGDOC ", 'systemd RemoveIPC'; logind.conf(5)", rule_sysd_removeipc, W_PG},
	{"SYSD-02", "systemd", "unit OOMPolicy",
	 "on cgroup v2: the unit's OOMPolicy = continue (default stop)", SEV_MEDIUM,
	 "With OOMPolicy=stop (the default) systemd stops the whole unit when the kernel OOM-kills one of its processes; PostgreSQL would otherwise recover by itself.",
	 "systemd.service(5) OOMPolicy=; systemd-system.conf(5) DefaultOOMPolicy=", rule_sysd_oompolicy, W_PG},
	/* Virtual machines */
	{"VM-01", "Virtual machine", "hypervisor and vCPUs",
	 "reports the hypervisor (DMI, CPU flag, /sys/hypervisor, PCI ids, kernel command line) and vCPUs", SEV_INFO,
	 "Steal time, virtio drivers and host stalls change what the kernel reports and how it fails.",
	 "systemd src/basic/virt.c; reference vm-net-io.md section 3", rule_vm_hypervisor, 0},
	{"VM-02", "Virtual machine", "CPU steal",
	 "in a VM: steal < 10 % of CPU time since boot", SEV_MEDIUM,
	 "Steal is time the hypervisor did not run this vCPU; sustained steal causes latency, soft lockup reports and NIC TX timeouts.",
	 "Documentation/filesystems/proc.rst; netdata cpu.conf (10 % warning)", rule_vm_steal, 0},
	{"VM-03", "Virtual machine", "kernel.softlockup_panic",
	 "in a VM: kernel.softlockup_panic = 0; reports the soft lockup threshold 2 x kernel.watchdog_thresh", SEV_MEDIUM,
	 "Host stalls (live migration, CPU overcommit) produce spurious soft lockup reports in guests; softlockup_panic=1 turns each into a reboot.",
	 "Documentation/admin-guide/sysctl/kernel.rst", rule_vm_softlockup_panic, 0},
	{"VM-04", "Virtual machine", "kernel.hung_task_panic",
	 "kernel.hung_task_panic = 0 (high severity when a server's data is on NFS)", SEV_MEDIUM,
	 "A task blocked on slow storage for hung_task_timeout_secs makes hung_task_panic=1 reboot the host: a storage hiccup becomes an outage.",
	 "Documentation/admin-guide/sysctl/kernel.rst", rule_vm_hung_task_panic, 0},
	{"VM-05", "Virtual machine", "clocksource",
	 "with a database on the host: the current clocksource is not xen, hpet or acpi_pm when tsc is available",
	 SEV_LOW,
	 "Every timing call of the server (track_io_timing, EXPLAIN ANALYZE, statement timeouts) reads the clock; the xen, hpet and acpi_pm clocksources make each read a slow trap.",
	 "PostgreSQL docs, pg_test_timing; redis src/syscheck.c (xen clocksource check)", rule_vm_clocksource, 0},
	/* Storage */
	{"IO-01", "Storage", "I/O scheduler of the data device",
	 "the block device under each server's data directory uses none or mq-deadline (not bfq or cfq)", SEV_LOW,
	 "bfq and cfq share bandwidth fairly between processes at the cost of throughput and latency that a database needs.",
	 "MariaDB 'Configuring Linux for MariaDB'; RHEL 'Setting the disk scheduler'", rule_io_scheduler, W_DB},
	/* The kernel NFS server, and databases on NFS */
	{"NFS-01", "NFS", "nfsd threads against vCPUs",
	 "in a VM, /proc/fs/nfsd/threads <= 4 x online vCPUs (kres's threshold, from an incident: 64 threads on 8 vCPUs soft-locked, 8 fixed it)", SEV_MEDIUM,
	 "nfsd threads run in the kernel; many of them under I/O load on few vCPUs, with the host stealing time, trigger soft lockups and NIC TX timeouts.",
	 "nfs-utils utils/nfsd/nfsd.c (default 8 threads); nfs.conf(5); reference vm-net-io.md", rule_nfs_threads, W_NFSD},
	{"NFS-02", "NFS", "nfsd threads keep up",
	 "sockets-enqueued <= 10 % of packets-arrived in /proc/fs/nfsd/pool_stats (summed over pools, at least 1000 arrivals)", SEV_LOW,
	 "An arrival is enqueued when no nfsd thread is idle; a high share means requests wait for threads.",
	 "net/sunrpc/svc_xprt.c svc_xprt_enqueue, svc_pool_stats_show", rule_nfs_pool, W_NFSD},
	{"NFS-03", "NFS", "exports are sync",
	 "no export in /etc/exports, /etc/exports.d/*.exports or the kernel's table uses async", SEV_MEDIUM,
	 "async acknowledges writes before they are on disk: a server crash silently loses data clients committed.",
	 "exports(5) sync/async", rule_nfs_exports, W_NFSD},
	{"NFS-04", "NFS", "MySQL or Redis data on NFS",
	 "a MySQL or Redis data directory on NFS is mounted hard (no soft or softerr)", SEV_CRITICAL,
	 "A soft mount returns EIO when the NFS server is slow; the database treats it as a failed write or a corrupt page.",
	 "nfs(5) soft/hard; NetApp database NFS mount options", rule_nfs_db_hard, W_MY | W_RD},
	/* Network: listen backlogs of the servers, then host-wide limits of busy services */
	{"NET-01", "Network", "net.core.somaxconn against the listen backlog",
	 "net.core.somaxconn >= the server's listen backlog: 2 x max_connections (16+), min(2 x MaxBackends, 10000) before", SEV_MEDIUM,
	 "The kernel silently caps the server's listen() backlog at somaxconn; under a connection storm clients get refused or time out.",
	 PGDOC ", 'Resource Limits'; postgres src/backend/libpq/pqcomm.c", rule_net_somaxconn, W_PG},
	{"NET-02", "Network", "net.ipv4.tcp_max_syn_backlog",
	 "net.ipv4.tcp_max_syn_backlog >= the largest listen backlog of the servers", SEV_LOW,
	 "Half-open connections beyond tcp_max_syn_backlog are dropped (or answered with syncookies) before the accept queue can help.",
	 "Documentation/networking/ip-sysctl.rst", rule_net_synbacklog, W_PG},
	{"NET-03", "Network", "per-CPU receive backlog",
	 "no drops in /proc/net/softnet_stat column 2 (the input queue of net.core.netdev_max_backlog packets)", SEV_MEDIUM,
	 "Packets arriving faster than the softirq handles them are dropped before any socket sees them; TCP retransmits and latency jumps.",
	 "net/core/net-procfs.c softnet_seq_show; Documentation/admin-guide/sysctl/net.rst", rule_net_softnet, 0},
	{"NET-04", "Network", "TCP memory",
	 "sockstat 'TCP: mem' < 80 % of tcp_mem pressure (>= pressure: medium, >= max: high)", SEV_MEDIUM,
	 "Above the pressure threshold the kernel shrinks socket buffers; at the maximum it drops data and logs 'TCP: out of memory -- consider tuning tcp_mem'.",
	 "Documentation/networking/ip-sysctl.rst tcp_mem; net/ipv4/proc.c", rule_net_tcp_mem, 0},
	{"NET-05", "Network", "ephemeral ports per destination",
	 "for every (local address, remote address, remote port): sockets with a local port in ip_local_port_range <= 50 % of the range (90 %: high)", SEV_MEDIUM,
	 "Each outbound connection to one destination needs its own local port; when the range is used up connect() fails with EADDRNOTAVAIL.",
	 "Documentation/networking/ip-sysctl.rst ip_local_port_range; tuned profile oracle", rule_net_ports, 0},
	{"NET-06", "Network", "conntrack table",
	 "nf_conntrack_count < 80 % of nf_conntrack_max (95 %: high)", SEV_MEDIUM,
	 "A full conntrack table drops new connections ('nf_conntrack: table full, dropping packet').",
	 "Documentation/networking/nf_conntrack-sysctl.rst", rule_net_conntrack, 0},
	{"NET-07", "Network", "NIC queues and rings",
	 "with ethtool's answer: channels >= min(vCPUs, driver maximum) and rx ring = its maximum; otherwise the queue count is reported", SEV_LOW,
	 "One receive queue puts every receive interrupt on one vCPU; a short ring overflows in bursts (virtio-net and ENA drop frames and count rx errors).",
	 "ethtool(8) -L/-G; include/uapi/linux/ethtool.h ETHTOOL_GCHANNELS, ETHTOOL_GRINGPARAM", rule_net_nic, 0},
	/* Conflicts; FIX-01 runs last: it compares the fixes of everything above. */
	{"FIX-02", "Conflicts", "host policies two workloads want differently",
	 "vm.overcommit_memory: PostgreSQL wants 2 or its master protected, Redis requires 1: with both, every master must be protected; THP: reported when several kinds of server share the host", SEV_MEDIUM,
	 "Some kernel settings are host-wide: two services that need different values cannot both be satisfied unless one of them has an alternative.",
	 "reference db-kernel-readiness.md section 3; PostgreSQL docs 'Linux Memory Overcommit'; redis src/syscheck.c", rule_fix_policies, 0},
	{"FIX-01", "Conflicts", "fixes that disagree",
	 "no two failing findings ask for different values of the same setting in the same file (a sysctl key, a unit directive, an Environment variable)",
	 SEV_MEDIUM,
	 "Two services or rules that need different values of one setting cannot both be satisfied; kres reports the conflict instead of choosing for you.",
	 "reference db-kernel-readiness.md section 3 (conflicting workload requirements)", rule_fix_conflicts, 0},
};
const size_t check_nrules = sizeof(check_rules) / sizeof(check_rules[0]);

/* The key of a persistent line: "key" of "key = value", "Key" of "Key=value", and
 * "Environment=NAME" of "Environment=NAME=value". Returns its length, 0 if none. */
static size_t line_key(const char *l, size_t n)
{
	const char *eq = memchr(l, '=', n);
	if (!eq || l[0] == '[')
		return 0;
	if (n > 12 && !strncmp(l, "Environment=", 12)) {
		const char *eq2 = memchr(eq + 1, '=', n - (size_t)(eq + 1 - l));
		return eq2 ? (size_t)(eq2 - l) : 0;
	}
	size_t k = (size_t)(eq - l);
	while (k && l[k - 1] == ' ')
		k--;
	return k;
}

/* True when a and b set the same key of their fix file to different values; out
 * then describes the two lines and their rules. */
static bool same_key_other_value(const struct finding *a, const struct finding *b, char *out,
				 size_t n)
{
	for (const char *p = a->fix_persist; *p;) {
		size_t la = strcspn(p, "\n"), ka = line_key(p, la);
		for (const char *q = b->fix_persist; ka && *q;) {
			size_t lb = strcspn(q, "\n"), kb = line_key(q, lb);
			if (kb == ka && !strncmp(p, q, ka) && (la != lb || strncmp(p, q, la))) {
				snprintf(out, n, "%s: '%.*s' (%s) and '%.*s' (%s)", a->fix_file, (int)la, p,
					 a->rule->id, (int)lb, q, b->rule->id);
				return true;
			}
			q += lb + (q[lb] == '\n');
		}
		p += la + (p[la] == '\n');
	}
	return false;
}

void rule_fix_conflicts(struct check_ctx *c, const struct rule *r)
{
	size_t n = c->nf, found = 0;
	for (size_t i = 0; i < n; i++) {
		const struct finding *a = &c->f[i];
		if (a->status != FS_FAIL || !a->fix_file || !a->fix_persist)
			continue;
		for (size_t k = i + 1; k < n; k++) {
			const struct finding *b = &c->f[k];
			char what[640];
			if (b->status != FS_FAIL || !b->fix_file || !b->fix_persist ||
			    strcmp(a->fix_file, b->fix_file) || !same_key_other_value(a, b, what, sizeof(what)))
				continue;
			char subj[640];
			snprintf(subj, sizeof(subj), "%s / %s", c->f[i].subject, c->f[k].subject);
			struct finding *f = finding_add(c, r, FS_FAIL, subj, "conflicting fixes in %s", what);
			finding_set(f, FF_NOTE, "choose one value: kres does not resolve conflicts between services");
			found++;
			a = &c->f[i]; /* finding_add may have moved the array */
		}
	}
	if (!found)
		finding_add(c, r, FS_OK, "host", "the proposed fixes agree");
}

/* The workloads present, as a W_* mask. */
static unsigned present(const struct check_ctx *c)
{
	return (c->npg ? W_PG : 0) | (c->nmy ? W_MY : 0) | (c->nrd ? W_RD : 0) |
	       (c->nfsd_running ? W_NFSD : 0) | (c->nnet ? W_NET : 0);
}

/* The finding of a rule whose workload was not found. */
static void rule_no_service(struct check_ctx *c, const struct rule *r)
{
	static const char *const names[] = {"PostgreSQL-family server", "MySQL or MariaDB server",
					    "Redis server", "running kernel NFS server",
					    "busy network service"};
	char what[160] = "";
	for (unsigned b = 0; b < sizeof(names) / sizeof(names[0]); b++)
		if (r->needs & (1u << b)) {
			size_t l = strlen(what);
			snprintf(what + l, sizeof(what) - l, "%s%s", l ? " or " : "", names[b]);
		}
	struct finding *f = finding_add(c, r, FS_SKIP, "host", "no %s found", what);
	f->quiet = true;
	finding_set(f, FF_NOTE, "nothing running under /proc and no --conf given; this rule audits "
				"what such a service needs");
}

void check_run(struct check_ctx *c)
{
	/* A caller that read no network or NFS state (a unit test) gets "unavailable". */
	static struct netstate no_net;
	static struct nfsd_state no_nfsd;
	if (!c->net) {
		struct src *v[] = {&no_net.sockstat_src, &no_net.tcp_mem_src, &no_net.port_range_src,
				   &no_net.tcp_src, &no_net.tcp6_src, &no_net.softnet_src,
				   &no_net.ct_count_src, &no_net.ct_max_src, &no_net.backlog_src,
				   &no_net.budget_src, &no_net.orphans_src, &no_net.nics_src};
		for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
			v[i]->state = SRC_UNAVAILABLE;
		c->net = &no_net;
	}
	if (!c->nfsd) {
		no_nfsd.threads_src.state = no_nfsd.stats_src.state = no_nfsd.conf_src.state =
			no_nfsd.exports_src.state = no_nfsd.kexports_src.state = SRC_UNAVAILABLE;
		c->nfsd = &no_nfsd;
	}
	for (size_t i = 0; i < check_nrules; i++) {
		const struct rule *r = &check_rules[i];
		if (r->needs && !(r->needs & present(c)))
			rule_no_service(c, r);
		else
			r->fn(c, r);
	}
}

bool rule_sysctl(struct check_ctx *c, const struct rule *r, const char *subject, enum sc_key k,
		 uint64_t *v)
{
	const struct sysctl_val *sv = &c->h->sc.k[k];
	if (sv->state == SRC_OK) {
		*v = sv->v[0];
		return true;
	}
	struct finding *f = finding_add(c, r, FS_UNKNOWN, subject, "%s is %s", sysctl_name(k),
					sv->state == SRC_UNAVAILABLE ? "unavailable" : "unreadable");
	finding_set(f, FF_SOURCE, "%s", rootfs_show(c->h->root, sysctl_path(k)));
	finding_set(f, FF_NOTE, "%s", sv->err[0] ? sv->err : "the file is missing");
	return false;
}

struct finding *rule_sysctl_atleast(struct check_ctx *c, const struct rule *r, const char *subject,
				    enum sc_key k, uint64_t need, const char *what,
				    const char *formula)
{
	uint64_t v;
	if (!rule_sysctl(c, r, subject, k, &v))
		return NULL;
	bool ok = v >= need;
	const char *name = sysctl_name(k);
	struct finding *f = finding_add(c, r, ok ? FS_OK : FS_FAIL, subject, "%s %llu %s %llu%s%s needed",
					name, (unsigned long long)v, ok ? ">=" : "<",
					(unsigned long long)need, what[0] ? " " : "", what);
	finding_set(f, FF_OBSERVED, "%s = %llu", name, (unsigned long long)v);
	finding_set(f, FF_SOURCE, "%s", rootfs_show(c->h->root, sysctl_path(k)));
	finding_set(f, FF_REQUIRED, "%s >= %llu", name, (unsigned long long)need);
	if (formula)
		finding_set(f, FF_FORMULA, "%s", formula);
	if (!ok) {
		char val[32];
		snprintf(val, sizeof(val), "%llu", (unsigned long long)need);
		finding_fix_sysctl(f, name, val);
	}
	return f;
}

const char *fmt_bytes(uint64_t b, char *buf, size_t n)
{
	static const char *const unit[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
	if (b < 1024) {
		snprintf(buf, n, "%llu bytes", (unsigned long long)b);
		return buf;
	}
	double v = (double)b / 1024;
	size_t u = 0;
	while (v >= 1024 && u + 1 < sizeof(unit) / sizeof(unit[0]))
		v /= 1024, u++;
	snprintf(buf, n, v < 10 ? "%.1f %s" : "%.0f %s", v, unit[u]);
	return buf;
}

const char *pg_subj(const struct check_ctx *c, size_t i, char *buf, size_t n)
{
	pg_subject(&c->pg[i], buf, n);
	return buf;
}


const char *unit_dropin_name(const char *unit, char *buf, size_t n)
{
	if (unit[0])
		snprintf(buf, n, "/etc/systemd/system/%s.d/override.conf", unit);
	else
		snprintf(buf, n, "/etc/systemd/system/<the server's unit>.d/override.conf");
	return buf;
}

const char *unit_dropin(const struct pg_instance *in, char *buf, size_t n)
{
	return unit_dropin_name(in->unit, buf, n);
}

size_t check_ndb(const struct check_ctx *c)
{
	return c->npg + c->nmy + c->nrd;
}
