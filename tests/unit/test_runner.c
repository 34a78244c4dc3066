/* runner: template expansion with safe quoting, word splitting without a
 * shell (and the shell fallback), running traced and untraced, exit
 * statuses, program lookup, copier version. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runner.h"

/* Paths that would be code, or several words, if a shell ever read them. */
static const char *const hostile[] = {
    "/tmp/a b/it's",
    "/tmp/$dst;rm -rf x",
    "/tmp/w$(touch /tmp/test_runner_PWNED)",
    "/tmp/w`touch /tmp/test_runner_PWNED`",
    "/tmp/q\"uo'te\\s",
    "/tmp/new\nline",
    "-leading-dash",
    "/tmp/glob*?[x]",
    "/tmp/tilde~ #hash",
    "",
};

static void quoting_survives_any_path(void **state)
{
	(void)state;
	char *q = shell_quote("it's a \"dir\" $HOME `x`");
	assert_string_equal(q, "'it'\\''s a \"dir\" $HOME `x`'");
	free(q);
}

/* Every quoting form of a placeholder gives the copier exactly the value. */
static void every_quoting_form_passes_the_value_as_data(void **state)
{
	(void)state;
	static const char *const forms[] = {
	    "cp -a {src} {dst}",      "cp -a \"{src}\" \"{dst}\"", "cp -a '{src}' '{dst}'",
	    "cp -a \\\n {src} {dst}", "cp -a {src}\t{dst}",
	};
	char err[256];
	for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++)
		for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
			struct runner_cmd c;
			const char *src = hostile[i], *dst = hostile[(i + 3) % 10];
			assert_int_equal(runner_cmd_build(forms[f], "/bin/cp", src, dst, &c, err,
			                                  sizeof(err)),
			                 0);
			assert_false(c.via_shell);
			assert_string_equal(c.argv[0], "cp");
			assert_string_equal(c.argv[1], "-a");
			assert_string_equal(c.argv[2], src);
			assert_string_equal(c.argv[3], dst);
			assert_null(c.argv[4]);
			runner_cmd_free(&c);
		}
}

static void placeholders_expand_inside_words(void **state)
{
	(void)state;
	char err[256] = "";
	struct runner_cmd c;
	assert_int_equal(runner_cmd_build("{bin} -a {src}/ {dst} --log={dst}.log \"x{src}y\"",
	                                  "./build/arsync", "/s p", "/d'", &c, err, sizeof(err)),
	                 0);
	assert_string_equal(c.argv[0], "./build/arsync");
	assert_string_equal(c.argv[2], "/s p/");
	assert_string_equal(c.argv[3], "/d'");
	assert_string_equal(c.argv[4], "--log=/d'.log");
	assert_string_equal(c.argv[5], "x/s py");
	assert_string_equal(c.text,
	                    "./build/arsync -a '/s p/' '/d'\\''' '--log=/d'\\''.log' 'x/s py'");
	runner_cmd_free(&c);
	assert_int_equal(runner_cmd_build("cp {source} {dst}", "b", "s", "d", &c, err, sizeof(err)),
	                 -1);
	assert_non_null(strstr(err, "{source}"));
	/* Braces that are not a placeholder are left alone in single quotes. */
	assert_int_equal(runner_cmd_build("awk '{print}' {src}", "b", "s", "d", &c, err, sizeof(err)),
	                 0);
	assert_string_equal(c.argv[1], "{print}");
	runner_cmd_free(&c);
	assert_int_equal(runner_cmd_build("cp 'unbalanced", "b", "s", "d", &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unbalanced"));
	assert_int_equal(runner_cmd_build("   ", "b", "s", "d", &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "empty"));
}

static void shell_only_commands_get_values_as_parameters(void **state)
{
	(void)state;
	char err[256];
	struct runner_cmd c;
	assert_int_equal(runner_cmd_build("tar cf - -C {src} . | tar xf - -C '{dst}'", "b",
	                                  "/tmp/$(x)", "/d", &c, err, sizeof(err)),
	                 0);
	assert_true(c.via_shell);
	assert_string_equal(c.argv[0], "/bin/sh");
	assert_string_equal(c.argv[1], "-c");
	assert_string_equal(c.argv[2], "tar cf - -C \"${2}\" . | tar xf - -C ''\"${3}\"''");
	assert_string_equal(c.argv[3], "sh");
	assert_string_equal(c.argv[4], "b");
	assert_string_equal(c.argv[5], "/tmp/$(x)");
	assert_string_equal(c.argv[6], "/d");
	assert_null(c.argv[7]);
	/* The words still read the copier's flags. */
	assert_string_equal(c.words[0], "tar");
	assert_string_equal(c.words[4], "/tmp/$(x)");
	runner_cmd_free(&c);
	assert_int_equal(runner_cmd_build("cp \"$HOME/{src}\" b", "b", "s", "d", &c, err, sizeof(err)),
	                 0);
	assert_true(c.via_shell);
	assert_string_equal(c.argv[2], "cp \"$HOME/${2}\" b");
	runner_cmd_free(&c);
	assert_int_equal(runner_cmd_build("cp ${X}{src} b", "b", "s", "d", &c, err, sizeof(err)), 0);
	assert_true(c.via_shell);
	runner_cmd_free(&c);
}

/* The shell form, run for real: the program gets the exact bytes and no
 * value runs as code, in every quoting context. */
static void shell_form_runs_no_value_as_code(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_runner.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char out[64], err[256], tmpl[256];
	snprintf(out, sizeof(out), "%s/out", dir);
	static const char *const ctx[] = {"{src}", "\"{src}\"", "'{src}'", "\"x{src}\"",
	                                  "x'{src}'y"};
	for (size_t k = 0; k < sizeof(ctx) / sizeof(ctx[0]); k++)
		for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
			unlink("/tmp/test_runner_PWNED");
			snprintf(tmpl, sizeof(tmpl), "printf '%%s' %s > %s", ctx[k], out);
			struct runner_cmd c;
			struct run_result r;
			assert_int_equal(runner_cmd_build(tmpl, "b", hostile[i], "d", &c, err,
			                                  sizeof(err)),
			                 0);
			assert_true(c.via_shell);
			assert_int_equal(runner_run(&c, NULL, NULL, true, &r, err, sizeof(err)), 0);
			assert_int_equal(r.status, 0);
			runner_cmd_free(&c);
			FILE *f = fopen(out, "r");
			assert_non_null(f);
			char got[256] = "";
			size_t n = fread(got, 1, sizeof(got) - 1, f);
			got[n] = '\0';
			fclose(f);
			char want[256];
			snprintf(want, sizeof(want), "%s%s%s", k == 3 || k == 4 ? "x" : "", hostile[i],
			         k == 4 ? "y" : "");
			assert_string_equal(got, want);
			assert_int_equal(access("/tmp/test_runner_PWNED", F_OK), -1);
		}
	unlink(out);
	rmdir(dir);
}

static struct runner_cmd words_cmd(const char *text)
{
	struct runner_cmd c;
	char err[256];
	assert_int_equal(runner_cmd_build(text, NULL, NULL, NULL, &c, err, sizeof(err)), 0);
	return c;
}

static void run_reports_exit_status_and_time(void **state)
{
	(void)state;
	char err[256];
	struct runner_cmd c;
	struct run_result r;
	c = words_cmd("sh -c 'exit 7'");
	assert_int_equal(runner_run(&c, NULL, NULL, true, &r, err, sizeof(err)), 0);
	assert_int_equal(r.status, 7);
	assert_int_equal(r.signal, 0);
	assert_true(r.wall_seconds > 0);
	runner_cmd_free(&c);

	c = words_cmd("sh -c 'kill -9 $$'");
	assert_int_equal(runner_run(&c, NULL, NULL, true, &r, err, sizeof(err)), 0);
	assert_int_equal(r.signal, 9);
	assert_int_equal(r.status, 128 + 9);
	runner_cmd_free(&c);

	c = words_cmd("/no/such/program x");
	assert_int_equal(runner_run(&c, NULL, NULL, true, &r, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/no/such/program"));
	assert_non_null(strstr(err, strerror(ENOENT)));
	runner_cmd_free(&c);
}

static void traced_run_writes_the_programs_own_trace(void **state)
{
	(void)state;
	char *strace = runner_find_program("strace");
	if (!strace)
		skip();
	free(strace);
	char dir[] = "/tmp/test_runner.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char trace[64], err[256];
	snprintf(trace, sizeof(trace), "%s/t.txt", dir);
	struct runner_cmd c;
	struct run_result r;
	c = words_cmd("/bin/true --marker-arg");
	assert_int_equal(runner_run(&c, trace, NULL, true, &r, err, sizeof(err)), 0);
	assert_int_equal(r.status, 0);
	runner_cmd_free(&c);
	FILE *f = fopen(trace, "r");
	assert_non_null(f);
	char line[4096];
	int execs = 0, marker = 0, durations = 0;
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, "execve("))
			execs++;
		if (strstr(line, "--marker-arg"))
			marker++;
		if (strstr(line, "exit_group") || strrchr(line, '>'))
			durations++;
	}
	fclose(f);
	/* Exactly the copier's execve: no shell was started first. */
	assert_int_equal(execs, 1);
	assert_int_equal(marker, 1);
	assert_true(durations > 0);
	unlink(trace);
	rmdir(dir);
}

static void programs_are_found_and_checked(void **state)
{
	(void)state;
	char *p = runner_find_program("sh");
	assert_non_null(p);
	assert_true(p[0] == '/');
	free(p);
	assert_null(runner_find_program("no-such-program-here"));
	assert_int_equal(errno, ENOENT);
	assert_null(runner_find_program("/etc/passwd"));
	assert_int_equal(errno, EACCES);
	assert_null(runner_find_program("/tmp"));
	assert_int_equal(errno, EISDIR);
	p = runner_find_program("/bin/sh");
	assert_string_equal(p, "/bin/sh");
	free(p);
}

static void copier_version_is_the_first_line(void **state)
{
	(void)state;
	char *v = runner_copier_version("/bin/cp");
	assert_non_null(v);
	assert_non_null(strstr(v, "cp"));
	assert_null(strchr(v, '\n'));
	free(v);
	/* A program that fails on --version has no version. */
	assert_null(runner_copier_version("/bin/false"));
	/* One that writes its text in several writes, as rsync does. */
	char path[] = "/tmp/test_runner_version.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	static const char script[] = "#!/bin/sh\necho 'tool version 1.2'\nsleep 0.2\n"
	                             "echo 'Copyright line'\nsleep 0.1\necho 'more text'\n";
	assert_int_equal(write(fd, script, sizeof script - 1), (ssize_t)(sizeof script - 1));
	assert_int_equal(fchmod(fd, 0755), 0);
	close(fd);
	v = runner_copier_version(path);
	unlink(path);
	assert_non_null(v);
	assert_string_equal(v, "tool version 1.2");
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(quoting_survives_any_path),
	    cmocka_unit_test(every_quoting_form_passes_the_value_as_data),
	    cmocka_unit_test(placeholders_expand_inside_words),
	    cmocka_unit_test(shell_only_commands_get_values_as_parameters),
	    cmocka_unit_test(shell_form_runs_no_value_as_code),
	    cmocka_unit_test(run_reports_exit_status_and_time),
	    cmocka_unit_test(traced_run_writes_the_programs_own_trace),
	    cmocka_unit_test(programs_are_found_and_checked),
	    cmocka_unit_test(copier_version_is_the_first_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
