/* Tests for the fd table: open/close/dup, CLONE_FILES sharing vs fork
 * copies, children seen before their clone returns, execve and O_CLOEXEC,
 * close_range, rings and cwd. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fd_table.h"

static void test_open_close_dup(void **state)
{
	(void)state;
	struct fd_tables *t = fdt_new();
	struct fd_table *tab = fdt_for_pid(t, 100);
	assert_null(fdt_get(tab, 3));
	assert_int_equal(fdt_open(tab, 3, 7, FDK_REGULAR, false), 0);
	assert_int_equal(fdt_get(tab, 3)->path, 7);
	assert_int_equal(fdt_dup(tab, 3, 10, false), 0);
	assert_int_equal(fdt_get(tab, 10)->path, 7);
	assert_int_equal(fdt_get(tab, 10)->kind, FDK_REGULAR);
	fdt_close(tab, 3);
	assert_null(fdt_get(tab, 3));
	assert_non_null(fdt_get(tab, 10));
	/* dup of an unknown fd: open, but unknown */
	fdt_dup(tab, 50, 11, false);
	assert_int_equal(fdt_get(tab, 11)->path, FD_NO_PATH);
	assert_int_equal(fdt_open(tab, -1, 1, FDK_REGULAR, false), -1);
	fdt_free(t);
}

static void test_clone_files_shares(void **state)
{
	(void)state;
	struct fd_tables *t = fdt_new();
	struct fd_table *p = fdt_for_pid(t, 100);
	fdt_open(p, 3, 1, FDK_REGULAR, false);
	assert_int_equal(fdt_clone(t, 100, 101, true), 0);
	struct fd_table *c = fdt_for_pid(t, 101);
	assert_ptr_equal(c, p);
	fdt_open(c, 4, 2, FDK_PIPE, false);
	assert_int_equal(fdt_get(p, 4)->kind, FDK_PIPE); /* a thread's open is the parent's */
	fdt_exit(t, 101);
	assert_non_null(fdt_get(fdt_for_pid(t, 100), 4));
	fdt_free(t);
}

static void test_fork_copies(void **state)
{
	(void)state;
	struct fd_tables *t = fdt_new();
	struct fd_table *p = fdt_for_pid(t, 100);
	fdt_open(p, 3, 1, FDK_REGULAR, false);
	assert_int_equal(fdt_clone(t, 100, 200, false), 0);
	struct fd_table *c = fdt_for_pid(t, 200);
	assert_ptr_not_equal(c, p);
	assert_int_equal(fdt_get(c, 3)->path, 1);
	fdt_close(c, 3);
	fdt_open(c, 5, 9, FDK_REGULAR, false);
	assert_non_null(fdt_get(p, 3)); /* the parent keeps its fd */
	assert_null(fdt_get(p, 5));
	assert_int_not_equal(fdt_id(c), fdt_id(p));
	fdt_free(t);
}

static void test_child_seen_before_clone_returns(void **state)
{
	(void)state;
	struct fd_tables *t = fdt_new();
	struct fd_table *p = fdt_for_pid(t, 100);
	fdt_open(p, 3, 1, FDK_REGULAR, false);
	fdt_open(p, 4, 2, FDK_REGULAR, false);
	/* fork child runs first: opens 6, closes 4 */
	struct fd_table *early = fdt_for_pid(t, 300);
	fdt_open(early, 6, 3, FDK_SOCKET, false);
	fdt_close(early, 4);
	assert_int_equal(fdt_clone(t, 100, 300, false), 0);
	struct fd_table *c = fdt_for_pid(t, 300);
	assert_int_equal(fdt_get(c, 3)->path, 1); /* inherited */
	assert_null(fdt_get(c, 4));               /* its own close survives */
	assert_int_equal(fdt_get(c, 6)->kind, FDK_SOCKET);
	assert_non_null(fdt_get(p, 4));
	assert_null(fdt_get(p, 6));
	/* a thread running first: its opens land in the shared table */
	struct fd_table *th = fdt_for_pid(t, 301);
	fdt_open(th, 8, 4, FDK_EVENTFD, false);
	assert_int_equal(fdt_clone(t, 100, 301, true), 0);
	assert_int_equal(fdt_get(p, 8)->kind, FDK_EVENTFD);
	assert_ptr_equal(fdt_for_pid(t, 301), p);
	fdt_free(t);
}

static void test_exec_closes_cloexec(void **state)
{
	(void)state;
	struct fd_tables *t = fdt_new();
	struct fd_table *tab = fdt_for_pid(t, 1);
	fdt_open(tab, 3, 1, FDK_REGULAR, true);
	fdt_open(tab, 4, 2, FDK_REGULAR, false);
	fdt_exec(tab);
	assert_null(fdt_get(tab, 3));
	assert_non_null(fdt_get(tab, 4));
	fdt_free(t);
}

static void test_close_range(void **state)
{
	(void)state;
	struct fd_tables *t = fdt_new();
	struct fd_table *tab = fdt_for_pid(t, 1);
	assert_int_equal(fdt_clone(t, 1, 2, false), 0); /* a non-provisional table */
	tab = fdt_for_pid(t, 2);
	for (int fd = 3; fd < 8; fd++)
		fdt_open(tab, fd, (uint32_t)fd, FDK_REGULAR, false);
	fdt_close_range(tab, 5, 6, true);
	assert_true(fdt_get(tab, 5)->cloexec);
	fdt_close_range(tab, 4, 1 << 30, false);
	assert_non_null(fdt_get(tab, 3));
	assert_null(fdt_get(tab, 4));
	assert_null(fdt_get(tab, 7));
	fdt_free(t);
}

static void test_ring_and_cwd(void **state)
{
	(void)state;
	struct fd_tables *t = fdt_new();
	struct fd_table *tab = fdt_for_pid(t, 1);
	fdt_open(tab, 6, FD_NO_PATH, FDK_IO_URING, true);
	fdt_set_ring(tab, 6, 2);
	fdt_dup(tab, 6, 9, false);
	assert_int_equal(fdt_get(tab, 9)->ring, 2);
	assert_int_equal(fdt_clone(t, 1, 2, false), 0);
	assert_int_equal(fdt_get(fdt_for_pid(t, 2), 6)->ring, 2); /* fork shares the ring object */
	assert_int_equal(fdt_cwd(tab), FD_NO_PATH);
	fdt_set_cwd(tab, 42);
	assert_int_equal(fdt_cwd(tab), 42);
	fdt_learn(tab, 0, 77, FDK_TTY);
	assert_int_equal(fdt_get(tab, 0)->kind, FDK_TTY);
	fdt_free(t);
}

static void test_pid_zero(void **state)
{
	(void)state;
	/* a trace without a pid column: the parser says pid 0 */
	struct fd_tables *t = fdt_new();
	struct fd_table *tab = fdt_for_pid(t, 0);
	assert_non_null(tab);
	fdt_open(tab, 3, 5, FDK_REGULAR, false);
	assert_int_equal(fdt_clone(t, 0, 19112, false), 0);
	assert_int_equal(fdt_get(fdt_for_pid(t, 19112), 3)->path, 5);
	assert_ptr_equal(fdt_for_pid(t, 0), tab);
	fdt_exit(t, 0);
	fdt_free(t);
}

static void test_many_pids(void **state)
{
	(void)state;
	struct fd_tables *t = fdt_new();
	for (int pid = 2; pid < 5000; pid++) {
		assert_int_equal(fdt_clone(t, 1, pid, pid % 2), 0);
		if (pid % 3 == 0)
			fdt_exit(t, pid);
	}
	assert_non_null(fdt_for_pid(t, 4999));
	fdt_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_open_close_dup),
	    cmocka_unit_test(test_clone_files_shares),
	    cmocka_unit_test(test_fork_copies),
	    cmocka_unit_test(test_child_seen_before_clone_returns),
	    cmocka_unit_test(test_exec_closes_cloexec),
	    cmocka_unit_test(test_close_range),
	    cmocka_unit_test(test_ring_and_cwd),
	    cmocka_unit_test(test_pid_zero),
	    cmocka_unit_test(test_many_pids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
