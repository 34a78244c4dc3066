/* uring_bpf: the record the BPF program (uring_bpf.bpf.c) fills for each
 * io_uring tracepoint hit, and the capture file user space streams them to
 * (uring_capture.c writes it, uring_reqs.c reads it).
 *
 * One key idea: the record the kernel side fills is also the file's record.
 * The kernel reserves a fixed size per kind (the head alone, or the head and
 * two path buffers for path-taking submissions); the file keeps the head as
 * it came and only the used bytes of each path, so the head's SIZE says
 * where the next record starts.
 *
 * Shared by the BPF program and C17 user space: fixed-width types only, laid
 * out without implicit padding (both sides are 64-bit little-endian).
 */
#ifndef ARSYNC_URING_BPF_H
#define ARSYNC_URING_BPF_H

#include <linux/types.h>

/* Bytes kept of each path, including its NUL: a longer path is cut and
 * marked URB_PATH_TRUNC / URB_PATH2_TRUNC. */
#define URING_BPF_PATH_MAX 512

/* The ring buffer (a power of two): about 16,000 path-taking submissions
 * or 170,000 other records before the consumer must have read them. */
#define URING_BPF_RINGBUF_BYTES (16u << 20)
/* Processes followed at once (a copier and its children), rings seen. */
#define URING_BPF_MAX_FOLLOWED 65536
#define URING_BPF_MAX_RINGS 16384

/* The dirfd / fd of an opcode that takes none (as UREQ_NO_FD). */
#define URING_BPF_NO_FD (-2147483647 - 1)

enum uring_bpf_kind {
	URB_SUBMIT = 1,   /* io_uring_submit_req: prepared, about to be issued */
	URB_COMPLETE = 2, /* io_uring_complete: a CQE was posted */
	URB_ASYNC = 3,    /* io_uring_queue_async_work: punted to io-wq */
	URB_FAILED = 4,   /* io_uring_req_failed: rejected at preparation */
	URB_CREATE = 5,   /* io_uring_create: a ring was set up */
	URB_END = 6,      /* written by user space last: the loss counters */
	URB_ASYNC_COUNT = 7, /* written by user space before END (version 2): the
	                        requests of one opcode punted to io-wq */
};

enum uring_bpf_flag {
	URB_FIXED_FILE = 1 << 0,  /* FD indexes the registered file table */
	URB_SQ_THREAD = 1 << 1,   /* the ring is an SQPOLL ring */
	URB_HAS_PATH = 1 << 2,    /* PATH is the kernel's copy of a path argument */
	URB_HAS_PATH2 = 1 << 3,   /* PATH2 likewise */
	URB_PATH_TRUNC = 1 << 4,  /* PATH was longer than URING_BPF_PATH_MAX - 1 */
	URB_PATH2_TRUNC = 1 << 5, /* PATH2 likewise */
	URB_NO_ARGS = 1 << 6,     /* a path-taking opcode whose arguments this
	                             kernel's BTF does not describe */
	URB_END_COST = 1 << 7,    /* END: the cost fields are filled */
};

/* The head of every record. What the fields hold per kind:
 *   SUBMIT   all, per opcode (uring_bpf.bpf.c says which opcode fills what)
 *   COMPLETE ring, req, user_data, res (cqe->res), at_flags (cqe->flags)
 *   ASYNC    ring, req, user_data, opcode
 *   FAILED   ring, req, user_data, opcode, res (-errno), fd (sqe->fd)
 *   CREATE   ring, fd (the ring's fd), mode (sq entries),
 *            at_flags (IORING_SETUP_* flags), user_data (cq entries)
 *   ASYNC_COUNT opcode, req (how many of its requests were punted to io-wq;
 *            version 2 counts punts in the kernel instead of one ASYNC
 *            record each, the costliest record to make)
 *   END      req (records lost: ring buffer full), user_data (forked
 *            processes the follow map had no room for); with
 *            URB_END_COST in flags, the capture's own cost: ring (runs of
 *            the BPF programs), ktime_ns (their run time, ns), open_flags
 *            (the consumer's CPU time, ns), resolve (the capture's wall
 *            time from follow to detach, ns)
 * ktime_ns is the kernel's CLOCK_MONOTONIC (bpf_ktime_get_ns). */
struct uring_bpf_rec {
	__u16 size;      /* bytes of this record in the file: head + both paths */
	__u8 kind;       /* enum uring_bpf_kind */
	__u8 opcode;     /* IORING_OP_* */
	__u16 flags;     /* enum uring_bpf_flag */
	__u16 path_len;  /* bytes of PATH after the head (no NUL in the file) */
	__u16 path2_len; /* bytes of PATH2 after PATH */
	__u16 pad0;
	__u32 tgid;      /* process of the task that hit the tracepoint */
	__u32 tid;       /* that task */
	__s32 res;
	__s32 fd;        /* SQE fd of fd-taking opcodes, close's fd, else NO_FD */
	__s32 dfd;       /* dirfd of PATH, else NO_FD */
	__s32 dfd2;      /* dirfd of PATH2, else NO_FD */
	__u32 at_flags;  /* AT_* (statx, unlinkat, linkat), RENAME_* (renameat) */
	__u32 mode;      /* openat/openat2/mkdirat mode */
	__u32 file_slot; /* openat/openat2/close: fixed-file slot + 1, 0 = none */
	__u64 ktime_ns;
	__u64 ring;      /* struct io_ring_ctx address */
	__u64 req;       /* struct io_kiocb address (reused after completion) */
	__u64 user_data;
	__u64 open_flags; /* openat/openat2 O_* */
	__u64 resolve;    /* openat2 RESOLVE_* */
};

/* What a path-taking submission reserves in the ring buffer. */
struct uring_bpf_rec_paths {
	struct uring_bpf_rec h;
	char path[URING_BPF_PATH_MAX];
	char path2[URING_BPF_PATH_MAX];
};

/* The loss counters: a per-CPU array indexed by these. */
enum uring_bpf_counter {
	URB_LOST = 0,        /* bpf_ringbuf_reserve failed: the record is gone */
	URB_FOLLOW_FULL = 1, /* a followed process forked and the map was full */
	URB_COUNTERS = 2,
};

/* The capture file: this header, then records back to back, the last one
 * of kind URB_END (a file without it was cut short). */
#define URING_FILE_MAGIC "ARSURING"
#define URING_FILE_VERSION 2 /* 1: one ASYNC record per punt; 2: ASYNC_COUNT */

struct uring_file_header {
	char magic[8];        /* URING_FILE_MAGIC, no NUL */
	__u32 version;        /* URING_FILE_VERSION */
	__u32 header_size;    /* sizeof(struct uring_file_header) */
	__u32 rec_size;       /* sizeof(struct uring_bpf_rec) */
	__u32 path_max;       /* URING_BPF_PATH_MAX */
	__s64 realtime_off_ns; /* CLOCK_REALTIME - CLOCK_MONOTONIC at the start */
	__u32 followed_pid;   /* the pid the capture started following */
	__u32 pad;
};

#endif
