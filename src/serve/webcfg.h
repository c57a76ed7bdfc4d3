/* SPDX-License-Identifier: MIT */
/* The web configuration file of kres serve, in the format the Prometheus exporters
 * share (prometheus/exporter-toolkit docs/web-configuration.md), so one file serves
 * node_exporter and kres alike:
 *
 *   tls_server_config:
 *     cert_file: /etc/kres/tls.crt
 *     key_file: /etc/kres/tls.key
 *   basic_auth_users:
 *     prometheus: $2y$10$...   (bcrypt, as htpasswd -B makes)
 *
 * Only that subset of YAML is read: block mappings, plain/'single'/"double" quoted
 * scalars, comments, blank lines. Keys kres does not implement (client_auth_type,
 * min_version, cipher_suites, http_server_config ...) are an error naming the key
 * and the line, so a setting is never silently ignored. Relative cert/key paths are
 * taken from the file's directory, as exporter-toolkit does. */
#ifndef KRES_SERVE_WEBCFG_H
#define KRES_SERVE_WEBCFG_H

#include <stdbool.h>
#include <stddef.h>

#include "util/text.h"

#define WEBCFG_MAX_USERS 64

struct webcfg_user {
	char *name;
	char *hash;        /* a crypt(3) hash: bcrypt $2a$/$2b$/$2y$ (others crypt_r knows also work) */
	char *ok_cache;    /* the last password that matched (bcrypt costs ~50 ms a try), or NULL */
};

struct webcfg {
	bool tls;
	char *cert_file, *key_file; /* absolute paths */
	char *cert_pem, *key_pem;   /* the files' contents, read by webcfg_load */
	struct webcfg_user user[WEBCFG_MAX_USERS];
	size_t nuser;               /* 0: no authentication */
};

/* Parses the text of a web-config file (dir: its directory, for relative paths).
 * Does not read the cert and key. Returns 0 or -EINVAL with err (line, message). */
int webcfg_parse(const char *text, size_t len, const char *dir, struct webcfg *w, struct perr *err);
/* Reads and parses path, then reads cert_file and key_file. Returns 0, or -errno /
 * -EINVAL with msg naming the file (and line). */
int webcfg_load(const char *path, struct webcfg *w, char *msg, size_t n);
void webcfg_release(struct webcfg *w);

/* Checks an Authorization header value ("Basic base64(user:pass)"); NULL header when
 * none was sent. True when no users are configured, or user and password match.
 * Compares in time independent of where the strings differ. */
bool webcfg_auth(struct webcfg *w, const char *authorization);

/* Decodes standard base64 (with padding, no whitespace) into out (n bytes, NUL
 * added). Returns the decoded length or -1 when invalid or too long. */
long base64_decode(const char *in, size_t len, char *out, size_t n);

#endif
