/* SPDX-License-Identifier: MIT */
/* The PostgreSQL family: a flavor table (PostgreSQL, SeaboxSQL), discovery of running
 * masters under /proc, their configuration, and what an instance needs from the
 * kernel — semaphores, shared memory, huge pages, processes, file descriptors —
 * with the version-exact formulas of PostgreSQL's source. */
#ifndef KRES_PGFAMILY_H
#define KRES_PGFAMILY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host/cgroup.h"
#include "host/host.h"
#include "host/mounts.h"
#include "host/proc.h"
#include "host/unit.h"
#include "workload/pgconf.h"

/* How a flavor counts its semaphores. */
enum pg_semmodel {
	PGSEM_POSTGRESQL, /* by PostgreSQL major version (reference §2.1) */
	PGSEM_SEABOX,     /* SeaboxSQL's documented formula */
};

struct pg_flavor {
	const char *id;             /* "postgresql", "seaboxsql" */
	const char *display;        /* "PostgreSQL" */
	const char *master_comm[2]; /* comm of the master ("postgres", "postmaster") */
	const char *backend_comm;   /* comm of its children ("postgres", "seaboxs") */
	const char *conf_name;      /* main configuration file in the data directory */
	const char *auto_conf_name; /* ALTER SYSTEM file in the data directory */
	const char *data_env;       /* environment variable naming the data directory */
	const char *oom_file_env;   /* e.g. PG_OOM_ADJUST_FILE */
	const char *oom_value_env;  /* e.g. PG_OOM_ADJUST_VALUE */
	enum pg_semmodel semmodel;
	bool sysv_semaphores;       /* true: SysV semaphores regardless of version */
};

const struct pg_flavor *pg_flavor_find(const char *id);
extern const struct pg_flavor pg_flavors[];
extern const size_t pg_nflavors;

/* An integer setting and where its value came from. */
struct pg_val {
	int64_t v;
	char origin[288]; /* "'/etc/postgresql/15/main/postgresql.conf' line 65", "default" ... */
};

/* What the live master process shows; all zero when the instance is not running. */
struct pg_live {
	int64_t pid;
	struct pid_status st;
	bool have_limits;
	struct pid_limits lim;
	bool have_oom;
	int oom_adj;
	bool have_environ;           /* environ was readable (needs the same uid or root) */
	char oom_file[256];          /* value of the flavor's OOM file variable, "" if unset */
	char oom_value[32];
	bool oom_file_set, oom_value_set;
	bool have_maps;
	struct pid_maps maps;
	bool have_cgroup;
	struct pid_cgroup cg;
	struct cg_memlimit memlimit;
	size_t nchildren;            /* direct children of the master */
	size_t children_oom_read;    /* children whose oom_score_adj was read */
	int child_oom_min, child_oom_max;
	size_t children_oom_negative;
	bool have_mounts;
	struct mounts mounts;        /* the master's mount namespace */
};

struct pg_instance {
	const struct pg_flavor *fl;
	int major;                /* 0 when unknown */
	char version[16];         /* as PG_VERSION says it ("15", "9.6"); "" when unknown */
	char version_origin[288]; /* where the version came from */
	char datadir[256];        /* "" when unknown */
	char conffile[256];
	struct pgconf conf;
	bool conf_ok;
	int conf_rc;              /* pgconf_load(): -EINVAL a broken file, other -errno unreadable */
	char conf_err[320];
	bool overridden;          /* settings changed with --set: the live state no longer applies */
	char user[64];            /* the OS user that runs (or owns) the server */
	bool have_uid;
	uint32_t uid;
	char unit[128];           /* systemd unit, "" when none */
	struct unit_info unit_info;
	bool have_unit;
	struct pg_live live;

	/* Settings, resolved with the version's defaults. */
	struct pg_val max_connections, autovacuum_workers, max_worker_processes, max_wal_senders,
		max_files_per_process, shared_buffers, wal_buffers, huge_page_size,
		max_locks_per_transaction, max_pred_locks_per_transaction,
		max_prepared_transactions;
	char autovacuum_workers_name[32]; /* autovacuum_max_workers, or autovacuum_worker_slots (18) */
	char huge_pages[16];              /* on / off / try */
	char huge_pages_origin[288];
	char shared_memory_type[16];      /* mmap / sysv */
	char dsm_type[16];                /* dynamic_shared_memory_type */
};

/* What one instance needs from the kernel. Formulas are kept as text for findings. */
struct pg_needs {
	bool sysv_sem;       /* semaphores are System V (else POSIX: no kernel limit) */
	int64_t nsems;       /* semaphores the server allocates (ProcGlobalSemas) */
	int64_t sem_per_set; /* usable semaphores per SysV set (SEMAS_PER_SET) */
	int64_t sets;        /* SysV sets: ceil(nsems / sem_per_set) */
	int64_t semmns;      /* sets * (sem_per_set + 1) */
	int64_t semmsl;      /* sem_per_set + 1 */
	char sem_formula[384];

	int64_t procs;       /* processes the server may run: nsems + the master */
	char procs_formula[256];

	uint64_t shm_bytes;  /* main shared memory segment */
	bool shm_measured;   /* from the live master's mapping, not estimated */
	bool shm_on_huge;    /* the live mapping is already backed by huge pages */
	char shm_formula[384];
	uint64_t sysv_shm_bytes; /* System V shared memory it needs */
	uint64_t hp_size_kb;     /* huge page size it would use */
	int64_t hp_pages;        /* huge pages needed; -1 when no huge page size is known */
	char hp_formula[256];

	int64_t fds_worst;   /* procs * max_files_per_process */
	int64_t backlog;     /* listen() backlog the server asks for */
	char backlog_formula[192];
};

/* Finds running masters of every flavor under /proc and fills one instance each
 * (configuration and live state). Returns the count; *out is owned by the caller
 * (pg_instances_free). Never fails: problems are recorded per instance. */
size_t pg_discover(const struct rootfs *r, const struct host *h, struct pg_instance **out);

/* Builds one instance from a configuration file given on the command line (no
 * running server): conf is loaded, data directory from datadir or data_directory,
 * version from major (0 = read PG_VERSION), extra settings from sets ("name=value",
 * nsets of them). */
void pg_from_conf(const struct rootfs *r, const struct host *h, const struct pg_flavor *fl,
		  const char *conf, const char *datadir, int major, struct pg_instance *in);
/* Applies name=value overrides (from --set) and re-resolves the settings. Returns
 * -EINVAL with a message in err when an item has no '=', names a setting kres does
 * not use, or has a value that setting cannot take. */
int pg_apply_sets(struct pg_instance *in, char *const *sets, size_t nsets, char *err, size_t n);
void pg_instances_free(struct pg_instance *v, size_t n);

/* Resolves the settings of in from its configuration and version defaults. */
void pg_resolve(struct pg_instance *in);
/* Computes what the instance needs. */
void pg_compute_needs(const struct pg_instance *in, const struct host *h, struct pg_needs *nd);

/* The number of semaphores a server allocates, and its SysV set size, by model and
 * version (exposed for the unit tests' version matrix). formula gets the arithmetic. */
int64_t pg_semaphores(enum pg_semmodel model, int major, int64_t max_connections,
		      int64_t autovacuum, int64_t max_worker_processes, int64_t max_wal_senders,
		      int64_t *sem_per_set, char *formula, size_t n);
/* Estimated size of the main shared memory segment from the settings (bytes). */
uint64_t pg_estimate_shmem(const struct pg_instance *in, char *formula, size_t n);
/* PostgreSQL's shared_memory_size_in_huge_pages: floor(bytes / page) + 1. */
int64_t pg_huge_pages_for(uint64_t bytes, uint64_t hp_size_kb);
/* "PostgreSQL 15 (pid 1234, /var/lib/postgresql/15/main)" */
void pg_subject(const struct pg_instance *in, char *out, size_t n);

#endif
