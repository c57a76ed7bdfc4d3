// SPDX-License-Identifier: MIT
/* System V IPC rules: shared memory (kernel.shm*) and semaphores (kernel.sem),
 * summed over every server on the host that uses them, plus what other programs
 * already hold. */
#include "check/rules.h"

#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "util/banned.h"

/* The x86-64 page size: kernel.shmall is counted in it. */
#define IPC_PAGE 4096u

/* What all SysV-semaphore servers on the host need together. */
struct sem_total {
	size_t users;     /* instances using SysV semaphores */
	int64_t sets, semmns, semmsl;
	uint64_t used_sets, used_sems; /* held by other programs now */
	bool in_use_known;
	struct buf who;   /* one line per instance with its formula */
};

/* True when uid belongs to a running SysV instance: its sets are already counted
 * in its requirement and must not be counted again as "used by others". */
static bool uid_of_running_sysv(const struct check_ctx *c, uint32_t uid)
{
	for (size_t i = 0; i < c->npg; i++)
		if (c->pg[i].live.pid && c->pgneeds[i].sysv_sem && c->pg[i].have_uid &&
		    c->pg[i].uid == uid)
			return true;
	return false;
}

static void sem_total_compute(const struct check_ctx *c, struct sem_total *t)
{
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < c->npg; i++) {
		const struct pg_needs *nd = &c->pgneeds[i];
		if (!nd->sysv_sem || nd->nsems <= 0)
			continue;
		char s[320];
		t->users++;
		t->sets += nd->sets;
		t->semmns += nd->semmns;
		if (nd->semmsl > t->semmsl)
			t->semmsl = nd->semmsl;
		buf_appendf(&t->who, "%s%s: %s; sets = ceil(%lld / %lld) = %lld, semaphores = %lld x %lld = %lld",
			    t->who.len ? "\n" : "", pg_subj(c, i, s, sizeof(s)), nd->sem_formula,
			    (long long)nd->nsems, (long long)nd->sem_per_set, (long long)nd->sets,
			    (long long)nd->sets, (long long)nd->semmsl, (long long)nd->semmns);
	}
	const struct sysvipc *ipc = &c->h->ipc;
	t->in_use_known = c->h->sem_src.state == SRC_OK;
	for (size_t i = 0; t->in_use_known && i < ipc->nsem; i++) {
		if (uid_of_running_sysv(c, ipc->sem[i].uid))
			continue;
		t->used_sets++;
		t->used_sems += ipc->sem[i].nsems;
	}
}

/* The subject of a host-wide requirement: the one instance, or the host. */
static const char *sem_subject(const struct check_ctx *c, const struct sem_total *t, char *buf,
			       size_t n)
{
	if (t->users == 1)
		for (size_t i = 0; i < c->npg; i++)
			if (c->pgneeds[i].sysv_sem && c->pgneeds[i].nsems > 0)
				return pg_subj(c, i, buf, n);
	snprintf(buf, n, "host (%zu servers)", t->users);
	return buf;
}

/* When no server needs SysV semaphores, say why for each instance. */
static bool sem_not_applicable(struct check_ctx *c, const struct rule *r, const struct sem_total *t)
{
	if (t->users)
		return false;
	for (size_t i = 0; i < c->npg; i++) {
		char s[320];
		const struct pg_needs *nd = &c->pgneeds[i];
		if (nd->nsems < 0) {
			struct finding *f = finding_add(c, r, FS_UNKNOWN, pg_subj(c, i, s, sizeof(s)),
							"the server's version is unknown");
			finding_set(f, FF_NOTE,
				    "PostgreSQL 9.6 and older use System V semaphores, 10 and newer POSIX ones; give --pg-version");
			continue;
		}
		struct finding *f = finding_add(c, r, FS_SKIP, pg_subj(c, i, s, sizeof(s)),
						"not used: %s %d uses POSIX semaphores on Linux",
						c->pg[i].fl->display, c->pg[i].major);
		finding_set(f, FF_NOTE,
			    "unnamed POSIX semaphores live in shared memory and no kernel.sem limit applies (posix_sema.c); it needs %lld of them: %s",
			    (long long)nd->nsems, nd->sem_formula);
	}
	return true;
}

/* kernel.sem as read, or an UNKNOWN/CRITICAL finding. */
static bool read_sem(struct check_ctx *c, const struct rule *r, const char *subj, uint64_t v[4])
{
	const struct sysctl_val *sv = &c->h->sc.k[SC_SEM];
	if (sv->state == SRC_OK) {
		memcpy(v, sv->v, 4 * sizeof(v[0]));
		return true;
	}
	if (sv->state == SRC_UNAVAILABLE) {
		/* No /proc/sys/kernel/sem: the kernel was built without CONFIG_SYSVIPC. */
		struct finding *f = finding_add(c, r, FS_FAIL, subj,
						"the kernel has no System V semaphores");
		f->sev = SEV_CRITICAL;
		finding_set(f, FF_SOURCE, "%s", rootfs_show(c->h->root, "/proc/sys/kernel/sem"));
		finding_set(f, FF_OBSERVED, "kernel.sem is missing (CONFIG_SYSVIPC off?)");
		finding_set(f, FF_REQUIRED, "a kernel with CONFIG_SYSVIPC=y");
		return false;
	}
	struct finding *f = finding_add(c, r, FS_UNKNOWN, subj, "kernel.sem is unreadable");
	finding_set(f, FF_SOURCE, "%s", rootfs_show(c->h->root, "/proc/sys/kernel/sem"));
	finding_set(f, FF_NOTE, "%s", sv->err);
	return false;
}

/* One finding per semaphore field. field: 0 SEMMSL, 1 SEMMNS, 3 SEMMNI. */
static void sem_rule(struct check_ctx *c, const struct rule *r, int field)
{
	struct sem_total t;
	sem_total_compute(c, &t);
	if (sem_not_applicable(c, r, &t))
		goto out;
	char subj[320];
	sem_subject(c, &t, subj, sizeof(subj));
	uint64_t v[4];
	if (!read_sem(c, r, subj, v))
		goto out;
	static const char *const names[] = {"SEMMSL", "SEMMNS", "SEMOPM", "SEMMNI"};
	int64_t need = field == 0 ? t.semmsl
		       : field == 1 ? t.semmns + (int64_t)t.used_sems
				    : t.sets + (int64_t)t.used_sets;
	bool ok = (int64_t)v[field] >= need;
	/* Enough for the servers alone, but what others hold is not known: only the
	 * per-set SEMMSL can be judged without /proc/sysvipc/sem. */
	enum fstatus st = !ok ? FS_FAIL : field == 0 || t.in_use_known ? FS_OK : FS_UNKNOWN;
	struct finding *f = finding_add(c, r, st, subj, "%s %llu %s %lld needed%s", names[field],
					(unsigned long long)v[field], ok ? ">=" : "<", (long long)need,
					st == FS_UNKNOWN ? " by the servers; other users' share unknown" : "");
	if (st == FS_UNKNOWN)
		finding_set(f, FF_NOTE, "%s", c->h->sem_src.err);
	finding_set(f, FF_OBSERVED, "kernel.sem = %llu %llu %llu %llu", (unsigned long long)v[0],
		    (unsigned long long)v[1], (unsigned long long)v[2], (unsigned long long)v[3]);
	finding_set(f, FF_SOURCE, "%s", rootfs_show(c->h->root, "/proc/sys/kernel/sem"));
	finding_set(f, FF_REQUIRED, "%s >= %lld", names[field], (long long)need);
	if (field == 0)
		finding_set(f, FF_FORMULA, "SEMAS_PER_SET %lld + 1 magic semaphore per set\n%s",
			    (long long)t.semmsl - 1, buf_str(&t.who));
	else
		finding_set(f, FF_FORMULA, "%s\n+ %llu %s held by other programs (%s)",
			    buf_str(&t.who),
			    (unsigned long long)(field == 1 ? t.used_sems : t.used_sets),
			    field == 1 ? "semaphores" : "sets",
			    t.in_use_known ? "/proc/sysvipc/sem" : "unavailable: counted as 0");
	/* kernel.sem is written whole, in order SEMMSL SEMMNS SEMOPM SEMMNI: the fix
	 * raises every field that is short and keeps the others. */
	int64_t want[4] = {t.semmsl, t.semmns + (int64_t)t.used_sems, 0,
			   t.sets + (int64_t)t.used_sets};
	char val[96];
	unsigned long long nv[4];
	for (int k = 0; k < 4; k++)
		nv[k] = (int64_t)v[k] >= want[k] ? v[k] : (unsigned long long)want[k];
	snprintf(val, sizeof(val), "%llu %llu %llu %llu", nv[0], nv[1], nv[2], nv[3]);
	if (!ok)
		finding_fix_sysctl(f, "kernel.sem", val);
out:
	buf_release(&t.who);
}

void rule_ipc_semmsl(struct check_ctx *c, const struct rule *r) { sem_rule(c, r, 0); }
void rule_ipc_semmns(struct check_ctx *c, const struct rule *r) { sem_rule(c, r, 1); }
void rule_ipc_semmni(struct check_ctx *c, const struct rule *r) { sem_rule(c, r, 3); }

/* The largest SysV segment any server needs, and the sum for those not running
 * (a running server's segment is already in /proc/sysvipc/shm). who, if not NULL,
 * gets one line per server for the formula. */
static void shm_needs(const struct check_ctx *c, uint64_t *largest, uint64_t *pending,
		      size_t *pending_n, struct buf *who)
{
	*largest = *pending = 0;
	*pending_n = 0;
	for (size_t i = 0; i < c->npg; i++) {
		const struct pg_needs *nd = &c->pgneeds[i];
		char s[320], b[32];
		if (nd->sysv_shm_bytes > *largest)
			*largest = nd->sysv_shm_bytes;
		if (!c->pg[i].live.pid) {
			*pending += nd->sysv_shm_bytes;
			(*pending_n)++;
		}
		if (who)
			buf_appendf(who, "%s%s: %s (shared_memory_type = %s)", who->len ? "\n" : "",
				    pg_subj(c, i, s, sizeof(s)),
				    fmt_bytes(nd->sysv_shm_bytes, b, sizeof(b)),
				    c->pg[i].shared_memory_type);
	}
}

void rule_ipc_shmmax(struct check_ctx *c, const struct rule *r)
{
	uint64_t largest, pending;
	size_t pn;
	struct buf who = BUF_INIT;
	shm_needs(c, &largest, &pending, &pn, &who);
	buf_puts(&who, "\nthe largest single segment counts");
	rule_sysctl_atleast(c, r, "host", SC_SHMMAX, largest, "bytes", buf_str(&who));
	buf_release(&who);
}

void rule_ipc_shmall(struct check_ctx *c, const struct rule *r)
{
	uint64_t largest, pending;
	size_t pn;
	struct buf who = BUF_INIT, fml = BUF_INIT;
	shm_needs(c, &largest, &pending, &pn, &who);
	uint64_t used = sysvipc_shm_bytes(&c->h->ipc, IPC_ALL, 0);
	uint64_t need = (used + pending + IPC_PAGE - 1) / IPC_PAGE;
	buf_appendf(&fml,
		    "ceil((%llu bytes in System V segments now (%s) + %llu bytes for %zu servers not running) / %u-byte pages)\n%s",
		    (unsigned long long)used,
		    c->h->shm_src.state == SRC_OK ? "/proc/sysvipc/shm" : "unavailable: 0",
		    (unsigned long long)pending, pn, IPC_PAGE, buf_str(&who));
	rule_sysctl_atleast(c, r, "host", SC_SHMALL, need, "pages", buf_str(&fml));
	buf_release(&who);
	buf_release(&fml);
}

void rule_ipc_shmmni(struct check_ctx *c, const struct rule *r)
{
	uint64_t largest, pending;
	size_t pn;
	struct buf fml = BUF_INIT;
	shm_needs(c, &largest, &pending, &pn, NULL);
	size_t used = sysvipc_shm_count(&c->h->ipc, IPC_ALL, 0);
	buf_appendf(&fml, "%zu segments now (%s) + 1 per server not running (%zu)", used,
		    c->h->shm_src.state == SRC_OK ? "/proc/sysvipc/shm" : "unavailable: 0", pn);
	rule_sysctl_atleast(c, r, "host", SC_SHMMNI, used + pn, "segments", buf_str(&fml));
	buf_release(&fml);
}
