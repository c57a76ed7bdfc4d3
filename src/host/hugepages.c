// SPDX-License-Identifier: MIT
/* Huge page pools from /sys/kernel/mm/hugepages (mm/hugetlb_sysfs.c, formerly
 * mm/hugetlb.c hugetlb_sysfs_add_hstate) and the transparent huge page selectors
 * (mm/huge_memory.c enabled_show, defrag_show). */
#include "host/hugepages.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/sysctl.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define HP_DIR "/sys/kernel/mm/hugepages"
/* Each pool file is one number; a bigger file is not one of them. */
#define HP_FILE_MAX 4096

/* The files of one pool directory, in the order of struct hpool. */
static const struct {
	const char *name;
	size_t off;
} pool_files[] = {
    {"nr_hugepages", offsetof(struct hpool, nr)},
    {"free_hugepages", offsetof(struct hpool, free)},
    {"resv_hugepages", offsetof(struct hpool, resv)},
    {"surplus_hugepages", offsetof(struct hpool, surplus)},
    {"nr_overcommit_hugepages", offsetof(struct hpool, overcommit)},
};

int hugepages_parse_dirname(const char *name, uint64_t *size_kb)
{
	/* The kernel names the directory "hugepages-%lukB" after the page size. */
	static const char pre[] = "hugepages-", suf[] = "kB";
	size_t n = strlen(name);
	if (n <= strlen(pre) + strlen(suf) || memcmp(name, pre, strlen(pre)) ||
	    memcmp(name + n - strlen(suf), suf, strlen(suf)))
		return -EINVAL;
	struct span num = {name + strlen(pre), n - strlen(pre) - strlen(suf)};
	if (num.p[0] == '0')
		return -EINVAL; /* no zero size, no leading zeros: %lu never prints them */
	return parse_u64(num, size_kb);
}

/* Records that a file inside a pool could not be used. Unlike a missing pools
 * directory, a missing file inside an existing pool is an error, not an old kernel. */
static void pool_file_error(struct src *s, const struct rootfs *r, const char *path, int rc)
{
	src_set_read_error(s, r, path, rc);
	if (s->state == SRC_UNAVAILABLE) {
		s->state = SRC_ERROR;
		snprintf(s->err, sizeof(s->err), "cannot read '%s': %s", rootfs_show(r, path),
		         strerror(-rc));
	}
}

/* Reads one single-number file of a pool into *v; on failure fills s. */
static bool read_number(const struct rootfs *r, const char *path, uint64_t *v, struct src *s)
{
	char *buf = NULL;
	ssize_t len = rootfs_read(r, path, HP_FILE_MAX, &buf);
	if (len < 0) {
		pool_file_error(s, r, path, (int)len);
		return false;
	}
	struct perr e = {0};
	int n;
	int rc = sysctl_parse(buf, (size_t)len, v, 1, &n, &e);
	free(buf);
	if (rc) {
		src_set_parse_error(s, r, path, &e);
		return false;
	}
	return true;
}

static bool read_pool(const struct rootfs *r, const char *dir, struct hpool *p, struct src *s)
{
	char path[512];
	for (size_t i = 0; i < ARRAY_SIZE(pool_files); i++) {
		snprintf(path, sizeof(path), "%s/%s/%s", HP_DIR, dir, pool_files[i].name);
		uint64_t *v = (uint64_t *)((char *)p + pool_files[i].off);
		if (!read_number(r, path, v, s))
			return false;
	}
	return true;
}

static int cmp_pool(const void *a, const void *b)
{
	const struct hpool *x = a, *y = b;
	return (x->size_kb > y->size_kb) - (x->size_kb < y->size_kb);
}

void hugepages_read(const struct rootfs *r, struct hugepages *out)
{
	struct strlist names = {0};
	memset(out, 0, sizeof(*out));
	int rc = rootfs_list(r, HP_DIR, &names);
	if (rc < 0) {
		src_set_read_error(&out->src, r, HP_DIR, rc);
		return;
	}
	for (size_t i = 0; i < names.n; i++) {
		struct hpool p = {0};
		if (hugepages_parse_dirname(names.v[i], &p.size_kb))
			continue; /* not a pool: leave room for files a newer kernel adds */
		if (out->n == HP_MAX_POOLS) {
			out->src.state = SRC_ERROR;
			snprintf(out->src.err, sizeof(out->src.err), "'%s': more than %d pools",
			         rootfs_show(r, HP_DIR), HP_MAX_POOLS);
			break;
		}
		if (!read_pool(r, names.v[i], &p, &out->src))
			break;
		out->pool[out->n++] = p;
	}
	strlist_release(&names);
	if (out->src.state != SRC_OK) {
		out->n = 0;
		return;
	}
	qsort(out->pool, out->n, sizeof(out->pool[0]), cmp_pool);
}

const struct hpool *hugepages_pool(const struct hugepages *hp, uint64_t size_kb)
{
	for (size_t i = 0; i < hp->n; i++)
		if (hp->pool[i].size_kb == size_kb)
			return &hp->pool[i];
	return NULL;
}

/* A choice is a plain printable word: "madvise", "defer+madvise", "within_size". */
static bool word_ok(struct span w)
{
	for (size_t i = 0; i < w.n; i++) {
		unsigned char c = (unsigned char)w.p[i];
		if (c <= ' ' || c >= 0x7f || c == '[' || c == ']')
			return false;
	}
	return true;
}

int thp_parse(const char *buf, size_t len, char *out, size_t n)
{
	struct span tok[16], sel = {0};
	size_t found = 0;
	if (n)
		out[0] = '\0';
	/* One line; the kernel ends it with a newline (sysfs_emit_at "...\n"). */
	if (len && buf[len - 1] == '\n')
		len--;
	if (memchr(buf, '\n', len))
		return -EINVAL;
	size_t nt = span_split_ws((struct span){buf, len}, tok, ARRAY_SIZE(tok));
	if (nt == 0 || nt > ARRAY_SIZE(tok))
		return -EINVAL;
	for (size_t i = 0; i < nt; i++) {
		struct span t = tok[i];
		bool open = t.p[0] == '[', close = t.p[t.n - 1] == ']';
		if (open && close && t.n >= 3) {
			t = (struct span){t.p + 1, t.n - 2};
			sel = t;
			found++;
		}
		if (!word_ok(t))
			return -EINVAL;
	}
	if (found != 1)
		return -EINVAL;
	if (!span_copy(sel, out, n)) {
		if (n)
			out[0] = '\0';
		return -ERANGE;
	}
	return 0;
}
