// SPDX-License-Identifier: MIT
/* kres log for programs: one JSON object per event per line (docs/log-json.md), or
 * one summary object. Keys are stable; unknown values are null, never 0. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "out/klog_out.h"
#include "util/json.h"
#include "util/xalloc.h"
#include "util/banned.h"

static void kv_time(struct json *j, const char *key, int64_t wall, bool utc)
{
	json_key(j, key);
	if (wall < 0) {
		json_null(j);
		return;
	}
	time_t t = (time_t)(wall / 1000000);
	struct tm tm;
	char s[48];
	gmtime_r(&t, &tm);
	size_t n = strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(s + n, sizeof(s) - n, ".%06" PRId64 "%s", wall % 1000000, utc ? "Z" : "");
	json_str(j, s);
}

static void kv_uptime(struct json *j, const char *key, int64_t mono)
{
	json_key(j, key);
	if (mono < 0)
		json_null(j);
	else
		json_fixed(j, mono, 1000000, 6);
}

static const char *facility_name(int f)
{
	static const char *const names[] = {"kern", "user", "mail", "daemon", "auth", "syslog",
					    "lpr",  "news", "uucp", "cron",   "authpriv", "ftp"};
	if (f < 0)
		return NULL;
	return (size_t)f < ARRAY_SIZE(names) ? names[f] : "local";
}

static void fields_json(struct json *j, const struct klog_event *ev)
{
	json_key(j, "fields");
	json_obj_begin(j);
	for (size_t i = 0; i < ev->nfields; i++) {
		const struct klog_kv *kv = &ev->fields[i];
		int64_t v;
		json_key(j, kv->name);
		if (klog_field_numeric(kv->name) && !parse_i64(span_from(kv->val), &v))
			json_int(j, v);
		else
			json_str(j, kv->val);
	}
	json_obj_end(j);
}

void klog_out_event_json(struct buf *b, const struct klog_catalog *c, const struct klog_event *ev)
{
	const struct klog_sig *s = &c->sigs[ev->sig];
	struct json j;
	json_init(&j, b, false);
	json_obj_begin(&j);
	kv_time(&j, "time", ev->first_wall, ev->wall_utc);
	kv_uptime(&j, "uptime", ev->first_mono);
	kv_time(&j, "last_time", ev->last_wall, ev->wall_utc);
	kv_uptime(&j, "last_uptime", ev->last_mono);
	json_kv_str(&j, "category", ev->category);
	json_kv_str(&j, "signature", s->id);
	json_kv_str(&j, "severity", klog_sev_name(ev->sev));
	json_kv_uint(&j, "count", ev->count);
	json_kv_uint(&j, "suppressed", ev->suppressed);
	json_kv_str(&j, "subject", ev->subject);
	json_kv_str(&j, "message", ev->message);
	fields_json(&j, ev);
	json_key(&j, "frames");
	json_arr_begin(&j);
	for (size_t i = 0; i < ev->nframes; i++)
		json_str(&j, ev->frames[i]);
	json_arr_end(&j);
	json_key(&j, "checks");
	json_arr_begin(&j);
	for (size_t i = 0; i < s->checks.n; i++)
		json_str(&j, s->checks.v[i]);
	json_arr_end(&j);
	json_kv_str(&j, "kernel_device", ev->kdevice);
	json_key(&j, "level");
	if (ev->level >= 0)
		json_int(&j, ev->level);
	else
		json_null(&j);
	json_kv_str(&j, "facility", facility_name(ev->facility));
	json_key(&j, "seq");
	if (ev->has_seq)
		json_uint(&j, ev->seq);
	else
		json_null(&j);
	json_kv_str(&j, "boot_id", ev->boot_id[0] ? ev->boot_id : NULL);
	json_kv_str(&j, "source", ev->source);
	json_kv_uint(&j, "line", ev->lineno);
	json_obj_end(&j);
	buf_putc(b, '\n');
}

static void inputs_json(struct json *j, const struct klog_input_info *in, size_t nin)
{
	json_key(j, "inputs");
	json_arr_begin(j);
	for (size_t i = 0; i < nin; i++) {
		json_obj_begin(j);
		json_kv_str(j, "name", in[i].name);
		json_kv_str(j, "format", in[i].format);
		json_kv_uint(j, "bytes", in[i].st.bytes);
		json_kv_uint(j, "lines", in[i].st.lines);
		json_kv_uint(j, "skipped", in[i].st.skipped);
		json_kv_uint(j, "malformed", in[i].st.bad);
		json_kv_uint(j, "truncated", in[i].st.truncated);
		json_key(j, "first_seq");
		if (in[i].st.seqs)
			json_uint(j, in[i].st.first_seq);
		else
			json_null(j);
		json_key(j, "last_seq");
		if (in[i].st.seqs)
			json_uint(j, in[i].st.last_seq);
		else
			json_null(j);
		json_kv_str(j, "error", in[i].error[0] ? in[i].error : NULL);
		json_obj_end(j);
	}
	json_arr_end(j);
}

void klog_out_summary_json(struct buf *b, const struct klog_catalog *c, const struct klog_fold *f,
			   const struct klog_input_info *in, size_t nin, const struct klog_totals *t)
{
	struct json j;
	size_t n;
	struct klog_catrow *rows = klog_out_category_rows(c, f, &n);
	/* events per (category row, signature) */
	uint64_t *cnt = xcalloc((n ? n : 1) * (c->nsigs ? c->nsigs : 1), sizeof(*cnt));
	for (size_t k = 0; k < f->n; k++) {
		size_t r = 0;
		while (r < n && strcmp(rows[r].category, f->ev[k]->category))
			r++;
		if (r < n)
			cnt[r * c->nsigs + f->ev[k]->sig] += f->ev[k]->count;
	}
	json_init(&j, b, true);
	json_obj_begin(&j);
	inputs_json(&j, in, nin);
	json_key(&j, "totals");
	json_obj_begin(&j);
	json_kv_uint(&j, "events", t->events);
	json_kv_uint(&j, "folded", f->n);
	json_kv_uint(&j, "suppressed", t->suppressed);
	json_kv_uint(&j, "lost", t->lost);
	json_kv_uint(&j, "overflow", t->overflow);
	json_kv_bool(&j, "lower_bound", t->suppressed || t->lost || t->overflow);
	json_obj_end(&j);
	json_key(&j, "categories");
	json_arr_begin(&j);
	for (size_t i = 0; i < n; i++) {
		const struct klog_sig *s = &c->sigs[rows[i].top_sig];
		json_obj_begin(&j);
		json_kv_str(&j, "category", rows[i].category);
		json_kv_str(&j, "severity", klog_sev_name(rows[i].sev));
		json_kv_uint(&j, "count", rows[i].count);
		json_kv_uint(&j, "suppressed", rows[i].suppressed);
		json_key(&j, "signatures");
		json_obj_begin(&j);
		for (size_t k = 0; k < c->nsigs; k++)
			if (cnt[i * c->nsigs + k])
				json_kv_uint(&j, c->sigs[k].id, cnt[i * c->nsigs + k]);
		json_obj_end(&j);
		json_kv_str(&j, "explain", s->explain);
		json_kv_str(&j, "remedy", s->remedy);
		json_key(&j, "checks");
		json_arr_begin(&j);
		for (size_t k = 0; k < s->checks.n; k++)
			json_str(&j, s->checks.v[k]);
		json_arr_end(&j);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	buf_putc(b, '\n');
	free(cnt);
	free(rows);
}
