// SPDX-License-Identifier: MIT
/* Tests of the /proc/sysvipc/shm and /proc/sysvipc/sem parsers and of the per-owner
 * totals, on real, hand-written and malformed tables. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "host/sysvipc.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define S(lit) lit, sizeof(lit) - 1

/* Captured on a Debian 12 Firecracker guest, kernel 6.18: no objects in use. */
static const char real_shm[] =
    "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  "
    "cgid      atime      dtime      ctime                   rss                  swap\n";
static const char real_sem[] =
    "       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n";

/* Hand-written in the 6.x format (ipc/shm.c sysvipc_shm_proc_show on 64-bit): the
 * 56-byte segment of a PostgreSQL 15 master (key = port * 1000 + 1, uid 106), and a
 * 2 GB segment of an Oracle instance (uid 54321) whose ftok key is negative. */
static const char shm_6x[] =
    "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  "
    "cgid      atime      dtime      ctime                   rss                  swap\n"
    "   5432001          0   600                    56   812   812      7   106   113   106   "
    "113 1700000000 1700000000 1700000000                  4096                     0\n"
    "-1325390575      32769   640            2147483648  2233  2240     45 54321 54322 54321 "
    "54322 1700000100          0 1700000001            2147483648                     0\n";

/* Hand-written in the 2.6.18 format (before rss and swap, 2.6.28). */
static const char shm_2618[] =
    "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  "
    "cgid      atime      dtime      ctime\n"
    "   5432001      65536   600              35233792  3120  3315      5    26    26    26    "
    "26 1300000000 1300000010 1300000000\n";

/* Hand-written in the 6.x format (ipc/sem.c sysvipc_sem_proc_show): the 17-semaphore
 * sets a PostgreSQL master with max_connections = 100 creates (uid 106), and one
 * set of another user. */
static const char sem_6x[] =
    "       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n"
    "   5432001          0   600         17   106   113   106   113 1700000050 1700000000\n"
    "   5432002          1   600         17   106   113   106   113 1700000050 1700000000\n"
    "   5432003          2   600         17   106   113   106   113          0 1700000000\n"
    "         0          3   666          1  1000  1000  1000  1000          0 1700000200\n";

/* Columns are found by name, so a reordered header (no kernel prints one) works. */
static const char shm_reordered[] = "uid size key shmid\n"
                                    "0 4096 -1 7\n";

static void test_real_empty(void **state)
{
	struct sysvipc ipc = {0};
	struct perr e = {0};
	(void)state;
	assert_int_equal(sysvipc_parse_shm(S(real_shm), &ipc, &e), 0);
	assert_int_equal(sysvipc_parse_sem(S(real_sem), &ipc, &e), 0);
	assert_int_equal(ipc.nshm, 0);
	assert_int_equal(ipc.nsem, 0);
	assert_int_equal(sysvipc_shm_bytes(&ipc, IPC_ALL, 0), 0);
	assert_int_equal(sysvipc_sem_sets(&ipc, IPC_ALL, 0), 0);
	sysvipc_release(&ipc);
}

static void test_shm(void **state)
{
	struct sysvipc ipc = {0};
	struct perr e = {0};
	(void)state;
	assert_int_equal(sysvipc_parse_shm(S(shm_6x), &ipc, &e), 0);
	assert_int_equal(ipc.nshm, 2);
	assert_int_equal(ipc.shm[0].key, 5432001);
	assert_int_equal(ipc.shm[0].shmid, 0);
	assert_int_equal(ipc.shm[0].size, 56);
	assert_int_equal(ipc.shm[0].uid, 106);
	assert_int_equal(ipc.shm[0].nattch, 7);
	assert_int_equal(ipc.shm[1].key, -1325390575);
	assert_int_equal(ipc.shm[1].shmid, 32769);
	assert_int_equal(ipc.shm[1].size, 2147483648u);
	assert_int_equal(ipc.shm[1].uid, 54321);
	assert_int_equal(ipc.shm[1].nattch, 45);
	/* Appends: a second file adds to the first. */
	assert_int_equal(sysvipc_parse_shm(S(shm_2618), &ipc, &e), 0);
	assert_int_equal(ipc.nshm, 3);
	assert_int_equal(ipc.shm[2].shmid, 65536);
	assert_int_equal(ipc.shm[2].size, 35233792);
	assert_int_equal(ipc.shm[2].uid, 26);
	assert_int_equal(ipc.shm[2].nattch, 5);
	assert_int_equal(sysvipc_parse_shm(S(shm_reordered), &ipc, &e), 0);
	assert_int_equal(ipc.nshm, 4);
	assert_int_equal(ipc.shm[3].key, -1);
	assert_int_equal(ipc.shm[3].shmid, 7);
	assert_int_equal(ipc.shm[3].size, 4096);
	assert_int_equal(ipc.shm[3].uid, 0);
	assert_int_equal(ipc.shm[3].nattch, 0); /* no nattch column */
	sysvipc_release(&ipc);
	assert_null(ipc.shm);
	assert_int_equal(ipc.nshm, 0);
}

struct total_case {
	enum ipc_who who;
	uint32_t uid;
	uint64_t shm_bytes;
	size_t shm_count;
	uint64_t sem_total;
	size_t sem_sets;
};

static const struct total_case totals[] = {
    {IPC_ALL, 0, 56 + 2147483648u, 2, 17 * 3 + 1, 4},
    {IPC_ALL, 12345, 56 + 2147483648u, 2, 17 * 3 + 1, 4}, /* uid ignored */
    {IPC_OWNED_BY, 106, 56, 1, 17 * 3, 3},
    {IPC_NOT_OWNED_BY, 106, 2147483648u, 1, 1, 1},
    {IPC_OWNED_BY, 54321, 2147483648u, 1, 0, 0},
    {IPC_OWNED_BY, 7, 0, 0, 0, 0},
    {IPC_NOT_OWNED_BY, 7, 56 + 2147483648u, 2, 17 * 3 + 1, 4},
};

static void test_totals(void **state)
{
	struct sysvipc ipc = {0};
	struct perr e = {0};
	(void)state;
	assert_int_equal(sysvipc_parse_shm(S(shm_6x), &ipc, &e), 0);
	assert_int_equal(sysvipc_parse_sem(S(sem_6x), &ipc, &e), 0);
	assert_int_equal(ipc.nsem, 4);
	assert_int_equal(ipc.sem[0].key, 5432001);
	assert_int_equal(ipc.sem[0].semid, 0);
	assert_int_equal(ipc.sem[0].nsems, 17);
	assert_int_equal(ipc.sem[0].uid, 106);
	assert_int_equal(ipc.sem[3].key, 0);
	assert_int_equal(ipc.sem[3].uid, 1000);
	for (size_t i = 0; i < ARRAY_SIZE(totals); i++) {
		const struct total_case *t = &totals[i];
		print_message("case %zu\n", i);
		assert_int_equal(sysvipc_shm_bytes(&ipc, t->who, t->uid), t->shm_bytes);
		assert_int_equal(sysvipc_shm_count(&ipc, t->who, t->uid), t->shm_count);
		assert_int_equal(sysvipc_sem_total(&ipc, t->who, t->uid), t->sem_total);
		assert_int_equal(sysvipc_sem_sets(&ipc, t->who, t->uid), t->sem_sets);
	}
	sysvipc_release(&ipc);
}

/* Sizes that add past 2^64 give UINT64_MAX, not a small wrapped total. */
static void test_saturate(void **state)
{
	static const char in[] = "key shmid size uid\n"
	                         "1 1 18446744073709551615 0\n"
	                         "2 2 2 0\n";
	struct sysvipc ipc = {0};
	struct perr e = {0};
	(void)state;
	assert_int_equal(sysvipc_parse_shm(S(in), &ipc, &e), 0);
	assert_int_equal(sysvipc_shm_bytes(&ipc, IPC_ALL, 0), UINT64_MAX);
	sysvipc_release(&ipc);
}

struct bad_case {
	const char *name;
	int sem; /* which parser */
	const char *in;
	size_t len;
	unsigned line;
	const char *msg;
};

#define SHM_HDR "key shmid perms size nattch uid\n"
#define SEM_HDR "key semid perms nsems uid\n"

static const struct bad_case bad[] = {
    {"empty", 0, S(""), 0, "empty file, expected a header line"},
    {"empty sem", 1, S(""), 0, "empty file, expected a header line"},
    {"no size column", 0, S("key shmid perms uid\n"), 1, "header has no 'size' column"},
    {"no uid column", 1, S("key semid perms nsems cuid\n"), 1, "header has no 'uid' column"},
    {"row as header", 0, S("   5432001          0   600     56\n"), 1,
     "header has no 'key' column"},
    {"short row", 0, S(SHM_HDR "1 2 600 56 1\n"), 2, "expected 6 fields as in the header, found 5"},
    {"long row", 1, S(SEM_HDR "1 2 600 17 0 9\n"), 2,
     "expected 5 fields as in the header, found 6"},
    {"blank row", 1, S(SEM_HDR "\n"), 2, "expected 5 fields as in the header, found 0"},
    {"bad key", 0, S(SHM_HDR "0x1 2 600 56 1 0\n"), 2, "value in column 'key' is not a number"},
    {"negative size", 0, S(SHM_HDR "1 2 600 -56 1 0\n"), 2,
     "value in column 'size' is not a number"},
    {"size overflow", 0, S(SHM_HDR "1 2 600 99999999999999999999999 1 0\n"), 2,
     "value in column 'size' is out of range"},
    {"key overflow", 1, S(SEM_HDR "9223372036854775808 1 600 1 0\n"), 2,
     "value in column 'key' is out of range"},
    {"uid overflow", 1, S(SEM_HDR "1 1 600 1 4294967296\n"), 2,
     "value in column 'uid' is out of range"},
    {"bad nattch", 0, S(SHM_HDR "1 2 600 56 x 0\n"), 2, "value in column 'nattch' is not a number"},
    {"truncated", 0, S(SHM_HDR "1 2 600 56 1 0\n3 4 600 5"), 3,
     "file ends in the middle of a line (truncated?)"},
    {"truncated header", 1, S("key semid per"), 1,
     "file ends in the middle of a line (truncated?)"},
    {"NUL after number", 1, S(SEM_HDR "1 1 600 1\0 0\n"), 2,
     "value in column 'nsems' is not a number"},
    {"NUL as a field", 1, S(SEM_HDR "1 1 600 1 \0\n"), 2, "value in column 'uid' is not a number"},
    {"too many columns", 1,
     S("a b c d e f g h i j k l m n o p q r s t u v w x y z A B C D E F G key semid\n"), 1,
     "header has more than 32 columns"},
};

static void test_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct sysvipc ipc = {0};
		struct perr e = {0};
		print_message("case %s\n", bad[i].name);
		/* One good table first: a failing parse must leave it as it was. */
		assert_int_equal(sysvipc_parse_shm(S(shm_6x), &ipc, &e), 0);
		assert_int_equal(sysvipc_parse_sem(S(sem_6x), &ipc, &e), 0);
		int rc = bad[i].sem ? sysvipc_parse_sem(bad[i].in, bad[i].len, &ipc, &e)
		                    : sysvipc_parse_shm(bad[i].in, bad[i].len, &ipc, &e);
		assert_int_equal(rc, -EINVAL);
		assert_int_equal(e.line, bad[i].line);
		assert_string_equal(e.msg, bad[i].msg);
		assert_int_equal(ipc.nshm, 2);
		assert_int_equal(ipc.nsem, 4);
		sysvipc_release(&ipc);
	}
}

/* A bad row after good ones drops the good ones of that file too. */
static void test_rollback(void **state)
{
	static const char in[] = SEM_HDR "1 1 600 1 0\n2 2 600 1 0\nx\n";
	struct sysvipc ipc = {0};
	struct perr e = {0};
	(void)state;
	assert_int_equal(sysvipc_parse_sem(S(in), &ipc, &e), -EINVAL);
	assert_int_equal(e.line, 4);
	assert_int_equal(ipc.nsem, 0);
	sysvipc_release(&ipc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_real_empty), cmocka_unit_test(test_shm),
	    cmocka_unit_test(test_totals),     cmocka_unit_test(test_saturate),
	    cmocka_unit_test(test_bad),        cmocka_unit_test(test_rollback),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
