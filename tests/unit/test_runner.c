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

static void quoting_survives_any_path(void **state)
{
	(void)state;
	char *q = shell_quote("it's a \"dir\" $HOME `x`");
	assert_string_equal(q, "'it'\\''s a \"dir\" $HOME `x`'");
	free(q);
	/* Round trip through wordexp: one word, unchanged. */
	char err[256];
	char *text = cmd_expand("cp -a {src} {dst}", "/bin/cp", "/tmp/a b/it's", "/tmp/$dst;rm",
	                        err, sizeof(err));
	assert_non_null(text);
	struct runner_cmd c;
	assert_int_equal(runner_cmd_prepare(text, &c, err, sizeof(err)), 0);
	assert_false(c.via_shell);
	assert_string_equal(c.argv[0], "cp");
	assert_string_equal(c.argv[1], "-a");
	assert_string_equal(c.argv[2], "/tmp/a b/it's");
	assert_string_equal(c.argv[3], "/tmp/$dst;rm");
	assert_null(c.argv[4]);
	runner_cmd_free(&c);
	free(text);
}

static void placeholders_expand_everywhere(void **state)
{
	(void)state;
	char err[256] = "";
	char *t = cmd_expand("{bin} -a {src}/ {dst} --log={dst}.log", "./build/arsync", "/s", "/d",
	                     err, sizeof(err));
	assert_string_equal(t, "'./build/arsync' -a '/s'/ '/d' --log='/d'.log");
	free(t);
	assert_null(cmd_expand("cp {source} {dst}", "b", "s", "d", err, sizeof(err)));
	assert_non_null(strstr(err, "{source}"));
	/* Braces that are not a placeholder are left alone. */
	t = cmd_expand("awk '{print}' {src}", "b", "s", "d", err, sizeof(err));
	assert_non_null(t);
	free(t);
}

static void shell_only_commands_use_the_shell(void **state)
{
	(void)state;
	char err[256];
	struct runner_cmd c;
	assert_int_equal(runner_cmd_prepare("tar cf - x | tar xf -", &c, err, sizeof(err)), 0);
	assert_true(c.via_shell);
	assert_string_equal(c.argv[0], "/bin/sh");
	assert_string_equal(c.argv[1], "-c");
	assert_string_equal(c.argv[2], "tar cf - x | tar xf -");
	runner_cmd_free(&c);
	assert_int_equal(runner_cmd_prepare("cp $(echo a) b", &c, err, sizeof(err)), 0);
	assert_true(c.via_shell);
	runner_cmd_free(&c);
	assert_int_equal(runner_cmd_prepare("cp 'unbalanced", &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unbalanced"));
	assert_int_equal(runner_cmd_prepare("   ", &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "empty"));
}

static void run_reports_exit_status_and_time(void **state)
{
	(void)state;
	char err[256];
	struct runner_cmd c;
	struct run_result r;
	assert_int_equal(runner_cmd_prepare("sh -c 'exit 7'", &c, err, sizeof(err)), 0);
	assert_int_equal(runner_run(&c, NULL, NULL, true, &r, err, sizeof(err)), 0);
	assert_int_equal(r.status, 7);
	assert_int_equal(r.signal, 0);
	assert_true(r.wall_seconds > 0);
	runner_cmd_free(&c);

	assert_int_equal(runner_cmd_prepare("sh -c 'kill -9 $$'", &c, err, sizeof(err)), 0);
	assert_int_equal(runner_run(&c, NULL, NULL, true, &r, err, sizeof(err)), 0);
	assert_int_equal(r.signal, 9);
	assert_int_equal(r.status, 128 + 9);
	runner_cmd_free(&c);

	assert_int_equal(runner_cmd_prepare("/no/such/program x", &c, err, sizeof(err)), 0);
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
	assert_int_equal(runner_cmd_prepare("/bin/true --marker-arg", &c, err, sizeof(err)), 0);
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
	    cmocka_unit_test(placeholders_expand_everywhere),
	    cmocka_unit_test(shell_only_commands_use_the_shell),
	    cmocka_unit_test(run_reports_exit_status_and_time),
	    cmocka_unit_test(traced_run_writes_the_programs_own_trace),
	    cmocka_unit_test(programs_are_found_and_checked),
	    cmocka_unit_test(copier_version_is_the_first_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
