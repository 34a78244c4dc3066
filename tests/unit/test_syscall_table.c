/* Unit tests for syscall_table: every name unique and found, the rows the
 * analysis relies on (paths, dirfds, TOCTOU roles, io_uring opcodes,
 * legacy and data flags) as the kernel's argument order says. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "syscall_table.h"

static void test_all_rows_found_and_unique(void **state)
{
	(void)state;
	int n = 0;
	const struct sc_info *rows = sc_all(&n);
	assert_non_null(rows);
	assert_true(n >= 370); /* x86_64: 0..469 less the holes */
	for (int i = 0; i < n; i++) {
		const struct sc_info *r = sc_lookup(rows[i].name);
		assert_ptr_equal(r, &rows[i]); /* unique: lookup finds this very row */
		assert_true(rows[i].nargs >= 0 && rows[i].nargs <= 6);
		assert_true(rows[i].category >= SC_OTHER && rows[i].category < SC_UNKNOWN);
		const int idx[] = { r->path_arg, r->dirfd_arg, r->path2_arg, r->dirfd2_arg, r->fd_arg, r->flags_arg };
		for (size_t k = 0; k < sizeof(idx) / sizeof(idx[0]); k++)
			assert_true(idx[k] == SC_NO_ARG || (idx[k] >= 0 && idx[k] < r->nargs));
		if (r->toctou != SC_TOCTOU_NONE)
			assert_true(r->path_arg != SC_NO_ARG);
		if (r->uring_op)
			assert_int_equal(strncmp(r->uring_op, "IORING_OP_", 10), 0);
	}
}

static void test_lookup_len(void **state)
{
	(void)state;
	assert_ptr_equal(sc_lookup_len("openat", 6), sc_lookup("openat"));
	assert_ptr_equal(sc_lookup_len("openat(AT_FDCWD", 6), sc_lookup("openat")); /* no NUL needed */
	assert_ptr_equal(sc_lookup_len("openat", 4), sc_lookup("open"));
	assert_null(sc_lookup_len("openat", 3));
	assert_null(sc_lookup_len("", 0));
	assert_null(sc_lookup_len(NULL, 3));
	int n;
	const struct sc_info *rows = sc_all(&n);
	for (int i = 0; i < n; i++)
		assert_ptr_equal(sc_lookup_len(rows[i].name, strlen(rows[i].name)), &rows[i]);
}

static void test_lookup_unknown(void **state)
{
	(void)state;
	assert_null(sc_lookup("no_such_syscall"));
	assert_null(sc_lookup(""));
	assert_null(sc_lookup(NULL));
	assert_null(sc_lookup("syscall_0x1c7"));
	assert_null(sc_lookup("OPENAT"));
}

static void test_category_names(void **state)
{
	(void)state;
	assert_string_equal(sc_category_name(SC_FILE_IO), "file_io");
	assert_string_equal(sc_category_name(SC_METADATA), "metadata");
	assert_string_equal(sc_category_name(SC_IO_URING), "io_uring");
	assert_string_equal(sc_category_name(SC_UNKNOWN), "unknown");
	assert_string_equal(sc_category_name((enum sc_category)999), "unknown");
	for (int c = 0; c < SC__COUNT; c++)
		assert_non_null(sc_category_name((enum sc_category)c));
}

static void test_categories(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		enum sc_category cat;
	} want[] = {
		{ "read", SC_FILE_IO },        { "copy_file_range", SC_FILE_IO }, { "openat", SC_OPEN },
		{ "close", SC_OPEN },          { "statx", SC_METADATA },          { "fchmod", SC_METADATA },
		{ "fsetxattr", SC_METADATA },  { "getdents64", SC_DIRECTORY },    { "renameat2", SC_DIRECTORY },
		{ "execve", SC_PROCESS },      { "wait4", SC_PROCESS },           { "futex", SC_THREAD },
		{ "mmap", SC_MEMORY },         { "rt_sigaction", SC_SIGNAL },     { "clock_nanosleep", SC_TIME },
		{ "socket", SC_NETWORK },      { "io_uring_enter", SC_IO_URING }, { "pipe2", SC_IPC },
		{ "getrandom", SC_SYSTEM },    { "ioctl", SC_SYSTEM },            { "uretprobe", SC_SYSTEM },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct sc_info *r = sc_lookup(want[i].name);
		assert_non_null(r);
		if (r->category != want[i].cat)
			fail_msg("%s: category %s", want[i].name, sc_category_name(r->category));
	}
}

static void test_path_arguments(void **state)
{
	(void)state;
	const struct sc_info *r;
	r = sc_lookup("openat");
	assert_int_equal(r->dirfd_arg, 0);
	assert_int_equal(r->path_arg, 1);
	r = sc_lookup("newfstatat");
	assert_int_equal(r->path_arg, 1);
	assert_int_equal(r->flags_arg, 3);
	r = sc_lookup("statx");
	assert_int_equal(r->flags_arg, 2);
	r = sc_lookup("renameat2");
	assert_int_equal(r->dirfd_arg, 0);
	assert_int_equal(r->path_arg, 1);
	assert_int_equal(r->dirfd2_arg, 2);
	assert_int_equal(r->path2_arg, 3);
	r = sc_lookup("symlinkat"); /* target, newdirfd, linkpath */
	assert_int_equal(r->path_arg, 2);
	assert_int_equal(r->dirfd_arg, 1);
	assert_int_equal(r->path2_arg, 0);
	r = sc_lookup("linkat");
	assert_int_equal(r->flags_arg, 4);
	r = sc_lookup("open");
	assert_int_equal(r->path_arg, 0);
	assert_int_equal(r->dirfd_arg, SC_NO_ARG);
	r = sc_lookup("fchownat");
	assert_int_equal(r->flags_arg, 4);
	r = sc_lookup("utimensat");
	assert_int_equal(r->flags_arg, 3);
	r = sc_lookup("read");
	assert_int_equal(r->fd_arg, 0);
	assert_int_equal(r->path_arg, SC_NO_ARG);
	r = sc_lookup("mmap");
	assert_int_equal(r->fd_arg, 4);
	r = sc_lookup("io_uring_enter");
	assert_int_equal(r->fd_arg, 0);
	assert_int_equal(r->nargs, 6);
}

static void test_toctou_roles(void **state)
{
	(void)state;
	static const char *const checks[] = { "stat", "lstat", "newfstatat", "statx", "access",
					      "faccessat", "faccessat2", "readlink", "readlinkat" };
	static const char *const uses[] = { "open", "openat", "openat2", "creat", "chmod", "fchmodat", "chown",
					    "lchown", "fchownat", "utimensat", "utime", "utimes", "futimesat",
					    "truncate", "unlink", "unlinkat", "rename", "renameat", "renameat2", "link",
					    "linkat", "symlink", "symlinkat", "mkdir", "mkdirat", "rmdir", "mknod",
					    "mknodat", "execve", "execveat" };
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		assert_int_equal(sc_lookup(checks[i])->toctou, SC_TOCTOU_CHECK);
	for (size_t i = 0; i < sizeof(uses) / sizeof(uses[0]); i++)
		assert_int_equal(sc_lookup(uses[i])->toctou, SC_TOCTOU_USE);
	assert_int_equal(sc_lookup("fstat")->toctou, SC_TOCTOU_NONE);
	assert_int_equal(sc_lookup("read")->toctou, SC_TOCTOU_NONE);
	assert_int_equal(sc_lookup("fchmod")->toctou, SC_TOCTOU_NONE);
}

static void test_uring_ops(void **state)
{
	(void)state;
	static const struct {
		const char *name, *op;
	} want[] = {
		{ "openat", "IORING_OP_OPENAT" },     { "statx", "IORING_OP_STATX" },
		{ "read", "IORING_OP_READ" },         { "pwrite64", "IORING_OP_WRITE" },
		{ "readv", "IORING_OP_READV" },       { "writev", "IORING_OP_WRITEV" },
		{ "fallocate", "IORING_OP_FALLOCATE" }, { "close", "IORING_OP_CLOSE" },
		{ "mkdirat", "IORING_OP_MKDIRAT" },   { "symlinkat", "IORING_OP_SYMLINKAT" },
		{ "linkat", "IORING_OP_LINKAT" },     { "renameat", "IORING_OP_RENAMEAT" },
		{ "unlinkat", "IORING_OP_UNLINKAT" }, { "fsync", "IORING_OP_FSYNC" },
		{ "splice", "IORING_OP_SPLICE" },     { "fsetxattr", "IORING_OP_FSETXATTR" },
		{ "fgetxattr", "IORING_OP_FGETXATTR" }, { "setxattr", "IORING_OP_SETXATTR" },
		{ "getxattr", "IORING_OP_GETXATTR" }, { "sendmsg", "IORING_OP_SENDMSG" },
		{ "recvmsg", "IORING_OP_RECVMSG" },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct sc_info *r = sc_lookup(want[i].name);
		assert_non_null(r->uring_op);
		assert_string_equal(r->uring_op, want[i].op);
	}
	assert_null(sc_lookup("getdents64")->uring_op);
	assert_null(sc_lookup("fchmod")->uring_op);
	assert_null(sc_lookup("readlinkat")->uring_op);
}

static void test_legacy_and_data(void **state)
{
	(void)state;
	static const char *const legacy[] = { "open", "stat", "lstat", "chmod", "chown", "lchown", "access",
					      "utime", "utimes", "creat", "mkdir", "rmdir", "symlink", "readlink",
					      "unlink", "rename", "link", "mknod", "futimesat" };
	for (size_t i = 0; i < sizeof(legacy) / sizeof(legacy[0]); i++)
		assert_true(sc_lookup(legacy[i])->legacy);
	assert_false(sc_lookup("openat")->legacy);
	assert_false(sc_lookup("fstat")->legacy);
	static const char *const data[] = { "read", "write", "pread64", "pwrite64", "readv", "writev",
					    "copy_file_range", "sendfile", "splice" };
	for (size_t i = 0; i < sizeof(data) / sizeof(data[0]); i++)
		assert_true(sc_lookup(data[i])->data_io);
	assert_false(sc_lookup("fallocate")->data_io);
	assert_false(sc_lookup("openat")->data_io);
}

/* What stats.c once kept in its own name lists: stat-like, metadata
 * changes, the data fds of reads, writes and two-fd calls. */
static void test_traits_and_data_fds(void **state)
{
	(void)state;
	static const char *const stats[] = {"stat", "lstat", "fstat", "newfstatat", "statx"};
	for (size_t i = 0; i < sizeof(stats) / sizeof(stats[0]); i++)
		assert_true(sc_lookup(stats[i])->traits & SC_TRAIT_STAT);
	assert_false(sc_lookup("statfs")->traits & SC_TRAIT_STAT);
	assert_false(sc_lookup("access")->traits & SC_TRAIT_STAT);
	static const char *const meta[] = {"fchmod",    "fchmodat",     "fchownat",  "utimensat",
	                                   "fsetxattr", "lremovexattr", "setxattrat"};
	for (size_t i = 0; i < sizeof(meta) / sizeof(meta[0]); i++)
		assert_true(sc_lookup(meta[i])->traits & SC_TRAIT_META_CHANGE);
	assert_false(sc_lookup("unlinkat")->traits & SC_TRAIT_META_CHANGE);
	assert_false(sc_lookup("fgetxattr")->traits & SC_TRAIT_META_CHANGE);

	const struct sc_info *r = sc_lookup("read");
	assert_int_equal(r->data_in_arg, 0);
	assert_int_equal(r->data_out_arg, SC_NO_ARG);
	r = sc_lookup("pwritev2");
	assert_int_equal(r->data_in_arg, SC_NO_ARG);
	assert_int_equal(r->data_out_arg, 0);
	r = sc_lookup("copy_file_range"); /* (fd_in, off_in, fd_out, off_out, len, flags) */
	assert_int_equal(r->data_in_arg, 0);
	assert_int_equal(r->data_out_arg, 2);
	assert_true(r->traits & SC_TRAIT_KERNEL_COPY);
	r = sc_lookup("sendfile"); /* (out_fd, in_fd, offset, count) */
	assert_int_equal(r->data_in_arg, 1);
	assert_int_equal(r->data_out_arg, 0);
	assert_true(r->traits & SC_TRAIT_KERNEL_COPY);
	r = sc_lookup("splice"); /* (fd_in, off_in, fd_out, off_out, len, flags) */
	assert_int_equal(r->data_in_arg, 0);
	assert_int_equal(r->data_out_arg, 2);
	assert_true(r->traits & SC_TRAIT_KERNEL_COPY);
	assert_false(sc_lookup("pread64")->traits & SC_TRAIT_KERNEL_COPY);

	int n = 0;
	const struct sc_info *rows = sc_all(&n);
	for (int i = 0; i < n; i++) {
		const struct sc_info *x = &rows[i];
		if (!x->data_io) {
			assert_int_equal(x->data_in_arg, SC_NO_ARG);
			assert_int_equal(x->data_out_arg, SC_NO_ARG);
		} else {
			assert_true(x->data_in_arg != SC_NO_ARG || x->data_out_arg != SC_NO_ARG);
		}
		if (x->traits & SC_TRAIT_KERNEL_COPY)
			assert_true(x->data_in_arg != SC_NO_ARG && x->data_out_arg != SC_NO_ARG);
	}
}

/* What stats.c once matched by name: the calls that change the fd table,
 * and symlink's text, rename's move, creat's create. */
static void test_fd_effects_and_name_traits(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		enum sc_fd_effect fx;
	} rows[] = {
	    {"openat", SPC_OPEN},
	    {"creat", SPC_OPEN},
	    {"dup3", SPC_DUP},
	    {"fcntl", SPC_FCNTL},
	    {"close_range", SPC_CLOSE_RANGE},
	    {"pipe2", SPC_PIPE},
	    {"accept4", SPC_SOCKET},
	    {"eventfd2", SPC_EVENTFD},
	    {"memfd_create", SPC_OTHERFD},
	    {"io_uring_enter", SPC_URING_ENTER},
	    {"clone3", SPC_CLONE},
	    {"vfork", SPC_CLONE},
	    {"execveat", SPC_EXECVE},
	    {"fchdir", SPC_FCHDIR},
	    {"mknodat", SPC_MKNOD},
	    {"read", SPC_NONE},
	    {"statx", SPC_NONE},
	    {"renameat2", SPC_NONE},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		assert_int_equal(sc_lookup(rows[i].name)->fd_effect, rows[i].fx);
	assert_true(sc_lookup("symlinkat")->traits & SC_TRAIT_SYMLINK);
	assert_false(sc_lookup("linkat")->traits & SC_TRAIT_SYMLINK);
	assert_true(sc_lookup("renameat2")->traits & SC_TRAIT_RENAME);
	assert_true(sc_lookup("rename")->traits & SC_TRAIT_RENAME);
	assert_true(sc_lookup("creat")->traits & SC_TRAIT_CREATES);
	assert_false(sc_lookup("openat")->traits & SC_TRAIT_CREATES);
}

/* Every call that changes what a path names, by that path, is a TOCTOU
 * use: xattrs and file_setattr too, not only open/chmod/rename. */
static void test_toctou_uses_by_path(void **state)
{
	(void)state;
	static const char *const uses[] = {
	    "setxattr",     "lsetxattr",     "removexattr", "lremovexattr",
	    "setxattrat",   "removexattrat", "truncate",    "utimensat",
	    "chown",        "lchown",        "fchmodat",    "fchownat",
	    "file_setattr", "execve",        "renameat2",   "mknodat"};
	for (size_t i = 0; i < sizeof(uses) / sizeof(uses[0]); i++)
		assert_int_equal(sc_lookup(uses[i])->toctou, SC_TOCTOU_USE);
	/* a call that changes the metadata of a path it names is a use */
	int n = 0;
	const struct sc_info *rows = sc_all(&n);
	for (int i = 0; i < n; i++)
		if ((rows[i].traits & SC_TRAIT_META_CHANGE) && rows[i].path_arg != SC_NO_ARG)
			assert_int_equal(rows[i].toctou, SC_TOCTOU_USE);
	assert_int_equal(sc_lookup("fsetxattr")->toctou, SC_TOCTOU_NONE);
	assert_int_equal(sc_lookup("getxattr")->toctou, SC_TOCTOU_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_all_rows_found_and_unique),
	    cmocka_unit_test(test_lookup_len),
	    cmocka_unit_test(test_lookup_unknown),
	    cmocka_unit_test(test_category_names),
	    cmocka_unit_test(test_categories),
	    cmocka_unit_test(test_path_arguments),
	    cmocka_unit_test(test_toctou_roles),
	    cmocka_unit_test(test_uring_ops),
	    cmocka_unit_test(test_legacy_and_data),
	    cmocka_unit_test(test_traits_and_data_fds),
	    cmocka_unit_test(test_fd_effects_and_name_traits),
	    cmocka_unit_test(test_toctou_uses_by_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
