// SPDX-License-Identifier: MIT
/* Rules over several servers on one host: System V needs add up, huge page pools
 * are grown once for everyone, and fixes that disagree become a FIX-01 conflict.
 * The host is built in memory, so each number below is the rule's own arithmetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "check/check.h"

/* A host with the given kernel.sem, a 2 MB huge page pool and nothing else read. */
static void host_init(struct host *h, const uint64_t sem[4], uint64_t pool_nr, uint64_t pool_free)
{
	static char name[] = "fixture";
	static struct rootfs root = {.live = false, .path = name};
	memset(h, 0, sizeof(*h));
	h->root = &root;
	for (int k = 0; k < SC__COUNT; k++)
		h->sc.k[k].state = SRC_UNAVAILABLE;
	h->sc.k[SC_SEM].state = SRC_OK;
	h->sc.k[SC_SEM].n = 4;
	memcpy(h->sc.k[SC_SEM].v, sem, 4 * sizeof(sem[0]));
	h->sem_src.state = SRC_OK; /* /proc/sysvipc/sem read, and empty */
	h->mi.present = 1u << MI_HUGEPAGESIZE;
	h->mi.v[MI_HUGEPAGESIZE] = 2048;
	h->hp.n = 1;
	h->hp.pool[0] = (struct hpool){.size_kb = 2048, .nr = pool_nr, .free = pool_free};
}

/* A stopped server of the flavor with max_connections and huge_pages set. */
static void server(struct pg_instance *in, const char *flavor, int major, const char *mc,
		   const char *shared_buffers, const char *huge_pages)
{
	memset(in, 0, sizeof(*in));
	in->fl = pg_flavor_find(flavor);
	in->major = major;
	snprintf(in->datadir, sizeof(in->datadir), "/data/%s-%s", flavor, mc);
	pgconf_set(&in->conf, "max_connections", mc, "test");
	pgconf_set(&in->conf, "shared_buffers", shared_buffers, "test");
	pgconf_set(&in->conf, "huge_pages", huge_pages, "test");
	in->conf_ok = true;
	pg_resolve(in);
}

static const struct finding *find(const struct check_ctx *c, const char *id, size_t nth)
{
	for (size_t i = 0; i < c->nf; i++)
		if (!strcmp(c->f[i].rule->id, id) && nth-- == 0)
			return &c->f[i];
	return NULL;
}

static void run(struct check_ctx *c, struct host *h, struct pg_instance *pg, size_t n,
		struct pg_needs *nd)
{
	memset(c, 0, sizeof(*c));
	c->h = h;
	c->pg = pg;
	c->npg = n;
	c->pgneeds = nd;
	for (size_t i = 0; i < n; i++)
		pg_compute_needs(&pg[i], h, &nd[i]);
	check_run(c);
}

static void release(struct check_ctx *c, struct pg_instance *pg, size_t n)
{
	check_release(c);
	for (size_t i = 0; i < n; i++)
		pgconf_release(&pg[i].conf);
}

/* Two SeaboxSQL servers: 1000 and 500 connections need 64 + 32 sets (ceil((1000 +
 * 3 + 8 + 5) / 16) = 64, ceil(516 / 16) = 33): SEMMNI 128 holds 97, SEMMNS is
 * (64 + 33) x 17 = 1649. */
static void test_sysv_needs_add_up(void **state)
{
	(void)state;
	struct host h;
	const uint64_t sem[4] = {250, 32000, 32, 96};
	host_init(&h, sem, 0, 0);
	struct pg_instance pg[2];
	struct pg_needs nd[2];
	server(&pg[0], "seaboxsql", 9, "1000", "128MB", "off");
	server(&pg[1], "seaboxsql", 9, "500", "128MB", "off");
	struct check_ctx c;
	run(&c, &h, pg, 2, nd);
	assert_int_equal(nd[0].sets, 64);
	assert_int_equal(nd[1].sets, 33);
	const struct finding *f = find(&c, "IPC-06", 0);
	assert_non_null(f);
	assert_string_equal(f->subject, "host (2 servers)");
	assert_int_equal(f->status, FS_FAIL);
	assert_string_equal(f->required, "SEMMNI >= 97");
	assert_string_equal(f->fix_persist, "kernel.sem = 250 32000 32 97");
	f = find(&c, "IPC-05", 0);
	assert_int_equal(f->status, FS_OK);
	assert_string_equal(f->required, "SEMMNS >= 1649");
	/* Every kernel.sem fix is the same line: no conflict. */
	f = find(&c, "FIX-01", 0);
	assert_int_equal(f->status, FS_OK);
	release(&c, pg, 2);
}

/* Two PostgreSQL 15 servers with huge_pages = on share one 2 MB pool of 100 free
 * pages: each HP-01 proposes the same vm.nr_hugepages, grown by both deficits. */
static void test_hugepage_pool_grown_once(void **state)
{
	(void)state;
	struct host h;
	const uint64_t sem[4] = {32000, 1024000000, 500, 32000};
	host_init(&h, sem, 100, 100);
	struct pg_instance pg[2];
	struct pg_needs nd[2];
	server(&pg[0], "postgresql", 15, "100", "1GB", "on");
	server(&pg[1], "postgresql", 15, "100", "512MB", "on");
	struct check_ctx c;
	run(&c, &h, pg, 2, nd);
	int64_t deficit = nd[0].hp_pages + nd[1].hp_pages - 100;
	char want[64];
	snprintf(want, sizeof(want), "vm.nr_hugepages = %lld", (long long)(100 + deficit));
	for (size_t i = 0; i < 2; i++) {
		const struct finding *f = find(&c, "HP-01", i);
		assert_non_null(f);
		assert_int_equal(f->status, FS_FAIL);
		assert_int_equal(f->sev, SEV_CRITICAL);
		assert_string_equal(f->fix_persist, want);
	}
	assert_int_equal(find(&c, "FIX-01", 0)->status, FS_OK);
	release(&c, pg, 2);

	/* Each alone fits in 100 free pages, together they do not. */
	host_init(&h, sem, 100, 100);
	server(&pg[0], "postgresql", 15, "100", "100MB", "on");
	server(&pg[1], "postgresql", 15, "100", "100MB", "on");
	run(&c, &h, pg, 2, nd);
	assert_true(nd[0].hp_pages < 100 && nd[0].hp_pages * 2 > 100);
	const struct finding *f = find(&c, "HP-01", 1);
	assert_int_equal(f->status, FS_FAIL);
	char sum[160];
	snprintf(sum, sizeof(sum), "100 huge pages available < %lld needed, %lld for all servers on this pool (huge_pages = on)",
		 (long long)nd[1].hp_pages, (long long)(nd[0].hp_pages + nd[1].hp_pages));
	assert_string_equal(f->summary, sum);
	release(&c, pg, 2);
}

static void noop(struct check_ctx *c, const struct rule *r)
{
	(void)c;
	(void)r;
}

/* Two failing findings asking for different values of one key in one file. */
static void test_conflicting_fixes(void **state)
{
	(void)state;
	static const struct rule ra = {"T-1", "t", "t", "t", SEV_HIGH, "w", "s", noop, false};
	static const struct rule rb = {"T-2", "t", "t", "t", SEV_HIGH, "w", "s", noop, false};
	struct check_ctx c = {0};
	struct finding *f = finding_add(&c, &ra, FS_FAIL, "PostgreSQL", "a");
	finding_fix_sysctl(f, "vm.overcommit_memory", "2");
	f = finding_add(&c, &rb, FS_FAIL, "Redis", "b");
	finding_fix_sysctl(f, "vm.overcommit_memory", "1");
	f = finding_add(&c, &rb, FS_FAIL, "Redis", "c");
	finding_set(f, FF_FIX_FILE, "/etc/systemd/system/x.service.d/override.conf");
	finding_set(f, FF_FIX_PERSIST, "[Service]\nEnvironment=A=1\nEnvironment=B=2");
	f = finding_add(&c, &ra, FS_FAIL, "Redis", "d");
	finding_set(f, FF_FIX_FILE, "/etc/systemd/system/x.service.d/override.conf");
	finding_set(f, FF_FIX_PERSIST, "[Service]\nEnvironment=B=2\nLimitNOFILE=100");
	const struct rule *fix = NULL;
	for (size_t i = 0; i < check_nrules; i++)
		if (!strcmp(check_rules[i].id, "FIX-01"))
			fix = &check_rules[i];
	assert_non_null(fix);
	fix->fn(&c, fix);
	/* One conflict (overcommit); different Environment names do not collide. */
	assert_int_equal(c.nf, 5);
	assert_int_equal(c.f[4].status, FS_FAIL);
	assert_string_equal(c.f[4].subject, "PostgreSQL / Redis");
	assert_string_equal(c.f[4].summary,
			    "conflicting fixes in /etc/sysctl.d/90-kres.conf: 'vm.overcommit_memory = 2' "
			    "(T-1) and 'vm.overcommit_memory = 1' (T-2)");
	assert_int_equal(check_exit_code(&c), 1);
	check_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sysv_needs_add_up),
		cmocka_unit_test(test_hugepage_pool_grown_once),
		cmocka_unit_test(test_conflicting_fixes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
