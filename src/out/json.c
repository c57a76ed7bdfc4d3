// SPDX-License-Identifier: MIT
/* The JSON report of kres check. Keys are stable; docs/check-json.md documents
 * them. Absent values are null, never zero. */
#include "out/out.h"

#include <stdio.h>
#include <string.h>

#include "util/json.h"
#include "host/nfsd.h"
#include "workload/mysql.h"
#include "workload/netsvc.h"
#include "workload/redis.h"
#include "util/banned.h"

#define JSON_SCHEMA_VERSION 1

static void host_json(struct json *j, const struct host *h)
{
	json_key(j, "host");
	json_obj_begin(j);
	json_kv_str(j, "hostname", h->hostname[0] ? h->hostname : NULL);
	json_kv_str(j, "kernel", h->release[0] ? h->release : NULL);
	json_kv_str(j, "virtualization", virt_name(h->virt.kind));
	json_kv_str(j, "virtualization_evidence", h->virt.evidence);
	json_key(j, "cpus");
	if (h->cpus_src.state == SRC_OK)
		json_uint(j, h->ncpus);
	else
		json_null(j);
	json_key(j, "numa_nodes");
	if (h->nodes_src.state == SRC_OK)
		json_uint(j, h->nnodes);
	else
		json_null(j);
	json_key(j, "mem_total_kb");
	if (meminfo_has(&h->mi, MI_MEMTOTAL))
		json_uint(j, h->mi.v[MI_MEMTOTAL]);
	else
		json_null(j);
	json_obj_end(j);
}

static void val_json(struct json *j, const char *name, const struct pg_val *v)
{
	json_key(j, name);
	json_obj_begin(j);
	json_kv_int(j, "value", v->v);
	json_kv_str(j, "origin", v->origin);
	json_obj_end(j);
}

static void needs_json(struct json *j, const struct pg_needs *nd)
{
	json_key(j, "needs");
	json_obj_begin(j);
	json_key(j, "semaphores");
	if (nd->nsems >= 0)
		json_int(j, nd->nsems);
	else
		json_null(j);
	json_kv_bool(j, "semaphores_sysv", nd->sysv_sem);
	/* Sets and kernel.sem fields mean something only for System V semaphores. */
	const char *k[] = {"semaphore_sets", "semmns", "semmsl"};
	int64_t v[] = {nd->sets, nd->semmns, nd->semmsl};
	for (size_t i = 0; i < 3; i++) {
		json_key(j, k[i]);
		if (nd->sysv_sem && nd->nsems >= 0)
			json_int(j, v[i]);
		else
			json_null(j);
	}
	json_kv_str(j, "semaphore_formula", nd->sem_formula);
	json_kv_int(j, "processes", nd->procs);
	json_kv_uint(j, "shared_memory_bytes", nd->shm_bytes);
	json_kv_bool(j, "shared_memory_measured", nd->shm_measured);
	json_kv_bool(j, "shared_memory_on_huge_pages", nd->shm_on_huge);
	json_kv_uint(j, "sysv_shared_memory_bytes", nd->sysv_shm_bytes);
	json_kv_uint(j, "huge_page_size_kb", nd->hp_size_kb);
	json_key(j, "huge_pages");
	if (nd->hp_pages >= 0)
		json_int(j, nd->hp_pages);
	else
		json_null(j);
	json_kv_int(j, "file_descriptors_worst_case", nd->fds_worst);
	json_kv_int(j, "listen_backlog", nd->backlog);
	json_obj_end(j);
}

static void service_json(struct json *j, const struct pg_instance *in, const struct pg_needs *nd)
{
	json_obj_begin(j);
	json_kv_str(j, "flavor", in->fl->id);
	json_kv_str(j, "name", in->fl->display);
	json_key(j, "major");
	if (in->major)
		json_int(j, in->major);
	else
		json_null(j);
	json_kv_str(j, "version", in->version[0] ? in->version : NULL);
	json_kv_bool(j, "settings_overridden", in->overridden);
	json_key(j, "pid");
	if (in->live.pid)
		json_int(j, in->live.pid);
	else
		json_null(j);
	json_kv_str(j, "data_directory", in->datadir[0] ? in->datadir : NULL);
	json_kv_str(j, "config_file", in->conffile[0] ? in->conffile : NULL);
	json_kv_str(j, "unit", in->unit[0] ? in->unit : NULL);
	json_kv_str(j, "user", in->user[0] ? in->user : NULL);
	json_key(j, "uid");
	if (in->have_uid)
		json_uint(j, in->uid);
	else
		json_null(j);
	json_key(j, "settings");
	json_obj_begin(j);
	val_json(j, "max_connections", &in->max_connections);
	val_json(j, in->autovacuum_workers_name, &in->autovacuum_workers);
	val_json(j, "max_worker_processes", &in->max_worker_processes);
	val_json(j, "max_wal_senders", &in->max_wal_senders);
	val_json(j, "max_files_per_process", &in->max_files_per_process);
	val_json(j, "shared_buffers_8kb", &in->shared_buffers);
	val_json(j, "huge_page_size_kb", &in->huge_page_size);
	json_kv_str(j, "huge_pages", in->huge_pages);
	json_kv_str(j, "shared_memory_type", in->shared_memory_type);
	json_obj_end(j);
	needs_json(j, nd);
	json_obj_end(j);
}

static void valx_json(struct json *j, const char *name, int64_t v, const char *origin)
{
	json_key(j, name);
	json_obj_begin(j);
	json_kv_int(j, "value", v);
	json_kv_str(j, "origin", origin);
	json_obj_end(j);
}

static void pid_json(struct json *j, int64_t pid)
{
	json_key(j, "pid");
	if (pid)
		json_int(j, pid);
	else
		json_null(j);
}

static void my_json(struct json *j, const struct check_ctx *c, size_t i)
{
	const struct my_instance *in = &c->my[i];
	json_obj_begin(j);
	json_kv_str(j, "flavor", in->fl == MYF_MARIADB ? "mariadb" : "mysql");
	json_kv_str(j, "name", my_flavor_name(in->fl));
	json_kv_str(j, "version", in->version[0] ? in->version : NULL);
	json_kv_bool(j, "settings_overridden", in->overridden);
	pid_json(j, in->live.pid);
	json_kv_str(j, "data_directory", in->datadir[0] ? in->datadir : NULL);
	json_kv_str(j, "config_file", in->conffile[0] ? in->conffile : NULL);
	json_kv_str(j, "unit", in->unit[0] ? in->unit : NULL);
	json_kv_str(j, "user", in->user[0] ? in->user : NULL);
	json_key(j, "settings");
	json_obj_begin(j);
	const struct { const char *k; const struct my_val *v; } sv[] = {
		{"max_connections", &in->max_connections},
		{"table_open_cache", &in->table_open_cache},
		{"table_open_cache_instances", &in->table_open_cache_instances},
		{"open_files_limit", &in->open_files_limit},
		{"extra_max_connections", &in->extra_max_connections},
		{"thread_pool_size", &in->thread_pool_size},
		{"innodb_buffer_pool_size", &in->innodb_buffer_pool_size},
		{"large_pages", &in->large_pages},
		{"back_log", &in->back_log},
	};
	for (size_t k = 0; k < sizeof(sv) / sizeof(sv[0]); k++)
		valx_json(j, sv[k].k, sv[k].v->v, sv[k].v->origin);
	json_kv_str(j, "thread_handling", in->thread_handling);
	json_obj_end(j);
	json_key(j, "needs");
	json_obj_begin(j);
	json_key(j, "open_files");
	struct my_files mf;
	char from[320];
	if (check_my_files(c, i, &mf, from, sizeof(from))) {
		json_obj_begin(j);
		json_kv_str(j, "limit_source", from);
		json_kv_int(j, "wanted", mf.wanted);
		json_kv_int(j, "request", mf.request);
		json_kv_int(j, "files", mf.files);
		json_kv_int(j, "max_connections", mf.max_connections);
		json_kv_int(j, "table_open_cache", mf.table_open_cache);
		json_kv_int(j, "table_open_cache_instances", mf.table_open_cache_instances);
		json_kv_bool(j, "could_not_increase", mf.could_not_increase);
		json_kv_bool(j, "changed", mf.changed);
		json_kv_bool(j, "underflow", mf.underflow);
		json_kv_str(j, "formula", mf.formula);
		json_key(j, "log");
		json_arr_begin(j);
		if (mf.log_increase[0])
			json_str(j, mf.log_increase);
		if (mf.log_changed[0])
			json_str(j, mf.log_changed);
		json_arr_end(j);
		json_obj_end(j);
	} else {
		json_null(j);
	}
	json_obj_end(j);
	json_obj_end(j);
}

static void rd_json(struct json *j, const struct check_ctx *c, size_t i)
{
	const struct rd_instance *in = &c->rd[i];
	json_obj_begin(j);
	json_kv_str(j, "flavor", "redis");
	json_kv_str(j, "name", "Redis");
	json_kv_bool(j, "settings_overridden", in->overridden);
	pid_json(j, in->live.pid);
	json_kv_str(j, "listen", in->listen[0] ? in->listen : NULL);
	json_kv_str(j, "config_file", in->conffile[0] ? in->conffile : NULL);
	json_kv_str(j, "config_found", in->conf_how);
	json_kv_str(j, "unit", in->unit[0] ? in->unit : NULL);
	json_kv_str(j, "user", in->user[0] ? in->user : NULL);
	json_key(j, "settings");
	json_obj_begin(j);
	valx_json(j, "port", in->port.v, in->port.origin);
	valx_json(j, "maxclients", in->maxclients.v, in->maxclients.origin);
	valx_json(j, "tcp_backlog", in->tcp_backlog.v, in->tcp_backlog.origin);
	valx_json(j, "maxmemory", in->maxmemory.v, in->maxmemory.origin);
	json_kv_bool(j, "disable_thp", in->disable_thp);
	json_obj_end(j);
	json_key(j, "needs");
	json_obj_begin(j);
	json_key(j, "open_files");
	struct rd_files rf;
	char from[320];
	if (check_rd_files(c, i, &rf, from, sizeof(from))) {
		json_obj_begin(j);
		json_kv_str(j, "limit_source", from);
		json_kv_int(j, "need", rf.need);
		json_kv_int(j, "limit", rf.limit);
		json_kv_int(j, "maxclients", rf.maxclients);
		json_kv_bool(j, "reduced", rf.reduced);
		json_kv_str(j, "formula", rf.formula);
		json_key(j, "log");
		json_arr_begin(j);
		for (size_t k = 0; k < 3; k++)
			if (rf.log[k][0])
				json_str(j, rf.log[k]);
		json_arr_end(j);
		json_obj_end(j);
	} else {
		json_null(j);
	}
	json_obj_end(j);
	json_obj_end(j);
}

static void net_json(struct json *j, const struct netsvc *ns)
{
	json_obj_begin(j);
	json_kv_str(j, "flavor", "network-service");
	json_kv_str(j, "name", ns->comm);
	pid_json(j, ns->p.pid);
	json_kv_str(j, "unit", ns->unit[0] ? ns->unit : NULL);
	json_kv_uint(j, "sockets", ns->sockets);
	json_key(j, "open_descriptors");
	if (ns->p.have_fds)
		json_uint(j, ns->p.nfds);
	else
		json_null(j);
	json_obj_end(j);
}

static void opt(struct json *j, const char *k, const char *v)
{
	json_kv_str(j, k, v);
}

static void finding_json(struct json *j, const struct finding *f)
{
	json_obj_begin(j);
	json_kv_str(j, "id", f->rule->id);
	json_kv_str(j, "area", f->rule->area);
	json_kv_str(j, "title", f->rule->title);
	json_kv_str(j, "status", fstatus_name(f->status));
	json_kv_str(j, "severity", f->status == FS_FAIL ? sev_name(f->sev) : NULL);
	json_kv_str(j, "subject", f->subject);
	json_kv_str(j, "summary", f->summary);
	opt(j, "observed", f->observed);
	opt(j, "source", f->source);
	opt(j, "required", f->required);
	opt(j, "formula", f->formula);
	json_kv_str(j, "why", f->why ? f->why : f->rule->why);
	json_key(j, "fix");
	if (f->fix_runtime || f->fix_file) {
		json_obj_begin(j);
		opt(j, "runtime", f->fix_runtime);
		opt(j, "file", f->fix_file);
		opt(j, "persistent", f->fix_persist);
		json_obj_end(j);
	} else {
		json_null(j);
	}
	opt(j, "note", f->note);
	json_kv_str(j, "reference", f->rule->src);
	json_obj_end(j);
}

static void input_err(const char *err, void *arg)
{
	json_str(arg, err);
}

void out_json(const struct check_ctx *c, struct buf *b)
{
	struct json j;
	json_init(&j, b, true);
	json_obj_begin(&j);
	json_kv_int(&j, "schema", JSON_SCHEMA_VERSION);
	json_kv_str(&j, "kres_version", KRES_VERSION);
	host_json(&j, c->h);
	json_key(&j, "services");
	json_arr_begin(&j);
	for (size_t i = 0; i < c->npg; i++)
		service_json(&j, &c->pg[i], &c->pgneeds[i]);
	for (size_t i = 0; i < c->nmy; i++)
		my_json(&j, c, i);
	for (size_t i = 0; i < c->nrd; i++)
		rd_json(&j, c, i);
	for (size_t i = 0; i < c->nnet; i++)
		net_json(&j, &c->netsvc[i]);
	json_arr_end(&j);
	json_key(&j, "input_errors");
	json_arr_begin(&j);
	out_each_input_error(c, input_err, &j);
	json_arr_end(&j);
	json_key(&j, "findings");
	json_arr_begin(&j);
	for (size_t i = 0; i < c->nf; i++)
		finding_json(&j, &c->f[i]);
	json_arr_end(&j);
	struct out_counts n;
	out_count(c, &n);
	int code = check_exit_code(c);
	json_key(&j, "summary");
	json_obj_begin(&j);
	json_kv_uint(&j, "critical", n.crit);
	json_kv_uint(&j, "high", n.high);
	json_kv_uint(&j, "medium", n.medium);
	json_kv_uint(&j, "low", n.low);
	json_kv_uint(&j, "ok", n.ok);
	json_kv_uint(&j, "info", n.info);
	json_kv_uint(&j, "skip", n.skip);
	json_kv_uint(&j, "unknown", n.unknown);
	json_kv_str(&j, "state", out_state_name(code));
	json_kv_int(&j, "exit_code", code);
	json_obj_end(&j);
	json_obj_end(&j);
	buf_putc(b, '\n');
}
