/* compare: figures of two models side by side, with a threshold per figure
 * (a table: adding a figure is adding a row), rendered through
 * report-templates/compare.md.mustache. */
#include "compare.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "model.h"
#include "template.h"

enum better { LOWER_IS_BETTER, HIGHER_IS_BETTER };

struct figure {
	const char *id, *label, *unit;
	const char *path; /* dotted model path, or "@syscalls" / "@path_based" */
	bool per_file;    /* divided by the run's file count */
	enum better better;
	double threshold; /* percent, or points when ABSOLUTE */
	bool absolute;
	bool timing; /* depends on timing: varies between identical runs */
};

static const struct figure figures[] = {
    {"mb_per_s", "Throughput", "MB/s", "run.mb_per_s", false, HIGHER_IS_BETTER, 10, false, true},
    {"wall_seconds", "Wall time", "s", "run.wall_seconds", false, LOWER_IS_BETTER, 10, false, true},
    {"syscalls_per_file", "Syscalls per file", "calls", "@syscalls", true, LOWER_IS_BETTER, 10,
     false, true},
    {"copy_syscalls_per_file", "Copy-phase syscalls per file", "calls", "phases.copy.syscalls",
     true, LOWER_IS_BETTER, 10, false, true},
    {"statx_per_file", "statx per file", "calls", "syscalls.statx.calls", true, LOWER_IS_BETTER, 10,
     false, false},
    {"opens_per_file", "openat per file", "calls", "syscalls.openat.calls", true, LOWER_IS_BETTER,
     10, false, false},
    {"path_based_per_file", "Path-based calls per file", "calls", "@path_based", true,
     LOWER_IS_BETTER, 10, false, false},
    {"toctou_pairs", "Check-then-use pairs", "pairs", "@pairs", false, LOWER_IS_BETTER,
     0, true, false},
    {"io_uring_enter_per_file", "io_uring_enter per file", "calls", "io_uring.enter", true,
     LOWER_IS_BETTER, 10, false, true},
    {"batch_avg", "Average SQEs per submitting io_uring_enter", "SQEs", "io_uring.batch_avg", false,
     HIGHER_IS_BETTER, 10, false, true},
    {"security", "Security score", "points", "scores.security", false, HIGHER_IS_BETTER, 5, true, false},
    {"efficiency", "Efficiency score", "points", "scores.efficiency", false, HIGHER_IS_BETTER, 5,
     true, true},
    {"overall", "Overall score", "points", "scores.overall", false, HIGHER_IS_BETTER, 5, true, true},
};

static json_t *path_get(json_t *root, const char *path)
{
	json_t *cur = root;
	const char *p = path;
	while (cur && *p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		char key[128];
		if (n >= sizeof(key))
			return NULL;
		memcpy(key, p, n);
		key[n] = '\0';
		cur = json_is_object(cur) ? json_object_get(cur, key) : NULL;
		p = dot ? dot + 1 : p + n;
	}
	return cur;
}

static bool number_of(json_t *v, double *out)
{
	if (json_is_integer(v))
		*out = (double)json_integer_value(v);
	else if (json_is_real(v))
		*out = json_real_value(v);
	else
		return false;
	return isfinite(*out);
}

static bool file_count(json_t *m, double *n)
{
	/* basis.files is what the checks divide by (inferred from the trace in
	 * --trace mode); the others are fallbacks for older models. */
	static const char *const paths[] = {"basis.files", "run.files", "files_summary.count",
	                                    "header.dataset.files"};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (number_of(path_get(m, paths[i]), n) && *n > 0)
			return true;
	return false;
}

/* The value of figure F in model M; false when it cannot be known. */
static bool figure_value(json_t *m, const struct figure *f, double *out)
{
	double v = 0;
	if (strcmp(f->path, "@syscalls") == 0) {
		json_t *sc = json_object_get(m, "syscalls");
		if (!json_is_object(sc) || json_object_size(sc) == 0)
			return false;
		const char *k;
		json_t *e;
		json_object_foreach(sc, k, e)
		{
			double c;
			if (number_of(json_object_get(e, "calls"), &c))
				v += c;
		}
	} else if (strcmp(f->path, "@pairs") == 0) {
		/* the pairs the check scores (named by path); older models: all */
		if (!number_of(path_get(m, "toctou.pair_count_path"), &v) &&
		    !number_of(path_get(m, "toctou.pair_count"), &v))
			return false;
	} else if (strcmp(f->path, "@path_based") == 0) {
		/* without the calls on the SRC/DST operands (older models: all of them) */
		if (!number_of(path_get(m, "toctou.path_based_scored"), &v) &&
		    !number_of(path_get(m, "toctou.path_based_calls"), &v))
			return false;
	} else if (strncmp(f->path, "syscalls.", 9) == 0) {
		/* A syscall the run never made is 0, not unknown. */
		if (!json_is_object(json_object_get(m, "syscalls")))
			return false;
		json_t *x = path_get(m, f->path);
		if (x && !number_of(x, &v))
			return false;
	} else if (!number_of(path_get(m, f->path), &v)) {
		return false;
	}
	if (f->per_file) {
		double n;
		if (!file_count(m, &n))
			return false;
		v /= n;
	}
	*out = v;
	return true;
}

static void fmt_num(double v, char *buf, size_t n)
{
	if (fabs(v - round(v)) < 1e-9 && fabs(v) < 1e15)
		snprintf(buf, n, "%.0f", v);
	else if (fabs(v) >= 100)
		snprintf(buf, n, "%.1f", v);
	else
		snprintf(buf, n, "%.2f", v);
}

/* The samples of figure F that --repeat measured in M: median, min, max. */
static bool repeat_range(json_t *m, const struct figure *f, double *med, double *lo, double *hi)
{
	json_t *r = json_object_get(json_object_get(json_object_get(m, "repeat"), "figures"), f->id);
	return r && number_of(json_object_get(r, "median"), med) &&
	       number_of(json_object_get(r, "min"), lo) && number_of(json_object_get(r, "max"), hi) &&
	       json_integer_value(json_object_get(json_object_get(m, "repeat"), "n")) > 1;
}

static json_t *compare_figure(json_t *base, json_t *nw, const struct figure *f)
{
	double b = 0, n = 0, bl = 0, bh = 0, nl = 0, nh = 0, med;
	bool kb = figure_value(base, f, &b), kn = figure_value(nw, f, &n);
	/* A figure that varies between identical runs is compared by its
	 * medians and judged against the spread both runs measured. */
	bool rb = f->timing && repeat_range(base, f, &med, &bl, &bh);
	if (rb)
		b = med, kb = true;
	bool rn = f->timing && repeat_range(nw, f, &med, &nl, &nh);
	if (rn)
		n = med, kn = true;
	if (!kb && !kn)
		return NULL;
	json_t *row =
	    json_pack("{s:s, s:s, s:s, s:s}", "id", f->id, "label", f->label, "unit", f->unit,
	              "better", f->better == LOWER_IS_BETTER ? "lower" : "higher");
	char tb[64] = "n/a", tn[64] = "n/a", td[80] = "n/a", tp[64] = "n/a", tt[64];
	if (f->absolute)
		snprintf(tt, sizeof(tt), "%s%.0f %s", f->better == LOWER_IS_BETTER ? "+" : "-",
		         f->threshold, f->unit);
	else
		snprintf(tt, sizeof(tt), "%s%.0f%%", f->better == LOWER_IS_BETTER ? "+" : "-",
		         f->threshold);
	if (f->absolute && f->threshold == 0)
		snprintf(tt, sizeof(tt), "any increase");
	json_object_set_new(row, "base", kb ? json_real(b) : json_null());
	json_object_set_new(row, "new", kn ? json_real(n) : json_null());
	const char *status = "n/a";
	bool regression = false;
	if (kb)
		fmt_num(b, tb, sizeof(tb));
	if (kn)
		fmt_num(n, tn, sizeof(tn));
	if (kb && kn) {
		double d = n - b;
		char dn[64];
		fmt_num(d, dn, sizeof(dn));
		snprintf(td, sizeof(td), "%s%s", d > 0 ? "+" : "", dn);
		json_object_set_new(row, "delta", json_real(d));
		double pct = NAN;
		if (b != 0) {
			pct = 100.0 * d / fabs(b);
			snprintf(tp, sizeof(tp), "%+.1f%%", pct);
			json_object_set_new(row, "percent", json_real(pct));
		} else {
			json_object_set_new(row, "percent", json_null());
		}
		/* Signed change in the bad direction. */
		double worse = f->better == LOWER_IS_BETTER ? d : -d;
		double eps = 1e-9 * (fabs(b) + fabs(n) + 1);
		bool past;
		if (f->absolute)
			past = fabs(d) > f->threshold + eps;
		else if (b == 0)
			past = fabs(d) > eps;
		else
			past = fabs(pct) > f->threshold + 1e-9;
		/* Past the threshold is not enough for a timing figure measured
		 * with --repeat: the two runs' ranges must not overlap, and the
		 * medians must be further apart than twice the wider range: a whole
		 * run drifts more than its own samples spread. */
		bool noise = rb && rn &&
		             (!(nl > bh || nh < bl) || fabs(n - b) <= 2 * fmax(bh - bl, nh - nl));
		if (past && noise) {
			status = "within noise";
		} else if (past && worse > 0) {
			status = "regression";
			regression = true;
		} else if (past && worse < 0) {
			status = "improvement";
		} else {
			status = "same";
		}
	} else {
		json_object_set_new(row, "delta", json_null());
		json_object_set_new(row, "percent", json_null());
	}
	json_object_set_new(row, "base_text", json_string(tb));
	json_object_set_new(row, "new_text", json_string(tn));
	json_object_set_new(row, "delta_text", json_string(td));
	json_object_set_new(row, "percent_text", json_string(tp));
	json_object_set_new(row, "threshold_text", json_string(tt));
	json_object_set_new(row, "timing", json_boolean(f->timing));
	if (f->timing) {
		char nt[200];
		if (rb && rn) {
			char a1[32], a2[32], b1[32], b2[32];
			fmt_num(bl, a1, sizeof a1);
			fmt_num(bh, a2, sizeof a2);
			fmt_num(nl, b1, sizeof b1);
			fmt_num(nh, b2, sizeof b2);
			snprintf(nt, sizeof nt, "medians of repeated runs; base %s-%s, new %s-%s", a1, a2,
			         b1, b2);
		} else {
			snprintf(nt, sizeof nt, "one run %s: noise cannot be told from change (use "
			                        "--repeat)",
			         rb || rn ? "on one side" : "each");
		}
		json_object_set_new(row, "noise_text", json_string(nt));
	} else {
		json_object_set_new(row, "noise_text", json_string("the same in identical runs"));
	}
	json_object_set_new(row, "status", json_string(status));
	json_object_set_new(row, "regression", json_boolean(regression));
	json_object_set_new(row, "is_regression", json_boolean(regression));
	json_object_set_new(row, "is_improvement",
	                    json_boolean(strcmp(status, "improvement") == 0));
	return row;
}

static int status_rank(const char *s)
{
	if (!s)
		return -1;
	if (strcmp(s, "PASS") == 0)
		return 0;
	if (strcmp(s, "WARN") == 0)
		return 1;
	if (strcmp(s, "FAIL") == 0)
		return 2;
	return -1;
}

static json_t *find_check(json_t *checks, const char *id)
{
	size_t i;
	json_t *c;
	json_array_foreach(checks, i, c)
	{
		const char *cid = json_string_value(json_object_get(c, "id"));
		if (cid && strcmp(cid, id) == 0)
			return c;
	}
	return NULL;
}

static json_t *check_row(const char *id, json_t *bc, json_t *nc, json_int_t *to_fail,
                         json_int_t *worse)
{
	const char *bs = json_string_value(json_object_get(bc, "status"));
	const char *ns = json_string_value(json_object_get(nc, "status"));
	const char *title = json_string_value(json_object_get(nc ? nc : bc, "title"));
	int rb = status_rank(bs), rn = status_rank(ns);
	const char *change;
	bool is_worse = false, changed = true;
	if (!bc) {
		change = "new";
		is_worse = rn > 0;
	} else if (!nc) {
		change = "gone";
	} else if (rn > rb) {
		change = "worse";
		is_worse = true;
	} else if (rn < rb) {
		change = "better";
	} else {
		change = "same";
		changed = false;
	}
	bool tf = rn == 2 && rb != 2;
	if (tf)
		(*to_fail)++;
	if (is_worse)
		(*worse)++;
	/* a new check that fails is worse; is_worse marks the row as such only
	 * for status changes and new FAILs */
	return json_pack("{s:s, s:s?, s:s, s:s, s:s, s:b, s:b, s:b}", "id", id, "title", title,
	                 "base", bs ? bs : "n/a", "new", ns ? ns : "n/a", "change", change,
	                 "to_fail", tf, "changed", changed, "is_worse",
	                 (bc && nc && rn > rb) || tf);
}

static json_t *side(json_t *m, const char *path)
{
	json_t *o = json_pack("{s:s?, s:O?, s:O?, s:O?, s:O?}", "path", path, "date",
	                      path_get(m, "header.date"), "command", path_get(m, "header.command"),
	                      "verdict", json_object_get(m, "verdict"), "copier_version",
	                      path_get(m, "header.copier_version"));
	/* A security score that could not see inside the ring is an upper bound. */
	if (o && json_is_false(path_get(m, "scores.security_complete"))) {
		json_object_set_new(o, "security_incomplete", json_true());
		json_object_set(o, "incomplete_reason", path_get(m, "scores.incomplete_reason"));
	}
	return o;
}

json_t *compare_headline(json_t *model)
{
	json_t *out = json_array();
	for (size_t i = 0; out && i < sizeof(figures) / sizeof(figures[0]); i++) {
		const struct figure *f = &figures[i];
		double v;
		bool known = figure_value(model, f, &v);
		json_array_append_new(
		    out, json_pack("{s:s, s:s, s:s, s:o, s:s, s:f, s:b}", "id", f->id, "label", f->label,
		                   "unit", f->unit, "value", known ? json_real(v) : json_null(),
		                   "better", f->better == HIGHER_IS_BETTER ? "higher" : "lower",
		                   "threshold", f->threshold, "absolute", f->absolute));
		json_object_set_new(json_array_get(out, json_array_size(out) - 1), "timing",
		                    json_boolean(f->timing));
	}
	return out;
}

json_t *compare_models(json_t *base, json_t *nw, const char *base_path, const char *new_path)
{
	json_t *rows = json_array(), *checks = json_array();
	json_int_t regressions = 0, improvements = 0, to_fail = 0, worse = 0;
	for (size_t i = 0; i < sizeof(figures) / sizeof(figures[0]); i++) {
		json_t *row = compare_figure(base, nw, &figures[i]);
		if (!row)
			continue;
		const char *st = json_string_value(json_object_get(row, "status"));
		regressions += strcmp(st, "regression") == 0;
		improvements += strcmp(st, "improvement") == 0;
		json_array_append_new(rows, row);
	}
	json_t *bc = json_object_get(base, "checks"), *nc = json_object_get(nw, "checks");
	size_t i;
	json_t *c;
	json_array_foreach(nc, i, c)
	{
		const char *id = json_string_value(json_object_get(c, "id"));
		if (id)
			json_array_append_new(
			    checks, check_row(id, find_check(bc, id), c, &to_fail, &worse));
	}
	json_array_foreach(bc, i, c)
	{
		const char *id = json_string_value(json_object_get(c, "id"));
		if (id && !find_check(nc, id))
			json_array_append_new(checks, check_row(id, c, NULL, &to_fail, &worse));
	}
	const char *verdict = to_fail ? "FAIL" : (regressions || worse) ? "REGRESSION" : "OK";
	return json_pack("{s:i, s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:I, s:s, s:b, s:b, s:b}",
	                 "schema", MODEL_SCHEMA, "base", side(base, base_path), "new",
	                 side(nw, new_path), "figures", rows, "checks", checks, "regressions",
	                 regressions, "improvements", improvements, "checks_to_fail", to_fail,
	                 "checks_worse", worse, "verdict", verdict, "has_regressions",
	                 regressions + worse > 0, "has_checks", json_array_size(checks) > 0,
	                 "has_figures", json_array_size(rows) > 0);
}

int compare_exit_status(json_t *cmp, bool fail_on_warn)
{
	if (json_integer_value(json_object_get(cmp, "checks_to_fail")) > 0)
		return 2;
	if (fail_on_warn && (json_integer_value(json_object_get(cmp, "regressions")) > 0 ||
	                     json_integer_value(json_object_get(cmp, "checks_worse")) > 0))
		return 1;
	return 0;
}

json_t *compare_load_model(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "re");
	if (!f) {
		snprintf(err, errlen,
		         "cannot read model %s: %s (write one with arsync-analyze --json FILE)",
		         path, strerror(errno));
		return NULL;
	}
	json_error_t je;
	json_t *m = json_loadf(f, 0, &je);
	fclose(f);
	if (!m) {
		snprintf(err, errlen, "%s is not JSON: line %d: %s", path, je.line, je.text);
		return NULL;
	}
	json_t *schema = json_object_get(m, "schema");
	if (!json_is_object(m) || !json_is_integer(schema) ||
	    !json_is_string(json_object_get(m, "verdict"))) {
		snprintf(
		    err, errlen,
		    "%s is not an arsync-analyze model (no \"schema\" and \"verdict\"); pass files "
		    "written by arsync-analyze --json",
		    path);
		json_decref(m);
		return NULL;
	}
	if (json_integer_value(schema) != MODEL_SCHEMA) {
		snprintf(
		    err, errlen,
		    "%s has model schema %lld, this arsync-analyze reads schema %d; re-create it "
		    "with this version",
		    path, (long long)json_integer_value(schema), MODEL_SCHEMA);
		json_decref(m);
		return NULL;
	}
	return m;
}

json_t *compare_baseline_entry(json_t *base, json_t *nw, const char *base_path)
{
	static const char *const keep[] = {"schema", "verdict", "header",   "run",
	                                   "trace",  "scores",  "io_uring", "checks"};
	json_t *e = json_object();
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		json_t *v = json_object_get(base, keep[i]);
		if (v)
			json_object_set(e, keep[i], v);
	}
	json_t *t = json_object_get(base, "toctou");
	if (json_is_object(t)) {
		json_t *tc = json_object();
		const char *k;
		json_t *v;
		json_object_foreach(t, k, v) if (strcmp(k, "pairs") != 0) json_object_set(tc, k, v);
		/* the pairs not counted: their counts, not their list */
		json_t *x = json_object_get(t, "excluded");
		if (json_is_object(x)) {
			json_t *xc = json_deep_copy(x);
			json_object_del(xc, "pairs");
			json_object_set_new(tc, "excluded", xc);
		}
		json_object_set_new(e, "toctou", tc);
	}
	json_object_set_new(e, "path", base_path ? json_string(base_path) : json_null());
	json_object_set_new(e, "comparison", compare_models(base, nw, base_path, NULL));
	return e;
}

/* Templates: TEMPLATES_DIR/NAME when given and present, else the built-in. */
static char *load_template(const char *name, void *ud)
{
	const char *dir = ud;
	if (dir) {
		char *p;
		if (asprintf(&p, "%s/%s", dir, name) < 0)
			return NULL;
		FILE *f = fopen(p, "re");
		free(p);
		if (f) {
			char *buf = NULL;
			size_t len = 0;
			FILE *m = open_memstream(&buf, &len);
			char chunk[8192];
			size_t n;
			while (m && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
				fwrite(chunk, 1, n, m);
			fclose(f);
			if (m)
				fclose(m);
			return buf;
		}
	}
	const struct embedded_file *e = embedded_find(name);
	return e ? strdup(e->data) : NULL;
}

char *compare_render(const char *name, json_t *ctx, const char *templates_dir, char *err,
                     size_t errlen)
{
	char *text = load_template(name, (void *)templates_dir);
	if (!text) {
		snprintf(err, errlen, "template %s not found%s%s", name,
		         templates_dir ? " in " : "",
		         templates_dir ? templates_dir : " (not built in)");
		return NULL;
	}
	struct tpl_error te;
	memset(&te, 0, sizeof(te));
	char *out = tpl_render(text, name, ctx, TPL_ESCAPE_MARKDOWN, load_template,
	                       (void *)templates_dir, &te);
	free(text);
	if (!out)
		snprintf(err, errlen, "template %s line %d: %s", te.file[0] ? te.file : name,
		         te.line, te.msg);
	return out;
}

char *compare_markdown(json_t *cmp, const char *templates_dir, char *err, size_t errlen)
{
	return compare_render("compare.md.mustache", cmp, templates_dir, err, errlen);
}
