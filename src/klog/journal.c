// SPDX-License-Identifier: MIT
/* Kernel records from the systemd journal through sd-journal. Every field is copied out
 * with its length checked and bounded: the journal holds whatever any process wrote to
 * /dev/kmsg, so field contents are hostile and never assumed NUL-free or terminated. */
#include "klog/journal.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-id128.h>
#include <systemd/sd-journal.h>

#include "util/text.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* MESSAGE bytes kept; the rest is cut. printk lines stay under 1 KiB (PRINTKRB_RECORD_MAX
 * in kernel/printk/internal.h); the bound is for what user space may have stored. */
#define JOURNAL_MSG_MAX (64 * 1024)
/* _KERNEL_DEVICE is short ("c246:0", "+pci:0000:00:1f.2"); anything longer is bogus. */
#define JOURNAL_DEV_MAX 127

struct klog_journal {
	sd_journal *j;
	char *since;   /* since_cursor as given, or NULL */
	bool pending;  /* seeking left us on an entry not yet returned */
	bool returned; /* a record has been returned */
	uint64_t count;
	char msg[JOURNAL_MSG_MAX + 1];
	char dev[JOURNAL_DEV_MAX + 1];
};

/* Points *v at the value of field in the current entry. Returns 0, -ENOENT when the
 * entry has none, or another -errno. The value is valid until the next sd_journal call. */
static int field_get(sd_journal *sj, const char *field, struct span *v)
{
	const void *d;
	size_t n, fl = strlen(field);
	int rc = sd_journal_get_data(sj, field, &d, &n);
	if (rc < 0)
		return rc;
	/* sd-journal hands back "FIELD=value": check that rather than trust it. */
	if (n < fl + 1 || memcmp(d, field, fl) || ((const char *)d)[fl] != '=')
		return -EBADMSG;
	v->p = (const char *)d + fl + 1;
	v->n = n - fl - 1;
	return 0;
}

/* A decimal field in 0..max: missing when the entry has none, bad when it is not one. */
static int64_t field_num(sd_journal *sj, const char *field, int64_t max, int64_t missing,
                         int64_t bad)
{
	struct span v;
	int64_t x;
	if (field_get(sj, field, &v) < 0)
		return missing;
	if (parse_i64(v, &x) < 0 || x < 0 || x > max)
		return bad;
	return x;
}

/* The entry's _KERNEL_DEVICE copied into kj->dev, or NULL when it has none or one that
 * is too long or holds control bytes (it is printed and compared as a string). */
static const char *field_device(struct klog_journal *kj)
{
	struct span v;
	if (field_get(kj->j, "_KERNEL_DEVICE", &v) < 0 || v.n == 0 || v.n > JOURNAL_DEV_MAX)
		return NULL;
	for (size_t i = 0; i < v.n; i++)
		if ((unsigned char)v.p[i] < 0x20 || (unsigned char)v.p[i] >= 0x7f)
			return NULL;
	memcpy(kj->dev, v.p, v.n);
	kj->dev[v.n] = '\0';
	return kj->dev;
}

/* Fills *r from the current entry; false for an entry without a readable MESSAGE,
 * which has nothing to classify. */
static bool fill(struct klog_journal *kj, struct klog_rec *r)
{
	sd_journal *sj = kj->j;
	struct span v;
	uint64_t u;
	sd_id128_t boot;

	if (field_get(sj, "MESSAGE", &v) < 0)
		return false;
	memset(r, 0, sizeof(*r));
	r->len = v.n < JOURNAL_MSG_MAX ? v.n : JOURNAL_MSG_MAX;
	memcpy(kj->msg, v.p, r->len);
	kj->msg[r->len] = '\0';
	r->msg = kj->msg;
	/* The kernel's own timestamp; the entry's monotonic time is when journald read it. */
	r->mono_us = field_num(sj, "_SOURCE_MONOTONIC_TIMESTAMP", INT64_MAX, -1, -1);
	if (sd_journal_get_monotonic_usec(sj, &u, &boot) >= 0) {
		if (r->mono_us < 0 && u <= INT64_MAX)
			r->mono_us = (int64_t)u;
		if (!sd_id128_is_null(boot))
			sd_id128_to_string(boot, r->boot_id);
	}
	r->wall_us = -1;
	if (sd_journal_get_realtime_usec(sj, &u) >= 0 && u <= INT64_MAX)
		r->wall_us = (int64_t)u;
	r->wall_utc = true;
	r->level = (int)field_num(sj, "PRIORITY", 7, -1, -1);
	/* journald writes LOG_FAC(priority) of the kmsg prefix, 0..127; kernel lines have
	 * none, so a missing field means the kernel. */
	r->facility = (int)field_num(sj, "SYSLOG_FACILITY", 127, 0, -1);
	r->device = field_device(kj);
	r->lineno = ++kj->count;
	return true;
}

int klog_journal_next(struct klog_journal *kj, struct klog_rec *r)
{
	for (;;) {
		if (kj->pending) {
			kj->pending = false;
		} else {
			int rc = sd_journal_next(kj->j);
			if (rc <= 0)
				return rc;
		}
		if (fill(kj, r)) {
			kj->returned = true;
			return 1;
		}
	}
}

/* Adds the _BOOT_ID match for boot_id ("" the current boot, else 32 hex digits). */
static int match_boot(struct klog_journal *kj, const char *boot_id, const char *name, char *err,
                      size_t errlen)
{
	char m[sizeof("_BOOT_ID=") + 32] = "_BOOT_ID=";
	char *hex = m + strlen(m);
	int rc;
	if (!*boot_id) {
		sd_id128_t id;
		rc = sd_id128_get_boot(&id);
		if (rc < 0) {
			snprintf(err, errlen, "cannot read the current boot id for %s: %s", name,
			         strerror(-rc));
			return rc;
		}
		sd_id128_to_string(id, hex);
	} else {
		size_t n = strlen(boot_id);
		bool ok = n == 32;
		for (size_t i = 0; ok && i < n; i++) {
			char c = boot_id[i];
			ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
			     (c >= 'A' && c <= 'F');
			/* The journal stores boot ids in lower case. */
			hex[i] = (c >= 'A' && c <= 'F') ? (char)(c - 'A' + 'a') : c;
		}
		if (!ok) {
			snprintf(err, errlen, "invalid boot id '%.40s' for %s: want 32 hex digits",
			         boot_id, name);
			return -EINVAL;
		}
		hex[32] = '\0';
	}
	rc = sd_journal_add_match(kj->j, m, 0);
	if (rc < 0)
		snprintf(err, errlen, "cannot match '%s' in %s: %s", m, name, strerror(-rc));
	return rc;
}

/* Positions the journal just after cursor. When the cursor's entry is still there it
 * is passed over; when it is gone the first entry after its place is left pending. */
static int seek_after(struct klog_journal *kj, const char *cursor)
{
	int rc = sd_journal_seek_cursor(kj->j, cursor);
	if (rc < 0)
		return rc;
	rc = sd_journal_next(kj->j);
	if (rc <= 0)
		return rc;
	rc = sd_journal_test_cursor(kj->j, cursor);
	if (rc < 0)
		return rc;
	kj->pending = rc == 0;
	return 0;
}

int klog_journal_open(struct klog_journal **out, const char *dir, const char *boot_id,
                      const char *since_cursor, char *err, size_t errlen)
{
	struct klog_journal *kj = xcalloc(1, sizeof(*kj));
	char name[300];
	int rc;

	*out = NULL;
	if (dir) {
		snprintf(name, sizeof(name), "journal directory '%s'", dir);
		rc = sd_journal_open_directory(&kj->j, dir, 0);
	} else {
		snprintf(name, sizeof(name), "the system journal");
		rc = sd_journal_open(&kj->j, SD_JOURNAL_LOCAL_ONLY);
	}
	if (rc < 0) {
		kj->j = NULL;
		snprintf(err, errlen, "cannot open %s: %s", name, strerror(-rc));
		goto fail;
	}
	/* sd-journal skips files it may not read without a word; with none left there is
	 * nothing to read, which the caller should hear about (and may fall back to kmsg). */
	if (!dir && !sd_journal_has_runtime_files(kj->j) &&
	    !sd_journal_has_persistent_files(kj->j)) {
		rc = -ENOENT;
		snprintf(err, errlen,
		         "cannot read %s: no journal files in /run/log/journal or /var/log/journal "
		         "that this user may read",
		         name);
		goto fail;
	}
	/* Decompress no more of a field than is kept. */
	sd_journal_set_data_threshold(kj->j, JOURNAL_MSG_MAX + sizeof("MESSAGE="));
	rc = sd_journal_add_match(kj->j, "_TRANSPORT=kernel", 0);
	if (rc < 0) {
		snprintf(err, errlen, "cannot match '_TRANSPORT=kernel' in %s: %s", name,
		         strerror(-rc));
		goto fail;
	}
	if (boot_id && (rc = match_boot(kj, boot_id, name, err, errlen)) < 0)
		goto fail;
	if (since_cursor) {
		rc = seek_after(kj, since_cursor);
		if (rc < 0) {
			snprintf(err, errlen, "cannot seek to cursor '%.200s' in %s: %s",
			         since_cursor, name, strerror(-rc));
			goto fail;
		}
		kj->since = xstrdup(since_cursor);
	}
	*out = kj;
	return 0;
fail:
	klog_journal_close(kj);
	return rc;
}

int klog_journal_wait(struct klog_journal *kj, int timeout_ms)
{
	uint64_t us = timeout_ms < 0 ? UINT64_MAX : (uint64_t)timeout_ms * 1000;
	int rc = sd_journal_wait(kj->j, us);
	if (rc < 0)
		return rc;
	/* SD_JOURNAL_APPEND and SD_JOURNAL_INVALIDATE (files added or removed) both mean
	 * that klog_journal_next may have more to say. */
	return rc == SD_JOURNAL_NOP ? 0 : 1;
}

char *klog_journal_cursor(struct klog_journal *kj)
{
	char *c;
	if (!kj->returned)
		return kj->since ? xstrdup(kj->since) : NULL;
	/* sd-journal stays on the last entry it stepped to, also after sd_journal_next
	 * found nothing more. That is the last record returned, or an entry after it that
	 * had no MESSAGE and would be skipped again: resuming after either is right. */
	if (sd_journal_get_cursor(kj->j, &c) < 0)
		return NULL;
	return c;
}

void klog_journal_close(struct klog_journal *kj)
{
	if (!kj)
		return;
	if (kj->j)
		sd_journal_close(kj->j);
	free(kj->since);
	free(kj);
}
