/* SPDX-License-Identifier: MIT */
/* The audit: a table of rules, each turning the host snapshot and the services on
 * it into findings. A finding carries its evidence (the value read and where), the
 * requirement with the formula that produced it, why it matters, and a fix that can
 * be pasted: a runtime command and a persistent line with its file. */
#ifndef KRES_CHECK_H
#define KRES_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "host/host.h"
#include "workload/pgfamily.h"

enum sev {
	SEV_INFO,
	SEV_LOW,
	SEV_MEDIUM,
	SEV_HIGH,
	SEV_CRITICAL,
};

enum fstatus {
	FS_OK,      /* the requirement is met */
	FS_FAIL,    /* the requirement is not met: severity says how bad */
	FS_INFO,    /* a fact worth showing, no requirement */
	FS_SKIP,    /* the rule does not apply here (the note says why) */
	FS_UNKNOWN, /* an input is missing or broken (the note says which) */
};

struct rule;

struct finding {
	const struct rule *rule;
	enum fstatus status;
	enum sev sev;      /* for FS_FAIL; the rule's default unless raised or lowered */
	char *subject;     /* "host", or the service instance */
	char *summary;     /* one line saying what was found */
	char *observed;    /* the value read */
	char *source;      /* where it was read */
	char *required;    /* the requirement */
	char *formula;     /* how the requirement was computed, with its inputs */
	char *why;         /* NULL: the rule's text */
	char *fix_runtime; /* a command that takes effect now */
	char *fix_file;    /* the file for the persistent fix */
	char *fix_persist; /* the line(s) to put in it */
	char *note;        /* for SKIP/UNKNOWN: why; otherwise a caveat */
	bool quiet;        /* a skip that only says "no server to check": text shows it with -v */
};

/* Everything the rules read. */
struct check_ctx {
	const struct host *h;
	struct pg_instance *pg;   /* PostgreSQL-family instances */
	size_t npg;
	struct pg_needs *pgneeds; /* one per instance */
	struct my_instance *my;   /* MySQL / MariaDB servers */
	size_t nmy;
	struct rd_instance *rd;   /* Redis servers */
	size_t nrd;
	const struct nfsd_state *nfsd; /* the kernel NFS server (running or not) */
	bool nfsd_running;
	const struct netstate *net;    /* sockets, softnet, conntrack, NICs */
	struct netsvc *netsvc;    /* busy network services (many sockets) */
	size_t nnet;
	struct finding *f;        /* findings, in rule order */
	size_t nf, capf;
};

/* Workloads, for struct rule's needs. */
enum {
	W_PG = 1u << 0,   /* PostgreSQL family */
	W_MY = 1u << 1,   /* MySQL / MariaDB */
	W_RD = 1u << 2,   /* Redis */
	W_NFSD = 1u << 3, /* kernel NFS server */
	W_NET = 1u << 4,  /* generic network service */
	W_DB = W_PG | W_MY | W_RD,
};

typedef void (*rule_fn)(struct check_ctx *c, const struct rule *r);

struct rule {
	const char *id;    /* stable id, e.g. "IPC-05" */
	const char *area;  /* "System V IPC", ... */
	const char *title; /* what it checks, a few words */
	const char *req;   /* the requirement and its formula, for docs/checks.md */
	enum sev sev;      /* default severity when failing */
	const char *why;   /* one or two sentences */
	const char *src;   /* the source of the rule */
	rule_fn fn;
	unsigned needs;    /* W_* workloads it audits: skipped when none of them is present */
};

extern const struct rule check_rules[];
extern const size_t check_nrules;

struct my_files;
struct rd_files;
/* The open-files arithmetic of MySQL server i (MY-01) and Redis server i (RD-04),
 * with where the limit came from; false when the limit is unknown. */
bool check_my_files(const struct check_ctx *c, size_t i, struct my_files *mf, char *from, size_t n);
bool check_rd_files(const struct check_ctx *c, size_t i, struct rd_files *rf, char *from, size_t n);

/* The number of database servers (any workload). */
size_t check_ndb(const struct check_ctx *c);

/* Runs every rule. */
void check_run(struct check_ctx *c);
void check_release(struct check_ctx *c);

/* For rules: appends a finding with a printf-style summary; the other fields are
 * set with finding_set(). */
struct finding *finding_add(struct check_ctx *c, const struct rule *r, enum fstatus st,
			    const char *subject, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
enum ffield { FF_OBSERVED, FF_SOURCE, FF_REQUIRED, FF_FORMULA, FF_WHY, FF_FIX_RUNTIME,
	      FF_FIX_FILE, FF_FIX_PERSIST, FF_NOTE };
void finding_set(struct finding *f, enum ffield which, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A sysctl fix: runtime "sysctl -w key=value" and the persistent line in the kres
 * sysctl.d file. */
void finding_fix_sysctl(struct finding *f, const char *key, const char *value);

const char *sev_name(enum sev s);
const char *fstatus_name(enum fstatus s);
/* The monitoring-plugin exit code of a set of findings: 2 if any critical failure,
 * else 1 if any other failure at medium or above, else 3 if any unknown, else 0
 * (the order of monitoring-plugins' max_state_alt). */
int check_exit_code(const struct check_ctx *c);

/* The file kres proposes for persistent sysctl settings. */
#define KRES_SYSCTL_FILE "/etc/sysctl.d/90-kres.conf"

#endif
