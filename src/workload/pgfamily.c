// SPDX-License-Identifier: MIT
/* PostgreSQL-family flavors, settings with their version defaults, and the formulas
 * for what an instance needs from the kernel. Discovery of running servers is in
 * pgdiscover.c. */
#include "workload/pgfamily.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xalloc.h"
#include "util/banned.h"

/* One row per flavor. SeaboxSQL's names and its semaphore formula come from its
 * "Managing Kernel Resources" chapter; it documents System V semaphores. */
const struct pg_flavor pg_flavors[] = {
	/* Stock PostgreSQL: POSIX semaphores on Linux since 10 (posix_sema.c). */
	{"postgresql", "PostgreSQL", {"postgres", "postmaster"}, "postgres", "postgresql.conf",
	 "postgresql.auto.conf", "PGDATA", "PG_OOM_ADJUST_FILE", "PG_OOM_ADJUST_VALUE",
	 PGSEM_POSTGRESQL, false},
	/* SeaboxSQL: master "seaboxmaster", backends "seaboxs", $SDDATA, SD_OOM_ADJUST_*. */
	{"seaboxsql", "SeaboxSQL", {"seaboxmaster", NULL}, "seaboxs", "seaboxsql.conf",
	 "seaboxsql.auto.conf", "SDDATA", "SD_OOM_ADJUST_FILE", "SD_OOM_ADJUST_VALUE",
	 PGSEM_SEABOX, true},
};
const size_t pg_nflavors = ARRAY_SIZE(pg_flavors);

const struct pg_flavor *pg_flavor_find(const char *id)
{
	for (size_t i = 0; i < pg_nflavors; i++)
		if (!strcasecmp(pg_flavors[i].id, id))
			return &pg_flavors[i];
	return NULL;
}

/* Integer settings with their base unit and default. Defaults are PostgreSQL's
 * (src/backend/utils/misc/guc_tables.c) and hold for 12 to 18 unless the resolver
 * says otherwise; a fork inherits them unless its configuration sets a value. */
struct int_guc {
	const char *name;
	size_t off; /* offset of the struct pg_val in struct pg_instance */
	enum pg_unit unit;
	int64_t def;
};

#define IG(field, unit, def) {#field, offsetof(struct pg_instance, field), unit, def}
static const struct int_guc int_gucs[] = {
	IG(max_connections, PGU_NONE, 100),
	IG(max_worker_processes, PGU_NONE, 8),
	IG(max_wal_senders, PGU_NONE, 10), /* 10 since PostgreSQL 10 */
	IG(max_files_per_process, PGU_NONE, 1000),
	IG(shared_buffers, PGU_BLOCKS, 16384), /* 128MB */
	IG(wal_buffers, PGU_BLOCKS, -1),       /* -1: 1/32 of shared_buffers */
	IG(huge_page_size, PGU_KB, 0),         /* 0: the kernel's default size */
	IG(max_locks_per_transaction, PGU_NONE, 64),
	IG(max_pred_locks_per_transaction, PGU_NONE, 64),
	IG(max_prepared_transactions, PGU_NONE, 0),
};

static void set_origin(char *dst, size_t n, const struct pg_guc *g)
{
	if (!g)
		snprintf(dst, n, "default");
	else if (g->line)
		snprintf(dst, n, "'%s' line %u", g->file, g->line);
	else
		snprintf(dst, n, "%s", g->file);
}

/* Resolves one integer setting; a malformed value keeps the default and says so. */
static void resolve_int(struct pg_instance *in, const char *name, enum pg_unit unit, int64_t def,
			struct pg_val *out)
{
	const struct pg_guc *g = pgconf_get(&in->conf, name);
	out->v = def;
	set_origin(out->origin, sizeof(out->origin), g);
	if (g && pg_parse_int(g->value, unit, &out->v) < 0) {
		out->v = def;
		snprintf(out->origin, sizeof(out->origin), "default (the value '%.40s' in '%.120s' line %u is invalid)",
			 g->value, g->file, g->line);
	}
}

static void resolve_str(struct pg_instance *in, const char *name, const char *def, char *out,
			size_t n, char *origin, size_t on)
{
	const struct pg_guc *g = pgconf_get(&in->conf, name);
	snprintf(out, n, "%s", g ? g->value : def);
	for (char *p = out; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	if (origin)
		set_origin(origin, on, g);
}

void pg_resolve(struct pg_instance *in)
{
	for (size_t i = 0; i < ARRAY_SIZE(int_gucs); i++) {
		const struct int_guc *g = &int_gucs[i];
		struct pg_val *v = (struct pg_val *)((char *)in + g->off);
		resolve_int(in, g->name, g->unit, g->def, v);
	}
	/* PostgreSQL 18 sizes shared memory and semaphores by autovacuum_worker_slots
	 * (default 16); earlier releases by autovacuum_max_workers (default 3). */
	if (in->fl->semmodel == PGSEM_POSTGRESQL && in->major >= 18) {
		str_copy(in->autovacuum_workers_name, sizeof(in->autovacuum_workers_name),
			 "autovacuum_worker_slots");
		resolve_int(in, "autovacuum_worker_slots", PGU_NONE, 16, &in->autovacuum_workers);
	} else {
		str_copy(in->autovacuum_workers_name, sizeof(in->autovacuum_workers_name),
			 "autovacuum_max_workers");
		resolve_int(in, "autovacuum_max_workers", PGU_NONE, 3, &in->autovacuum_workers);
	}
	/* Before 10 the default of max_wal_senders was 0. */
	if (in->major > 0 && in->major < 10 && !pgconf_get(&in->conf, "max_wal_senders"))
		in->max_wal_senders.v = 0;
	resolve_str(in, "huge_pages", "try", in->huge_pages, sizeof(in->huge_pages),
		    in->huge_pages_origin, sizeof(in->huge_pages_origin));
	resolve_str(in, "shared_memory_type", "mmap", in->shared_memory_type,
		    sizeof(in->shared_memory_type), NULL, 0);
	resolve_str(in, "dynamic_shared_memory_type", "posix", in->dsm_type, sizeof(in->dsm_type),
		    NULL, 0);
}

static int64_t ceil_div(int64_t a, int64_t b)
{
	return (a + b - 1) / b;
}

/* Auxiliary processes that hold a semaphore, beyond MaxBackends, by major version
 * (src/include/storage/proc.h NUM_AUXILIARY_PROCS, plus the autovacuum launcher that
 * MaxBackends counts): the "+ N" of the documented formula. */
static int64_t pg_sem_extra(int major)
{
	if (major <= 13)
		return 5; /* launcher + 4 aux (bgwriter, checkpointer, walwriter, startup) */
	if (major <= 16)
		return 6; /* + archiver (14); the 14-16 docs still print + 5 */
	return 7;         /* + WAL summarizer (17) */
}

int64_t pg_semaphores(enum pg_semmodel model, int major, int64_t mc, int64_t av, int64_t mw,
		      int64_t ws, int64_t *sem_per_set, char *formula, size_t n)
{
	*sem_per_set = 16; /* SEMAS_PER_SET, src/backend/port/sysv_sema.c */
	if (model == PGSEM_SEABOX) {
		/* SeaboxSQL "Managing Kernel Resources": sets = ceil((max_connections +
		 * autovacuum_max_workers + max_worker_processes + 5) / 16). */
		int64_t nsem = mc + av + mw + 5;
		snprintf(formula, n,
			 "max_connections %lld + autovacuum_max_workers %lld + max_worker_processes %lld + 5 = %lld",
			 (long long)mc, (long long)av, (long long)mw, (long long)nsem);
		return nsem;
	}
	if (major <= 0) {
		snprintf(formula, n, "unknown: the PostgreSQL version is not known");
		return -1;
	}
	if (major >= 18) {
		/* 18: MaxBackends + NUM_AUXILIARY_PROCS = max_connections +
		 * autovacuum_worker_slots + max_worker_processes + max_wal_senders +
		 * NUM_SPECIAL_WORKER_PROCS (2) + 6 auxiliary + MAX_IO_WORKERS (32). */
		int64_t nsem = mc + av + mw + ws + 40;
		snprintf(formula, n,
			 "max_connections %lld + autovacuum_worker_slots %lld + max_worker_processes %lld + max_wal_senders %lld + 40 = %lld",
			 (long long)mc, (long long)av, (long long)mw, (long long)ws, (long long)nsem);
		return nsem;
	}
	int64_t extra = pg_sem_extra(major);
	if (major <= 11) {
		/* 9.4-11: walsenders are part of max_connections. */
		int64_t nsem = mc + av + mw + extra;
		snprintf(formula, n,
			 "max_connections %lld + autovacuum_max_workers %lld + max_worker_processes %lld + %lld = %lld",
			 (long long)mc, (long long)av, (long long)mw, (long long)extra, (long long)nsem);
		return nsem;
	}
	int64_t nsem = mc + av + ws + mw + extra;
	snprintf(formula, n,
		 "max_connections %lld + autovacuum_max_workers %lld + max_wal_senders %lld + max_worker_processes %lld + %lld = %lld",
		 (long long)mc, (long long)av, (long long)ws, (long long)mw, (long long)extra,
		 (long long)nsem);
	return nsem;
}

/* wal_buffers = -1 means shared_buffers / 32, at least 64 kB (8 blocks) and at most
 * one WAL segment (16 MB = 2048 blocks by default): XLOGChooseNumBuffers(). */
static int64_t wal_blocks(const struct pg_instance *in)
{
	if (in->wal_buffers.v > 0)
		return in->wal_buffers.v;
	int64_t b = in->shared_buffers.v / 32;
	if (b < 8)
		b = 8;
	if (b > 2048)
		b = 2048;
	return b;
}

/* The main segment's size estimated from the settings. The coefficients are bytes
 * per unit of each setting, fitted to PostgreSQL 15's own figure (the size of the
 * master's /dev/zero mapping, i.e. CalculateShmemSize(), and `postgres -C
 * shared_memory_size` for 5000 to 20000 connections) over 37 configurations varying
 * every input below, from 10 to 20000 connections; the fit is within 1 % on all of
 * them. Other majors differ by a few hundred kB. A running server is measured. */
uint64_t pg_estimate_shmem(const struct pg_instance *in, char *formula, size_t n)
{
	int64_t nb = in->shared_buffers.v, wb = wal_blocks(in);
	int64_t mc = in->max_connections.v, av = in->autovacuum_workers.v;
	int64_t mw = in->max_worker_processes.v, ws = in->max_wal_senders.v;
	int64_t prep = in->max_prepared_transactions.v;
	int64_t procs = mc + av + 1 + mw + ws + prep;
	double bytes = 888468.0                  /* fixed structures */
		       + 8437.0 * (double)nb     /* buffer, descriptor, hash, checkpoint */
		       + 8200.0 * (double)wb     /* WAL buffer and its xlblocks entry */
		       + 10120.0 * (double)mc    /* PGPROC and per-backend state */
		       + 27196.0 * (double)av    /* autovacuum worker state */
		       + 11776.0 * (double)mw    /* background worker slots */
		       + 13020.0 * (double)ws    /* walsender slots */
		       + 6876.0 * (double)prep   /* two-phase state */
		       + 387.5 * (double)in->max_locks_per_transaction.v * (double)procs
		       + 238.5 * (double)in->max_pred_locks_per_transaction.v * (double)procs;
	if (bytes < 0)
		bytes = 0;
	uint64_t b = (uint64_t)bytes;
	b = (b + 8191) / 8192 * 8192; /* CalculateShmemSize() rounds to 8 kB */
	snprintf(formula, n,
		 "estimated from shared_buffers %lld x 8 kB, wal_buffers %lld x 8 kB, %lld server processes, max_locks_per_transaction %lld (PostgreSQL 15 fit, within 1%%)",
		 (long long)nb, (long long)wb, (long long)procs,
		 (long long)in->max_locks_per_transaction.v);
	return b;
}

int64_t pg_huge_pages_for(uint64_t bytes, uint64_t hp_size_kb)
{
	if (!hp_size_kb)
		return -1;
	/* InitializeShmemGUCs(): size_b / hp_size + 1 (integer division, then +1). */
	return (int64_t)(bytes / (hp_size_kb * 1024) + 1);
}

static void needs_semaphores(const struct pg_instance *in, struct pg_needs *nd)
{
	nd->nsems = pg_semaphores(in->fl->semmodel, in->major, in->max_connections.v,
				  in->autovacuum_workers.v, in->max_worker_processes.v,
				  in->max_wal_senders.v, &nd->sem_per_set, nd->sem_formula,
				  sizeof(nd->sem_formula));
	/* PostgreSQL 10+ on Linux uses unnamed POSIX semaphores (posix_sema.c). */
	nd->sysv_sem = in->fl->sysv_semaphores || (in->major > 0 && in->major < 10);
	nd->semmsl = nd->sem_per_set + 1;
	if (nd->nsems > 0) {
		nd->sets = ceil_div(nd->nsems, nd->sem_per_set);
		nd->semmns = nd->sets * (nd->sem_per_set + 1);
		nd->procs = nd->nsems + 1;
		snprintf(nd->procs_formula, sizeof(nd->procs_formula),
			 "%lld processes holding a semaphore + the master = %lld",
			 (long long)nd->nsems, (long long)nd->procs);
	}
}

/* Without Hugepagesize in /proc/meminfo: the 2 MB pool if there is one (the x86
 * default), else the smallest pool in /sys; 0 when there is none. */
static uint64_t default_pool_kb(const struct host *h)
{
	if (hugepages_pool(&h->hp, 2048))
		return 2048;
	return h->hp.n ? h->hp.pool[0].size_kb : 0;
}

static void needs_shmem(const struct pg_instance *in, const struct host *h, struct pg_needs *nd)
{
	const struct shm_map *m = &in->live.maps.main;
	/* With --set overrides the live mapping shows the old settings: estimate. */
	if (in->live.pid && !in->overridden && in->live.have_maps && m->kind != SHM_NONE) {
		nd->shm_bytes = m->bytes;
		nd->shm_measured = true;
		nd->shm_on_huge = m->kind == SHM_ANONHUGE;
		snprintf(nd->shm_formula, sizeof(nd->shm_formula),
			 "the master's shared mapping '%s' in /proc/%lld/maps",
			 nd->shm_on_huge ? "/anon_hugepage (deleted)" : "/dev/zero (deleted)",
			 (long long)in->live.pid);
	} else {
		nd->shm_bytes = pg_estimate_shmem(in, nd->shm_formula, sizeof(nd->shm_formula));
	}
	/* Since 9.3 only a small header lives in System V memory, unless
	 * shared_memory_type = sysv (12+); the docs: "typically 48 bytes". */
	nd->sysv_shm_bytes = strcmp(in->shared_memory_type, "sysv") ? 48 : nd->shm_bytes;
	nd->hp_size_kb = in->huge_page_size.v > 0 ? (uint64_t)in->huge_page_size.v
			 : meminfo_has(&h->mi, MI_HUGEPAGESIZE) ? h->mi.v[MI_HUGEPAGESIZE]
								: default_pool_kb(h);
	if (!nd->hp_size_kb) {
		nd->hp_pages = -1;
		snprintf(nd->hp_formula, sizeof(nd->hp_formula), "no huge page size is known");
	} else if (nd->shm_on_huge) {
		nd->hp_pages = (int64_t)(nd->shm_bytes / (nd->hp_size_kb * 1024));
		snprintf(nd->hp_formula, sizeof(nd->hp_formula),
			 "%llu bytes mapped on %llu kB pages = %lld pages in use",
			 (unsigned long long)nd->shm_bytes, (unsigned long long)nd->hp_size_kb,
			 (long long)nd->hp_pages);
	} else {
		/* An estimate gets a 2 % margin over the fit's worst error. */
		uint64_t b = nd->shm_measured ? nd->shm_bytes : nd->shm_bytes / 50 * 51;
		nd->hp_pages = pg_huge_pages_for(b, nd->hp_size_kb);
		snprintf(nd->hp_formula, sizeof(nd->hp_formula),
			 "floor(%llu bytes%s / %llu kB) + 1 = %lld",
			 (unsigned long long)b, nd->shm_measured ? "" : " (estimate + 2%)",
			 (unsigned long long)nd->hp_size_kb, (long long)nd->hp_pages);
	}
}

static void needs_backlog(const struct pg_instance *in, struct pg_needs *nd)
{
	int64_t mc = in->max_connections.v;
	if (in->fl->semmodel == PGSEM_POSTGRESQL && in->major >= 16) {
		/* pqcomm.c ListenServerPort(): listen(fd, MaxConnections * 2). */
		nd->backlog = 2 * mc;
		snprintf(nd->backlog_formula, sizeof(nd->backlog_formula),
			 "2 x max_connections %lld = %lld", (long long)mc, (long long)nd->backlog);
		return;
	}
	/* Through 15: 2 x MaxBackends, capped at PG_SOMAXCONN (10000). */
	int64_t maxb = mc + in->autovacuum_workers.v + 1 + in->max_worker_processes.v +
		       (in->major >= 12 ? in->max_wal_senders.v : 0);
	nd->backlog = 2 * maxb > 10000 ? 10000 : 2 * maxb;
	snprintf(nd->backlog_formula, sizeof(nd->backlog_formula),
		 "min(2 x MaxBackends %lld, PG_SOMAXCONN 10000) = %lld", (long long)maxb,
		 (long long)nd->backlog);
}

void pg_compute_needs(const struct pg_instance *in, const struct host *h, struct pg_needs *nd)
{
	memset(nd, 0, sizeof(*nd));
	needs_semaphores(in, nd);
	needs_shmem(in, h, nd);
	needs_backlog(in, nd);
	if (nd->procs > 0)
		nd->fds_worst = nd->procs * in->max_files_per_process.v;
}

void pg_subject(const struct pg_instance *in, char *out, size_t n)
{
	char ver[24] = "";
	if (in->version[0])
		snprintf(ver, sizeof(ver), " %s", in->version);
	else if (in->major)
		snprintf(ver, sizeof(ver), " %d", in->major);
	if (in->live.pid)
		snprintf(out, n, "%s%s (pid %lld, %s)", in->fl->display, ver, (long long)in->live.pid,
			 in->datadir[0] ? in->datadir : "data directory unknown");
	else
		snprintf(out, n, "%s%s (not running, %s)", in->fl->display, ver,
			 in->datadir[0] ? in->datadir : in->conffile);
}

/* Settings kres reads that are not integers, with the values they take. */
static const struct {
	const char *name;
	const char *values[4];
} enum_gucs[] = {
	{"huge_pages", {"on", "off", "try", NULL}},
	{"shared_memory_type", {"mmap", "sysv", NULL}},
	{"dynamic_shared_memory_type", {"posix", "sysv", "mmap", NULL}},
};

/* Checks one --set item against the settings kres uses. */
static int check_set(const char *name, const char *value, char *err, size_t n)
{
	int64_t v;
	enum pg_unit unit = PGU_NONE;
	bool is_int = !strcasecmp(name, "autovacuum_max_workers") ||
		      !strcasecmp(name, "autovacuum_worker_slots");
	for (size_t i = 0; i < ARRAY_SIZE(int_gucs) && !is_int; i++)
		if (!strcasecmp(name, int_gucs[i].name)) {
			is_int = true;
			unit = int_gucs[i].unit;
		}
	if (is_int) {
		if (pg_parse_int(value, unit, &v) == 0)
			return 0;
		snprintf(err, n, "--set %s='%s': not a valid value for %s", name, value, name);
		return -EINVAL;
	}
	for (size_t i = 0; i < ARRAY_SIZE(enum_gucs); i++) {
		if (strcasecmp(name, enum_gucs[i].name))
			continue;
		for (size_t k = 0; enum_gucs[i].values[k]; k++)
			if (!strcasecmp(value, enum_gucs[i].values[k]))
				return 0;
		snprintf(err, n, "--set %s='%s': expected one of %s, %s%s%s", name, value,
			 enum_gucs[i].values[0], enum_gucs[i].values[1],
			 enum_gucs[i].values[2] ? ", " : "",
			 enum_gucs[i].values[2] ? enum_gucs[i].values[2] : "");
		return -EINVAL;
	}
	snprintf(err, n, "--set '%s': kres does not use this setting (it reads max_connections, "
		 "autovacuum_max_workers, max_worker_processes, max_wal_senders, shared_buffers, "
		 "huge_pages, ...: see docs/checks.md)", name);
	return -EINVAL;
}

int pg_apply_sets(struct pg_instance *in, char *const *sets, size_t nsets, char *err, size_t n)
{
	for (size_t i = 0; i < nsets; i++) {
		const char *eq = strchr(sets[i], '=');
		if (!eq || eq == sets[i]) {
			snprintf(err, n, "--set '%s': expected name=value", sets[i]);
			return -EINVAL;
		}
		char *name = xstrndup(sets[i], (size_t)(eq - sets[i]));
		int rc = check_set(name, eq + 1, err, n);
		if (rc == 0)
			pgconf_set(&in->conf, name, eq + 1, "--set");
		free(name);
		if (rc)
			return rc;
		in->overridden = true;
	}
	pg_resolve(in);
	return 0;
}

void pg_instances_free(struct pg_instance *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		pgconf_release(&v[i].conf);
		unit_release(&v[i].unit_info);
		mounts_release(&v[i].live.mounts);
	}
	free(v);
}
