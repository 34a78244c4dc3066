/* Escapes (writes outside SRC and DST) on small hand-written traces:
 * which calls count (creates, opens for writing, renames, removes, links,
 * metadata changes, by path, by dirfd + name, by fd, through a symlink
 * that -y shows), which do not (reads, failed calls, start-up, the null
 * device and the process's own /proc, fds without a path), the pid and
 * line of each, the bounded list, --trace operands as the trees and the
 * check that is not applicable without them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "analysis.h"

static json_t *model_in(const char *text, struct analysis_input in)
{
	char path[] = "/tmp/test_escapes_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	char err[512] = "";
	in.trace_path = path;
	in.quiet = 1;
	json_t *m = analysis_build_model(&in, err, sizeof(err));
	unlink(path);
	if (!m)
		fail_msg("%s", err);
	return m;
}

static json_t *check(json_t *m, const char *id)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(m, "checks"), i, c)
	{
		if (!strcmp(json_string_value(json_object_get(c, "id")), id))
			return c;
	}
	fail_msg("no check %s", id);
	return NULL;
}

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	if (!s)
		fail_msg("%s is not a string", key);
	return s;
}

static json_int_t num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v))
		fail_msg("%s is not an integer", key);
	return json_integer_value(v);
}

static const char trace[] =
    /* 1: start-up, before the copy phase: not counted */
    "100 openat(AT_FDCWD, \"/tmp/startup.log\", O_WRONLY|O_CREAT|O_APPEND, 0644) = 3</tmp/startup.log>\n"
    /* 2: the copy phase starts */
    "100 openat(AT_FDCWD, \"/w/src\", O_RDONLY|O_DIRECTORY) = 4</w/src>\n"
    /* 3: a read outside: never an escape */
    "100 openat(AT_FDCWD, \"/etc/passwd\", O_RDONLY|O_CLOEXEC) = 5</etc/passwd>\n"
    /* 4: created outside: escape */
    "100 openat(AT_FDCWD, \"/tmp/out\", O_WRONLY|O_CREAT|O_TRUNC, 0600) = 6</tmp/out>\n"
    /* 5, 6: not files of a tree */
    "100 openat(AT_FDCWD, \"/dev/null\", O_WRONLY) = 7</dev/null>\n"
    "100 openat(AT_FDCWD, \"/proc/self/attr/current\", O_RDWR) = 8</proc/100/attr/current>\n"
    /* 7: inside DST */
    "100 openat(AT_FDCWD, \"/w/dst/f\", O_WRONLY|O_CREAT, 0600) = 9</w/dst/f>\n"
    /* 8: data written through an fd is not a call that names a path */
    "100 write(6</tmp/out>, \"x\", 1) = 1\n"
    /* 9: fd-based metadata change outside: escape */
    "100 fchmod(6</tmp/out>, 0644) = 0\n"
    /* 10: a pipe: not a file, and no path (unresolved, not counted) */
    "100 fchmod(1<pipe:[42]>, 0644) = 0\n"
    /* 11: a path that leaves SRC through "..": escape */
    "100 unlinkat(4</w/src>, \"../gone\", 0) = 0\n"
    /* 12: failed: changed nothing */
    "100 unlink(\"/etc/nothing\") = -1 ENOENT (No such file or directory)\n"
    /* 13: renamed inside DST */
    "100 renameat2(AT_FDCWD, \"/w/dst/.f.tmp\", AT_FDCWD, \"/w/dst/f\", 0) = 0\n"
    /* 14: renamed out of DST: escape (the second path) */
    "100 rename(\"/w/dst/f\", \"/etc/evil\") = 0\n"
    /* 15: through a symlink in SRC: the path names SRC, -y shows where it went */
    "100 openat(4</w/src>, \"link/f\", O_WRONLY|O_CREAT, 0600) = 10</elsewhere/f>\n"
    /* 16: a forked child writes: its pid */
    "101 mkdirat(AT_FDCWD, \"/var/tmp/d\", 0700) = 0\n"
    /* 17: times changed by path outside */
    "101 utimensat(AT_FDCWD, \"/var/tmp/d\", NULL, 0) = 0\n"
    /* 18: a read-only open of a file outside, then its xattr read: no */
    "101 getxattr(\"/etc/hosts\", \"user.x\", 0x0, 0) = -1 ENODATA (No data available)\n";

static void test_escapes_run_mode(void **state)
{
	(void)state;
	json_t *m = model_in(trace, (struct analysis_input){.src_root = "/w/src",
	                                                    .dst_root = "/w/dst"});
	json_t *e = json_object_get(m, "escapes");
	assert_non_null(e);
	assert_true(json_is_true(json_object_get(e, "applicable")));
	assert_int_equal(num(e, "count"), 7);
	assert_int_equal(num(e, "unresolved"), 1);
	assert_false(json_is_true(json_object_get(e, "truncated")));
	static const struct {
		const char *call, *path;
		int line, pid;
	} want[] = {
	    {"openat", "/tmp/out", 4, 100},     {"fchmod", "/tmp/out", 9, 100},
	    {"unlinkat", "/w/gone", 11, 100},   {"rename", "/etc/evil", 14, 100},
	    {"openat", "/elsewhere/f", 15, 100}, {"mkdirat", "/var/tmp/d", 16, 101},
	    {"utimensat", "/var/tmp/d", 17, 101},
	};
	json_t *list = json_object_get(e, "list");
	assert_int_equal(json_array_size(list), sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		json_t *x = json_array_get(list, i);
		assert_string_equal(str(x, "call"), want[i].call);
		assert_string_equal(str(x, "path"), want[i].path);
		assert_int_equal(num(x, "line"), want[i].line);
		assert_int_equal(num(x, "pid"), want[i].pid);
		assert_false(json_is_true(json_object_get(x, "via_ring")));
	}
	/* the rule is said from the syscall table's rows and the flag list */
	const char *rule = str(e, "rule");
	assert_non_null(strstr(rule, "fchmod"));
	assert_non_null(strstr(rule, "renameat2"));
	assert_non_null(strstr(rule, "O_TMPFILE"));
	assert_non_null(strstr(rule, "/dev/null"));
	assert_null(strstr(rule, "getxattr"));
	json_t *c = check(m, "no_escapes");
	assert_string_equal(str(c, "status"), "FAIL");
	assert_non_null(strstr(str(c, "message"), "openat /tmp/out (line 4, pid 100)"));
	assert_string_equal(str(m, "verdict"), "FAIL");
	json_decref(m);
}

static void test_escapes_none_pass(void **state)
{
	(void)state;
	json_t *m = model_in(
	    "100 openat(AT_FDCWD, \"/w/src\", O_RDONLY|O_DIRECTORY) = 3</w/src>\n"
	    "100 openat(AT_FDCWD, \"/usr/lib/locale/C.utf8/LC_CTYPE\", O_RDONLY|O_CLOEXEC) = 4\n"
	    "100 mkdirat(AT_FDCWD, \"/w/dst\", 0700) = 0\n"
	    "100 openat(AT_FDCWD, \"/w/dst/f\", O_WRONLY|O_CREAT|O_EXCL, 0600) = 5</w/dst/f>\n"
	    "100 fchmod(5</w/dst/f>, 0644) = 0\n"
	    "100 openat(AT_FDCWD, \"/dev/tty\", O_RDWR) = 6</dev/tty>\n"
	    "100 openat(AT_FDCWD, \"/dev/pts/3\", O_WRONLY) = 7</dev/pts/3>\n",
	    (struct analysis_input){.src_root = "/w/src", .dst_root = "/w/dst"});
	json_t *e = json_object_get(m, "escapes");
	assert_int_equal(num(e, "count"), 0);
	assert_int_equal(json_array_size(json_object_get(e, "list")), 0);
	json_t *c = check(m, "no_escapes");
	assert_string_equal(str(c, "status"), "PASS");
	assert_true(json_is_true(json_object_get(c, "applicable")));
	json_decref(m);
}

/* --trace: the command's absolute operands are the trees; without two of
 * them nothing can be told, and the check is not applicable (never PASS) */
static void test_escapes_trace_mode(void **state)
{
	(void)state;
	const char *ops[] = {"/w/src", "/w/dst"};
	json_t *m = model_in(trace, (struct analysis_input){.operands = ops, .n_operands = 2});
	json_t *e = json_object_get(m, "escapes");
	assert_true(json_is_true(json_object_get(e, "applicable")));
	assert_string_equal(str(e, "trees_from"), "header.operands");
	/* without roots the copy phase starts at the first path outside the
	 * loader set: line 1 is in it this time */
	assert_int_equal(num(e, "count"), 8);
	assert_int_equal(num(json_array_get(json_object_get(e, "list"), 0), "line"), 1);
	assert_string_equal(str(check(m, "no_escapes"), "status"), "FAIL");
	json_decref(m);

	m = model_in(trace, (struct analysis_input){.operands = ops, .n_operands = 1});
	e = json_object_get(m, "escapes");
	assert_false(json_is_true(json_object_get(e, "applicable")));
	assert_true(json_is_null(json_object_get(e, "count")));
	assert_int_equal(json_array_size(json_object_get(e, "list")), 0);
	json_t *c = check(m, "no_escapes");
	assert_string_equal(str(c, "status"), "WARN");
	assert_false(json_is_true(json_object_get(c, "applicable")));
	assert_non_null(strstr(str(c, "message"), "not applicable"));
	json_decref(m);
}

/* every escape is counted, the first 500 listed */
static void test_escapes_list_is_bounded(void **state)
{
	(void)state;
	size_t cap = 1 << 20, o = 0;
	char *t = malloc(cap);
	assert_non_null(t);
	o += (size_t)snprintf(t + o, cap - o,
	                      "100 openat(AT_FDCWD, \"/w/src\", O_RDONLY|O_DIRECTORY) = 3</w/src>\n");
	for (int i = 0; i < 600; i++)
		o += (size_t)snprintf(t + o, cap - o, "100 unlink(\"/tmp/x%d\") = 0\n", i);
	json_t *m = model_in(t, (struct analysis_input){.src_root = "/w/src", .dst_root = "/w/dst"});
	free(t);
	json_t *e = json_object_get(m, "escapes");
	assert_int_equal(num(e, "count"), 600);
	assert_int_equal(num(e, "listed"), 500);
	assert_int_equal(json_array_size(json_object_get(e, "list")), 500);
	assert_true(json_is_true(json_object_get(e, "truncated")));
	assert_string_equal(str(json_array_get(json_object_get(e, "list"), 499), "path"),
	                    "/tmp/x499");
	json_decref(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escapes_run_mode),
	    cmocka_unit_test(test_escapes_none_pass),
	    cmocka_unit_test(test_escapes_trace_mode),
	    cmocka_unit_test(test_escapes_list_is_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
