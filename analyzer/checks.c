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
	char extra[512];         /* {extra}: a list the figure is made of, or "" */
};

/* What the model says about the ring's requests: whether the trace shows
 * io_uring at all, whether their arguments were captured ("bpf") or only
 * their opcodes counted ("counts") or neither ("none"; a model without
 * io_uring.ring_ops reads as "none"). */
struct ring_state {
	bool uses_uring;
	const char *capture;
	bool counts_known;  /* io_uring.ops holds the count of every opcode */
	json_t *ring_ops;   /* io_uring.ring_ops, or NULL */
	json_t *ops;        /* io_uring.ops: {OPCODE: count} */
	json_t *ops_detail; /* io_uring.ops_detail, or NULL */
	double lost;        /* records the capture lost */
	const char *reason; /* why the arguments were not captured, or NULL */
};

/* The words for one message: the placeholders beyond the metric's own. */
struct msg_vars {
	const char *extra;      /* {extra}; NULL: the metric's */
	const char *unverified; /* {unverified} */
	const char *ops;        /* {ops} */
	const char *reason;     /* {reason} */
	double unclassified;    /* {unclassified} */
	double lost;            /* {lost} */
};

static double ratio(double a, double b) { return b > 0 ? a / b : 0; }

static struct metric ring_metric(const char *metric, json_t *rule, const struct check_input *in,
                                 const struct ring_state *rs);
static json_t *render_message(const char *tpl, const struct metric *m, json_t *rule,
                              const struct msg_vars *v);
static const char *msg(json_t *rule, const char *key);

static struct metric compute(const char *metric, json_t *rule, const struct check_input *in,
                             const struct ring_state *rs)
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
		/* a pair through a directory fd (statx(dirfd, name) then
		 * openat(dirfd, name)) leaves only the last name to swap: counted
		 * when the rule says so, else told apart in the message */
		double dirfd = f->pairs > f->pairs_path ? (double)(f->pairs - f->pairs_path) : 0;
		bool all = json_is_true(json_object_get(rule, "count_dirfd_pairs"));
		m.count = all ? (double)f->pairs : (double)f->pairs_path;
		if (!all && dirfd > 0) {
			json_t *note = render_message(msg(rule, "dirfd_pairs"), &m, rule,
			                              &(struct msg_vars){.unclassified = dirfd});
			snprintf(m.extra, sizeof(m.extra), "%s", json_string_value(note));
			json_decref(note);
		}
		if (f->pairs_excluded && msg(rule, "excluded_pairs")) {
			json_t *note = render_message(
			    msg(rule, "excluded_pairs"), &m, rule,
			    &(struct msg_vars){.unclassified = (double)f->pairs_excluded});
			size_t o = strlen(m.extra);
			snprintf(m.extra + o, sizeof(m.extra) - o, "%s", json_string_value(note));
			json_decref(note);
		}
		per = in->files;
	} else if (!strcmp(metric, "direct_data_per_mib")) {
		/* a read/write loop; in-kernel copies are named apart */
		m.count = (double)f->data_calls_regular;
		if (f->kernel_copy_regular && msg(rule, "kernel_copies")) {
			json_t *note = render_message(
			    msg(rule, "kernel_copies"), &m, rule,
			    &(struct msg_vars){.unclassified = (double)f->kernel_copy_regular});
			snprintf(m.extra, sizeof(m.extra), "%s", json_string_value(note));
			json_decref(note);
		}
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
	} else if (!strncmp(metric, "ring_", 5)) {
		return ring_metric(metric, rule, in, rs);
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

/* Replaces {value} {warn} {fail} {count} {basis} {unit} {extra}
 * {unverified} {ops} {reason} {unclassified} {lost} in TPL. */
static json_t *render_message(const char *tpl, const struct metric *m, json_t *rule,
                              const struct msg_vars *v)
{
	if (!tpl)
		return json_string("");
	static const struct msg_vars none = {0};
	if (!v)
		v = &none;
	char out[2048];
	size_t o = 0;
	for (const char *p = tpl; *p && o + 1 < sizeof(out);) {
		if (*p == '{') {
			const char *e = strchr(p, '}');
			if (e) {
				char key[32], val[1024];
				size_t kl = (size_t)(e - p - 1);
				if (kl < sizeof(key)) {
					memcpy(key, p + 1, kl);
					key[kl] = '\0';
					val[0] = '\0';
					bool ok = true;
					const char *text = NULL;
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
					else if (!strcmp(key, "unclassified"))
						format_number(v->unclassified, val, sizeof(val));
					else if (!strcmp(key, "lost"))
						format_number(v->lost, val, sizeof(val));
					else if (!strcmp(key, "unit"))
						text = json_string_value(
						    json_object_get(rule, "unit"));
					else if (!strcmp(key, "extra"))
						text = v->extra ? v->extra : m->extra;
					else if (!strcmp(key, "unverified"))
						text = v->unverified;
					else if (!strcmp(key, "ops"))
						text = v->ops;
					else if (!strcmp(key, "reason"))
						text = v->reason;
					else
						ok = false;
					if (text)
						snprintf(val, sizeof(val), "%s", text);
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

/* --- io_uring requests ---------------------------------------------------- */

static struct ring_state ring_state_of(json_t *model)
{
	json_t *u = json_object_get(model, "io_uring");
	struct ring_state rs = {0};
	rs.ring_ops = json_object_get(u, "ring_ops");
	if (!json_is_object(rs.ring_ops))
		rs.ring_ops = NULL;
	rs.ops = json_object_get(u, "ops");
	rs.ops_detail = json_object_get(u, "ops_detail");
	const char *cap = json_string_value(json_object_get(rs.ring_ops, "capture"));
	rs.capture = cap ? cap : "none";
	rs.counts_known = !strcmp(rs.capture, "bpf") || !strcmp(rs.capture, "counts") ||
	                  (!rs.ring_ops && json_is_string(json_object_get(u, "ops_source")));
	double requests = 0;
	const char *k;
	json_t *v;
	json_object_foreach(rs.ops, k, v) requests += json_is_number(v) ? json_number_value(v) : 0;
	rs.uses_uring = num(u, "setup", 0) > 0 || num(u, "enter", 0) > 0 ||
	                num(rs.ring_ops, "requests", 0) > 0 || requests > 0;
	rs.lost = num(rs.ring_ops, "lost", 0);
	rs.reason = json_string_value(json_object_get(rs.ring_ops, "reason"));
	if (!rs.reason && !rs.ring_ops)
		rs.reason = json_string_value(json_object_get(u, "ops_reason"));
	return rs;
}

/* Requests of OPCODE: io_uring.ops, else io_uring.ops_detail.OPCODE.count. */
static double op_count(const struct ring_state *rs, const char *opcode)
{
	json_t *v = json_object_get(rs->ops, opcode);
	if (!json_is_number(v))
		v = json_object_get(json_object_get(rs->ops_detail, opcode), "count");
	return json_is_number(v) && json_number_value(v) > 0 ? json_number_value(v) : 0;
}

/* Every opcode with requests, io_uring.ops or else io_uring.ops_detail. */
static json_t *op_table(const struct ring_state *rs)
{
	return json_object_size(rs->ops) ? rs->ops : rs->ops_detail;
}

/* Is OPCODE in LIST? An entry ending in '*' is a prefix. */
static bool opcode_listed(json_t *list, const char *opcode)
{
	size_t i;
	json_t *e;
	json_array_foreach(list, i, e)
	{
		const char *p = json_string_value(e);
		size_t n = p ? strlen(p) : 0;
		if (n && p[n - 1] == '*' ? !strncmp(p, opcode, n - 1) : p && !strcmp(p, opcode))
			return true;
	}
	return false;
}

static double ops_listed(const struct ring_state *rs, json_t *list)
{
	double n = 0;
	const char *k;
	json_t *v;
	json_object_foreach(op_table(rs), k, v) if (opcode_listed(list, k)) n += op_count(rs, k);
	return n;
}

/* Appends "TEXT" to the list in OUT, ", " between items, "..." when full. */
static void list_add(char *out, size_t outsz, const char *text)
{
	size_t o = strlen(out);
	if (o + 4 >= outsz)
		return;
	int w = snprintf(out + o, outsz - o, "%s%s", o ? ", " : "", text);
	if (w < 0 || (size_t)w >= outsz - o)
		snprintf(out + outsz - 4, 4, "...");
}

static struct metric ring_metric(const char *metric, json_t *rule, const struct check_input *in,
                                 const struct ring_state *rs)
{
	struct metric m = {.unknown_key = "unknown"};
	const char *k;
	json_t *v;
	char item[160];
	if (!strcmp(metric, "ring_failed_per_file")) {
		if (!rs->uses_uring) {
			m.unknown_key = "no_uring";
			return m;
		}
		if (strcmp(rs->capture, "bpf")) {
			m.unknown_key = "no_capture";
			return m;
		}
		json_t *ignore = json_object_get(rule, "ignore_errnos");
		json_object_foreach(rs->ops_detail, k, v)
		{
			const char *e;
			json_t *n;
			json_object_foreach(json_object_get(v, "failed"), e, n)
			{
				if (!json_is_number(n) || json_number_value(n) <= 0 ||
				    opcode_listed(ignore, e))
					continue;
				m.count += json_number_value(n);
				snprintf(item, sizeof(item), "%s %s \u00d7 %.0f", k, e,
				         json_number_value(n));
				list_add(m.extra, sizeof(m.extra), item);
			}
		}
		m.basis = in->files;
		m.known = in->files > 0;
		m.value = ratio(m.count, in->files);
	} else if (!strcmp(metric, "ring_unexpected_ops")) {
		if (!rs->uses_uring)
			return m;
		if (!rs->counts_known) {
			m.unknown_key = "no_counts";
			return m;
		}
		json_t *expected = json_object_get(rule, "expected_opcodes");
		json_object_foreach(op_table(rs), k, v)
		{
			double n = op_count(rs, k);
			m.basis += n;
			if (n <= 0 || opcode_listed(expected, k))
				continue;
			m.count += n;
			snprintf(item, sizeof(item), "%s \u00d7 %.0f", k, n);
			list_add(m.extra, sizeof(m.extra), item);
		}
		m.known = true;
		m.value = m.count;
	}
	return m;
}

/* What a check that ring operations could change misses: nothing (open
 * false), or N operations it could not count (N < 0: an unknown number),
 * or the records a BPF capture lost. */
struct ring_gap {
	bool open, lost;
	double n;
	const char *ops; /* what the N operations are */
};

static struct ring_gap ring_gap_of(json_t *rules, json_t *rule, const struct ring_state *rs)
{
	json_t *rr = json_object_get(rules, "ring_ops");
	json_t *list = json_object_get(rule, "ring_opcodes");
	struct ring_gap g = {.n = -1};
	g.ops =
	    json_is_array(list) ? json_string_value(json_object_get(rule, "ring_ops_name")) : NULL;
	if (!g.ops)
		g.ops = json_string_value(json_object_get(rr, "path_taking_name")) ?: "";
	if (!rs->uses_uring || !json_object_get(rule, "when_unverified"))
		return g;
	if (!strcmp(rs->capture, "bpf")) {
		g.open = g.lost = rs->lost > 0;
		return g;
	}
	json_t *given = json_object_get(rs->ring_ops, "unclassified_path_ops");
	if (!rs->counts_known)
		g.n = -1;
	else if (json_is_array(list))
		g.n = ops_listed(rs, list);
	else if (rs->ring_ops)
		g.n = json_is_number(given) ? json_number_value(given) : -1;
	else
		g.n = ops_listed(rs, json_object_get(rr, "path_taking"));
	g.open = g.n != 0;
	return g;
}

/* "not verified: ..." for G, from the rules' ring_ops.messages. */
static json_t *gap_text(json_t *rules, const struct ring_gap *g, const struct ring_state *rs,
                        const struct metric *m, json_t *rule)
{
	json_t *msgs = json_object_get(json_object_get(rules, "ring_ops"), "messages");
	const char *key = g->lost ? "lost" : g->n < 0 ? "unknown" : "known";
	return render_message(
	    json_string_value(json_object_get(msgs, key)), m, rule,
	    &(struct msg_vars){.ops = g->ops, .unclassified = g->n, .lost = rs->lost});
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
		message = render_message(
		    msg(rule, "WARN"), &m, rule,
		    &(struct msg_vars){.extra = reason ? reason : "no reason given"});
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
		message =
		    render_message(msg(rule, "FAIL"), &m, rule, &(struct msg_vars){.extra = extra});
	}
	json_t *c = json_object();
	json_object_set_new(c, "status", json_string(status_names[status]));
	json_object_set_new(c, "value", value);
	json_object_set_new(c, "target", json_true());
	json_object_set_new(c, "target_text", json_string("destination equals source"));
	json_object_set_new(c, "message", message);
	return c;
}

/* The escapes section of the model (writes outside SRC and DST): their
 * count, known when the trees are; {extra} names the first one. */
static struct metric escapes_metric(json_t *model)
{
	struct metric m = {.unknown_key = "unknown"};
	json_t *e = json_object_get(model, "escapes");
	m.known = json_is_true(json_object_get(e, "applicable")) &&
	          json_is_number(json_object_get(e, "count"));
	if (!m.known)
		return m;
	m.count = json_number_value(json_object_get(e, "count"));
	m.value = m.count;
	json_t *first = json_array_get(json_object_get(e, "list"), 0);
	if (first) {
		json_t *line = json_object_get(first, "line");
		char at[64] = "line unknown";
		if (json_is_integer(line))
			snprintf(at, sizeof(at), "line %lld", (long long)json_integer_value(line));
		snprintf(m.extra, sizeof(m.extra), "%s %s (%s, pid %lld%s)",
		         json_string_value(json_object_get(first, "call")) ?: "?",
		         json_string_value(json_object_get(first, "path")) ?: "?", at,
		         (long long)json_integer_value(json_object_get(first, "pid")),
		         json_is_true(json_object_get(first, "via_ring")) ? ", through the ring" : "");
	}
	return m;
}

static json_t *metric_check(json_t *rules, json_t *rule, const struct check_input *in,
                            const struct ring_state *rs, json_t *model, bool *applicable,
                            char *err, size_t errlen)
{
	const char *metric = json_string_value(json_object_get(rule, "metric"));
	const char *id = json_string_value(json_object_get(rule, "id"));
	const char *better = json_string_value(json_object_get(rule, "better"));
	json_t *jw = json_object_get(rule, "warn"), *jf = json_object_get(rule, "fail");
	if (!metric || !json_is_number(jw) || (jf && !json_is_null(jf) && !json_is_number(jf))) {
		snprintf(
		    err, errlen,
		    "rule \"%s\": needs \"metric\", a numeric \"warn\", and a numeric \"fail\" "
		    "or none (never FAIL)",
		    id ? id : "?");
		return NULL;
	}
	bool higher = better && !strcmp(better, "higher");
	bool can_fail = json_is_number(jf);
	double warn = json_number_value(jw), fail = can_fail ? json_number_value(jf) : NAN;
	struct metric m =
	    !strcmp(metric, "escapes") ? escapes_metric(model) : compute(metric, rule, in, rs);
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
		bool failed = can_fail && (higher ? m.value < fail : m.value > fail);
		bool warned = higher ? m.value < warn : m.value > warn;
		status = failed ? 2 : warned ? 1 : 0;
		message = render_message(msg(rule, status_names[status]), &m, rule, NULL);
	}
	/* ring operations this check could not count: never PASS on what is left */
	struct ring_gap gap = ring_gap_of(rules, rule, rs);
	if (gap.open) {
		int floor =
		    status_from(json_string_value(json_object_get(rule, "when_unverified")), 1);
		json_t *ut = gap_text(rules, &gap, rs, &m, rule);
		const char *t = msg(rule, m.known ? "unverified" : "unverified_unknown");
		json_t *full =
		    t ? render_message(t, &m, rule,
		                       &(struct msg_vars){.unverified = json_string_value(ut)})
		      : json_sprintf("%s; %s", json_string_value(ut), json_string_value(message));
		json_decref(message);
		json_decref(ut);
		message = full;
		if (status < floor)
			status = floor;
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
	if (can_fail)
		snprintf(t, sizeof(t), "%s %s %s (WARN %s %s, FAIL %s %s)", higher ? ">=" : "<=", w,
		         unit, higher ? "below" : "above", w, higher ? "below" : "above", f);
	else
		snprintf(t, sizeof(t), "%s %s %s (WARN %s %s)", higher ? ">=" : "<=", w, unit,
		         higher ? "below" : "above", w);
	json_object_set_new(c, "target_text", json_string(t));
	json_object_set_new(c, "warn_at", json_real(warn));
	json_object_set_new(c, "fail_at", can_fail ? json_real(fail) : json_null());
	json_object_set_new(c, "better", json_string(higher ? "higher" : "lower"));
	json_object_set_new(c, "count", json_real(m.count));
	json_object_set_new(c, "basis",
	                    m.basis > 0 ? json_real(round(m.basis * 1000) / 1000) : json_null());
	json_object_set_new(c, "message", message);
	json_object_set_new(c, "complete", json_boolean(!gap.open));
	if (gap.open)
		json_object_set_new(c, "unclassified_ring_ops",
		                    gap.lost || gap.n < 0 ? json_null()
		                                          : json_integer((json_int_t)gap.n));
	return c;
}

/* --- scores -------------------------------------------------------------- */

static double clamp01(double v) { return v < 0 ? 0 : v > 1 ? 1 : v; }

static int clamp_score(double v)
{
	long r = lround(v);
	return r < 0 ? 0 : r > 100 ? 100 : (int)r;
}

/* The rule of check ID (NULL if the rules have none). */
static json_t *rule_by_id(json_t *rules, const char *id)
{
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(rules, "checks"), i, r)
	{
		const char *rid = json_string_value(json_object_get(r, "id"));
		if (rid && id && !strcmp(rid, id))
			return r;
	}
	return NULL;
}

/* Why the security score misses ring operations (a new string), or NULL
 * when it counts them all: the first of scores.security.ring_checks whose
 * figure ring operations could change and the capture could not tell. */
static json_t *security_gap(json_t *rules, const struct ring_state *rs)
{
	json_t *sec = json_object_get(json_object_get(rules, "scores"), "security");
	json_t *rr = json_object_get(rules, "ring_ops");
	size_t i;
	json_t *id;
	json_array_foreach(json_object_get(sec, "ring_checks"), i, id)
	{
		json_t *rule = rule_by_id(rules, json_string_value(id));
		struct ring_gap g = ring_gap_of(rules, rule, rs);
		if (!g.open)
			continue;
		struct metric m = {0};
		json_t *ut = gap_text(rules, &g, rs, &m, rule);
		const char *reason = rs->reason;
		if (!reason)
			reason = json_string_value(
			    json_object_get(rr, g.lost ? "lost_reason" : "no_reason"));
		json_t *out = render_message(
		    json_string_value(json_object_get(sec, "incomplete_message")), &m, rule,
		    &(struct msg_vars){.unverified = json_string_value(ut),
		                       .reason = reason ?: ""});
		json_decref(ut);
		return out;
	}
	return NULL;
}

static void add_scores(json_t *rules, const struct check_input *in, const struct ring_state *rs,
                       json_t *model, bool copy_failed)
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
	double path_share = named > 0 ? (double)(f->path_based - f->root_path_calls) / named : 0;
	bool files = in->files > 0, mib = in->mib > 0;
	bool all_pairs = json_is_true(json_object_get(sec, "count_dirfd_pairs"));
	double npairs = all_pairs ? (double)f->pairs : (double)f->pairs_path;
	double pairs_pf = files ? npairs / in->files : (npairs > 0 ? tfull : 0);
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
	        "operand itself; check-then-use pairs %s; fd_metadata_share = 1 when there "
	        "are no metadata changes",
	        a, b, c, d,
	        all_pairs ? "of every kind (by path and through a directory fd)"
	                  : "with a side named by path (those through a directory fd are not "
	                    "scored)"));
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
	json_t *gap = security_gap(rules, rs);
	json_object_set_new(model, "scores",
	                    json_pack("{s:i,s:b,s:o,s:i,s:i,s:o,s:o}", "security", s,
	                              "security_complete", gap == NULL, "incomplete_reason",
	                              gap ? gap : json_null(), "efficiency", e, "overall", o,
	                              "formulas", formulas, "inputs", inputs));
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
static json_int_t change_count(json_t *model, json_t *rule, const char *what, const char *name)
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
		bool all = json_is_true(json_object_get(rule, "count_dirfd_pairs"));
		json_int_t n = 0;
		size_t i;
		json_t *pr;
		json_array_foreach(pairs, i, pr)
		{
			const char *by = json_string_value(json_object_get(pr, "named_by"));
			if (!all && by && strcmp(by, "path"))
				continue; /* through a directory fd: not counted by the check */
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
		json_int_t n = what ? change_count(model, rule, what, name) : -1;
		if (n == 0 && !strcmp(what, "pairs"))
			continue; /* only in pairs the check does not count */
		const char *why = json_string_value(json_object_get(e, "why"));
		json_array_append_new(
		    out, json_pack("{s:s,s:s,s:s*,s:s,s:o,s:s}", "call", name, "from", from, "why",
		                   why, "to", to, "count", n >= 0 ? json_integer(n) : json_null(),
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
	struct ring_state rs = ring_state_of(model);
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
		                : metric_check(rules, rule, in, &rs, model, &applicable, err, errlen);
		if (!c)
			goto fail;
		if (!json_object_get(c, "complete"))
			json_object_set_new(c, "complete", json_true());
		json_object_set_new(c, "id", json_string(id));
		json_t *title = json_object_get(rule, "title");
		json_object_set_new(c, "title", title ? json_incref(title) : json_string(id));
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
			json_array_append_new(recs,
			                      json_pack("{s:s,s:s,s:s,s:o,s:o}", "check_id", id,
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
	add_scores(rules, in, &rs, model, copy_failed);
	return 0;
fail:
	json_decref(checks);
	json_decref(failed);
	json_decref(warned);
	json_decref(recs);
	return -1;
}
