/* What processes share, through the whole analysis: the fd table
 * (CLONE_FILES) and the current directory (CLONE_FS) are two sharings;
 * execve and close_range(CLOSE_RANGE_UNSHARE) act on a private copy of a
 * shared table; a vfork child's close_range and execve seen before the
 * parent's vfork returns still apply to what it inherits. The traces are
 * minimal hand-made ones in strace's form without -y (the fd table and the
 * current directory are what resolves a name then): such interleavings
 * are hard to provoke on purpose. */
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

static const char *const files[] = {"a", "b"};

static json_t *model_of(const char *text)
{
	char path[] = "/tmp/test_fd_sharing_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	char err[512] = "";
	struct analysis_input in = {.trace_path = path,
	                            .src_root = "/r/src",
	                            .dst_root = "/r/dst",
	                            .dataset_files = files,
	                            .n_dataset_files = 2,
	                            .quiet = 1};
	json_t *m = analysis_build_model(&in, err, sizeof(err));
	unlink(path);
	if (!m)
		fail_msg("%s", err);
	return m;
}

static json_int_t file_calls(json_t *m, size_t i)
{
	return json_integer_value(
	    json_object_get(json_array_get(json_object_get(m, "files"), i), "syscalls"));
}

static json_int_t reads(json_t *m, const char *kind)
{
	json_t *v = json_object_get(json_object_get(json_object_get(m, "direct_io"), "read"), kind);
	return v ? json_integer_value(v) : 0;
}

#define STAT_A "newfstatat(AT_FDCWD, \"a\", {st_mode=S_IFREG|0644, st_size=1, ...}, 0) = 0\n"

/* CLONE_FILES without CLONE_FS: the child's chdir is its own; with
 * CLONE_FS (a thread) it is the parent's too. */
static void test_cwd_shared_by_clone_fs_only(void **state)
{
	(void)state;
	json_t *m =
	    model_of("100 chdir(\"/r/src\") = 0\n"
	             "100 clone(child_stack=NULL, flags=CLONE_VM|CLONE_FILES|SIGCHLD) = 101\n"
	             "101 chdir(\"/elsewhere\") = 0\n"
	             "100 " STAT_A /* /r/src/a */
	             "100 clone(child_stack=0x7f0, flags=CLONE_VM|CLONE_FS|CLONE_FILES|"
	             "CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM) = 102\n"
	             "102 chdir(\"/r/dst\") = 0\n"
	             "100 " STAT_A /* /r/dst/a */
	             "101 newfstatat(AT_FDCWD, \"b\", {st_mode=S_IFREG|0644, st_size=1, "
	             "...}, 0) = 0\n" /* /elsewhere/b */
	             "100 clone(child_stack=NULL, flags=SIGCHLD) = 103\n"
	             "103 " STAT_A /* a fork starts in /r/dst */
	             "103 chdir(\"/\") = 0\n"
	             "100 " STAT_A /* still /r/dst */);
	assert_int_equal(file_calls(m, 0), 4);
	assert_int_equal(file_calls(m, 1), 0);
	json_decref(m);
}

/* execve in a process sharing its fd table (CLONE_FILES): its O_CLOEXEC
 * fds close in its own copy, not in the parent's. */
static void test_execve_unshares(void **state)
{
	(void)state;
	json_t *m =
	    model_of("100 openat(AT_FDCWD, \"/r/src/a\", O_RDONLY|O_CLOEXEC) = 3\n"
	             "100 clone(child_stack=NULL, flags=CLONE_VM|CLONE_FILES|SIGCHLD) = 101\n"
	             "101 execve(\"/bin/true\", [\"true\"], 0x7ffd /* 1 var */) = 0\n"
	             "101 read(3, \"\", 1) = -1 EBADF (Bad file descriptor)\n"
	             "100 read(3, \"x\", 1) = 1\n");
	assert_int_equal(reads(m, "regular"), 1);
	assert_int_equal(reads(m, "unknown"), 1);
	assert_int_equal(file_calls(m, 0), 2);
	json_decref(m);
}

static void test_close_range_unshare(void **state)
{
	(void)state;
	json_t *m =
	    model_of("100 openat(AT_FDCWD, \"/r/src/a\", O_RDONLY) = 3\n"
	             "100 clone(child_stack=NULL, flags=CLONE_VM|CLONE_FILES|SIGCHLD) = 101\n"
	             "101 close_range(3, 4294967295, CLOSE_RANGE_UNSHARE) = 0\n"
	             "101 read(3, \"\", 1) = -1 EBADF (Bad file descriptor)\n"
	             "100 read(3, \"x\", 1) = 1\n"
	             /* without UNSHARE the shared table loses the fds */
	             "101 openat(AT_FDCWD, \"/r/src/b\", O_RDONLY) = 4\n"
	             "100 clone(child_stack=NULL, flags=CLONE_VM|CLONE_FILES|SIGCHLD) = 102\n"
	             "102 close_range(3, 4294967295, 0) = 0\n"
	             "100 read(3, \"\", 1) = -1 EBADF (Bad file descriptor)\n"
	             "101 read(4, \"x\", 1) = 1\n");
	assert_int_equal(reads(m, "regular"), 2);
	assert_int_equal(reads(m, "unknown"), 2);
	assert_int_equal(file_calls(m, 1), 2);
	json_decref(m);
}

/* The vfork child runs before the parent's vfork returns: strace shows
 * its close_range and execve first; they still close what it inherited
 * (and only in its copy). */
static void test_vfork_child_before_clone_returns(void **state)
{
	(void)state;
	json_t *m = model_of("100 openat(AT_FDCWD, \"/r/src/a\", O_RDONLY|O_CLOEXEC) = 3\n"
	                     "100 openat(AT_FDCWD, \"/r/src/b\", O_RDONLY) = 4\n"
	                     "100 vfork( <unfinished ...>\n"
	                     "101 close_range(4, 4, 0) = 0\n"
	                     "101 execve(\"/bin/true\", [\"true\"], 0x7ffd /* 1 var */) = 0\n"
	                     "100 <... vfork resumed>) = 101\n"
	                     "101 read(3, \"\", 1) = -1 EBADF (Bad file descriptor)\n"
	                     "101 read(4, \"\", 1) = -1 EBADF (Bad file descriptor)\n"
	                     "100 read(3, \"x\", 1) = 1\n"
	                     "100 read(4, \"x\", 1) = 1\n");
	assert_int_equal(reads(m, "regular"), 2);
	assert_int_equal(reads(m, "unknown"), 2);
	json_decref(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cwd_shared_by_clone_fs_only),
	    cmocka_unit_test(test_execve_unshares),
	    cmocka_unit_test(test_close_range_unshare),
	    cmocka_unit_test(test_vfork_child_before_clone_returns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
