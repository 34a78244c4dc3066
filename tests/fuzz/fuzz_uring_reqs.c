/* libFuzzer target for the io_uring capture reader: any bytes as a
 * capture file. Refused with a message, or read into requests whose
 * strings are NUL-terminated and whose counts add up. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "uring_ops.h"
#include "uring_reqs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/fuzz_uring_reqs.%d", (int)getpid());
	FILE *f = fopen(path, "w");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	char err[512] = "";
	struct uring_reqs *r = NULL;
	if (uring_reqs_read(path, &r, err, sizeof(err)) != 0) {
		if (!err[0])
			abort();
	} else {
		size_t n = 0;
		const struct uring_req *q = uring_reqs_list(r, &n);
		volatile size_t total = 0;
		for (size_t i = 0; i < n; i++) {
			if (q[i].path)
				total += strlen(q[i].path);
			if (q[i].path2)
				total += strlen(q[i].path2);
			char name[64];
			total += strlen(uring_opcode_name(q[i].opcode, name, sizeof(name)));
		}
		(void)uring_reqs_stats(r);
		uring_reqs_free(r);
	}
	struct uring_ops ops;
	if (uring_ops_read(path, &ops, err, sizeof(err)) == 0)
		uring_ops_clear(&ops);
	return 0;
}
