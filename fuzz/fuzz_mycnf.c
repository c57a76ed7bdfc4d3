// SPDX-License-Identifier: MIT
/* libFuzzer target for workload/mycnf: the option-file parser (directives are
 * handed to a callback that reads nothing), and the number and boolean readers on
 * the whole input and on every value the parser finds. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "workload/mycnf.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void parse_value(const char *v)
{
	uint64_t n;
	int rc = my_parse_size(v, &n);
	if (rc != 0 && rc != -EINVAL && rc != -ERANGE)
		abort();
	int b = my_parse_bool(v);
	if (b < -1 || b > 1)
		abort();
}

/* Checks what the parser promises about a directive's argument. */
static int on_directive(enum mycnf_directive kind, const char *arg, unsigned line, void *ctx)
{
	size_t *n = ctx;
	size_t len = strlen(arg);
	if ((kind != MYCNF_INCLUDE && kind != MYCNF_INCLUDEDIR) || !len || line == 0 ||
	    arg[0] == ' ' || arg[0] == '\t' || arg[len - 1] == ' ' || arg[len - 1] == '\n')
		abort();
	++*n;
	return 0;
}

static void parse(const char *buf, size_t size, bool at_max_depth)
{
	struct mycnf c = {0};
	struct perr err = {0};
	size_t ndir = 0;
	struct mycnf_include_cb cb = {on_directive, &ndir, at_max_depth};
	int rc = mycnf_parse(buf, size, "/fuzz.cnf", &c, &cb, &err);
	if (rc != 0 && (rc != -EINVAL || err.line == 0 || !err.msg[0]))
		abort();
	for (size_t i = 0; i < c.n; i++) {
		const struct mycnf_opt *o = &c.v[i];
		if (!o->group || !o->name || strchr(o->name, '-') || !o->origin[0])
			abort();
		parse_value(o->value);
	}
	const char *const groups[] = {"mysqld", "server", "client", NULL};
	if (c.n && !mycnf_get(&c, groups, c.v[c.n - 1].name) &&
	    !strcmp(c.v[c.n - 1].group, "mysqld"))
		abort();
	mycnf_release(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy, so that ASan catches a read past len. */
	char *buf = xmalloc(size ? size : 1);
	memcpy(buf, data, size);
	parse(buf, size, false);
	parse(buf, size, true);
	free(buf);

	char *s = xstrndup((const char *)data, size);
	parse_value(s);
	free(s);
	return 0;
}
