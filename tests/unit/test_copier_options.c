/* Unit tests for arsync's command line parser (copier/options.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "options.h"

static enum options_result parse(struct arsync_options *o, const char *const *args)
{
	char *argv[32];
	int argc = 0;
	argv[argc++] = (char *)"arsync";
	for (; *args; args++)
		argv[argc++] = (char *)*args;
	argv[argc] = NULL;
	FILE *devnull = fopen("/dev/null", "w");
	enum options_result r = options_parse(argc, argv, o, devnull, devnull);
	fclose(devnull);
	return r;
}

static void archive_means_rlptgoD(void **state)
{
	(void)state;
	struct arsync_options o;
	const char *args[] = { "-a", "src", "dst", NULL };
	assert_int_equal(parse(&o, args), OPTIONS_RUN);
	assert_true(o.recursive && o.links && o.perms && o.times && o.group && o.owner && o.devices);
	assert_false(o.xattrs || o.hardlinks || o.inplace);
	assert_string_equal(o.src, "src");
	assert_string_equal(o.dst, "dst");
	assert_int_equal(o.queue_depth, 128);
}

static void options_may_follow_operands(void **state)
{
	(void)state;
	struct arsync_options o;
	const char *args[] = { "src", "dst", "-vXH", "--queue-depth", "32", "--inplace", NULL };
	assert_int_equal(parse(&o, args), OPTIONS_RUN);
	assert_true(o.xattrs && o.hardlinks && o.inplace);
	assert_int_equal(o.verbose, 1);
	assert_false(o.recursive);
	assert_int_equal(o.queue_depth, 32);
	assert_string_equal(o.src, "src");
	assert_string_equal(o.dst, "dst");
}

static void long_value_with_equals(void **state)
{
	(void)state;
	struct arsync_options o;
	const char *args[] = { "--queue-depth=8", "--threads=1", "a", "b", NULL };
	assert_int_equal(parse(&o, args), OPTIONS_RUN);
	assert_int_equal(o.queue_depth, 8);
	assert_int_equal(o.threads, 1);
}

static void double_dash_ends_options(void **state)
{
	(void)state;
	struct arsync_options o;
	const char *args[] = { "-a", "--", "-src", "-dst", NULL };
	assert_int_equal(parse(&o, args), OPTIONS_RUN);
	assert_string_equal(o.src, "-src");
	assert_string_equal(o.dst, "-dst");
}

static void bad_usage_is_rejected(void **state)
{
	(void)state;
	struct arsync_options o;
	const char *unknown[] = { "-aZ", "a", "b", NULL };
	const char *one_operand[] = { "-a", "a", NULL };
	const char *three_operands[] = { "a", "b", "c", NULL };
	const char *zero_depth[] = { "--queue-depth", "0", "a", "b", NULL };
	const char *junk_depth[] = { "--queue-depth", "12x", "a", "b", NULL };
	const char *missing_depth[] = { "a", "b", "--queue-depth", NULL };
	const char *unknown_long[] = { "--frobnicate", "a", "b", NULL };
	assert_int_equal(parse(&o, unknown), OPTIONS_USAGE);
	assert_int_equal(parse(&o, one_operand), OPTIONS_USAGE);
	assert_int_equal(parse(&o, three_operands), OPTIONS_USAGE);
	assert_int_equal(parse(&o, zero_depth), OPTIONS_USAGE);
	assert_int_equal(parse(&o, junk_depth), OPTIONS_USAGE);
	assert_int_equal(parse(&o, missing_depth), OPTIONS_USAGE);
	assert_int_equal(parse(&o, unknown_long), OPTIONS_USAGE);
}

static void help_and_version_stop(void **state)
{
	(void)state;
	struct arsync_options o;
	const char *help[] = { "--help", NULL };
	const char *version[] = { "src", "--version", NULL };
	assert_int_equal(parse(&o, help), OPTIONS_DONE);
	assert_int_equal(parse(&o, version), OPTIONS_DONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(archive_means_rlptgoD),
		cmocka_unit_test(options_may_follow_operands),
		cmocka_unit_test(long_value_with_equals),
		cmocka_unit_test(double_dash_ends_options),
		cmocka_unit_test(bad_usage_is_rejected),
		cmocka_unit_test(help_and_version_stop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
