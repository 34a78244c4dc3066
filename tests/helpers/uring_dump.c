/* uring_dump: prints an io_uring capture file (uring_bpf.h) as text, one
 * request a line as uring_reqs joins them, then its counters. For tests and
 * for looking at a capture by hand.
 *
 *   uring_dump FILE.uring
 *
 * A line: time (CLOCK_REALTIME s.ns), pid/tid, opcode, then the arguments
 * the request has (fd=, dfd=, path=, dfd2=, path2=, flags), then its end:
 * "= RES" (after "async" when punted), "= ? (no completion)" or
 * "failed at prep = -ERRNO". Exit 0, or 1 with the reader's message.
 */
#include "uring_reqs.h"

#include <inttypes.h>
#include <stdio.h>

static void print_fd(const char *name, int32_t fd)
{
	if (fd == UREQ_NO_FD)
		return;
	if (fd == -100)
		printf(" %s=AT_FDCWD", name);
	else
		printf(" %s=%d", name, fd);
}

static void print_path(const char *name, const char *p)
{
	if (!p)
		return;
	printf(" %s=\"", name);
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	putchar('"');
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: uring_dump FILE.uring\n");
		return 2;
	}
	struct uring_reqs *r;
	char err[1024];
	if (uring_reqs_read(argv[1], &r, err, sizeof(err)) != 0) {
		fprintf(stderr, "uring_dump: %s\n", err);
		return 1;
	}
	size_t n;
	const struct uring_req *q = uring_reqs_list(r, &n);
	for (size_t i = 0; i < n; i++) {
		char name[64];
		printf("%" PRIu64 ".%09" PRIu64 " %u/%u ring=%" PRIx64 " %s", q[i].submit_ns / 1000000000,
		       q[i].submit_ns % 1000000000, q[i].pid, q[i].tid, q[i].ring,
		       uring_opcode_name(q[i].opcode, name, sizeof(name)));
		print_fd(q[i].fixed_file ? "fixed" : "fd", q[i].fd);
		print_fd("dfd", q[i].dfd);
		print_path("path", q[i].path);
		print_fd("dfd2", q[i].dfd2);
		print_path("path2", q[i].path2);
		if (q[i].at_flags)
			printf(" at_flags=0x%x", q[i].at_flags);
		if (q[i].open_flags)
			printf(" o_flags=0%" PRIo64, q[i].open_flags);
		if (q[i].mode)
			printf(" mode=0%o", q[i].mode);
		if (q[i].resolve)
			printf(" resolve=0x%" PRIx64, q[i].resolve);
		if (q[i].file_slot)
			printf(" file_slot=%u", q[i].file_slot - 1);
		if (q[i].path_truncated)
			printf(" truncated");
		if (q[i].sq_thread)
			printf(" sqpoll");
		if (q[i].async)
			printf(" async");
		if (q[i].failed_prep)
			printf(" failed at prep");
		if (q[i].completed)
			printf(" = %d (%.6f s)\n", q[i].res,
			       (double)(q[i].complete_ns - q[i].submit_ns) / 1e9);
		else if (q[i].failed_prep)
			printf(" = %d\n", q[i].res);
		else
			printf(" = ? (no completion)\n");
	}
	const struct uring_reqs_info *s = uring_reqs_stats(r);
	printf("# requests %zu records %" PRIu64 " lost %" PRIu64 " malformed %" PRIu64
	       " unmatched %" PRIu64 " rings %" PRIu64 " rings_created %" PRIu64 "\n",
	       n, s->records, s->lost, s->malformed, s->unmatched, s->rings, s->rings_created);
	uring_reqs_free(r);
	return 0;
}
