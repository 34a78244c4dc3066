/* ring.h - a thin io_uring wrapper: one ring per worker thread.
 *
 * It keeps the number of operations in the kernel below the completion
 * queue size, so the CQ never overflows, and it submits only when asked
 * (or when the SQ is full), so SQEs leave in batches. */
#ifndef ARSYNC_RING_H
#define ARSYNC_RING_H

#include <liburing.h>
#include <stdbool.h>

struct ring {
	struct io_uring uring;
	unsigned inflight; /* SQEs queued or in the kernel, CQE not reaped yet */
	unsigned limit;    /* most operations allowed in flight (CQ entries) */
	bool urgent;       /* a queued SQE restarts a stalled stream: submit now */
};

/* Sets up a ring with `entries` SQEs; returns 0 or -errno. */
int ring_init(struct ring *r, unsigned entries);
void ring_exit(struct ring *r);

/* True if n more operations fit without risking CQ overflow. */
bool ring_has_room(const struct ring *r, unsigned n);

/* A fresh SQE carrying user_data; submits first if the SQ is full.
 * Never NULL once ring_has_room() said yes. */
struct io_uring_sqe *ring_sqe(struct ring *r, void *user_data);

/* Makes sure the next n SQEs go out in the same submission (needed for
 * IOSQE_IO_LINK chains, which end at a submission boundary). */
void ring_reserve(struct ring *r, unsigned n);

/* Submits what is queued and waits for at least one completion if any
 * operation is in flight. Returns 0 or -errno (-EINTR on a signal). */
int ring_submit_and_wait(struct ring *r);

/* Takes up to max completions; each must be released by ring_done(). */
unsigned ring_peek(struct ring *r, struct io_uring_cqe **cqes, unsigned max);
void ring_done(struct ring *r, unsigned n);

#endif
