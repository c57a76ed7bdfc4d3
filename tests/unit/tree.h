/* SPDX-License-Identifier: MIT */
/* Temporary fixture trees for the unit tests: a fresh directory under /tmp with a
 * struct rootfs opened on it, files, directories and symlinks put at host paths
 * ("/etc/x") inside it, and the whole tree removed at the end. Every failure is a
 * cmocka assertion. The Makefile links each test_*.c on its own, so everything here
 * is static (inline, so that a test need not use all of it). */
#ifndef KRES_TESTS_TREE_H
#define KRES_TESTS_TREE_H

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/rootfs.h"

struct tree {
	char root[64];   /* "/tmp/kres-<test binary>-XXXXXX", made by mkdtemp */
	struct rootfs r; /* opened on root */
};

/* Makes the root directory and opens r on it. */
static inline void tree_init(struct tree *t)
{
	int n = snprintf(t->root, sizeof(t->root), "/tmp/kres-%s-XXXXXX",
	                 program_invocation_short_name);
	assert_true(n > 0 && (size_t)n < sizeof(t->root));
	assert_non_null(mkdtemp(t->root));
	assert_int_equal(rootfs_open(&t->r, t->root), 0);
}

static inline int tree_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

/* Closes r and removes the root with everything in it. */
static inline void tree_release(struct tree *t)
{
	rootfs_close(&t->r);
	assert_int_equal(nftw(t->root, tree_rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

/* cmocka setup and teardown for a test whose initial state is a struct tree:
 * cmocka_unit_test_prestate_setup_teardown(test, tree_setup, tree_teardown, &tree). */
static inline int tree_setup(void **state)
{
	tree_init(*state);
	return 0;
}

static inline int tree_teardown(void **state)
{
	tree_release(*state);
	return 0;
}

/* Joins the root and path (absolute, as on the host) into buf. */
static inline char *tree_join(const struct tree *t, const char *path, char *buf, size_t n)
{
	int len = snprintf(buf, n, "%s%s", t->root, path);
	assert_true(len > 0 && (size_t)len < n);
	return buf;
}

/* The real path of path inside the tree, as kres shows the paths of a fixture root.
 * Returns one of four static buffers, used in turn. */
static inline const char *tree_path(const struct tree *t, const char *path)
{
	static char buf[4][PATH_MAX];
	static unsigned k;
	k = (k + 1) % 4;
	return tree_join(t, path, buf[k], sizeof(buf[k]));
}

/* Creates the directories of full (a joined path) below the root, whose path is
 * its first skip bytes; the last component too when leaf is set. */
static inline void tree_make_dirs(char *full, size_t skip, bool leaf)
{
	size_t len = strlen(full);
	for (size_t i = skip + 1; i <= len; i++) {
		if (full[i] != '/' && !(i == len && leaf))
			continue;
		char c = full[i];
		full[i] = '\0';
		if (mkdir(full, 0755) && errno != EEXIST)
			fail_msg("cannot create directory '%s': %s", full, strerror(errno));
		full[i] = c;
	}
}

/* Creates the directory path and its missing parents. */
static inline void tree_mkdir(struct tree *t, const char *path)
{
	char full[PATH_MAX];
	tree_join(t, path, full, sizeof(full));
	tree_make_dirs(full, strlen(t->root), true);
}

/* Writes the n bytes at data (NULs included) as the file path, creating its parent
 * directories; an existing file is replaced. */
static inline void tree_put_n(struct tree *t, const char *path, const void *data, size_t n)
{
	char full[PATH_MAX];
	tree_join(t, path, full, sizeof(full));
	tree_make_dirs(full, strlen(t->root), false);
	FILE *f = fopen(full, "w");
	if (!f)
		fail_msg("cannot create '%s': %s", full, strerror(errno));
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* Writes text as the file path, as tree_put_n does. */
static inline void tree_put(struct tree *t, const char *path, const char *text)
{
	tree_put_n(t, path, text, strlen(text));
}

/* Makes path a symlink to target (taken as is), creating its parent directories. */
static inline void tree_symlink(struct tree *t, const char *path, const char *target)
{
	char full[PATH_MAX];
	tree_join(t, path, full, sizeof(full));
	tree_make_dirs(full, strlen(t->root), false);
	assert_int_equal(symlink(target, full), 0);
}

/* Removes the file, symlink or empty directory path. */
static inline void tree_drop(struct tree *t, const char *path)
{
	char full[PATH_MAX];
	assert_int_equal(remove(tree_join(t, path, full, sizeof(full))), 0);
}

#endif
