/* uring_ops: the io_uring tracepoint capture (see uring_capture.h) read
 * into counts: SQEs per opcode (io_uring_submit_req), requests punted to
 * io-wq (io_uring_queue_async_work), rings created, lost events.
 *
 * The capture is already scoped to the traced process tree by tracefs
 * (set_event_pid + event-fork), so every event in it counts, including
 * those of SQPOLL and io-wq threads strace does not see.
 */
#ifndef ARSYNC_URING_OPS_H
#define ARSYNC_URING_OPS_H

#include <jansson.h>
#include <stddef.h>

struct uring_ops {
	json_t *ops;                 /* {"IORING_OP_READ": n, ...} */
	unsigned long submits;       /* io_uring_submit_req events */
	unsigned long async_punts;   /* io_uring_queue_async_work events */
	unsigned long completions;   /* io_uring_complete events */
	unsigned long rings_created; /* io_uring_create events */
	unsigned long lost_events;   /* sum of "[LOST N EVENTS]" */
	unsigned long lines, malformed;
};

/* "READ" or "22" (older kernels print the number) -> "IORING_OP_READ" into OUT. */
void uring_op_name(const char *op, size_t len, char *out, size_t outsz);

/* Reads PATH. 0 and *OUT filled (free with uring_ops_clear), or -1 with ERR. */
int uring_ops_read(const char *path, struct uring_ops *out, char *err, size_t errlen);

/* Feeds one line of capture text (for tests and streaming). */
void uring_ops_line(struct uring_ops *u, const char *line);

void uring_ops_init(struct uring_ops *u);
void uring_ops_clear(struct uring_ops *u);

#endif
