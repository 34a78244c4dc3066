/* Aggregation rules on small hand-written traces: fd kinds for direct I/O
 * with and without -y, dup2/pipe/socket/eventfd, clone sharing the fd
 * table, io_uring submissions vs waits, SQPOLL and EBUSY, an enter split
 * by strace counted once, check-then-use pairs through a dirfd, and the
 * io_uring tracepoint reader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "analysis.h"
#include "stats.h"
#include "uring_ops.h"

/* The model of TEXT as a trace, analyzed with IN (its trace_path set here). */
static json_t *model_in(const char *text, struct analysis_input in)
{
	char path[] = "/tmp/test_stats_XXXXXX";
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

static json_t *model_of(const char *text, const char *src, const char *dst,
                        const char *const *files, size_t nfiles)
{
	return model_in(text, (struct analysis_input){.src_root = src,
	                                              .dst_root = dst,
	                                              .dataset_files = files,
	                                              .n_dataset_files = nfiles});
}

static json_int_t get(json_t *m, const char *a, const char *b, const char *c)
{
	json_t *v = json_object_get(m, a);
	if (b)
		v = json_object_get(v, b);
	if (c)
		v = json_object_get(v, c);
	if (!json_is_integer(v))
		fail_msg("%s.%s.%s is not an integer", a, b ? b : "", c ? c : "");
	return json_integer_value(v);
}

static void test_direct_io_kinds_with_y(void **state)
{
	(void)state;
	json_t *m =
	    model_of("100 read(3</tmp/s/a>, \"x\", 1) = 1\n"
	             "100 read(4<pipe:[1]>, \"x\", 1) = 1\n"
	             "100 write(5<socket:[2]>, \"x\", 1) = 1\n"
	             "100 read(6<anon_inode:[eventfd]>, \"\\1\\0\\0\\0\\0\\0\\0\\0\", 8) = 8\n"
	             "100 write(1</dev/pts/0>, \"hi\\n\", 3) = 3\n"
	             "100 write(7, \"x\", 1) = 1\n",
	             NULL, NULL, NULL, 0);
	assert_int_equal(get(m, "direct_io", "read", "regular"), 1);
	assert_int_equal(get(m, "direct_io", "read", "pipe"), 1);
	assert_int_equal(get(m, "direct_io", "read", "eventfd"), 1);
	assert_int_equal(get(m, "direct_io", "write", "socket"), 1);
	assert_int_equal(get(m, "direct_io", "write", "tty"), 1);
	assert_int_equal(get(m, "direct_io", "write", "unknown"), 1);
	assert_int_equal(get(m, "direct_io_totals", "data_calls", NULL), 1);
	json_decref(m);
}

static void test_fd_table_without_y(void **state)
{
	(void)state;
	json_t *m = model_of(
	    "100 openat(AT_FDCWD, \"/tmp/s/a\", O_RDONLY) = 3\n"
	    "100 pipe2([4, 5], O_CLOEXEC) = 0\n"
	    "100 socket(AF_UNIX, SOCK_STREAM, 0) = 6\n"
	    "100 eventfd2(0, EFD_CLOEXEC) = 7\n"
	    "100 dup2(3, 9) = 9\n"
	    "100 clone(child_stack=NULL, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_THREAD) = 101\n"
	    "101 read(9, \"x\", 1) = 1\n" /* the thread sees the dup */
	    "101 read(4, \"x\", 1) = 1\n"
	    "101 write(6, \"x\", 1) = 1\n"
	    "101 read(7, \"x\", 8) = 8\n"
	    "100 close(3) = 0\n"
	    "100 read(3, \"x\", 1) = -1 EBADF (Bad file descriptor)\n"
	    "100 clone(child_stack=NULL, flags=SIGCHLD) = 102\n"
	    "102 close(9) = 0\n"
	    "100 read(9, \"x\", 1) = 1\n" /* the fork closed its copy only */
	    "102 read(9, \"x\", 1) = -1 EBADF (Bad file descriptor)\n",
	    NULL, NULL, NULL, 0);
	assert_int_equal(get(m, "direct_io", "read", "regular"), 2);
	assert_int_equal(get(m, "direct_io", "read", "pipe"), 1);
	assert_int_equal(get(m, "direct_io", "read", "eventfd"), 1);
	assert_int_equal(get(m, "direct_io", "read", "unknown"), 2);
	assert_int_equal(get(m, "direct_io", "write", "socket"), 1);
	json_decref(m);
}

static void test_uring_submit_wait_sqpoll_errors(void **state)
{
	(void)state;
	json_t *m =
	    model_of("100 io_uring_setup(64, {flags=IORING_SETUP_SQPOLL, sq_thread_cpu=0, "
	             "sq_thread_idle=1000, sq_entries=64}) = 3<anon_inode:[io_uring]>\n"
	             "100 io_uring_setup(32, {flags=0, sq_entries=32}) = 4<anon_inode:[io_uring]>\n"
	             "100 io_uring_enter(4<anon_inode:[io_uring]>, 5, 0, 0, NULL, 8) = 5\n"
	             "100 io_uring_enter(4<anon_inode:[io_uring]>, 0, 1, IORING_ENTER_GETEVENTS, "
	             "NULL, 8) = 0\n"
	             "100 io_uring_enter(4<anon_inode:[io_uring]>, 3, 1, IORING_ENTER_GETEVENTS, "
	             "NULL, 8 <unfinished ...>\n"
	             "101 futex(0x1, FUTEX_WAKE, 1) = 0\n"
	             "100 <... io_uring_enter resumed>) = 3\n"
	             "100 io_uring_enter(4<anon_inode:[io_uring]>, 2, 0, 0, NULL, 8) = -1 EBUSY "
	             "(Device or resource busy)\n"
	             "100 io_uring_enter(3<anon_inode:[io_uring]>, 0, 0, IORING_ENTER_SQ_WAKEUP, "
	             "NULL, 8) = 0\n"
	             "100 io_uring_enter(9<anon_inode:[io_uring]>, 20, 0, 0, NULL, 8) = 20\n",
	             NULL, NULL, NULL, 0);
	json_t *u = json_object_get(m, "io_uring");
	assert_int_equal(get(m, "io_uring", "enter", NULL), 6);
	assert_int_equal(get(m, "syscalls", "io_uring_enter", "calls"), 6);
	assert_int_equal(get(m, "io_uring", "submit_calls", NULL), 4);
	assert_int_equal(get(m, "io_uring", "wait_calls", NULL), 2);
	assert_int_equal(get(m, "io_uring", "sqes_submitted", NULL), 28);
	assert_int_equal(get(m, "io_uring", "submit_failed", NULL), 1);
	assert_int_equal(get(m, "io_uring", "sqpoll_rings", NULL), 1);
	assert_int_equal(get(m, "io_uring", "batch_max", NULL), 20);
	assert_int_equal(get(json_object_get(m, "io_uring"), "errors", "EBUSY", NULL), 1);
	assert_int_equal(get(json_object_get(m, "io_uring"), "batch_histogram", "4-7", NULL), 1);
	assert_int_equal(get(json_object_get(m, "io_uring"), "batch_histogram", "2-3", NULL), 1);
	assert_int_equal(get(json_object_get(m, "io_uring"), "batch_histogram", "16+", NULL), 1);
	json_t *rings = json_object_get(u, "rings");
	assert_int_equal(json_array_size(rings),
	                 3); /* fd 9: a ring whose setup is not in the trace */
	assert_true(json_is_true(json_object_get(json_array_get(rings, 0), "sqpoll")));
	assert_int_equal(
	    json_integer_value(json_object_get(json_array_get(rings, 1), "submit_calls")), 3);
	assert_true(json_is_null(json_object_get(json_array_get(rings, 2), "entries")));
	json_decref(m);
}

static void expect_flags(const char *in, const char *want)
{
	char out[160];
	stats_setup_flags(in, strlen(in), out, sizeof(out));
	assert_string_equal(out, want);
}

/* strace 6.1 names setup flags only up to CQE32; the rest come as hex */
static void test_setup_flags_named(void **state)
{
	(void)state;
	expect_flags("IORING_SETUP_CQSIZE|IORING_SETUP_COOP_TASKRUN|0x3000",
	             "IORING_SETUP_CQSIZE|IORING_SETUP_COOP_TASKRUN|IORING_SETUP_SINGLE_ISSUER|"
	             "IORING_SETUP_DEFER_TASKRUN");
	expect_flags("0x3108", "IORING_SETUP_CQSIZE|IORING_SETUP_COOP_TASKRUN|"
	                       "IORING_SETUP_SINGLE_ISSUER|IORING_SETUP_DEFER_TASKRUN");
	expect_flags("0", "0");
	expect_flags("IORING_SETUP_SQPOLL", "IORING_SETUP_SQPOLL");
	expect_flags("0x80000000", "0x80000000");
	expect_flags("IORING_SETUP_IOPOLL|0x40000", "IORING_SETUP_IOPOLL|0x40000");
	expect_flags("2", "IORING_SETUP_SQPOLL");
	expect_flags("", "");
	char tiny[8];
	stats_setup_flags("IORING_SETUP_SQPOLL", 19, tiny, sizeof(tiny));
	assert_string_equal(tiny, ""); /* what does not fit is left out, never cut */

	json_t *m = model_of("100 io_uring_setup(16, {flags=IORING_SETUP_CQSIZE|0x3002, "
	                     "sq_entries=16}) = 3<anon_inode:[io_uring]>\n",
	                     NULL, NULL, NULL, 0);
	json_t *r = json_array_get(json_object_get(json_object_get(m, "io_uring"), "rings"), 0);
	assert_string_equal(json_string_value(json_object_get(r, "flags")),
	                    "IORING_SETUP_CQSIZE|IORING_SETUP_SQPOLL|IORING_SETUP_SINGLE_ISSUER|"
	                    "IORING_SETUP_DEFER_TASKRUN");
	assert_true(json_is_true(json_object_get(r, "sqpoll")));
	json_decref(m);
}

/* A copier has to name its two operands: path-based calls on exactly the
 * SRC or DST root are counted but not scored. */
static void test_root_operands_not_scored(void **state)
{
	(void)state;
	json_t *m = model_of(
	    "100 openat(AT_FDCWD, \"/w/src\", O_RDONLY|O_DIRECTORY|O_CLOEXEC) = 3</w/src>\n"
	    "100 mkdirat(AT_FDCWD, \"/w/dst/\", 0700) = 0\n"
	    "100 openat(AT_FDCWD, \"/w/dst\", O_RDONLY|O_DIRECTORY|O_CLOEXEC) = 4</w/dst>\n"
	    "100 openat(3</w/src>, \"f\", O_RDONLY|O_NOFOLLOW) = 5</w/src/f>\n"
	    "100 openat(AT_FDCWD, \"/w/dst/f\", O_WRONLY|O_CREAT, 0600) = 6</w/dst/f>\n"
	    "100 openat(AT_FDCWD, \"/w/src/../src\", O_RDONLY) = 7</w/src>\n"
	    "100 newfstatat(AT_FDCWD, \"/w/srcx\", {st_mode=S_IFDIR|0755}, 0) = 0\n",
	    "/w/src", "/w/dst", NULL, 0);
	assert_int_equal(get(m, "toctou", "path_based_calls", NULL), 6);
	/* "/w/src/../src" resolves through ".." (a symlink there leads elsewhere) */
	assert_int_equal(get(m, "toctou", "root_operand_calls", NULL), 3);
	assert_int_equal(get(m, "toctou", "path_based_scored", NULL), 3);
	/* per syscall, for the recommendations' counts */
	assert_int_equal(get(m, "access", "openat", "copy_path_based"), 4);
	assert_int_equal(get(m, "access", "openat", "copy_root_operand"), 2);
	assert_int_equal(get(m, "access", "mkdirat", "copy_root_operand"), 1);
	assert_int_equal(get(m, "access", "newfstatat", "copy_root_operand"), 0);
	json_decref(m);
	/* --trace: the absolute paths of the traced command line play that part */
	const char *ops[] = {"/w/src/", "/w//dst", "relative/ignored"};
	m = model_in("100 openat(AT_FDCWD, \"/w/src\", O_RDONLY|O_DIRECTORY) = 3</w/src>\n"
	             "100 mkdirat(AT_FDCWD, \"/w/dst\", 0700) = 0\n"
	             "100 openat(AT_FDCWD, \"/w/src/f\", O_RDONLY) = 4</w/src/f>\n",
	             (struct analysis_input){.operands = ops, .n_operands = 3});
	assert_int_equal(get(m, "toctou", "path_based_calls", NULL), 3);
	assert_int_equal(get(m, "toctou", "root_operand_calls", NULL), 2);
	assert_int_equal(get(m, "toctou", "path_based_scored", NULL), 1);
	json_decref(m);
	/* without roots (--trace) every one counts */
	m = model_of("100 openat(AT_FDCWD, \"/w/src\", O_RDONLY|O_DIRECTORY) = 3</w/src>\n"
	             "100 openat(3</w/src>, \"f\", O_RDONLY) = 4</w/src/f>\n",
	             NULL, NULL, NULL, 0);
	assert_int_equal(get(m, "toctou", "root_operand_calls", NULL), 0);
	assert_int_equal(get(m, "toctou", "path_based_scored", NULL),
	                 get(m, "toctou", "path_based_calls", NULL));
	json_decref(m);
}

/* The stats thread reads events in the parser's input buffers: through
 * many buffers, lines longer than one buffer (up to past 1 MiB) and joined
 * calls, every figure is still exact. */
static void test_many_buffers_and_long_lines(void **state)
{
	(void)state;
	size_t cap = 8u << 20;
	char *text = malloc(cap), *t = text;
	int opens = 0, reads = 0, writes = 0, closes = 0;
	for (int i = 0; i < 30000; i++) {
		int pid = 100 + i % 3;
		if (i % 10000 == 17) {
			size_t n = 1200000 + (size_t)i;
			t += sprintf(t, "%d write(1</dev/pts/0>, \"", pid);
			memset(t, 'x', n);
			t += n;
			t += sprintf(t, "\"..., %zu) = %zu\n", n, n);
			writes++;
		} else if (i % 7 == 0) {
			t += sprintf(t, "%d read(3</data/f%d>, <unfinished ...>\n", pid, i);
			t += sprintf(t, "%d close(9) = 0\n", pid + 10);
			t += sprintf(t, "%d <... read resumed>\"abc\", 3) = 3\n", pid);
			reads++;
			closes++;
		} else {
			t += sprintf(t,
			             "%d openat(AT_FDCWD, \"/data/d%d/f%d\", O_RDONLY|O_CLOEXEC) = "
			             "3</data/d%d/f%d>\n",
			             pid, i % 40, i, i % 40, i);
			opens++;
		}
		assert_true((size_t)(t - text) < cap - 2000000);
	}
	*t = '\0';
	json_t *m = model_of(text, NULL, NULL, NULL, 0);
	free(text);
	assert_int_equal(get(m, "syscalls", "openat", "calls"), opens);
	assert_int_equal(get(m, "syscalls", "read", "calls"), reads);
	assert_int_equal(get(m, "syscalls", "close", "calls"), closes);
	assert_int_equal(get(m, "syscalls", "write", "calls"), writes);
	assert_int_equal(get(m, "syscalls", "write", "returned"), writes);
	assert_int_equal(get(m, "trace", "resumed_pairs", NULL), reads);
	assert_int_equal(get(m, "trace", "malformed_lines", NULL), 0);
	assert_int_equal(get(m, "access", "openat", "path_based"), opens);
	assert_int_equal(get(m, "direct_io", "read", "regular"), reads);
	assert_int_equal(get(m, "direct_io", "write", "tty"), writes);
	json_decref(m);
}

static void test_pairs_through_dirfd_and_paths(void **state)
{
	(void)state;
	json_t *m = model_of(
	    "100 newfstatat(AT_FDCWD, \"/d/src/a\", {st_mode=S_IFREG|0644, st_size=1, ...}, "
	    "AT_SYMLINK_NOFOLLOW) = 0\n"
	    "100 openat(AT_FDCWD, \"/d/src/a\", O_RDONLY) = 3\n"
	    "100 openat(AT_FDCWD, \"/d/src/a\", O_RDONLY) = 4\n" /* no new check: no pair */
	    "100 openat(AT_FDCWD, \"/d/dst\", O_RDONLY|O_DIRECTORY) = 5\n"
	    "100 faccessat2(5, \"b\", F_OK, 0) = -1 ENOENT (No such file or directory)\n"
	    "100 mkdirat(AT_FDCWD, \"/d/dst/b\", 0755) = 0\n"
	    "100 statx(5, \"c\", AT_SYMLINK_NOFOLLOW, STATX_ALL, {stx_mask=STATX_ALL, ...}) = 0\n"
	    "100 fchmodat(5, \"c\", 0644) = 0\n"
	    "100 newfstatat(3, \"\", {st_mode=S_IFREG|0644, st_size=1, ...}, AT_EMPTY_PATH) = 0\n",
	    NULL, NULL, NULL, 0);
	json_t *t = json_object_get(m, "toctou");
	assert_int_equal(get(m, "toctou", "pair_count", NULL), 3);
	assert_int_equal(get(m, "toctou", "pair_count_path", NULL), 2);
	assert_int_equal(get(m, "toctou", "pair_count_dirfd", NULL), 1);
	json_t *p = json_array_get(json_object_get(t, "pairs"), 1);
	assert_string_equal(json_string_value(json_object_get(p, "check")), "faccessat2");
	assert_string_equal(json_string_value(json_object_get(p, "use")), "mkdirat");
	assert_string_equal(json_string_value(json_object_get(p, "path")), "/d/dst/b");
	assert_int_equal(json_integer_value(json_object_get(p, "check_line")), 5);
	assert_int_equal(json_integer_value(json_object_get(p, "use_line")), 6);
	assert_int_equal(get(m, "access", "statx", "fd_based"), 1);
	assert_int_equal(get(m, "access", "newfstatat", "path_based"), 1);
	assert_int_equal(get(m, "access", "newfstatat", "fd_based"), 1);
	json_decref(m);
}

static void test_pairs_list_is_bounded(void **state)
{
	(void)state;
	size_t cap = 64 * 1024 * 1024;
	char *text = malloc(cap);
	size_t o = 0;
	for (int i = 0; i < 300; i++)
		o += (size_t)snprintf(
		    text + o, cap - o,
		    "100 access(\"/d/f%d\", F_OK) = 0\n100 open(\"/d/f%d\", O_RDONLY) = 3\n"
		    "100 close(3) = 0\n",
		    i % 150, i % 150);
	json_t *m = model_of(text, NULL, NULL, NULL, 0);
	free(text);
	assert_int_equal(get(m, "toctou", "pair_count", NULL), 300);
	assert_int_equal(get(m, "toctou", "unique_pairs", NULL), 150);
	assert_int_equal(json_array_size(json_object_get(json_object_get(m, "toctou"), "pairs")),
	                 100);
	json_decref(m);
}

static void test_phases_and_per_file(void **state)
{
	(void)state;
	static const char *const files[] = {"a", "sub/b"};
	json_t *m =
	    model_of("100 execve(\"/bin/cp\", [\"cp\"], 0x0 /* 1 var */) = 0\n"
	             "100 openat(AT_FDCWD, \"/etc/ld.so.cache\", O_RDONLY|O_CLOEXEC) = 3\n"
	             "100 close(3) = 0\n"
	             "100 newfstatat(AT_FDCWD, \"/r/src/a\", {st_mode=S_IFREG|0644, st_size=1, "
	             "...}, 0) = 0\n"
	             "100 openat(AT_FDCWD, \"/r/src\", O_RDONLY|O_DIRECTORY) = 3\n"
	             "100 openat(3, \"a\", O_RDONLY) = 4\n"
	             "100 openat(AT_FDCWD, \"/r/dst/.a.tmp1\", O_WRONLY|O_CREAT|O_EXCL, 0600) = 5\n"
	             "100 read(4, \"x\", 1) = 1\n"
	             "100 write(5, \"x\", 1) = 1\n"
	             "100 renameat2(AT_FDCWD, \"/r/dst/.a.tmp1\", AT_FDCWD, \"/r/dst/a\", 0) = 0\n"
	             "100 openat(AT_FDCWD, \"/r/dst/sub/b.part\", O_WRONLY|O_CREAT, 0600) = 6\n"
	             "100 fchmod(6, 0644) = 0\n"
	             "100 rename(\"/r/dst/sub/b.part\", \"/r/dst/sub/b\") = 0\n"
	             "100 exit_group(0) = ?\n"
	             "100 +++ exited with 0 +++\n",
	             "/r/src", "/r/dst", files, 2);
	assert_int_equal(get(m, "phases", "anchor_line", NULL), 4);
	assert_int_equal(get(json_object_get(m, "phases"), "startup", "syscalls", NULL), 3);
	json_t *a = json_array_get(json_object_get(m, "files"), 0);
	/* newfstatat + openat(3, "a") + create of the temp name + read + write + rename */
	assert_int_equal(json_integer_value(json_object_get(a, "syscalls")), 6);
	assert_int_equal(json_integer_value(json_object_get(a, "direct_io")), 2);
	assert_int_equal(json_integer_value(json_object_get(a, "opens")), 2);
	json_t *b = json_array_get(json_object_get(m, "files"), 1);
	/* b.part is no .NAME.suffix: its calls join b at the rename */
	assert_int_equal(json_integer_value(json_object_get(b, "syscalls")), 3);
	assert_int_equal(json_integer_value(json_object_get(b, "path_based")), 2);
	assert_int_equal(get(m, "syscalls", "exit_group", "calls"), 1);
	assert_int_equal(get(m, "syscalls", "exit_group", "returned"), 0);
	json_decref(m);
}

static void test_tmpfile_by_destination_inode(void **state)
{
	(void)state;
	/* an O_TMPFILE shows as DIR/#INODE (deleted) until IORING_OP_LINKAT
	 * links it in unseen; the inode of the finished copy names it */
	char dir[] = "/tmp/test_stats_dstXXXXXX";
	assert_non_null(mkdtemp(dir));
	char dst[256], file[300];
	snprintf(dst, sizeof(dst), "%s/dst", dir);
	assert_int_equal(mkdir(dst, 0700), 0);
	snprintf(file, sizeof(file), "%s/a", dst);
	FILE *f = fopen(file, "w");
	fputs("x", f);
	fclose(f);
	struct stat st;
	assert_int_equal(stat(file, &st), 0);
	char text[2048];
	snprintf(text, sizeof(text),
	         "100 fchown(21<%s/#%llu>(deleted), 0, 0) = 0\n"
	         "100 fchmod(21<%s/#%llu>(deleted), 0644) = 0\n"
	         "100 fchmod(22<%s/#999999999>(deleted), 0644) = 0\n",
	         dst, (unsigned long long)st.st_ino, dst, (unsigned long long)st.st_ino, dst);
	static const char *const files[] = {"a"};
	json_t *m = model_of(text, "/nonexistent/src", dst, files, 1);
	json_t *a = json_array_get(json_object_get(m, "files"), 0);
	assert_int_equal(json_integer_value(json_object_get(a, "syscalls")), 2);
	assert_int_equal(json_integer_value(json_object_get(a, "fd_based")), 2);
	assert_int_equal(get(m, "access", "fchmod", "fd_based"), 2);
	json_decref(m);
	unlink(file);
	rmdir(dst);
	rmdir(dir);
}

static void test_uring_ops_reader(void **state)
{
	(void)state;
	struct uring_ops u;
	uring_ops_init(&u);
	uring_ops_line(&u, "# tracer: nop\n");
	uring_ops_line(&u, "  arsync-1 [000] ..... 1.0: io_uring_create: ring 0000000012, fd 5 sq "
	                   "size 128, cq size 256, flags 0x0\n");
	uring_ops_line(&u, "  arsync-1 [000] ..... 1.0: io_uring_submit_req: ring 0000000012, req "
	                   "1, user_data 0x1, opcode OPENAT, flags 0x0, sq_thread 0\n");
	uring_ops_line(&u, "  arsync-1 [000] ..... 1.0: io_uring_submit_req: ring 0000000012, req "
	                   "2, user_data 0x2, opcode 21, flags 0x0, sq_thread 0\n");
	uring_ops_line(&u,
	               "  iou-wrk-1 [001] ..... 1.1: io_uring_queue_async_work: ring 12, request "
	               "3, user_data 0x3, opcode WRITE, flags 0x0, normal queue, work 0\n");
	uring_ops_line(&u, "CPU:1 [LOST 17 EVENTS]\n");
	uring_ops_line(&u, "garbage\n");
	assert_int_equal(json_integer_value(json_object_get(u.ops, "IORING_OP_OPENAT")), 1);
	assert_int_equal(json_integer_value(json_object_get(u.ops, "IORING_OP_STATX")), 1);
	assert_int_equal(u.async_punts, 1);
	assert_int_equal(u.rings_created, 1);
	assert_int_equal(u.lost_events, 17);
	assert_int_equal(u.malformed, 1);
	uring_ops_clear(&u);
	char err[256];
	assert_int_equal(uring_ops_read("/nonexistent/uring.txt", &u, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/uring.txt"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_direct_io_kinds_with_y),
	    cmocka_unit_test(test_fd_table_without_y),
	    cmocka_unit_test(test_uring_submit_wait_sqpoll_errors),
	    cmocka_unit_test(test_setup_flags_named),
	    cmocka_unit_test(test_root_operands_not_scored),
	    cmocka_unit_test(test_many_buffers_and_long_lines),
	    cmocka_unit_test(test_pairs_through_dirfd_and_paths),
	    cmocka_unit_test(test_pairs_list_is_bounded),
	    cmocka_unit_test(test_phases_and_per_file),
	    cmocka_unit_test(test_tmpfile_by_destination_inode),
	    cmocka_unit_test(test_uring_ops_reader),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
