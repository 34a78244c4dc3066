/* uring_bpf: the kernel side of the io_uring capture. Programs on the
 * io_uring raw tracepoints fill one record per hit (uring_bpf.h) into a ring
 * buffer, for the followed processes only.
 *
 * One key idea: do as little as possible here. The followed set is a hash
 * of thread group ids, seeded by user space and grown on fork; each program
 * reads a few fields with CO-RE (the structs below name only what is read,
 * and libbpf relocates their offsets against the running kernel's BTF at
 * load time) and hands the record over. Joining and naming happen in user
 * space (uring_reqs.c).
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/io_uring.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "uring_bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* The kernel's structs, only the members read. */
struct filename {
	const char *name;
} __attribute__((preserve_access_index));

struct open_how___arsync {
	__u64 flags;
	__u64 mode;
	__u64 resolve;
} __attribute__((preserve_access_index));

struct io_cqe {
	__u64 user_data;
	__s32 res;
	int fd;
} __attribute__((preserve_access_index));

struct io_ring_ctx {
	unsigned int flags;
} __attribute__((preserve_access_index));

struct io_kiocb {
	__u8 opcode;
	__u64 flags;
	struct io_cqe cqe;
	struct io_ring_ctx *ctx;
} __attribute__((preserve_access_index));

struct io_open {
	int dfd;
	__u32 file_slot;
	struct filename *filename;
	struct open_how___arsync how;
} __attribute__((preserve_access_index));

struct io_close {
	int fd;
	__u32 file_slot;
} __attribute__((preserve_access_index));

struct io_statx {
	int dfd;
	unsigned int flags;
	struct filename *filename;
} __attribute__((preserve_access_index));

struct io_mkdir {
	int dfd;
	unsigned short mode;
	struct filename *filename;
} __attribute__((preserve_access_index));

struct io_unlink {
	int dfd;
	int flags;
	struct filename *filename;
} __attribute__((preserve_access_index));

struct io_rename {
	int old_dfd;
	int new_dfd;
	struct filename *oldpath;
	struct filename *newpath;
	int flags;
} __attribute__((preserve_access_index));

struct io_link {
	int old_dfd;
	int new_dfd;
	struct filename *oldpath;
	struct filename *newpath;
	int flags;
} __attribute__((preserve_access_index));

struct io_xattr {
	struct filename *filename;
} __attribute__((preserve_access_index));

struct task_struct {
	int pid;
	int tgid;
} __attribute__((preserve_access_index));

#define AT_FDCWD_ (-100)

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, URING_BPF_RINGBUF_BYTES);
} events SEC(".maps");

/* Thread group ids whose requests are recorded. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, URING_BPF_MAX_FOLLOWED);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, __u8);
} followed SEC(".maps");

/* Rings a followed process submitted to or created: their completions are
 * recorded whichever task posts them (a kworker when the process is gone). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, URING_BPF_MAX_RINGS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u64);
	__type(value, __u8);
} rings SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, URB_COUNTERS);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* Requests punted to io-wq, per opcode (user space writes them out). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} async_ops SEC(".maps");

static __always_inline void count(__u32 which)
{
	__u64 *v = bpf_map_lookup_elem(&counters, &which);
	if (v)
		__sync_fetch_and_add(v, 1);
}

static __always_inline int is_followed(__u32 tgid)
{
	return bpf_map_lookup_elem(&followed, &tgid) != 0;
}

static __always_inline void note_ring(__u64 ring)
{
	__u8 one = 1;
	if (ring && !bpf_map_lookup_elem(&rings, &ring))
		bpf_map_update_elem(&rings, &ring, &one, BPF_NOEXIST);
}

/* The consumer is woken only once a good part of the buffer is filled;
 * otherwise it polls on a short timeout (no wakeup per record). */
static __always_inline __u64 wakeup_flag(void)
{
	__u64 avail = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
	return avail >= URING_BPF_RINGBUF_BYTES / 8 ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

static __always_inline void fill_head(struct uring_bpf_rec *h, __u8 kind, __u64 id)
{
	__builtin_memset(h, 0, sizeof(*h));
	h->size = sizeof(*h);
	h->kind = kind;
	h->tgid = id >> 32;
	h->tid = (__u32)id;
	h->fd = URING_BPF_NO_FD;
	h->dfd = URING_BPF_NO_FD;
	h->dfd2 = URING_BPF_NO_FD;
	h->ktime_ns = bpf_ktime_get_ns();
}

/* The request's own part of a submission record. */
static __always_inline void fill_req(struct uring_bpf_rec *h, struct io_kiocb *req)
{
	struct io_ring_ctx *ctx = BPF_CORE_READ(req, ctx);
	h->opcode = BPF_CORE_READ(req, opcode);
	h->ring = (__u64)ctx;
	h->req = (__u64)req;
	h->user_data = BPF_CORE_READ(req, cqe.user_data);
	/* The SQE's flags are copied into req->flags unchanged, so the
	 * kernel's REQ_F_FIXED_FILE is the UAPI IOSQE_FIXED_FILE. */
	if (BPF_CORE_READ(req, flags) & IOSQE_FIXED_FILE)
		h->flags |= URB_FIXED_FILE;
	if (BPF_CORE_READ(ctx, flags) & IORING_SETUP_SQPOLL)
		h->flags |= URB_SQ_THREAD;
}

static __always_inline int takes_path(__u8 op)
{
	switch (op) {
	case IORING_OP_OPENAT:
	case IORING_OP_OPENAT2:
	case IORING_OP_STATX:
	case IORING_OP_MKDIRAT:
	case IORING_OP_UNLINKAT:
	case IORING_OP_RENAMEAT:
	case IORING_OP_LINKAT:
	case IORING_OP_SYMLINKAT:
	case IORING_OP_SETXATTR:
	case IORING_OP_GETXATTR:
		return 1;
	}
	return 0;
}

/* Copies FN's name into DST; its length (without NUL) into *LEN and the
 * flags HAS (and TRUNC when cut) into *FLAGS. A request without a name
 * (NULL filename) has the empty path. */
static __always_inline void read_path(char *dst, struct filename *fn, __u16 *len, __u16 *flags,
                                      __u16 has, __u16 trunc)
{
	const char *name = fn ? BPF_CORE_READ(fn, name) : 0;
	*len = 0;
	dst[0] = '\0';
	*flags |= has;
	if (!name)
		return;
	long n = bpf_probe_read_kernel_str(dst, URING_BPF_PATH_MAX, name);
	if (n <= 0) {
		dst[0] = '\0';
		*flags &= ~has;
		return;
	}
	if (n == URING_BPF_PATH_MAX) {
		char c = 0;
		bpf_probe_read_kernel(&c, 1, name + URING_BPF_PATH_MAX - 1);
		if (c)
			*flags |= trunc;
	}
	*len = (__u16)(n - 1);
}

/* The opcode's own struct (io_kiocb_to_cmd: the request's first member). */
static __always_inline void fill_paths(struct uring_bpf_rec_paths *r, struct io_kiocb *req)
{
	struct uring_bpf_rec *h = &r->h;
	struct filename *p1 = 0, *p2 = 0;
	switch (h->opcode) {
	case IORING_OP_OPENAT:
	case IORING_OP_OPENAT2: {
		struct io_open *o = (void *)req;
		if (!bpf_core_type_exists(struct io_open))
			goto no_args;
		h->dfd = BPF_CORE_READ(o, dfd);
		h->file_slot = BPF_CORE_READ(o, file_slot);
		h->open_flags = BPF_CORE_READ(o, how.flags);
		h->mode = (__u32)BPF_CORE_READ(o, how.mode);
		h->resolve = BPF_CORE_READ(o, how.resolve);
		p1 = BPF_CORE_READ(o, filename);
		break;
	}
	case IORING_OP_STATX: {
		struct io_statx *s = (void *)req;
		if (!bpf_core_type_exists(struct io_statx))
			goto no_args;
		h->dfd = BPF_CORE_READ(s, dfd);
		h->at_flags = BPF_CORE_READ(s, flags);
		p1 = BPF_CORE_READ(s, filename);
		break;
	}
	case IORING_OP_MKDIRAT: {
		struct io_mkdir *m = (void *)req;
		if (!bpf_core_type_exists(struct io_mkdir))
			goto no_args;
		h->dfd = BPF_CORE_READ(m, dfd);
		h->mode = BPF_CORE_READ(m, mode);
		p1 = BPF_CORE_READ(m, filename);
		break;
	}
	case IORING_OP_UNLINKAT: {
		struct io_unlink *u = (void *)req;
		if (!bpf_core_type_exists(struct io_unlink))
			goto no_args;
		h->dfd = BPF_CORE_READ(u, dfd);
		h->at_flags = BPF_CORE_READ(u, flags);
		p1 = BPF_CORE_READ(u, filename);
		break;
	}
	case IORING_OP_RENAMEAT: {
		struct io_rename *rn = (void *)req;
		if (!bpf_core_type_exists(struct io_rename))
			goto no_args;
		h->dfd = BPF_CORE_READ(rn, old_dfd);
		h->dfd2 = BPF_CORE_READ(rn, new_dfd);
		h->at_flags = BPF_CORE_READ(rn, flags);
		p1 = BPF_CORE_READ(rn, oldpath);
		p2 = BPF_CORE_READ(rn, newpath);
		break;
	}
	case IORING_OP_LINKAT:
	case IORING_OP_SYMLINKAT: {
		struct io_link *l = (void *)req;
		if (!bpf_core_type_exists(struct io_link))
			goto no_args;
		/* symlinkat: OLDPATH is the link's target text, resolved
		 * against nothing; NEW_DFD/NEWPATH name the link. */
		if (h->opcode == IORING_OP_LINKAT) {
			h->dfd = BPF_CORE_READ(l, old_dfd);
			h->at_flags = BPF_CORE_READ(l, flags);
		}
		h->dfd2 = BPF_CORE_READ(l, new_dfd);
		p1 = BPF_CORE_READ(l, oldpath);
		p2 = BPF_CORE_READ(l, newpath);
		break;
	}
	case IORING_OP_SETXATTR:
	case IORING_OP_GETXATTR: {
		struct io_xattr *x = (void *)req;
		if (!bpf_core_type_exists(struct io_xattr))
			goto no_args;
		h->dfd = AT_FDCWD_; /* the kernel looks the path up from the cwd */
		p1 = BPF_CORE_READ(x, filename);
		break;
	}
	default:
		return;
	}
	read_path(r->path, p1, &h->path_len, &h->flags, URB_HAS_PATH, URB_PATH_TRUNC);
	if (p2)
		read_path(r->path2, p2, &h->path2_len, &h->flags, URB_HAS_PATH2, URB_PATH2_TRUNC);
	h->size = sizeof(*h) + h->path_len + h->path2_len;
	return;
no_args:
	h->flags |= URB_NO_ARGS;
}

SEC("raw_tracepoint/io_uring_submit_req")
int uring_submit(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	if (!is_followed(id >> 32))
		return 0;
	struct io_kiocb *req = (void *)ctx->args[0];
	__u8 op = BPF_CORE_READ(req, opcode);
	if (takes_path(op)) {
		struct uring_bpf_rec_paths *r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
		if (!r) {
			count(URB_LOST);
			return 0;
		}
		fill_head(&r->h, URB_SUBMIT, id);
		fill_req(&r->h, req);
		fill_paths(r, req);
		note_ring(r->h.ring);
		bpf_ringbuf_submit(r, wakeup_flag());
		return 0;
	}
	struct uring_bpf_rec *h = bpf_ringbuf_reserve(&events, sizeof(*h), 0);
	if (!h) {
		count(URB_LOST);
		return 0;
	}
	fill_head(h, URB_SUBMIT, id);
	fill_req(h, req);
	if (op == IORING_OP_CLOSE) {
		struct io_close *c = (void *)req;
		h->fd = BPF_CORE_READ(c, fd);
		h->file_slot = BPF_CORE_READ(c, file_slot);
	} else {
		/* The SQE's fd, for the opcodes that take one (the reader's
		 * table says which): the kernel keeps it in cqe.fd until the
		 * request completes. */
		h->fd = BPF_CORE_READ(req, cqe.fd);
	}
	note_ring(h->ring);
	bpf_ringbuf_submit(h, wakeup_flag());
	return 0;
}

SEC("raw_tracepoint/io_uring_complete")
int uring_complete(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u64 ring = ctx->args[0];
	if (!is_followed(id >> 32) && !bpf_map_lookup_elem(&rings, &ring))
		return 0;
	struct io_uring_cqe *cqe = (void *)ctx->args[2];
	struct uring_bpf_rec *h = bpf_ringbuf_reserve(&events, sizeof(*h), 0);
	if (!h) {
		count(URB_LOST);
		return 0;
	}
	fill_head(h, URB_COMPLETE, id);
	h->ring = ring;
	h->req = ctx->args[1];
	h->user_data = BPF_CORE_READ(cqe, user_data);
	h->res = BPF_CORE_READ(cqe, res);
	h->at_flags = BPF_CORE_READ(cqe, flags);
	bpf_ringbuf_submit(h, wakeup_flag());
	return 0;
}

SEC("raw_tracepoint/io_uring_queue_async_work")
int uring_async(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct io_kiocb *req = (void *)ctx->args[0];
	__u64 ring = (__u64)BPF_CORE_READ(req, ctx);
	if (!is_followed(id >> 32) && !bpf_map_lookup_elem(&rings, &ring))
		return 0;
	/* counted here, not recorded: only the count per opcode is reported */
	__u32 op = BPF_CORE_READ(req, opcode);
	__u64 *v = bpf_map_lookup_elem(&async_ops, &op);
	if (v)
		*v += 1; /* this CPU's own slot */
	return 0;
}

SEC("raw_tracepoint/io_uring_req_failed")
int uring_failed(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	if (!is_followed(id >> 32))
		return 0;
	const struct io_uring_sqe *sqe = (void *)ctx->args[0];
	struct io_kiocb *req = (void *)ctx->args[1];
	struct uring_bpf_rec *h = bpf_ringbuf_reserve(&events, sizeof(*h), 0);
	if (!h) {
		count(URB_LOST);
		return 0;
	}
	fill_head(h, URB_FAILED, id);
	fill_req(h, req);
	h->res = (__s32)ctx->args[2];
	h->fd = BPF_CORE_READ(sqe, fd);
	note_ring(h->ring);
	bpf_ringbuf_submit(h, wakeup_flag());
	return 0;
}

SEC("raw_tracepoint/io_uring_create")
int uring_create(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	if (!is_followed(id >> 32))
		return 0;
	struct uring_bpf_rec *h = bpf_ringbuf_reserve(&events, sizeof(*h), 0);
	if (!h) {
		count(URB_LOST);
		return 0;
	}
	fill_head(h, URB_CREATE, id);
	h->fd = (__s32)ctx->args[0];
	h->ring = ctx->args[1];
	h->mode = (__u32)ctx->args[2];
	h->user_data = (__u32)ctx->args[3];
	h->at_flags = (__u32)ctx->args[4];
	note_ring(h->ring);
	bpf_ringbuf_submit(h, wakeup_flag());
	return 0;
}

/* A followed process's new child process is followed too. Threads (io-wq
 * workers, the SQPOLL thread) share their process's tgid and need nothing. */
SEC("raw_tracepoint/sched_process_fork")
int uring_fork(struct bpf_raw_tracepoint_args *ctx)
{
	__u32 parent = bpf_get_current_pid_tgid() >> 32;
	if (!is_followed(parent))
		return 0;
	struct task_struct *child = (void *)ctx->args[1];
	__u32 pid = BPF_CORE_READ(child, pid);
	__u32 tgid = BPF_CORE_READ(child, tgid);
	if (pid != tgid)
		return 0;
	__u8 one = 1;
	if (bpf_map_update_elem(&followed, &tgid, &one, BPF_ANY) != 0)
		count(URB_FOLLOW_FULL);
	return 0;
}
