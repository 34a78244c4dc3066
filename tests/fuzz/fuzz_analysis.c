/* libFuzzer target for the whole analysis (parse -> aggregate -> checks ->
 * model) on arbitrary trace text, with a source and destination root and
 * a dataset so the per-file, phase and rename paths run too. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "analysis.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/fuzz_analysis.%d", (int)getpid());
	FILE *f = fopen(path, "wb");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	static const char *const files[] = {"f1.bin", "d1/d2/d3/deep.bin", "empty"};
	struct analysis_input in = {
	    .trace_path = path,
	    .src_root = "/tmp/arsync-fx/src",
	    .dst_root = "/tmp/arsync-fx/dst_cp",
	    .dataset_files = files,
	    .n_dataset_files = 3,
	    .quiet = 1,
	};
	char err[512];
	json_t *m = analysis_build_model(&in, err, sizeof(err));
	if (m) {
		char *s = json_dumps(m, 0);
		free(s);
		json_decref(m);
	}
	return 0;
}
