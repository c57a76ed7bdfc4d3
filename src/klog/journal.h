/* SPDX-License-Identifier: MIT */
/* Kernel records from the systemd journal (sd-journal): the local system journal or
 * the journal files of one directory, one boot or all, optionally resuming after a
 * cursor, and waiting for new entries when following. */
#ifndef KRES_KLOG_JOURNAL_H
#define KRES_KLOG_JOURNAL_H

#include <stddef.h>

#include "klog/record.h"

struct klog_journal;

/* Opens the journal: dir == NULL means the local system journal (SD_JOURNAL_LOCAL_ONLY),
 * else the journal files in directory dir (sd_journal_open_directory). Only kernel
 * records (_TRANSPORT=kernel) are returned. boot_id: NULL for all boots, "" for the
 * current boot, or 32 hex digits. since_cursor: resume after this journal cursor, or NULL;
 * when the cursor's entry is gone (rotated away), reading starts at the first kernel
 * record after where it was.
 * Returns 0, or -errno with a message naming the journal in err:
 * -ENOENT/-ENOTDIR/-EACCES for dir, -ENOENT when the local journal has no files to read
 * (no journald, or not allowed to read them), -EINVAL for a malformed boot_id or cursor.
 * On success *j is freed with klog_journal_close(); on failure *j is NULL. */
int klog_journal_open(struct klog_journal **j, const char *dir, const char *boot_id,
                      const char *since_cursor, char *err, size_t errlen);
/* Next record: 1 and *r filled (pointers valid until the next call), 0 at the end,
 * -errno on error. Fills msg (MESSAGE; binary MESSAGE fields are accepted as bytes),
 * mono_us (_SOURCE_MONOTONIC_TIMESTAMP, else the entry's monotonic), wall_us (realtime,
 * wall_utc=true), level (PRIORITY), facility (SYSLOG_FACILITY or 0), device (_KERNEL_DEVICE),
 * boot_id, lineno = running count. MESSAGE is cut at 64 KiB; entries without one are
 * skipped. After 0, a later call returns entries appended since (see klog_journal_wait). */
int klog_journal_next(struct klog_journal *j, struct klog_rec *r);
/* Waits up to timeout_ms (< 0: forever) for new entries (sd_journal_wait); 1 new data
 * (or files rotated: call klog_journal_next), 0 timeout, -errno. */
int klog_journal_wait(struct klog_journal *j, int timeout_ms);
/* The cursor of the last record returned (malloc'd, caller frees), or NULL. Before the
 * first record it is a copy of since_cursor, so that saving it always resumes right. */
char *klog_journal_cursor(struct klog_journal *j);
/* Closes the journal; j may be NULL. */
void klog_journal_close(struct klog_journal *j);

#endif
