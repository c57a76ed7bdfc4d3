// SPDX-License-Identifier: MIT
/* The PostgreSQL-family formulas: the semaphore count by version (the matrix of
 * reference/db-kernel-readiness.md section 2.1 and SeaboxSQL's documented formula),
 * huge pages, the shared memory estimate against PostgreSQL 15's own figures, and
 * the listen backlog. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "workload/pgfamily.h"

struct sem_case {
	const char *flavor;
	int major;
	int64_t mc, av, mw, ws;
	int64_t want_nsems, want_sets, want_semmns;
	const char *formula_has;
};

/* Defaults: max_connections 100, autovacuum 3 (18: worker slots 16), 8 workers,
 * 10 walsenders. */
static const struct sem_case sem_cases[] = {
	/* 9.6: mc + av + mw + 5 (walsenders inside max_connections) */
	{"postgresql", 9, 100, 3, 8, 10, 116, 8, 136, "+ 5 = 116"},
	{"postgresql", 11, 100, 3, 8, 10, 116, 8, 136, "max_worker_processes 8 + 5"},
	/* 12-13: + max_wal_senders, + 5 */
	{"postgresql", 12, 100, 3, 8, 10, 126, 8, 136, "max_wal_senders 10"},
	{"postgresql", 13, 100, 3, 8, 10, 126, 8, 136, "+ 5 = 126"},
	/* 14-16: + 6 (the archiver became an auxiliary process) */
	{"postgresql", 14, 100, 3, 8, 10, 127, 8, 136, "+ 6 = 127"},
	{"postgresql", 15, 100, 3, 8, 10, 127, 8, 136, "+ 6 = 127"},
	{"postgresql", 16, 2000, 3, 8, 10, 2027, 127, 2159, "+ 6 = 2027"},
	/* 17: + 7 (WAL summarizer) */
	{"postgresql", 17, 100, 3, 8, 10, 128, 8, 136, "+ 7 = 128"},
	/* 18: autovacuum_worker_slots 16 + 2 special + 6 aux + 32 io workers */
	{"postgresql", 18, 100, 16, 8, 10, 174, 11, 187, "autovacuum_worker_slots 16"},
	/* SeaboxSQL: ceil((mc + av + mw + 5) / 16), 17 per set, whatever its version */
	{"seaboxsql", 9, 3000, 3, 8, 10, 3016, 189, 3213, "+ 5 = 3016"},
	{"seaboxsql", 0, 100, 3, 8, 0, 116, 8, 136, "max_connections 100"},
};

static void test_semaphore_matrix(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(sem_cases) / sizeof(sem_cases[0]); i++) {
		const struct sem_case *c = &sem_cases[i];
		const struct pg_flavor *fl = pg_flavor_find(c->flavor);
		assert_non_null(fl);
		int64_t per = 0;
		char f[384];
		int64_t n = pg_semaphores(fl->semmodel, c->major, c->mc, c->av, c->mw, c->ws, &per, f,
					  sizeof(f));
		assert_int_equal(n, c->want_nsems);
		assert_int_equal(per, 16);
		int64_t sets = (n + per - 1) / per;
		assert_int_equal(sets, c->want_sets);
		assert_int_equal(sets * (per + 1), c->want_semmns);
		assert_non_null(strstr(f, c->formula_has));
	}
}

static void test_semaphores_unknown_version(void **state)
{
	(void)state;
	int64_t per;
	char f[128];
	assert_int_equal(pg_semaphores(PGSEM_POSTGRESQL, 0, 100, 3, 8, 10, &per, f, sizeof(f)), -1);
	assert_non_null(strstr(f, "unknown"));
}

static void test_huge_pages_for(void **state)
{
	(void)state;
	/* PostgreSQL: size / hp_size + 1, even on an exact multiple. */
	assert_int_equal(pg_huge_pages_for(340819968, 2048), 163);
	assert_int_equal(pg_huge_pages_for(2097152, 2048), 2);
	assert_int_equal(pg_huge_pages_for(2097151, 2048), 1);
	assert_int_equal(pg_huge_pages_for(6646198272ull, 2048), 3170); /* docs: 6490428 kB */
	assert_int_equal(pg_huge_pages_for(1ull << 30, 1048576), 2);
	assert_int_equal(pg_huge_pages_for(123, 0), -1);
}

/* A stopped PostgreSQL 15 instance with the given settings and defaults. */
static void instance(struct pg_instance *in, int major)
{
	memset(in, 0, sizeof(*in));
	in->fl = pg_flavor_find("postgresql");
	in->major = major;
}

static void set(struct pg_instance *in, const char *name, const char *value)
{
	pgconf_set(&in->conf, name, value, "test");
}

/* Sizes of the master's /dev/zero mapping measured on PostgreSQL 15.18 (Debian
 * 12) with the settings shown; the estimate must stay within 1 %. */

struct shm_case {
	const char *settings[4][2];
	uint64_t measured;
};
static const struct shm_case shm_cases[] = {
	{{{"shared_buffers", "16384"}, {"wal_buffers", "2048"}}, 162119680},
	{{{"shared_buffers", "65536"}, {"wal_buffers", "2048"}}, 576806912},
	{{{"shared_buffers", "131072"}, {"wal_buffers", "2048"}}, 1125482496},
	{{{"shared_buffers", "16384"}, {"wal_buffers", "2048"}, {"max_connections", "3000"}}, 304832512},
	{{{"shared_buffers", "16384"}, {"wal_buffers", "2048"}, {"max_connections", "500"}}, 182992896},
	{{{"shared_buffers", "16384"}, {"wal_buffers", "2048"}, {"max_locks_per_transaction", "256"}}, 171212800},
	{{{"shared_buffers", "16384"}, {"wal_buffers", "2048"}, {"max_connections", "1000"},
	  {"max_locks_per_transaction", "256"}}, 281313280},
	{{{"shared_buffers", "16384"}, {"wal_buffers", "2048"}, {"max_prepared_transactions", "10"}}, 162971648},
	{{{"shared_buffers", "16384"}}, 149520384}, /* wal_buffers -1: 1/32 of shared_buffers */
	/* postgres -C shared_memory_size (MB, rounded up) for many connections */
	{{{"shared_buffers", "16384"}, {"wal_buffers", "2048"}, {"max_connections", "5000"}}, 390ull << 20},
	{{{"shared_buffers", "16384"}, {"wal_buffers", "2048"}, {"max_connections", "10000"}}, 629ull << 20},
	{{{"shared_buffers", "16384"}, {"wal_buffers", "2048"}, {"max_connections", "20000"}}, 1107ull << 20},
};

static void test_shmem_estimate(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(shm_cases) / sizeof(shm_cases[0]); i++) {
		struct pg_instance in;
		instance(&in, 15);
		for (size_t k = 0; k < 4 && shm_cases[i].settings[k][0]; k++)
			set(&in, shm_cases[i].settings[k][0], shm_cases[i].settings[k][1]);
		pg_resolve(&in);
		char f[384];
		uint64_t est = pg_estimate_shmem(&in, f, sizeof(f));
		double err = ((double)est - (double)shm_cases[i].measured) / (double)shm_cases[i].measured;
		if (err < -0.01 || err > 0.01)
			fail_msg("case %zu: estimate %llu vs measured %llu (%.2f%%)", i,
				 (unsigned long long)est, (unsigned long long)shm_cases[i].measured,
				 err * 100);
		assert_int_equal(est % 8192, 0);
		pgconf_release(&in.conf);
	}
}

/* PostgreSQL 15's own `postgres -C shared_memory_size_in_huge_pages` with
 * shared_buffers = 300MB: the estimate, before kres adds its 2 % margin, is within
 * 1 % (at least one page) of it. */
static void test_huge_pages_from_estimate(void **state)
{
	(void)state;
	static const struct {
		const char *mc;
		int64_t pg_says;
	} cases[] = {{"3000", 231}, {"5000", 280}, {"10000", 400}, {"20000", 639}};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pg_instance in;
		instance(&in, 15);
		set(&in, "shared_buffers", "300MB");
		set(&in, "max_connections", cases[i].mc);
		pg_resolve(&in);
		char f[384];
		int64_t hp = pg_huge_pages_for(pg_estimate_shmem(&in, f, sizeof(f)), 2048);
		int64_t tol = cases[i].pg_says / 100 > 1 ? cases[i].pg_says / 100 : 1;
		if (hp < cases[i].pg_says - tol || hp > cases[i].pg_says + tol)
			fail_msg("max_connections %s: %lld pages, PostgreSQL says %lld", cases[i].mc,
				 (long long)hp, (long long)cases[i].pg_says);
		pgconf_release(&in.conf);
	}
}

static void test_resolve_defaults_and_units(void **state)
{
	(void)state;
	struct pg_instance in;
	instance(&in, 15);
	set(&in, "shared_buffers", "8GB");
	set(&in, "Max_Connections", "250");
	set(&in, "huge_pages", "ON");
	set(&in, "max_files_per_process", "not-a-number");
	pg_resolve(&in);
	assert_int_equal(in.shared_buffers.v, 1048576); /* 8 kB blocks */
	assert_int_equal(in.max_connections.v, 250);
	assert_string_equal(in.max_connections.origin, "test");
	assert_int_equal(in.autovacuum_workers.v, 3);
	assert_string_equal(in.autovacuum_workers.origin, "default");
	assert_int_equal(in.max_wal_senders.v, 10);
	assert_string_equal(in.huge_pages, "on");
	/* A malformed value keeps the default and says so. */
	assert_int_equal(in.max_files_per_process.v, 1000);
	assert_non_null(strstr(in.max_files_per_process.origin, "is invalid"));
	pgconf_release(&in.conf);

	instance(&in, 18);
	pg_resolve(&in);
	assert_string_equal(in.autovacuum_workers_name, "autovacuum_worker_slots");
	assert_int_equal(in.autovacuum_workers.v, 16);
	pgconf_release(&in.conf);

	instance(&in, 9);
	pg_resolve(&in);
	assert_int_equal(in.max_wal_senders.v, 0); /* 0 before PostgreSQL 10 */
	pgconf_release(&in.conf);
}

static void test_needs_backlog_and_procs(void **state)
{
	(void)state;
	struct host h;
	memset(&h, 0, sizeof(h));
	h.mi.present = 1u << MI_HUGEPAGESIZE;
	h.mi.v[MI_HUGEPAGESIZE] = 2048;
	struct pg_instance in;
	struct pg_needs nd;

	instance(&in, 16);
	set(&in, "max_connections", "7000");
	pg_resolve(&in);
	pg_compute_needs(&in, &h, &nd);
	assert_int_equal(nd.backlog, 14000); /* 16+: 2 x max_connections, no cap */
	assert_false(nd.sysv_sem);
	assert_int_equal(nd.procs, nd.nsems + 1);
	assert_int_equal(nd.fds_worst, nd.procs * 1000);
	assert_int_equal(nd.sysv_shm_bytes, 48);
	assert_false(nd.shm_measured);
	pgconf_release(&in.conf);

	instance(&in, 15);
	set(&in, "max_connections", "7000");
	set(&in, "shared_memory_type", "sysv");
	pg_resolve(&in);
	pg_compute_needs(&in, &h, &nd);
	assert_int_equal(nd.backlog, 10000); /* through 15: capped at PG_SOMAXCONN */
	assert_int_equal(nd.sysv_shm_bytes, nd.shm_bytes);
	pgconf_release(&in.conf);

	/* A live master on huge pages: pages = mapping / page size, measured. */
	instance(&in, 15);
	in.live.pid = 42;
	in.live.have_maps = true;
	in.live.maps.main.kind = SHM_ANONHUGE;
	in.live.maps.main.bytes = 350ull << 20;
	pg_resolve(&in);
	pg_compute_needs(&in, &h, &nd);
	assert_true(nd.shm_measured && nd.shm_on_huge);
	assert_int_equal(nd.hp_pages, 175);
	/* On normal pages: PostgreSQL's floor + 1. */
	in.live.maps.main.kind = SHM_DEVZERO;
	in.live.maps.main.bytes = 340819968;
	pg_compute_needs(&in, &h, &nd);
	assert_int_equal(nd.hp_pages, 163);
	pgconf_release(&in.conf);

	/* SeaboxSQL always uses System V semaphores. */
	instance(&in, 9);
	in.fl = pg_flavor_find("seaboxsql");
	set(&in, "max_connections", "3000");
	pg_resolve(&in);
	pg_compute_needs(&in, &h, &nd);
	assert_true(nd.sysv_sem);
	assert_int_equal(nd.sets, 189);
	assert_int_equal(nd.semmns, 3213);
	assert_int_equal(nd.semmsl, 17);
	pgconf_release(&in.conf);
}

static void test_flavors(void **state)
{
	(void)state;
	const struct pg_flavor *sb = pg_flavor_find("SeaboxSQL");
	assert_non_null(sb);
	assert_string_equal(sb->master_comm[0], "seaboxmaster");
	assert_string_equal(sb->backend_comm, "seaboxs");
	assert_string_equal(sb->conf_name, "seaboxsql.conf");
	assert_string_equal(sb->data_env, "SDDATA");
	assert_string_equal(sb->oom_file_env, "SD_OOM_ADJUST_FILE");
	assert_string_equal(sb->oom_value_env, "SD_OOM_ADJUST_VALUE");
	assert_true(sb->sysv_semaphores);
	const struct pg_flavor *pg = pg_flavor_find("postgresql");
	assert_string_equal(pg->oom_file_env, "PG_OOM_ADJUST_FILE");
	assert_false(pg->sysv_semaphores);
	assert_null(pg_flavor_find("oracle"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_semaphore_matrix),
		cmocka_unit_test(test_semaphores_unknown_version),
		cmocka_unit_test(test_huge_pages_for),
		cmocka_unit_test(test_shmem_estimate),
		cmocka_unit_test(test_huge_pages_from_estimate),
		cmocka_unit_test(test_resolve_defaults_and_units),
		cmocka_unit_test(test_needs_backlog_and_procs),
		cmocka_unit_test(test_flavors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
