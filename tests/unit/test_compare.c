/* compare: thresholds in the right direction, per-file normalization,
 * checks going to FAIL, exit statuses, loading errors, the Markdown. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"

static json_t *model(double mbps, int files, int openat, int pairs, double batch, int security,
                     const char *check_status)
{
	return json_pack(
	    "{s:i, s:s, s:{s:s}, s:{s:i, s:f, s:f}, s:{s:{s:i}, s:{s:i}},"
	    " s:{s:i, s:i}, s:{s:f, s:i}, s:{s:i, s:i, s:i},"
	    " s:[{s:s, s:s, s:s}, {s:s, s:s}]}",
	    "schema", 1, "verdict", "PASS", "header", "date", "2026-01-01T00:00:00+00:00", "run",
	    "files", files, "wall_seconds", 100.0 / mbps, "mb_per_s", mbps, "syscalls", "openat",
	    "calls", openat, "read", "calls", 10 * files, "toctou", "pair_count", pairs,
	    "path_based_calls", 0, "io_uring", "batch_avg", batch, "enter", 2 * files, "scores",
	    "security", security, "efficiency", 80, "overall", 85, "checks", "id", "verified",
	    "status", check_status, "title", "Copy verified", "id", "legacy", "status", "PASS");
}

static json_t *figure(json_t *cmp, const char *id)
{
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(cmp, "figures"), i,
	                   f) if (strcmp(json_string_value(json_object_get(f, "id")), id) ==
	                          0) return f;
	return NULL;
}

static const char *status_of(json_t *cmp, const char *id)
{
	json_t *f = figure(cmp, id);
	return f ? json_string_value(json_object_get(f, "status")) : "(missing)";
}

static void identical_models_are_ok(void **state)
{
	(void)state;
	json_t *a = model(500, 10, 20, 0, 8, 100, "PASS");
	json_t *c = compare_models(a, a, "a.json", "a.json");
	assert_string_equal(json_string_value(json_object_get(c, "verdict")), "OK");
	assert_int_equal(json_integer_value(json_object_get(c, "regressions")), 0);
	assert_string_equal(status_of(c, "mb_per_s"), "same");
	assert_string_equal(status_of(c, "opens_per_file"), "same");
	assert_int_equal(compare_exit_status(c, true), 0);
	json_decref(c);
	json_decref(a);
}

static void directions_and_thresholds(void **state)
{
	(void)state;
	json_t *a = model(500, 10, 20, 0, 8, 100, "PASS");
	/* 5% slower: within 10%. 20% slower: regression. Faster: improvement. */
	json_t *b = model(475, 10, 20, 0, 8, 100, "PASS");
	json_t *c = compare_models(a, b, NULL, NULL);
	assert_string_equal(status_of(c, "mb_per_s"), "same");
	json_decref(c);
	json_decref(b);
	b = model(400, 10, 20, 0, 8, 100, "PASS");
	c = compare_models(a, b, NULL, NULL);
	assert_string_equal(status_of(c, "mb_per_s"), "regression");
	assert_string_equal(status_of(c, "wall_seconds"), "regression");
	assert_string_equal(
	    json_string_value(json_object_get(figure(c, "mb_per_s"), "percent_text")), "-20.0%");
	assert_string_equal(json_string_value(json_object_get(c, "verdict")), "REGRESSION");
	assert_int_equal(compare_exit_status(c, false), 0);
	assert_int_equal(compare_exit_status(c, true), 1);
	json_decref(c);
	c = compare_models(b, a, NULL, NULL);
	assert_string_equal(status_of(c, "mb_per_s"), "improvement");
	assert_int_equal(compare_exit_status(c, true), 0);
	json_decref(c);
	json_decref(b);
	/* Lower batches are worse; any new check-then-use pair is a regression;
	 * a score drop of 5 points or less is not. */
	b = model(500, 10, 20, 1, 4, 96, "PASS");
	c = compare_models(a, b, NULL, NULL);
	assert_string_equal(status_of(c, "batch_avg"), "regression");
	assert_string_equal(status_of(c, "toctou_pairs"), "regression");
	assert_string_equal(status_of(c, "security"), "same");
	json_decref(c);
	json_decref(b);
	json_decref(a);
}

static void per_file_figures_normalize(void **state)
{
	(void)state;
	/* Twice the files and twice the opens: the same per file. */
	json_t *a = model(500, 10, 20, 0, 8, 100, "PASS"),
	       *b = model(500, 20, 40, 0, 8, 100, "PASS");
	json_t *c = compare_models(a, b, NULL, NULL);
	assert_string_equal(status_of(c, "opens_per_file"), "same");
	assert_string_equal(status_of(c, "syscalls_per_file"), "same");
	json_decref(c);
	json_decref(b);
	/* Three times the opens for the same files. */
	b = model(500, 10, 60, 0, 8, 100, "PASS");
	c = compare_models(a, b, NULL, NULL);
	assert_string_equal(status_of(c, "opens_per_file"), "regression");
	json_t *f = figure(c, "opens_per_file");
	assert_true(json_real_value(json_object_get(f, "base")) == 2.0);
	assert_true(json_real_value(json_object_get(f, "new")) == 6.0);
	/* statx: never called in either, so 0 and the same. */
	assert_string_equal(status_of(c, "statx_per_file"), "same");
	json_decref(c);
	json_decref(b);
	json_decref(a);
}

static void check_going_to_fail(void **state)
{
	(void)state;
	json_t *a = model(500, 10, 20, 0, 8, 100, "PASS"),
	       *b = model(500, 10, 20, 0, 8, 100, "FAIL");
	json_t *c = compare_models(a, b, NULL, NULL);
	assert_int_equal(json_integer_value(json_object_get(c, "checks_to_fail")), 1);
	assert_string_equal(json_string_value(json_object_get(c, "verdict")), "FAIL");
	assert_int_equal(compare_exit_status(c, false), 2);
	json_t *row = json_array_get(json_object_get(c, "checks"), 0);
	assert_string_equal(json_string_value(json_object_get(row, "change")), "worse");
	assert_true(json_is_true(json_object_get(row, "to_fail")));

	char err[256];
	char *md = compare_markdown(c, NULL, err, sizeof(err));
	assert_non_null(md);
	assert_non_null(strstr(md, "**Result: FAIL**"));
	assert_non_null(strstr(md, "| `verified` Copy verified | PASS | FAIL | **now FAIL** |"));
	assert_non_null(strstr(
	    md, "| Throughput (MB/s, higher is better) | 500 | 500 | 0 | +0.0% | -10% | same |"));
	free(md);
	json_decref(c);
	/* FAIL -> PASS is better, exit 0. */
	c = compare_models(b, a, NULL, NULL);
	assert_int_equal(compare_exit_status(c, true), 0);
	json_decref(c);

	json_t *e = compare_baseline_entry(a, b, "base.json");
	assert_string_equal(json_string_value(json_object_get(e, "path")), "base.json");
	assert_non_null(json_object_get(e, "scores"));
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(e, "comparison"), "verdict")),
	    "FAIL");
	json_decref(e);
	json_decref(b);
	json_decref(a);
}

static void loading_errors_say_what(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_compare.XXXXXX", p[64], err[512];
	assert_non_null(mkdtemp(dir));
	assert_null(compare_load_model("/nonexistent/m.json", err, sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent/m.json"));
	snprintf(p, sizeof(p), "%s/x.json", dir);
	FILE *f = fopen(p, "w");
	fputs("{\"schema\": 2, \"verdict\": \"PASS\"}", f);
	fclose(f);
	assert_null(compare_load_model(p, err, sizeof(err)));
	assert_non_null(strstr(err, "schema 2"));
	f = fopen(p, "w");
	fputs("[1, 2]", f);
	fclose(f);
	assert_null(compare_load_model(p, err, sizeof(err)));
	assert_non_null(strstr(err, "not an arsync-analyze model"));
	f = fopen(p, "w");
	fputs("{\"schema\": 1, \"verdict\": \"WARN\"}", f);
	fclose(f);
	json_t *m = compare_load_model(p, err, sizeof(err));
	assert_non_null(m);
	json_decref(m);
	unlink(p);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(identical_models_are_ok),
	    cmocka_unit_test(directions_and_thresholds),
	    cmocka_unit_test(per_file_figures_normalize),
	    cmocka_unit_test(check_going_to_fail),
	    cmocka_unit_test(loading_errors_say_what),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
