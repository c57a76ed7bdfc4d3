// SPDX-License-Identifier: MIT
/* systemd unit loading on fixture trees: the Debian postgresql@.service template
 * with instance and template drop-ins, masking, priorities between directories,
 * Environment= quoting and reset, and parse errors with path and line. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "host/unit.h"
#include "tree.h"

/* ---- fixture trees ---- */

static struct tree fx;

/* Debian's postgresql-common template (postgresql@.service), as installed. */
static const char pg_template[] =
	"# systemd service template for PostgreSQL clusters. The actual instances will\n"
	"# be called \"postgresql@version-cluster\", e.g. \"postgresql@9.3-main\". The\n"
	"# variable %i expands to \"version-cluster\", %I expands to \"version/cluster\".\n"
	"# (%I breaks for cluster names containing dashes.)\n"
	"\n"
	"[Unit]\n"
	"Description=PostgreSQL Cluster %i\n"
	"AssertPathExists=/etc/postgresql/%I/postgresql.conf\n"
	"RequiresMountsFor=/etc/postgresql/%I /var/lib/postgresql/%I\n"
	"PartOf=postgresql.service\n"
	"ReloadPropagatedFrom=postgresql.service\n"
	"Before=postgresql.service\n"
	"# stop server before networking goes down on shutdown\n"
	"After=network.target\n"
	"\n"
	"[Service]\n"
	"Type=forking\n"
	"# -: ignore startup failure (recovery might take arbitrarily long)\n"
	"# the actual pg_ctl timeout is configured in pg_ctl.conf\n"
	"ExecStart=-/usr/bin/pg_ctlcluster --skip-systemctl-redirect %i start\n"
	"# 0 is the same as infinity, but \"infinity\" needs systemd 229\n"
	"TimeoutStartSec=0\n"
	"ExecStop=/usr/bin/pg_ctlcluster --skip-systemctl-redirect -m fast %i stop\n"
	"TimeoutStopSec=1h\n"
	"ExecReload=/usr/bin/pg_ctlcluster --skip-systemctl-redirect %i reload\n"
	"PIDFile=/run/postgresql/%i.pid\n"
	"SyslogIdentifier=postgresql@%i\n"
	"# prevent OOM killer from choosing the postmaster (individual backends will\n"
	"# reset the score to 0)\n"
	"OOMScoreAdjust=-900\n"
	"# restarting automatically will prevent \"pg_ctlcluster ... stop\" from working,\n"
	"# so we disable it here. Also, the postmaster will restart by itself on most\n"
	"# problems anyway, so it is questionable if one wants to enable external\n"
	"# automatic restarts.\n"
	"#Restart=on-failure\n"
	"# (This should make pg_ctlcluster stop work, but doesn't:)\n"
	"#RestartPreventExitStatus=SIGINT SIGTERM\n"
	"Slice=postgresql.slice\n"
	"\n"
	"[Install]\n"
	"WantedBy=multi-user.target\n";

#define PG "postgresql@15-main.service"
#define USRLIB "/usr/lib/systemd/system/"
#define ETC "/etc/systemd/system/"

static void assert_setting(const struct unit_info *u, enum unit_key k, const char *value,
			   const char *file, unsigned line)
{
	print_message("%s\n", unit_key_name(k));
	assert_true(u->s[k].set);
	assert_string_equal(u->s[k].value, value);
	assert_string_equal(u->s[k].file, tree_path(&fx, file));
	assert_int_equal(u->s[k].line, line);
}

static void assert_env(const struct unit_info *u, const char *name, const char *value,
		       const char *file, unsigned line)
{
	const struct unit_env *e = unit_env_get(u, name);
	print_message("%s\n", name);
	assert_non_null(e);
	assert_string_equal(e->value, value);
	assert_string_equal(e->file, tree_path(&fx, file));
	assert_int_equal(e->line, line);
}

static void test_postgres(void **state)
{
	(void)state;
	struct unit_info u;
	tree_put(&fx, USRLIB "postgresql@.service", pg_template);
	tree_put(&fx, USRLIB "postgresql@.service.d/10-limits.conf",
	         "[Service]\nLimitMEMLOCK=infinity\nTasksMax=4096\nUser=postgres\n"
	         "Environment=LANG=C.UTF-8 PG_OOM_ADJUST_VALUE=5\n");
	tree_put(&fx, ETC PG ".d/override.conf",
	         "[Service]\n"
	         "LimitNOFILE=65536\n"
	         "OOMScoreAdjust=-1000\n"
	         "Environment=PG_OOM_ADJUST_FILE=/proc/self/oom_score_adj "
	         "\"PG_OOM_ADJUST_VALUE=0\"\n");
	unit_read(&fx.r, PG, &u);
	assert_int_equal(u.src.state, SRC_OK);
	assert_string_equal(u.name, PG);
	assert_string_equal(u.fragment, tree_path(&fx, USRLIB "postgresql@.service"));
	assert_setting(&u, UK_LIMIT_NOFILE, "65536", ETC PG ".d/override.conf", 2);
	assert_setting(&u, UK_OOM_SCORE_ADJUST, "-1000", ETC PG ".d/override.conf", 3);
	assert_setting(&u, UK_LIMIT_MEMLOCK, "infinity",
	               USRLIB "postgresql@.service.d/10-limits.conf", 2);
	assert_setting(&u, UK_TASKS_MAX, "4096", USRLIB "postgresql@.service.d/10-limits.conf", 3);
	assert_setting(&u, UK_USER, "postgres", USRLIB "postgresql@.service.d/10-limits.conf", 4);
	assert_false(u.s[UK_LIMIT_NPROC].set);
	assert_false(u.s[UK_MEMORY_MAX].set);
	assert_false(u.s[UK_OOM_POLICY].set);
	assert_int_equal(u.nenv, 3);
	assert_env(&u, "LANG", "C.UTF-8", USRLIB "postgresql@.service.d/10-limits.conf", 5);
	assert_env(&u, "PG_OOM_ADJUST_VALUE", "0", ETC PG ".d/override.conf", 4);
	assert_env(&u, "PG_OOM_ADJUST_FILE", "/proc/self/oom_score_adj", ETC PG ".d/override.conf",
		   4);
	assert_null(unit_env_get(&u, "PG_OOM_ADJUST"));
	assert_int_equal(u.dropins.n, 2);
	assert_string_equal(u.dropins.v[0],
	                    tree_path(&fx, USRLIB "postgresql@.service.d/10-limits.conf"));
	assert_string_equal(u.dropins.v[1], tree_path(&fx, ETC PG ".d/override.conf"));
	unit_release(&u);
	assert_int_equal(u.dropins.n, 0);

	/* Another cluster gets the template and its drop-in, not 15-main's override. */
	unit_read(&fx.r, "postgresql@16-main.service", &u);
	assert_int_equal(u.src.state, SRC_OK);
	assert_setting(&u, UK_OOM_SCORE_ADJUST, "-900", USRLIB "postgresql@.service", 30);
	assert_env(&u, "PG_OOM_ADJUST_VALUE", "5", USRLIB "postgresql@.service.d/10-limits.conf",
	           5);
	assert_false(u.s[UK_LIMIT_NOFILE].set);
	assert_int_equal(u.dropins.n, 1);
	unit_release(&u);
}

/* Same file name: a higher-priority directory wins first, then the instance
 * directory over the template's within one directory (systemd dropin.c). */
static void test_dropin_masking(void **state)
{
	(void)state;
	struct unit_info u;
	tree_put(&fx, USRLIB "postgresql@.service", pg_template);
	tree_put(&fx, USRLIB "postgresql@.service.d/override.conf",
	         "[Service]\nLimitNOFILE=1024\n");
	tree_put(&fx, ETC PG ".d/override.conf", "[Service]\n\nLimitNOFILE=65536\n");
	tree_put(&fx, USRLIB PG ".d/50-x.conf", "[Service]\nTasksMax=10\n");
	tree_put(&fx, ETC "postgresql@.service.d/50-x.conf", "[Service]\nTasksMax=20\n");
	tree_put(&fx, ETC PG ".d/60-y.conf", "[Service]\nMemoryMax=8G\n");
	tree_put(&fx, ETC "postgresql@.service.d/60-y.conf", "[Service]\nMemoryMax=1G\n");
	tree_put(&fx, "/run/systemd/system/" PG ".d/70-z.conf", "[Service]\nOOMPolicy=continue\n");
	tree_symlink(&fx, ETC PG ".d/70-z.conf", "/dev/null");
	tree_put(&fx, USRLIB PG ".d/notes.txt", "[Service]\nUser=nobody\n");
	unit_read(&fx.r, PG, &u);
	assert_int_equal(u.src.state, SRC_OK);
	assert_setting(&u, UK_LIMIT_NOFILE, "65536", ETC PG ".d/override.conf", 3);
	assert_setting(&u, UK_TASKS_MAX, "20", ETC "postgresql@.service.d/50-x.conf", 2);
	assert_setting(&u, UK_MEMORY_MAX, "8G", ETC PG ".d/60-y.conf", 2);
	assert_false(u.s[UK_OOM_POLICY].set);
	assert_false(u.s[UK_USER].set);
	assert_int_equal(u.dropins.n, 3);
	assert_string_equal(u.dropins.v[0], tree_path(&fx, ETC "postgresql@.service.d/50-x.conf"));
	assert_string_equal(u.dropins.v[1], tree_path(&fx, ETC PG ".d/60-y.conf"));
	assert_string_equal(u.dropins.v[2], tree_path(&fx, ETC PG ".d/override.conf"));
	unit_release(&u);
}

static void test_masked(void **state)
{
	(void)state;
	struct unit_info u;
	tree_put(&fx, USRLIB "postgresql@.service", pg_template);
	tree_symlink(&fx, ETC PG, "/dev/null");
	unit_read(&fx.r, PG, &u);
	assert_int_equal(u.src.state, SRC_UNAVAILABLE);
	assert_string_equal(u.src.err, "unit '" PG "' is masked");
	assert_int_equal(u.dropins.n, 0);
	unit_release(&u);

	/* Another instance is not masked by it... */
	unit_read(&fx.r, "postgresql@14-main.service", &u);
	assert_int_equal(u.src.state, SRC_OK);
	unit_release(&u);

	/* ...but masking the template masks every instance without its own file. */
	tree_symlink(&fx, ETC "postgresql@.service", "/dev/null");
	unit_read(&fx.r, "postgresql@14-main.service", &u);
	assert_int_equal(u.src.state, SRC_UNAVAILABLE);
	assert_string_equal(u.src.err, "unit 'postgresql@14-main.service' is masked");
	unit_release(&u);

	/* An empty unit file masks too. */
	tree_put(&fx, USRLIB "mysql.service", "");
	unit_read(&fx.r, "mysql.service", &u);
	assert_int_equal(u.src.state, SRC_UNAVAILABLE);
	assert_string_equal(u.src.err, "unit 'mysql.service' is masked");
	unit_release(&u);
}

static void test_not_found(void **state)
{
	(void)state;
	struct unit_info u;
	unit_read(&fx.r, "nosuch.service", &u);
	assert_int_equal(u.src.state, SRC_UNAVAILABLE);
	assert_string_equal(u.src.err, "unit 'nosuch.service' not found");
	unit_release(&u);

	/* A drop-in alone does not make a unit. */
	tree_put(&fx, ETC "nosuch.service.d/x.conf", "[Service]\nUser=x\n");
	unit_read(&fx.r, "nosuch.service", &u);
	assert_int_equal(u.src.state, SRC_UNAVAILABLE);
	unit_release(&u);

	static const char *const bad[] = {"", "../../etc/passwd", "noext", ".service",
					  "a@b@c.service", "@x.service"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unit_read(&fx.r, bad[i], &u);
		assert_int_equal(u.src.state, SRC_UNAVAILABLE);
		assert_non_null(strstr(u.src.err, "not a valid unit name"));
		unit_release(&u);
	}
}

/* The instance's own file anywhere beats the template anywhere; /lib is searched
 * after /usr/lib for systems without the /usr merge. */
static void test_fragment_choice(void **state)
{
	(void)state;
	struct unit_info u;
	tree_put(&fx, ETC "postgresql@.service", "[Service]\nUser=etc-template\n");
	tree_put(&fx, "/lib/systemd/system/" PG, "[Service]\nUser=lib-instance\n");
	unit_read(&fx.r, PG, &u);
	assert_string_equal(u.fragment, tree_path(&fx, "/lib/systemd/system/" PG));
	assert_setting(&u, UK_USER, "lib-instance", "/lib/systemd/system/" PG, 2);
	unit_release(&u);

	tree_put(&fx, "/run/systemd/system/" PG, "[Service]\nUser=run-instance\n");
	unit_read(&fx.r, PG, &u);
	assert_string_equal(u.fragment, tree_path(&fx, "/run/systemd/system/" PG));
	unit_release(&u);

	/* A directory named like the unit is not a unit file. */
	tree_put(&fx, ETC "redis.service/x", "");
	tree_put(&fx, USRLIB "redis.service", "[Service]\nLimitNOFILE=10032\n");
	unit_read(&fx.r, "redis.service", &u);
	assert_string_equal(u.fragment, tree_path(&fx, USRLIB "redis.service"));
	unit_release(&u);
}

/* systemctl set-property drop-ins, dash-prefix and top-level service.d drop-ins. */
static void test_other_dropin_dirs(void **state)
{
	(void)state;
	struct unit_info u;
	tree_put(&fx, USRLIB "mariadb-server.service",
	         "[Service]\nUser=mysql\nLimitNOFILE=32768\n");
	tree_put(&fx, "/etc/systemd/system.control/mariadb-server.service.d/50-MemoryMax.conf",
	         "# This is a drop-in unit file extension, created via \"systemctl set-property\"\n"
	         "# or an equivalent operation. Do not edit.\n[Service]\nMemoryMax=4294967296\n");
	tree_put(&fx, ETC "mariadb-.service.d/10-prefix.conf", "[Service]\nLimitNPROC=500\n");
	tree_put(&fx, ETC "service.d/10-prefix.conf", "[Service]\nLimitNPROC=1\n");
	tree_put(&fx, ETC "service.d/20-all.conf", "[Service]\nOOMPolicy=stop\n");
	unit_read(&fx.r, "mariadb-server.service", &u);
	assert_int_equal(u.src.state, SRC_OK);
	assert_setting(&u, UK_MEMORY_MAX, "4294967296",
		       "/etc/systemd/system.control/mariadb-server.service.d/50-MemoryMax.conf", 4);
	assert_setting(&u, UK_LIMIT_NPROC, "500", ETC "mariadb-.service.d/10-prefix.conf", 2);
	assert_setting(&u, UK_OOM_POLICY, "stop", ETC "service.d/20-all.conf", 2);
	assert_setting(&u, UK_LIMIT_NOFILE, "32768", USRLIB "mariadb-server.service", 3);
	assert_int_equal(u.dropins.n, 3);
	unit_release(&u);
}

static void test_env_reset(void **state)
{
	(void)state;
	struct unit_info u;
	tree_put(&fx, USRLIB "app.service", "[Service]\nEnvironment=A=1 B=2\nEnvironment=D=4\n");
	tree_put(&fx, ETC "app.service.d/a.conf", "[Service]\nEnvironment=\nEnvironment=C=3\n");
	unit_read(&fx.r, "app.service", &u);
	assert_int_equal(u.nenv, 1);
	assert_env(&u, "C", "3", ETC "app.service.d/a.conf", 3);
	assert_null(unit_env_get(&u, "A"));
	unit_release(&u);
}

static void test_parse_error(void **state)
{
	(void)state;
	struct unit_info u;
	char want[1024];
	tree_put(&fx, USRLIB "app.service", "[Service]\nUser=app\n");
	tree_put(&fx, ETC "app.service.d/10-bad.conf",
	         "[Service]\nLimitNOFILE=1\nthis is not ini\n");
	tree_put(&fx, ETC "app.service.d/20-good.conf", "[Service]\nUser=other\n");
	tree_put(&fx, ETC "app.service.d/30-quote.conf", "[Service]\nEnvironment=\"A=1\n");
	unit_read(&fx.r, "app.service", &u);
	assert_int_equal(u.src.state, SRC_ERROR);
	snprintf(want, sizeof(want),
	         "'%s' line 3: expected 'key=value', a '[section]' or a comment",
	         tree_path(&fx, ETC "app.service.d/10-bad.conf"));
	assert_string_equal(u.src.err, want);
	assert_setting(&u, UK_LIMIT_NOFILE, "1", ETC "app.service.d/10-bad.conf", 2);
	assert_setting(&u, UK_USER, "other", ETC "app.service.d/20-good.conf", 2);
	assert_int_equal(u.dropins.n, 3);
	unit_release(&u);
}

/* ---- unit_parse ---- */

static const struct {
	const char *text;
	int rc;
	const char *env; /* expected "NAME=value;" list */
} env_cases[] = {
	{"[Service]\nEnvironment=A=1 B=2\n", 0, "A=1;B=2;"},
	{"[Service]\nEnvironment=\"A=1 2\" 'B=x y'\n", 0, "A=1 2;B=x y;"},
	{"[Service]\nEnvironment=\"A=say \\\"hi\\\"\" C=a\\sb\n", 0, "A=say \"hi\";C=a b;"},
	{"[Service]\nEnvironment=A=a\"b c\"d\n", 0, "A=ab cd;"},
	{"[Service]\nEnvironment=NOEQ A=1 1BAD=x =y GOOD_1=y\n", 0, "A=1;GOOD_1=y;"},
	{"[Service]\nEnvironment=A=x\\x41\\u00e9\\101\n", 0, "A=xA\xc3\xa9" "A;"},
	{"[Service]\nEnvironment=A=1\nEnvironment=B=2\nEnvironment=A=3\n", 0, "A=3;B=2;"},
	{"[Service]\nEnvironment=A=\n", 0, "A=;"},
	{"[Service]\nEnvironment=A=1 \"\" B=2\n", 0, "A=1;B=2;"},
	{"[Service]\nEnvironment=A=1\nEnvironment=\n", 0, ""},
	{"[Unit]\nEnvironment=A=1\n", 0, ""},
	{"[Service]\nEnvironment=\"A=1\n", -EINVAL, ""},
	{"[Service]\nEnvironment=A=1 \"B=2\n", -EINVAL, "A=1;"},
	{"[Service]\nEnvironment=A=1 B=\\q C=3\n", -EINVAL, "A=1;"},
	{"[Service]\nEnvironment=A=1 B=\\x00\n", -EINVAL, "A=1;"},
	{"[Service]\nEnvironment=A=1 B=x\\\n", 0, "A=1;B=x;"}, /* continuation, not escape */
	{"[Service]\nEnvironment=B=x\\\\\n", 0, "B=x\\;"},
	{"[Service]\nEnvironment=B=x\\\\\\\\\n", 0, "B=x\\\\;"},
	{"[Service]\nEnvironment=A=1 B=\\\\\\\n", 0, "A=1;B=\\;"},
};

static void test_env_parse(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(env_cases) / sizeof(env_cases[0]); i++) {
		struct unit_info u = {0};
		struct perr e = {0};
		char got[512] = "";
		const char *t = env_cases[i].text;
		print_message("env case %zu\n", i);
		assert_int_equal(unit_parse(t, strlen(t), "f", &u, &e), env_cases[i].rc);
		for (size_t k = 0; k < u.nenv; k++) {
			size_t n = strlen(got);
			snprintf(got + n, sizeof(got) - n, "%s=%s;", u.env[k].name, u.env[k].value);
		}
		assert_string_equal(got, env_cases[i].env);
		if (env_cases[i].rc)
			assert_int_equal(e.line, 2);
		unit_release(&u);
	}
}

static void test_env_cap(void **state)
{
	(void)state;
	char text[4096];
	size_t n = (size_t)snprintf(text, sizeof(text), "[Service]\nEnvironment=");
	for (int i = 0; i < UNIT_MAX_ENV + 6; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "V%d=%d ", i, i);
	snprintf(text + n, sizeof(text) - n, "\nEnvironment=V0=zero V%d=late\n", UNIT_MAX_ENV + 1);
	struct unit_info u = {0};
	struct perr e = {0};
	assert_int_equal(unit_parse(text, strlen(text), "f", &u, &e), 0);
	assert_int_equal(u.nenv, UNIT_MAX_ENV);
	assert_string_equal(unit_env_get(&u, "V0")->value, "zero");
	assert_int_equal(unit_env_get(&u, "V0")->line, 3);
	assert_null(unit_env_get(&u, "V64"));
	assert_null(unit_env_get(&u, "V65"));
	assert_string_equal(unit_env_get(&u, "V63")->value, "63");
	unit_release(&u);
}

static void test_settings(void **state)
{
	(void)state;
	static const char text[] = "[Unit]\nUser=unit-section\n"
				   "[Service]\nLimitNOFILE=1024:524288\nLimitNOFILE=65536\n"
				   "MemoryMax=8G\nMemoryMax=\nUser = postgres \n"
				   "[Install]\nUser=install-section\n";
	struct unit_info u = {0};
	struct perr e = {0};
	assert_int_equal(unit_parse(text, strlen(text), "f.service", &u, &e), 0);
	assert_true(u.s[UK_LIMIT_NOFILE].set);
	assert_string_equal(u.s[UK_LIMIT_NOFILE].value, "65536");
	assert_int_equal(u.s[UK_LIMIT_NOFILE].line, 5);
	assert_string_equal(u.s[UK_LIMIT_NOFILE].file, "f.service");
	/* The empty assignment resets to systemd's default. */
	assert_false(u.s[UK_MEMORY_MAX].set);
	assert_string_equal(u.s[UK_USER].value, "postgres");
	assert_int_equal(u.s[UK_USER].line, 8);

	static const char *const names[UK__COUNT] = {
		"LimitNOFILE", "LimitNPROC", "LimitMEMLOCK", "TasksMax",
		"OOMScoreAdjust", "OOMPolicy", "MemoryMax", "User", "ExecStart", "LimitCORE",
	};
	for (int k = 0; k < UK__COUNT; k++)
		assert_string_equal(unit_key_name((enum unit_key)k), names[k]);
	assert_string_equal(unit_key_name(UK__COUNT), "?");
}

/* A test run on a fresh fixture tree. */
#define FX(t) cmocka_unit_test_prestate_setup_teardown(t, tree_setup, tree_teardown, &fx)

int main(void)
{
	const struct CMUnitTest tests[] = {
		FX(test_postgres),
		FX(test_dropin_masking),
		FX(test_masked),
		FX(test_not_found),
		FX(test_fragment_choice),
		FX(test_other_dropin_dirs),
		FX(test_env_reset),
		FX(test_parse_error),
		cmocka_unit_test(test_env_parse),
		cmocka_unit_test(test_env_cap),
		cmocka_unit_test(test_settings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
