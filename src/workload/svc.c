// SPDX-License-Identifier: MIT
/* The live-process reader shared by the MySQL, Redis and network-service models. */
#include "workload/svc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "util/banned.h"

ssize_t svc_read_pid_file(const struct rootfs *r, int64_t pid, const char *name, char **buf)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%lld/%s", (long long)pid, name);
	return rootfs_read(r, path, SVC_FILE_MAX, buf);
}

typedef int (*parse_fn)(const char *buf, size_t len, void *out, struct perr *err);

static bool read_parsed(const struct rootfs *r, int64_t pid, const char *name, parse_fn fn,
			void *out)
{
	char *buf;
	ssize_t n = svc_read_pid_file(r, pid, name, &buf);
	if (n < 0)
		return false;
	struct perr e;
	bool ok = fn(buf, (size_t)n, out, &e) == 0;
	free(buf);
	return ok;
}

static int p_status(const char *b, size_t n, void *o, struct perr *e) { return pidstatus_parse(b, n, o, e); }
static int p_limits(const char *b, size_t n, void *o, struct perr *e) { return pidlimits_parse(b, n, o, e); }
static int p_oom(const char *b, size_t n, void *o, struct perr *e) { return oomadj_parse(b, n, o, e); }
static int p_cgroup(const char *b, size_t n, void *o, struct perr *e) { return cgroup_parse(b, n, o, e); }
static int p_mounts(const char *b, size_t n, void *o, struct perr *e) { return mounts_parse(b, n, o, e); }
static int p_smaps(const char *b, size_t n, void *o, struct perr *e) { return smaps_anon_huge(b, n, o, e); }

int smaps_anon_huge(const char *buf, size_t len, uint64_t *kb, struct perr *err)
{
	struct lineiter it;
	struct span line;
	bool found = false;
	*kb = 0;
	lineiter_init(&it, buf, len);
	/* smaps has one AnonHugePages line per mapping; smaps_rollup has one. */
	while (lineiter_next(&it, &line)) {
		if (!span_startswith(line, "AnonHugePages:"))
			continue;
		struct span tok[3];
		line.p += 14, line.n -= 14;
		size_t nt = span_split_ws(line, tok, 3);
		uint64_t v;
		if (nt != 2 || !span_eq(tok[1], "kB") || parse_u64(tok[0], &v) < 0 ||
		    *kb + v < *kb) {
			perr_set(err, it.lineno, "AnonHugePages is not '<number> kB'");
			return -EINVAL;
		}
		*kb += v;
		found = true;
	}
	if (!found) {
		perr_set(err, 0, "no AnonHugePages line");
		return -EINVAL;
	}
	return 0;
}

static bool count_fds(const struct rootfs *r, int64_t pid, uint64_t *n)
{
	char path[64];
	struct strlist l = {0};
	snprintf(path, sizeof(path), "/proc/%lld/fd", (long long)pid);
	int rc = rootfs_list(r, path, &l);
	if (rc < 0)
		return false;
	*n = (uint64_t)rc;
	strlist_release(&l);
	return true;
}

bool svc_proc_read(const struct rootfs *r, int64_t pid, struct svc_proc *p)
{
	memset(p, 0, sizeof(*p));
	if (!read_parsed(r, pid, "status", p_status, &p->st))
		return false;
	p->pid = pid;
	p->have_limits = read_parsed(r, pid, "limits", p_limits, &p->lim);
	p->have_oom = read_parsed(r, pid, "oom_score_adj", p_oom, &p->oom_adj);
	p->have_cgroup = read_parsed(r, pid, "cgroup", p_cgroup, &p->cg);
	if (p->have_cgroup)
		cgroup_memlimit_read(r, &p->cg, &p->memlimit);
	p->have_mounts = read_parsed(r, pid, "mountinfo", p_mounts, &p->mounts);
	p->have_smaps = read_parsed(r, pid, "smaps_rollup", p_smaps, &p->anon_huge_kb);
	p->have_fds = count_fds(r, pid, &p->nfds);

	char path[64];
	snprintf(path, sizeof(path), "/proc/%lld/cwd", (long long)pid);
	if (rootfs_readlink(r, path, p->cwd, sizeof(p->cwd)) < 0)
		p->cwd[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%lld/exe", (long long)pid);
	ssize_t n = rootfs_readlink(r, path, p->exe, sizeof(p->exe));
	if (n < 0)
		p->exe[0] = '\0';
	else {
		size_t l = strlen(p->exe);
		if (l > 10 && !strcmp(p->exe + l - 10, " (deleted)"))
			p->exe[l - 10] = '\0';
	}
	char *cl;
	n = svc_read_pid_file(r, pid, "cmdline", &cl);
	if (n >= 0) {
		p->cmdline = cl;
		p->argc = cmdline_split(cl, (size_t)n, p->argv, SVC_MAX_ARGS);
	}
	return true;
}

void svc_proc_release(struct svc_proc *p)
{
	mounts_release(&p->mounts);
	free(p->cmdline);
	p->cmdline = NULL;
	p->argc = 0;
}

static int cmp_pid(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

size_t svc_find_comm(const struct rootfs *r, const char *const *names, int64_t **out)
{
	struct strlist pids = {0};
	size_t n = 0, cap = 0;
	*out = NULL;
	if (rootfs_list(r, "/proc", &pids) < 0)
		return 0;
	for (size_t i = 0; i < pids.n; i++) {
		uint64_t pid;
		if (parse_u64(span_from(pids.v[i]), &pid) < 0 || pid == 0 || pid > INT32_MAX)
			continue;
		char *comm;
		ssize_t len = svc_read_pid_file(r, (int64_t)pid, "comm", &comm);
		if (len < 0)
			continue;
		char name[32];
		span_copy(span_trim((struct span){comm, (size_t)len}), name, sizeof(name));
		free(comm);
		for (size_t k = 0; names[k]; k++)
			if (!strcmp(names[k], name)) {
				ALLOC_GROW(*out, n + 1, cap);
				(*out)[n++] = (int64_t)pid;
				break;
			}
	}
	strlist_release(&pids);
	if (n > 1)
		qsort(*out, n, sizeof(**out), cmp_pid);
	return n;
}

void svc_unit(const struct svc_proc *p, char *unit, size_t n)
{
	unit[0] = '\0';
	if (p->have_cgroup && !cgroup_unit(&p->cg, unit, n))
		unit[0] = '\0';
}
