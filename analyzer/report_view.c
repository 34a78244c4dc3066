/* report_view: the model in display form, plus what the templates need to
 * decide and draw (see report_view.h). Nothing here phrases anything: the
 * words are in report-templates/. Nothing here changes the model either:
 * the view is built beside it. */
#include "report_view.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define BAR_WIDTH 30        /* characters of the longest text bar */
#define FILES_SHOWN_MAX 500 /* rows of the per-file table in the Markdown */
#define PAIRS_SHOWN_MAX 200 /* rows of the check-then-use table */

static const char BAR_CHAR[] = "\u2588"; /* a full block */

void report_format_real(double d, char *buf, size_t size)
{
	double a = fabs(d);
	if (!isfinite(d)) {
		snprintf(buf, size, "n/a");
		return;
	}
	if (a == 0.0)
		snprintf(buf, size, "0");
	else if (a >= 100.0)
		snprintf(buf, size, "%.1f", d);
	else if (a >= 1.0)
		snprintf(buf, size, "%.2f", d);
	else if (a >= 1e-6) /* three significant digits in fixed notation: 0.000098 */
		snprintf(buf, size, "%.*f", 2 - (int)floor(log10(a)), d);
	else
		snprintf(buf, size, "%.3g", d);
	if (strchr(buf, '.') && !strchr(buf, 'e')) {
		size_t n = strlen(buf);
		while (n > 0 && buf[n - 1] == '0')
			buf[--n] = 0;
		if (n > 0 && buf[n - 1] == '.')
			buf[--n] = 0;
	}
	if (strcmp(buf, "-0") == 0)
		snprintf(buf, size, "0");
}

bool report_number(json_t *v, double *out)
{
	if (json_is_integer(v))
		*out = (double)json_integer_value(v);
	else if (json_is_real(v))
		*out = json_real_value(v);
	else
		return false;
	return true;
}

static json_t *na(void) { return json_string("n/a"); }

/* A deep copy for display: null -> "n/a", reals -> rounded strings. */
static json_t *display_copy(json_t *v)
{
	char buf[64];
	const char *key;
	json_t *val, *out;
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_NULL:
		return na();
	case JSON_REAL:
		report_format_real(json_real_value(v), buf, sizeof buf);
		return json_string(buf);
	case JSON_OBJECT:
		out = json_object();
		json_object_foreach(v, key, val) json_object_set_new(out, key, display_copy(val));
		return out;
	case JSON_ARRAY:
		out = json_array();
		for (size_t i = 0; i < json_array_size(v); i++)
			json_array_append_new(out, display_copy(json_array_get(v, i)));
		return out;
	default:
		return json_deep_copy(v);
	}
}

static json_t *path_get(json_t *v, const char *dotted)
{
	char part[128];
	while (v && *dotted) {
		size_t n = strcspn(dotted, ".");
		if (n >= sizeof part)
			return NULL;
		memcpy(part, dotted, n);
		part[n] = 0;
		v = json_object_get(v, part);
		dotted += n + (dotted[n] == '.');
	}
	return v;
}

static long long int_at(json_t *v, const char *dotted)
{
	json_t *x = path_get(v, dotted);
	return json_is_integer(x) ? json_integer_value(x) : 0;
}

static const char *str_at(json_t *v, const char *dotted)
{
	json_t *x = path_get(v, dotted);
	return json_is_string(x) ? json_string_value(x) : NULL;
}

static size_t size_at(json_t *v, const char *dotted)
{
	json_t *x = path_get(v, dotted);
	return json_is_array(x) ? json_array_size(x) : json_is_object(x) ? json_object_size(x) : 0;
}

static void set_bool(json_t *o, const char *key, bool b)
{
	json_object_set_new(o, key, json_boolean(b));
}

static void set_real_text(json_t *o, const char *key, bool known, double d)
{
	char buf[64];
	if (!known) {
		json_object_set_new(o, key, na());
		return;
	}
	report_format_real(d, buf, sizeof buf);
	json_object_set_new(o, key, json_string(buf));
}

/* A bar of full blocks, COUNT scaled to MAX; at least one block when COUNT > 0. */
static json_t *bar(double count, double max, int width)
{
	int n = max > 0 ? (int)lround(count / max * width) : 0;
	if (count > 0 && n == 0)
		n = 1;
	char s[BAR_WIDTH * sizeof BAR_CHAR + 1];
	size_t len = 0;
	for (int i = 0; i < n && i < BAR_WIDTH; i++) {
		memcpy(s + len, BAR_CHAR, sizeof BAR_CHAR - 1);
		len += sizeof BAR_CHAR - 1;
	}
	s[len] = 0;
	return json_string(s);
}

/* Marks the first element of each object in array A with "first": true. */
static void mark_first(json_t *a)
{
	for (size_t i = 0; i < json_array_size(a); i++)
		if (json_is_object(json_array_get(a, i)))
			set_bool(json_array_get(a, i), "first", i == 0);
}

/* Flags a check's template needs: status booleans and value kinds. */
static void augment_check(json_t *vc, json_t *mc)
{
	const char *st = str_at(mc, "status");
	json_t *value = json_object_get(mc, "value"), *target = json_object_get(mc, "target");
	set_bool(vc, "is_pass", st && strcmp(st, "PASS") == 0);
	set_bool(vc, "is_warn", st && strcmp(st, "WARN") == 0);
	set_bool(vc, "is_fail", st && strcmp(st, "FAIL") == 0);
	set_bool(vc, "value_known", value && !json_is_null(value));
	set_bool(vc, "value_bool", json_is_boolean(value));
	set_bool(vc, "value_yes", json_is_true(value));
	set_bool(vc, "target_bool", json_is_boolean(target));
	set_bool(vc, "target_yes", json_is_true(target));
	/* ring operations it could not count (checks.c): not verified */
	set_bool(vc, "unverified", json_is_false(json_object_get(mc, "complete")));
}

static void augment_checks(json_t *view, json_t *model, const char *key)
{
	json_t *vl = json_object_get(view, key), *ml = json_object_get(model, key);
	for (size_t i = 0; i < json_array_size(ml) && i < json_array_size(vl); i++)
		augment_check(json_array_get(vl, i), json_array_get(ml, i));
}

/* The number of files per-file ratios divide by, if known: the model's
 * own basis (what the checks divide by), else the run's or dataset's. */
static bool file_count(json_t *model, double *n)
{
	static const char *const keys[] = {"basis.files", "run.files", "header.dataset.files"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (report_number(path_get(model, keys[i]), n) && *n > 0)
			return true;
	return false;
}

/* Does the trace show io_uring (a ring set up or entered, or requests)? */
static bool uses_uring(json_t *model)
{
	return int_at(model, "io_uring.setup") > 0 || int_at(model, "io_uring.enter") > 0 ||
	       int_at(model, "io_uring.ring_ops.requests") > 0;
}

/* Are counts of ring operations known? Without io_uring there are none
 * (0); with it, only the BPF capture of their arguments tells which file
 * or call they were: otherwise a count is unknown, whatever a model says. */
static bool ring_counts_known(json_t *model)
{
	const char *cap = str_at(model, "io_uring.ring_ops.capture");
	return !uses_uring(model) || (cap && !strcmp(cap, "bpf"));
}

/* A count of ring operations for a table cell: the model's (O.KEY) when
 * known (0 when the trace shows no io_uring), else n/a. An object (a
 * count per access class) shows its total. */
static json_t *ring_count(json_t *model, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!ring_counts_known(model))
		return na();
	if (json_is_integer(v))
		return json_deep_copy(v);
	if (json_is_object(v)) {
		json_int_t sum = 0;
		const char *k;
		json_t *x;
		json_object_foreach(v, k, x)
		{
			if (strncmp(k, "copy_", 5) != 0 && json_is_integer(x))
				sum += json_integer_value(x);
		}
		return json_integer(sum);
	}
	return uses_uring(model) ? na() : json_integer(0);
}

/* Copy-phase keys of an access class and their whole-trace twins. */
static const char *const access_keys[][2] = {
    {"copy_path_based", "path_based"},
    {"copy_fd_based", "fd_based"},
    {"copy_cwd_relative", "cwd_relative"},
};

/* Did the trace show where the copy phase starts? Without that anchor the
 * whole trace is the copy phase (what the checks count), while the model's
 * per-syscall copy_* counters stay 0. */
static bool has_anchor(json_t *model) { return json_is_string(path_get(model, "phases.anchor")); }

/* O.COPY_KEY when the copy phase is known, else O.WHOLE_KEY (borrowed). */
static json_t *copy_figure(json_t *model, json_t *o, const char *copy_key, const char *whole_key)
{
	json_t *v = has_anchor(model) ? json_object_get(o, copy_key) : NULL;
	return json_is_integer(v) ? v : json_object_get(o, whole_key);
}

/* view.sc.NAME: syscalls.NAME with its access classes (has_access) and
 * copy-phase calls per file; view.by_category.CAT: the same rows in
 * syscall_list order. */
static void build_syscall_rows(json_t *view, json_t *model, json_t *flags)
{
	json_t *sc = json_object(), *by_cat = json_object();
	json_t *list = json_object_get(model, "syscall_list");
	json_t *syscalls = json_object_get(model, "syscalls");
	json_t *access = json_object_get(model, "access");
	double nfiles = 0;
	bool per_file = file_count(model, &nfiles);

	for (size_t i = 0; i < json_array_size(list); i++) {
		const char *name = str_at(json_array_get(list, i), "name");
		json_t *m = name ? json_object_get(syscalls, name) : NULL;
		if (!json_is_object(m))
			continue;
		json_t *row = display_copy(m);
		json_object_set_new(row, "name", json_string(name));
		json_t *acc = json_object_get(access, name);
		set_bool(row, "has_access", json_is_object(acc));
		if (json_is_object(acc)) {
			const char *k;
			json_t *v;
			json_object_foreach(acc, k, v) json_object_set_new(row, k, display_copy(v));
		}
		json_t *copy = copy_figure(model, m, "copy_calls", "calls");
		json_object_set_new(row, "copy_calls", display_copy(copy));
		json_object_set_new(row, "via_ring", ring_count(model, acc, "via_ring"));
		if (json_is_object(acc))
			for (size_t k = 0; k < sizeof access_keys / sizeof access_keys[0]; k++)
				json_object_set_new(
				    row, access_keys[k][0],
				    display_copy(copy_figure(model, acc, access_keys[k][0],
				                             access_keys[k][1])));
		set_real_text(row, "per_file", per_file && json_is_integer(copy),
		              per_file && json_is_integer(copy)
		                  ? (double)json_integer_value(copy) / nfiles
		                  : 0);
		json_object_set(sc, name, row);
		const char *cat = str_at(m, "category");
		if (cat) {
			json_t *a = json_object_get(by_cat, cat);
			if (!a) {
				a = json_array();
				json_object_set_new(by_cat, cat, a);
			}
			json_array_append(a, row);
		}
		json_decref(row);
	}
	/* Calls made only through the ring (no direct call of that name):
	 * their row still says how they named their files. */
	const char *aname;
	json_t *acc;
	json_object_foreach(access, aname, acc)
	{
		if (!json_is_object(acc) || json_object_get(sc, aname))
			continue;
		json_t *row = json_pack("{s:s,s:i,s:b}", "name", aname, "calls", 0, "has_access", 1);
		const char *k;
		json_t *v;
		json_object_foreach(acc, k, v) json_object_set_new(row, k, display_copy(v));
		json_object_set_new(row, "via_ring", ring_count(model, acc, "via_ring"));
		for (size_t k2 = 0; k2 < sizeof access_keys / sizeof access_keys[0]; k2++)
			json_object_set_new(
			    row, access_keys[k2][0],
			    display_copy(copy_figure(model, acc, access_keys[k2][0], access_keys[k2][1])));
		json_object_set_new(sc, aname, row);
	}
	/* The rows the symlink and directory tables name, when neither a
	 * direct call nor a classified ring operation was seen: 0 calls, and
	 * what is known of the ring. */
	static const char *const table_names[] = {"readlink", "readlinkat", "symlink",
	                                           "symlinkat", "lstat",      "link",
	                                           "linkat",   "mkdir",      "mkdirat"};
	for (size_t i = 0; i < sizeof table_names / sizeof table_names[0]; i++) {
		if (json_object_get(sc, table_names[i]))
			continue;
		json_t *row = json_pack("{s:s,s:i,s:b,s:i,s:i}", "name", table_names[i], "calls", 0,
		                        "has_access", 1, "path_based", 0, "fd_based", 0);
		/* none classified: 0 when the capture saw every request */
		json_object_set_new(row, "via_ring",
		                    ring_counts_known(model) ? json_integer(0) : na());
		json_object_set_new(sc, table_names[i], row);
	}
	set_bool(flags, "has_metadata_calls", size_at(by_cat, "metadata") > 0);
	set_bool(flags, "has_open_calls", size_at(by_cat, "open") > 0);
	set_bool(flags, "has_file_io_calls", size_at(by_cat, "file_io") > 0);
	json_object_set_new(flags, "syscall_names",
	                    json_integer((json_int_t)json_object_size(syscalls)));
	json_object_set_new(view, "sc", sc);
	json_object_set_new(view, "by_category", by_cat);

	/* The inventory table shows each syscall's startup and copy-phase calls. */
	json_t *vlist = json_object_get(view, "syscall_list");
	for (size_t i = 0; i < json_array_size(vlist); i++) {
		json_t *row = json_array_get(vlist, i);
		json_t *m =
		    json_object_get(syscalls, str_at(row, "name") ? str_at(row, "name") : "");
		json_t *st = json_object_get(m, "startup_calls"),
		       *cp = copy_figure(model, m, "copy_calls", "calls");
		if (!has_anchor(model) && json_is_integer(st))
			json_object_set_new(row, "startup_calls", json_integer(0));
		else
			json_object_set_new(row, "startup_calls", display_copy(st));
		json_object_set_new(row, "copy_calls", display_copy(cp));
	}
	/* the access table: how many of each came through the ring */
	json_t *alist = json_object_get(view, "access_list");
	for (size_t i = 0; i < json_array_size(alist); i++) {
		json_t *row = json_array_get(alist, i);
		const char *name = str_at(row, "name");
		json_object_set_new(
		    row, "via_ring",
		    ring_count(model, json_object_get(access, name ? name : ""), "via_ring"));
	}
	json_t *cats = json_object_get(view, "categories");
	for (size_t i = 0; i < json_array_size(cats); i++)
		mark_first(json_object_get(json_array_get(cats, i), "syscalls"));
}

/* "ENOENT × 4, EEXIST × 1" as a list for the template, and the total. */
static json_t *failures(json_t *failed, json_int_t *total)
{
	json_t *list = json_array();
	const char *k;
	json_t *v;
	*total = 0;
	json_object_foreach(failed, k, v)
	{
		if (!json_is_integer(v) || json_integer_value(v) <= 0)
			continue;
		*total += json_integer_value(v);
		json_array_append_new(
		    list, json_pack("{s:s,s:I}", "name", k, "count", json_integer_value(v)));
	}
	mark_first(list);
	return list;
}

/* view.io_uring.ops_rows: one row per opcode, its count (as ops_list has
 * it) and, from ops_detail, failures by errno, async punts and latency. */
static void build_ops_rows(json_t *vu, json_t *mu, json_t *flags)
{
	json_t *list = json_object_get(mu, "ops_list"), *detail = json_object_get(mu, "ops_detail");
	json_t *rows = json_array();
	set_bool(flags, "has_ops_detail", json_is_object(detail) && json_object_size(detail) > 0);
	for (size_t i = 0; i < json_array_size(list); i++) {
		json_t *item = json_array_get(list, i);
		const char *op = str_at(item, "op");
		if (op)
			json_array_append_new(
			    rows, json_pack("{s:s,s:o}", "op", op, "count",
			                    display_copy(json_object_get(item, "count"))));
	}
	/* an opcode only ops_detail has */
	const char *k;
	json_t *d;
	json_object_foreach(detail, k, d)
	{
		bool listed = false;
		for (size_t i = 0; i < json_array_size(list) && !listed; i++) {
			const char *op = str_at(json_array_get(list, i), "op");
			listed = op && !strcmp(op, k);
		}
		if (!listed)
			json_array_append_new(rows,
			                      json_pack("{s:s,s:o}", "op", k, "count",
			                                display_copy(json_object_get(d, "count"))));
	}
	for (size_t i = 0; i < json_array_size(rows); i++) {
		json_t *r = json_array_get(rows, i);
		d = json_object_get(detail, str_at(r, "op"));
		json_int_t total = 0;
		json_t *fl = failures(json_object_get(d, "failed"), &total);
		json_object_set_new(r, "failed", json_is_object(d) ? json_integer(total) : na());
		set_bool(r, "has_failures", json_array_size(fl) > 0);
		json_object_set_new(r, "failures", fl);
		json_object_set_new(r, "async_punts",
		                    display_copy(json_object_get(d, "async_punts")));
		json_t *lat = json_object_get(d, "latency_us");
		json_object_set_new(r, "p50", display_copy(json_object_get(lat, "p50")));
		json_object_set_new(r, "p99", display_copy(json_object_get(lat, "p99")));
		json_object_set_new(r, "max", display_copy(json_object_get(lat, "max")));
	}
	json_object_set_new(vu, "ops_rows", rows);
}

static void build_io_uring(json_t *view, json_t *model, json_t *flags)
{
	json_t *vu = json_object_get(view, "io_uring");
	json_t *mu = json_object_get(model, "io_uring");
	set_bool(flags, "has_uring", int_at(mu, "setup") > 0 || int_at(mu, "enter") > 0);
	set_bool(flags, "has_sqpoll", int_at(mu, "sqpoll_rings") > 0);
	set_bool(flags, "has_ops", size_at(mu, "ops_list") > 0);
	/* the tracepoints were read and saw no request: zero is known here */
	set_bool(flags, "ops_traced_none",
	         size_at(mu, "ops_list") == 0 && str_at(mu, "ops_source") != NULL);
	if (!json_is_object(vu))
		return;

	json_t *hist = json_object_get(vu, "batch_histogram_list");
	json_t *mhist = json_object_get(mu, "batch_histogram_list");
	double max = 0;
	for (size_t i = 0; i < json_array_size(mhist); i++)
		max = fmax(max, (double)int_at(json_array_get(mhist, i), "count"));
	for (size_t i = 0; i < json_array_size(hist) && i < json_array_size(mhist); i++)
		json_object_set_new(
		    json_array_get(hist, i), "bar",
		    bar((double)int_at(json_array_get(mhist, i), "count"), max, BAR_WIDTH));

	json_t *errors = json_object_get(mu, "errors"), *elist = json_array();
	const char *k;
	json_t *v;
	json_object_foreach(errors, k, v)
	{
		json_t *e = json_object();
		json_object_set_new(e, "name", json_string(k));
		json_object_set_new(e, "count", display_copy(v));
		json_array_append_new(elist, e);
	}
	mark_first(elist);
	set_bool(flags, "has_uring_errors", json_array_size(elist) > 0);
	json_object_set_new(vu, "errors_list", elist);
	build_ops_rows(vu, mu, flags);
}

/* How the ring's requests were seen: flags.ring_capture_bpf / _counts /
 * _none (a model without io_uring.ring_ops: counts when the tracepoints
 * counted opcodes, else none), and view.ring_reason. */
static void build_ring_capture(json_t *view, json_t *model, json_t *flags)
{
	json_t *mu = json_object_get(model, "io_uring");
	json_t *ro = json_object_get(mu, "ring_ops");
	bool have = json_is_object(ro), uses = uses_uring(model);
	const char *cap = str_at(ro, "capture");
	if (!have)
		cap = str_at(mu, "ops_source") ? "counts" : "none";
	else if (!cap)
		cap = "none";
	bool bpf = uses && !strcmp(cap, "bpf"), counts = uses && !strcmp(cap, "counts");
	set_bool(flags, "ring_capture_bpf", bpf);
	set_bool(flags, "ring_capture_counts", counts);
	set_bool(flags, "ring_capture_none", uses && !bpf && !counts);
	set_bool(flags, "has_ring_state", uses);
	set_bool(flags, "ring_unclassified_known",
	         json_is_integer(json_object_get(ro, "unclassified_path_ops")));
	set_bool(flags, "ring_lost", int_at(ro, "lost") > 0);
	set_bool(flags, "ring_unattributed_fixed", int_at(ro, "unattributed_fixed") > 0);
	const char *reason = have ? str_at(ro, "reason") : str_at(mu, "ops_reason");
	if (reason)
		json_object_set_new(view, "ring_reason", json_string(reason));
	set_bool(flags, "has_ring_reason", reason != NULL);
	json_t *sc = json_object_get(model, "scores");
	set_bool(flags, "security_incomplete",
	         json_is_false(json_object_get(sc, "security_complete")));
}

/* What a file's bar shows: its logical syscalls (direct and through the
 * ring) when the model has them, else its direct syscalls. */
static double file_cost(json_t *model, json_t *f)
{
	json_t *l = ring_counts_known(model) ? json_object_get(f, "logical") : NULL;
	return (double)(json_is_integer(l) ? json_integer_value(l) : int_at(f, "syscalls"));
}


/* The first PAIRS_SHOWN_MAX rows of ROWS for a table (display copies);
 * flags.HAS: any row at all, flags.HIDDEN: how many are left out. */
static json_t *shown_rows(json_t *rows, json_t *flags, const char *has, const char *hidden)
{
	json_t *shown = json_array();
	size_t n = json_array_size(rows);
	for (size_t i = 0; i < n && i < PAIRS_SHOWN_MAX; i++)
		json_array_append_new(shown, display_copy(json_array_get(rows, i)));
	set_bool(flags, has, n > 0);
	json_object_set_new(flags, hidden,
	                    json_integer(n > PAIRS_SHOWN_MAX ? (json_int_t)(n - PAIRS_SHOWN_MAX) : 0));
	return shown;
}
static void build_files(json_t *view, json_t *model, json_t *flags)
{
	json_t *files = json_object_get(model, "files"), *shown = json_array();
	double max = 0;
	for (size_t i = 0; i < json_array_size(files); i++)
		max = fmax(max, file_cost(model, json_array_get(files, i)));
	for (size_t i = 0; i < json_array_size(files) && i < FILES_SHOWN_MAX; i++) {
		json_t *mf = json_array_get(files, i);
		json_t *row = display_copy(mf);
		if (!json_is_object(row)) {
			json_decref(row);
			continue;
		}
		json_object_set_new(row, "bar", bar(file_cost(model, mf), max, BAR_WIDTH / 2));
		/* direct syscalls, ring operations, both: the model's figures; a
		 * trace without io_uring has no ring operations to count */
		json_object_set_new(row, "ring_ops", ring_count(model, mf, "ring_ops"));
		json_t *logical = json_object_get(mf, "logical");
		json_object_set_new(row, "logical",
		                    !ring_counts_known(model)  ? na()
		                    : json_is_integer(logical) ? json_deep_copy(logical)
		                    : uses_uring(model)        ? na()
		                    : json_object_get(mf, "syscalls")
		                        ? display_copy(json_object_get(mf, "syscalls"))
		                        : na());
		json_array_append_new(shown, row);
	}
	size_t n = json_array_size(files);
	json_object_set_new(view, "files_shown", shown);
	set_bool(flags, "has_files", n > 0);
	json_object_set_new(
	    flags, "files_hidden",
	    json_integer(n > FILES_SHOWN_MAX ? (json_int_t)(n - FILES_SHOWN_MAX) : 0));
	set_bool(flags, "has_outliers", size_at(model, "files_summary.outliers") > 0);
	set_bool(flags, "no_file_attributed",
	         n > 0 && json_is_integer(path_get(model, "files_summary.attributed")) &&
	             int_at(model, "files_summary.attributed") == 0);

	json_object_set_new(view, "toctou_pairs_shown",
	                    shown_rows(path_get(model, "toctou.pairs"), flags, "has_toctou_pairs",
	                               "toctou_pairs_hidden"));
	json_t *xshown = shown_rows(path_get(model, "toctou.excluded.pairs"), flags,
	                            "has_excluded_pairs", "excluded_pairs_hidden");
	for (size_t i = 0; i < json_array_size(xshown); i++) {
		json_t *row = json_array_get(xshown, i);
		const char *why = json_string_value(json_object_get(row, "reason"));
		set_bool(row, "outside_trees", why && !strcmp(why, "outside_trees"));
		set_bool(row, "startup", why && !strcmp(why, "startup"));
		set_bool(row, "failed", why && !strcmp(why, "failed"));
	}
	json_object_set_new(view, "toctou_excluded_shown", xshown);
	set_bool(flags, "excluded_not_listed",
	         json_is_integer(path_get(model, "toctou.excluded.listed")) &&
	             int_at(model, "toctou.excluded.listed") <
	                 int_at(model, "toctou.excluded.count"));
	/* the check and use syscalls the rule is stated with (the table's roles) */
	static const char *const roles[][2] = {{"toctou.check_syscalls", "toctou_checks"},
	                                       {"toctou.use_syscalls", "toctou_uses"}};
	for (size_t r = 0; r < sizeof(roles) / sizeof(roles[0]); r++) {
		json_t *names = path_get(model, roles[r][0]), *list = json_array();
		size_t nn = json_array_size(names);
		for (size_t i = 0; i < nn; i++)
			json_array_append_new(list, json_pack("{s:O,s:b}", "name",
			                                      json_array_get(names, i), "more",
			                                      i + 1 < nn));
		json_object_set_new(view, roles[r][1], list);
	}
	set_bool(flags, "has_toctou_roles",
	         json_array_size(path_get(model, "toctou.check_syscalls")) > 0);
}

static void build_io_and_metadata(json_t *view, json_t *model, json_t *flags)
{
	json_t *dio = json_object_get(model, "direct_io"), *list = json_array();
	const char *k;
	json_t *v;
	json_object_foreach(dio, k, v)
	{
		json_t *row = display_copy(v);
		if (!json_is_object(row)) {
			json_decref(row);
			continue;
		}
		json_object_set_new(row, "name", json_string(k));
		const char *kind = json_string_value(json_object_get(v, "kind"));
		set_bool(row, "in_kernel_copy", kind && !strcmp(kind, "in_kernel_copy"));
		set_bool(row, "user_buffer", kind && !strcmp(kind, "user_buffer"));
		json_array_append_new(list, row);
	}
	set_bool(flags, "has_direct_io", json_array_size(list) > 0);
	json_t *kn = json_object_get(model, "in_kernel_copy_syscalls"), *kl = json_array();
	for (size_t i = 0; i < json_array_size(kn); i++)
		json_array_append_new(kl, json_pack("{s:O,s:b}", "name", json_array_get(kn, i),
		                                    "more", i + 1 < json_array_size(kn)));
	json_object_set_new(view, "in_kernel_copy_names", kl);
	set_bool(flags, "has_kernel_copies",
	         json_is_integer(path_get(model, "direct_io_totals.kernel_copy_calls")) &&
	             int_at(model, "direct_io_totals.kernel_copy_calls") > 0);
	json_object_set_new(view, "direct_io_list", list);
	set_bool(flags, "has_data_calls", int_at(model, "direct_io_totals.data_calls") > 0);

	/* fd_based_share is a fraction (0..1); the report shows a percentage. */
	double share = 0;
	json_t *vm = json_object_get(view, "metadata");
	if (json_is_object(vm)) {
		bool known = report_number(path_get(model, "metadata.fd_based_share"), &share);
		set_real_text(vm, "fd_based_percent", known, share * 100.0);
	}

	/* A copy reads every directory of the dataset and its root. */
	json_t *trav = json_object();
	json_t *dirs = path_get(model, "header.dataset.dirs");
	json_t *gd = path_get(model, "syscalls.getdents64.calls");
	bool dirs_known = json_is_integer(dirs) && json_integer_value(dirs) >= 0;
	long long read_dirs = dirs_known ? json_integer_value(dirs) + 1 : 0;
	if (dirs_known)
		json_object_set_new(trav, "dirs_with_root", json_integer(read_dirs));
	else
		json_object_set_new(trav, "dirs_with_root", na());
	set_real_text(trav, "getdents_per_dir", dirs_known,
	              dirs_known ? (double)(json_is_integer(gd) ? json_integer_value(gd) : 0) /
	                               (double)read_dirs
	                         : 0);
	json_object_set_new(view, "traversal", trav);

	json_t *ml = json_object_get(model, "legacy"), *vl = json_object_get(view, "legacy");
	for (size_t i = 0; i < json_array_size(ml) && i < json_array_size(vl); i++)
		json_object_set_new(
		    json_array_get(vl, i), "copy_calls",
		    display_copy(copy_figure(model, json_array_get(ml, i), "copy_calls", "calls")));
	json_t *cdc = copy_figure(model, json_object_get(model, "direct_io_totals"),
	                          "copy_data_calls", "data_calls");
	json_object_set_new(view, "copy_data_calls", display_copy(cdc));
	json_t *ckc = copy_figure(model, json_object_get(model, "direct_io_totals"),
	                          "copy_kernel_copy_calls", "kernel_copy_calls");
	json_object_set_new(view, "copy_kernel_copy_calls", display_copy(ckc));
}

static void build_recommendations(json_t *view, json_t *model, json_t *flags)
{
	json_t *vr = json_object_get(view, "recommendations");
	json_t *mr = json_object_get(model, "recommendations");
	set_bool(flags, "has_recommendations", json_array_size(mr) > 0);
	for (size_t i = 0; i < json_array_size(vr); i++) {
		json_t *calls = json_object_get(json_array_get(mr, i), "calls");
		json_t *list = json_array();
		for (size_t j = 0; j < json_array_size(calls); j++) {
			json_t *c = json_object();
			json_object_set_new(c, "name", display_copy(json_array_get(calls, j)));
			json_array_append_new(list, c);
		}
		mark_first(list);
		set_bool(json_array_get(vr, i), "has_calls", json_array_size(list) > 0);
		json_object_set_new(json_array_get(vr, i), "call_list", list);
		json_t *mch = json_object_get(json_array_get(mr, i), "changes");
		json_t *vch = json_object_get(json_array_get(vr, i), "changes");
		set_bool(json_array_get(vr, i), "has_changes", json_array_size(mch) > 0);
		for (size_t j = 0; j < json_array_size(vch); j++) {
			json_t *count = json_object_get(json_array_get(mch, j), "count");
			const char *of = str_at(json_array_get(mch, j), "count_of");
			set_bool(json_array_get(vch, j), "count_known", json_is_integer(count));
			set_bool(json_array_get(vch, j), "count_pairs", of && !strcmp(of, "pairs"));
			set_bool(json_array_get(vch, j), "count_one",
			         json_is_integer(count) && json_integer_value(count) == 1);
		}
	}
}

/* The baseline entry (compare_baseline_entry) carries its own comparison
 * with display texts; the view only says whether they are there. */
static void build_baseline(json_t *model, json_t *flags)
{
	json_t *base = json_object_get(model, "baseline");
	set_bool(flags, "has_baseline", json_is_object(base));
	set_bool(flags, "has_comparison", json_is_object(json_object_get(base, "comparison")));
}

/* "1 directory", "2 directories": the dataset's counts as words. */
static json_t *counted(json_t *n, const char *one, const char *many)
{
	if (!json_is_integer(n))
		return json_string("n/a");
	json_int_t v = json_integer_value(n);
	return json_sprintf("%lld %s", (long long)v, v == 1 ? one : many);
}

static void build_counts(json_t *view, json_t *model)
{
	json_t *ds = path_get(model, "header.dataset");
	json_object_set_new(
	    view, "counts",
	    json_pack(
	        "{s:o,s:o,s:o,s:o}", "files",
	        counted(json_object_get(ds, "files"), "regular file", "regular files"), "dirs",
	        counted(json_object_get(ds, "dirs"), "directory", "directories"), "symlinks",
	        counted(json_object_get(ds, "symlinks"), "symlink", "symlinks"), "hardlink_groups",
	        counted(json_object_get(ds, "hardlinks"), "hardlink group", "hardlink groups")));
}

json_t *report_view_new(json_t *model)
{
	if (!json_is_object(model))
		return NULL;
	json_t *view = display_copy(model);
	json_t *flags = json_object();
	if (!view || !flags) {
		json_decref(view);
		json_decref(flags);
		return NULL;
	}
	const char *mode = str_at(model, "header.mode");
	const char *verdict = str_at(model, "verdict");
	const char *kind = str_at(model, "header.dataset.kind");
	const char *command = str_at(model, "header.command");
	size_t failed = size_at(model, "checks_failed"), warned = size_at(model, "checks_warned");

	set_bool(flags, "run_mode", mode && strcmp(mode, "run") == 0);
	set_bool(flags, "trace_mode", !mode || strcmp(mode, "run") != 0);
	set_bool(flags, "has_command", command && *command);
	set_bool(flags, "has_copier_version", str_at(model, "header.copier_version") != NULL);
	set_bool(flags, "has_dataset", kind && strcmp(kind, "none") != 0);
	set_bool(flags, "verdict_pass", verdict && strcmp(verdict, "PASS") == 0);
	set_bool(flags, "verdict_warn", verdict && strcmp(verdict, "WARN") == 0);
	set_bool(flags, "verdict_fail", verdict && strcmp(verdict, "FAIL") == 0);
	json_object_set_new(flags, "failed_count", json_integer((json_int_t)failed));
	json_object_set_new(flags, "warned_count", json_integer((json_int_t)warned));
	set_bool(flags, "one_failed", failed == 1);
	set_bool(flags, "one_warned", warned == 1);
	set_bool(flags, "has_access", size_at(model, "access_list") > 0);
	set_bool(flags, "has_legacy", size_at(model, "legacy") > 0);
	set_bool(flags, "has_uncategorized", size_at(model, "uncategorized") > 0);
	set_bool(flags, "has_anchor", has_anchor(model));
	set_bool(flags, "has_startup", size_at(model, "phases.startup.list") > 0);
	set_bool(flags, "verification_performed",
	         json_is_true(path_get(model, "verification.performed")));
	set_bool(flags, "verification_ok", json_is_true(path_get(model, "verification.ok")));
	set_bool(flags, "has_verified_properties", size_at(model, "verification.properties") > 0);
	set_bool(flags, "has_differences_total",
	         json_is_integer(path_get(model, "verification.differences_total")));
	set_bool(flags, "differences_hidden",
	         json_is_integer(path_get(model, "verification.differences_total")) &&
	             int_at(model, "verification.differences_total") >
	                 (long long)size_at(model, "verification.differences"));
	/* Run mode without --keep/--keep-trace: the trace went with the work directory. */
	set_bool(flags, "trace_removed",
	         mode && strcmp(mode, "run") == 0 &&
	             json_is_false(path_get(model, "header.trace_kept")));

	set_bool(flags, "pairs_not_listed",
	         json_is_integer(path_get(model, "toctou.listed")) &&
	             int_at(model, "toctou.listed") < int_at(model, "toctou.pair_count"));
	json_t *inputs = path_get(model, "scores.inputs"), *ilist = json_array();
	const char *k;
	json_t *v;
	json_object_foreach(inputs, k, v)
	{
		json_t *row = json_object();
		json_object_set_new(row, "name", json_string(k));
		json_object_set_new(row, "value", display_copy(v));
		json_array_append_new(ilist, row);
	}
	set_bool(flags, "has_score_inputs", json_array_size(ilist) > 0);
	json_object_set_new(view, "scores_inputs", ilist);

	json_int_t unverified = 0;
	for (size_t i = 0;
	     i < size_at(model, "checks") && json_is_array(json_object_get(model, "checks")); i++)
		unverified += json_is_false(json_object_get(
		    json_array_get(json_object_get(model, "checks"), i), "complete"));
	json_object_set_new(flags, "unverified_count", json_integer(unverified));
	augment_checks(view, model, "checks");
	augment_checks(view, model, "checks_failed");
	augment_checks(view, model, "checks_warned");
	build_syscall_rows(view, model, flags);
	build_io_uring(view, model, flags);
	build_ring_capture(view, model, flags);
	build_files(view, model, flags);
	build_io_and_metadata(view, model, flags);
	build_recommendations(view, model, flags);
	build_baseline(model, flags);
	build_counts(view, model);
	set_bool(flags, "files_unknown", !json_is_number(path_get(model, "basis.files")));
	set_bool(flags, "mib_unknown", !json_is_number(path_get(model, "basis.mib")));
	json_object_set_new(view, "flags", flags);
	return view;
}
