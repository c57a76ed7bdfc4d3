// SPDX-License-Identifier: MIT
/* libFuzzer target for workload/redisconf and the pure parts of workload/redis:
 * the line parser and argument splitter, the value parsers and setting checks on
 * every directive found, the command-line options builder fed back to the parser,
 * the process-title reader on the input as a cmdline, and the open-files
 * prediction on numbers taken from the input. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"
#include "workload/redis.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Checks what the parser promises about a directive, runs the value parsers on
 * its arguments and keeps it for rd_resolve(). */
static int check_item(const struct rd_arg *argv, size_t argc, unsigned line, void *ctx)
{
	struct rd_instance *in = ctx;
	if (argc == 0 || line == 0)
		abort();
	for (size_t k = 0; k < argv[0].n; k++)
		if (argv[0].s[k] >= 'A' && argv[0].s[k] <= 'Z')
			abort();
	for (size_t i = 0; i < argc; i++) {
		int64_t v;
		uint64_t m;
		if (argv[i].s[argv[i].n] != '\0')
			abort();
		rd_parse_ll(argv[i].s, argv[i].n, &v);
		rd_parse_memory(argv[i].s, &m);
		int yn = rd_parse_yesno(argv[i].s);
		if (yn != 0 && yn != 1 && yn != -EINVAL)
			abort();
	}
	rdconf_add(&in->conf, argv, argc, "fuzz");
	return 0;
}

static void fuzz_conf(const char *buf, size_t size)
{
	struct rd_instance *in = xcalloc(1, sizeof(*in));
	struct perr err = {0};
	int rc = rdconf_parse(buf, size, check_item, in, &err);
	if (rc != 0 && (rc != -EINVAL || err.line == 0 || strcmp(err.msg, "unbalanced quotes")))
		abort();
	rd_resolve(in);
	if (in->maxclients.v < 1 || in->maxclients.v > UINT32_MAX || in->port.v < 0 ||
	    in->port.v > 65535 || in->tcp_backlog.v < 0 || in->maxmemory.v < 0)
		abort();
	rdconf_release(&in->conf);
	free(in);

	struct buf f = BUF_INIT;
	rdconf_fgets_filter(buf, size, &f);
	if (f.len > size || memchr(buf_str(&f), '\0', f.len))
		abort();
	buf_release(&f);
}

/* The input as /proc/PID/cmdline (NUL-terminated, as rootfs_read() leaves it): the
 * title reader, and the options builder fed back to the parser. */
static void fuzz_cmdline(const char *data, size_t size)
{
	char *buf = xmalloc(size + 1);
	memcpy(buf, data, size);
	buf[size] = '\0';
	const char *argv[SVC_MAX_ARGS];
	size_t argc = cmdline_split(buf, size, argv, SVC_MAX_ARGS);
	char listen[80], conf[256];
	int64_t port;
	if (rd_title_parse(argv, argc, listen, sizeof(listen), &port, conf, sizeof(conf)) &&
	    (port < -1 || port > 65535))
		abort();
	struct buf t = BUF_INIT;
	rdconf_options_text(argv, argc, &t);
	struct perr err;
	rdconf_parse(buf_str(&t), t.len, NULL, NULL, &err);
	buf_release(&t);
	free(buf);
}

static uint64_t take_u64(const uint8_t *p, size_t n)
{
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static void fuzz_files(const uint8_t *data, size_t size)
{
	if (size < 17)
		return;
	int64_t mc = (int64_t)(take_u64(data, 4) & 0xffffffffu);
	uint64_t soft = take_u64(data + 4, 6), hard = take_u64(data + 10, 6);
	struct rd_files o;
	rd_open_files(mc, soft, hard, data[16] & 1, &o);
	if (o.fatal && (!o.reduced || o.limit > RD_RESERVED_FDS))
		abort();
	if (o.reduced && !o.fatal &&
	    (o.maxclients < 1 || o.maxclients != o.limit - 32 || o.limit >= o.need ||
	     o.maxclients >= mc))
		abort();
	if (!o.reduced && o.maxclients != mc)
		abort();
	if ((uint64_t)o.limit < soft && soft <= INT64_MAX)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy, so that ASan catches a read past size. */
	char *buf = xmalloc(size ? size : 1);
	memcpy(buf, data, size);
	fuzz_conf(buf, size);
	fuzz_cmdline(buf, size);
	fuzz_files(data, size);
	free(buf);
	return 0;
}
