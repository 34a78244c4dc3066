/* Tests for the evaluation stage: each check's PASS / WARN / FAIL edges
 * from the default rules, unknown figures, verification, --rules merging,
 * scores and the exit status; and what the capture of io_uring requests
 * leaves unknown (bpf / counts / none / no io_uring at all): never PASS. */
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

static json_t *rules;

static int setup(void **state)
{
	(void)state;
	char err[512];
	rules = rules_load(NULL, err, sizeof(err));
	return rules ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	json_decref(rules);
	return 0;
}

static json_t *no_calls(const void *ud, const char *what)
{
	(void)ud;
	return json_pack("[s]", what);
}

/* A clean io_uring copier on 10 files of 100 MiB in all: the baseline every
 * test changes one figure of. */
static struct check_input good(json_t *ver)
{
	struct check_input in = {
	    .verification = ver,
	    .files = 10,
	    .mib = 100,
	    .calls_for = no_calls,
	};
	in.fig.copy_syscalls = 200;
	in.fig.path_based = 2;
	in.fig.fd_based = 100;
	in.fig.stat_calls = 10;
	in.fig.open_calls = 2;
	in.fig.uring_setup = 1;
	in.fig.uring_threads = 1;
	in.fig.rings = 1;
	in.fig.submit_calls = 10;
	in.fig.sqes_submitted = 80;
	in.fig.meta_fd = 30;
	return in;
}

static json_t *ok_verification(void)
{
	return json_pack("{s:b,s:b,s:n,s:i,s:[]}", "performed", 1, "ok", 1, "reason", "checked", 10,
	                 "differences");
}

/* The escapes section of a copier that wrote only inside SRC and DST (the
 * aggregation makes it; the checks read it from the model). */
static json_t *model_no_escapes(void)
{
	return json_pack("{s:{s:b,s:i,s:[]}}", "escapes", "applicable", 1, "count", 0, "list");
}

static json_t *evaluate(const struct check_input *in)
{
	json_t *m = model_no_escapes();
	char err[512];
	assert_int_equal(checks_evaluate(rules, in, m, err, sizeof(err)), 0);
	return m;
}

static const char *status_of(json_t *m, const char *id)
{
	size_t i;
	json_t *c;
	json_array_foreach(
	    json_object_get(m, "checks"), i,
	    c) if (!strcmp(json_string_value(json_object_get(c, "id")),
	                   id)) return json_string_value(json_object_get(c, "status"));
	fail_msg("no check %s", id);
	return NULL;
}

static void test_clean_copier_passes(void **state)
{
	(void)state;
	json_t *ver = ok_verification();
	struct check_input in = good(ver);
	json_t *m = evaluate(&in);
	assert_string_equal(json_string_value(json_object_get(m, "verdict")), "PASS");
	assert_int_equal(json_array_size(json_object_get(m, "checks")), 13);
	assert_int_equal(json_array_size(json_object_get(m, "recommendations")), 0);
	assert_int_equal(analysis_exit_status(m, 1), 0);
	json_t *sc = json_object_get(m, "scores");
	assert_true(json_integer_value(json_object_get(sc, "security")) >= 90);
	json_decref(m);
	json_decref(ver);
}

static int score_of(json_t *m, const char *name)
{
	return (int)json_integer_value(json_object_get(json_object_get(m, "scores"), name));
}

/* Exact scores: security counts path-based calls without those on the
 * SRC/DST operands; efficiency spends one budget of 50 syscalls per file
 * plus 64 per MiB, so many small files are not judged per MiB. */
static void test_score_formulas(void **state)
{
	(void)state;
	json_t *ver = ok_verification();
	struct check_input in = good(ver);
	/* 2 path-based of 102 path-naming calls, both on the roots: share 0 */
	in.fig.root_path_calls = 2;
	json_t *m = evaluate(&in);
	assert_int_equal(score_of(m, "security"), 100);
	/* 200 syscalls / (50 x 10 + 64 x 100) = 0.029 -> 100 - 70 x 0.029 = 98 */
	assert_int_equal(score_of(m, "efficiency"), 98);
	assert_int_equal(score_of(m, "overall"), 99);
	json_decref(m);

	/* the roots not known (--trace): 2 / 102 path-based -> 100 - 40 x 0.0196 = 99 */
	in.fig.root_path_calls = 0;
	m = evaluate(&in);
	assert_int_equal(score_of(m, "security"), 99);
	json_decref(m);

	/* 10,000 files of 4 KiB, 12,000 syscalls: 1.2 per file, 305 per MiB */
	in.files = 10000;
	in.mib = 39.0625;
	in.fig.copy_syscalls = 12000;
	m = evaluate(&in);
	/* 12000 / (500000 + 2500) = 0.0239 -> 100 - 1.67 = 98 */
	assert_int_equal(score_of(m, "efficiency"), 98);
	json_decref(m);

	/* over budget and no batching: 0 */
	in.fig.copy_syscalls = 600000;
	in.fig.submit_calls = 0;
	in.fig.sqes_submitted = 0;
	m = evaluate(&in);
	assert_int_equal(score_of(m, "efficiency"), 0);
	json_decref(m);

	/* neither basis known: no budget term, only batching (none: -30) */
	in.files = 0;
	in.mib = 0;
	m = evaluate(&in);
	assert_int_equal(score_of(m, "efficiency"), 70);
	json_decref(m);
	json_decref(ver);
}

struct edge {
	const char *id;
	uint64_t *field;
	uint64_t pass, warn, fail;
};

static void test_thresholds_scale_per_file(void **state)
{
	(void)state;
	json_t *ver = ok_verification();
	struct check_input in = good(ver);
	/* 10 files: path-based 0.5/file is still PASS, 0.6 WARN, 2.1 FAIL */
	struct edge edges[] = {
	    {"path_based_per_file", &in.fig.path_based, 5, 6, 21},
	    {"statx_per_file", &in.fig.stat_calls, 20, 21, 41},
	    {"opens_per_file", &in.fig.open_calls, 25, 26, 41},
	    {"legacy", &in.fig.legacy_calls, 0, 1, 11},
	    /* one check-then-use pair for every other file fails */
	    {"toctou_pairs", &in.fig.pairs_path, 2, 5, 6},
	    {"direct_data_io", &in.fig.data_calls_regular, 100, 101, 1601},
	};
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		uint64_t keep = *edges[i].field;
		uint64_t v[3] = {edges[i].pass, edges[i].warn, edges[i].fail};
		const char *want[3] = {"PASS", "WARN", "FAIL"};
		for (int k = 0; k < 3; k++) {
			*edges[i].field = v[k];
			json_t *m = evaluate(&in);
			if (strcmp(status_of(m, edges[i].id), want[k]))
				fail_msg("%s with %llu: %s, expected %s", edges[i].id,
				         (unsigned long long)v[k], status_of(m, edges[i].id),
				         want[k]);
			json_decref(m);
		}
		*edges[i].field = keep;
	}
	/* the same counts on 100 files pass: targets scale */
	in.files = 100;
	in.fig.path_based = 21;
	in.fig.pairs = in.fig.pairs_path = 11;
	json_t *m = evaluate(&in);
	assert_string_equal(status_of(m, "path_based_per_file"), "PASS");
	assert_string_equal(status_of(m, "toctou_pairs"), "PASS");
	json_decref(m);
	json_decref(ver);
}

static void test_batch_avg_and_rings(void **state)
{
	(void)state;
	json_t *ver = ok_verification();
	struct check_input in = good(ver);
	in.fig.sqes_submitted = 15; /* 1.5 per submit */
	json_t *m = evaluate(&in);
	assert_string_equal(status_of(m, "batch_avg"), "WARN");
	json_decref(m);
	in.fig.sqes_submitted = 10;
	m = evaluate(&in);
	assert_string_equal(status_of(m, "batch_avg"), "FAIL");
	json_decref(m);
	in.fig.submit_calls = 0; /* no io_uring at all: when_unknown = WARN */
	in.fig.sqes_submitted = 0;
	m = evaluate(&in);
	assert_string_equal(status_of(m, "batch_avg"), "WARN");
	json_decref(m);
	in = good(ver);
	in.fig.sqpoll_rings = 1; /* every ring SQPOLL: not applicable */
	in.fig.sqes_submitted = 10;
	m = evaluate(&in);
	assert_string_equal(status_of(m, "batch_avg"), "PASS");
	json_decref(m);
	in = good(ver);
	in.fig.uring_setup = 5; /* 5 rings for one thread */
	m = evaluate(&in);
	assert_string_equal(status_of(m, "setup_per_thread"), "FAIL");
	json_decref(m);
	json_decref(ver);
}

static void test_fd_metadata_share(void **state)
{
	(void)state;
	json_t *ver = ok_verification();
	struct check_input in = good(ver);
	in.fig.meta_fd = 8;
	in.fig.meta_path = 2; /* 80 % */
	json_t *m = evaluate(&in);
	assert_string_equal(status_of(m, "fd_metadata_share"), "WARN");
	json_decref(m);
	in.fig.meta_fd = 4;
	in.fig.meta_path = 6;
	m = evaluate(&in);
	assert_string_equal(status_of(m, "fd_metadata_share"), "FAIL");
	json_decref(m);
	in.fig.meta_fd = 0;
	in.fig.meta_path = 0;
	m = evaluate(&in);
	assert_string_equal(status_of(m, "fd_metadata_share"), "PASS");
	json_decref(m);
	json_decref(ver);
}

static void test_verification(void **state)
{
	(void)state;
	json_t *bad =
	    json_pack("{s:b,s:b,s:n,s:i,s:[s]}", "performed", 1, "ok", 0, "reason", "checked", 10,
	              "differences", "f1.bin: content differs at byte 4096");
	struct check_input in = good(bad);
	json_t *m = evaluate(&in);
	assert_string_equal(status_of(m, "verified"), "FAIL");
	assert_string_equal(json_string_value(json_object_get(m, "verdict")), "FAIL");
	assert_int_equal(analysis_exit_status(m, 0), 2);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(m, "scores"), "overall")), 0);
	json_t *c = json_array_get(json_object_get(m, "checks_failed"), 0);
	assert_non_null(strstr(json_string_value(json_object_get(c, "message")), "byte 4096"));
	json_decref(m);
	json_decref(bad);

	json_t *notdone = json_pack("{s:b,s:n,s:s,s:n,s:[]}", "performed", 0, "ok", "reason",
	                            "copier exited with status 1", "checked", "differences");
	in = good(notdone);
	m = evaluate(&in);
	assert_string_equal(status_of(m, "verified"), "WARN");
	assert_int_equal(analysis_exit_status(m, 0), 0);
	assert_int_equal(analysis_exit_status(m, 1), 1);
	json_decref(m);
	in.trace_mode = true; /* --trace: not applicable, PASS */
	m = evaluate(&in);
	assert_string_equal(status_of(m, "verified"), "PASS");
	json_decref(m);
	json_decref(notdone);
}

static void test_unknown_files_not_applicable(void **state)
{
	(void)state;
	json_t *ver = ok_verification();
	struct check_input in = good(ver);
	in.files = 0;
	in.mib = 0;
	in.fig.path_based = 1000;
	json_t *m = evaluate(&in);
	assert_string_equal(status_of(m, "path_based_per_file"), "PASS");
	json_t *c = json_array_get(json_object_get(m, "checks"), 1);
	assert_false(json_is_true(json_object_get(c, "applicable")));
	assert_true(json_is_null(json_object_get(c, "value")));
	json_decref(m);
	json_decref(ver);
}

static void test_rules_override_merges(void **state)
{
	(void)state;
	char path[] = "/tmp/test_checks_rulesXXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *text =
	    "{\"checks\": [{\"id\": \"path_based_per_file\", \"warn\": 10, \"fail\": 20}]}";
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	char err[512];
	json_t *r = rules_load(path, err, sizeof(err));
	assert_non_null(r);
	json_t *saved = rules;
	rules = r;
	json_t *ver = ok_verification();
	struct check_input in = good(ver);
	in.fig.path_based = 50; /* 5 per file: WARN by default, PASS with warn 10 */
	json_t *m = evaluate(&in);
	assert_string_equal(status_of(m, "path_based_per_file"), "PASS");
	assert_int_equal(json_array_size(json_object_get(m, "checks")), 13); /* others kept */
	json_decref(m);
	rules = saved;
	json_decref(r);
	json_decref(ver);

	/* a broken file names itself */
	FILE *f = fopen(path, "w");
	fputs("{\"checks\": [", f);
	fclose(f);
	assert_null(rules_load(path, err, sizeof(err)));
	assert_non_null(strstr(err, path));
	unlink(path);
	assert_null(rules_load("/nonexistent/rules.json", err, sizeof(err)));
}

/* --- io_uring requests: what their capture leaves unknown ------------------ */

static json_t *check_of(json_t *m, const char *id)
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

static const char *message_of(json_t *m, const char *id)
{
	return json_string_value(json_object_get(check_of(m, id), "message"));
}

static bool starts_with(const char *s, const char *prefix)
{
	return s && !strncmp(s, prefix, strlen(prefix));
}

/* A model whose trace shows one ring (SETUP io_uring_setup calls) with the
 * given ring_ops (NULL: a model from before the capture) and opcode counts
 * (OPS, NULL: none), evaluated with the clean copier's figures IN. */
static json_t *evaluate_ring(const struct check_input *in, int setup, json_t *ring_ops, json_t *ops,
                             json_t *ops_detail)
{
	json_t *m = model_no_escapes();
	json_t *u = json_pack("{s:i,s:i,s:o}", "setup", setup, "enter", setup ? 12 : 0, "ops",
	                      ops ? ops : json_object());
	json_object_set_new(u, "ops_source", ops ? json_string("tracefs") : json_null());
	if (ring_ops)
		json_object_set_new(u, "ring_ops", ring_ops);
	if (ops_detail)
		json_object_set_new(u, "ops_detail", ops_detail);
	json_object_set_new(m, "io_uring", u);
	char err[512];
	assert_int_equal(checks_evaluate(rules, in, m, err, sizeof(err)), 0);
	return m;
}

static json_t *ring_ops(const char *capture, const char *reason, json_t *unclassified, int lost)
{
	return json_pack(
	    "{s:s,s:s?,s:i,s:o,s:o,s:i,s:i}", "capture", capture, "reason", reason, "requests", 80,
	    "path_taking",
	    json_is_integer(unclassified) ? json_integer(json_integer_value(unclassified))
	                                  : json_null(),
	    "unclassified_path_ops", unclassified, "lost", lost, "unattributed_fixed", 0);
}

static void expect_security_complete(json_t *m, bool complete, const char *reason_part)
{
	json_t *sc = json_object_get(m, "scores");
	assert_int_equal(json_is_true(json_object_get(sc, "security_complete")), complete);
	const char *why = json_string_value(json_object_get(sc, "incomplete_reason"));
	if (complete) {
		assert_true(json_is_null(json_object_get(sc, "incomplete_reason")));
	} else if (!why || !strstr(why, reason_part)) {
		fail_msg("incomplete_reason '%s' lacks '%s'", why ? why : "(none)", reason_part);
	}
}

/* Neither arguments nor opcodes known (--uring-ops off): the path, pair and
 * metadata checks WARN "not verified: an unknown number ...", never PASS. */
static void test_ring_none_not_verified(void **state)
{
	(void)state;
	json_t *ver = ok_verification();
	struct check_input in = good(ver);
	json_t *m = evaluate_ring(
	    &in, 1, ring_ops("none", "disabled by --uring-ops off", json_null(), 0), NULL, NULL);
	static const char *const ids[] = {"path_based_per_file", "toctou_pairs",
	                                  "fd_metadata_share"};
	for (size_t i = 0; i < 3; i++) {
		assert_string_equal(status_of(m, ids[i]), "WARN");
		assert_false(json_is_true(json_object_get(check_of(m, ids[i]), "complete")));
		assert_true(
		    json_is_null(json_object_get(check_of(m, ids[i]), "unclassified_ring_ops")));
	}
	assert_true(starts_with(message_of(m, "path_based_per_file"),
	                        "not verified: an unknown number of path-taking io_uring "
	                        "operations could not be classified; outside the ring: 2 "));
	assert_true(starts_with(message_of(m, "toctou_pairs"), "not verified: an unknown number"));
	assert_true(starts_with(message_of(m, "fd_metadata_share"),
	                        "not verified: an unknown number of io_uring xattr changes"));
	/* checks ring operations cannot change keep their status */
	assert_string_equal(status_of(m, "statx_per_file"), "PASS");
	assert_true(json_is_true(json_object_get(check_of(m, "statx_per_file"), "complete")));
	/* the new ring checks: not applicable without what they read */
	assert_string_equal(status_of(m, "ring_failed_per_file"), "PASS");
	assert_false(
	    json_is_true(json_object_get(check_of(m, "ring_failed_per_file"), "applicable")));
	assert_non_null(strstr(message_of(m, "ring_failed_per_file"), "BPF capture"));
	assert_false(
	    json_is_true(json_object_get(check_of(m, "ring_unexpected_ops"), "applicable")));
	assert_string_equal(json_string_value(json_object_get(m, "verdict")), "WARN");
	expect_security_complete(m, false, "(disabled by --uring-ops off)");
	json_decref(m);

	/* what is known to be bad stays FAIL, with the note */
	in.fig.path_based = 50;
	m = evaluate_ring(&in, 1, ring_ops("none", "not root", json_null(), 0), NULL, NULL);
	assert_string_equal(status_of(m, "path_based_per_file"), "FAIL");
	assert_true(starts_with(message_of(m, "path_based_per_file"), "not verified: "));
	json_decref(m);

	/* files unknown and arguments unknown: still not PASS */
	in = good(ver);
	in.files = 0;
	m = evaluate_ring(&in, 1, ring_ops("none", "not root", json_null(), 0), NULL, NULL);
	assert_string_equal(status_of(m, "path_based_per_file"), "WARN");
	assert_non_null(
	    strstr(message_of(m, "path_based_per_file"), "the number of files is unknown"));
	json_decref(m);
	json_decref(ver);
}

/* Opcode counts only: N = unclassified_path_ops; a check whose opcodes
 * did not occur (no xattr changes in the ring) is verified. */
static void test_ring_counts_not_verified(void **state)
{
	(void)state;
	json_t *ver = ok_verification();
	struct check_input in = good(ver);
	json_t *ops =
	    json_pack("{s:i,s:i,s:i,s:i,s:i}", "IORING_OP_STATX", 20, "IORING_OP_OPENAT", 20,
	              "IORING_OP_READ", 20, "IORING_OP_WRITE", 20, "IORING_OP_CLOSE", 20);
	json_t *m = evaluate_ring(
	    &in, 1, ring_ops("counts", "BPF program refused: EPERM", json_integer(40), 0),
	    json_deep_copy(ops), NULL);
	assert_string_equal(status_of(m, "path_based_per_file"), "WARN");
	assert_true(starts_with(message_of(m, "path_based_per_file"),
	                        "not verified: 40 path-taking io_uring operations could not be "
	                        "classified; outside the ring: 2 path-based calls for 10 files"));
	assert_int_equal(json_integer_value(
	                     json_object_get(check_of(m, "toctou_pairs"), "unclassified_ring_ops")),
	                 40);
	assert_string_equal(status_of(m, "toctou_pairs"), "WARN");
	assert_string_equal(status_of(m, "fd_metadata_share"), "PASS");
	assert_true(json_is_true(json_object_get(check_of(m, "fd_metadata_share"), "complete")));
	assert_string_equal(status_of(m, "ring_unexpected_ops"), "PASS");
	assert_true(
	    json_is_true(json_object_get(check_of(m, "ring_unexpected_ops"), "applicable")));
	expect_security_complete(m, false, "not verified: 40 path-taking");
	expect_security_complete(m, false, "BPF program refused: EPERM");
	json_decref(m);

	/* a ring without path-taking requests (fio): nothing unknown */
	m = evaluate_ring(&in, 1, ring_ops("counts", "not root", json_integer(0), 0),
	                  json_pack("{s:i}", "IORING_OP_READ", 64), NULL);
	assert_string_equal(status_of(m, "path_based_per_file"), "PASS");
	assert_string_equal(status_of(m, "toctou_pairs"), "PASS");
	assert_string_equal(json_string_value(json_object_get(m, "verdict")), "PASS");
	expect_security_complete(m, true, NULL);
	json_decref(m);

	/* opcodes a copier does not need: WARN, listed */
	json_object_set_new(ops, "IORING_OP_CONNECT", json_integer(2));
	json_object_set_new(ops, "IORING_OP_SEND", json_integer(3));
	json_object_set_new(ops, "IORING_OP_READ_FIXED", json_integer(4)); /* READ* */
	m = evaluate_ring(&in, 1, ring_ops("counts", "not root", json_integer(40), 0), ops, NULL);
	assert_string_equal(status_of(m, "ring_unexpected_ops"), "WARN");
	const char *msg = message_of(m, "ring_unexpected_ops");
	assert_non_null(strstr(msg, "5 io_uring requests outside"));
	assert_non_null(strstr(msg, "IORING_OP_CONNECT \u00d7 2"));
	assert_non_null(strstr(msg, "IORING_OP_SEND \u00d7 3"));
	assert_null(strstr(msg, "READ_FIXED"));
	assert_true(json_is_null(json_object_get(check_of(m, "ring_unexpected_ops"), "fail_at")));
	json_decref(m);
	json_decref(ver);
}

/* The BPF capture: ring operations are in the figures, nothing is unknown
 * unless records were lost; failures per file come from ops_detail. */
static void test_ring_bpf_verified(void **state)
{
	(void)state;
	json_t *ver = ok_verification();
	struct check_input in = good(ver);
	json_t *detail =
	    json_pack("{s:{s:i,s:{s:i,s:i}},s:{s:i,s:{s:i}},s:{s:i,s:{}}}", "IORING_OP_OPENAT",
	              "count", 20, "failed", "ENOENT", 4, "EEXIST", 1, "IORING_OP_TIMEOUT", "count",
	              3, "failed", "ETIME", 3, "IORING_OP_READ", "count", 20, "failed");
	json_t *m = evaluate_ring(&in, 1, ring_ops("bpf", NULL, json_integer(0), 0),
	                          json_pack("{s:i,s:i,s:i}", "IORING_OP_OPENAT", 20,
	                                    "IORING_OP_TIMEOUT", 3, "IORING_OP_READ", 20),
	                          json_deep_copy(detail));
	assert_string_equal(status_of(m, "path_based_per_file"), "PASS");
	assert_string_equal(status_of(m, "toctou_pairs"), "PASS");
	assert_string_equal(status_of(m, "fd_metadata_share"), "PASS");
	assert_true(json_is_true(json_object_get(check_of(m, "path_based_per_file"), "complete")));
	expect_security_complete(m, true, NULL);
	/* 5 failures (ETIME of a timeout is its normal end) for 10 files: WARN */
	assert_string_equal(status_of(m, "ring_failed_per_file"), "WARN");
	const char *msg = message_of(m, "ring_failed_per_file");
	assert_non_null(strstr(msg, "5 failed io_uring operations for 10 files"));
	assert_non_null(strstr(msg, "IORING_OP_OPENAT ENOENT \u00d7 4"));
	assert_null(strstr(msg, "ETIME"));
	json_decref(m);

	/* the figures include the ring's path-based calls: they fail like direct ones */
	in.fig.path_based = 60;
	in.fig.pairs = in.fig.pairs_path = 20;
	m = evaluate_ring(&in, 1, ring_ops("bpf", NULL, json_integer(0), 0), NULL,
	                  json_deep_copy(detail));
	assert_string_equal(status_of(m, "path_based_per_file"), "FAIL");
	assert_string_equal(status_of(m, "toctou_pairs"), "FAIL");
	assert_null(strstr(message_of(m, "path_based_per_file"), "not verified"));
	json_decref(m);

	/* records lost: what they held is unknown */
	in = good(ver);
	m = evaluate_ring(&in, 1, ring_ops("bpf", NULL, json_integer(0), 7), NULL, detail);
	assert_string_equal(status_of(m, "path_based_per_file"), "WARN");
	assert_true(starts_with(message_of(m, "path_based_per_file"),
	                        "not verified: the io_uring capture lost 7 records"));
	expect_security_complete(m, false, "lost 7 records");
	json_decref(m);
	json_decref(ver);
}

/* A model from before the capture (no io_uring.ring_ops): like "none" when
 * the trace shows io_uring, with N from the opcode counts when there are. */
static void test_ring_absent_and_no_uring(void **state)
{
	(void)state;
	json_t *ver = ok_verification();
	struct check_input in = good(ver);
	json_t *m = evaluate_ring(&in, 1, NULL, NULL, NULL);
	assert_string_equal(status_of(m, "path_based_per_file"), "WARN");
	assert_true(
	    starts_with(message_of(m, "path_based_per_file"), "not verified: an unknown number"));
	expect_security_complete(m, false, "not verified");
	json_decref(m);

	m = evaluate_ring(&in, 1, NULL,
	                  json_pack("{s:i,s:i,s:i}", "IORING_OP_OPENAT", 7, "IORING_OP_STATX", 3,
	                            "IORING_OP_READ", 5),
	                  NULL);
	assert_true(starts_with(message_of(m, "path_based_per_file"),
	                        "not verified: 10 path-taking io_uring operations"));
	assert_string_equal(status_of(m, "fd_metadata_share"), "PASS"); /* no xattr ops */
	json_decref(m);

	/* no io_uring at all (cp -a with --uring-ops off): nothing to verify */
	json_t *off = ring_ops("none", "disabled by --uring-ops off", json_null(), 0);
	json_object_set_new(off, "requests", json_null());
	m = evaluate_ring(&in, 0, off, NULL, NULL);
	static const char *const ids[] = {"path_based_per_file", "toctou_pairs",
	                                  "fd_metadata_share"};
	for (size_t i = 0; i < 3; i++) {
		assert_string_equal(status_of(m, ids[i]), "PASS");
		assert_true(json_is_true(json_object_get(check_of(m, ids[i]), "complete")));
	}
	assert_false(
	    json_is_true(json_object_get(check_of(m, "ring_failed_per_file"), "applicable")));
	assert_non_null(strstr(message_of(m, "ring_failed_per_file"), "no io_uring"));
	assert_non_null(strstr(message_of(m, "ring_unexpected_ops"), "no io_uring"));
	assert_string_equal(json_string_value(json_object_get(m, "verdict")), "PASS");
	expect_security_complete(m, true, NULL);
	json_decref(m);
	m = evaluate_ring(&in, 0, NULL, NULL, NULL);
	assert_string_equal(status_of(m, "path_based_per_file"), "PASS");
	expect_security_complete(m, true, NULL);
	json_decref(m);
	json_decref(ver);
}

/* The status and words come from the rules: a --rules file can make an
 * unverified check FAIL. */
static void test_ring_unverified_from_rules(void **state)
{
	(void)state;
	char path[] = "/tmp/test_checks_ringXXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *text =
	    "{\"checks\": [{\"id\": \"toctou_pairs\", \"when_unverified\": \"FAIL\"}],"
	    " \"ring_ops\": {\"messages\": {\"unknown\": \"unknown ring ({ops})\"}}}";
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	char err[512];
	json_t *r = rules_load(path, err, sizeof(err));
	unlink(path);
	assert_non_null(r);
	json_t *saved = rules;
	rules = r;
	json_t *ver = ok_verification();
	struct check_input in = good(ver);
	json_t *m = evaluate_ring(&in, 1, ring_ops("none", "not root", json_null(), 0), NULL, NULL);
	assert_string_equal(status_of(m, "toctou_pairs"), "FAIL");
	assert_true(starts_with(message_of(m, "toctou_pairs"),
	                        "unknown ring (path-taking io_uring operations); "));
	json_decref(m);
	rules = saved;
	json_decref(r);
	json_decref(ver);
}

/* A pair through a directory fd (statx(dirfd, name) then openat(dirfd,
 * name)) is reported, not counted, unless the rules say so. */
static void test_dirfd_pairs(void **state)
{
	(void)state;
	json_t *ver = ok_verification();
	struct check_input in = good(ver);
	in.fig.pairs = 12; /* 9 files, 3 directories: all through the dirfd */
	json_t *m = evaluate(&in);
	assert_string_equal(status_of(m, "toctou_pairs"), "PASS");
	const char *msg =
	    json_string_value(json_object_get(check_of(m, "toctou_pairs"), "message"));
	assert_non_null(strstr(msg,
	                       "0 check-then-use pairs with a side named by path for 10 files; "
	                       "12 more through a directory fd, not counted here"));
	assert_int_equal(score_of(m, "security"), 99);
	json_decref(m);
	in.fig.pairs_path = 3; /* and 3 by path: those count */
	in.fig.pairs = 15;
	m = evaluate(&in);
	assert_string_equal(status_of(m, "toctou_pairs"), "WARN");
	msg = json_string_value(json_object_get(check_of(m, "toctou_pairs"), "message"));
	assert_true(
	    starts_with(msg, "3 check-then-use pairs with a side named by path for 10 files"));
	json_decref(m);

	char path[] = "/tmp/test_checks_dirfdXXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *text = "{\"checks\": [{\"id\": \"toctou_pairs\", \"count_dirfd_pairs\": true}],"
	                   " \"scores\": {\"security\": {\"count_dirfd_pairs\": true}}}";
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	char err[512];
	json_t *r = rules_load(path, err, sizeof(err));
	unlink(path);
	assert_non_null(r);
	json_t *saved = rules;
	rules = r;
	in.fig.pairs_path = 0;
	in.fig.pairs = 12;
	m = evaluate(&in);
	assert_string_equal(status_of(m, "toctou_pairs"), "FAIL");
	assert_true(score_of(m, "security") <= 60);
	json_decref(m);
	rules = saved;
	json_decref(r);
	json_decref(ver);
}

static void test_format_number(void **state)
{
	(void)state;
	char b[32];
	format_number(66, b, sizeof(b));
	assert_string_equal(b, "66");
	format_number(8.25, b, sizeof(b));
	assert_string_equal(b, "8.25");
	format_number(0.7644, b, sizeof(b));
	assert_string_equal(b, "0.764");
	format_number(2.5, b, sizeof(b));
	assert_string_equal(b, "2.5");
	assert_int_equal(check_status_rank("WARN"), 1);
	assert_int_equal(check_status_rank("SKIP"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_clean_copier_passes),
	    cmocka_unit_test(test_score_formulas),
	    cmocka_unit_test(test_thresholds_scale_per_file),
	    cmocka_unit_test(test_batch_avg_and_rings),
	    cmocka_unit_test(test_fd_metadata_share),
	    cmocka_unit_test(test_verification),
	    cmocka_unit_test(test_unknown_files_not_applicable),
	    cmocka_unit_test(test_rules_override_merges),
	    cmocka_unit_test(test_ring_none_not_verified),
	    cmocka_unit_test(test_ring_counts_not_verified),
	    cmocka_unit_test(test_ring_bpf_verified),
	    cmocka_unit_test(test_ring_absent_and_no_uring),
	    cmocka_unit_test(test_ring_unverified_from_rules),
	    cmocka_unit_test(test_dirfd_pairs),
	    cmocka_unit_test(test_format_number),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
