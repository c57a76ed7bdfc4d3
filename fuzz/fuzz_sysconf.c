// SPDX-License-Identifier: MIT
/* libFuzzer target for logind.conf, /etc/login.defs and /etc/passwd parsing: the
 * same bytes go through each parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/sysconf.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *buf = malloc(n + 1);
	if (!buf)
		return 0;
	memcpy(buf, d, n);
	buf[n] = '\0';
	struct perr e = {0};

	struct logind lg = {.remove_ipc = true};
	(void)logind_parse(buf, n, "/etc/systemd/logind.conf", &lg, &e);

	struct logindefs ld = {0};
	(void)logindefs_parse(buf, n, &ld, &e);
	(void)logindefs_sys_uid_max(&ld);

	struct pwent pw;
	(void)passwd_find_uid(buf, n, 0, &pw, &e);
	(void)passwd_find_uid(buf, n, 105, &pw, &e);
	(void)passwd_find_name(buf, n, "postgres", &pw, &e);
	free(buf);
	return 0;
}
