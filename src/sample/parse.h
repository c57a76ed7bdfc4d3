/* SPDX-License-Identifier: MIT */
/* Pure parsers for the files the sampler reads each interval. Each turns a buffer
 * into a part of a snapshot (sample/snap.h) without allocating: arrays are the
 * caller's, with their capacity, and rows that do not fit are counted in *_over.
 * A malformed file is -EINVAL with *err naming the line; the part is then marked
 * not ok and the sampler carries on with the other files. */
#ifndef KRES_SAMPLE_PARSE_H
#define KRES_SAMPLE_PARSE_H

#include <stddef.h>

#include "sample/snap.h"
#include "util/text.h"

/* /proc/stat: "cpu" and "cpuN" lines, ctxt, processes, intr (first number), btime,
 * procs_running, procs_blocked. Lines of other names are skipped. */
int stat_parse(const char *buf, size_t len, struct snap_stat *st, struct perr *err);

/* /proc/pressure/<res>: "some avg10=A avg60=B avg300=C total=T" and "full ...". */
int psi_parse(const char *buf, size_t len, struct snap_psi *p, struct perr *err);

/* /proc/net/dev: two header lines, then "name: 16 numbers". Names are split at the
 * last ':' before the numbers. */
int netdev_parse(const char *buf, size_t len, struct snap_netdev *dev, size_t cap, size_t *n,
		 size_t *over, struct perr *err);

/* /proc/net/softnet_stat in every column era (9, 10, 11, 13, 15 and wider). */
int softnet_rows_parse(const char *buf, size_t len, struct snap_softnet_all *sn, struct perr *err);

/* /proc/net/snmp or /proc/net/netstat: pairs of "Prefix: names" / "Prefix: values"
 * lines, mapped by name. Fields it does not know are skipped. Call with the snmp
 * text and then the netstat text into the same struct (it does not clear it:
 * tcpx_clear() does). */
void tcpx_clear(struct snap_tcpx *x);
int tcpx_parse(const char *buf, size_t len, struct snap_tcpx *x, struct perr *err);

/* /proc/diskstats: "major minor name" then 4 (old partition rows), 11, 15, 17 or
 * more numbers. */
int diskstats_parse(const char *buf, size_t len, struct snap_disk *dev, size_t cap, size_t *n,
		    size_t *over, struct perr *err);

/* True for names node_exporter's diskstats collector leaves out by default:
 * ram, zram, loop, fd devices and partitions (sda1, vda2, xvda1, nvme0n1p1). */
bool disk_is_partition_or_virtual(const char *name);

#endif
