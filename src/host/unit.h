/* SPDX-License-Identifier: MIT */
/* A systemd service unit as systemd would load it: the fragment from the first unit
 * directory that has it, then every drop-in *.conf in <unit>.d (and those of the
 * template for instances, e.g. postgresql@.service.d) in file-name order, later
 * assignments winning. Only the [Service] settings kres audits are kept. */
#ifndef KRES_UNIT_H
#define KRES_UNIT_H

#include <stdbool.h>
#include <stddef.h>

#include "host/src.h"
#include "util/rootfs.h"
#include "util/text.h"

struct unit_setting {
	bool set;
	char value[256];
	char file[256]; /* shown path of the file that set it last */
	unsigned line;
};

enum unit_key {
	UK_LIMIT_NOFILE,
	UK_LIMIT_NPROC,
	UK_LIMIT_MEMLOCK,
	UK_TASKS_MAX,
	UK_OOM_SCORE_ADJUST,
	UK_OOM_POLICY,
	UK_MEMORY_MAX,
	UK_USER,
	UK_EXEC_START,
	UK_LIMIT_CORE,
	UK__COUNT
};

#define UNIT_MAX_ENV 64
struct unit_env {
	char name[64];
	char value[256];
	char file[256];
	unsigned line;
};

struct unit_info {
	struct src src;      /* ERROR if a file was malformed; UNAVAILABLE if no fragment */
	char name[128];
	char fragment[256];  /* shown path of the unit file */
	struct strlist dropins; /* shown paths of the drop-ins applied, in order */
	struct unit_setting s[UK__COUNT];
	size_t nenv;
	struct unit_env env[UNIT_MAX_ENV];
};

/* The key as written in unit files ("LimitNOFILE"). */
const char *unit_key_name(enum unit_key k);
/* Applies one file's text onto u (shown is the path recorded as the origin). Handles
 * Environment= with quoting ("A=1" 'B=2' C=3) and the empty assignment that resets
 * the list. Returns 0 or -EINVAL. */
int unit_parse(const char *buf, size_t len, const char *shown, struct unit_info *u,
	       struct perr *err);
/* Loads the unit named name from /etc/systemd/system, /run/systemd/system,
 * /usr/local/lib/systemd/system, /usr/lib/systemd/system and /lib/systemd/system. */
void unit_read(const struct rootfs *r, const char *name, struct unit_info *u);
void unit_release(struct unit_info *u);
/* The value of an Environment= variable, or NULL. */
const struct unit_env *unit_env_get(const struct unit_info *u, const char *name);

#endif
