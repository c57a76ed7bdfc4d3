// SPDX-License-Identifier: MIT
/* Parses signature catalog files (format in catalog.h and docs/signatures.md). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "klog/catalog.h"
#include "util/buf.h"
#include "util/rootfs.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define CATALOG_FILE_MAX (4u << 20)

const char *klog_sev_name(enum klog_sev s)
{
	static const char *const names[] = {"low", "medium", "high", "critical"};
	return (unsigned)s < ARRAY_SIZE(names) ? names[s] : "?";
}

int klog_sev_parse(const char *s, enum klog_sev *out)
{
	static const struct {
		const char *name;
		enum klog_sev sev;
	} t[] = {{"critical", KSEV_CRITICAL}, {"crit", KSEV_CRITICAL}, {"high", KSEV_HIGH},
		 {"medium", KSEV_MEDIUM},     {"med", KSEV_MEDIUM},    {"low", KSEV_LOW}};
	for (size_t i = 0; i < ARRAY_SIZE(t); i++)
		if (!strcmp(s, t[i].name)) {
			*out = t[i].sev;
			return 0;
		}
	return -EINVAL;
}

bool klog_words_has(const struct klog_words *w, const char *s)
{
	for (size_t i = 0; i < w->n; i++)
		if (!strcmp(w->v[i], s))
			return true;
	return false;
}

static void words_push(struct klog_words *w, const char *s, size_t n)
{
	w->v = xreallocarray(w->v, w->n + 1, sizeof(*w->v));
	w->v[w->n++] = xstrndup(s, n);
}

static void words_free(struct klog_words *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->v[i]);
	free(w->v);
	w->v = NULL;
	w->n = 0;
}

/* Identifiers of signatures, categories and fields: [a-z][a-z0-9_]*. */
static bool is_ident(const char *s)
{
	if (*s < 'a' || *s > 'z')
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return strlen(s) < 64;
}

/* check rule ids: AREA-NN, upper case letters, a dash, digits. */
static bool is_rule_id(const char *s)
{
	const char *d = strchr(s, '-');
	if (!d || d == s || !d[1])
		return false;
	for (const char *p = s; p < d; p++)
		if (*p < 'A' || *p > 'Z')
			return false;
	for (const char *p = d + 1; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

/* Splits a value at spaces into w; each word must pass ok (if given). */
static int split_words(struct klog_words *w, const char *v, bool (*ok)(const char *),
		       const char **badword)
{
	static char word[128];
	while (*v) {
		while (*v == ' ')
			v++;
		size_t n = strcspn(v, " ");
		if (!n)
			break;
		if (n >= sizeof(word)) {
			*badword = "(too long)";
			return -EINVAL;
		}
		memcpy(word, v, n);
		word[n] = '\0';
		if (ok && !ok(word)) {
			*badword = word;
			return -EINVAL;
		}
		words_push(w, v, n);
		v += n;
	}
	return 0;
}

static void sig_free(struct klog_sig *s)
{
	free(s->id);
	free(s->category);
	free(s->explain);
	free(s->remedy);
	free(s->era);
	free(s->promote);
	free(s->file);
	free(s->match_line);
	words_free(&s->match);
	words_free(&s->sample);
	words_free(&s->checks);
	words_free(&s->absorbs);
	words_free(&s->ratelimit);
	words_free(&s->subject);
}

static int set_once(char **dst, const char *v, struct perr *e, unsigned line, const char *key)
{
	if (*dst) {
		perr_set(e, line, "'%s' given twice", key);
		return -EINVAL;
	}
	*dst = xstrdup(v);
	return 0;
}

static int parse_report(struct klog_sig *s, const char *v, struct perr *e, unsigned line)
{
	static const struct {
		const char *name;
		enum klog_report kind;
		unsigned window;
	} kinds[] = {{"stack", KREP_STACK, 200}, {"oom", KREP_OOM, 20000}, {"group", KREP_GROUP, 20}};
	size_t n = strcspn(v, " ");
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		if (strlen(kinds[i].name) != n || memcmp(v, kinds[i].name, n))
			continue;
		s->report = kinds[i].kind;
		s->window = kinds[i].window;
		const char *w = v + n;
		while (*w == ' ')
			w++;
		if (*w) {
			uint64_t lines;
			if (parse_u64(span_from(w), &lines) || lines == 0 || lines > 1000000) {
				perr_set(e, line, "report window '%s' is not a line count 1..1000000", w);
				return -EINVAL;
			}
			s->window = (unsigned)lines;
		}
		return 0;
	}
	perr_set(e, line, "report '%s' is not stack, oom or group", v);
	return -EINVAL;
}

static int parse_yes(bool *dst, const char *v, struct perr *e, unsigned line, const char *key)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true")) {
		*dst = true;
		return 0;
	}
	if (!strcmp(v, "no") || !strcmp(v, "false")) {
		*dst = false;
		return 0;
	}
	perr_set(e, line, "%s = '%s': expected yes or no", key, v);
	return -EINVAL;
}

static int set_key(struct klog_sig *s, const char *k, const char *v, struct perr *e, unsigned line)
{
	const char *bad = NULL;
	int rc = 0;
	if (!*v) {
		perr_set(e, line, "'%s' has an empty value", k);
		return -EINVAL;
	}
	if (!strcmp(k, "category")) {
		if (!is_ident(v)) {
			perr_set(e, line, "category '%s' is not [a-z][a-z0-9_]*", v);
			return -EINVAL;
		}
		rc = set_once(&s->category, v, e, line, k);
	} else if (!strcmp(k, "severity")) {
		if (klog_sev_parse(v, &s->sev)) {
			perr_set(e, line, "severity '%s' is not critical, high, medium or low", v);
			return -EINVAL;
		}
	} else if (!strcmp(k, "match")) {
		words_push(&s->match, v, strlen(v));
		s->match_line = xreallocarray(s->match_line, s->match.n, sizeof(unsigned));
		s->match_line[s->match.n - 1] = line;
	} else if (!strcmp(k, "sample")) {
		words_push(&s->sample, v, strlen(v));
	} else if (!strcmp(k, "explain")) {
		rc = set_once(&s->explain, v, e, line, k);
	} else if (!strcmp(k, "remedy")) {
		rc = set_once(&s->remedy, v, e, line, k);
	} else if (!strcmp(k, "era")) {
		rc = set_once(&s->era, v, e, line, k);
	} else if (!strcmp(k, "promote")) {
		if (!is_ident(v)) {
			perr_set(e, line, "promote '%s' is not a category name", v);
			return -EINVAL;
		}
		rc = set_once(&s->promote, v, e, line, k);
	} else if (!strcmp(k, "checks")) {
		rc = split_words(&s->checks, v, is_rule_id, &bad);
	} else if (!strcmp(k, "absorbs")) {
		rc = split_words(&s->absorbs, v, is_ident, &bad);
	} else if (!strcmp(k, "ratelimit")) {
		rc = split_words(&s->ratelimit, v, NULL, &bad);
	} else if (!strcmp(k, "subject")) {
		rc = split_words(&s->subject, v, is_ident, &bad);
	} else if (!strcmp(k, "report")) {
		rc = parse_report(s, v, e, line);
	} else if (!strcmp(k, "part")) {
		rc = parse_yes(&s->part, v, e, line, k);
	} else if (!strcmp(k, "ends")) {
		rc = parse_yes(&s->ends, v, e, line, k);
	} else {
		perr_set(e, line, "unknown key '%s'", k);
		return -EINVAL;
	}
	if (rc && bad)
		perr_set(e, line, "%s: '%s' is not valid here", k, bad);
	return rc;
}

/* Checks a finished signature; line is its section header's line. */
static int sig_finish(struct klog_catalog *c, struct klog_sig *s, struct perr *e)
{
	const char *missing = NULL;
	if (s->category && !strcmp(s->category, "ratelimit"))
		s->special = KSPEC_RATELIMIT;
	else if (s->category && !strcmp(s->category, "log_loss"))
		s->special = KSPEC_LOG_LOSS;
	bool event = s->special == KSPEC_NONE && !s->part;
	if (!s->category)
		missing = "category";
	else if (!s->match.n)
		missing = "match";
	else if (event && !s->explain)
		missing = "explain";
	else if (event && !s->remedy)
		missing = "remedy";
	if (missing) {
		perr_set(e, s->line, "signature '%s' has no '%s'", s->id, missing);
		return -EINVAL;
	}
	for (size_t i = 0; i + 1 < c->nsigs; i++)
		if (!strcmp(c->sigs[i].id, s->id)) {
			perr_set(e, s->line, "signature '%s' is already defined in %s:%u", s->id,
				 c->sigs[i].file, c->sigs[i].line);
			return -EINVAL;
		}
	return 0;
}

/* Reads one logical line: a physical line plus the lines after it that start with a
 * space or tab (continuations), joined with one space, comments and blanks skipped
 * at the start. Returns false at the end. */
static bool next_logical(struct lineiter *it, struct buf *out, unsigned *lineno)
{
	struct span l;
	buf_reset(out);
	for (;;) {
		if (!lineiter_next(it, &l))
			return false;
		struct span t = span_trim(l);
		if (!t.n || t.p[0] == '#')
			continue;
		buf_append(out, t.p, t.n);
		*lineno = it->lineno;
		break;
	}
	/* Peek at continuation lines. */
	for (;;) {
		struct lineiter save = *it;
		if (!lineiter_next(it, &l))
			break;
		if (!l.n || (l.p[0] != ' ' && l.p[0] != '\t')) {
			*it = save;
			break;
		}
		struct span t = span_trim(l);
		if (!t.n || t.p[0] == '#')
			continue; /* a blank or comment line inside a value is skipped */
		buf_putc(out, ' ');
		buf_append(out, t.p, t.n);
	}
	return true;
}

static int parse_section(struct klog_catalog *c, const char *l, const char *name, unsigned line,
			 struct perr *e)
{
	size_t n = strlen(l);
	if (n < 3 || l[n - 1] != ']') {
		perr_set(e, line, "section header '%s' does not end with ']'", l);
		return -EINVAL;
	}
	char *id = xstrndup(l + 1, n - 2);
	if (!is_ident(id)) {
		perr_set(e, line, "signature id '%s' is not [a-z][a-z0-9_]*", id);
		free(id);
		return -EINVAL;
	}
	ALLOC_GROW(c->sigs, c->nsigs + 1, c->capsigs);
	struct klog_sig *s = &c->sigs[c->nsigs++];
	memset(s, 0, sizeof(*s));
	s->id = id;
	s->sev = KSEV_MEDIUM;
	s->file = xstrdup(name);
	s->line = line;
	return 0;
}

int klog_catalog_parse(struct klog_catalog *c, const char *text, size_t len, const char *name,
		       struct perr *e)
{
	struct lineiter it;
	struct buf l = BUF_INIT;
	unsigned lineno = 0;
	bool open = false;
	int rc = 0;
	if (memchr(text, '\0', len)) {
		perr_set(e, 0, "file contains a NUL byte");
		return -EINVAL;
	}
	lineiter_init(&it, text, len);
	while (!rc && next_logical(&it, &l, &lineno)) {
		const char *s = buf_str(&l);
		if (s[0] == '[') {
			if (open && (rc = sig_finish(c, &c->sigs[c->nsigs - 1], e)))
				break;
			rc = parse_section(c, s, name, lineno, e);
			open = !rc;
			continue;
		}
		const char *eq = strchr(s, '=');
		if (!eq) {
			perr_set(e, lineno, "expected 'key = value' or '[signature]', got '%.60s'", s);
			rc = -EINVAL;
			break;
		}
		if (!open) {
			perr_set(e, lineno, "'%.60s' comes before any [signature] section", s);
			rc = -EINVAL;
			break;
		}
		struct span k = span_trim((struct span){s, (size_t)(eq - s)});
		char key[32];
		if (!span_copy(k, key, sizeof(key))) {
			perr_set(e, lineno, "key '%.40s' is too long", s);
			rc = -EINVAL;
			break;
		}
		struct span v = span_trim(span_from(eq + 1));
		char *val = xstrndup(v.p, v.n);
		rc = set_key(&c->sigs[c->nsigs - 1], key, val, e, lineno);
		free(val);
	}
	if (!rc && open)
		rc = sig_finish(c, &c->sigs[c->nsigs - 1], e);
	buf_release(&l);
	return rc;
}

int klog_catalog_load_builtin(struct klog_catalog *c, struct perr *e)
{
	return klog_catalog_parse(c, klog_builtin_catalog, klog_builtin_catalog_len,
				  "(built-in catalog)", e);
}

static int conf_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return d->d_name[0] != '.' && n > 5 && !strcmp(d->d_name + n - 5, ".conf");
}

int klog_catalog_load_dir(struct klog_catalog *c, const char *dir, const char **bad,
			  struct perr *e)
{
	static char path[4096];
	struct dirent **names;
	struct rootfs root = {.dirfd = -1};
	int n = scandir(dir, &names, conf_filter, alphasort), rc = 0;
	if (n < 0)
		return errno == ENOENT ? 0 : -errno;
	if ((rc = rootfs_open(&root, "/")))
		goto out;
	for (int i = 0; i < n && !rc; i++) {
		char *text = NULL;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		*bad = path;
		ssize_t len = rootfs_read(&root, path, CATALOG_FILE_MAX, &text);
		if (len < 0) {
			perr_set(e, 0, "%s", strerror((int)-len));
			rc = (int)len;
		} else {
			rc = klog_catalog_parse(c, text, (size_t)len, path, e);
		}
		free(text);
	}
	rootfs_close(&root);
out:
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

void klog_catalog_index(struct klog_catalog *c)
{
	c->npats = 0;
	for (size_t i = 0; i < c->nsigs; i++)
		for (size_t k = 0; k < c->sigs[i].match.n; k++) {
			ALLOC_GROW(c->pats, c->npats + 1, c->cappats);
			c->pats[c->npats++] = (struct klog_pat){
				.sig = (uint32_t)i,
				.re = c->sigs[i].match.v[k],
				.file = c->sigs[i].file,
				.line = c->sigs[i].match_line[k],
			};
		}
}

const struct klog_sig *klog_catalog_find(const struct klog_catalog *c, const char *id)
{
	for (size_t i = 0; i < c->nsigs; i++)
		if (!strcmp(c->sigs[i].id, id))
			return &c->sigs[i];
	return NULL;
}

void klog_catalog_release(struct klog_catalog *c)
{
	for (size_t i = 0; i < c->nsigs; i++)
		sig_free(&c->sigs[i]);
	free(c->sigs);
	free(c->pats);
	memset(c, 0, sizeof(*c));
}
