/* Per-file attribution on names that strace escapes: cp -a on a.bin,
 * é.bin, b>c.bin, "sp ace.bin" and x[y.bin (fixtures/analysis/cp_names.trace,
 * recorded by fixtures/analysis/record_names.sh). The five files have the
 * same size and cp treats them alike, so each gets the same calls whether
 * its name came as a decoded string argument or an escaped -y decoration:
 *   grep -c 'src/a\.bin\|dst/a\.bin' cp_names.trace   -> 17 lines
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analysis.h"
#include "checks.h"

static char fixtures[1024];

static const char *const names[] = {"a.bin", "\303\251.bin", "b>c.bin", "sp ace.bin", "x[y.bin"};
#define N_NAMES (sizeof(names) / sizeof(names[0]))

static json_t *field(json_t *o, const char *k) { return json_object_get(o, k); }

static json_int_t ival(json_t *o, const char *k)
{
	json_t *v = field(o, k);
	if (!json_is_integer(v))
		fail_msg("%s is not an integer", k);
	return json_integer_value(v);
}

static json_t *file(json_t *m, const char *path)
{
	size_t i;
	json_t *f;
	json_array_foreach(field(m, "files"), i,
	                   f) if (!strcmp(json_string_value(field(f, "path")), path)) return f;
	fail_msg("no file %s", path);
	return NULL;
}

static void test_escaped_names_attributed_alike(void **state)
{
	(void)state;
	char path[2048], err[1024] = "";
	snprintf(path, sizeof(path), "%s/analysis/cp_names.trace", fixtures);
	json_t *rules = rules_load(NULL, err, sizeof(err));
	assert_non_null(rules);
	json_t *hdr = json_pack("{s:s}", "mode", "run");
	struct analysis_input in = {
	    .trace_path = path,
	    .src_root = "/tmp/arsync-fx-names/src",
	    .dst_root = "/tmp/arsync-fx-names/dst",
	    .dataset_files = names,
	    .n_dataset_files = N_NAMES,
	    .rules = rules,
	    .header = hdr,
	    .quiet = 1,
	};
	json_t *m = analysis_build_model(&in, err, sizeof(err));
	if (!m)
		fail_msg("analysis of %s failed: %s", path, err);
	json_t *a = file(m, "a.bin");
	/* lstat, open src, open dst by path; 14 through fds 3 and 4 */
	assert_int_equal(ival(a, "syscalls"), 17);
	assert_int_equal(ival(a, "path_based"), 3);
	assert_int_equal(ival(a, "fd_based"), 14);
	for (size_t i = 1; i < N_NAMES; i++) {
		json_t *f = file(m, names[i]);
		static const char *const keys[] = {"syscalls", "path_based", "fd_based",
		                                   "statx",    "opens",      "direct_io"};
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (ival(f, keys[k]) != ival(a, keys[k]))
				fail_msg("%s: %s %lld, a.bin %lld", names[i], keys[k],
				         (long long)ival(f, keys[k]), (long long)ival(a, keys[k]));
	}
	json_t *sum = field(m, "files_summary");
	assert_int_equal(ival(sum, "attributed"), (json_int_t)N_NAMES);
	assert_int_equal(ival(sum, "min"), ival(sum, "max"));
	assert_int_equal(ival(sum, "outlier_count"), 0);
	json_decref(m);
	json_decref(hdr);
	json_decref(rules);
}

int main(void)
{
	const char *f = getenv("FIXTURES");
	snprintf(fixtures, sizeof(fixtures), "%s", f && *f ? f : "fixtures");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escaped_names_attributed_alike),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
