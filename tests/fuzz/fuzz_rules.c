/* libFuzzer target for the rules loader and the evaluation stage: the
 * input is a --rules file, merged over the built-in rules and used to
 * judge a small real trace (our copier's, recorded in fixtures/). A
 * malformed rules file must be refused with a message; any rules it
 * accepts must give a model without crashing, leaking or looping.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"
#include "checks.h"

/* The first lines of fixtures/analysis/arsync_a.trace, enough for every
 * check to have a figure. */
static const char trace_text[] =
    "100 12:00:00.000001 execve(\"/bin/arsync\", [\"arsync\", \"-a\", \"/s\", \"/d\"], 0x7ff) = 0 <0.000100>\n"
    "100 12:00:00.000200 openat(AT_FDCWD</>, \"/s\", O_RDONLY|O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC) = 3</s> <0.000010>\n"
    "100 12:00:00.000300 mkdirat(AT_FDCWD</>, \"/d\", 0700) = 0 <0.000010>\n"
    "100 12:00:00.000400 openat(AT_FDCWD</>, \"/d\", O_RDONLY|O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC) = 4</d> <0.000010>\n"
    "100 12:00:00.000500 io_uring_setup(64, {flags=0, sq_thread_cpu=0}) = 5<anon_inode:[io_uring]> <0.000050>\n"
    "100 12:00:00.000600 getdents64(3</s>, 0x55 /* 3 entries */, 32768) = 80 <0.000010>\n"
    "100 12:00:00.000700 io_uring_enter(5<anon_inode:[io_uring]>, 4, 1, IORING_ENTER_GETEVENTS, NULL, 8) = 4 <0.000100>\n"
    "100 12:00:00.000800 newfstatat(3</s>, \"a\", {st_mode=S_IFREG|0644, st_size=5, ...}, AT_SYMLINK_NOFOLLOW) = 0 <0.000010>\n"
    "100 12:00:00.000900 openat(3</s>, \"a\", O_RDONLY|O_NOFOLLOW) = 6</s/a> <0.000010>\n"
    "100 12:00:00.001000 read(6</s/a>, \"hello\", 5) = 5 <0.000010>\n"
    "100 12:00:00.001100 fchmodat(AT_FDCWD</>, \"/d/a\", 0644) = 0 <0.000010>\n"
    "100 12:00:00.001200 utimensat(4</d>, \"a\", [{tv_sec=1, tv_nsec=0}, {tv_sec=1, tv_nsec=0}], AT_SYMLINK_NOFOLLOW) = 0 <0.000010>\n"
    "100 12:00:00.001300 close(6</s/a>) = 0 <0.000005>\n"
    "100 12:00:00.001400 exit_group(0) = ?\n"
    "100 12:00:00.001500 +++ exited with 0 +++\n";

static char trace_path[64], rules_path[64];

static void setup(void)
{
	snprintf(trace_path, sizeof(trace_path), "/tmp/fuzz_rules.%d.trace", (int)getpid());
	snprintf(rules_path, sizeof(rules_path), "/tmp/fuzz_rules.%d.json", (int)getpid());
	FILE *f = fopen(trace_path, "w");
	if (!f)
		abort();
	fputs(trace_text, f);
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!trace_path[0])
		setup();
	FILE *f = fopen(rules_path, "w");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	char err[1024] = "";
	json_t *rules = rules_load(rules_path, err, sizeof(err));
	if (!rules) {
		if (!err[0])
			abort(); /* a refusal must say why */
		return 0;
	}
	static const char *const files[] = {"a"};
	struct analysis_input in = {
	    .trace_path = trace_path,
	    .src_root = "/s",
	    .dst_root = "/d",
	    .dataset_files = files,
	    .n_dataset_files = 1,
	    .rules = rules,
	    .quiet = 1,
	};
	json_t *model = analysis_build_model(&in, err, sizeof(err));
	if (!model && !err[0])
		abort();
	json_decref(model);
	json_decref(rules);
	return 0;
}
