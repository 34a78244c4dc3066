/* Golden figures of the analysis on recorded traces (fixtures/analysis/,
 * recorded by fixtures/analysis/record.sh; fixtures/uring/). Every number
 * here was checked by hand against the trace text, e.g. for cp -a:
 *   tail -n +154 cp_a.trace | grep -cE ' [a-z0-9_]+\(AT_FDCWD'   -> 57
 * plus 30 legacy path calls and 2 symlinkat = 89 path-based calls, and
 * f1.bin's 17 calls are the lines naming src/f1.bin or dst_cp/f1.bin
 * (directly or through fds 3 and 4) with the two copy_file_range calls
 * that name both counted once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include <cmocka.h>

#include "analysis.h"
#include "checks.h"

static char fixtures[1024];

static void fixture_path(char *out, size_t size, const char *rel)
{
	snprintf(out, size, "%s/%s", fixtures, rel);
}

struct built {
	json_t *model, *meta, *rules, *run, *ver, *hdr;
	const char *files[64];
};

/* Builds the model of TRACE as run mode would (roots and dataset from
 * meta.json, DST_KEY names the destination root), or as --trace when
 * DST_KEY is NULL. */
static json_t *build(struct built *b, const char *trace, const char *dst_key, const char *uring)
{
	char path[2048], upath[2048], mpath[2048], err[1024] = "";
	memset(b, 0, sizeof(*b));
	fixture_path(path, sizeof(path), trace);
	fixture_path(mpath, sizeof(mpath), "analysis/meta.json");
	json_error_t je;
	b->meta = json_load_file(mpath, 0, &je);
	assert_non_null(b->meta);
	b->rules = rules_load(NULL, err, sizeof(err));
	assert_non_null(b->rules);
	size_t n = 0, i;
	json_t *v;
	json_array_foreach(json_object_get(b->meta, "files"), i, v) b->files[n++] =
	    json_string_value(v);
	struct analysis_input in = {.trace_path = path, .rules = b->rules, .quiet = 1};
	if (uring) {
		fixture_path(upath, sizeof(upath), uring);
		in.uring_events_path = upath;
	}
	if (dst_key) {
		b->run = json_pack("{s:i,s:i,s:f,s:f,s:i}", "files", 6, "bytes", 1053576,
		                   "wall_seconds", 0.01, "mb_per_s", 100.0, "exit_status", 0);
		b->ver = json_pack("{s:b,s:b,s:n,s:i,s:[]}", "performed", 1, "ok", 1, "reason",
		                   "checked", 6, "differences");
		b->hdr = json_pack("{s:s}", "mode", "run");
		in.src_root = json_string_value(json_object_get(b->meta, "src_root"));
		in.dst_root = json_string_value(json_object_get(b->meta, dst_key));
		in.dataset_files = b->files;
		in.n_dataset_files = n;
		in.run = b->run;
		in.verification = b->ver;
		in.header = b->hdr;
	} else {
		b->hdr = json_pack("{s:s}", "mode", "trace");
		in.header = b->hdr;
	}
	b->model = analysis_build_model(&in, err, sizeof(err));
	if (!b->model)
		fail_msg("analysis of %s failed: %s", path, err);
	return b->model;
}

static void release(struct built *b)
{
	json_decref(b->model);
	json_decref(b->meta);
	json_decref(b->rules);
	json_decref(b->run);
	json_decref(b->ver);
	json_decref(b->hdr);
}

static json_int_t ival(json_t *m, const char *path)
{
	json_t *v = m;
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *tok = strtok(buf, "."); tok; tok = strtok(NULL, "."))
		v = json_is_array(v) ? json_array_get(v, (size_t)atoi(tok))
		                     : json_object_get(v, tok);
	if (!json_is_number(v))
		fail_msg("%s is not a number", path);
	return json_is_integer(v) ? json_integer_value(v) : (json_int_t)json_number_value(v);
}

static double dval(json_t *m, const char *path)
{
	json_t *v = m;
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *tok = strtok(buf, "."); tok; tok = strtok(NULL, "."))
		v = json_is_array(v) ? json_array_get(v, (size_t)atoi(tok))
		                     : json_object_get(v, tok);
	if (!json_is_number(v))
		fail_msg("%s is not a number", path);
	return json_number_value(v);
}

static const char *sval(json_t *m, const char *path)
{
	json_t *v = m;
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *tok = strtok(buf, "."); tok; tok = strtok(NULL, "."))
		v = json_object_get(v, tok);
	if (!json_is_string(v))
		fail_msg("%s is not a string", path);
	return json_string_value(v);
}

static json_t *check(json_t *m, const char *id)
{
	size_t i;
	json_t *c;
	json_array_foreach(
	    json_object_get(m, "checks"), i,
	    c) if (!strcmp(json_string_value(json_object_get(c, "id")), id)) return c;
	fail_msg("no check %s", id);
	return NULL;
}

static const char *status(json_t *m, const char *id)
{
	return json_string_value(json_object_get(check(m, id), "status"));
}

static json_t *file(json_t *m, const char *path)
{
	size_t i;
	json_t *f;
	json_array_foreach(
	    json_object_get(m, "files"), i,
	    f) if (!strcmp(json_string_value(json_object_get(f, "path")), path)) return f;
	fail_msg("no file %s", path);
	return NULL;
}

static void assert_cp_figures(json_t *m)
{
	/* phases: the first call on a root is openat(AT_FDCWD, ".../dst_cp", O_PATH) on line 154 */
	assert_int_equal(ival(m, "phases.anchor_line"), 154);
	assert_int_equal(ival(m, "phases.startup.syscalls"), 153);
	assert_int_equal(ival(m, "phases.copy.syscalls"), 182);
	/* grep -c ' openat(' -> 50, of them 14 with "= -1" */
	assert_int_equal(ival(m, "syscalls.openat.calls"), 50);
	assert_int_equal(ival(m, "syscalls.openat.errors"), 14);
	assert_int_equal(ival(m, "syscalls.exit_group.calls"), 1);
	assert_int_equal(ival(m, "syscalls.exit_group.returned"), 0);
	/* copy phase: 89 path-based calls, 44 stat-family, 15 opens, 26 pairs:
	 * each check of a destination directory pairs with every later use of
	 * it (utimensat, fchownat, setxattr and removexattr of the ACL) */
	assert_int_equal(ival(m, "toctou.path_based_calls"), 89);
	assert_int_equal(ival(m, "toctou.pair_count"), 26);
	assert_int_equal(ival(m, "toctou.excluded.count"), 0);
	assert_int_equal(ival(m, "access.mkdirat.copy_path_based"), 4);
	assert_int_equal(ival(m, "access.utimensat.copy_fd_based"), 5);
	assert_int_equal(ival(m, "access.utimensat.copy_path_based"), 6);
	assert_int_equal(ival(m, "metadata.futimens_fd"), 5);
	assert_int_equal(ival(m, "metadata.utimensat_path"), 6);
	assert_int_equal(ival(m, "metadata.fd_calls"), 10);
	assert_int_equal(ival(m, "metadata.path_calls"), 20);
	/* per file: f1.bin 3 path (lstat, open src, open dst) + 14 through fds 3/4 */
	json_t *f1 = file(m, "f1.bin");
	assert_int_equal(ival(f1, "syscalls"), 17);
	assert_int_equal(ival(f1, "path_based"), 3);
	assert_int_equal(ival(f1, "fd_based"), 14);
	assert_int_equal(ival(f1, "statx"), 4);
	assert_int_equal(ival(f1, "opens"), 2);
	assert_int_equal(ival(f1, "direct_io"), 2);
	/* f2.bin is cp's hardlink: lstat + linkat */
	assert_int_equal(ival(file(m, "f2.bin"), "syscalls"), 2);
	assert_int_equal(ival(file(m, "hard_f2"), "syscalls"), 18);
	assert_int_equal(ival(file(m, "empty"), "direct_io"), 2); /* copy_file_range + read */
	assert_int_equal(ival(m, "files_summary.count"), 6);
	assert_int_equal(ival(m, "files_summary.attributed"), 6);
	assert_int_equal(ival(m, "files_summary.min"), 2);
	assert_int_equal(ival(m, "files_summary.max"), 18);
	assert_string_equal(status(m, "path_based_per_file"), "FAIL");
	assert_string_equal(status(m, "toctou_pairs"), "FAIL");
	assert_string_equal(status(m, "fd_metadata_share"), "FAIL");
	assert_string_equal(status(m, "batch_avg"), "WARN");
	assert_string_equal(json_string_value(json_object_get(m, "verdict")), "FAIL");
}

static void test_cp_a(void **state)
{
	(void)state;
	struct built b;
	json_t *m = build(&b, "analysis/cp_a.trace", "dst_cp", NULL);
	assert_cp_figures(m);
	assert_true(json_is_true(json_object_get(json_object_get(m, "trace"), "has_fd_paths")));
	assert_true(json_is_number(
	    json_object_get(json_object_get(json_object_get(m, "syscalls"), "openat"), "seconds")));
	/* 1 read and 9 copy_file_range (in-kernel copies, not a read/write loop)
	 * on regular files in the copy phase; 1053576 bytes = 1.005 MiB */
	assert_int_equal(ival(m, "direct_io_totals.copy_data_calls"), 1);
	assert_int_equal(ival(m, "direct_io_totals.copy_kernel_copy_calls"), 9);
	assert_int_equal(ival(m, "direct_io.copy_file_range.regular"), 9);
	assert_string_equal(sval(m, "direct_io.copy_file_range.kind"), "in_kernel_copy");
	assert_string_equal(sval(m, "direct_io.read.kind"), "user_buffer");
	assert_string_equal(status(m, "verified"), "PASS");
	assert_string_equal(status(m, "opens_per_file"), "PASS"); /* 15 / 6 = 2.5 */
	assert_true(dval(m, "scores.security") < 50);
	release(&b);
}

static void test_cp_a_without_y_and_T(void **state)
{
	(void)state;
	struct built b;
	json_t *m = build(&b, "analysis/cp_a_plain.trace", "dst_cp_plain", NULL);
	assert_cp_figures(m); /* the fd table alone attributes the same calls */
	assert_false(json_is_true(json_object_get(json_object_get(m, "trace"), "has_fd_paths")));
	assert_true(json_is_null(
	    json_object_get(json_object_get(json_object_get(m, "syscalls"), "openat"), "seconds")));
	assert_int_equal(ival(m, "direct_io.copy_file_range.regular"), 9);
	release(&b);
}

static void test_rsync_temp_names_renamed_into_place(void **state)
{
	(void)state;
	struct built b;
	json_t *m = build(&b, "analysis/rsync_a.trace", "dst_rsync", NULL);
	/* grep 'f1\.bin' minus link_f1 and resumed halves: 19 calls, of them
	 * 5 openat (2 src, 1 dst probe, 2 on .f1.bin.XXXX), read + write */
	json_t *f1 = file(m, "f1.bin");
	assert_int_equal(ival(f1, "syscalls"), 19);
	assert_int_equal(ival(f1, "opens"), 5);
	assert_int_equal(ival(f1, "statx"), 5);
	assert_int_equal(ival(f1, "direct_io"), 2);
	assert_int_equal(ival(f1, "cwd_relative"),
	                 1); /* newfstatat(AT_FDCWD, "f1.bin") after chdir */
	assert_int_equal(ival(m, "trace.pids"), 3);
	assert_int_equal(ival(m, "files_summary.attributed"), 6);
	assert_string_equal(status(m, "fd_metadata_share"), "PASS");
	release(&b);
}

static void test_arsync_temp_names_and_batches(void **state)
{
	(void)state;
	struct built b;
	json_t *m = build(&b, "analysis/arsync_a.trace", "dst_arsync", NULL);
	/* the data moves through io_uring; each file shows fchown, fchmod and
	 * utimensat(fd, NULL) on its temporary name .NAME.XXXX.N, renamed
	 * into place by IORING_OP_RENAMEAT (invisible to strace) */
	json_t *f1 = file(m, "f1.bin");
	assert_int_equal(ival(f1, "syscalls"), 3);
	assert_int_equal(ival(f1, "fd_based"), 3);
	assert_int_equal(ival(f1, "direct_io"), 0);
	assert_int_equal(ival(m, "files_summary.attributed"), 6);
	/* io_uring_enter(fd, to_submit, ...): 6 x 1, 5 x 2, 3, 2 x 8, 11, 12,
	 * 13 submitted = 71 SQEs in 17 calls; 9 wait-only calls */
	assert_int_equal(ival(m, "io_uring.submit_calls"), 17);
	assert_int_equal(ival(m, "io_uring.wait_calls"), 9);
	assert_int_equal(ival(m, "io_uring.sqes_submitted"), 71);
	assert_int_equal(ival(m, "io_uring.batch_histogram.1"), 6);
	assert_int_equal(ival(m, "io_uring.batch_histogram.2-3"), 6);
	assert_int_equal(ival(m, "io_uring.batch_histogram.8-15"), 5);
	assert_int_equal(ival(m, "io_uring.setup"), 2);
	assert_int_equal(ival(m, "io_uring.threads"), 2);
	assert_string_equal(status(m, "batch_avg"), "PASS");
	assert_string_equal(status(m, "setup_per_thread"), "PASS");
	/* no capture of the ring's arguments: what the ring named is unknown,
	 * so the checks it could change are not verified, never PASS */
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_object_get(json_object_get(m, "io_uring"), "ring_ops"), "capture")),
	    "none");
	assert_string_equal(status(m, "toctou_pairs"), "WARN");
	assert_string_equal(status(m, "fd_metadata_share"), "WARN");
	assert_int_equal(ival(m, "toctou.pair_count"), 0);
	release(&b);
}

/* --- a BPF capture of the ring's requests merged with the trace ----------
 *
 * fixtures/uring/{arsync,abs}-bpf.{strace,uring}: `arsync-analyze
 * build/arsync --keep-trace arsync-bpf.strace` (our copier, default
 * dataset) and `--cmd '{bin} --abs {src} {dst}'
 * build/tests/helpers/uring_path_copier --files 3 --size-mb 1` (every
 * STATX, OPENAT and MKDIRAT in the ring by absolute path), as root on
 * kernel 6.18, TZ=UTC; fio-bpf: fio's command in bpf-meta.json, which
 * holds each run's roots and files.
 * The request counts below are those of `build/tests/helpers/uring_dump
 * FILE.uring`, e.g. grep -c 'STATX' and the dfd -100 ones. */
static json_t *build_bpf(struct built *b, const char *name)
{
	char path[2048], upath[2048], mpath[2048], err[1024] = "";
	memset(b, 0, sizeof(*b));
	snprintf(path, sizeof(path), "%s/uring/%s.strace", fixtures, name);
	snprintf(upath, sizeof(upath), "%s/uring/%s.uring", fixtures, name);
	fixture_path(mpath, sizeof(mpath), "uring/bpf-meta.json");
	json_error_t je;
	b->meta = json_load_file(mpath, 0, &je);
	assert_non_null(b->meta);
	json_t *run = json_object_get(b->meta, name);
	b->rules = rules_load(NULL, err, sizeof(err));
	assert_non_null(b->rules);
	size_t n = 0, i;
	json_t *v;
	json_array_foreach(json_object_get(run, "files"), i, v) b->files[n++] = json_string_value(v);
	b->hdr = json_pack("{s:s}", "mode", "run");
	b->run = json_pack("{s:O,s:O,s:f,s:f,s:i}", "files", json_object_get(run, "run_files"),
	                   "bytes", json_object_get(run, "run_bytes"), "wall_seconds", 0.05,
	                   "mb_per_s", 100.0, "exit_status", 0);
	b->ver = json_pack("{s:b,s:b,s:n,s:i,s:[]}", "performed", 1, "ok", 1, "reason", "checked",
	                   (int)n, "differences");
	struct analysis_input in = {
	    .trace_path = path,
	    .uring_events_path = upath,
	    .src_root = json_string_value(json_object_get(run, "src_root")),
	    .dst_root = json_string_value(json_object_get(run, "dst_root")),
	    .dataset_files = b->files,
	    .n_dataset_files = n,
	    .rules = b->rules,
	    .header = b->hdr,
	    .run = b->run,
	    .verification = b->ver,
	    .quiet = 1,
	};
	b->model = analysis_build_model(&in, err, sizeof(err));
	if (!b->model)
		fail_msg("analysis of %s failed: %s", path, err);
	return b->model;
}

static json_t *jget(json_t *m, const char *path)
{
	json_t *v = m;
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *tok = strtok(buf, "."); tok && v; tok = strtok(NULL, "."))
		v = json_is_array(v) ? json_array_get(v, (size_t)atoi(tok)) : json_object_get(v, tok);
	if (!v)
		fail_msg("no %s", path);
	return v;
}

/* The --abs copier: 7 files, each STATX then OPENAT of its source path and
 * an OPENAT of its destination path, all AT_FDCWD + absolute path. */
static void test_bpf_ring_paths_abs(void **state)
{
	(void)state;
	struct built b;
	json_t *m = build_bpf(&b, "abs-bpf");
	assert_string_equal(json_string_value(jget(m, "io_uring.ring_ops.capture")), "bpf");
	assert_int_equal(ival(m, "io_uring.ring_ops.requests"), 103);
	/* STATX 7 + OPENAT 14 + MKDIRAT 4 + SYMLINKAT 3, all by absolute path */
	assert_int_equal(ival(m, "io_uring.ring_ops.path_taking"), 28);
	assert_int_equal(ival(m, "io_uring.ring_ops.unclassified_path_ops"), 0);
	assert_int_equal(ival(m, "io_uring.ring_ops.classified.path_based"), 28);
	assert_int_equal(ival(m, "io_uring.ring_ops.lost"), 0);
	assert_int_equal(ival(m, "access.statx.path_based"), 7);
	assert_int_equal(ival(m, "access.statx.via_ring"), 7);
	assert_int_equal(ival(m, "access.openat.via_ring"), 14);
	assert_null(json_object_get(json_object_get(m, "syscalls"), "statx"));
	/* one stat-then-open pair per file, made in the ring, on the line of the
	 * io_uring_enter that submitted it */
	assert_int_equal(ival(m, "toctou.pair_count"), 7);
	assert_int_equal(ival(m, "toctou.pair_count_path"), 7);
	json_t *p = jget(m, "toctou.pairs.0");
	assert_true(json_is_true(json_object_get(p, "check_via_ring")));
	assert_true(json_is_true(json_object_get(p, "use_via_ring")));
	json_int_t line = ival(p, "check_line");
	char tpath[2048], text[4096];
	fixture_path(tpath, sizeof(tpath), "uring/abs-bpf.strace");
	FILE *f = fopen(tpath, "r");
	assert_non_null(f);
	for (json_int_t k = 0; k < line && fgets(text, sizeof(text), f); k++)
		;
	fclose(f);
	assert_non_null(strstr(text, "io_uring_enter("));
	/* >= 3 path-based calls per file: FAIL; security <= 60 */
	assert_true(dval(m, "toctou.path_based_per_file") >= 3);
	assert_string_equal(status(m, "path_based_per_file"), "FAIL");
	assert_true(ival(m, "scores.security") <= 60);
	/* per file: no direct call, the ring's operations */
	json_t *f1 = file(m, "file01.bin");
	assert_int_equal(ival(f1, "syscalls"), 0);
	assert_int_equal(ival(f1, "path_based"), 3);
	assert_true(ival(f1, "ring_ops") >= 3);
	assert_int_equal(ival(f1, "logical"), ival(f1, "ring_ops"));
	/* the copy phase begins in the ring: its MKDIRAT of the destination */
	assert_true(json_is_true(jget(m, "phases.anchor_via_ring")));
	release(&b);
}

/* Our copier: every ring operation by dirfd + name (the O_TMPFILE opens by
 * dirfd + "."), so none is path-based; each file shows its ring operations. */
static void test_bpf_ring_paths_arsync(void **state)
{
	(void)state;
	struct built b;
	json_t *m = build_bpf(&b, "arsync-bpf");
	assert_string_equal(json_string_value(jget(m, "io_uring.ring_ops.capture")), "bpf");
	assert_int_equal(ival(m, "io_uring.ring_ops.requests"), 204);
	/* STATX 17 + OPENAT 24 + MKDIRAT 3 + SYMLINKAT 3 + LINKAT 9 */
	assert_int_equal(ival(m, "io_uring.ring_ops.path_taking"), 56);
	assert_int_equal(ival(m, "io_uring.ring_ops.classified.path_based"), 0);
	assert_int_equal(ival(m, "io_uring.ring_ops.classified.fd_based"), 56);
	assert_int_equal(ival(m, "toctou.path_based_scored"), 0);
	assert_string_equal(status(m, "path_based_per_file"), "PASS");
	/* io_uring.ops and the detail agree */
	const char *k;
	json_t *v;
	json_object_foreach(jget(m, "io_uring.ops_detail"), k, v)
	{
		assert_int_equal(json_integer_value(json_object_get(v, "count")),
		                 json_integer_value(json_object_get(jget(m, "io_uring.ops"), k)));
	}
	assert_int_equal(ival(m, "io_uring.ops_detail.IORING_OP_SPLICE.async_punts"), 60);
	assert_true(json_is_object(jget(m, "io_uring.ops_detail.IORING_OP_STATX.latency_us")));
	/* every dataset file shows ring operations, and both together */
	size_t i;
	json_array_foreach(jget(m, "files"), i, v)
	{
		assert_true(ival(v, "ring_ops") > 0);
		assert_int_equal(ival(v, "logical"), ival(v, "syscalls") + ival(v, "ring_ops"));
		assert_int_equal(ival(v, "path_based"), 0);
	}
	/* its statx(dirfd, name) then openat(dirfd, name) of each source entry
	 * is a check-then-use pair through the directory fd (12: 9 files, 3
	 * directories), as the same calls made directly are */
	assert_int_equal(ival(m, "toctou.pair_count"), 12);
	assert_int_equal(ival(m, "toctou.pair_count_dirfd"), 12);
	release(&b);
}

static void test_fio_batch8(void **state)
{
	(void)state;
	struct built b;
	json_t *m = build(&b, "analysis/fio_uring_batch8.trace", NULL, NULL);
	/* 128 x io_uring_enter(6, 8, 0, ...) = 8 and 2 x io_uring_enter(6, 0, 8, ...) */
	assert_int_equal(ival(m, "io_uring.setup"), 1);
	assert_int_equal(ival(m, "io_uring.enter"), 130);
	assert_int_equal(ival(m, "io_uring.submit_calls"), 128);
	assert_int_equal(ival(m, "io_uring.wait_calls"), 2);
	assert_int_equal(ival(m, "io_uring.sqes_submitted"), 1024);
	assert_true(dval(m, "io_uring.batch_avg") == 8.0);
	assert_int_equal(ival(m, "io_uring.batch_max"), 8);
	assert_int_equal(ival(m, "io_uring.batch_histogram.8-15"), 128);
	assert_int_equal(ival(m, "io_uring.batch_histogram.1"), 0);
	assert_int_equal(ival(m, "io_uring.rings.0.entries"), 16);
	assert_int_equal(ival(m, "io_uring.rings.0.submit_calls"), 128);
	assert_false(json_is_true(json_object_get(
	    json_array_get(json_object_get(json_object_get(m, "io_uring"), "rings"), 0),
	    "sqpoll")));
	assert_int_equal(ival(m, "syscalls.io_uring_enter.calls"), 130);
	assert_string_equal(status(m, "batch_avg"), "PASS");
	assert_string_equal(status(m, "setup_per_thread"), "PASS");
	assert_string_equal(status(m, "verified"), "PASS");
	assert_false(json_is_true(json_object_get(check(m, "verified"), "applicable")));
	release(&b);
}

static void test_fio_batch_min1(void **state)
{
	(void)state;
	struct built b;
	json_t *m = build(&b, "analysis/fio_uring_min1.trace", NULL, NULL);
	/* 240 submits of 1 and 2 of 8: 256 SQEs (1 MiB / 4 KiB) in 242 calls */
	assert_int_equal(ival(m, "io_uring.submit_calls"), 242);
	assert_int_equal(ival(m, "io_uring.wait_calls"), 2);
	assert_int_equal(ival(m, "io_uring.sqes_submitted"), 256);
	assert_int_equal(ival(m, "io_uring.batch_histogram.1"), 240);
	assert_int_equal(ival(m, "io_uring.batch_histogram.8-15"), 2);
	assert_true(dval(m, "io_uring.batch_avg") > 1.057 && dval(m, "io_uring.batch_avg") < 1.059);
	assert_string_equal(status(m, "batch_avg"), "FAIL");
	assert_string_equal(json_string_value(json_object_get(m, "verdict")), "FAIL");
	release(&b);
}

static void test_uring_ops_from_tracefs(void **state)
{
	(void)state;
	struct built b;
	json_t *m =
	    build(&b, "uring/fio-randread-batch8.strace", NULL, "uring/fio-randread-batch8.uring");
	assert_int_equal(ival(m, "io_uring.ops.IORING_OP_READ"), 64);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(m, "io_uring"), "ops_source")),
	    "tracefs");
	assert_int_equal(ival(m, "io_uring.async_punts"), 0);
	assert_int_equal(ival(m, "io_uring.sqes_submitted"), 64); /* strace and tracefs agree */
	release(&b);
	m = build(&b, "uring/fio-randread-batch8.strace", NULL, "uring/fio-write-buffered.uring");
	assert_int_equal(ival(m, "io_uring.ops.IORING_OP_WRITE"), 32);
	assert_int_equal(ival(m, "io_uring.async_punts"), 32);
	release(&b);
}

static void test_trace_mode_cp(void **state)
{
	(void)state;
	struct built b;
	json_t *m = build(&b, "analysis/cp_a.trace", NULL, NULL);
	/* no roots: the first path outside the loader/libc set is the same call */
	assert_int_equal(ival(m, "phases.anchor_line"), 154);
	/* files inferred from O_CREAT opens: cp created 5 (f2.bin is a link) */
	assert_int_equal(ival(m, "basis.files"), 5);
	assert_int_equal(json_array_size(json_object_get(m, "files")), 0);
	assert_true(json_is_null(json_object_get(json_object_get(m, "run"), "files")));
	assert_string_equal(status(m, "verified"), "PASS");
	assert_false(json_is_true(json_object_get(check(m, "verified"), "applicable")));
	assert_string_equal(status(m, "path_based_per_file"), "FAIL");
	release(&b);
}

static void test_every_model_key(void **state)
{
	(void)state;
	struct built b;
	json_t *m = build(&b, "analysis/cp_a.trace", "dst_cp", NULL);
	static const char *const keys[] = {
	    "schema",        "tool",          "verdict",         "header",
	    "run",           "trace",         "phases",          "syscalls",
	    "syscall_list",  "categories",    "io_uring",        "access",
	    "access_list",   "access_rules",  "direct_io",       "direct_io_totals",
	    "toctou",        "files",         "files_summary",   "metadata",
	    "legacy",        "uncategorized", "checks",          "checks_failed",
	    "checks_warned", "scores",        "recommendations", "verification",
	};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!json_object_get(m, keys[i]))
			fail_msg("model has no %s", keys[i]);
	static const char *const uring_keys[] = {
	    "setup",           "enter",
	    "register",        "submit_calls",
	    "wait_calls",      "sqes_submitted",
	    "batch_avg",       "batch_max",
	    "batch_histogram", "batch_histogram_list",
	    "errors",          "sqpoll_rings",
	    "rings",           "ops",
	    "ops_list",        "ops_source",
	    "ops_reason",      "async_punts",
	};
	json_t *u = json_object_get(m, "io_uring");
	for (size_t i = 0; i < sizeof(uring_keys) / sizeof(uring_keys[0]); i++)
		if (!json_object_get(u, uring_keys[i]))
			fail_msg("io_uring has no %s", uring_keys[i]);
	json_t *sc = json_object_get(m, "scores");
	assert_non_null(json_object_get(json_object_get(sc, "formulas"), "security"));
	assert_non_null(json_object_get(json_object_get(sc, "formulas"), "efficiency"));
	assert_non_null(json_object_get(json_object_get(sc, "formulas"), "overall"));
	/* syscall_list is sorted by calls, descending, and agrees with syscalls */
	json_t *list = json_object_get(m, "syscall_list");
	json_int_t prev = INT64_MAX;
	size_t i;
	json_t *e;
	json_array_foreach(list, i, e)
	{
		json_int_t c = json_integer_value(json_object_get(e, "calls"));
		assert_true(c <= prev);
		prev = c;
		const char *name = json_string_value(json_object_get(e, "name"));
		json_t *one = json_object_get(json_object_get(m, "syscalls"), name);
		assert_int_equal(c, json_integer_value(json_object_get(one, "calls")));
	}
	/* every WARN/FAIL check has a recommendation */
	assert_int_equal(json_array_size(json_object_get(m, "recommendations")),
	                 json_array_size(json_object_get(m, "checks_failed")) +
	                     json_array_size(json_object_get(m, "checks_warned")));
	release(&b);
}

/* Invariants on every recorded trace of the repository: the model builds,
 * and the figures agree with each other. */
static void test_invariants_on_every_fixture(void **state)
{
	(void)state;
	static const char *const traces[] = {
	    "analysis/cp_a.trace",     "analysis/cp_a_plain.trace",     "analysis/rsync_a.trace",
	    "analysis/arsync_a.trace", "analysis/fio_uring_min1.trace", "traces/cp-full.trace",
	    "traces/cp-plain.trace",   "traces/fio-full.trace",         "traces/fio-plain.trace",
	    "traces/grammar.trace",    "traces/rsync-full.trace",       "traces/rsync-plain.trace",
	    "traces/tar-full.trace",   "traces/tar-plain.trace",        "traces/ff/tar-ff",
	    "traces/tar-stderr.trace",
	};
	for (size_t t = 0; t < sizeof(traces) / sizeof(traces[0]); t++) {
		struct built b;
		json_t *m = build(&b, traces[t], NULL, NULL);
		json_int_t total = 0;
		const char *name;
		json_t *sc;
		json_object_foreach(json_object_get(m, "syscalls"), name, sc)
		{
			json_int_t calls = ival(sc, "calls"), ret = ival(sc, "returned"),
			           errs = ival(sc, "errors");
			if (!(calls >= ret && ret >= errs && errs >= 0))
				fail_msg("%s: %s calls %lld returned %lld errors %lld", traces[t],
				         name, (long long)calls, (long long)ret, (long long)errs);
			if (ival(sc, "startup_calls") + ival(sc, "copy_calls") != calls)
				fail_msg("%s: %s phases do not add up", traces[t], name);
			json_t *acc = json_object_get(json_object_get(m, "access"), name);
			if (acc && ival(acc, "path_based") + ival(acc, "fd_based") +
			                   ival(acc, "cwd_relative") >
			               calls)
				fail_msg("%s: %s classified more often than called", traces[t],
				         name);
			total += calls;
		}
		assert_int_equal(total, ival(m, "trace.syscalls"));
		assert_int_equal(
		    ival(m, "phases.startup.syscalls") + ival(m, "phases.copy.syscalls"), total);
		json_t *u = json_object_get(m, "io_uring");
		assert_int_equal(ival(u, "submit_calls") + ival(u, "wait_calls"), ival(u, "enter"));
		json_int_t hist = 0;
		for (int i = 0; i < 5; i++)
			hist += ival(
			    json_array_get(json_object_get(u, "batch_histogram_list"), (size_t)i),
			    "count");
		assert_int_equal(hist + ival(u, "submit_failed"), ival(u, "submit_calls"));
		assert_true(
		    json_array_size(json_object_get(json_object_get(m, "toctou"), "pairs")) <= 100);
		assert_non_null(json_object_get(m, "verdict"));
		release(&b);
	}
}

/* returned and errors equal strace's own -C summary (appended to each
 * trace under fixtures/traces/): "% time seconds usecs/call calls [errors] syscall". */
static void test_returned_and_errors_equal_strace_c(void **state)
{
	(void)state;
	static const char *const traces[] = {
	    "traces/cp-full.trace",   "traces/cp-plain.trace",   "traces/fio-full.trace",
	    "traces/fio-plain.trace", "traces/rsync-full.trace", "traces/rsync-plain.trace",
	    "traces/tar-full.trace",  "traces/tar-plain.trace",
	};
	for (size_t t = 0; t < sizeof(traces) / sizeof(traces[0]); t++) {
		struct built b;
		json_t *m = build(&b, traces[t], NULL, NULL);
		char path[2048], line[1024];
		fixture_path(path, sizeof(path), traces[t]);
		FILE *f = fopen(path, "r");
		assert_non_null(f);
		bool in_table = false;
		int rows = 0;
		while (fgets(line, sizeof(line), f)) {
			if (!strncmp(line, "% time", 6)) {
				in_table = true;
				continue;
			}
			if (!in_table || !strncmp(line, "------", 6))
				continue;
			char *tok[8];
			int n = 0;
			for (char *p = strtok(line, " \t\n"); p && n < 8; p = strtok(NULL, " \t\n"))
				tok[n++] = p;
			if (n < 5 || !strcmp(tok[n - 1], "total"))
				continue;
			long calls = atol(tok[3]), errors = n == 6 ? atol(tok[4]) : 0;
			json_t *sc = json_object_get(json_object_get(m, "syscalls"), tok[n - 1]);
			if (!sc)
				fail_msg("%s: %s is in strace -C but not in the model", traces[t],
				         tok[n - 1]);
			if (ival(sc, "returned") != calls || ival(sc, "errors") != errors)
				fail_msg(
				    "%s: %s returned %lld errors %lld, strace -C says %ld and %ld",
				    traces[t], tok[n - 1], (long long)ival(sc, "returned"),
				    (long long)ival(sc, "errors"), calls, errors);
			rows++;
		}
		fclose(f);
		if (rows < 10)
			fail_msg("%s: only %d rows of the strace -C summary found", traces[t],
			         rows);
		release(&b);
	}
}

static void test_missing_trace_is_an_error(void **state)
{
	(void)state;
	char err[512] = "";
	struct analysis_input in = {.trace_path = "/nonexistent/trace.txt", .quiet = 1};
	assert_null(analysis_build_model(&in, err, sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent/trace.txt"));
}

/* fio --ioengine=io_uring --rw=randread --number_ios=64 on SRC/file01.bin
 * (fixtures/uring/fio-bpf.*, run mode of the analyzer with --cmd): every
 * READ of the ring is attributed to the file through the fd fio's job
 * thread opened directly. */
static void test_bpf_fio_reads_attributed(void **state)
{
	(void)state;
	struct built b;
	json_t *m = build_bpf(&b, "fio-bpf");
	assert_int_equal(ival(m, "io_uring.ops_detail.IORING_OP_READ.count"), 64);
	assert_int_equal(ival(m, "io_uring.ring_ops.unattributed_fixed"), 0);
	json_t *f = file(m, "file01.bin");
	assert_int_equal(ival(f, "ring_ops"), 64);
	assert_int_equal(ival(f, "logical"), ival(f, "syscalls") + 64);
	assert_int_equal(ival(file(m, "file02.bin"), "ring_ops"), 0);
	release(&b);
}

int main(void)
{
	/* the BPF fixtures' strace -tt times are UTC times of day */
	setenv("TZ", "UTC", 1);
	tzset();
	const char *f = getenv("FIXTURES");
	snprintf(fixtures, sizeof(fixtures), "%s", f && *f ? f : "fixtures");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cp_a),
	    cmocka_unit_test(test_cp_a_without_y_and_T),
	    cmocka_unit_test(test_rsync_temp_names_renamed_into_place),
	    cmocka_unit_test(test_arsync_temp_names_and_batches),
	    cmocka_unit_test(test_fio_batch8),
	    cmocka_unit_test(test_fio_batch_min1),
	    cmocka_unit_test(test_uring_ops_from_tracefs),
	    cmocka_unit_test(test_trace_mode_cp),
	    cmocka_unit_test(test_every_model_key),
	    cmocka_unit_test(test_invariants_on_every_fixture),
	    cmocka_unit_test(test_returned_and_errors_equal_strace_c),
	    cmocka_unit_test(test_missing_trace_is_an_error),
	    cmocka_unit_test(test_bpf_ring_paths_abs),
	    cmocka_unit_test(test_bpf_ring_paths_arsync),
	    cmocka_unit_test(test_bpf_fio_reads_attributed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
