// SPDX-License-Identifier: MIT
/* Parsers for the files of one process under /proc/PID. Each is a pure function
 * over the bytes the kernel printed; the kernel source of each format is named at
 * its parser. */
#include "host/proc.h"

#include <errno.h>
#include <string.h>

#include "util/xalloc.h"
#include "util/banned.h"

/* Sums saturate: hostile input must not wrap a total back to small. */
static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static int unterminated(struct perr *err, unsigned line)
{
	/* seq_file always ends each line; a missing newline means a short read. */
	perr_set(err, line, "file ends in the middle of a line (truncated?)");
	return -EINVAL;
}

/* ---- /proc/PID/status: fs/proc/array.c proc_pid_status() and task_mem() ---- */

enum st_kind {
	ST_NAME, /* "Name:\t<comm>", escaped by proc_task_name() */
	ST_I64,  /* one number */
	ST_U64,
	ST_IDS, /* "Uid:\t<real>\t<effective>\t<saved>\t<fs>" */
	ST_KB,  /* "VmRSS:\t    1672 kB" */
};

static const struct {
	const char *key;
	enum st_kind kind;
	size_t off;
	bool required; /* printed by every kernel for every task */
} status_keys[] = {
    {"Name", ST_NAME, offsetof(struct pid_status, name), true},
    {"Pid", ST_I64, offsetof(struct pid_status, pid), true},
    {"PPid", ST_I64, offsetof(struct pid_status, ppid), false},
    {"Uid", ST_IDS, offsetof(struct pid_status, uid), false},
    {"Gid", ST_IDS, offsetof(struct pid_status, gid), false},
    /* The Vm and Rss lines are absent for kernel threads (no mm). */
    {"VmRSS", ST_KB, offsetof(struct pid_status, vmrss_kb), false},
    {"RssAnon", ST_KB, offsetof(struct pid_status, rssanon_kb), false},   /* since 4.5 */
    {"RssShmem", ST_KB, offsetof(struct pid_status, rssshmem_kb), false}, /* since 4.5 */
    {"VmSwap", ST_KB, offsetof(struct pid_status, vmswap_kb), false},     /* since 2.6.34 */
    {"Threads", ST_U64, offsetof(struct pid_status, threads), false},
};

static int status_ids(const struct span *tok, size_t nt, uint32_t *ids)
{
	if (nt != 4)
		return -EINVAL;
	for (size_t i = 0; i < 4; i++) {
		uint64_t v;
		if (parse_u64(tok[i], &v) || v > UINT32_MAX)
			return -EINVAL;
		ids[i] = (uint32_t)v;
	}
	return 0;
}

/* Parses the value of status_keys[k] into the field at p. */
static int status_value(size_t k, struct span val, void *p)
{
	struct span tok[5];
	size_t nt;
	switch (status_keys[k].kind) {
	case ST_NAME:
		if (val.n && val.p[0] == '\t') {
			/* Skip only the separator: the name itself may begin with a blank. */
			val.p++;
			val.n--;
		}
		span_copy(val, p, sizeof(((struct pid_status *)0)->name));
		return 0;
	case ST_I64:
		nt = span_split_ws(val, tok, ARRAY_SIZE(tok));
		return nt == 1 ? parse_i64(tok[0], p) : -EINVAL;
	case ST_U64:
		nt = span_split_ws(val, tok, ARRAY_SIZE(tok));
		return nt == 1 ? parse_u64(tok[0], p) : -EINVAL;
	case ST_IDS:
		nt = span_split_ws(val, tok, ARRAY_SIZE(tok));
		return status_ids(tok, nt, p);
	case ST_KB:
		nt = span_split_ws(val, tok, ARRAY_SIZE(tok));
		if (nt != 2 || !span_eq(tok[1], "kB"))
			return -EINVAL;
		return parse_u64(tok[0], p);
	}
	return -EINVAL;
}

static const char *const status_want[] = {
    [ST_NAME] = "a name", [ST_I64] = "a number",      [ST_U64] = "a number",
    [ST_IDS] = "4 ids",   [ST_KB] = "a number of kB",
};

int pidstatus_parse(const char *buf, size_t len, struct pid_status *st, struct perr *err)
{
	struct lineiter it;
	struct span line;
	unsigned seen = 0;
	memset(st, 0, sizeof(*st));
	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line)) {
		if (it.unterminated)
			goto fail_short;
		const char *colon = memchr(line.p, ':', line.n);
		if (!colon)
			continue;
		struct span key = {line.p, (size_t)(colon - line.p)};
		struct span val = {colon + 1, line.n - key.n - 1};
		for (size_t k = 0; k < ARRAY_SIZE(status_keys); k++) {
			if (!span_eq(key, status_keys[k].key))
				continue;
			if (status_value(k, val, (char *)st + status_keys[k].off)) {
				perr_set(err, it.lineno, "expected %s after '%s:'",
				         status_want[status_keys[k].kind], status_keys[k].key);
				goto fail;
			}
			seen |= 1u << k;
		}
	}
	for (size_t k = 0; k < ARRAY_SIZE(status_keys); k++) {
		if (status_keys[k].required && !(seen & (1u << k))) {
			perr_set(err, 0, "no '%s:' line", status_keys[k].key);
			goto fail;
		}
	}
	return 0;
fail_short:
	unterminated(err, it.lineno);
fail:
	memset(st, 0, sizeof(*st));
	return -EINVAL;
}

/* ---- /proc/PID/limits: fs/proc/base.c proc_pid_limits() ---- */

/* Row titles from lnames[] in fs/proc/base.c. */
static const char *const limit_names[PL__COUNT] = {
    [PL_NOFILE] = "Max open files",     [PL_NPROC] = "Max processes",
    [PL_MEMLOCK] = "Max locked memory", [PL_CORE] = "Max core file size",
    [PL_AS] = "Max address space",
};

const char *pidlimits_name(enum pl_limit l)
{
	return (unsigned)l < PL__COUNT ? limit_names[l] : "?";
}

static int limit_value(struct span s, uint64_t *v)
{
	if (span_eq(s, "unlimited")) {
		*v = RLIM_UNLIMITED_U64;
		return 0;
	}
	return parse_u64(s, v);
}

/* A row is "%-25s %-20s %-20s %-10s": the title holds single spaces, so it ends at
 * the first run of two. */
static int limits_row(struct span line, unsigned lineno, struct pid_limits *pl, struct perr *err)
{
	size_t t = 0;
	while (t < line.n && !(line.p[t] == ' ' && t + 1 < line.n && line.p[t + 1] == ' '))
		t++;
	struct span title = {line.p, t}, rest = {line.p + t, line.n - t};
	for (size_t l = 0; l < PL__COUNT; l++) {
		if (!span_eq(title, limit_names[l]))
			continue;
		struct span tok[4];
		size_t nt = span_split_ws(rest, tok, ARRAY_SIZE(tok));
		struct rlim *r = &pl->l[l];
		if (nt < 2 || nt > 3 || limit_value(tok[0], &r->soft) ||
		    limit_value(tok[1], &r->hard)) {
			perr_set(err, lineno, "expected soft and hard limits after '%s'",
			         limit_names[l]);
			return -EINVAL;
		}
		r->present = true;
	}
	return 0;
}

int pidlimits_parse(const char *buf, size_t len, struct pid_limits *pl, struct perr *err)
{
	struct lineiter it;
	struct span line, tok[1];
	memset(pl, 0, sizeof(*pl));
	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line)) {
		if (it.unterminated) {
			unterminated(err, it.lineno);
			goto fail;
		}
		if (it.lineno == 1) {
			if (span_split_ws(line, tok, 1) == 0 || !span_eq(tok[0], "Limit")) {
				perr_set(err, 1,
				         "expected the header 'Limit Soft Limit Hard "
				         "Limit Units'");
				goto fail;
			}
		} else if (limits_row(line, it.lineno, pl, err)) {
			goto fail;
		}
	}
	if (it.lineno == 0) {
		perr_set(err, 0, "empty file, expected a header line");
		goto fail;
	}
	return 0;
fail:
	memset(pl, 0, sizeof(*pl));
	return -EINVAL;
}

/* ---- /proc/PID/oom_score_adj: fs/proc/base.c oom_score_adj_read(), "%d\n" ---- */

int oomadj_parse(const char *buf, size_t len, int *adj, struct perr *err)
{
	int64_t v;
	*adj = 0;
	if (len && buf[len - 1] == '\n')
		len--;
	int rc = parse_i64((struct span){buf, len}, &v);
	if (!rc && (v < -1000 || v > 1000))
		rc = -ERANGE; /* OOM_SCORE_ADJ_MIN and _MAX in include/uapi/linux/oom.h */
	if (rc == -ERANGE) {
		perr_set(err, 1, "value is outside -1000..1000");
		return rc;
	}
	if (rc) {
		perr_set(err, 1, "expected one integer");
		return rc;
	}
	*adj = (int)v;
	return 0;
}

/* ---- /proc/PID/environ and cmdline: NUL-separated strings ---- */

const char *environ_get(const char *buf, size_t len, const char *name)
{
	size_t nl = strlen(name);
	const char *p = buf, *end = buf + len;
	if (nl == 0 || memchr(name, '=', nl))
		return NULL;
	while (p < end) {
		const char *z = memchr(p, '\0', (size_t)(end - p));
		size_t n = z ? (size_t)(z - p) : (size_t)(end - p);
		if (n > nl && p[nl] == '=' && memcmp(p, name, nl) == 0)
			return p + nl + 1; /* ends at z, or at buf[len] for a cut-short file */
		if (!z)
			break;
		p = z + 1;
	}
	return NULL;
}

size_t cmdline_split(const char *buf, size_t len, const char **argv, size_t max)
{
	size_t n = 0;
	const char *p = buf, *end = buf + len;
	/* Every argument ends in a NUL; a program that rewrote its title (setproctitle)
	 * may leave none, and then the whole buffer is one argument. */
	while (p < end && n < max) {
		const char *z = memchr(p, '\0', (size_t)(end - p));
		argv[n++] = p;
		if (!z)
			break;
		p = z + 1;
	}
	return n;
}

/* ---- /proc/PID/maps: fs/proc/task_mmu.c show_map_vma() ---- */

static int parse_hex(struct span s, uint64_t *out)
{
	uint64_t v = 0;
	if (s.n == 0 || s.n > 16)
		return -EINVAL;
	for (size_t i = 0; i < s.n; i++) {
		char c = s.p[i];
		unsigned d;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return -EINVAL;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

/* Splits "a<sep>b" and parses both halves as hex. */
static int parse_hex_pair(struct span s, char sep, uint64_t *a, uint64_t *b)
{
	const char *mid = memchr(s.p, sep, s.n);
	if (!mid)
		return -EINVAL;
	struct span l = {s.p, (size_t)(mid - s.p)}, r = {mid + 1, s.n - l.n - 1};
	return parse_hex(l, a) || parse_hex(r, b) ? -EINVAL : 0;
}

/* "rw-s": read, write, exec, then 's'hared or 'p'rivate. */
static bool perms_ok(struct span p)
{
	return p.n == 4 && (p.p[0] == 'r' || p.p[0] == '-') && (p.p[1] == 'w' || p.p[1] == '-') &&
	       (p.p[2] == 'x' || p.p[2] == '-') && (p.p[3] == 's' || p.p[3] == 'p');
}

static bool is_hex(struct span s)
{
	uint64_t v;
	return parse_hex(s, &v) == 0;
}

/* What a shared mapping's path says it is. Anonymous shared memory is a shmem file
 * that was never linked: mm/shmem.c names it "dev/zero", fs/hugetlbfs names it
 * "anon_hugepage", ipc/shm.c newseg() names a segment "SYSV%08x" (the key). */
static enum shm_kind shm_classify(struct span path)
{
	static const char del[] = " (deleted)";
	if (span_eq(path, "/dev/zero (deleted)"))
		return SHM_DEVZERO;
	if (span_eq(path, "/anon_hugepage (deleted)"))
		return SHM_ANONHUGE;
	if (path.n == 5 + 8 + strlen(del) && span_startswith(path, "/SYSV") &&
	    is_hex((struct span){path.p + 5, 8}) && memcmp(path.p + 13, del, strlen(del)) == 0)
		return SHM_SYSV;
	if (span_startswith(path, "/dev/shm/"))
		return SHM_POSIX;
	return SHM_NONE;
}

static int maps_line(struct span line, unsigned lineno, struct pid_maps *pm, struct perr *err)
{
	struct span tok[6], path = {0};
	uint64_t start, end, off, major, minor, inode;
	size_t nt = span_split_ws(line, tok, ARRAY_SIZE(tok));
	if (nt < 5 || parse_hex_pair(tok[0], '-', &start, &end) || end < start) {
		perr_set(err, lineno, "expected 'start-end perms offset dev inode [path]'");
		return -EINVAL;
	}
	if (!perms_ok(tok[1]) || parse_hex(tok[2], &off) ||
	    parse_hex_pair(tok[3], ':', &major, &minor) || parse_u64(tok[4], &inode)) {
		perr_set(err, lineno, "malformed perms, offset, device or inode");
		return -EINVAL;
	}
	if (nt > 5)
		path = (struct span){tok[5].p, (size_t)(line.p + line.n - tok[5].p)};
	enum shm_kind kind = tok[1].p[3] == 's' ? shm_classify(path) : SHM_NONE;
	uint64_t bytes = end - start;
	switch (kind) {
	case SHM_DEVZERO:
	case SHM_ANONHUGE:
		if (bytes > pm->main.bytes)
			pm->main = (struct shm_map){kind, bytes};
		break;
	case SHM_SYSV:
		pm->sysv_bytes = sat_add(pm->sysv_bytes, bytes);
		pm->sysv_count++;
		break;
	case SHM_POSIX:
		pm->posix_bytes = sat_add(pm->posix_bytes, bytes);
		break;
	case SHM_NONE:
		break;
	}
	return 0;
}

int maps_parse(const char *buf, size_t len, struct pid_maps *pm, struct perr *err)
{
	struct lineiter it;
	struct span line;
	memset(pm, 0, sizeof(*pm));
	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line)) {
		int rc = it.unterminated ? unterminated(err, it.lineno)
		                         : maps_line(line, it.lineno, pm, err);
		if (rc) {
			memset(pm, 0, sizeof(*pm));
			return rc;
		}
	}
	return 0; /* no lines is a kernel thread or a zombie: no memory at all */
}

/* ---- /proc/PID/cgroup: kernel/cgroup/cgroup.c proc_cgroup_show() ---- */

/* True when the comma-separated list holds word. */
static bool list_has(struct span list, const char *word)
{
	const char *p = list.p, *end = list.p + list.n;
	for (;;) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		struct span w = {p, comma ? (size_t)(comma - p) : (size_t)(end - p)};
		if (span_eq(w, word))
			return true;
		if (!comma)
			return false;
		p = comma + 1;
	}
}

static int cgroup_copy(struct span path, char *dst, size_t n, unsigned lineno, struct perr *err)
{
	if (!span_copy(path, dst, n)) {
		perr_set(err, lineno, "cgroup path is longer than %zu bytes", n - 1);
		return -EINVAL;
	}
	return 0;
}

/* One "hierarchy-ID:controller-list:cgroup-path" line. *named is set when it is the
 * v1 name=systemd hierarchy. */
static int cgroup_line(struct span line, unsigned lineno, struct pid_cgroup *cg, bool *named,
                       struct perr *err)
{
	const char *c1 = memchr(line.p, ':', line.n);
	const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(line.p + line.n - c1 - 1)) : NULL;
	uint64_t id;
	if (!c2 || parse_u64((struct span){line.p, (size_t)(c1 - line.p)}, &id)) {
		perr_set(err, lineno, "expected 'id:controllers:path'");
		return -EINVAL;
	}
	struct span ctl = {c1 + 1, (size_t)(c2 - c1 - 1)};
	struct span path = {c2 + 1, (size_t)(line.p + line.n - c2 - 1)}; /* may hold ':' */
	if (id == 0 && ctl.n == 0) {
		if (cg->has_v2)
			return 0;
		cg->has_v2 = true;
		return cgroup_copy(path, cg->v2, sizeof(cg->v2), lineno, err);
	}
	if (list_has(ctl, "memory") && !cg->has_v1_memory) {
		cg->has_v1_memory = true;
		if (cgroup_copy(path, cg->v1_memory, sizeof(cg->v1_memory), lineno, err))
			return -EINVAL;
	}
	if (list_has(ctl, "name=systemd") && !*named) {
		*named = true;
		return cgroup_copy(path, cg->systemd, sizeof(cg->systemd), lineno, err);
	}
	return 0;
}

int cgroup_parse(const char *buf, size_t len, struct pid_cgroup *cg, struct perr *err)
{
	struct lineiter it;
	struct span line;
	bool named = false;
	memset(cg, 0, sizeof(*cg));
	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line)) {
		int rc = it.unterminated ? unterminated(err, it.lineno)
		                         : cgroup_line(line, it.lineno, cg, &named, err);
		if (rc) {
			memset(cg, 0, sizeof(*cg));
			return rc;
		}
	}
	if (it.lineno == 0) {
		perr_set(err, 0, "empty file");
		return -EINVAL;
	}
	/* On a unified (v2 only) host systemd manages the v2 tree itself. */
	if (!named && cg->has_v2)
		memcpy(cg->systemd, cg->v2, sizeof(cg->systemd));
	return 0;
}

bool cgroup_unit(const struct pid_cgroup *cg, char *unit, size_t n)
{
	static const char suffix[] = ".service";
	const char *s = cg->systemd;
	size_t end = strnlen(s, sizeof(cg->systemd)), sl = strlen(suffix);
	if (n)
		unit[0] = '\0';
	/* Walk components from the end: a delegated service may have sub-cgroups. */
	while (end > 0) {
		size_t start = end;
		while (start > 0 && s[start - 1] != '/')
			start--;
		struct span c = {s + start, end - start};
		if (c.n > sl && memcmp(c.p + c.n - sl, suffix, sl) == 0) {
			if (span_copy(c, unit, n))
				return true;
			if (n)
				unit[0] = '\0'; /* a cut unit name would name another unit */
			return false;
		}
		if (start == 0)
			break;
		end = start - 1;
	}
	return false;
}
