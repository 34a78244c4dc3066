/* libFuzzer target for what reads other runs' models: compare's loader and
 * comparison, --baseline's entry, trend and their Markdown. The input is
 * two models: a first byte N, then N*256/256 of the rest as the base and
 * the remainder as the new one (either may be any bytes). A model that is
 * refused must be refused with a message.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "trend.h"

static json_t *load(const uint8_t *d, size_t n, const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return NULL;
	fwrite(d, 1, n, f);
	fclose(f);
	char err[1024] = "";
	json_t *m = compare_load_model(path, err, sizeof(err));
	if (!m && !err[0])
		abort();
	return m;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char pa[64], pb[64];
	if (!pa[0]) {
		snprintf(pa, sizeof(pa), "/tmp/fuzz_compare.%d.a", (int)getpid());
		snprintf(pb, sizeof(pb), "/tmp/fuzz_compare.%d.b", (int)getpid());
	}
	if (size < 1)
		return 0;
	size_t cut = (size_t)data[0] * (size - 1) / 255;
	json_t *a = load(data + 1, cut, pa), *b = load(data + 1 + cut, size - 1 - cut, pb);
	if (a && b) {
		json_t *cmp = compare_models(a, b, pa, pb);
		char err[512];
		char *md = compare_markdown(cmp, NULL, err, sizeof(err));
		if (!md)
			abort(); /* the built-in template renders any comparison */
		free(md);
		(void)compare_exit_status(cmp, true);
		json_decref(cmp);
		json_decref(compare_baseline_entry(a, b, pa));
		json_t *models[3] = {a, b, a};
		const char *paths[3] = {pa, pb, pa};
		json_t *t = trend_build(models, paths, 3);
		md = trend_markdown(t, NULL, err, sizeof(err));
		if (!md)
			abort();
		free(md);
		json_decref(t);
	}
	json_decref(a);
	json_decref(b);
	return 0;
}
