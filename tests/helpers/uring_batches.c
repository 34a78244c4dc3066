/* uring_batches: the same io_uring batches with the ring named by its fd
 * or, after io_uring_register_ring_fd, by its index in the registered-ring
 * table (IORING_ENTER_REGISTERED_RING): the analyzer must give both the
 * same ring figures.
 *
 * Usage: uring_batches plain|registered FILE [sqpoll]
 *
 * On one ring of 8 entries: a batch of 4 NOPs (submitted and waited for in
 * one call), a batch of 2 READs of FILE submitted alone and then waited for
 * (a wait-only call, io_uring_get_events), and a single NOP. With sqpoll
 * the ring is an IORING_SETUP_SQPOLL one (its kernel thread submits; the
 * enters only wait or wake it). Exit 0, 1 on failure, 77 when
 * io_uring is not available here.
 */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int reap(struct io_uring *ring, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		struct io_uring_cqe *cqe;
		int rc = io_uring_wait_cqe(ring, &cqe);
		if (rc < 0) {
			fprintf(stderr, "uring_batches: wait: %s\n", strerror(-rc));
			return -1;
		}
		if (cqe->res < 0) {
			fprintf(stderr, "uring_batches: request failed: %s\n", strerror(-cqe->res));
			return -1;
		}
		io_uring_cqe_seen(ring, cqe);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if ((argc != 3 && argc != 4) ||
	    (strcmp(argv[1], "plain") && strcmp(argv[1], "registered")) ||
	    (argc == 4 && strcmp(argv[3], "sqpoll"))) {
		fprintf(stderr, "usage: uring_batches plain|registered FILE [sqpoll]\n");
		return 1;
	}
	int fd = open(argv[2], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "uring_batches: open %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	struct io_uring ring;
	struct io_uring_params p = {0};
	if (argc == 4) {
		p.flags = IORING_SETUP_SQPOLL;
		p.sq_thread_idle = 2000;
	}
	int rc = io_uring_queue_init_params(8, &ring, &p);
	if (rc < 0) {
		fprintf(stderr, "uring_batches: SKIP: io_uring_queue_init: %s\n", strerror(-rc));
		return 77;
	}
	if (!strcmp(argv[1], "registered")) {
		rc = io_uring_register_ring_fd(&ring);
		if (rc != 1) {
			fprintf(stderr, "uring_batches: SKIP: io_uring_register_ring_fd: %s\n",
			        rc < 0 ? strerror(-rc) : "not registered");
			return 77;
		}
	}
	for (int i = 0; i < 4; i++)
		io_uring_prep_nop(io_uring_get_sqe(&ring));
	rc = io_uring_submit_and_wait(&ring, 4);
	if (rc != 4 || reap(&ring, 4))
		goto fail;
	char buf[2][512];
	for (int i = 0; i < 2; i++)
		io_uring_prep_read(io_uring_get_sqe(&ring), fd, buf[i], sizeof(buf[i]),
		                   (__u64)i * sizeof(buf[i]));
	rc = io_uring_submit(&ring);
	if (rc != 2)
		goto fail;
	rc = io_uring_get_events(&ring);
	if (rc < 0 || reap(&ring, 2))
		goto fail;
	io_uring_prep_nop(io_uring_get_sqe(&ring));
	rc = io_uring_submit_and_wait(&ring, 1);
	if (rc != 1 || reap(&ring, 1))
		goto fail;
	io_uring_queue_exit(&ring);
	close(fd);
	return 0;
fail:
	fprintf(stderr, "uring_batches: a batch failed (%d)\n", rc);
	return 1;
}
