/* verify: a faithful copy passes; each kind of damage is found and named;
 * the flags decide what is promised. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dataset.h"
#include "verify.h"

static char *work;
static char src[PATH_MAX], dst[PATH_MAX];

static int run(const char *cmd)
{
	int rc = system(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* A fresh SRC (generated) and DST = cp -a SRC. */
static int setup(void **state)
{
	(void)state;
	char err[512];
	work = workdir_create(NULL, err, sizeof(err));
	if (!work)
		return -1;
	snprintf(src, sizeof(src), "%s/src", work);
	snprintf(dst, sizeof(dst), "%s/dst", work);
	if (dataset_generate(src, 2, 1, 5, err, sizeof(err)) != 0)
		return -1;
	char cmd[3 * PATH_MAX];
	snprintf(cmd, sizeof(cmd), "cp -a '%s' '%s'", src, dst);
	return run(cmd);
}

static int teardown(void **state)
{
	(void)state;
	char err[512];
	int rc = remove_tree(work, err, sizeof(err));
	free(work);
	return rc;
}

static json_t *check(const struct verify_opts *o)
{
	char err[512];
	json_t *v = verify_tree(src, dst, o, err, sizeof(err));
	assert_non_null(v);
	return v;
}

static bool ok(json_t *v) { return json_is_true(json_object_get(v, "ok")); }

/* True when some difference contains NEEDLE. */
static bool mentions(json_t *v, const char *needle)
{
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(v, "differences"), i,
	                   d) if (strstr(json_string_value(d), needle)) return true;
	return false;
}

static const struct verify_opts full = {.archive = true, .owner = true, .hardlinks = true};

static void faithful_copy_passes(void **state)
{
	(void)state;
	json_t *v = check(&full);
	if (!ok(v))
		json_dumpf(v, stderr, JSON_INDENT(2));
	assert_true(ok(v));
	assert_true(json_is_true(json_object_get(v, "performed")));
	/* 2 files, empty, deep, 2 hardlink names (6), 3 symlinks, 3 dirs */
	assert_int_equal(json_integer_value(json_object_get(v, "checked")), 12);
	assert_int_equal(json_array_size(json_object_get(v, "differences")), 0);
	json_decref(v);
}

static void rsync_copy_passes_without_hardlinks(void **state)
{
	(void)state;
	char cmd[3 * PATH_MAX], d2[PATH_MAX + 8];
	snprintf(d2, sizeof(d2), "%s/rsync", work);
	snprintf(cmd, sizeof(cmd), "rsync -a '%s/' '%s'", src, d2);
	if (run(cmd) != 0)
		skip();
	struct verify_opts o;
	char *argv[] = {"rsync", "-a", "x/", "y", NULL};
	verify_opts_from_argv(argv, geteuid() == 0, &o);
	assert_false(o.hardlinks);
	char err[512];
	json_t *v = verify_tree(src, d2, &o, err, sizeof(err));
	assert_non_null(v);
	assert_true(ok(v));
	json_decref(v);
	/* Promising hardlinks that rsync -a did not keep is a difference. */
	o.hardlinks = true;
	v = verify_tree(src, d2, &o, err, sizeof(err));
	assert_false(ok(v));
	assert_true(mentions(v, "hardlink not kept"));
	json_decref(v);
}

static void flipped_byte_is_found(void **state)
{
	(void)state;
	char p[PATH_MAX + 32];
	snprintf(p, sizeof(p), "%s/file02.bin", dst);
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	int fd = open(p, O_RDWR);
	unsigned char b;
	assert_int_equal(pread(fd, &b, 1, 1000), 1);
	b ^= 0x40;
	assert_int_equal(pwrite(fd, &b, 1, 1000), 1);
	close(fd);
	struct timespec ts[2] = {st.st_atim, st.st_mtim};
	assert_int_equal(utimensat(AT_FDCWD, p, ts, 0), 0);
	json_t *v = check(&full);
	assert_false(ok(v));
	assert_true(mentions(v, "file02.bin: content differs at byte 1000"));
	assert_int_equal(json_integer_value(json_object_get(v, "differences_total")), 1);
	json_decref(v);
	/* Put it back for the next tests. */
	fd = open(p, O_RDWR);
	b ^= 0x40;
	assert_int_equal(pwrite(fd, &b, 1, 1000), 1);
	close(fd);
	assert_int_equal(utimensat(AT_FDCWD, p, ts, 0), 0);
}

static void metadata_damage_is_found(void **state)
{
	(void)state;
	char p[PATH_MAX + 32], l[PATH_MAX + 32], x[PATH_MAX + 32];
	snprintf(p, sizeof(p), "%s/file01.bin", dst);
	snprintf(l, sizeof(l), "%s/link-to-dir", dst);
	snprintf(x, sizeof(x), "%s/nested/extra", dst);
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(chmod(p, 0604), 0);
	struct timespec ts[2] = {st.st_atim, {st.st_mtim.tv_sec, 0}};
	assert_int_equal(utimensat(AT_FDCWD, p, ts, 0), 0);
	assert_int_equal(unlink(l), 0);
	assert_int_equal(symlink("elsewhere", l), 0);
	char nested[PATH_MAX + 16];
	snprintf(nested, sizeof(nested), "%s/nested", dst);
	struct stat nst;
	assert_int_equal(stat(nested, &nst), 0);
	FILE *f = fopen(x, "w");
	assert_non_null(f);
	fclose(f);

	json_t *v = check(&full);
	assert_false(ok(v));
	assert_true(mentions(v, "file01.bin: mode differs (source 0644, copy 0604)"));
	assert_true(mentions(v, "file01.bin: mtime differs"));
	assert_true(mentions(
	    v, "link-to-dir: symlink target differs (source 'nested/level2', copy 'elsewhere')"));
	assert_true(mentions(v, "nested/extra: in the copy but not in the source"));
	/* The extra file changed the directory's mtime too. */
	assert_true(mentions(v, "nested: mtime differs"));
	json_decref(v);

	/* Ownership, when root (a regular user cannot give files away). */
	if (geteuid() == 0) {
		char e[PATH_MAX + 32];
		snprintf(e, sizeof(e), "%s/empty.txt", dst);
		assert_int_equal(lchown(e, 1234, 5678), 0);
		json_t *w = check(&full);
		assert_true(mentions(w, "empty.txt: owner differs (source 0:0, copy 1234:5678)"));
		json_decref(w);
		struct verify_opts no_owner = full;
		no_owner.owner = false;
		w = check(&no_owner);
		assert_false(mentions(w, "owner differs"));
		json_decref(w);
		assert_int_equal(lchown(e, 0, 0), 0);
	}

	/* Without -a only content, types and targets are promised. */
	struct verify_opts plain = {0};
	v = check(&plain);
	assert_false(mentions(v, "mode differs"));
	assert_false(mentions(v, "mtime differs"));
	assert_true(mentions(v, "symlink target differs"));
	json_decref(v);
}

static void missing_and_retyped_entries(void **state)
{
	(void)state;
	char p[PATH_MAX + 64];
	snprintf(p, sizeof(p), "%s/nested/level2/level3/deep.dat", dst);
	assert_int_equal(unlink(p), 0);
	snprintf(p, sizeof(p), "%s/empty.txt", dst);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(mkdir(p, 0755), 0);
	json_t *v = check(&full);
	assert_true(mentions(v, "nested/level2/level3/deep.dat: missing in the copy"));
	assert_true(mentions(v, "empty.txt: type differs (source regular file, copy directory)"));
	json_decref(v);

	char err[512] = "";
	struct verify_opts o = full;
	char none[PATH_MAX + 16];
	snprintf(none, sizeof(none), "%s/none", work);
	v = verify_tree(src, none, &o, err, sizeof(err));
	assert_non_null(v);
	assert_false(ok(v));
	assert_true(mentions(v, "does not exist"));
	json_decref(v);
	/* An unreadable source is an error, not a difference. */
	assert_null(verify_tree(none, dst, &o, err, sizeof(err)));
	assert_non_null(strstr(err, none));
}

static void flags_decide_the_promises(void **state)
{
	(void)state;
	struct verify_opts o;
	char *cp_a[] = {"/usr/bin/cp", "-a", "s", "d", NULL};
	verify_opts_from_argv(cp_a, true, &o);
	assert_true(o.archive && o.hardlinks && o.owner);
	char *cp_r[] = {"cp", "-r", "s", "d", NULL};
	verify_opts_from_argv(cp_r, true, &o);
	assert_false(o.archive || o.hardlinks || o.owner);
	char *cp_h[] = {"cp", "-RH", "s", "d", NULL}; /* cp's -H follows links, not hardlinks */
	verify_opts_from_argv(cp_h, true, &o);
	assert_false(o.hardlinks);
	char *rs[] = {"rsync", "-avH", "s/", "d", NULL};
	verify_opts_from_argv(rs, false, &o);
	assert_true(o.archive && o.hardlinks);
	assert_false(o.owner);
	char *ar[] = {"./build/arsync", "s", "d", "--archive", "--hard-links", NULL};
	verify_opts_from_argv(ar, true, &o);
	assert_true(o.archive && o.hardlinks && o.owner);
	char *ar2[] = {"arsync", "-a", "--", "-H", NULL};
	verify_opts_from_argv(ar2, true, &o);
	assert_true(o.archive);
	assert_false(o.hardlinks);
	json_t *np = verify_not_performed("--trace mode");
	assert_false(json_is_true(json_object_get(np, "performed")));
	assert_true(json_is_null(json_object_get(np, "ok")));
	json_decref(np);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(faithful_copy_passes),
	    cmocka_unit_test(rsync_copy_passes_without_hardlinks),
	    cmocka_unit_test(flipped_byte_is_found),
	    cmocka_unit_test(metadata_damage_is_found),
	    cmocka_unit_test(missing_and_retyped_entries),
	    cmocka_unit_test(flags_decide_the_promises),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
