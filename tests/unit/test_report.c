/* test_report: the report rendered from sample models.
 *
 * Tables are parsed with cmark-gfm and must be well formed in the source
 * (every row as many cells as the header, no row fallen out of its table);
 * a figure shown in several tables must equal the model's; template errors
 * name file and line; --templates replaces one partial and keeps the rest;
 * the HTML page is standalone; the terminal summary colours only on request. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"
#include "report_view.h"

static const char *const MODELS[] = {"arsync-pass",  "cp-a-warn",       "trace-mode",
                                     "corrupt-fail", "real-run-arsync", "real-run-cp-a"};
#define N_MODELS (sizeof MODELS / sizeof MODELS[0])

static json_t *load_model(const char *name)
{
	const char *dir = getenv("FIXTURES") ? getenv("FIXTURES") : "fixtures";
	char path[1024];
	snprintf(path, sizeof path, "%s/models/%s.json", dir, name);
	json_error_t je;
	json_t *m = json_load_file(path, 0, &je);
	if (!m)
		fail_msg("cannot load %s: line %d: %s", path, je.line, je.text);
	return m;
}

static char *render_or_fail(json_t *model, const char *dir)
{
	char err[2048] = "";
	char *md = report_markdown(model, dir, err, sizeof err);
	if (!md)
		fail_msg("report_markdown: %s", err);
	return md;
}

/* ---- tables ---------------------------------------------------------- */

#define MAX_COLS 16
#define MAX_ROWS 600

struct table {
	int ncols, nrows; /* rows include the header (row 0) */
	char *cell[MAX_ROWS][MAX_COLS];
};

struct tables {
	struct table *t;
	size_t n;
};

/* Text of a node: its text, code and inline HTML literals, concatenated. */
static void node_text(cmark_node *node, char *out, size_t size)
{
	out[0] = 0;
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type ty = cmark_node_get_type(n);
		if (ev == CMARK_EVENT_ENTER && (ty == CMARK_NODE_TEXT || ty == CMARK_NODE_CODE))
			strncat(out, cmark_node_get_literal(n), size - strlen(out) - 1);
	}
	cmark_iter_free(it);
}

/* Cells of source line LINE by GFM's rule: split at pipes not escaped by a backslash. */
static int source_cells(const char *line, size_t len)
{
	size_t a = 0, b = len;
	while (a < b && (line[a] == ' ' || line[a] == '\t'))
		a++;
	while (b > a && (line[b - 1] == ' ' || line[b - 1] == '\t' || line[b - 1] == '\r'))
		b--;
	int pipes = 0;
	for (size_t i = a; i < b; i++) {
		if (line[i] == '\\') {
			i++;
			continue;
		}
		pipes += line[i] == '|';
	}
	int cells = pipes + 1;
	if (b > a && line[a] == '|')
		cells--;
	if (b > a + 1 && line[b - 1] == '|' && line[b - 2] != '\\')
		cells--;
	return cells;
}

static const char *line_at(const char *md, int line, size_t *len)
{
	const char *p = md;
	for (int i = 1; i < line && p; i++) {
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	if (!p)
		return NULL;
	*len = strcspn(p, "\n");
	return p;
}

/* Parses MD with the table extension; checks every table's source rows
 * have the header's cell count and collects the cell texts. */
static struct tables parse_tables(const char *md, const char *what)
{
	struct tables ts = {0};
	cmark_gfm_core_extensions_ensure_registered();
	cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT);
	cmark_parser_attach_syntax_extension(p, cmark_find_syntax_extension("table"));
	cmark_parser_feed(p, md, strlen(md));
	cmark_node *doc = cmark_parser_finish(p);
	char *in_table = calloc(strlen(md) + 2, 1); /* lines covered by a table */
	assert_non_null(in_table);

	for (cmark_node *b = cmark_node_first_child(doc); b; b = cmark_node_next(b)) {
		cmark_node *tables_here[64];
		int nh = 0;
		/* tables are blocks at the top level or inside <details>-free lists */
		if (strcmp(cmark_node_get_type_string(b), "table") == 0)
			tables_here[nh++] = b;
		for (int k = 0; k < nh; k++) {
			cmark_node *tn = tables_here[k];
			ts.t = realloc(ts.t, (ts.n + 1) * sizeof *ts.t);
			assert_non_null(ts.t);
			struct table *t = &ts.t[ts.n++];
			memset(t, 0, sizeof *t);
			t->ncols = cmark_gfm_extensions_get_table_columns(tn);
			int first = cmark_node_get_start_line(tn),
			    last = cmark_node_get_end_line(tn);
			for (int l = first; l <= last; l++)
				in_table[l] = 1;
			int rows_in_ast = 0;
			for (cmark_node *r = cmark_node_first_child(tn); r;
			     r = cmark_node_next(r)) {
				int line = cmark_node_get_start_line(r);
				size_t len = 0;
				const char *src = line_at(md, line, &len);
				assert_non_null(src);
				int cells = source_cells(src, len);
				if (cells != t->ncols)
					fail_msg("%s: table row at line %d has %d cells, header "
					         "has %d: %.*s",
					         what, line, cells, t->ncols, (int)len, src);
				int c = 0;
				for (cmark_node *cell = cmark_node_first_child(r);
				     cell && c < MAX_COLS; cell = cmark_node_next(cell), c++) {
					char buf[4096];
					node_text(cell, buf, sizeof buf);
					if (t->nrows < MAX_ROWS)
						t->cell[t->nrows][c] = strdup(buf);
				}
				if (t->nrows < MAX_ROWS)
					t->nrows++;
				rows_in_ast++;
			}
			/* header + delimiter + rows: every source line of the table is a row */
			if (last - first + 1 != rows_in_ast + 1)
				fail_msg("%s: table at lines %d-%d has %d rows in %d lines", what,
				         first, last, rows_in_ast, last - first + 1);
		}
	}
	/* A line that looks like a table row but is in no table is a broken table. */
	int line = 1;
	for (const char *p2 = md; *p2; line++) {
		size_t len = strcspn(p2, "\n");
		if (len > 0 && p2[0] == '|' && !in_table[line])
			fail_msg("%s: line %d looks like a table row but is not in a table: %.*s",
			         what, line, (int)len, p2);
		p2 += len + (p2[len] == '\n');
	}
	free(in_table);
	cmark_node_free(doc);
	cmark_parser_free(p);
	return ts;
}

static void free_tables(struct tables *ts)
{
	for (size_t i = 0; i < ts->n; i++)
		for (int r = 0; r < ts->t[i].nrows; r++)
			for (int c = 0; c < MAX_COLS; c++)
				free(ts->t[i].cell[r][c]);
	free(ts->t);
}

static int column(const struct table *t, const char *header)
{
	for (int c = 0; c < t->ncols; c++)
		if (t->cell[0][c] && strcmp(t->cell[0][c], header) == 0)
			return c;
	return -1;
}

/* The row of T whose first cell is FIRST, or -1. */
static int row_named(const struct table *t, const char *first)
{
	for (int r = 1; r < t->nrows; r++)
		if (t->cell[r][0] && strcmp(t->cell[r][0], first) == 0)
			return r;
	return -1;
}

static long long model_int(json_t *m, const char *a, const char *b, const char *c)
{
	json_t *v = json_object_get(m, a);
	if (b)
		v = json_object_get(v, b);
	if (c)
		v = json_object_get(v, c);
	return json_is_integer(v) ? json_integer_value(v) : -1;
}

static void expect_cell_int(const char *what, const char *cell, long long want)
{
	char *end;
	long long got = strtoll(cell, &end, 10);
	if (end == cell || got != want)
		fail_msg("%s: report shows '%s', model has %lld", what, cell, want);
}

/* ---- tests ----------------------------------------------------------- */

/* The model's integer at O.KEY, or -1. */
static long long int_in(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_integer(v) ? json_integer_value(v) : -1;
}

/* A cell showing an integer figure, or n/a when the model has none. */
static void expect_cell_figure(const char *what, const char *cell, json_t *v)
{
	if (json_is_integer(v))
		expect_cell_int(what, cell, json_integer_value(v));
	else if (strcmp(cell, "n/a") != 0)
		fail_msg("%s: report shows '%s', the model has no figure", what, cell);
}

/* Does the trace show io_uring? */
static bool uses_ring(json_t *m)
{
	json_t *u = json_object_get(m, "io_uring");
	return int_in(u, "setup") > 0 || int_in(u, "enter") > 0 ||
	       int_in(json_object_get(u, "ring_ops"), "requests") > 0;
}

/* Counts of ring operations are known without io_uring (0) and with the
 * BPF capture of their arguments; otherwise the report shows n/a. */
static bool ring_counts_known(json_t *m)
{
	json_t *ro = json_object_get(json_object_get(m, "io_uring"), "ring_ops");
	const char *cap = json_string_value(json_object_get(ro, "capture"));
	return !uses_ring(m) || (cap && !strcmp(cap, "bpf"));
}

/* The io_uring operations table: per opcode, the count of io_uring.ops
 * (and ops_detail), failures, async punts and latency of ops_detail.
 * Returns the rows compared. */
static int check_ops_table(json_t *m, const struct table *t, const char *name)
{
	if (column(t, "Opcode") != 0)
		return 0;
	json_t *u = json_object_get(m, "io_uring");
	json_t *ops = json_object_get(u, "ops"), *detail = json_object_get(u, "ops_detail");
	int cr = column(t, "Requests"), cf = column(t, "Failed"), ca = column(t, "Async punts");
	int cp50 = column(t, "Latency p50 (\u00b5s)"), cmax = column(t, "Latency max (\u00b5s)");
	int ce = column(t, "Failures by errno");
	assert_true(cr > 0);
	if (json_object_size(detail) > 0)
		assert_true(cf > 0 && ca > 0 && cp50 > 0 && cmax > 0 && ce > 0);
	int n = 0;
	for (int r = 1; r < t->nrows; r++) {
		const char *op = t->cell[r][0];
		char what[300];
		snprintf(what, sizeof what, "%s: %s requests", name, op);
		expect_cell_int(what, t->cell[r][cr], int_in(ops, op));
		json_t *d = json_object_get(detail, op);
		if (d)
			expect_cell_int(what, t->cell[r][cr], int_in(d, "count"));
		n += json_is_integer(json_object_get(ops, op));
		if (cf < 0 || !d)
			continue;
		long long failed = 0;
		const char *k;
		json_t *v;
		json_object_foreach(json_object_get(d, "failed"), k, v)
		{
			char part[128];
			failed += json_integer_value(v);
			snprintf(part, sizeof part, "%s \u00d7 %lld", k,
			         (long long)json_integer_value(v));
			if (json_integer_value(v) > 0 && !strstr(t->cell[r][ce], part))
				fail_msg("%s: %s failures '%s' lack '%s'", name, op, t->cell[r][ce],
				         part);
		}
		snprintf(what, sizeof what, "%s: %s failed", name, op);
		expect_cell_int(what, t->cell[r][cf], failed);
		snprintf(what, sizeof what, "%s: %s async punts", name, op);
		expect_cell_figure(what, t->cell[r][ca], json_object_get(d, "async_punts"));
		json_t *lat = json_object_get(d, "latency_us");
		char want[64];
		if (json_is_number(json_object_get(lat, "p50"))) {
			report_format_real(json_number_value(json_object_get(lat, "p50")), want,
			                   sizeof want);
			if (strcmp(t->cell[r][cp50], want))
				fail_msg("%s: %s p50 '%s', want '%s'", name, op, t->cell[r][cp50],
				         want);
		}
		if (json_is_number(json_object_get(lat, "max"))) {
			report_format_real(json_number_value(json_object_get(lat, "max")), want,
			                   sizeof want);
			if (strcmp(t->cell[r][cmax], want))
				fail_msg("%s: %s max '%s', want '%s'", name, op, t->cell[r][cmax],
				         want);
		}
	}
	return n;
}

/* The per-file table: direct syscalls, ring operations and both, as
 * files[] has them (ring operations 0 for a trace without io_uring, n/a
 * when the trace shows io_uring but their arguments were not captured). */
static int check_files_table(json_t *m, const struct table *t, const char *name)
{
	if (column(t, "File") != 0 || column(t, "Direct syscalls") < 0)
		return 0;
	int cd = column(t, "Direct syscalls"), cr = column(t, "Ring operations"),
	    cl = column(t, "Logical (both)");
	assert_true(cr > 0 && cl > 0);
	json_t *files = json_object_get(m, "files");
	bool known = ring_counts_known(m);
	int n = 0;
	for (int r = 1; r < t->nrows && (size_t)(r - 1) < json_array_size(files); r++) {
		json_t *f = json_array_get(files, (size_t)(r - 1));
		char what[300];
		snprintf(what, sizeof what, "%s: file %s", name, t->cell[r][0]);
		if (strcmp(t->cell[r][0], json_string_value(json_object_get(f, "path")) ?: "") != 0)
			fail_msg("%s: row %d is %s, files[%d] is another", name, r, t->cell[r][0],
			         r - 1);
		expect_cell_int(what, t->cell[r][cd], int_in(f, "syscalls"));
		json_t *ring = json_object_get(f, "ring_ops"),
		       *logical = json_object_get(f, "logical");
		if (!known) {
			/* ring counts without the capture are unknown, whatever the model says */
			expect_cell_figure(what, t->cell[r][cr], NULL);
			expect_cell_figure(what, t->cell[r][cl], NULL);
		} else if (!ring && !uses_ring(m)) {
			expect_cell_int(what, t->cell[r][cr], 0);
			expect_cell_int(what, t->cell[r][cl], int_in(f, "syscalls"));
		} else {
			expect_cell_figure(what, t->cell[r][cr], ring);
			expect_cell_figure(what, t->cell[r][cl], logical);
		}
		n++;
	}
	return n;
}

/* "Through io_uring" columns: access.NAME.via_ring. */
static int check_via_ring(json_t *m, const struct table *t, const char *name)
{
	int cv = column(t, "Through io_uring");
	if (cv < 0 || column(t, "Syscall") != 0)
		return 0;
	int n = 0;
	for (int r = 1; r < t->nrows; r++) {
		if (!strcmp(t->cell[r][cv], "\u2013"))
			continue;
		json_t *acc = json_object_get(json_object_get(m, "access"), t->cell[r][0]);
		json_t *v = json_object_get(acc, "via_ring");
		char what[300];
		snprintf(what, sizeof what, "%s: %s through io_uring", name, t->cell[r][0]);
		if (!ring_counts_known(m))
			expect_cell_figure(what, t->cell[r][cv], NULL);
		else if (!v && (!uses_ring(m) || !acc))
			/* no io_uring, or a call neither made directly nor
			 * classified in the captured ring: none */
			expect_cell_int(what, t->cell[r][cv], 0);
		else
			expect_cell_figure(what, t->cell[r][cv], v);
		n++;
	}
	return n;
}

/* Renders M and checks its tables: well formed, and every figure shown
 * equal to the model's (NAME in messages). */
static void check_figures(json_t *m, const char *name)
{
	char *md = render_or_fail(m, NULL);
	struct tables ts = parse_tables(md, name);
	assert_true(ts.n >= 15);
	json_t *syscalls = json_object_get(m, "syscalls");
	json_t *access = json_object_get(m, "access");
	int compared_calls = 0, compared_access = 0, inventory = 0, enter_seen = 0;
	int compared_copy = 0, compared_ops = 0, compared_files = 0, compared_via_ring = 0;
	/* without the start of a copy phase, the whole trace is the copy phase */
	bool anchor = json_is_string(json_object_get(json_object_get(m, "phases"), "anchor"));
	double nfiles = 0;
	json_t *bf = json_object_get(json_object_get(m, "basis"), "files");
	if (json_is_number(bf))
		nfiles = json_number_value(bf);

	for (size_t k = 0; k < ts.n; k++) {
		struct table *t = &ts.t[k];
		int cs = column(t, "Syscall"), cc = column(t, "Calls");
		int cp = column(t, "Path-based"), cf = column(t, "fd-based");
		int cr = column(t, "Returned"), ce = column(t, "Errors");
		int ccp = column(t, "Copy phase"), cpf = column(t, "Per file (copy phase)");
		/* a per-file column must say which calls it divides */
		if (column(t, "Per file") >= 0)
			fail_msg("%s: table %zu has a bare 'Per file' column", name, k);
		if (cs == 0) {
			for (int r = 1; r < t->nrows; r++) {
				const char *name = t->cell[r][0];
				json_t *sc = json_object_get(syscalls, name);
				char what[256];
				if (cc >= 0) {
					snprintf(what, sizeof what, "%s: %s calls (table %zu)",
					         name, name, k);
					expect_cell_int(what, t->cell[r][cc],
					                sc ? model_int(sc, "calls", NULL, NULL)
					                   : 0);
					compared_calls++;
					if (strcmp(name, "io_uring_enter") == 0)
						enter_seen++;
				}
				if (cr >= 0 && sc) {
					inventory++;
					snprintf(what, sizeof what, "%s: %s returned", name, name);
					expect_cell_int(what, t->cell[r][cr],
					                model_int(sc, "returned", NULL, NULL));
				}
				if (ce >= 0 && sc) {
					snprintf(what, sizeof what, "%s: %s errors", name, name);
					expect_cell_int(what, t->cell[r][ce],
					                model_int(sc, "errors", NULL, NULL));
				}
				if (ccp >= 0 && sc) {
					long long want =
					    anchor ? model_int(sc, "copy_calls", NULL, NULL) : -1;
					if (want < 0)
						want = model_int(sc, "calls", NULL, NULL);
					snprintf(what, sizeof what, "%s: %s copy-phase calls", name,
					         name);
					expect_cell_int(what, t->cell[r][ccp], want);
					compared_copy++;
					if (cpf >= 0 && nfiles > 0) {
						char pf[64];
						report_format_real((double)want / nfiles, pf,
						                   sizeof pf);
						if (strcmp(t->cell[r][cpf], pf) != 0)
							fail_msg("%s: %s per file (copy phase) "
							         "'%s', want '%s'",
							         name, name, t->cell[r][cpf], pf);
					}
				}
				json_t *acc = json_object_get(access, name);
				if (cp >= 0 && acc && strcmp(t->cell[r][cp], "\u2013") != 0) {
					snprintf(what, sizeof what, "%s: %s path-based", name,
					         name);
					expect_cell_int(what, t->cell[r][cp],
					                model_int(acc, "path_based", NULL, NULL));
					snprintf(what, sizeof what, "%s: %s fd-based", name, name);
					expect_cell_int(what, t->cell[r][cf],
					                model_int(acc, "fd_based", NULL, NULL));
					compared_access++;
				}
			}
		}
		/* io_uring figures */
		int r = row_named(t, "io_uring_enter calls");
		if (r > 0)
			expect_cell_int("io_uring.enter", t->cell[r][1],
			                model_int(m, "io_uring", "enter", NULL)),
			    enter_seen++;
		r = row_named(t, "\u251c submitting (to_submit > 0)");
		if (r > 0)
			expect_cell_int("io_uring.submit_calls", t->cell[r][1],
			                model_int(m, "io_uring", "submit_calls", NULL));
		r = row_named(t, "\u2514 wait-only (to_submit = 0)");
		if (r > 0)
			expect_cell_int("io_uring.wait_calls", t->cell[r][1],
			                model_int(m, "io_uring", "wait_calls", NULL));
		r = row_named(t, "Events (syscalls, plus signals and exits)");
		if (r > 0)
			expect_cell_int("trace.events", t->cell[r][1],
			                model_int(m, "trace", "events", NULL));
		r = row_named(t, "Syscalls (every call, as in the inventory)");
		if (r > 0 &&
		    json_is_integer(json_object_get(json_object_get(m, "trace"), "syscalls")))
			expect_cell_int("trace.syscalls", t->cell[r][1],
			                model_int(m, "trace", "syscalls", NULL));
		compared_ops += check_ops_table(m, t, name);
		compared_files += check_files_table(m, t, name);
		compared_via_ring += check_via_ring(m, t, name);
		/* scores: the verdict table and the formulas table */
		static const char *const scores[][2] = {
		    {"Security (TOCTOU exposure)", "security"},
		    {"Security", "security"},
		    {"Efficiency (syscalls per file and per MiB, batching)", "efficiency"},
		    {"Efficiency", "efficiency"},
		    {"Overall", "overall"}};
		if (column(t, "Score") == 0)
			for (size_t s = 0; s < 5; s++)
				if ((r = row_named(t, scores[s][0])) > 0)
					expect_cell_int(scores[s][1], t->cell[r][1],
					                model_int(m, "scores", scores[s][1], NULL));
		/* each check's status */
		if (column(t, "Check") == 0 && column(t, "Status") >= 0) {
			json_t *checks = json_object_get(m, "checks");
			assert_int_equal(t->nrows - 1, (int)json_array_size(checks));
			for (size_t c = 0; c < json_array_size(checks); c++) {
				const char *st = json_string_value(
				    json_object_get(json_array_get(checks, c), "status"));
				assert_non_null(strstr(t->cell[c + 1][column(t, "Status")], st));
			}
		}
	}
	assert_true(compared_calls > 20);
	/* every opcode of io_uring.ops in the operations table */
	assert_int_equal(compared_ops, (int)json_object_size(
	                                   json_object_get(json_object_get(m, "io_uring"), "ops")));
	json_t *files = json_object_get(m, "files");
	assert_int_equal(compared_files,
	                 (int)(json_array_size(files) < 500 ? json_array_size(files) : 500));
	if (json_array_size(json_object_get(m, "access_list")) > 0)
		assert_true(compared_via_ring > 0);
	/* an incomplete security score says so wherever the score is shown */
	bool incomplete =
	    json_is_false(json_object_get(json_object_get(m, "scores"), "security_complete"));
	const char *sec_row = strstr(md, "| Security (TOCTOU exposure) | ");
	assert_non_null(sec_row);
	const char *eol = strchr(sec_row, '\n');
	bool marked = eol && memmem(sec_row, (size_t)(eol - sec_row), "(incomplete)", 12);
	if (marked != incomplete)
		fail_msg("%s: security score %s marked incomplete", name,
		         marked ? "wrongly" : "not");
	assert_true(compared_copy > 0);
	assert_true(inventory == (int)json_object_size(syscalls));
	if (json_array_size(json_object_get(m, "access_list")) > 0)
		assert_true(compared_access > 0);
	if (model_int(m, "io_uring", "enter", NULL) > 0)
		assert_true(enter_seen >= 2); /* io_uring table and inventory */

	/* verdict in the heading */
	char heading[64];
	snprintf(heading, sizeof heading, "%s\n", json_string_value(json_object_get(m, "verdict")));
	const char *h = strstr(md, "## Verdict: ");
	assert_non_null(h);
	assert_non_null(strstr(h, heading));
	/* no JSON null leaks into a table */
	for (size_t k = 0; k < ts.n; k++)
		for (int r = 0; r < ts.t[k].nrows; r++)
			for (int c = 0; c < ts.t[k].ncols; c++)
				if (ts.t[k].cell[r][c] && strcmp(ts.t[k].cell[r][c], "null") == 0)
					fail_msg("%s: a table cell reads null", name);
	free_tables(&ts);
	free(md);
}

static void test_tables_well_formed_and_figures_match(void **state)
{
	(void)state;
	const char *dir = getenv("FIXTURES") ? getenv("FIXTURES") : "fixtures";
	char pattern[1024];
	glob_t g = {0};
	snprintf(pattern, sizeof pattern, "%s/models/*.json", dir);
	int grc = glob(pattern, 0, NULL, &g);
	if (grc != 0 && grc != GLOB_NOMATCH)
		fail_msg("glob %s failed", pattern);
	/* REPORT_MODELS_DIR: more models to check, e.g. fresh ones from the analyzer */
	if (getenv("REPORT_MODELS_DIR")) {
		snprintf(pattern, sizeof pattern, "%s/*.json", getenv("REPORT_MODELS_DIR"));
		grc = glob(pattern, GLOB_APPEND, NULL, &g);
		if (grc != 0)
			fail_msg("no models in %s", pattern);
	}
	assert_true(g.gl_pathc >= N_MODELS);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *name = g.gl_pathv[i];
		json_error_t je;
		json_t *m = json_load_file(name, 0, &je);
		if (!m)
			fail_msg("cannot load %s: line %d: %s", name, je.line, je.text);
		check_figures(m, name);
		json_decref(m);
	}
	globfree(&g);
}

static void test_trace_mode_unknowns_read_na(void **state)
{
	(void)state;
	json_t *m = load_model("trace-mode");
	char *md = render_or_fail(m, NULL);
	assert_non_null(strstr(md, "| **Command** | n/a"));
	assert_non_null(strstr(md, "Not known: trace mode"));
	assert_non_null(strstr(md, "Not performed: trace mode"));
	assert_non_null(strstr(md, "No per-file figures"));
	assert_null(strstr(md, "Untraced run"));
	/* the dataset of a recorded trace is unknown (null), never 0 */
	assert_non_null(strstr(md, "| **Dataset size** | unknown"));
	assert_non_null(strstr(md, "| **Copier version** | n/a (a trace does not record it)"));
	assert_null(strstr(md, " 0 files"));
	assert_null(strstr(md, " 0 bytes"));
	free(md);
	json_decref(m);
}

/* Run mode without --keep/--keep-trace: the trace is gone, and the report
 * says so and how to keep it instead of showing a dangling path. */
static void test_removed_trace_not_shown_as_path(void **state)
{
	(void)state;
	json_t *m = load_model("real-run-cp-a");
	json_t *h = json_object_get(m, "header");
	const char *tp = json_string_value(json_object_get(h, "trace_path"));
	char row[1200];
	snprintf(row, sizeof row, "| **Trace** | `%s`", tp);
	json_object_set_new(h, "trace_kept", json_false());
	char *md = render_or_fail(m, NULL);
	assert_null(strstr(md, row));
	assert_non_null(strstr(md, "| **Trace** | removed with the work directory"));
	assert_non_null(strstr(md, "--keep-trace FILE"));
	assert_non_null(strstr(md, "Trace: not kept"));
	free(md);
	json_object_set_new(h, "trace_kept", json_true());
	md = render_or_fail(m, NULL);
	snprintf(row, sizeof row, "| **Trace** | `%s` (kept)", tp);
	assert_non_null(strstr(md, row));
	assert_null(strstr(md, "removed with the work directory"));
	free(md);
	json_decref(m);
}

/* Tracepoints read and empty: the report says none, not "Not known: n/a". */
static void test_uring_ops_traced_and_none(void **state)
{
	(void)state;
	json_t *m = load_model("real-run-cp-a");
	json_t *u = json_object_get(m, "io_uring");
	json_object_set_new(u, "ops_list", json_array());
	json_object_set_new(u, "ops", json_object());
	json_object_set_new(u, "ops_source", json_string("tracefs"));
	json_object_set_new(u, "ops_reason", json_null());
	char *md = render_or_fail(m, NULL);
	const char *sec = strstr(md, "## io_uring operations");
	assert_non_null(sec);
	assert_non_null(strstr(sec, "None: the kernel's `io_uring` tracepoints (tracefs)"));
	assert_null(strstr(md, "Not known: n/a"));
	free(md);
	json_object_del(u, "ops_source");
	json_object_set_new(u, "ops_reason", json_string("not root"));
	md = render_or_fail(m, NULL);
	assert_non_null(strstr(md, "Not known: not root."));
	assert_null(strstr(md, "None: the kernel"));
	free(md);
	json_decref(m);
}

/* The verification section lists what was compared and the total of differences. */
static void test_verification_properties_and_total(void **state)
{
	(void)state;
	json_t *m = load_model("real-run-cp-a");
	json_t *v = json_object_get(m, "verification");
	char *md = render_or_fail(m, NULL);
	const char *sec = strstr(md, "## Copy verification");
	assert_non_null(sec);
	json_t *props = json_object_get(v, "properties");
	assert_true(json_array_size(props) > 0);
	for (size_t i = 0; i < json_array_size(props); i++) {
		char item[300];
		snprintf(item, sizeof item, "\n- %s\n",
		         json_string_value(json_array_get(props, i)));
		assert_non_null(strstr(sec, item));
	}
	assert_non_null(strstr(sec, "entries compared, 0 differences)"));
	assert_non_null(strstr(sec, "Trace: not kept")); /* real-run-cp-a: trace_kept false */
	free(md);
	/* a failed copy: the total, and a note when the list is shorter */
	json_object_set_new(v, "ok", json_false());
	json_object_set_new(v, "differences", json_pack("[s]", "a.txt: content differs"));
	json_object_set_new(v, "differences_total", json_integer(7));
	md = render_or_fail(m, NULL);
	sec = strstr(md, "## Copy verification");
	assert_non_null(strstr(sec, "entries compared, 7 differences)"));
	assert_non_null(strstr(sec, "- a.txt: content differs\n"));
	assert_non_null(strstr(sec, "the first part of the 7 differences"));
	free(md);
	json_decref(m);
}

static void test_baseline_section_only_with_baseline(void **state)
{
	(void)state;
	json_t *m = load_model("corrupt-fail");
	char *md = render_or_fail(m, NULL);
	assert_non_null(strstr(md, "## Compared with the baseline"));
	free(md);
	json_object_del(m, "baseline");
	md = render_or_fail(m, NULL);
	assert_null(strstr(md, "## Compared with the baseline"));
	free(md);
	json_decref(m);
}

/* The pairs not counted get their own table, each with its reason in
 * words, and the counts per reason; an older model without them renders
 * no such section. The rule's check and use lists come from the model. */
static void test_excluded_pairs_section(void **state)
{
	(void)state;
	json_t *m = load_model("cp-a-warn");
	char *md = render_or_fail(m, NULL);
	assert_null(strstr(md, "### Pairs not counted"));
	free(md);
	json_t *t = json_object_get(m, "toctou");
	json_object_set_new(t, "check_syscalls", json_pack("[s,s]", "stat", "statx"));
	json_object_set_new(t, "use_syscalls", json_pack("[s,s]", "openat", "lsetxattr"));
	json_object_set_new(
	    t, "excluded",
	    json_pack("{s:i,s:{s:i,s:i,s:i},s:i,s:i,s:[{s:s,s:s,s:s,s:i,s:i,s:i,s:s,s:s},"
	              "{s:s,s:s,s:s,s:i,s:i,s:i,s:s,s:s}]}",
	              "count", 3, "by_reason", "outside_trees", 2, "startup", 0, "failed", 1,
	              "unique_pairs", 2, "listed", 2, "pairs", "check", "newfstatat", "use",
	              "execve", "path", "/usr/bin/stat", "check_line", 63, "use_line", 67, "pid", 7,
	              "named_by", "path", "reason", "outside_trees", "check", "newfstatat", "use",
	              "unlinkat", "path", "/d/dst/a", "check_line", 80, "use_line", 81, "pid", 7,
	              "named_by", "path", "reason", "failed"));
	md = render_or_fail(m, NULL);
	assert_non_null(strstr(md, "### Pairs not counted"));
	assert_non_null(strstr(md, "**3** in all, 2 on a path outside SRC and DST, 0 with a side "
	                           "in the start-up phase, 1 between a failed check and a failed "
	                           "use"));
	assert_non_null(strstr(md, "| `newfstatat` | 63 | `execve` | 67 | `/usr/bin/stat` | "
	                           "outside SRC and DST | 7 |"));
	assert_non_null(strstr(md, "| `/d/dst/a` | check and use failed | 7 |"));
	assert_non_null(strstr(md, "Checks: `stat`, `statx`. Uses: `openat`, `lsetxattr`."));
	assert_non_null(strstr(md, "The model lists 2 of the 3 pairs not counted"));
	free(md);
	json_decref(m);
}

/* A hostile string in the model cannot break a table or inject HTML. */
static void test_model_strings_escaped(void **state)
{
	(void)state;
	json_t *m = load_model("cp-a-warn");
	json_t *pair = json_array_get(json_object_get(json_object_get(m, "toctou"), "pairs"), 0);
	json_object_set_new(pair, "path", json_string("/a|b\n<script>alert(1)</script>`x"));
	json_object_set_new(json_array_get(json_object_get(m, "checks"), 1), "message",
	                    json_string("a | b <img src=x>"));
	char *md = render_or_fail(m, NULL);
	struct tables ts = parse_tables(md, "hostile");
	free_tables(&ts);
	assert_null(strstr(md, "<script>"));
	char path[] = "/tmp/test_report_XXXXXX.html";
	int fd = mkstemps(path, 5);
	assert_true(fd >= 0);
	close(fd);
	char err[512];
	assert_int_equal(report_write_html(md, m, path, err, sizeof err), 0);
	FILE *f = fopen(path, "r");
	char *html = calloc(1, 1 << 20);
	size_t n = fread(html, 1, (1 << 20) - 1, f);
	fclose(f);
	unlink(path);
	assert_true(n > 0);
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<img"));
	free(html);
	free(md);
	json_decref(m);
}

static char *tmpdir_with(const char *file, const char *text)
{
	char *dir = strdup("/tmp/test_report_tpl_XXXXXX");
	assert_non_null(mkdtemp(dir));
	if (file) {
		char path[512];
		snprintf(path, sizeof path, "%s/%s", dir, file);
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fputs(text, f);
		fclose(f);
	}
	return dir;
}

static void remove_dir(char *dir, const char *file)
{
	char path[512];
	if (file) {
		snprintf(path, sizeof path, "%s/%s", dir, file);
		unlink(path);
	}
	rmdir(dir);
	free(dir);
}

static void test_override_one_partial(void **state)
{
	(void)state;
	json_t *m = load_model("arsync-pass");
	char *dir =
	    tmpdir_with("section_trace.mustache", "## My trace\n\n{{trace.lines}} lines read.\n");
	char *md = render_or_fail(m, dir);
	char want[64];
	snprintf(want, sizeof want, "%lld lines read.", model_int(m, "trace", "lines", NULL));
	assert_non_null(strstr(md, want));
	assert_null(strstr(md, "## About the trace"));
	assert_non_null(strstr(md, "## Checks")); /* built-in partials still used */
	assert_non_null(strstr(md, "## io_uring usage"));
	free(md);
	remove_dir(dir, "section_trace.mustache");
	json_decref(m);
}

static void test_broken_template_names_file_and_line(void **state)
{
	(void)state;
	json_t *m = load_model("arsync-pass");
	char err[2048] = "";
	char *dir =
	    tmpdir_with("section_checks.mustache", "## Checks\n\n{{#checks}}\n| {{title}} |\n");
	assert_null(report_markdown(m, dir, err, sizeof err));
	char want[600];
	snprintf(want, sizeof want, "%s/section_checks.mustache:", dir);
	if (!strstr(err, want) || !strstr(err, "checks"))
		fail_msg("error does not name the file: %s", err);
	const char *colon = strstr(err, want) + strlen(want);
	assert_true(atoi(colon) >= 3); /* the unclosed section opens on line 3 */
	remove_dir(dir, "section_checks.mustache");

	dir = tmpdir_with("report.md.mustache", "# Report\n\n{{>section_nowhere}}\n");
	err[0] = 0;
	assert_null(report_markdown(m, dir, err, sizeof err));
	snprintf(want, sizeof want, "%s/report.md.mustache:3", dir);
	if (!strstr(err, want) || !strstr(err, "section_nowhere"))
		fail_msg("missing partial error does not name file and line: %s", err);
	remove_dir(dir, "report.md.mustache");

	err[0] = 0;
	assert_null(report_markdown(m, "/nonexistent-templates", err, sizeof err));
	assert_non_null(strstr(err, "/nonexistent-templates"));
	assert_non_null(strstr(err, strerror(ENOENT)));

	dir = tmpdir_with(NULL, NULL);
	char *md = report_markdown(m, dir, err, sizeof err); /* empty dir: all built in */
	assert_non_null(md);
	free(md);
	remove_dir(dir, NULL);
	json_decref(m);
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = 0;
	fclose(f);
	return s;
}

static void test_html_standalone_with_css_and_charts(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_MODELS; i++) {
		json_t *m = load_model(MODELS[i]);
		char *md = render_or_fail(m, NULL);
		char path[] = "/tmp/test_report_XXXXXX.html";
		int fd = mkstemps(path, 5);
		assert_true(fd >= 0);
		close(fd);
		char err[512] = "";
		if (report_write_html(md, m, path, err, sizeof err) != 0)
			fail_msg("report_write_html: %s", err);
		char *html = read_all(path);
		unlink(path);
		assert_non_null(strstr(html, "<!DOCTYPE html>"));
		assert_non_null(strstr(html, "<style>"));
		assert_non_null(strstr(html, ".st-pass{background:"));
		assert_non_null(strstr(html, "<table>"));
		assert_non_null(strstr(html, "<details>"));
		assert_null(strstr(html, "http://"));
		assert_null(strstr(html, "https://"));
		assert_null(strstr(html, "<link"));
		assert_null(strstr(html, "<script"));
		assert_null(strstr(html, "url("));
		assert_null(strstr(html, "<!-- chart:")); /* every marker replaced */
		const char *v = json_string_value(json_object_get(m, "verdict"));
		char badge[64];
		snprintf(badge, sizeof badge, "class=\"st st-%c", v[0] + ('a' - 'A'));
		assert_non_null(strstr(html, badge));
		/* badges exactly where the report marks a status: the verdict heading,
		 * each failed or warned check in the list, each check's status cell,
		 * and the verification result; "WARN above 2" in a target stays text */
		if (!json_object_get(m, "baseline")) {
			size_t badges = 0,
			       want = 1 + json_array_size(json_object_get(m, "checks")) +
			              json_array_size(json_object_get(m, "checks_failed")) +
			              json_array_size(json_object_get(m, "checks_warned"));
			json_t *ver = json_object_get(m, "verification");
			want += json_is_true(json_object_get(ver, "performed"));
			for (const char *p = html; (p = strstr(p, "class=\"st st-")); p++)
				badges++;
			if (badges != want)
				fail_msg("%s: %zu status badges, want %zu", MODELS[i], badges,
				         want);
		}
		bool submits = model_int(m, "io_uring", "submit_calls", NULL) > 0;
		assert_int_equal(strstr(html, "id=\"chart-batch-histogram\"") != NULL, submits);
		bool files = json_array_size(json_object_get(m, "files")) > 0;
		assert_int_equal(strstr(html, "id=\"chart-files\"") != NULL, files);
		free(html);
		free(md);
		json_decref(m);
	}
}

static void test_html_unwritable_path(void **state)
{
	(void)state;
	json_t *m = load_model("arsync-pass");
	char err[512] = "";
	assert_int_not_equal(
	    report_write_html("# x\n", m, "/nonexistent-dir/r.html", err, sizeof err), 0);
	assert_non_null(strstr(err, "/nonexistent-dir/r.html"));
	assert_non_null(strstr(err, strerror(ENOENT)));
	json_decref(m);
}

static char *summary(json_t *m, const char *path, bool color)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	report_print_summary(f, m, path, color);
	fclose(f);
	return buf;
}

static void test_summary(void **state)
{
	(void)state;
	json_t *m = load_model("cp-a-warn");
	char *s = summary(m, "out/report.md", false);
	assert_null(strchr(s, '\033'));
	assert_non_null(strstr(s, "Verdict: WARN"));
	assert_non_null(strstr(s, "Full report: out/report.md\n"));
	json_t *warned = json_object_get(m, "checks_warned");
	for (size_t i = 0; i < json_array_size(warned); i++) {
		char line[256];
		snprintf(line, sizeof line, "\n  WARN %s: ",
		         json_string_value(json_object_get(json_array_get(warned, i), "title")));
		assert_non_null(strstr(s, line));
	}
	char scores[128];
	snprintf(scores, sizeof scores, "security %lld/100",
	         model_int(m, "scores", "security", NULL));
	assert_non_null(strstr(s, scores));
	assert_null(strstr(s, "FAIL"));
	free(s);

	s = summary(m, "out/report.md", true);
	assert_non_null(strstr(s, "\033[33mWARN"));
	assert_non_null(strstr(s, "\033[0m"));
	free(s);
	json_decref(m);

	m = load_model("corrupt-fail");
	s = summary(m, NULL, false);
	assert_non_null(strstr(s, "Verdict: FAIL"));
	assert_non_null(strstr(s, "\n  FAIL Copy verified: no (target yes)"));
	assert_null(strstr(s, "Full report"));
	free(s);
	json_decref(m);

	s = summary(NULL, "x", false); /* no model: one line, no crash */
	assert_non_null(strstr(s, "unknown"));
	free(s);
}

/* real-run-arsync with what the capture of ring requests adds to a model:
 * io_uring.ring_ops (CAPTURE "bpf", "counts" or "none"), ops_detail,
 * files[].ring_ops/logical, access.NAME.via_ring, a pair through the ring;
 * without "bpf", the checks and the score as checks.c leaves them. */
static json_t *ring_model(const char *capture)
{
	json_t *m = load_model("real-run-arsync");
	json_t *u = json_object_get(m, "io_uring");
	bool bpf = !strcmp(capture, "bpf");
	json_t *ro = json_pack(
	    "{s:s,s:s?,s:i,s:o,s:o,s:i,s:i,s:s}", "capture", capture, "reason",
	    bpf ? NULL : "BPF program refused by the kernel: Operation not permitted", "requests",
	    90, "path_taking", strcmp(capture, "none") ? json_integer(47) : json_null(),
	    "unclassified_path_ops",
	    bpf                          ? json_integer(0)
	    : !strcmp(capture, "counts") ? json_integer(47)
	                                 : json_null(),
	    "lost", 0, "unattributed_fixed", 0, "tie_rule",
	    "on equal times, the direct syscall first");
	json_object_set_new(u, "ring_ops", ro);
	if (!strcmp(capture, "none")) {
		json_object_set_new(u, "ops", json_object());
		json_object_set_new(u, "ops_list", json_array());
		json_object_set_new(u, "ops_source", json_null());
		json_object_set_new(u, "ops_reason", json_string("disabled by --uring-ops off"));
	}
	if (bpf) {
		json_t *detail = json_object();
		const char *k;
		json_t *v;
		int i = 0;
		json_object_foreach(json_object_get(u, "ops"), k, v)
		{
			json_t *failed = json_object();
			if (!strcmp(k, "IORING_OP_OPENAT"))
				json_object_set_new(failed, "ENOENT", json_integer(2));
			if (!strcmp(k, "IORING_OP_MKDIRAT")) {
				json_object_set_new(failed, "EEXIST", json_integer(1));
				json_object_set_new(failed, "EACCES", json_integer(1));
			}
			json_object_set_new(detail, k,
			                    json_pack("{s:O,s:o,s:i,s:{s:f,s:f,s:f}}", "count", v,
			                              "failed", failed, "async_punts", i % 3,
			                              "latency_us", "p50", 12.5 + i, "p99",
			                              80.25 * (i + 1), "max", 1234.5 + i));
			i++;
		}
		json_object_set_new(u, "ops_detail", detail);
		json_t *files = json_object_get(m, "files");
		for (size_t f = 0; f < json_array_size(files); f++) {
			json_t *file = json_array_get(files, f);
			json_int_t direct = json_integer_value(json_object_get(file, "syscalls"));
			json_object_set_new(file, "ring_ops", json_integer(6 + (json_int_t)f));
			json_object_set_new(file, "logical",
			                    json_integer(direct + 6 + (json_int_t)f));
		}
		json_object_set_new(json_object_get(json_object_get(m, "access"), "openat"),
		                    "via_ring", json_integer(20));
		json_t *pairs = json_object_get(json_object_get(m, "toctou"), "pairs");
		json_array_append_new(
		    pairs, json_pack("{s:s,s:s,s:s,s:i,s:i,s:i,s:b,s:b}", "check", "statx", "use",
		                     "openat", "path", "/src/f1.bin", "check_line", 40, "use_line",
		                     41, "pid", 7, "check_via_ring", 1, "use_via_ring", 1));
		json_object_set_new(json_array_get(pairs, json_array_size(pairs) - 1), "named_by",
		                    json_string("dirfd"));
	} else {
		/* a model may say 0 where nothing is known: the report says n/a */
		json_t *files = json_object_get(m, "files");
		for (size_t f = 0; f < json_array_size(files); f++) {
			json_t *file = json_array_get(files, f);
			json_object_set_new(file, "ring_ops", json_integer(0));
			json_object_set(file, "logical", json_object_get(file, "syscalls"));
		}
		json_object_set_new(json_object_get(json_object_get(m, "access"), "openat"),
		                    "via_ring", json_integer(0));
		json_t *checks = json_object_get(m, "checks");
		for (size_t i = 0; i < json_array_size(checks); i++) {
			json_t *c = json_array_get(checks, i);
			const char *id = json_string_value(json_object_get(c, "id"));
			bool ring =
			    !strcmp(id, "path_based_per_file") || !strcmp(id, "toctou_pairs");
			json_object_set_new(c, "complete", json_boolean(!ring));
			if (ring) {
				json_object_set_new(c, "status", json_string("WARN"));
				json_object_set_new(
				    c, "message",
				    json_string(
				        "not verified: 47 path-taking io_uring operations could "
				        "not be classified; outside the ring: 3 path-based calls"));
				json_array_append(json_object_get(m, "checks_warned"), c);
			}
		}
		json_object_set_new(m, "verdict", json_string("WARN"));
		json_t *sc = json_object_get(m, "scores");
		json_object_set_new(sc, "security_complete", json_false());
		json_object_set_new(sc, "incomplete_reason",
		                    json_string("not verified: 47 path-taking io_uring operations "
		                                "could not be classified (BPF refused)"));
	}
	return m;
}

static const char *const CAPTURES[] = {"bpf", "counts", "none"};

/* Each capture state: tables well formed, every figure the model's. */
static void test_ring_figures_match(void **state)
{
	(void)state;
	for (size_t i = 0; i < 3; i++) {
		json_t *m = ring_model(CAPTURES[i]);
		char name[64];
		snprintf(name, sizeof name, "ring model (%s)", CAPTURES[i]);
		check_figures(m, name);
		json_decref(m);
	}
}

/* The report says how the ring's operations were seen, and why not. */
static void test_ring_capture_said(void **state)
{
	(void)state;
	json_t *m = ring_model("bpf");
	char *md = render_or_fail(m, NULL);
	const char *sec = strstr(md, "### What each ring operation named");
	assert_non_null(sec);
	assert_non_null(strstr(sec, "Captured: a BPF program"));
	assert_non_null(strstr(sec, "| Path-taking requests | 47 |"));
	assert_non_null(strstr(sec, "on equal times, the direct syscall first"));
	assert_null(strstr(md, "Not captured"));
	assert_null(strstr(md, "(incomplete)"));
	assert_null(strstr(md, "(not verified)"));
	/* failures by errno name, async punts, latency */
	assert_non_null(
	    strstr(md, "| `IORING_OP_MKDIRAT` | 3 | 2 | EEXIST \u00d7 1, EACCES \u00d7 1 |"));
	assert_non_null(strstr(md, "| `IORING_OP_OPENAT` | 20 | 2 | ENOENT \u00d7 2 |"));
	/* a pair made through the ring says so */
	assert_non_null(strstr(md, "| `statx` (io_uring) | 40 | `openat` (io_uring) | 41 | "
	                           "`/src/f1.bin` | dirfd | 7 |"));
	assert_non_null(strstr(md, "*logical* counts both"));
	free(md);
	json_decref(m);

	m = ring_model("counts");
	md = render_or_fail(m, NULL);
	sec = strstr(md, "### What each ring operation named");
	assert_non_null(sec);
	assert_non_null(strstr(sec, "\u26a0\ufe0f Not captured: BPF program refused by the kernel: "
	                            "Operation not permitted. The opcode of each request is known, "
	                            "not the dirfd or the path it named: 47 path-taking"));
	/* no detail: the plain opcode table */
	assert_non_null(strstr(md, "| Opcode | Requests |\n"));
	free(md);
	json_decref(m);

	m = ring_model("none");
	md = render_or_fail(m, NULL);
	assert_non_null(strstr(md, "Not captured: BPF program refused"));
	assert_non_null(strstr(md, "an unknown number of path-taking ring operations"));
	free(md);
	/* a model from before the capture: the reason the opcodes are unknown */
	json_object_del(json_object_get(m, "io_uring"), "ring_ops");
	md = render_or_fail(m, NULL);
	assert_non_null(strstr(md, "Not captured: disabled by --uring-ops off. Neither"));
	free(md);
	json_decref(m);

	/* no io_uring at all: nothing to say about ring operations */
	m = load_model("real-run-cp-a");
	md = render_or_fail(m, NULL);
	assert_null(strstr(md, "### What each ring operation named"));
	free(md);
	json_decref(m);
}

/* An incomplete security score is marked in Markdown, the terminal and
 * HTML; the checks it comes from read "not verified", never PASS. */
static void test_security_incomplete_everywhere(void **state)
{
	(void)state;
	json_t *m = ring_model("counts");
	char *md = render_or_fail(m, NULL);
	assert_non_null(strstr(md, "| Security (TOCTOU exposure) | **97**/100 (incomplete) |"));
	assert_non_null(strstr(md,
	                       "\u26a0\ufe0f The security score is incomplete: not verified: 47 "
	                       "path-taking io_uring operations could not be classified (BPF "
	                       "refused)."));
	assert_non_null(strstr(md, "| Security | 97 (incomplete) |"));
	assert_non_null(strstr(md, "\u26a0\ufe0f WARN (not verified) | not verified: 47"));
	const char *checks = strstr(md, "## Checks");
	assert_non_null(checks);
	assert_null(strstr(checks, "\u2705 PASS (not verified)"));

	char *s = summary(m, "r.md", false);
	assert_non_null(strstr(s, "security 97/100 (incomplete), efficiency"));
	assert_non_null(strstr(s, "\n  security score incomplete: not verified: 47 path-taking"));
	assert_non_null(strstr(s, "\n  WARN Path-based calls per file: "));
	free(s);

	char path[] = "/tmp/test_report_XXXXXX.html", err[512] = "";
	int fd = mkstemps(path, 5);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(report_write_html(md, m, path, err, sizeof err), 0);
	char *html = read_all(path);
	unlink(path);
	assert_non_null(strstr(html, "/100 (incomplete)"));
	assert_non_null(strstr(html, "The security score is incomplete: not verified: 47"));
	assert_non_null(
	    strstr(html, "<title>Syscall analysis report: WARN (security incomplete)</title>"));
	free(html);
	free(md);
	json_decref(m);

	m = ring_model("bpf");
	s = summary(m, NULL, false);
	assert_null(strstr(s, "incomplete"));
	free(s);
	json_decref(m);
}

/* Models of the wrong shape render (or fail with a message); nothing crashes. */
static void test_bad_models(void **state)
{
	(void)state;
	static const char *const models[] = {
	    "{}",
	    "{\"verdict\":5,\"checks\":{\"a\":1},\"files\":\"x\",\"io_uring\":[1],"
	    "\"syscalls\":{\"read\":5},\"syscall_list\":[{\"name\":\"read\"},{\"name\":7},3],"
	    "\"categories\":[{\"syscalls\":\"x\"}],\"recommendations\":[{\"calls\":[1,null]}],"
	    "\"direct_io\":{\"read\":3},\"baseline\":{\"comparison\":5},\"toctou\":{\"pairs\":[1]},"
	    "\"metadata\":[],\"files_summary\":{\"outliers\":{}},\"scores\":{\"inputs\":[]}}",
	    "{\"io_uring\":{\"setup\":1,\"ring_ops\":{\"capture\":5,\"lost\":\"x\"},"
	    "\"ops_list\":[{\"op\":\"A\",\"count\":1},{\"op\":3}],"
	    "\"ops_detail\":{\"A\":5,\"B\":{\"failed\":[1],\"latency_us\":3},"
	    "\"C\":{\"failed\":{\"E\":\"x\",\"F\":-2}}}},"
	    "\"files\":[{\"ring_ops\":\"x\",\"logical\":[]},3],"
	    "\"access\":{\"openat\":{\"via_ring\":{\"path_based\":2,\"x\":\"y\"}}},"
	    "\"access_list\":[{\"name\":\"openat\"},{\"name\":5},7],"
	    "\"scores\":{\"security_complete\":false,\"incomplete_reason\":7},"
	    "\"checks\":[{\"complete\":false},5]}",
	    "{\"files\":[{\"syscalls\":-5,\"path\":null},{\"syscalls\":1e300},"
	    "{\"syscalls\":9223372036854775807},{\"syscalls\":-9223372036854775807}],"
	    "\"io_uring\":{\"batch_histogram_list\":[{\"count\":-1},{\"bucket\":3,\"count\":9}]}}",
	};
	for (size_t i = 0; i <= sizeof models / sizeof models[0]; i++) {
		json_error_t je;
		json_t *m;
		if (i < sizeof models / sizeof models[0]) {
			m = json_loads(models[i], 0, &je);
		} else { /* many files with extreme counts: the histogram chart */
			m = json_object();
			json_t *files = json_array();
			for (int k = 0; k < 100; k++)
				json_array_append_new(
				    files, json_pack("{s:s,s:I}", "path", "f", "syscalls",
				                     (json_int_t)(k % 2 ? -k : k) *
				                         ((json_int_t)1 << 56)));
			json_object_set_new(m, "files", files);
		}
		assert_non_null(m);
		char *md = render_or_fail(m, NULL);
		char path[] = "/tmp/test_report_XXXXXX.html", err[512];
		int fd = mkstemps(path, 5);
		assert_true(fd >= 0);
		close(fd);
		assert_int_equal(report_write_html(md, m, path, err, sizeof err), 0);
		unlink(path);
		char *s = summary(m, "r.md", true);
		assert_non_null(s);
		free(s);
		free(md);
		json_decref(m);
	}
	char err[256] = "";
	json_t *arr = json_array();
	assert_null(report_markdown(arr, NULL, err, sizeof err));
	assert_non_null(strstr(err, "not a JSON object"));
	json_decref(arr);
}

static void test_format_real(void **state)
{
	(void)state;
	static const struct {
		double d;
		const char *want;
	} cases[] = {{8.0, "8"},         {2.5, "2.5"},     {7.676470588, "7.68"},
	             {549.53, "549.5"},  {0.625, "0.625"}, {0.000098, "0.000098"},
	             {0.0117, "0.0117"}, {-3.25, "-3.25"}, {0.0, "0"},
	             {-0.0, "0"},        {1e-9, "1e-09"},  {12345.67, "12345.7"}};
	char buf[64];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		report_format_real(cases[i].d, buf, sizeof buf);
		assert_string_equal(buf, cases[i].want);
	}
	report_format_real(0.0 / 0.0, buf, sizeof buf);
	assert_string_equal(buf, "n/a");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tables_well_formed_and_figures_match),
	    cmocka_unit_test(test_trace_mode_unknowns_read_na),
	    cmocka_unit_test(test_removed_trace_not_shown_as_path),
	    cmocka_unit_test(test_verification_properties_and_total),
	    cmocka_unit_test(test_uring_ops_traced_and_none),
	    cmocka_unit_test(test_baseline_section_only_with_baseline),
	    cmocka_unit_test(test_excluded_pairs_section),
	    cmocka_unit_test(test_model_strings_escaped),
	    cmocka_unit_test(test_override_one_partial),
	    cmocka_unit_test(test_broken_template_names_file_and_line),
	    cmocka_unit_test(test_html_standalone_with_css_and_charts),
	    cmocka_unit_test(test_html_unwritable_path),
	    cmocka_unit_test(test_summary),
	    cmocka_unit_test(test_format_real),
	    cmocka_unit_test(test_bad_models),
	    cmocka_unit_test(test_ring_figures_match),
	    cmocka_unit_test(test_ring_capture_said),
	    cmocka_unit_test(test_security_incomplete_everywhere),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
