/* dataset: the generated tree has every promised shape, the work directory
 * is private, and remove_tree leaves nothing behind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dataset.h"

static char *work;

static int setup(void **state)
{
	(void)state;
	char err[512];
	work = workdir_create(NULL, err, sizeof(err));
	if (!work) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char err[512];
	int rc = remove_tree(work, err, sizeof(err));
	free(work);
	return rc;
}

static char *path(const char *rel)
{
	static char buf[PATH_MAX];
	snprintf(buf, sizeof(buf), "%s/%s", work, rel);
	return buf;
}

static void workdir_is_private(void **state)
{
	(void)state;
	struct stat st;
	assert_int_equal(stat(work, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_true(work[0] == '/');
	assert_non_null(strstr(work, "/arsync-analyze."));
}

static void generated_tree_has_every_shape(void **state)
{
	(void)state;
	char err[512];
	assert_int_equal(dataset_generate(path("src"), 3, 1, 42, err, sizeof(err)), 0);
	struct stat st;
	assert_int_equal(stat(path("src/file01.bin"), &st), 0);
	assert_int_equal(st.st_size, 1 << 20);
	assert_int_equal(st.st_mode & 0777, 0644);
	assert_true(st.st_mtim.tv_nsec != 0);
	assert_int_equal(stat(path("src/file02.bin"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* As root, some objects belong to another user, so ownership is tested. */
	if (geteuid() == 0) {
		assert_int_equal(st.st_uid, 65534);
		assert_int_equal(lstat(path("src/link-to-dir"), &st), 0);
		assert_int_equal(st.st_uid, 65534);
		assert_int_equal(stat(path("src/file01.bin"), &st), 0);
		assert_int_equal(st.st_uid, 0);
	}
	assert_int_equal(stat(path("src/empty.txt"), &st), 0);
	assert_int_equal(st.st_size, 0);
	assert_int_equal(stat(path("src/nested/level2/level3/deep.dat"), &st), 0);
	assert_int_equal(st.st_size, 70000);
	assert_int_equal(stat(path("src/hardlink-a.dat"), &st), 0);
	assert_int_equal(st.st_nlink, 2);
	struct stat st2;
	assert_int_equal(stat(path("src/hardlink-b.dat"), &st2), 0);
	assert_int_equal(st.st_ino, st2.st_ino);

	char t[PATH_MAX];
	ssize_t n = readlink(path("src/link-to-dir"), t, sizeof(t) - 1);
	assert_true(n > 0);
	t[n] = 0;
	assert_string_equal(t, "nested/level2");
	n = readlink(path("src/nested/level2/level3/relative-link"), t, sizeof(t) - 1);
	assert_true(n > 0);
	t[n] = 0;
	assert_string_equal(t, "../../../empty.txt");
	n = readlink(path("src/link-to-file"), t, sizeof(t) - 1);
	assert_true(n > 0);
	t[n] = 0;
	assert_true(t[0] == '/');
	/* Every link resolves. */
	assert_int_equal(stat(path("src/link-to-file"), &st), 0);
	assert_int_equal(stat(path("src/nested/level2/level3/relative-link"), &st), 0);
	assert_int_equal(stat(path("src/link-to-dir"), &st), 0);
	assert_true(S_ISDIR(st.st_mode));

	/* Random, not zeros, and different between files. */
	unsigned char a[64], b[64];
	int fa = open(path("src/file01.bin"), O_RDONLY),
	    fb = open(path("src/file02.bin"), O_RDONLY);
	assert_int_equal(read(fa, a, 64), 64);
	assert_int_equal(read(fb, b, 64), 64);
	close(fa);
	close(fb);
	assert_memory_not_equal(a, b, 64);
	unsigned char z[64] = {0};
	assert_memory_not_equal(a, z, 64);

	struct dataset_info info;
	assert_int_equal(dataset_scan(path("src"), &info, err, sizeof(err)), 0);
	/* 3 random + empty + deep + 2 hardlink names */
	assert_int_equal(info.n_files, 7);
	assert_int_equal(info.dirs, 3);
	assert_int_equal(info.symlinks, 3);
	assert_int_equal(info.hardlinks, 1);
	assert_int_equal(info.bytes, 3ULL * (1 << 20) + 70000 + 2 * (65536 + 123));
	assert_string_equal(info.files[0], "empty.txt");
	int found = 0;
	for (size_t i = 0; i < info.n_files; i++)
		found += strcmp(info.files[i], "nested/level2/level3/deep.dat") == 0;
	assert_int_equal(found, 1);

	json_t *d = dataset_describe(&info, "generated", "x", path("src"), NULL);
	assert_non_null(d);
	assert_int_equal(json_integer_value(json_object_get(d, "files")), 7);
	assert_string_equal(json_string_value(json_object_get(d, "kind")), "generated");
	assert_true(json_is_null(json_object_get(d, "source")));
	json_decref(d);
	dataset_info_free(&info);

	/* The same seed gives the same bytes. */
	assert_int_equal(dataset_generate(path("again"), 1, 1, 42, err, sizeof(err)), 0);
	fa = open(path("again/file01.bin"), O_RDONLY);
	assert_int_equal(read(fa, b, 64), 64);
	close(fa);
	assert_memory_equal(a, b, 64);
}

static void generate_refuses_existing_root(void **state)
{
	(void)state;
	char err[512] = "";
	assert_int_equal(mkdir(path("exists"), 0700), 0);
	assert_int_equal(dataset_generate(path("exists"), 1, 1, 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "exists"));
	assert_non_null(strstr(err, strerror(EEXIST)));
}

static void copy_from_keeps_the_tree(void **state)
{
	(void)state;
	char err[512];
	assert_int_equal(dataset_generate(path("orig"), 1, 0, 7, err, sizeof(err)), 0);
	char *orig = strdup(path("orig"));
	assert_int_equal(dataset_copy_from(orig, path("copied"), err, sizeof(err)), 0);
	free(orig);
	struct dataset_info info;
	assert_int_equal(dataset_scan(path("copied"), &info, err, sizeof(err)), 0);
	assert_int_equal(info.n_files, 5);
	assert_int_equal(info.symlinks, 3);
	assert_int_equal(info.hardlinks, 1);
	dataset_info_free(&info);

	char *missing = strdup(path("no-such-dir"));
	assert_int_equal(dataset_copy_from(missing, path("c2"), err, sizeof(err)), -1);
	free(missing);
	assert_non_null(strstr(err, "no-such-dir"));
}

static void remove_tree_removes_everything(void **state)
{
	(void)state;
	char err[512];
	assert_int_equal(dataset_generate(path("gone"), 2, 0, 1, err, sizeof(err)), 0);
	assert_int_equal(remove_tree(path("gone"), err, sizeof(err)), 0);
	struct stat st;
	assert_int_equal(lstat(path("gone"), &st), -1);
	/* A missing tree is not an error. */
	assert_int_equal(remove_tree(path("gone"), err, sizeof(err)), 0);
}

static void bad_parent_is_reported(void **state)
{
	(void)state;
	char err[512] = "";
	assert_null(workdir_create("/nonexistent/dir", err, sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent/dir"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(workdir_is_private),
	    cmocka_unit_test(generated_tree_has_every_shape),
	    cmocka_unit_test(generate_refuses_existing_root),
	    cmocka_unit_test(copy_from_keeps_the_tree),
	    cmocka_unit_test(remove_tree_removes_everything),
	    cmocka_unit_test(bad_parent_is_reported),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
