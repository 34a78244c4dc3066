/* uring_ops: an io_uring capture read into counts: requests per opcode,
 * requests punted to io-wq, completions, rings created, lost records.
 *
 * The capture is the BPF one (uring_capture.h, read through uring_reqs.h),
 * already scoped to the traced process tree in the kernel, so every request
 * in it counts, including those of SQPOLL and io-wq threads strace does not
 * see. The tracefs text earlier versions saved (`io_uring_submit_req: ...
 * opcode READ` lines) is still read, for the traces recorded with it.
 */
#ifndef ARSYNC_URING_OPS_H
#define ARSYNC_URING_OPS_H

#include <jansson.h>
#include <stddef.h>

struct uring_ops {
	json_t *ops;                 /* {"IORING_OP_READ": n, ...} */
	unsigned long submits;       /* requests submitted (io_uring_submit_req, and for
	                                a BPF capture io_uring_req_failed too) */
	unsigned long async_punts;   /* requests punted to io-wq */
	unsigned long completions;   /* completions */
	unsigned long rings_created; /* io_uring_create events */
	unsigned long lost_events;   /* records the capture lost (tracefs: "[LOST N EVENTS]") */
	unsigned long lines, malformed; /* lines of text, or records of a BPF capture */
	const char *source;          /* "bpf" or "tracefs": which capture it was */
};

/* "READ" or "22" (older kernels print the number) -> "IORING_OP_READ" into OUT. */
void uring_op_name(const char *op, size_t len, char *out, size_t outsz);

/* Reads PATH, either format. 0 and *OUT filled (free with uring_ops_clear), or -1 with ERR. */
int uring_ops_read(const char *path, struct uring_ops *out, char *err, size_t errlen);

/* Feeds one line of capture text (for tests and streaming). */
void uring_ops_line(struct uring_ops *u, const char *line);

void uring_ops_init(struct uring_ops *u);
void uring_ops_clear(struct uring_ops *u);

#endif
