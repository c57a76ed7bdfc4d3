// SPDX-License-Identifier: MIT
/* The NICs of the host: sysfs facts under /sys/class/net/<if> (any root) and, on the
 * live root only, the ethtool "get" ioctls that any user may make (net/ethtool/ioctl.c
 * __dev_ethtool lets ETHTOOL_GDRVINFO, GRINGPARAM and GCHANNELS through without
 * CAP_NET_ADMIN). No ethtool binary is run. */
#include "host/net.h"

#include <errno.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/xalloc.h"
#include "util/banned.h"

#define CLASS_NET "/sys/class/net"

/* One line of a sysfs attribute, trimmed, into out; "" when unreadable. */
static void read_word(const struct rootfs *r, const char *path, char *out, size_t n)
{
	char *buf;
	out[0] = '\0';
	ssize_t len = rootfs_read(r, path, 4096, &buf);
	if (len < 0)
		return;
	struct span s = span_trim((struct span){buf, (size_t)len});
	if (!memchr(s.p, '\n', s.n))
		span_copy(s, out, n);
	free(buf);
}

/* net/core/net-sysfs.c speed_show: Mb/s, -1 (SPEED_UNKNOWN) from virtio and others;
 * reading fails with EINVAL while the link is down. */
static int64_t read_speed(const struct rootfs *r, const char *name)
{
	char path[96], word[32];
	int64_t v;
	snprintf(path, sizeof(path), CLASS_NET "/%s/speed", name);
	read_word(r, path, word, sizeof(word));
	if (!word[0] || parse_i64(span_from(word), &v) || v < 0)
		return -1;
	return v;
}

static void count_queues(const struct rootfs *r, struct nic *nic)
{
	char path[96];
	struct strlist q = {0};
	snprintf(path, sizeof(path), CLASS_NET "/%s/queues", nic->name);
	if (rootfs_list(r, path, &q) < 0)
		return;
	for (size_t i = 0; i < q.n; i++) {
		nic->rxq += strncmp(q.v[i], "rx-", 3) == 0;
		nic->txq += strncmp(q.v[i], "tx-", 3) == 0;
	}
	strlist_release(&q);
}

static void read_driver(const struct rootfs *r, struct nic *nic)
{
	char path[96], target[512];
	snprintf(path, sizeof(path), CLASS_NET "/%s/device/driver", nic->name);
	if (rootfs_readlink(r, path, target, sizeof(target)) < 0)
		return;
	const char *base = strrchr(target, '/');
	str_copy(nic->driver, sizeof(nic->driver), base ? base + 1 : target);
}

/* One ETHTOOL_G* command on the interface; 0 or the errno. */
static int ethtool_get(int fd, const char *ifname, void *cmd)
{
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	if (!str_copy(ifr.ifr_name, sizeof(ifr.ifr_name), ifname))
		return ENAMETOOLONG;
	ifr.ifr_data = cmd;
	return ioctl(fd, SIOCETHTOOL, &ifr) < 0 ? errno : 0;
}

static void ask_ethtool(int fd, struct nic *nic)
{
	struct ethtool_channels ch = {.cmd = ETHTOOL_GCHANNELS};
	nic->channels_err = ethtool_get(fd, nic->name, &ch);
	if (!nic->channels_err) {
		nic->have_channels = true;
		nic->ch.max_combined = ch.max_combined;
		nic->ch.combined = ch.combined_count;
		nic->ch.max_rx = ch.max_rx;
		nic->ch.rx = ch.rx_count;
		nic->ch.max_tx = ch.max_tx;
		nic->ch.tx = ch.tx_count;
	}
	struct ethtool_ringparam rp = {.cmd = ETHTOOL_GRINGPARAM};
	nic->ring_err = ethtool_get(fd, nic->name, &rp);
	if (!nic->ring_err) {
		nic->have_ring = true;
		nic->ring.rx_max = rp.rx_max_pending;
		nic->ring.rx = rp.rx_pending;
		nic->ring.tx_max = rp.tx_max_pending;
		nic->ring.tx = rp.tx_pending;
	}
	struct ethtool_drvinfo di = {.cmd = ETHTOOL_GDRVINFO};
	nic->drvinfo_err = ethtool_get(fd, nic->name, &di);
	if (!nic->drvinfo_err) {
		nic->have_drvinfo = true;
		/* The kernel NUL-terminates these (strscpy), but bound them anyway. */
		span_copy((struct span){di.driver, strnlen(di.driver, sizeof(di.driver))},
		          nic->ethtool_driver, sizeof(nic->ethtool_driver));
		span_copy((struct span){di.bus_info, strnlen(di.bus_info, sizeof(di.bus_info))},
		          nic->bus_info, sizeof(nic->bus_info));
	}
}

/* Fills nic from sysfs; false when name is not a NIC. */
static bool read_nic(const struct rootfs *r, const char *name, struct nic *nic)
{
	char path[96];
	memset(nic, 0, sizeof(*nic));
	if (!str_copy(nic->name, sizeof(nic->name), name))
		return false; /* longer than any interface name (IFNAMSIZ is 16) */
	snprintf(path, sizeof(path), CLASS_NET "/%s/device", name);
	if (!rootfs_exists(r, path))
		return false;
	read_driver(r, nic);
	count_queues(r, nic);
	nic->speed_mbps = read_speed(r, name);
	snprintf(path, sizeof(path), CLASS_NET "/%s/operstate", name);
	read_word(r, path, nic->operstate, sizeof(nic->operstate));
	nic->channels_err = nic->ring_err = nic->drvinfo_err = NIC_NOT_ASKED;
	return true;
}

int nics_read(const struct rootfs *r, struct nic **out, size_t *n)
{
	struct strlist names = {0};
	struct nic *v = NULL;
	size_t cnt = 0, cap = 0;
	*out = NULL;
	*n = 0;
	int rc = rootfs_list(r, CLASS_NET, &names);
	if (rc < 0)
		return rc;
	/* The ioctls describe this kernel's devices, so never for a fixture root. */
	int fd = -1, sock_err = NIC_NOT_ASKED;
	if (r->live) {
		fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		sock_err = fd < 0 ? errno : 0;
	}
	for (size_t i = 0; i < names.n; i++) {
		struct nic nic;
		if (!read_nic(r, names.v[i], &nic))
			continue;
		if (fd >= 0)
			ask_ethtool(fd, &nic);
		else
			nic.channels_err = nic.ring_err = nic.drvinfo_err = sock_err;
		ALLOC_GROW(v, cnt + 1, cap);
		v[cnt++] = nic;
	}
	if (fd >= 0)
		close(fd);
	strlist_release(&names);
	*out = v;
	*n = cnt;
	return 0;
}
