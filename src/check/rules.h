/* SPDX-License-Identifier: MIT */
/* Internal to the rules: the rule functions of each area and the helpers they
 * share. Not used outside src/check/. */
#ifndef KRES_RULES_H
#define KRES_RULES_H

#include <stdint.h>

#include "check/check.h"
#include "workload/svc.h"

/* A master at or below this oom_score_adj is protected: -1000 per the PostgreSQL
 * docs, -900 as Debian's pg_ctlcluster writes it (the kernel then discounts 90 % of
 * memory from its badness, so it is chosen last). */
#define OOM_PROTECTED (-900)

/* If sysctl k was read, stores its first number in *v and returns true; otherwise
 * records an UNKNOWN finding (the key is missing or broken) and returns false. */
bool rule_sysctl(struct check_ctx *c, const struct rule *r, const char *subject,
		 enum sc_key k, uint64_t *v);
/* The common shape "sysctl k must be at least need": reads k (UNKNOWN finding if it
 * cannot), adds an OK or FAIL finding with evidence, requirement, formula (may be
 * NULL) and, when failing, the sysctl fix. what names the unit of need ("pages").
 * Returns the finding, or NULL when k was unreadable. */
struct finding *rule_sysctl_atleast(struct check_ctx *c, const struct rule *r, const char *subject,
				    enum sc_key k, uint64_t need, const char *what,
				    const char *formula);
/* "1.5 GiB", "512 MiB", "48 bytes" */
const char *fmt_bytes(uint64_t bytes, char *buf, size_t n);
/* The subject line of instance i. */
const char *pg_subj(const struct check_ctx *c, size_t i, char *buf, size_t n);
/* What the limit helpers need of any server, whatever its workload. */
struct svc_view {
	const char *unit;          /* "" when none */
	const struct unit_info *ui;
	bool have_unit;
	int64_t pid;               /* 0: not running */
	bool have_limits;
	const struct pid_limits *lim;
};
struct svc_view pg_view(const struct pg_instance *in);
/* The view of a server kept as a struct svc_proc (MySQL, Redis, network services). */
struct svc_view svc_view_of(const char *unit, const struct unit_info *ui, bool have_unit,
			    const struct svc_proc *p);
/* True when the PostgreSQL-family master is protected from the OOM killer (at or
 * below OOM_PROTECTED), live or by its unit's OOMScoreAdjust. */
bool pg_master_protected(const struct pg_instance *in);
/* The soft limit of a server: live from /proc/PID/limits, else from the unit's
 * setting ("N" or "soft:hard"). Returns false when neither is known. */
bool svc_limit(const struct svc_view *v, enum pl_limit pl, enum unit_key uk,
	       uint64_t *soft, char *from, size_t n);
/* A limit fix: a unit drop-in under systemd, else the ulimit line for the root-owned
 * script that starts the server (ulimit_opt: "n" files, "u" processes, "l" memlock). */
void svc_limit_fix(struct check_ctx *c, struct finding *f, const struct svc_view *v,
		   const char *key, const char *ulimit_opt, const char *val);
/* sd_booted(): systemd is PID 1 when /run/systemd/system exists. */
bool systemd_booted(const struct check_ctx *c);
/* The systemd drop-in for a unit name ("" → a placeholder). */
const char *unit_dropin_name(const char *unit, char *buf, size_t n);

/* The systemd drop-in a service fix goes to: /etc/systemd/system/<unit>.d/override.conf,
 * the file `systemctl edit <unit>` opens, so the fix merges with the admin's own. */
const char *unit_dropin(const struct pg_instance *in, char *buf, size_t n);

void rule_ipc_shmmax(struct check_ctx *c, const struct rule *r);
void rule_ipc_shmall(struct check_ctx *c, const struct rule *r);
void rule_ipc_shmmni(struct check_ctx *c, const struct rule *r);
void rule_ipc_semmsl(struct check_ctx *c, const struct rule *r);
void rule_ipc_semmns(struct check_ctx *c, const struct rule *r);
void rule_ipc_semmni(struct check_ctx *c, const struct rule *r);

void rule_pg_config(struct check_ctx *c, const struct rule *r);
void rule_pg_semaphores(struct check_ctx *c, const struct rule *r);
void rule_pg_shmem(struct check_ctx *c, const struct rule *r);
void rule_pg_devshm(struct check_ctx *c, const struct rule *r);
void rule_pg_nfs(struct check_ctx *c, const struct rule *r);

void rule_mem_overcommit(struct check_ctx *c, const struct rule *r);
void rule_mem_commit(struct check_ctx *c, const struct rule *r);
void rule_mem_swap(struct check_ctx *c, const struct rule *r);
void rule_mem_swappiness(struct check_ctx *c, const struct rule *r);
void rule_mem_thp(struct check_ctx *c, const struct rule *r);
void rule_mem_thp_defrag(struct check_ctx *c, const struct rule *r);
void rule_mem_zone_reclaim(struct check_ctx *c, const struct rule *r);
void rule_mem_cgroup(struct check_ctx *c, const struct rule *r);

void rule_hp_pool(struct check_ctx *c, const struct rule *r);
void rule_hp_idle(struct check_ctx *c, const struct rule *r);

void rule_oom_master(struct check_ctx *c, const struct rule *r);
void rule_oom_children(struct check_ctx *c, const struct rule *r);
void rule_oom_unit(struct check_ctx *c, const struct rule *r);

void rule_lim_nofile(struct check_ctx *c, const struct rule *r);
void rule_lim_nproc(struct check_ctx *c, const struct rule *r);
void rule_lim_tasksmax(struct check_ctx *c, const struct rule *r);
void rule_lim_filemax(struct check_ctx *c, const struct rule *r);
void rule_lim_filenr(struct check_ctx *c, const struct rule *r);
void rule_lim_nr_open(struct check_ctx *c, const struct rule *r);

void rule_sysd_removeipc(struct check_ctx *c, const struct rule *r);
void rule_sysd_oompolicy(struct check_ctx *c, const struct rule *r);

void rule_vm_hypervisor(struct check_ctx *c, const struct rule *r);
void rule_vm_steal(struct check_ctx *c, const struct rule *r);
void rule_vm_softlockup_panic(struct check_ctx *c, const struct rule *r);
void rule_vm_hung_task_panic(struct check_ctx *c, const struct rule *r);
void rule_vm_clocksource(struct check_ctx *c, const struct rule *r);

void rule_net_somaxconn(struct check_ctx *c, const struct rule *r);
void rule_net_synbacklog(struct check_ctx *c, const struct rule *r);

void rule_fix_conflicts(struct check_ctx *c, const struct rule *r);
void rule_fix_policies(struct check_ctx *c, const struct rule *r);

void rule_my_config(struct check_ctx *c, const struct rule *r);
void rule_my_open_files(struct check_ctx *c, const struct rule *r);
void rule_my_safe(struct check_ctx *c, const struct rule *r);
void rule_my_large_pages(struct check_ctx *c, const struct rule *r);
void rule_my_aio(struct check_ctx *c, const struct rule *r);

void rule_rd_config(struct check_ctx *c, const struct rule *r);
void rule_rd_overcommit(struct check_ctx *c, const struct rule *r);
void rule_rd_thp(struct check_ctx *c, const struct rule *r);
void rule_rd_backlog(struct check_ctx *c, const struct rule *r);
void rule_rd_maxclients(struct check_ctx *c, const struct rule *r);
void rule_rd_anon_huge(struct check_ctx *c, const struct rule *r);

void rule_lim_fds_used(struct check_ctx *c, const struct rule *r);
void rule_mem_dirty(struct check_ctx *c, const struct rule *r);
void rule_io_scheduler(struct check_ctx *c, const struct rule *r);
void rule_nfs_db_hard(struct check_ctx *c, const struct rule *r);
void rule_nfs_threads(struct check_ctx *c, const struct rule *r);
void rule_nfs_pool(struct check_ctx *c, const struct rule *r);
void rule_nfs_exports(struct check_ctx *c, const struct rule *r);
void rule_net_softnet(struct check_ctx *c, const struct rule *r);
void rule_net_tcp_mem(struct check_ctx *c, const struct rule *r);
void rule_net_ports(struct check_ctx *c, const struct rule *r);
void rule_net_conntrack(struct check_ctx *c, const struct rule *r);
void rule_net_nic(struct check_ctx *c, const struct rule *r);

#endif
