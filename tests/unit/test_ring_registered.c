/* Registered rings: io_uring_enter with IORING_ENTER_REGISTERED_RING names
 * an index in the thread's registered-ring table, not an fd.
 * fixtures/uring/batches-{plain,registered}.{strace,uring} are the same
 * program (tests/helpers/uring_batches) with its ring named by fd and by
 * index (liburing's io_uring_register_ring_fd): the ring figures agree.
 * sqpoll-{plain,registered}.strace: the same with an SQPOLL ring, where
 * the batch figures are unknown both ways. */
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
#include "checks.h"

static char fixtures[1024];

static json_t *model_of(const char *trace, const char *uring)
{
	char err[1024] = "";
	json_t *rules = rules_load(NULL, err, sizeof(err));
	assert_non_null(rules);
	json_t *hdr = json_pack("{s:s}", "mode", "trace");
	struct analysis_input in = {
	    .trace_path = trace,
	    .uring_events_path = uring,
	    .rules = rules,
	    .header = hdr,
	    .quiet = 1,
	};
	json_t *m = analysis_build_model(&in, err, sizeof(err));
	if (!m)
		fail_msg("analysis of %s failed: %s", trace, err);
	json_decref(hdr);
	json_decref(rules);
	return m;
}

static json_t *fixture_model(const char *name)
{
	char t[2048], u[2048];
	snprintf(t, sizeof(t), "%s/uring/batches-%s.strace", fixtures, name);
	snprintf(u, sizeof(u), "%s/uring/batches-%s.uring", fixtures, name);
	return model_of(t, u);
}

static json_t *uring(json_t *m) { return json_object_get(m, "io_uring"); }

static void assert_same(json_t *a, json_t *b, const char *key)
{
	json_t *x = json_object_get(a, key), *y = json_object_get(b, key);
	if (!x || !json_equal(x, y)) {
		char *sx = json_dumps(x, JSON_ENCODE_ANY), *sy = json_dumps(y, JSON_ENCODE_ANY);
		fail_msg("%s: plain %s, registered %s", key, sx ? sx : "(none)",
		         sy ? sy : "(none)");
	}
}

static void test_registered_ring_same_figures(void **state)
{
	(void)state;
	json_t *p = fixture_model("plain"), *r = fixture_model("registered");
	json_t *up = uring(p), *ur = uring(r);
	/* 4 NOPs waited for, 2 READs, a wait-only call, 1 NOP */
	assert_int_equal(json_integer_value(json_object_get(up, "enter")), 4);
	assert_int_equal(json_integer_value(json_object_get(up, "sqes_submitted")), 7);
	static const char *const keys[] = {"setup",        "enter",           "submit_calls",
	                                   "wait_calls",   "sqes_submitted",  "batch_avg",
	                                   "batch_max",    "batch_histogram", "ops",
	                                   "sqpoll_rings", "submit_failed"};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		assert_same(up, ur, keys[i]);
	json_t *rp = json_object_get(up, "rings"), *rr = json_object_get(ur, "rings");
	assert_int_equal(json_array_size(rp), 1);
	assert_int_equal(json_array_size(rr), 1);
	static const char *const ring_keys[] = {"fd",           "entries",    "enter",
	                                        "submit_calls", "wait_calls", "sqes_submitted",
	                                        "batch_avg",    "batch_max"};
	for (size_t i = 0; i < sizeof(ring_keys) / sizeof(ring_keys[0]); i++)
		assert_same(json_array_get(rp, 0), json_array_get(rr, 0), ring_keys[i]);
	/* registered at the lowest free index, 0 */
	assert_int_equal(
	    json_integer_value(json_object_get(json_array_get(rr, 0), "registered_index")), 0);
	assert_true(json_is_false(json_object_get(json_array_get(rr, 0), "unknown_registered")));
	json_decref(p);
	json_decref(r);
}

static json_t *batch_check(json_t *m)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(m, "checks"), i, c)
	{
		if (!strcmp(json_string_value(json_object_get(c, "id")), "batch_avg"))
			return c;
	}
	fail_msg("no batch_avg check");
	return NULL;
}

static void test_registered_sqpoll_ring_unknown_batches(void **state)
{
	(void)state;
	char t[2048];
	snprintf(t, sizeof(t), "%s/uring/sqpoll-plain.strace", fixtures);
	json_t *p = model_of(t, NULL);
	snprintf(t, sizeof(t), "%s/uring/sqpoll-registered.strace", fixtures);
	json_t *r = model_of(t, NULL);
	json_t *up = uring(p), *ur = uring(r);
	assert_int_equal(json_integer_value(json_object_get(up, "sqpoll_rings")), 1);
	static const char *const keys[] = {"enter",          "submit_calls", "wait_calls",
	                                   "sqes_submitted", "sqpoll_rings", "batch_histogram"};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		assert_same(up, ur, keys[i]);
	assert_int_equal(json_array_size(json_object_get(ur, "rings")), 1);
	/* the kernel thread submits: the batch check cannot judge, either way */
	json_t *cp = batch_check(p), *cr = batch_check(r);
	assert_same(cp, cr, "status");
	assert_same(cp, cr, "value");
	assert_true(json_is_null(json_object_get(cr, "value")));
	json_decref(p);
	json_decref(r);
}

static json_t *text_model(const char *text)
{
	char path[] = "/tmp/test_ring_registered.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	json_t *m = model_of(path, NULL);
	unlink(path);
	return m;
}

/* Hand-made (the registration before the trace began is hard to provoke):
 * enters through index 0 whose ring is unknown count against an "unknown
 * registered ring", not against fd 0; the fd-named ring keeps its own. */
static void test_unknown_registered_ring(void **state)
{
	(void)state;
	json_t *m = text_model(
	    "100 io_uring_setup(8, {flags=0, sq_thread_cpu=0, sq_thread_idle=0}) = "
	    "3<anon_inode:[io_uring]>\n"
	    "100 io_uring_enter(0</dev/null>, 4, 4, "
	    "IORING_ENTER_GETEVENTS|IORING_ENTER_REGISTERED_RING, NULL, 8) = 4\n"
	    "100 io_uring_enter(0</dev/null>, 0, 1, 0x11, NULL, 8) = 0\n"
	    "100 io_uring_enter(3<anon_inode:[io_uring]>, 2, 2, IORING_ENTER_GETEVENTS, NULL, 8) = "
	    "2\n"
	    "100 read(0</dev/null>, \"\", 8) = 0\n"
	    /* a later registration maps index 1; the first free index is 0 */
	    "100 io_uring_register(3<anon_inode:[io_uring]>, IORING_REGISTER_RING_FDS, "
	    "[{offset=1, data=3<anon_inode:[io_uring]>}], 1) = 1\n"
	    "100 io_uring_enter(1</dev/null>, 1, 1, IORING_ENTER_REGISTERED_RING, NULL, 8) = 1\n"
	    "100 io_uring_register(3<anon_inode:[io_uring]>, IORING_UNREGISTER_RING_FDS, "
	    "[{offset=1}], 1) = 1\n"
	    "100 io_uring_enter(1</dev/null>, 1, 1, IORING_ENTER_REGISTERED_RING, NULL, 8) = 1\n"
	    "100 +++ exited with 0 +++\n");
	json_t *u = uring(m), *rings = json_object_get(u, "rings");
	assert_int_equal(json_integer_value(json_object_get(u, "enter")), 5);
	size_t i;
	json_t *r;
	int seen = 0;
	json_array_foreach(rings, i, r)
	{
		json_t *fd = json_object_get(r, "fd");
		json_int_t idx = json_integer_value(json_object_get(r, "registered_index"));
		json_int_t enter = json_integer_value(json_object_get(r, "enter"));
		if (json_is_integer(fd)) {
			assert_int_equal(json_integer_value(fd), 3); /* never fd 0 */
			assert_int_equal(enter, 2);                  /* its own, and index 1's */
			seen |= 1;
		} else if (idx == 0) {
			assert_true(json_is_true(json_object_get(r, "unknown_registered")));
			assert_int_equal(enter, 2);
			seen |= 2;
		} else {
			assert_int_equal(idx, 1); /* after the unregistration */
			assert_int_equal(enter, 1);
			seen |= 4;
		}
	}
	assert_int_equal(seen, 7);
	assert_int_equal(json_array_size(rings), 3);
	json_decref(m);
}

int main(void)
{
	const char *f = getenv("FIXTURES");
	snprintf(fixtures, sizeof(fixtures), "%s", f && *f ? f : "fixtures");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_registered_ring_same_figures),
	    cmocka_unit_test(test_unknown_registered_ring),
	    cmocka_unit_test(test_registered_sqpoll_ring_unknown_batches),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
