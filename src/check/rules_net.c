// SPDX-License-Identifier: MIT
/* The network limits a busy service presses on: the per-CPU receive backlog, TCP
 * memory, ephemeral ports toward one destination, the conntrack table, and how
 * many queues and ring slots each NIC uses. Host rules: they run on every host and
 * fail only on evidence of pressure. */
#include "check/rules.h"

#include <stdio.h>
#include <string.h>

#include "host/net.h"
#include "util/banned.h"

/* An UNKNOWN or SKIP finding for an input that was not read; true when it was. */
static bool need_src(struct check_ctx *c, const struct rule *r, const struct src *s,
		     const char *what, const char *skip_why)
{
	if (s->state == SRC_OK)
		return true;
	struct finding *f = finding_add(c, r, s->state == SRC_UNAVAILABLE ? FS_SKIP : FS_UNKNOWN,
					"host", "%s %s", what,
					s->state == SRC_UNAVAILABLE ? skip_why : "unreadable");
	if (s->err[0])
		finding_set(f, FF_NOTE, "%s", s->err);
	return false;
}

void rule_net_softnet(struct check_ctx *c, const struct rule *r)
{
	const struct netstate *n = c->net;
	if (!need_src(c, r, &n->softnet_src, "/proc/net/softnet_stat", "is missing"))
		return;
	bool drop = n->sn.dropped > 0;
	struct finding *f = finding_add(c, r, drop ? FS_FAIL : FS_OK, "host",
					"%llu packets dropped at the per-CPU backlog, %llu time squeezes, over %zu CPUs",
					(unsigned long long)n->sn.dropped,
					(unsigned long long)n->sn.time_squeeze, n->sn.ncpu);
	finding_set(f, FF_SOURCE, "%s (since boot; the counters are 32-bit and wrap)",
		    rootfs_show(c->h->root, "/proc/net/softnet_stat"));
	if (n->backlog_src.state == SRC_OK)
		finding_set(f, FF_OBSERVED, "net.core.netdev_max_backlog = %llu",
			    (unsigned long long)n->netdev_max_backlog);
	finding_set(f, FF_REQUIRED, "no drops (column 2): a full input queue drops packets before any socket sees them");
	if (drop && n->backlog_src.state == SRC_OK) {
		char v[32];
		snprintf(v, sizeof(v), "%llu", (unsigned long long)(n->netdev_max_backlog * 2));
		finding_fix_sysctl(f, "net.core.netdev_max_backlog", v);
	}
	if (n->sn.time_squeeze)
		finding_set(f, FF_NOTE, "time squeezes (column 3) mean NAPI ran out of net.core.netdev_budget%s; raise it if they grow",
			    n->budget_src.state == SRC_OK ? "" : " (unreadable)");
}

void rule_net_tcp_mem(struct check_ctx *c, const struct rule *r)
{
	const struct netstate *n = c->net;
	if (!need_src(c, r, &n->sockstat_src, "/proc/net/sockstat", "is missing") ||
	    !need_src(c, r, &n->tcp_mem_src, "net.ipv4.tcp_mem", "is missing"))
		return;
	uint64_t pages = n->ss.tcp_mem_pages, pressure = n->tcp_mem[1], max = n->tcp_mem[2];
	enum fstatus st = FS_OK;
	enum sev sev = r->sev;
	if (pages >= max)
		st = FS_FAIL, sev = SEV_HIGH;
	else if (pages >= pressure)
		st = FS_FAIL;
	else if (pages * 10 >= pressure * 8)
		st = FS_FAIL, sev = SEV_LOW;
	struct finding *f = finding_add(c, r, st, "host",
					"TCP buffers use %llu pages; tcp_mem pressure %llu, max %llu",
					(unsigned long long)pages, (unsigned long long)pressure,
					(unsigned long long)max);
	f->sev = st == FS_FAIL ? sev : SEV_INFO;
	finding_set(f, FF_OBSERVED, "%llu TCP sockets in use, %llu orphaned, %llu in TIME_WAIT",
		    (unsigned long long)n->ss.tcp_inuse, (unsigned long long)n->ss.tcp_orphan,
		    (unsigned long long)n->ss.tcp_tw);
	finding_set(f, FF_SOURCE, "/proc/net/sockstat 'TCP: mem'; /proc/sys/net/ipv4/tcp_mem");
	finding_set(f, FF_REQUIRED, "below 80 %% of the pressure threshold; at pressure the kernel shrinks socket buffers, at max it drops data ('TCP: out of memory')");
	if (st == FS_FAIL) {
		char v[96];
		snprintf(v, sizeof(v), "%llu %llu %llu", (unsigned long long)n->tcp_mem[0] * 2,
			 (unsigned long long)pressure * 2, (unsigned long long)max * 2);
		finding_fix_sysctl(f, "net.ipv4.tcp_mem", v);
		finding_set(f, FF_NOTE, "the values are pages of RAM the kernel may spend on TCP buffers; check MemAvailable before doubling them");
	}
}

void rule_net_ports(struct check_ctx *c, const struct rule *r)
{
	const struct netstate *n = c->net;
	if (!need_src(c, r, &n->port_range_src, "net.ipv4.ip_local_port_range", "is missing"))
		return;
	if (n->tcp_src.state != SRC_OK && n->tcp6_src.state != SRC_OK) {
		need_src(c, r, &n->tcp_src, "/proc/net/tcp", "is missing");
		return;
	}
	const struct eph_usage *u = &n->eph;
	unsigned pct = u->range ? (unsigned)(u->max_tuple * 100 / u->range) : 0;
	struct finding *f = finding_add(c, r, pct > 50 ? FS_FAIL : FS_OK, "host",
					u->max_tuple ? "%llu of %llu ephemeral ports used toward %s (%u%%)"
						     : "%llu of %llu ephemeral ports used toward one destination%s (%u%%)",
					(unsigned long long)u->max_tuple, (unsigned long long)u->range,
					u->max_tuple ? u->max_dst : "", pct);
	if (pct > 90)
		f->sev = SEV_HIGH;
	finding_set(f, FF_OBSERVED, "ip_local_port_range %llu-%llu; %llu sockets in the range, %llu established, %llu in TIME_WAIT",
		    (unsigned long long)u->lo, (unsigned long long)u->hi,
		    (unsigned long long)u->sockets_in_range, (unsigned long long)u->established,
		    (unsigned long long)u->time_wait);
	finding_set(f, FF_SOURCE, "%s, /proc/sys/net/ipv4/ip_local_port_range",
		    n->tcp_diag ? "NETLINK_SOCK_DIAG (the TCP tables)" : "/proc/net/tcp, /proc/net/tcp6");
	finding_set(f, FF_FORMULA, "max over (local address, remote address, remote port) of the sockets with a local port in the range, / (hi - lo + 1)");
	finding_set(f, FF_REQUIRED, "at most 50 %% of the range toward any one destination (90 %%: high); when none is left, connect() fails with EADDRNOTAVAIL");
	if (f->status == FS_FAIL) {
		finding_fix_sysctl(f, "net.ipv4.ip_local_port_range", "9000 65499");
		finding_set(f, FF_NOTE, "the wider range is tuned's oracle profile; reuse connections (pooling, keep-alive) or spread them over more destination addresses too");
	}
}

void rule_net_conntrack(struct check_ctx *c, const struct rule *r)
{
	const struct netstate *n = c->net;
	if (!need_src(c, r, &n->ct_max_src, "nf_conntrack", "is not loaded") ||
	    !need_src(c, r, &n->ct_count_src, "nf_conntrack_count", "is missing"))
		return;
	unsigned pct = n->ct_max ? (unsigned)(n->ct_count * 100 / n->ct_max) : 100;
	struct finding *f = finding_add(c, r, pct > 80 ? FS_FAIL : FS_OK, "host",
					"conntrack table %llu of %llu entries (%u%%)",
					(unsigned long long)n->ct_count, (unsigned long long)n->ct_max, pct);
	if (pct > 95)
		f->sev = SEV_HIGH;
	finding_set(f, FF_SOURCE, "/proc/sys/net/netfilter/nf_conntrack_count, nf_conntrack_max");
	finding_set(f, FF_REQUIRED, "below 80 %% (95 %%: high); when full the kernel logs 'nf_conntrack: table full, dropping packet' and new connections vanish");
	if (f->status == FS_FAIL) {
		char v[32];
		snprintf(v, sizeof(v), "%llu", (unsigned long long)n->ct_max * 2);
		finding_fix_sysctl(f, "net.netfilter.nf_conntrack_max", v);
	}
}

void rule_net_nic(struct check_ctx *c, const struct rule *r)
{
	const struct netstate *n = c->net;
	if (!need_src(c, r, &n->nics_src, "/sys/class/net", "is missing"))
		return;
	if (!n->nnics) {
		finding_add(c, r, FS_SKIP, "host", "no network device with a driver (only virtual interfaces)");
		return;
	}
	unsigned ncpus = c->h->ncpus;
	for (size_t i = 0; i < n->nnics; i++) {
		const struct nic *nc = &n->nics[i];
		char s[64];
		snprintf(s, sizeof(s), "NIC %s (%s)", nc->name, nc->driver[0] ? nc->driver : "driver unknown");
		/* Receive queues: with ethtool's answer, the driver's maximum tells if more
		 * can be used; without it, sysfs shows only how many exist. */
		uint32_t cur = nc->have_channels ? (nc->ch.combined ? nc->ch.combined : nc->ch.rx) : nc->rxq;
		uint32_t max = nc->have_channels ? (nc->ch.max_combined ? nc->ch.max_combined : nc->ch.max_rx) : 0;
		uint32_t want = max && ncpus ? (ncpus < max ? ncpus : max) : 0;
		bool few = nc->have_channels && want > cur;
		bool ring = nc->have_ring && nc->ring.rx < nc->ring.rx_max;
		struct finding *f = finding_add(c, r, few || ring ? FS_FAIL : nc->have_channels ? FS_OK : FS_INFO, s,
						"%u receive queue%s for %u vCPUs%s", cur, cur == 1 ? "" : "s",
						ncpus, nc->have_ring ? "" : "; ring sizes unknown");
		if (nc->have_ring)
			finding_set(f, FF_OBSERVED, "channels %u of max %u; rx ring %u of max %u, tx ring %u of max %u",
				    cur, max, nc->ring.rx, nc->ring.rx_max, nc->ring.tx, nc->ring.tx_max);
		else
			finding_set(f, FF_OBSERVED, "queues/rx-* %u, tx-* %u%s", nc->rxq, nc->txq,
				    nc->channels_err == NIC_NOT_ASKED ? " (ethtool not asked under --root)" : "");
		finding_set(f, FF_SOURCE, "/sys/class/net/%s/queues%s", nc->name,
			    nc->have_channels || nc->have_ring ? "; SIOCETHTOOL GCHANNELS, GRINGPARAM" : "");
		finding_set(f, FF_REQUIRED, "as many queues as vCPUs (up to the driver's maximum), rx ring at its maximum, so bursts do not overflow one CPU's queue");
		if (few) {
			finding_set(f, FF_FIX_RUNTIME, "ethtool -L %s %s %u", nc->name,
				    nc->ch.max_combined ? "combined" : "rx", want);
			finding_set(f, FF_FIX_FILE, "/etc/udev/rules.d/60-kres-nic.rules");
			finding_set(f, FF_FIX_PERSIST, "ACTION==\"add\", SUBSYSTEM==\"net\", KERNEL==\"%s\", RUN+=\"/usr/sbin/ethtool -L %s %s %u\"",
				    nc->name, nc->name, nc->ch.max_combined ? "combined" : "rx", want);
		} else if (ring) {
			finding_set(f, FF_FIX_RUNTIME, "ethtool -G %s rx %u", nc->name, nc->ring.rx_max);
			finding_set(f, FF_FIX_FILE, "/etc/udev/rules.d/60-kres-nic.rules");
			finding_set(f, FF_FIX_PERSIST, "ACTION==\"add\", SUBSYSTEM==\"net\", KERNEL==\"%s\", RUN+=\"/usr/sbin/ethtool -G %s rx %u\"",
				    nc->name, nc->name, nc->ring.rx_max);
		}
		if (few && ring)
			finding_set(f, FF_NOTE, "raise the rx ring too: ethtool -G %s rx %u", nc->name, nc->ring.rx_max);
		else if (!nc->have_channels && cur == 1 && ncpus > 1)
			finding_set(f, FF_NOTE, "one receive queue: one vCPU takes every receive interrupt; if the hypervisor offers more queues (virtio-net mq), enable them, else spread with RPS (/sys/class/net/%s/queues/rx-0/rps_cpus)",
				    nc->name);
	}
}
