/* uring_reqs: the io_uring requests of one run, as the BPF capture
 * (uring_bpf) recorded them, read back from the capture file.
 *
 * One struct uring_req per request: its submission (io_uring_submit_req)
 * joined with its completion (io_uring_complete), its punt to io-wq
 * (io_uring_queue_async_work) and its preparation failure
 * (io_uring_req_failed), matched per ring by the kernel's request pointer
 * in the order the kernel emitted them. For path-taking opcodes the
 * capture holds what the kernel prepared: every dirfd, the kernel's copy
 * of every path and the flags that change their meaning.
 *
 * Times are on the clock of `strace -tt` (CLOCK_REALTIME): the capture
 * file's header holds the offset from the kernel's monotonic clock
 * (bpf_ktime_get_ns) measured when the capture started.
 *
 * The reader takes any bytes: a truncated, corrupt or foreign file is an
 * error with a message, or a shorter list with uring_reqs_info.malformed
 * counted; it never crashes.
 */
#ifndef ARSYNC_URING_REQS_H
#define ARSYNC_URING_REQS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UREQ_NO_FD INT32_MIN /* a dirfd/fd the opcode does not take */

struct uring_req {
	uint64_t submit_ns;   /* CLOCK_REALTIME ns at io_uring_submit_req */
	uint64_t complete_ns; /* CLOCK_REALTIME ns at io_uring_complete; 0 when not seen */
	uint64_t ring;        /* the kernel's ring (io_ring_ctx) address: an opaque id */
	uint64_t user_data;
	uint32_t pid;         /* thread group (process) of the submitting task */
	uint32_t tid;         /* the submitting task (an SQPOLL thread for SQPOLL rings) */
	uint8_t opcode;       /* IORING_OP_* number */
	bool completed;       /* a completion was seen; RES is valid */
	bool async;           /* punted to io-wq */
	bool failed_prep;     /* io_uring_req_failed: rejected before it ran (RES: -errno) */
	bool fixed_file;      /* FD is an index into the registered file table */
	bool sq_thread;       /* submitted by an SQPOLL thread */
	bool path_truncated;  /* PATH or PATH2 was longer than the capture keeps */
	int32_t res;          /* completion result: >= 0, or -errno */
	int32_t fd;           /* the SQE's fd for fd-taking opcodes, else UREQ_NO_FD */
	int32_t dfd;          /* dirfd of PATH (AT_FDCWD = -100), else UREQ_NO_FD */
	int32_t dfd2;         /* dirfd of PATH2 (renameat/linkat new side), else UREQ_NO_FD */
	uint32_t at_flags;    /* AT_* / RENAME_* flags of statx, unlinkat, linkat, renameat */
	uint32_t mode;        /* openat/mkdirat mode */
	uint64_t open_flags;  /* openat/openat2 O_* flags */
	uint64_t resolve;     /* openat2 RESOLVE_* */
	const char *path;     /* NUL-terminated kernel copy, or NULL for opcodes without one */
	const char *path2;    /* renameat/linkat new path, symlinkat link path; or NULL */
	uint32_t file_slot;   /* openat/openat2 into the registered file table: slot + 1
	                         (RES is 0, or the slot for IORING_FILE_INDEX_ALLOC);
	                         close of a slot: slot + 1 (FD is then the slot, FIXED_FILE
	                         set); 0: a normal fd */
};

struct uring_reqs_info {
	uint64_t records;      /* records read */
	uint64_t lost;         /* records the kernel side could not deliver (ring buffer full),
	                          plus forked processes it had no room to follow */
	uint64_t malformed;    /* records skipped as unreadable (a cut-short file, one without
	                          its closing record, counts one) */
	uint64_t unmatched;    /* completions without a submission */
	uint64_t rings;        /* distinct rings */
	uint64_t rings_created; /* io_uring_create records (rings set up during the capture) */
	/* What the capture itself cost (known when the file says so: the
	 * kernel kept BPF run-time statistics while it ran). */
	bool cost_known;
	uint64_t bpf_runs;     /* runs of the BPF programs */
	uint64_t bpf_ns;       /* their run time, in the traced processes' (and io-wq's) time */
	uint64_t consumer_ns;  /* CPU time of the thread that streamed the records to the file */
	uint64_t wall_ns;      /* from following the copier to the detach */
	/* Requests punted to io-wq per opcode (version 2 files; version 1
	 * files mark each request's async instead). */
	uint64_t async_by_op[256];
};

struct uring_reqs;

/* Reads the capture file PATH whole. 0 and *OUT (free with
 * uring_reqs_free), or -1 with ERR (what, which path, why). */
int uring_reqs_read(const char *path, struct uring_reqs **out, char *err, size_t errlen);

/* The requests in submission time order (ties: the order the kernel
 * emitted them). Valid until uring_reqs_free. */
const struct uring_req *uring_reqs_list(const struct uring_reqs *r, size_t *n);
const struct uring_reqs_info *uring_reqs_stats(const struct uring_reqs *r);

void uring_reqs_free(struct uring_reqs *r);

/* "IORING_OP_OPENAT" for 18; "IORING_OP_<N>" for a number the table lacks. */
const char *uring_opcode_name(unsigned opcode, char *buf, size_t bufsz);

#endif
