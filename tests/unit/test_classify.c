/* Tests for the classification rules: one case per rule of access_rules,
 * fd kinds from -y decorations, the start-up path set, path helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "classify.h"

static void test_at_fdcwd_absolute_is_path_based(void **state)
{
	(void)state;
	assert_int_equal(classify_access(CL_AT_FDCWD, "/tmp/src/a", false), AC_PATH_BASED);
}

static void test_at_fdcwd_several_components_is_path_based(void **state)
{
	(void)state;
	assert_int_equal(classify_access(CL_AT_FDCWD, "src/a", false), AC_PATH_BASED);
}

static void test_at_fdcwd_single_name_is_cwd_relative(void **state)
{
	(void)state;
	assert_int_equal(classify_access(CL_AT_FDCWD, "a.bin", false), AC_CWD_RELATIVE);
	assert_int_equal(classify_access(CL_AT_FDCWD, ".", false), AC_CWD_RELATIVE);
	assert_int_equal(classify_access(CL_AT_FDCWD, "", true), AC_CWD_RELATIVE);
}

/* The magic link of an open fd: reached through the fd, no name lookup.
 * Anything below it, or any other /proc path, is a path. */
static void test_proc_self_fd_is_fd_based(void **state)
{
	(void)state;
	assert_int_equal(classify_access(CL_AT_FDCWD, "/proc/self/fd/7", false), AC_FD_BASED);
	assert_int_equal(classify_access(CL_AT_FDCWD, "/proc/thread-self/fd/12", false),
	                 AC_FD_BASED);
	assert_int_equal(classify_access(CL_AT_FDCWD, "/proc/self/fd/7/x", false), AC_PATH_BASED);
	assert_int_equal(classify_access(CL_AT_FDCWD, "/proc/self/fd/", false), AC_PATH_BASED);
	assert_int_equal(classify_access(CL_AT_FDCWD, "/proc/self/fdinfo/7", false),
	                 AC_PATH_BASED);
	assert_int_equal(classify_access(CL_AT_FDCWD, "/proc/123/fd/7", false), AC_PATH_BASED);
}

static void test_dirfd_single_name_is_fd_based(void **state)
{
	(void)state;
	assert_int_equal(classify_access(5, "a.bin", false), AC_FD_BASED);
}

static void test_fd_empty_path_or_null_is_fd_based(void **state)
{
	(void)state;
	assert_int_equal(classify_access(5, "", true), AC_FD_BASED);
	assert_int_equal(classify_access(5, NULL, false), AC_FD_BASED); /* futimens */
}

static void test_dirfd_with_absolute_or_nested_path_is_path_based(void **state)
{
	(void)state;
	assert_int_equal(classify_access(5, "/etc/passwd", false), AC_PATH_BASED);
	assert_int_equal(classify_access(5, "d1/d2/a", false), AC_PATH_BASED);
}

static void test_legacy_forms(void **state)
{
	(void)state;
	assert_int_equal(classify_access(CL_NO_DIRFD, "/tmp/src/a", false), AC_PATH_BASED);
	assert_int_equal(classify_access(CL_NO_DIRFD, "src/a", false), AC_PATH_BASED);
	assert_int_equal(classify_access(CL_NO_DIRFD, "a", false), AC_CWD_RELATIVE);
	assert_int_equal(classify_access(CL_NO_DIRFD, NULL, false), AC_NONE);
}

static void test_rules_text_names_every_class(void **state)
{
	(void)state;
	json_t *r = classify_rules_json();
	int seen = 0;
	size_t i;
	json_t *v;
	json_array_foreach(r, i, v)
	{
		const char *cls = json_string_value(json_object_get(v, "class"));
		assert_non_null(json_string_value(json_object_get(v, "rule")));
		for (int c = 0; c < AC__COUNT; c++)
			if (!strcmp(cls, access_class_name((enum access_class)c)))
				seen |= 1 << c;
	}
	assert_int_equal(seen, 7);
	json_decref(r);
}

static void test_fd_decorations(void **state)
{
	(void)state;
	assert_int_equal(classify_fd_decoration("/tmp/src/a.bin"), FDK_REGULAR);
	assert_int_equal(classify_fd_decoration("pipe:[12345]"), FDK_PIPE);
	assert_int_equal(classify_fd_decoration("socket:[11898]"), FDK_SOCKET);
	assert_int_equal(classify_fd_decoration("UNIX-STREAM:[11898]"), FDK_SOCKET);
	assert_int_equal(classify_fd_decoration("TCP:[127.0.0.1:22->127.0.0.1:4000]"), FDK_SOCKET);
	assert_int_equal(classify_fd_decoration("anon_inode:[eventfd]"), FDK_EVENTFD);
	assert_int_equal(classify_fd_decoration("anon_inode:[io_uring]"), FDK_IO_URING);
	assert_int_equal(classify_fd_decoration("anon_inode:[eventpoll]"), FDK_OTHER);
	assert_int_equal(classify_fd_decoration("/dev/pts/0"), FDK_TTY);
	assert_int_equal(classify_fd_decoration("/dev/null"), FDK_OTHER);
	assert_int_equal(classify_fd_decoration(""), FDK_UNKNOWN);
	assert_int_equal(classify_opened_path("/tmp/d", true), FDK_DIR);
	assert_int_equal(classify_opened_path("/tmp/f", false), FDK_REGULAR);
}

static void test_startup_paths(void **state)
{
	(void)state;
	assert_true(classify_is_startup_path("/etc/ld.so.cache"));
	assert_true(classify_is_startup_path("/lib/x86_64-linux-gnu/libc.so.6"));
	assert_true(classify_is_startup_path("/usr/lib/locale/C.utf8/LC_CTYPE"));
	assert_true(classify_is_startup_path("/proc/self/maps"));
	assert_true(classify_is_startup_path("/root/.popt"));
	assert_true(classify_is_startup_path("/home/u/.popt"));
	assert_false(classify_is_startup_path("/home/u/data/.hidden"));
	assert_false(classify_is_startup_path("/tmp/src/f1"));
	assert_false(classify_is_startup_path("/usr/share/doc/x"));
	assert_false(classify_is_startup_path("src"));
}

/* The normal form, said another way: the components between slashes,
 * without empty and "." ones, joined by "/", a leading "/" kept, and "."
 * when a relative path has none left. */
static size_t reference_normalize(const char *in, size_t inlen, char *out, size_t outsz)
{
	char tmp[128], *save = NULL;
	assert_true(inlen < sizeof(tmp) && outsz >= inlen + 2);
	memcpy(tmp, in, inlen);
	tmp[inlen] = '\0';
	strcpy(out, tmp[0] == '/' ? "/" : "");
	for (char *tok = strtok_r(tmp, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (strcmp(tok, ".") == 0)
			continue;
		if (out[0] && strcmp(out, "/") != 0)
			strcat(out, "/");
		strcat(out, tok);
	}
	if (!out[0] && inlen > 0)
		strcpy(out, ".");
	return strlen(out);
}

/* IN normalized, and joined as directory IN[0..CUT) + name IN[CUT..]:
 * what the reference gives. */
static void check_normal_forms(const char *in, int len, int cut)
{
	char want[128], got[128], dir[64], both[128];
	size_t wl = reference_normalize(in, (size_t)len, want, sizeof(want));
	size_t gl = path_normalize(in, (size_t)len, got, sizeof(got));
	if (gl != wl || strcmp(got, want) != 0)
		fail_msg("normalize '%s': got '%s', want '%s'", in, got, want);
	memcpy(dir, in, (size_t)cut);
	dir[cut] = '\0';
	const char *name = in + cut;
	if (name[0] == '/' || !dir[0])
		snprintf(both, sizeof(both), "%s", name);
	else
		snprintf(both, sizeof(both), "%.63s/%.63s", dir, name);
	reference_normalize(both, strlen(both), want, sizeof(want));
	path_join(dir, name, got, sizeof(got));
	if (strcmp(got, want) != 0)
		fail_msg("join '%s' + '%s': got '%s', want '%s'", dir, name, got, want);
}

/* Every string of up to 7 characters over { '/', '.', 'a' } (the
 * directory is the first half, the name the second), then longer ones at
 * random for the 16-byte scan of the fast path: normalize and join give
 * what the reference gives. */
static void test_path_normal_forms_exhaustive(void **state)
{
	(void)state;
	const char alpha[] = "/.a";
	char in[52], got[64];
	for (int len = 0; len <= 7; len++) {
		int total = 1;
		for (int k = 0; k < len; k++)
			total *= 3;
		for (int v = 0; v < total; v++) {
			int x = v;
			for (int k = 0; k < len; k++, x /= 3)
				in[k] = alpha[x % 3];
			in[len] = '\0';
			check_normal_forms(in, len, len / 2);
		}
	}
	unsigned seed = 2024;
	for (int round = 0; round < 200000; round++) {
		seed = seed * 1103515245u + 12345u;
		int len = (int)(seed >> 16) % 51;
		for (int k = 0; k < len; k++) {
			seed = seed * 1103515245u + 12345u;
			/* mostly letters, as real paths are, so that some are normal */
			unsigned r = (seed >> 16) % 10;
			in[k] = r < 2 ? '/' : r < 3 ? '.' : (char)('a' + r);
		}
		in[len] = '\0';
		check_normal_forms(in, len, len ? (int)(seed >> 8) % (len + 1) : 0);
	}
	/* too small an output: "" and 0, fast path or not */
	assert_int_equal(path_normalize("/a/b", 4, got, 4), 0);
	assert_string_equal(got, "");
	assert_int_equal(path_normalize("/a/b", 4, got, 5), 4);
	assert_int_equal(path_join("/a", "b", got, 4), 0);
	assert_int_equal(path_join("/a", "b", got, 5), 4);
	assert_string_equal(got, "/a/b");
}

static void test_path_helpers(void **state)
{
	(void)state;
	char out[256];
	assert_int_equal(path_normalize("//tmp/./a//b/", 13, out, sizeof(out)), 8);
	assert_string_equal(out, "/tmp/a/b");
	path_normalize("./x", 3, out, sizeof(out));
	assert_string_equal(out, "x");
	path_normalize("/", 1, out, sizeof(out));
	assert_string_equal(out, "/");
	path_join("/tmp/fx", "src/a", out, sizeof(out));
	assert_string_equal(out, "/tmp/fx/src/a");
	path_join("/tmp/fx", "/abs", out, sizeof(out));
	assert_string_equal(out, "/abs");
	assert_int_equal(path_normalize("/very/long/path", 15, out, 4), 0);
	assert_true(path_under("/tmp/src/a", "/tmp/src"));
	assert_true(path_under("/tmp/src", "/tmp/src"));
	assert_false(path_under("/tmp/src2/a", "/tmp/src"));
	assert_true(path_under("/x", "/"));
	assert_true(path_is_single_name("a.bin"));
	assert_false(path_is_single_name("a/b"));
	assert_false(path_is_single_name(".."));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_at_fdcwd_absolute_is_path_based),
	    cmocka_unit_test(test_path_normal_forms_exhaustive),
	    cmocka_unit_test(test_at_fdcwd_several_components_is_path_based),
	    cmocka_unit_test(test_at_fdcwd_single_name_is_cwd_relative),
	    cmocka_unit_test(test_proc_self_fd_is_fd_based),
	    cmocka_unit_test(test_dirfd_single_name_is_fd_based),
	    cmocka_unit_test(test_fd_empty_path_or_null_is_fd_based),
	    cmocka_unit_test(test_dirfd_with_absolute_or_nested_path_is_path_based),
	    cmocka_unit_test(test_legacy_forms),
	    cmocka_unit_test(test_rules_text_names_every_class),
	    cmocka_unit_test(test_fd_decorations),
	    cmocka_unit_test(test_startup_paths),
	    cmocka_unit_test(test_path_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
