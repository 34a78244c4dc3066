/* Replays a fuzz target's seeds and findings (fixtures/fuzz/TARGET/) as a
 * cmocka test, so every input that once crashed, leaked or hung a target
 * is run again by `make check`, under ASan+UBSan in the sanitizer build.
 * Include after the target's source (it defines LLVMFuzzerTestOneInput). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *replay_target;

static void replay_every_input(void **state)
{
	(void)state;
	const char *fx = getenv("FIXTURES");
	char dir[512];
	snprintf(dir, sizeof(dir), "%s/fuzz/%s", fx ? fx : "fixtures", replay_target);
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char p[1024];
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		FILE *f = fopen(p, "rb");
		assert_non_null(f);
		uint8_t *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream((char **)&buf, &len);
		char chunk[8192];
		size_t got;
		while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
			fwrite(chunk, 1, got, m);
		fclose(f);
		fclose(m);
		print_message("replay %s\n", e->d_name);
		LLVMFuzzerTestOneInput(buf, len);
		free(buf);
		n++;
	}
	closedir(d);
	assert_true(n > 0);
}

#define FUZZ_REPLAY_MAIN(target)                                                                   \
	int main(void)                                                                             \
	{                                                                                          \
		replay_target = target;                                                            \
		const struct CMUnitTest tests[] = {cmocka_unit_test(replay_every_input)};          \
		return cmocka_run_group_tests_name(target, tests, NULL, NULL);                     \
	}
