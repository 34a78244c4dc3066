/* ring.c - set-up with the cheap single-thread flags, batching, CQ bound. */
#include "ring.h"

#include <errno.h>
#include <string.h>

#define RING_BATCH_MIN 8

int ring_init(struct ring *r, unsigned entries)
{
	memset(r, 0, sizeof(*r));
	struct io_uring_params p;
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_CQSIZE;
	p.cq_entries = entries * 4;
	int rc = io_uring_queue_init_params(entries, &r->uring, &p);
	if (rc == -EINVAL) {
		/* Older kernel: plain ring. */
		memset(&p, 0, sizeof(p));
		p.flags = IORING_SETUP_CQSIZE;
		p.cq_entries = entries * 4;
		rc = io_uring_queue_init_params(entries, &r->uring, &p);
	}
	if (rc < 0)
		return rc;
	r->limit = p.cq_entries;
	return 0;
}

void ring_exit(struct ring *r)
{
	io_uring_queue_exit(&r->uring);
}

bool ring_has_room(const struct ring *r, unsigned n)
{
	return r->inflight + n <= r->limit;
}

struct io_uring_sqe *ring_sqe(struct ring *r, void *user_data)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&r->uring);
	while (!sqe) {
		io_uring_submit(&r->uring);
		sqe = io_uring_get_sqe(&r->uring);
	}
	io_uring_sqe_set_data(sqe, user_data);
	r->inflight++;
	return sqe;
}

void ring_reserve(struct ring *r, unsigned n)
{
	if (io_uring_sq_space_left(&r->uring) < n)
		io_uring_submit(&r->uring);
}

int ring_submit_and_wait(struct ring *r)
{
	unsigned queued = io_uring_sq_ready(&r->uring);
	unsigned submitted = r->inflight - queued;
	int rc;
	if (r->urgent && queued > 0) {
		r->urgent = false;
		rc = io_uring_submit_and_wait(&r->uring, 1);
		return rc < 0 ? rc : 0;
	}
	if (queued < RING_BATCH_MIN && submitted > 0) {
		/* Few new SQEs and work still in the kernel: let completions
		 * (and the SQEs they lead to) accumulate before entering with a
		 * submission. */
		struct io_uring_cqe *cqe;
		rc = io_uring_wait_cqe(&r->uring, &cqe);
		return rc < 0 ? rc : 0;
	}
	/* Waiting for a share of the operations in flight (they all complete
	 * on their own) lets the next submission carry many new SQEs instead
	 * of one or two per completion. */
	unsigned want = submitted / 2;
	if (want > 32)
		want = 32;
	if (want == 0)
		want = 1;
	rc = io_uring_submit_and_wait(&r->uring, want);
	return rc < 0 ? rc : 0;
}

unsigned ring_peek(struct ring *r, struct io_uring_cqe **cqes, unsigned max)
{
	return io_uring_peek_batch_cqe(&r->uring, cqes, max);
}

void ring_done(struct ring *r, unsigned n)
{
	io_uring_cq_advance(&r->uring, n);
	r->inflight -= n;
}
