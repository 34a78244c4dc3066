/* checks: one table of metrics computed here, thresholds and words from
 * the rules. */
#include "checks.h"

#include "embedded.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int check_status_rank(const char *status)
{
	if (!status)
		return -1;
	if (!strcmp(status, "PASS"))
		return 0;
	if (!strcmp(status, "WARN"))
		return 1;
	if (!strcmp(status, "FAIL"))
		return 2;
	return -1;
}

static const char *const status_names[] = {"PASS", "WARN", "FAIL"};

void format_number(double v, char *out, size_t outsz)
{
	if (!isfinite(v)) {
		snprintf(out, outsz, "-");
		return;
	}
	if (fabs(v - round(v)) < 1e-9) {
		snprintf(out, outsz, "%.0f", v);
		return;
	}
	snprintf(out, outsz, fabs(v) < 1 ? "%.3f" : "%.2f", v);
	char *dot = strchr(out, '.');
	if (dot) {
		char *e = out + strlen(out) - 1;
		while (e > dot && *e == '0')
			*e-- = '\0';
		if (e == dot)
			*e = '\0';
	}
}

/* --- rules ------------------------------------------------------------- */

static void merge_rules(json_t *base, json_t *over)
{
	const char *key;
	json_t *v;
	json_object_foreach(over, key, v)
	{
		json_t *b = json_object_get(base, key);
		if (!strcmp(key, "checks") && json_is_array(v) && json_is_array(b)) {
			size_t i;
			json_t *oc;
			json_array_foreach(v, i, oc)
			{
				const char *id = json_string_value(json_object_get(oc, "id"));
				json_t *match = NULL;
				size_t j;
				json_t *bc;
				json_array_foreach(b, j, bc)
				{
					const char *bid =
					    json_string_value(json_object_get(bc, "id"));
					if (id && bid && !strcmp(id, bid))
						match = bc;
				}
				if (match && json_is_object(oc))
					json_object_update(match, oc);
				else
					json_array_append(b, oc);
			}
		} else if (json_is_object(v) && json_is_object(b)) {
			merge_rules(b, v);
		} else {
			json_object_set(base, key, v);
		}
	}
}

json_t *rules_load(const char *path, char *err, size_t errlen)
{
	const struct embedded_file *ef = embedded_find("rules.json");
	if (!ef) {
		snprintf(err, errlen, "the built-in rules.json is missing from this build");
		return NULL;
	}
	json_error_t je;
	json_t *base = json_loadb(ef->data, ef->size, 0, &je);
	if (!base) {
		snprintf(err, errlen, "built-in rules.json: line %d: %s", je.line, je.text);
		return NULL;
	}
	if (!path)
		return base;
	json_t *over = json_load_file(path, 0, &je);
	if (!over) {
		snprintf(err, errlen, "cannot read rules %s: line %d: %s", path, je.line, je.text);
		json_decref(base);
		return NULL;
	}
	if (!json_is_object(over) ||
	    (json_object_get(over, "checks") && !json_is_array(json_object_get(over, "checks")))) {
		snprintf(err, errlen,
		         "rules %s: expected an object whose \"checks\" is an array of {id, warn, "
		         "fail, ...}",
		         path);
		json_decref(over);
		json_decref(base);
		return NULL;
	}
	merge_rules(base, over);
	json_decref(over);
	return base;
}

/* --- metrics ------------------------------------------------------------ */

struct metric {
	bool known;
	double value, count, basis;
	const char *unknown_key; /* message key when not known ("unknown", "sqpoll") */
};

static double ratio(double a, double b) { return b > 0 ? a / b : 0; }

static struct metric compute(const char *metric, const struct check_input *in)
{
	const struct stats_figures *f = &in->fig;
	struct metric m = {.unknown_key = "unknown"};
	bool files = in->files > 0;
	double per = 0;
	if (!strcmp(metric, "path_based_per_file")) {
		m.count = (double)(f->path_based - f->root_path_calls);
		per = in->files;
	} else if (!strcmp(metric, "stat_per_file")) {
		m.count = (double)f->stat_calls;
		per = in->files;
	} else if (!strcmp(metric, "opens_per_file")) {
		m.count = (double)f->open_calls;
		per = in->files;
	} else if (!strcmp(metric, "legacy_per_file")) {
		m.count = (double)f->legacy_calls;
		per = in->files;
	} else if (!strcmp(metric, "pairs_per_file")) {
		m.count = (double)f->pairs;
		per = in->files;
	} else if (!strcmp(metric, "direct_data_per_mib")) {
		m.count = (double)f->data_calls_regular;
		m.basis = in->mib;
		m.known = in->mib > 0;
		m.value = ratio(m.count, in->mib);
		return m;
	} else if (!strcmp(metric, "batch_avg")) {
		m.count = (double)f->sqes_submitted;
		m.basis = (double)f->submit_calls;
		m.known = f->submit_calls > 0;
		if (f->rings > 0 && f->sqpoll_rings == f->rings) {
			m.known = false;
			m.unknown_key = "sqpoll";
		}
		m.value = ratio(m.count, m.basis);
		return m;
	} else if (!strcmp(metric, "setup_per_thread")) {
		m.count = (double)f->uring_setup;
		m.basis = (double)f->uring_threads;
		m.known = f->uring_setup > 0 && f->uring_threads > 0;
		m.value = ratio(m.count, m.basis);
		return m;
	} else if (!strcmp(metric, "fd_metadata_share")) {
		m.count = (double)f->meta_fd;
		m.basis = (double)(f->meta_fd + f->meta_path);
		m.known = m.basis > 0;
		m.value = 100.0 * ratio(m.count, m.basis);
		return m;
	} else {
		return m;
	}
	m.basis = per;
	m.known = files;
	m.value = ratio(m.count, per);
	return m;
}

static double num(json_t *o, const char *key, double dflt)
{
	json_t *v = json_object_get(o, key);
	return json_is_number(v) ? json_number_value(v) : dflt;
}

/* Replaces {value} {warn} {fail} {count} {basis} {unit} {extra} in TPL. */
static json_t *render_message(const char *tpl, const struct metric *m, json_t *rule,
                              const char *extra)
{
	if (!tpl)
		return json_string("");
	char out[2048];
	size_t o = 0;
	for (const char *p = tpl; *p && o + 1 < sizeof(out);) {
		if (*p == '{') {
			const char *e = strchr(p, '}');
			if (e) {
				char key[32], val[512];
				size_t kl = (size_t)(e - p - 1);
				if (kl < sizeof(key)) {
					memcpy(key, p + 1, kl);
					key[kl] = '\0';
					val[0] = '\0';
					bool ok = true;
					if (!strcmp(key, "value"))
						format_number(m->value, val, sizeof(val));
					else if (!strcmp(key, "warn"))
						format_number(num(rule, "warn", NAN), val,
						              sizeof(val));
					else if (!strcmp(key, "fail"))
						format_number(num(rule, "fail", NAN), val,
						              sizeof(val));
					else if (!strcmp(key, "count"))
						format_number(m->count, val, sizeof(val));
					else if (!strcmp(key, "basis"))
						format_number(m->basis, val, sizeof(val));
					else if (!strcmp(key, "unit"))
						snprintf(
						    val, sizeof(val), "%s",
						    json_string_value(json_object_get(rule, "unit"))
						        ?: "");
					else if (!strcmp(key, "extra"))
						snprintf(val, sizeof(val), "%s",
						         extra ? extra : "");
					else
						ok = false;
					if (ok) {
						size_t vl = strlen(val);
						if (o + vl >= sizeof(out))
							vl = sizeof(out) - 1 - o;
						memcpy(out + o, val, vl);
						o += vl;
						p = e + 1;
						continue;
					}
				}
			}
		}
		out[o++] = *p++;
	}
	out[o] = '\0';
	return json_string(out);
}

static const char *msg(json_t *rule, const char *key)
{
	return json_string_value(json_object_get(json_object_get(rule, "messages"), key));
}

static int status_from(const char *s, int dflt)
{
	int r = check_status_rank(s);
	return r >= 0 ? r : dflt;
}

static json_t *verified_check(json_t *rule, const struct check_input *in, bool *applicable)
{
	json_t *v = in->verification;
	json_t *performed = json_object_get(v, "performed");
	json_t *ok = json_object_get(v, "ok");
	const char *reason = json_string_value(json_object_get(v, "reason"));
	struct metric m = {0};
	int status;
	json_t *value, *message;
	*applicable = true;
	if (!v || in->trace_mode) {
		*applicable = false;
		status = status_from(json_string_value(json_object_get(rule, "when_unknown")), 0);
		value = json_null();
		message = render_message(msg(rule, "unknown"), &m, rule, NULL);
	} else if (!json_is_true(performed)) {
		status =
		    status_from(json_string_value(json_object_get(rule, "when_not_performed")), 1);
		value = json_null();
		message = render_message(msg(rule, "WARN"), &m, rule,
		                         reason ? reason : "no reason given");
	} else if (json_is_true(ok)) {
		status = 0;
		value = json_true();
		message = render_message(msg(rule, "PASS"), &m, rule, NULL);
	} else {
		status = 2;
		value = json_false();
		char extra[512] = "";
		json_t *diffs = json_object_get(v, "differences");
		size_t n = json_array_size(diffs);
		if (n)
			snprintf(extra, sizeof(extra), "%s%s",
			         json_string_value(json_array_get(diffs, 0)) ?: "",
			         n > 1 ? " (and more)" : "");
		else
			snprintf(extra, sizeof(extra), "%s", reason ? reason : "");
		message = render_message(msg(rule, "FAIL"), &m, rule, extra);
	}
	json_t *c = json_object();
	json_object_set_new(c, "status", json_string(status_names[status]));
	json_object_set_new(c, "value", value);
	json_object_set_new(c, "target", json_true());
	json_object_set_new(c, "target_text", json_string("destination equals source"));
	json_object_set_new(c, "message", message);
	return c;
}

static json_t *metric_check(json_t *rule, const struct check_input *in, bool *applicable, char *err,
                            size_t errlen)
{
	const char *metric = json_string_value(json_object_get(rule, "metric"));
	const char *id = json_string_value(json_object_get(rule, "id"));
	const char *better = json_string_value(json_object_get(rule, "better"));
	json_t *jw = json_object_get(rule, "warn"), *jf = json_object_get(rule, "fail");
	if (!metric || !json_is_number(jw) || !json_is_number(jf)) {
		snprintf(err, errlen,
		         "rule \"%s\": needs \"metric\", numeric \"warn\" and \"fail\"",
		         id ? id : "?");
		return NULL;
	}
	bool higher = better && !strcmp(better, "higher");
	double warn = json_number_value(jw), fail = json_number_value(jf);
	struct metric m = compute(metric, in);
	int status;
	json_t *message;
	*applicable = m.known;
	if (!m.known) {
		const char *when =
		    strcmp(m.unknown_key, "unknown") ? "when_sqpoll" : "when_unknown";
		json_t *w = json_object_get(rule, when);
		status = status_from(
		    json_string_value(w ? w : json_object_get(rule, "when_unknown")), 0);
		const char *t = msg(rule, m.unknown_key);
		message = render_message(t ? t : msg(rule, "unknown"), &m, rule, NULL);
	} else {
		if (higher)
			status = m.value < fail ? 2 : m.value < warn ? 1 : 0;
		else
			status = m.value > fail ? 2 : m.value > warn ? 1 : 0;
		message = render_message(msg(rule, status_names[status]), &m, rule, NULL);
	}
	json_t *c = json_object();
	json_object_set_new(c, "status", json_string(status_names[status]));
	json_object_set_new(c, "value",
	                    m.known ? json_real(round(m.value * 1000.0) / 1000.0) : json_null());
	json_object_set_new(c, "target", json_real(warn));
	char w[64], f[64], t[256];
	format_number(warn, w, sizeof(w));
	format_number(fail, f, sizeof(f));
	const char *unit = json_string_value(json_object_get(rule, "unit")) ?: "";
	snprintf(t, sizeof(t), "%s %s %s (WARN %s %s, FAIL %s %s)", higher ? ">=" : "<=", w, unit,
	         higher ? "below" : "above", w, higher ? "below" : "above", f);
	json_object_set_new(c, "target_text", json_string(t));
	json_object_set_new(c, "warn_at", json_real(warn));
	json_object_set_new(c, "fail_at", json_real(fail));
	json_object_set_new(c, "better", json_string(higher ? "higher" : "lower"));
	json_object_set_new(c, "count", json_real(m.count));
	json_object_set_new(c, "basis",
	                    m.basis > 0 ? json_real(round(m.basis * 1000) / 1000) : json_null());
	json_object_set_new(c, "message", message);
	return c;
}

/* --- scores -------------------------------------------------------------- */

static double clamp01(double v) { return v < 0 ? 0 : v > 1 ? 1 : v; }

static int clamp_score(double v)
{
	long r = lround(v);
	return r < 0 ? 0 : r > 100 ? 100 : (int)r;
}

static void add_scores(json_t *rules, const struct check_input *in, json_t *model, bool copy_failed)
{
	const struct stats_figures *f = &in->fig;
	json_t *sc = json_object_get(rules, "scores");
	json_t *sec = json_object_get(sc, "security"), *eff = json_object_get(sc, "efficiency"),
	       *ov = json_object_get(sc, "overall");
	double pw = num(sec, "path_share_weight", 40), tw = num(sec, "pairs_weight", 40),
	       tfull = num(sec, "pairs_per_file_full", 1), mw = num(sec, "metadata_weight", 20);
	double w1 = num(eff, "budget_weight", 70), per_file = num(eff, "budget_per_file", 50),
	       per_mib = num(eff, "budget_per_mib", 64), w3 = num(eff, "batch_weight", 30),
	       good = num(eff, "batch_good", 4);
	double sw = num(ov, "security_weight", 0.5), ew = num(ov, "efficiency_weight", 0.5);

	/* the SRC and DST operands are named by path by any copier: not scored */
	double named = (double)(f->path_based + f->fd_based + f->cwd_relative - f->root_path_calls);
	double path_share =
	    named > 0 ? (double)(f->path_based - f->root_path_calls) / named : 0;
	bool files = in->files > 0, mib = in->mib > 0;
	double pairs_pf = files ? (double)f->pairs / in->files : (f->pairs ? tfull : 0);
	double mt = (double)(f->meta_fd + f->meta_path);
	double fd_share = mt > 0 ? (double)f->meta_fd / mt : 1;
	double copy_sys = (double)f->copy_syscalls;
	double spf = files ? copy_sys / in->files : 0, spm = mib ? copy_sys / in->mib : 0;
	double batch = f->submit_calls ? (double)f->sqes_submitted / (double)f->submit_calls : 0;
	double batch_pen = !f->submit_calls ? 1
	                   : good > 1       ? clamp01((good - batch) / (good - 1))
	                                    : 0;

	double security = 100 - pw * path_share - tw * clamp01(tfull > 0 ? pairs_pf / tfull : 0) -
	                  mw * (1 - fd_share);
	/* one budget for the whole copy: so many syscalls per file (opening,
	 * creating, metadata) plus so many per MiB (moving data); a dataset of
	 * small files is judged by the first, one of big files by the second */
	double budget = (files ? per_file * in->files : 0) + (mib ? per_mib * in->mib : 0);
	double budget_use = budget > 0 ? copy_sys / budget : 0;
	double efficiency = 100 - w1 * clamp01(budget_use) - w3 * batch_pen;
	int s = clamp_score(security), e = clamp_score(efficiency);
	int o = copy_failed ? 0 : clamp_score(sw * s + ew * e);

	char a[64], b[64], c[64], d[64], g[64], h[64], i[64], k[64], l[64], m[64];
	format_number(pw, a, sizeof(a));
	format_number(tw, b, sizeof(b));
	format_number(tfull, c, sizeof(c));
	format_number(mw, d, sizeof(d));
	format_number(w1, g, sizeof(g));
	format_number(per_file, h, sizeof(h));
	format_number(per_mib, i, sizeof(i));
	format_number(w3, k, sizeof(k));
	format_number(good, l, sizeof(l));
	json_t *formulas = json_object();
	json_object_set_new(
	    formulas, "security",
	    json_sprintf(
	        "100 - %s x path_share - %s x min(1, check_then_use_pairs_per_file / %s) - "
	        "%s x (1 - fd_metadata_share); path_share = path-based / all path-naming "
	        "calls of the copy phase, both without the calls that name the SRC or DST "
	        "operand itself; fd_metadata_share = 1 when there are no metadata changes",
	        a, b, c, d));
	json_object_set_new(
	    formulas, "efficiency",
	    json_sprintf(
	        "100 - %s x min(1, budget_use) - %s x batch_penalty; budget_use = copy-phase "
	        "syscalls / (%s x files + %s x MiB), a part whose basis is unknown left out "
	        "(0 when both are); batch_penalty = clamp((%s - batch_avg) / (%s - 1), 0, 1), "
	        "1 without io_uring submissions",
	        g, k, h, i, l, l));
	format_number(sw, m, sizeof(m));
	format_number(ew, a, sizeof(a));
	json_object_set_new(formulas, "overall",
	                    json_sprintf("round(%s x security + %s x efficiency); 0 when the copy "
	                                 "failed verification",
	                                 m, a));
	json_t *inputs = json_pack(
	    "{s:f,s:o,s:f,s:o,s:o,s:o,s:o,s:o,s:f}", "path_share", round(path_share * 1000) / 1000,
	    "pairs_per_file", files ? json_real(round(pairs_pf * 1000) / 1000) : json_null(),
	    "fd_metadata_share", round(fd_share * 1000) / 1000, "syscalls_per_file",
	    files ? json_real(round(spf * 1000) / 1000) : json_null(), "syscalls_per_mib",
	    mib ? json_real(round(spm * 1000) / 1000) : json_null(), "syscall_budget",
	    budget > 0 ? json_real(round(budget * 10) / 10) : json_null(), "budget_use",
	    budget > 0 ? json_real(round(budget_use * 1000) / 1000) : json_null(), "batch_avg",
	    f->submit_calls ? json_real(round(batch * 1000) / 1000) : json_null(), "batch_penalty",
	    round(batch_pen * 1000) / 1000);
	json_object_set_new(model, "scores",
	                    json_pack("{s:i,s:i,s:i,s:o,s:o}", "security", s, "efficiency", e,
	                              "overall", o, "formulas", formulas, "inputs", inputs));
}

/* --- recommendations --------------------------------------------------- */

static json_t *model_at(json_t *v, const char *a, const char *b, const char *c)
{
	v = json_object_get(v, a);
	if (b)
		v = json_object_get(v, b);
	if (c)
		v = json_object_get(v, c);
	return v;
}

/* How many calls of NAME the figure WHAT counts, read from the model the
 * same way the check counts (the copy phase when there is one); -1 when
 * the model cannot say (check-then-use pairs beyond the listed ones). */
static json_int_t change_count(json_t *model, const char *what, const char *name)
{
	bool copy = json_is_string(model_at(model, "phases", "anchor", NULL));
	json_t *v = NULL;
	if (!strcmp(what, "path_based") && copy) {
		/* as the check counts: without the calls on the SRC/DST operands */
		json_t *all = model_at(model, "access", name, "copy_path_based");
		json_t *roots = model_at(model, "access", name, "copy_root_operand");
		if (!json_is_integer(all))
			return -1;
		return json_integer_value(all) - json_integer_value(roots);
	} else if (!strcmp(what, "path_based") || !strcmp(what, "meta_path")) {
		v = model_at(model, "access", name, copy ? "copy_path_based" : "path_based");
	} else if (!strcmp(what, "stat") || !strcmp(what, "open") || !strcmp(what, "data") ||
	           !strcmp(what, "legacy")) {
		v = model_at(model, "syscalls", name, copy ? "copy_calls" : "calls");
	} else if (!strcmp(what, "pairs")) {
		json_t *t = json_object_get(model, "toctou"), *pairs = json_object_get(t, "pairs");
		json_t *total = json_object_get(t, "pair_count");
		/* the list holds distinct triples: exact only when none repeats */
		if (!json_is_integer(total) ||
		    json_integer_value(total) != (json_int_t)json_array_size(pairs))
			return -1;
		json_int_t n = 0;
		size_t i;
		json_t *pr;
		json_array_foreach(pairs, i, pr)
		{
			const char *c = json_string_value(json_object_get(pr, "check"));
			const char *u = json_string_value(json_object_get(pr, "use"));
			n += (c && !strcmp(c, name)) || (u && !strcmp(u, name));
		}
		return n;
	}
	return json_is_integer(v) ? json_integer_value(v) : -1;
}

/* For each call a recommendation names: the call as made and what to call
 * instead, from the rule's table in "change_tables"; a call the table does
 * not know is left to the plain list of names. */
static json_t *changes_for(json_t *rules, json_t *rule, json_t *calls, json_t *model,
                           const char *what)
{
	json_t *out = json_array();
	const char *tname = json_string_value(json_object_get(rule, "changes"));
	json_t *table = tname ? model_at(rules, "change_tables", tname, NULL) : NULL;
	size_t i;
	json_t *c;
	json_array_foreach(calls, i, c)
	{
		const char *name = json_string_value(c);
		json_t *e = name ? json_object_get(table, name) : NULL;
		const char *from = json_string_value(json_object_get(e, "from"));
		const char *to = json_string_value(json_object_get(e, "to"));
		if (!from || !to)
			continue;
		json_int_t n = what ? change_count(model, what, name) : -1;
		const char *why = json_string_value(json_object_get(e, "why"));
		json_array_append_new(
		    out, json_pack("{s:s,s:s,s:s*,s:s,s:o,s:s}", "call", name, "from", from, "why", why,
		                   "to", to, "count", n >= 0 ? json_integer(n) : json_null(),
		                   "count_of", what && !strcmp(what, "pairs") ? "pairs" : "calls"));
	}
	return out;
}

int checks_evaluate(json_t *rules, const struct check_input *in, json_t *model, char *err,
                    size_t errlen)
{
	json_t *list = json_object_get(rules, "checks");
	if (!json_is_array(list)) {
		snprintf(err, errlen, "rules: \"checks\" must be an array");
		return -1;
	}
	json_t *checks = json_array(), *failed = json_array(), *warned = json_array(),
	       *recs = json_array();
	int worst = 0;
	bool copy_failed = false;
	size_t i;
	json_t *rule;
	json_array_foreach(list, i, rule)
	{
		const char *id = json_string_value(json_object_get(rule, "id"));
		const char *metric = json_string_value(json_object_get(rule, "metric"));
		if (!id || !metric) {
			snprintf(err, errlen, "rules: check #%zu needs \"id\" and \"metric\"",
			         i + 1);
			goto fail;
		}
		if (json_is_false(json_object_get(rule, "enabled")))
			continue;
		bool applicable = true;
		json_t *c = !strcmp(metric, "verified")
		                ? verified_check(rule, in, &applicable)
		                : metric_check(rule, in, &applicable, err, errlen);
		if (!c)
			goto fail;
		json_object_set_new(c, "id", json_string(id));
		json_object_set(c, "title", json_object_get(rule, "title") ?: json_string(id));
		json_object_set_new(
		    c, "unit", json_string(json_string_value(json_object_get(rule, "unit")) ?: ""));
		json_object_set_new(c, "applicable", json_boolean(applicable));
		const char *st = json_string_value(json_object_get(c, "status"));
		int rank = check_status_rank(st);
		if (rank > worst)
			worst = rank;
		if (!strcmp(metric, "verified") && rank == 2)
			copy_failed = true;
		json_array_append(checks, c);
		if (rank == 2)
			json_array_append(failed, c);
		else if (rank == 1)
			json_array_append(warned, c);
		if (rank > 0) {
			const char *text =
			    json_string_value(json_object_get(rule, "recommendation"));
			const char *what = json_string_value(json_object_get(rule, "calls"));
			json_t *calls =
			    what && in->calls_for ? in->calls_for(in->ud, what) : json_array();
			if (!calls)
				calls = json_array();
			json_t *changes = changes_for(rules, rule, calls, model, what);
			json_array_append_new(recs, json_pack("{s:s,s:s,s:s,s:o,s:o}", "check_id", id,
			                                      "status", st, "text", text ? text : "",
			                                      "calls", calls, "changes", changes));
		}
		json_decref(c);
	}
	json_object_set_new(model, "checks", checks);
	json_object_set_new(model, "checks_failed", failed);
	json_object_set_new(model, "checks_warned", warned);
	json_object_set_new(model, "recommendations", recs);
	json_object_set_new(model, "verdict", json_string(status_names[worst]));
	add_scores(rules, in, model, copy_failed);
	return 0;
fail:
	json_decref(checks);
	json_decref(failed);
	json_decref(warned);
	json_decref(recs);
	return -1;
}
