/* uring_ops: the opcode counts of the model (io_uring.ops.OPCODE, async
 * punts, rings created, lost) from a BPF capture, and still from the tracefs
 * text earlier versions saved; a file that is neither is an error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "uring_ops.h"

static char fixtures[1024];

static void read_fixture(const char *rel, struct uring_ops *u)
{
	char path[1200], err[1024] = "";
	snprintf(path, sizeof(path), "%s/%s", fixtures, rel);
	if (uring_ops_read(path, u, err, sizeof(err)) != 0)
		fail_msg("uring_ops_read %s: %s", path, err);
}

static json_int_t op(const struct uring_ops *u, const char *name)
{
	return json_integer_value(json_object_get(u->ops, name));
}

static void test_bpf_capture(void **state)
{
	(void)state;
	struct uring_ops u;
	read_fixture("uring/arsync-5files.uring", &u);
	assert_string_equal(u.source, "bpf");
	assert_int_equal(u.submits, 52);
	assert_int_equal(u.completions, 52);
	assert_int_equal(u.rings_created, 1);
	assert_int_equal(u.lost_events, 0);
	assert_int_equal(u.malformed, 0);
	assert_int_equal(op(&u, "IORING_OP_OPENAT"), 12);
	assert_int_equal(op(&u, "IORING_OP_STATX"), 9);
	assert_int_equal(op(&u, "IORING_OP_CLOSE"), 14);
	assert_int_equal(op(&u, "IORING_OP_LINKAT"), 5);
	assert_int_equal(op(&u, "IORING_OP_READ"), 5);
	assert_int_equal(op(&u, "IORING_OP_WRITE"), 5);
	assert_int_equal(op(&u, "IORING_OP_MKDIRAT"), 1);
	assert_int_equal(op(&u, "IORING_OP_SYMLINKAT"), 1);
	assert_int_equal(json_object_size(u.ops), 8);
	/* each punted request once: the O_TMPFILE opens, the writes, ... */
	assert_true(u.async_punts >= 10 && u.async_punts < u.submits);
	uring_ops_clear(&u);

	read_fixture("uring/fio-read8.uring", &u);
	assert_int_equal(op(&u, "IORING_OP_READ"), 8);
	assert_int_equal(json_object_size(u.ops), 1);
	assert_int_equal(u.async_punts, 0);
	uring_ops_clear(&u);
}

static void test_tracefs_text(void **state)
{
	(void)state;
	struct uring_ops u;
	read_fixture("uring/fio-randread-batch8.uring", &u);
	assert_string_equal(u.source, "tracefs");
	assert_int_equal(op(&u, "IORING_OP_READ"), 64);
	assert_int_equal(u.rings_created, 1);
	uring_ops_clear(&u);
}

static void test_neither(void **state)
{
	(void)state;
	char path[] = "/tmp/test_uring_ops_XXXXXX", err[1024] = "";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "io_uring? no\n", 13), 13);
	close(fd);
	struct uring_ops u;
	assert_int_equal(uring_ops_read(path, &u, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not an io_uring capture"));
	unlink(path);
}

int main(void)
{
	const char *f = getenv("FIXTURES");
	snprintf(fixtures, sizeof(fixtures), "%s", f && *f ? f : "fixtures");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bpf_capture),
	    cmocka_unit_test(test_tracefs_text),
	    cmocka_unit_test(test_neither),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
