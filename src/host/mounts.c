// SPDX-License-Identifier: MIT
/* The mount table of a process from /proc/PID/mountinfo, used to tell which file
 * system (and which options: nfs "hard", tmpfs "size=") holds a database's files. */
#include "host/mounts.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "util/banned.h"

/* fs/proc_namespace.c show_mountinfo() prints: id parent maj:min root mountpoint
 * options [optional fields...] - fstype source superoptions. The fields are
 * separated by exactly one space; an empty source (some FUSE file systems) shows as
 * two spaces in a row, so runs of spaces must not be collapsed. */
#define MI_FIXED 6    /* fields before the optional ones */
#define MI_MAXFIELDS 64 /* shared:N master:N propagate_from:N unbindable, and room */

/* Splits s at single spaces; returns the number of fields (which may exceed max). */
static size_t split_spaces(struct span s, struct span *f, size_t max)
{
	size_t n = 0, start = 0;
	for (size_t i = 0; i <= s.n; i++) {
		if (i < s.n && s.p[i] != ' ')
			continue;
		if (n < max) {
			f[n].p = s.p + start;
			f[n].n = i - start;
		}
		n++;
		start = i + 1;
	}
	return n;
}

static bool is_odigit(char c)
{
	return c >= '0' && c <= '7';
}

/* Decodes the \ooo escapes the kernel uses for ' ', '\t', '\n' and '\\' in paths
 * (fs/seq_file.c mangle_path, seq_escape). An escape that would decode to NUL or
 * past 0377 is kept as written. Returns a new string. */
static char *unescape_octal(struct span s)
{
	char *out = xmalloc(s.n + 1);
	size_t o = 0;
	for (size_t i = 0; i < s.n; i++) {
		if (s.p[i] == '\\' && s.n - i >= 4 && is_odigit(s.p[i + 1]) &&
		    is_odigit(s.p[i + 2]) && is_odigit(s.p[i + 3])) {
			unsigned v = (unsigned)(s.p[i + 1] - '0') * 64 +
			             (unsigned)(s.p[i + 2] - '0') * 8 +
			             (unsigned)(s.p[i + 3] - '0');
			if (v != 0 && v <= 0377) {
				out[o++] = (char)v;
				i += 3;
				continue;
			}
		}
		out[o++] = s.p[i];
	}
	out[o] = '\0';
	return out;
}

static bool has_nul(struct span s)
{
	return memchr(s.p, '\0', s.n) != NULL;
}

/* Parses one non-empty line into m. */
static int mounts_parse_line(struct span line, unsigned lineno, struct mounts *m,
			     struct perr *err)
{
	struct span f[MI_MAXFIELDS];
	size_t nf = split_spaces(line, f, MI_MAXFIELDS);
	if (nf > MI_MAXFIELDS) {
		perr_set(err, lineno, "more than %d fields", MI_MAXFIELDS);
		return -EINVAL;
	}
	size_t sep = MI_FIXED;
	while (sep < nf && !span_eq(f[sep], "-"))
		sep++;
	if (sep >= nf) {
		perr_set(err, lineno, "no '-' separator after the %d leading fields", MI_FIXED);
		return -EINVAL;
	}
	if (nf - sep - 1 != 3) {
		perr_set(err, lineno, "expected 3 fields after '-', found %zu", nf - sep - 1);
		return -EINVAL;
	}
	uint64_t id, parent;
	if (parse_u64(f[0], &id) || parse_u64(f[1], &parent)) {
		perr_set(err, lineno, "'mount id' or 'parent id' is not a number");
		return -EINVAL;
	}
	if (f[4].n == 0 || f[4].p[0] != '/' || f[sep + 1].n == 0) {
		perr_set(err, lineno, "empty 'mount point' or 'fstype'");
		return -EINVAL;
	}
	if (has_nul(line)) {
		perr_set(err, lineno, "line contains a NUL byte");
		return -EINVAL;
	}
	uint64_t maj, min;
	const char *colon = memchr(f[2].p, ':', f[2].n);
	if (!colon || parse_u64((struct span){f[2].p, (size_t)(colon - f[2].p)}, &maj) ||
	    parse_u64((struct span){colon + 1, f[2].n - (size_t)(colon - f[2].p) - 1}, &min) ||
	    maj > UINT32_MAX || min > UINT32_MAX) {
		perr_set(err, lineno, "'major:minor' is not two numbers");
		return -EINVAL;
	}
	ALLOC_GROW(m->v, m->n + 1, m->cap);
	struct mount *mt = &m->v[m->n++];
	mt->major = (unsigned)maj;
	mt->minor = (unsigned)min;
	mt->target = unescape_octal(f[4]);
	mt->opts = xstrndup(f[5].p, f[5].n);
	mt->fstype = unescape_octal(f[sep + 1]);
	mt->source = unescape_octal(f[sep + 2]);
	mt->superopts = xstrndup(f[sep + 3].p, f[sep + 3].n);
	return 0;
}

int mounts_parse(const char *buf, size_t len, struct mounts *m, struct perr *err)
{
	struct lineiter it;
	struct span line;
	lineiter_init(&it, buf, len);
	while (lineiter_next(&it, &line)) {
		if (line.n == 0)
			continue;
		int rc = mounts_parse_line(line, it.lineno, m, err);
		if (rc)
			return rc;
	}
	return 0;
}

void mounts_release(struct mounts *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].target);
		free(m->v[i].fstype);
		free(m->v[i].source);
		free(m->v[i].opts);
		free(m->v[i].superopts);
	}
	free(m->v);
	memset(m, 0, sizeof(*m));
}

/* The length of target's match against path, or -1: target must equal path or be
 * followed in it by '/', so "/var/lib" holds "/var/lib/x" but not "/var/libfoo".
 * "/" holds everything. */
static long prefix_match(const char *target, const char *path)
{
	size_t tn = strlen(target);
	while (tn > 1 && target[tn - 1] == '/')
		tn--;
	if (tn == 1 && target[0] == '/')
		return 1;
	if (strncmp(target, path, tn) != 0)
		return -1;
	if (path[tn] != '\0' && path[tn] != '/')
		return -1;
	return (long)tn;
}

const struct mount *mounts_find(const struct mounts *m, const char *path)
{
	const struct mount *best = NULL;
	long best_len = -1;
	for (size_t i = 0; i < m->n; i++) {
		long k = prefix_match(m->v[i].target, path);
		/* ">=": a later mount on the same point shadows the earlier one. */
		if (k >= 0 && k >= best_len) {
			best = &m->v[i];
			best_len = k;
		}
	}
	return best;
}

bool mount_opt(const char *opts, const char *name, char *val, size_t n)
{
	if (!opts || !name || !*name)
		return false;
	size_t nl = strlen(name);
	const char *p = opts;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len >= nl && strncmp(p, name, nl) == 0 && (len == nl || p[nl] == '=')) {
			if (val && n) {
				struct span v = {p + nl, 0};
				if (len > nl)
					v = (struct span){p + nl + 1, len - nl - 1};
				span_copy(v, val, n);
			}
			return true;
		}
		if (!comma)
			return false;
		p = comma + 1;
	}
}
