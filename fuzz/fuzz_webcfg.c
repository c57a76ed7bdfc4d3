// SPDX-License-Identifier: MIT
/* libFuzzer target for the web-config of kres serve: each input is parsed as a
 * web-config file, decoded as base64, and sent as an Authorization header. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "serve/webcfg.h"
#include "util/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

/* A config whose hash is fast to check (sha256crypt at its 1000-round minimum, of
 * "pass"), so that every header reaching crypt_r costs little. */
static const char users[] =
    "basic_auth_users:\n"
    "  user: $5$rounds=1000$fuzzsalt$c8SFeMnYk0m3WoH52VnZgPDP1slqXln6gqSrcy5IWF0\n";

/* The documented results of a parse: a valid config, or nothing held and a line. */
static void check_parse(const char *buf, size_t n)
{
	struct webcfg w;
	struct perr e = {0};
	if (webcfg_parse(buf, n, "/etc/kres", &w, &e)) {
		if (w.nuser || w.tls || w.cert_file || w.key_file || !e.line || !e.msg[0])
			__builtin_trap();
		return;
	}
	if (w.nuser > WEBCFG_MAX_USERS || w.tls != (w.cert_file && w.key_file) || w.cert_pem ||
	    w.key_pem)
		__builtin_trap();
	if (w.tls && (w.cert_file[0] != '/' || w.key_file[0] != '/'))
		__builtin_trap();
	for (size_t i = 0; i < w.nuser; i++) {
		const struct webcfg_user *u = &w.user[i];
		if (!u->name[0] || strchr(u->name, ':') || u->hash[0] != '$' || u->ok_cache)
			__builtin_trap();
		for (size_t j = 0; j < i; j++)
			if (!strcmp(u->name, w.user[j].name))
				__builtin_trap();
	}
	webcfg_release(&w);
}

/* Strict base64 has one encoding per byte string: what decodes re-encodes to the
 * input itself. */
static void check_base64(const char *in, size_t n)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char out[256], back[sizeof(out) / 3 * 4 + 8];
	long k = base64_decode(in, n, out, sizeof(out));
	if (k < 0)
		return;
	if ((size_t)k >= sizeof(out) || out[k] != '\0' || n % 4 || (size_t)k > n / 4 * 3)
		__builtin_trap();
	size_t m = 0;
	for (size_t i = 0; i < (size_t)k; i += 3) {
		unsigned long q = (unsigned long)(unsigned char)out[i] << 16;
		if (i + 1 < (size_t)k)
			q |= (unsigned long)(unsigned char)out[i + 1] << 8;
		if (i + 2 < (size_t)k)
			q |= (unsigned char)out[i + 2];
		back[m++] = a[q >> 18 & 63];
		back[m++] = a[q >> 12 & 63];
		back[m++] = i + 1 < (size_t)k ? a[q >> 6 & 63] : '=';
		back[m++] = i + 2 < (size_t)k ? a[q & 63] : '=';
	}
	if (m != n || memcmp(back, in, n))
		__builtin_trap();
}

/* Only "Basic", spaces, and base64 of exactly "user:pass" may pass. */
static void check_auth(const char *hdr)
{
	static struct webcfg w;
	static bool ready;
	if (!ready) {
		if (webcfg_parse(users, strlen(users), "/", &w, NULL))
			__builtin_trap();
		ready = true;
	}
	if (!webcfg_auth(&w, hdr))
		return;
	if (strncasecmp(hdr, "Basic ", 6))
		__builtin_trap();
	char out[64];
	const char *b = hdr + 6;
	while (*b == ' ')
		b++;
	if (base64_decode(b, strlen(b), out, sizeof(out)) != 9 || memcmp(out, "user:pass", 9))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *buf = malloc(n + 1);
	if (!buf)
		return 0;
	memcpy(buf, d, n);
	buf[n] = '\0';
	check_parse(buf, n);
	check_base64(buf, n);
	check_auth(buf);
	free(buf);
	return 0;
}
