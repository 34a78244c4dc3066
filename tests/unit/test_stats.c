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
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "analysis.h"
#include "stats.h"
#include "uring_ops.h"
#include "uring_reqs.h"

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
	    "100 openat(AT_FDCWD, \"/d/src/a\", O_RDONLY) = 4\n" /* a second window, same check */
	    "100 openat(AT_FDCWD, \"/d/dst\", O_RDONLY|O_DIRECTORY) = 5\n"
	    "100 faccessat2(5, \"b\", F_OK, 0) = -1 ENOENT (No such file or directory)\n"
	    "100 mkdirat(AT_FDCWD, \"/d/dst/b\", 0755) = 0\n"
	    "100 statx(5, \"c\", AT_SYMLINK_NOFOLLOW, STATX_ALL, {stx_mask=STATX_ALL, ...}) = 0\n"
	    "100 fchmodat(5, \"c\", 0644) = 0\n"
	    "100 newfstatat(3, \"\", {st_mode=S_IFREG|0644, st_size=1, ...}, AT_EMPTY_PATH) = 0\n",
	    NULL, NULL, NULL, 0);
	json_t *t = json_object_get(m, "toctou");
	assert_int_equal(get(m, "toctou", "pair_count", NULL), 4);
	assert_int_equal(get(m, "toctou", "pair_count_path", NULL), 3);
	assert_int_equal(get(m, "toctou", "pair_count_dirfd", NULL), 1);
	assert_int_equal(get(m, "toctou", "unique_pairs", NULL), 3);
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

/* --- ring requests merged into the events ---------------------------------- */

/* CLOCK_REALTIME nanoseconds of 10:00:00 + US microseconds + NS, local time, today. */
static uint64_t at_us(long us, long ns)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	tm.tm_hour = 10;
	tm.tm_min = 0;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	time_t t = mktime(&tm);
	return (uint64_t)t * 1000000000u + (uint64_t)us * 1000u + (uint64_t)ns;
}

/* A request of thread 100 submitted at 10:00:00 + SUB us, completed LAT us later with RES. */
static struct uring_req rq(uint8_t op, long sub, long lat, int32_t res)
{
	return (struct uring_req){.submit_ns = at_us(sub, 0),
	                          .complete_ns = at_us(sub + lat, 0),
	                          .ring = 0xffff888001234000u,
	                          .pid = 100,
	                          .tid = 100,
	                          .opcode = op,
	                          .completed = true,
	                          .res = res,
	                          .fd = UREQ_NO_FD,
	                          .dfd = UREQ_NO_FD,
	                          .dfd2 = UREQ_NO_FD};
}

static json_t *model_ring(const char *text, const struct uring_req *reqs, size_t n)
{
	static const char *const files[] = {"a"};
	return model_in(text, (struct analysis_input){.src_root = "/src",
	                                              .dst_root = "/dst",
	                                              .dataset_files = files,
	                                              .n_dataset_files = 1,
	                                              .uring_reqs = reqs,
	                                              .n_uring_reqs = n});
}

static json_t *at(json_t *m, const char *path)
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

static json_int_t iat(json_t *m, const char *path)
{
	json_t *v = at(m, path);
	if (!json_is_integer(v))
		fail_msg("%s is not an integer", path);
	return json_integer_value(v);
}

#define RING_TRACE                                                                        \
	"100 10:00:00.000100 openat(AT_FDCWD, \"/dst\", O_RDONLY|O_DIRECTORY) = 3</dst>\n"  \
	"100 10:00:00.000200 io_uring_setup(8, {flags=0, sq_thread_cpu=0, sq_thread_idle=0, " \
	"sq_entries=8, cq_entries=16, features=0, sq_off={}, cq_off={}}) = "                  \
	"4<anon_inode:[io_uring]>\n"                                                          \
	"100 10:00:00.000300 io_uring_enter(4<anon_inode:[io_uring]>, 2, 0, 0, NULL, 8) = 2\n" \
	"100 10:00:00.000400 io_uring_enter(4<anon_inode:[io_uring]>, 2, 2, "                 \
	"IORING_ENTER_GETEVENTS, NULL, 8) = 2\n"                                              \
	"100 10:00:00.000500 read(5, \"x\", 1) = 1\n"                                         \
	"100 10:00:00.000600 io_uring_enter(4<anon_inode:[io_uring]>, 1, 1, "                 \
	"IORING_ENTER_GETEVENTS, NULL, 8) = 1\n"                                              \
	"100 10:00:00.000700 exit_group(0) = ?\n"                                             \
	"100 10:00:00.000800 +++ exited with 0 +++\n"

/* The requests RING_TRACE's io_uring_enter calls submitted: a stat then an
 * open of the same absolute path (a check-then-use pair made in the ring),
 * a mkdir and a rename by dirfd + name, a close of the opened fd. */
static size_t ring_reqs(struct uring_req *r)
{
	r[0] = rq(21, 300, 10, 0); /* STATX(AT_FDCWD, "/src/a") */
	r[0].dfd = -100;
	r[0].path = "/src/a";
	r[1] = rq(18, 300, 50, 5); /* OPENAT(AT_FDCWD, "/src/a") = 5, at 300.5 us */
	r[1].submit_ns += 500;
	r[1].dfd = -100;
	r[1].path = "/src/a";
	r[1].open_flags = O_RDONLY | O_CLOEXEC;
	r[2] = rq(37, 400, 20, 0); /* MKDIRAT(3</dst>, "sub") */
	r[2].dfd = 3;
	r[2].path = "sub";
	r[3] = rq(35, 400, 30, 0); /* RENAMEAT(3, ".a.tmp", 3, "a") */
	r[3].submit_ns += 100;
	r[3].dfd = 3;
	r[3].path = ".a.tmp";
	r[3].dfd2 = 3;
	r[3].path2 = "a";
	r[4] = rq(19, 600, 10, 0); /* CLOSE(5) */
	r[4].fd = 5;
	return 5;
}

static void test_ring_ops_classified_like_direct_calls(void **state)
{
	(void)state;
	struct uring_req r[8];
	size_t n = ring_reqs(r);
	json_t *m = model_ring(RING_TRACE, r, n);
	/* syscalls: direct calls only */
	assert_null(json_object_get(json_object_get(m, "syscalls"), "statx"));
	assert_int_equal(iat(m, "syscalls.openat.calls"), 1);
	/* access: both, and how many through the ring */
	assert_int_equal(iat(m, "access.statx.path_based"), 1);
	assert_int_equal(iat(m, "access.statx.via_ring"), 1);
	assert_int_equal(iat(m, "access.openat.path_based"), 2);
	assert_int_equal(iat(m, "access.openat.via_ring"), 1);
	assert_int_equal(iat(m, "access.mkdirat.fd_based"), 1);
	assert_int_equal(iat(m, "access.renameat2.fd_based"), 1);
	assert_int_equal(iat(m, "access.renameat2.via_ring"), 1);
	/* the pair made in the ring, on the line of the io_uring_enter that submitted it */
	assert_int_equal(iat(m, "toctou.pair_count"), 1);
	json_t *p = at(m, "toctou.pairs.0");
	assert_string_equal(json_string_value(json_object_get(p, "check")), "statx");
	assert_string_equal(json_string_value(json_object_get(p, "use")), "openat");
	assert_string_equal(json_string_value(json_object_get(p, "path")), "/src/a");
	assert_true(json_is_true(json_object_get(p, "check_via_ring")));
	assert_true(json_is_true(json_object_get(p, "use_via_ring")));
	assert_int_equal(iat(p, "check_line"), 3);
	assert_int_equal(iat(p, "use_line"), 3);
	/* per file: the direct read of the fd the ring opened (no -y), and the
	 * ring's stat, open, rename and close */
	json_t *f = at(m, "files.0");
	assert_int_equal(iat(f, "syscalls"), 1);
	assert_int_equal(iat(f, "ring_ops"), 4);
	assert_int_equal(iat(f, "logical"), 5);
	assert_int_equal(iat(f, "path_based"), 2);
	assert_int_equal(iat(m, "direct_io.read.regular"), 1);
	/* the ring's own figures */
	assert_string_equal(json_string_value(at(m, "io_uring.ring_ops.capture")), "bpf");
	assert_true(json_is_null(at(m, "io_uring.ring_ops.reason")));
	assert_int_equal(iat(m, "io_uring.ring_ops.requests"), 5);
	assert_int_equal(iat(m, "io_uring.ring_ops.path_taking"), 4);
	assert_int_equal(iat(m, "io_uring.ring_ops.unclassified_path_ops"), 0);
	assert_int_equal(iat(m, "io_uring.ring_ops.lost"), 0);
	assert_int_equal(iat(m, "io_uring.ring_ops.unattributed_fixed"), 0);
	assert_non_null(strstr(json_string_value(at(m, "io_uring.ring_ops.tie_rule")),
	                       "io_uring_enter of the submitting thread"));
	assert_non_null(strstr(json_string_value(at(m, "io_uring.ring_ops.clock")), "-tt"));
	assert_int_equal(iat(m, "io_uring.ops_detail.IORING_OP_OPENAT.count"), 1);
	assert_true(json_number_value(at(m, "io_uring.ops_detail.IORING_OP_OPENAT.latency_us.max")) ==
	            49.5);
	assert_int_equal(json_object_size(at(m, "io_uring.ops_detail.IORING_OP_OPENAT.failed")), 0);
	/* the checks count them: 2 path-based ring calls on a non-root path */
	assert_int_equal(iat(m, "toctou.path_based_calls"), 3);
	assert_int_equal(iat(m, "toctou.root_operand_calls"), 1);
	json_decref(m);
}

/* Same microsecond: the request goes before another thread's call (the
 * pair forms) but after the io_uring_enter of its own thread. */
static void test_ring_tie_rule(void **state)
{
	(void)state;
	struct uring_req r[2];
	r[0] = rq(21, 300, 10, 0); /* STATX(AT_FDCWD, "/src/b") by 100 at 300 us */
	r[0].dfd = -100;
	r[0].path = "/src/b";
	json_t *m = model_ring(
	    "100 10:00:00.000200 io_uring_setup(8, {flags=0}) = 4<anon_inode:[io_uring]>\n"
	    "200 10:00:00.000300 openat(AT_FDCWD, \"/src/b\", O_RDONLY) = 3</src/b>\n"
	    "100 10:00:00.000300 io_uring_enter(4<anon_inode:[io_uring]>, 1, 1, "
	    "IORING_ENTER_GETEVENTS, NULL, 8) = 1\n",
	    r, 1);
	assert_int_equal(iat(m, "toctou.pair_count"), 1);
	json_t *p = at(m, "toctou.pairs.0");
	assert_true(json_is_true(json_object_get(p, "check_via_ring")));
	assert_false(json_is_true(json_object_get(p, "use_via_ring")));
	assert_int_equal(iat(p, "check_line"), 3);
	assert_int_equal(iat(p, "use_line"), 2);
	json_decref(m);
	/* a stat made directly at the same microsecond as a ring OPENAT of the
	 * same thread's io_uring_enter: the enter first, then the request */
	r[0] = rq(18, 300, 10, 7); /* OPENAT(AT_FDCWD, "/src/b") */
	r[0].dfd = -100;
	r[0].path = "/src/b";
	m = model_ring("100 10:00:00.000200 io_uring_setup(8, {flags=0}) = 4<anon_inode:[io_uring]>\n"
	               "100 10:00:00.000300 io_uring_enter(4<anon_inode:[io_uring]>, 1, 1, "
	               "IORING_ENTER_GETEVENTS, NULL, 8) = 1\n"
	               "100 10:00:00.000300 newfstatat(AT_FDCWD, \"/src/b\", {st_mode=S_IFREG, "
	               "...}, 0) = 0\n",
	               r, 1);
	/* the request came before the stat (a different call than its enter):
	 * no check preceded the ring's open */
	assert_int_equal(iat(m, "toctou.pair_count"), 0);
	json_decref(m);
}

static void test_ring_epoch_times_and_no_times(void **state)
{
	(void)state;
	struct uring_req r[2];
	r[0] = rq(21, 300, 10, 0);
	r[0].dfd = -100;
	r[0].path = "/src/a";
	char text[512];
	unsigned long long s = (unsigned long long)(at_us(0, 0) / 1000000000u);
	snprintf(text, sizeof(text),
	         "100 %llu.000200 io_uring_setup(8, {flags=0}) = 4<anon_inode:[io_uring]>\n"
	         "100 %llu.000300 io_uring_enter(4<anon_inode:[io_uring]>, 1, 1, "
	         "IORING_ENTER_GETEVENTS, NULL, 8) = 1\n"
	         "100 %llu.000400 openat(AT_FDCWD, \"/src/a\", O_RDONLY) = 3</src/a>\n",
	         s, s, s);
	json_t *m = model_ring(text, r, 1);
	assert_non_null(strstr(json_string_value(at(m, "io_uring.ring_ops.clock")), "-ttt"));
	assert_int_equal(iat(m, "toctou.pair_count"), 1);
	assert_int_equal(iat(m, "toctou.pairs.0.check_line"), 2);
	json_decref(m);
	/* without times: the requests follow the trace, and the model says so */
	m = model_ring("100 io_uring_setup(8, {flags=0}) = 4<anon_inode:[io_uring]>\n"
	               "100 openat(AT_FDCWD, \"/src/a\", O_RDONLY) = 3</src/a>\n",
	               r, 1);
	assert_non_null(strstr(json_string_value(at(m, "io_uring.ring_ops.clock")), "not matched"));
	assert_int_equal(iat(m, "toctou.pair_count"), 0);
	assert_int_equal(iat(m, "access.statx.path_based"), 1);
	assert_true(json_is_null(at(m, "phases.anchor_line")) ||
	            json_is_integer(at(m, "phases.anchor_line")));
	json_decref(m);
}

/* A run across midnight: strace -tt's time of day starts again at 0, the
 * requests' clock goes on; the merge follows the trace into the next day. */
static void test_ring_across_midnight(void **state)
{
	(void)state;
	/* 23:59:59.9999 today as CLOCK_REALTIME ns */
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	tm.tm_hour = 23;
	tm.tm_min = 59;
	tm.tm_sec = 59;
	tm.tm_isdst = -1;
	uint64_t base = (uint64_t)mktime(&tm) * 1000000000u;
	struct uring_req r[2];
	r[0] = rq(21, 0, 0, 0); /* STATX(AT_FDCWD, "/src/a") at 23:59:59.999950 */
	r[0].submit_ns = base + 999950000u;
	r[0].complete_ns = base + 999960000u;
	r[0].dfd = -100;
	r[0].path = "/src/a";
	r[1] = rq(18, 0, 0, 5); /* OPENAT(AT_FDCWD, "/src/a") at 00:00:00.000300 */
	r[1].submit_ns = base + 1000300000u;
	r[1].complete_ns = base + 1000310000u;
	r[1].dfd = -100;
	r[1].path = "/src/a";
	json_t *m = model_ring(
	    "100 23:59:59.999800 io_uring_setup(8, {flags=0}) = 4<anon_inode:[io_uring]>\n"
	    "100 23:59:59.999900 io_uring_enter(4<anon_inode:[io_uring]>, 1, 1, "
	    "IORING_ENTER_GETEVENTS, NULL, 8) = 1\n"
	    "100 00:00:00.000100 openat(AT_FDCWD, \"/src/a\", O_RDONLY) = 3</src/a>\n"
	    "100 00:00:00.000200 io_uring_enter(4<anon_inode:[io_uring]>, 1, 1, "
	    "IORING_ENTER_GETEVENTS, NULL, 8) = 1\n",
	    r, 2);
	assert_non_null(strstr(json_string_value(at(m, "io_uring.ring_ops.clock")), "-tt"));
	/* the ring's stat before midnight pairs with the direct open after it,
	 * and with the ring's open after that (each use its own window) */
	assert_int_equal(iat(m, "toctou.pair_count"), 2);
	json_t *p = at(m, "toctou.pairs.0");
	assert_true(json_is_true(json_object_get(p, "check_via_ring")));
	assert_false(json_is_true(json_object_get(p, "use_via_ring")));
	assert_int_equal(iat(p, "check_line"), 2);
	assert_int_equal(iat(p, "use_line"), 3);
	json_decref(m);
}

/* Registered files: an OPENAT into slot 0 names what READ_FIXED-style
 * requests on slot 0 touch; a slot the ring did not open is counted as not
 * attributed. Failures by errno name, punts and latency per opcode. */
static void test_ring_fixed_files_and_failures(void **state)
{
	(void)state;
	struct uring_req r[6];
	r[0] = rq(18, 300, 10, 0); /* OPENAT(AT_FDCWD, "/src/a") into slot 0 */
	r[0].dfd = -100;
	r[0].path = "/src/a";
	r[0].file_slot = 1;
	r[1] = rq(22, 400, 100, 4096); /* READ(slot 0) */
	r[1].fd = 0;
	r[1].fixed_file = true;
	r[1].async = true;
	r[2] = rq(22, 410, 100, 4096); /* READ(slot 3): opened elsewhere */
	r[2].fd = 3;
	r[2].fixed_file = true;
	r[3] = rq(21, 420, 5, -ENOENT); /* STATX(3</dst>, "nope") */
	r[3].dfd = 3;
	r[3].path = "nope";
	r[4] = rq(21, 430, 5, -ENOENT);
	r[4].dfd = 3;
	r[4].path = "nope2";
	json_t *m = model_ring(
	    "100 10:00:00.000100 openat(AT_FDCWD, \"/dst\", O_RDONLY|O_DIRECTORY) = 3</dst>\n"
	    "100 10:00:00.000200 io_uring_setup(8, {flags=0}) = 4<anon_inode:[io_uring]>\n"
	    "100 10:00:00.000300 io_uring_enter(4<anon_inode:[io_uring]>, 1, 1, "
	    "IORING_ENTER_GETEVENTS, NULL, 8) = 1\n"
	    "100 10:00:00.000400 io_uring_enter(4<anon_inode:[io_uring]>, 4, 4, "
	    "IORING_ENTER_GETEVENTS, NULL, 8) = 4\n"
	    "100 10:00:00.000900 exit_group(0) = ?\n",
	    r, 5);
	assert_int_equal(iat(m, "files.0.ring_ops"), 2);
	assert_int_equal(iat(m, "io_uring.ring_ops.fixed_file_ops"), 2);
	assert_int_equal(iat(m, "io_uring.ring_ops.unattributed_fixed"), 1);
	assert_int_equal(iat(m, "io_uring.ops_detail.IORING_OP_STATX.failed.ENOENT"), 2);
	assert_int_equal(iat(m, "io_uring.ops_detail.IORING_OP_READ.async_punts"), 1);
	assert_int_equal(iat(m, "io_uring.ops_detail.IORING_OP_READ.count"), 2);
	assert_true(json_number_value(at(m, "io_uring.ops_detail.IORING_OP_READ.latency_us.p50")) ==
	            100.0);
	assert_int_equal(iat(m, "access.statx.fd_based"), 2);
	json_decref(m);
}

/* Without a capture of the arguments the ring's path-taking requests are
 * counted as unknown, never as 0. */
static void test_ring_ops_unknown_without_capture(void **state)
{
	(void)state;
	json_t *m = model_in("100 io_uring_setup(8, {flags=0}) = 4<anon_inode:[io_uring]>\n",
	                     (struct analysis_input){.uring_ops_reason = "not root"});
	assert_string_equal(json_string_value(at(m, "io_uring.ring_ops.capture")), "none");
	assert_string_equal(json_string_value(at(m, "io_uring.ring_ops.reason")), "not root");
	assert_true(json_is_null(at(m, "io_uring.ring_ops.path_taking")));
	assert_true(json_is_null(at(m, "io_uring.ring_ops.unclassified_path_ops")));
	assert_non_null(json_string_value(at(m, "io_uring.ring_ops.tie_rule")));
	assert_int_equal(json_object_size(at(m, "io_uring.ops_detail")), 0);
	json_decref(m);
}

/* Pairs on the copy's trees count; one outside SRC and DST (in the start-up
 * phase or not) and one whose check and use both failed are listed apart.
 * A failed check before a use that succeeds (stat says ENOENT, then the
 * file is created) is the classic race and counts. */
static void test_pairs_scope_outside_and_failed(void **state)
{
	(void)state;
	json_t *m = model_of(
	    "100 execve(\"/bin/cp\", [\"cp\"], 0x0 /* 1 var */) = 0\n"
	    "100 newfstatat(AT_FDCWD, \"/etc/nsswitch.conf\", {st_mode=S_IFREG|0644, "
	    "st_size=1, ...}, 0) = 0\n"
	    "100 openat(AT_FDCWD, \"/etc/nsswitch.conf\", O_RDONLY|O_CLOEXEC) = 3\n"
	    "100 newfstatat(AT_FDCWD, \"/d/src/a\", {st_mode=S_IFREG|0644, st_size=1, ...}, "
	    "AT_SYMLINK_NOFOLLOW) = 0\n"
	    "100 newfstatat(AT_FDCWD, \"/d/dst/a\", 0x7ffd0, AT_SYMLINK_NOFOLLOW) = -1 ENOENT "
	    "(No such file or directory)\n"
	    "100 unlinkat(AT_FDCWD, \"/d/dst/a\", 0) = -1 ENOENT (No such file or directory)\n"
	    "100 openat(AT_FDCWD, \"/d/dst/a\", O_WRONLY|O_CREAT|O_EXCL, 0644) = 4\n"
	    "100 openat(AT_FDCWD, \"/d/src/a\", O_RDONLY) = 5\n"
	    "100 newfstatat(AT_FDCWD, \"/tmp/other\", {st_mode=S_IFREG|0644, st_size=1, ...}, "
	    "0) = 0\n"
	    "100 openat(AT_FDCWD, \"/tmp/other\", O_RDONLY) = 6\n",
	    "/d/src", "/d/dst", NULL, 0);
	assert_int_equal(iat(m, "toctou.pair_count"), 2);
	assert_int_equal(iat(m, "toctou.pair_count_path"), 2);
	assert_string_equal(json_string_value(at(m, "toctou.pairs.0.path")), "/d/dst/a");
	assert_string_equal(json_string_value(at(m, "toctou.pairs.0.use")), "openat");
	assert_int_equal(iat(m, "toctou.pairs.0.use_line"), 7);
	assert_string_equal(json_string_value(at(m, "toctou.pairs.1.path")), "/d/src/a");
	assert_int_equal(iat(m, "toctou.excluded.count"), 3);
	assert_int_equal(iat(m, "toctou.excluded.by_reason.outside_trees"), 2);
	assert_int_equal(iat(m, "toctou.excluded.by_reason.failed"), 1);
	assert_int_equal(iat(m, "toctou.excluded.by_reason.startup"), 0);
	json_t *x = at(m, "toctou.excluded.pairs");
	assert_int_equal(json_array_size(x), 3);
	assert_string_equal(json_string_value(at(m, "toctou.excluded.pairs.0.path")),
	                    "/etc/nsswitch.conf");
	assert_string_equal(json_string_value(at(m, "toctou.excluded.pairs.0.reason")),
	                    "outside_trees");
	assert_string_equal(json_string_value(at(m, "toctou.excluded.pairs.1.use")), "unlinkat");
	assert_string_equal(json_string_value(at(m, "toctou.excluded.pairs.1.reason")), "failed");
	assert_string_equal(json_string_value(at(m, "toctou.excluded.pairs.2.path")), "/tmp/other");
	assert_true(json_is_true(at(m, "toctou.trees_known")));
	json_decref(m);
}

/* Without SRC and DST (--trace, no operands) every path is in scope, but
 * a pair made before the copy starts still says nothing about it. */
static void test_pairs_scope_startup(void **state)
{
	(void)state;
	json_t *m = model_of(
	    "100 newfstatat(AT_FDCWD, \"/etc/localtime\", {st_mode=S_IFREG|0644, st_size=1, "
	    "...}, 0) = 0\n"
	    "100 openat(AT_FDCWD, \"/etc/localtime\", O_RDONLY|O_CLOEXEC) = 3\n"
	    "100 newfstatat(AT_FDCWD, \"/data/a\", {st_mode=S_IFREG|0644, st_size=1, ...}, "
	    "AT_SYMLINK_NOFOLLOW) = 0\n"
	    "100 openat(AT_FDCWD, \"/data/a\", O_RDONLY) = 4\n",
	    NULL, NULL, NULL, 0);
	assert_int_equal(iat(m, "toctou.pair_count"), 1);
	assert_string_equal(json_string_value(at(m, "toctou.pairs.0.path")), "/data/a");
	assert_int_equal(iat(m, "toctou.excluded.by_reason.startup"), 1);
	assert_int_equal(iat(m, "toctou.excluded.by_reason.outside_trees"), 0);
	assert_string_equal(json_string_value(at(m, "toctou.excluded.pairs.0.reason")), "startup");
	assert_false(json_is_true(at(m, "toctou.trees_known")));
	assert_non_null(strstr(json_string_value(at(m, "toctou.rule")), "unknown"));
	json_decref(m);
}

/* Setting or removing an xattr by path is a use: after a check, each is
 * its own window. */
static void test_pairs_xattr_uses(void **state)
{
	(void)state;
	json_t *m = model_of(
	    "100 newfstatat(AT_FDCWD, \"/d/dst/a\", {st_mode=S_IFREG|0644, st_size=1, ...}, "
	    "AT_SYMLINK_NOFOLLOW) = 0\n"
	    "100 lsetxattr(\"/d/dst/a\", \"user.x\", \"1\", 1, 0) = 0\n"
	    "100 setxattr(\"/d/dst/a\", \"user.y\", \"1\", 1, 0) = 0\n"
	    "100 lremovexattr(\"/d/dst/a\", \"user.z\") = -1 ENODATA (No data available)\n"
	    "100 removexattr(\"/d/dst/a\", \"user.y\") = 0\n"
	    "100 setxattrat(AT_FDCWD, \"/d/dst/a\", 0, \"user.v\", {value=\"1\", size=1, "
	    "flags=0}, 32) = 0\n"
	    "100 removexattrat(AT_FDCWD, \"/d/dst/a\", 0, \"user.v\") = 0\n",
	    "/d/src", "/d/dst", NULL, 0);
	static const char *const uses[] = {"lsetxattr",   "setxattr",   "lremovexattr",
	                                   "removexattr", "setxattrat", "removexattrat"};
	assert_int_equal(iat(m, "toctou.pair_count"), 6);
	for (size_t i = 0; i < 6; i++) {
		char k[64];
		snprintf(k, sizeof(k), "toctou.pairs.%zu.use", i);
		assert_string_equal(json_string_value(at(m, k)), uses[i]);
		snprintf(k, sizeof(k), "toctou.pairs.%zu.check_line", i);
		assert_int_equal(iat(m, k), 1);
	}
	/* and the lists the rule is stated with come from the table */
	json_t *u = at(m, "toctou.use_syscalls");
	bool found = false;
	for (size_t i = 0; i < json_array_size(u); i++)
		found |= !strcmp(json_string_value(json_array_get(u, i)), "lremovexattr");
	assert_true(found);
	json_decref(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pairs_scope_outside_and_failed),
	    cmocka_unit_test(test_pairs_scope_startup),
	    cmocka_unit_test(test_pairs_xattr_uses),
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
	    cmocka_unit_test(test_ring_ops_classified_like_direct_calls),
	    cmocka_unit_test(test_ring_tie_rule),
	    cmocka_unit_test(test_ring_epoch_times_and_no_times),
	    cmocka_unit_test(test_ring_across_midnight),
	    cmocka_unit_test(test_ring_fixed_files_and_failures),
	    cmocka_unit_test(test_ring_ops_unknown_without_capture),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
