// SPDX-License-Identifier: MIT
/* Parsing /proc/sysvipc/shm and /proc/sysvipc/sem. Columns are located by the header
 * names because their set has grown over time (rss and swap in 2.6.28); the rows are
 * printed by ipc/shm.c sysvipc_shm_proc_show() and ipc/sem.c sysvipc_sem_proc_show(). */
#include "host/sysvipc.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "util/banned.h"

/* More columns than any kernel prints (shm has 16). */
#define IPC_MAX_COLS 32

enum col_type {
	COL_I64, /* "%10d": keys and ids are C ints */
	COL_U64,
	COL_U32, /* uids are printed with "%5u" from from_kuid_munged() */
};

struct col {
	const char *name;
	bool required;
	enum col_type type;
};

union colval {
	int64_t i;
	uint64_t u;
};

enum { SHM_KEY, SHM_SHMID, SHM_SIZE, SHM_UID, SHM_NATTCH, SHM__COLS };
static const struct col shm_cols[SHM__COLS] = {
    [SHM_KEY] = {"key", true, COL_I64},        [SHM_SHMID] = {"shmid", true, COL_I64},
    [SHM_SIZE] = {"size", true, COL_U64},      /* bytes */
    [SHM_UID] = {"uid", true, COL_U32},        /* owner, not creator (cuid) */
    [SHM_NATTCH] = {"nattch", false, COL_U64}, /* processes attached */
};

enum { SEM_KEY, SEM_SEMID, SEM_NSEMS, SEM_UID, SEM__COLS };
static const struct col sem_cols[SEM__COLS] = {
    [SEM_KEY] = {"key", true, COL_I64},
    [SEM_SEMID] = {"semid", true, COL_I64},
    [SEM_NSEMS] = {"nsems", true, COL_U64}, /* semaphores in the set */
    [SEM_UID] = {"uid", true, COL_U32},
};

/* A table being parsed: which header column each wanted column is (-1: absent). */
struct table {
	const struct col *cols;
	size_t ncols;
	int idx[IPC_MAX_COLS];
	size_t nheader; /* columns in the header */
};

static int find_columns(struct table *t, struct span header, struct perr *err)
{
	struct span tok[IPC_MAX_COLS];
	t->nheader = span_split_ws(header, tok, ARRAY_SIZE(tok));
	if (t->nheader > ARRAY_SIZE(tok)) {
		perr_set(err, 1, "header has more than %d columns", IPC_MAX_COLS);
		return -EINVAL;
	}
	for (size_t c = 0; c < t->ncols; c++) {
		t->idx[c] = -1;
		for (size_t i = 0; i < t->nheader && t->idx[c] < 0; i++)
			if (span_eq(tok[i], t->cols[c].name))
				t->idx[c] = (int)i;
		if (t->idx[c] < 0 && t->cols[c].required) {
			perr_set(err, 1, "header has no '%s' column", t->cols[c].name);
			return -EINVAL;
		}
	}
	return 0;
}

static int parse_cell(struct span s, const struct col *c, union colval *v, unsigned line,
                      struct perr *err)
{
	int rc = c->type == COL_I64 ? parse_i64(s, &v->i) : parse_u64(s, &v->u);
	if (!rc && c->type == COL_U32 && v->u > UINT32_MAX)
		rc = -ERANGE;
	if (rc == -ERANGE)
		perr_set(err, line, "value in column '%s' is out of range", c->name);
	else if (rc)
		perr_set(err, line, "value in column '%s' is not a number", c->name);
	return rc ? -EINVAL : 0;
}

/* Splits a row and parses the wanted columns into v (absent ones are 0). */
static int parse_row(const struct table *t, struct span line, unsigned lineno, union colval *v,
                     struct perr *err)
{
	struct span tok[IPC_MAX_COLS];
	size_t nt = span_split_ws(line, tok, ARRAY_SIZE(tok));
	if (nt != t->nheader) {
		perr_set(err, lineno, "expected %zu fields as in the header, found %zu", t->nheader,
		         nt);
		return -EINVAL;
	}
	for (size_t c = 0; c < t->ncols; c++) {
		v[c].u = 0;
		if (t->idx[c] >= 0 && parse_cell(tok[t->idx[c]], &t->cols[c], &v[c], lineno, err))
			return -EINVAL;
	}
	return 0;
}

typedef void (*row_fn)(struct sysvipc *ipc, const union colval *v);

static int parse_table(struct table *t, const char *buf, size_t len, row_fn add,
                       struct sysvipc *ipc, struct perr *err)
{
	struct lineiter it;
	struct span line;
	union colval v[IPC_MAX_COLS];
	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line)) {
		if (it.unterminated) {
			perr_set(err, it.lineno, "file ends in the middle of a line (truncated?)");
			return -EINVAL;
		}
		if (it.lineno == 1) {
			if (find_columns(t, line, err))
				return -EINVAL;
			continue;
		}
		if (parse_row(t, line, it.lineno, v, err))
			return -EINVAL;
		add(ipc, v);
	}
	if (it.lineno == 0) {
		perr_set(err, 0, "empty file, expected a header line");
		return -EINVAL;
	}
	return 0;
}

static void add_shm(struct sysvipc *ipc, const union colval *v)
{
	ALLOC_GROW(ipc->shm, ipc->nshm + 1, ipc->shm_cap);
	ipc->shm[ipc->nshm++] = (struct ipc_shm){
	    .key = v[SHM_KEY].i,
	    .shmid = v[SHM_SHMID].i,
	    .size = v[SHM_SIZE].u,
	    .uid = (uint32_t)v[SHM_UID].u,
	    .nattch = v[SHM_NATTCH].u,
	};
}

static void add_sem(struct sysvipc *ipc, const union colval *v)
{
	ALLOC_GROW(ipc->sem, ipc->nsem + 1, ipc->sem_cap);
	ipc->sem[ipc->nsem++] = (struct ipc_sem){
	    .key = v[SEM_KEY].i,
	    .semid = v[SEM_SEMID].i,
	    .nsems = v[SEM_NSEMS].u,
	    .uid = (uint32_t)v[SEM_UID].u,
	};
}

/* On error the rows of this file are dropped, so ipc is as before the call. */
int sysvipc_parse_shm(const char *buf, size_t len, struct sysvipc *ipc, struct perr *err)
{
	struct table t = {.cols = shm_cols, .ncols = SHM__COLS};
	size_t before = ipc->nshm;
	if (parse_table(&t, buf, len, add_shm, ipc, err)) {
		ipc->nshm = before;
		return -EINVAL;
	}
	return 0;
}

int sysvipc_parse_sem(const char *buf, size_t len, struct sysvipc *ipc, struct perr *err)
{
	struct table t = {.cols = sem_cols, .ncols = SEM__COLS};
	size_t before = ipc->nsem;
	if (parse_table(&t, buf, len, add_sem, ipc, err)) {
		ipc->nsem = before;
		return -EINVAL;
	}
	return 0;
}

void sysvipc_release(struct sysvipc *ipc)
{
	free(ipc->shm);
	free(ipc->sem);
	memset(ipc, 0, sizeof(*ipc));
}

static bool who_matches(enum ipc_who who, uint32_t owner, uint32_t uid)
{
	switch (who) {
	case IPC_OWNED_BY:
		return owner == uid;
	case IPC_NOT_OWNED_BY:
		return owner != uid;
	case IPC_ALL:
		break;
	}
	return true;
}

/* Sums saturate: a hostile table must not wrap a total back to small. */
static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

uint64_t sysvipc_shm_bytes(const struct sysvipc *ipc, enum ipc_who who, uint32_t uid)
{
	uint64_t sum = 0;
	for (size_t i = 0; i < ipc->nshm; i++)
		if (who_matches(who, ipc->shm[i].uid, uid))
			sum = sat_add(sum, ipc->shm[i].size);
	return sum;
}

size_t sysvipc_shm_count(const struct sysvipc *ipc, enum ipc_who who, uint32_t uid)
{
	size_t n = 0;
	for (size_t i = 0; i < ipc->nshm; i++)
		n += who_matches(who, ipc->shm[i].uid, uid);
	return n;
}

uint64_t sysvipc_sem_total(const struct sysvipc *ipc, enum ipc_who who, uint32_t uid)
{
	uint64_t sum = 0;
	for (size_t i = 0; i < ipc->nsem; i++)
		if (who_matches(who, ipc->sem[i].uid, uid))
			sum = sat_add(sum, ipc->sem[i].nsems);
	return sum;
}

size_t sysvipc_sem_sets(const struct sysvipc *ipc, enum ipc_who who, uint32_t uid)
{
	size_t n = 0;
	for (size_t i = 0; i < ipc->nsem; i++)
		n += who_matches(who, ipc->sem[i].uid, uid);
	return n;
}
