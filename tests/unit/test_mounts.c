// SPDX-License-Identifier: MIT
/* mountinfo parsing, the mount holding a path, and option lookup. The sample is
 * this build machine's /proc/self/mountinfo (a Firecracker guest), trimmed, with
 * NFS, tmpfs and escaped-space mounts added as a database host would have them. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "host/mounts.h"

static const char sample[] =
	"22 27 0:21 / /proc rw,relatime - proc proc rw\n"
	"23 27 0:22 / /sys rw,relatime - sysfs sysfs rw\n"
	"24 27 0:6 / /dev rw,relatime - devtmpfs devtmpfs "
	"rw,size=12334556k,nr_inodes=3083639,mode=755\n"
	"25 24 0:23 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24684100k\n"
	"27 1 254:0 / / rw,relatime - ext4 /dev/vda "
	"rw,discard,resv_strict,resuid=65534,resgid=65534\n"
	"31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
	"35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
	"41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n"
	"60 27 0:50 / /var/lib/postgresql rw,relatime shared:30 - nfs4 db1:/export/pg "
	"rw,vers=4.2,rsize=1048576,wsize=1048576,namlen=255,hard,proto=tcp,timeo=600,"
	"retrans=2,sec=sys,clientaddr=10.0.0.5,local_lock=none,addr=10.0.0.9\n"
	"61 27 0:51 / /var/lib/mysql rw,relatime shared:31 master:2 - nfs4 db2:/export/my "
	"rw,vers=4.1,soft,proto=tcp,timeo=600,retrans=2,sec=sys\n"
	"62 24 0:52 / /dev/shm rw,nosuid,nodev - tmpfs tmpfs rw,size=65536k,mode=1777\n"
	"63 27 8:1 /data /srv/my\\040data rw,noatime - xfs /dev/disk/by-label/my\\040disk "
	"rw,attr2,inode64\n"
	"64 27 0:60 / /mnt/fuse rw,nosuid - fuse.sshfs  rw,user_id=0\n"
	"65 27 0:61 / /mnt/a\\011b\\134c\\012d rw - tmpfs x\\000y rw\n";

static void test_parse_sample(void **state)
{
	(void)state;
	struct mounts m = {0};
	struct perr e = {0};
	assert_int_equal(mounts_parse(sample, strlen(sample), &m, &e), 0);
	assert_int_equal(m.n, 14);
	assert_string_equal(m.v[4].target, "/");
	assert_string_equal(m.v[4].fstype, "ext4");
	assert_string_equal(m.v[4].source, "/dev/vda");
	assert_string_equal(m.v[4].opts, "rw,relatime");
	assert_string_equal(m.v[4].superopts, "rw,discard,resv_strict,resuid=65534,resgid=65534");
	assert_string_equal(m.v[9].opts, "rw,relatime");
	assert_string_equal(m.v[9].fstype, "nfs4");
	assert_string_equal(m.v[9].source, "db2:/export/my");
	assert_string_equal(m.v[11].target, "/srv/my data");
	assert_string_equal(m.v[11].source, "/dev/disk/by-label/my disk");
	assert_string_equal(m.v[12].source, "");
	assert_string_equal(m.v[12].fstype, "fuse.sshfs");
	assert_string_equal(m.v[13].target, "/mnt/a\tb\\c\nd");
	assert_string_equal(m.v[13].source, "x\\000y"); /* NUL is not decoded */
	mounts_release(&m);
	assert_null(m.v);
	assert_int_equal(m.n, 0);
}

static const struct {
	const char *path;
	const char *target, *fstype, *superopt; /* superopt: name=value expected */
} find_cases[] = {
	{"/var/lib/postgresql/15/main", "/var/lib/postgresql", "nfs4", "hard"},
	{"/var/lib/postgresql", "/var/lib/postgresql", "nfs4", "vers=4.2"},
	{"/var/lib/postgresqlx/data", "/", "ext4", "resuid=65534"},
	{"/var/lib/mysql/ibdata1", "/var/lib/mysql", "nfs4", "soft"},
	{"/dev/shm/PostgreSQL.1804289383", "/dev/shm", "tmpfs", "size=65536k"},
	{"/dev/shm", "/dev/shm", "tmpfs", "mode=1777"},
	{"/dev/pts/0", "/dev", "devtmpfs", "nr_inodes=3083639"},
	{"/srv/my data/x", "/srv/my data", "xfs", "inode64"},
	{"/srv/my", "/", "ext4", "discard"},
	{"/", "/", "ext4", "resv_strict"},
	{"/sys/fs/cgroup/memory/x/memory.max", "/sys/fs/cgroup/memory", "cgroup", "memory"},
	{"/sys/fs/cgroupx", "/sys", "sysfs", "rw"},
};

static void test_find(void **state)
{
	(void)state;
	struct mounts m = {0};
	struct perr e = {0};
	assert_int_equal(mounts_parse(sample, strlen(sample), &m, &e), 0);
	for (size_t i = 0; i < sizeof(find_cases) / sizeof(find_cases[0]); i++) {
		const struct mount *mt = mounts_find(&m, find_cases[i].path);
		assert_non_null(mt);
		assert_string_equal(mt->target, find_cases[i].target);
		assert_string_equal(mt->fstype, find_cases[i].fstype);
		char name[32], want[32], val[32];
		const char *eq = strchr(find_cases[i].superopt, '=');
		size_t nl =
		    eq ? (size_t)(eq - find_cases[i].superopt) : strlen(find_cases[i].superopt);
		memcpy(name, find_cases[i].superopt, nl);
		name[nl] = '\0';
		snprintf(want, sizeof(want), "%s", eq ? eq + 1 : "");
		assert_true(mount_opt(mt->superopts, name, val, sizeof(val)));
		assert_string_equal(val, want);
	}
	/* The later of two mounts on /dev/shm shadows the earlier one. */
	assert_ptr_equal(mounts_find(&m, "/dev/shm/x"), &m.v[10]);
	mounts_release(&m);

	struct mounts empty = {0};
	assert_null(mounts_find(&empty, "/"));
}

static const struct {
	const char *opts, *name;
	bool found;
	const char *val;
} opt_cases[] = {
	{"rw,vers=4.2,hard,proto=tcp", "hard", true, ""},
	{"rw,vers=4.2,hard,proto=tcp", "vers", true, "4.2"},
	{"rw,vers=4.2,hard,proto=tcp", "proto", true, "tcp"},
	{"rw,vers=4.2,hard,proto=tcp", "rw", true, ""},
	{"rw,vers=4.1,soft", "hard", false, NULL},
	{"rw,hardx,xhard", "hard", false, NULL},
	{"rw,size=65536k,mode=1777", "size", true, "65536k"},
	{"rw,size=65536k,mode=1777", "siz", false, NULL},
	{"rw,size=", "size", true, ""},
	{"", "rw", false, NULL},
	{"rw", "", false, NULL},
	{"a=verylongvalue_that_is_truncated", "a", true, "verylong"},
};

static void test_opt(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(opt_cases) / sizeof(opt_cases[0]); i++) {
		char val[9] = "unset";
		bool got = mount_opt(opt_cases[i].opts, opt_cases[i].name, val, sizeof(val));
		assert_int_equal(got, opt_cases[i].found);
		if (opt_cases[i].found)
			assert_string_equal(val, opt_cases[i].val);
		else
			assert_string_equal(val, "unset");
		assert_int_equal(mount_opt(opt_cases[i].opts, opt_cases[i].name, NULL, 0),
				 opt_cases[i].found);
	}
	assert_false(mount_opt(NULL, "rw", NULL, 0));
}

#define NUL_LINE "36 35 98:0 / /a\0 rw - ext3 /dev/root rw\n"
static const struct {
	const char *text;
	unsigned line;  /* 0: parses */
	size_t n;       /* entries when it parses */
	const char *msg; /* a piece of the message */
	size_t len;      /* 0: strlen(text) */
} err_cases[] = {
	{"36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue\n", 0,
	 1, NULL, 0},
	{"\n\n36 35 98:0 / /a rw - ext3 /dev/root rw\n\n", 0, 1, NULL, 0},
	{"36 35 98:0 / /a rw - ext3 /dev/root rw", 0, 1, NULL, 0}, /* no final newline */
	{"", 0, 0, NULL, 0},
	{"36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 ext3 /dev/root rw\n", 1, 0, "'-'", 0},
	{"36 35 98:0 / /a rw - ext3 /dev/root rw\nx 35 98:0 / /b rw - ext4 /dev/b rw\n", 2, 0,
	 "'mount id'", 0},
	{"36 35 98:0 / /a rw - ext3 /dev/root\n", 1, 0, "after '-'", 0},
	{"36 35 98:0 / /a rw - ext3 /dev/root rw extra\n", 1, 0, "after '-'", 0},
	{"36 35 98:0 / /a - ext3 /dev/root rw\n", 1, 0, "'-'", 0},
	{"36 35 98:0 / a rw - ext3 /dev/root rw\n", 1, 0, "'mount point'", 0},
	{"36 35 98:0 / /a rw -  /dev/root rw\n", 1, 0, "'fstype'", 0},
	{"36  35 98:0 / /a rw - ext3 /dev/root rw\n", 1, 0, "'parent id'", 0},
	{NUL_LINE, 1, 0, "NUL", sizeof(NUL_LINE) - 1},
};

static void test_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(err_cases) / sizeof(err_cases[0]); i++) {
		struct mounts m = {0};
		struct perr e = {0};
		size_t len = err_cases[i].len ? err_cases[i].len : strlen(err_cases[i].text);
		int rc = mounts_parse(err_cases[i].text, len, &m, &e);
		if (err_cases[i].line == 0) {
			assert_int_equal(rc, 0);
			assert_int_equal(m.n, err_cases[i].n);
		} else {
			assert_int_equal(rc, -EINVAL);
			assert_int_equal(e.line, err_cases[i].line);
			assert_non_null(strstr(e.msg, err_cases[i].msg));
		}
		mounts_release(&m);
	}
}

/* This machine's own table: "/" is always mounted and /proc is procfs. */
static void test_live(void **state)
{
	(void)state;
	FILE *f = fopen("/proc/self/mountinfo", "r");
	assert_non_null(f);
	static char buf[1 << 16];
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	struct mounts m = {0};
	struct perr e = {0};
	assert_int_equal(mounts_parse(buf, n, &m, &e), 0);
	const struct mount *mt = mounts_find(&m, "/proc/self/status");
	assert_non_null(mt);
	assert_string_equal(mt->fstype, "proc");
	mounts_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_sample), cmocka_unit_test(test_find),
		cmocka_unit_test(test_opt),          cmocka_unit_test(test_errors),
		cmocka_unit_test(test_live),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
