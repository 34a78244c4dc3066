/* uring_reqs: reads a BPF capture file (uring_bpf.h) whole and joins its
 * records into one struct uring_req per request.
 *
 * The key idea: the kernel reuses a request's io_kiocb once it completes,
 * so (ring, req pointer) names a request only from its submission to its
 * final completion. The join walks the records in emission order with a
 * table of the requests still open under each (ring, req): a submission
 * (or a preparation failure) opens one, replacing any older one; a
 * completion closes it, unless it says more are coming (multishot).
 */
#include "uring_reqs.h"

#include "uring_bpf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CQE_F_MORE (1u << 1) /* IORING_CQE_F_MORE */

/* Where an opcode's FD comes from (the kernel's io_uring/opdef.c: the
 * opcodes with needs_file keep the SQE's fd in cqe.fd). */
enum op_fd { FD_NONE, FD_SQE, FD_OWN /* close: its own struct's fd */ };

static const struct {
	const char *name;
	enum op_fd fd;
} op_table[] = {
    [0] = {"NOP", FD_NONE},
    [1] = {"READV", FD_SQE},
    [2] = {"WRITEV", FD_SQE},
    [3] = {"FSYNC", FD_SQE},
    [4] = {"READ_FIXED", FD_SQE},
    [5] = {"WRITE_FIXED", FD_SQE},
    [6] = {"POLL_ADD", FD_SQE},
    [7] = {"POLL_REMOVE", FD_NONE},
    [8] = {"SYNC_FILE_RANGE", FD_SQE},
    [9] = {"SENDMSG", FD_SQE},
    [10] = {"RECVMSG", FD_SQE},
    [11] = {"TIMEOUT", FD_NONE},
    [12] = {"TIMEOUT_REMOVE", FD_NONE},
    [13] = {"ACCEPT", FD_SQE},
    [14] = {"ASYNC_CANCEL", FD_NONE},
    [15] = {"LINK_TIMEOUT", FD_NONE},
    [16] = {"CONNECT", FD_SQE},
    [17] = {"FALLOCATE", FD_SQE},
    [18] = {"OPENAT", FD_NONE},
    [19] = {"CLOSE", FD_OWN},
    [20] = {"FILES_UPDATE", FD_NONE},
    [21] = {"STATX", FD_NONE},
    [22] = {"READ", FD_SQE},
    [23] = {"WRITE", FD_SQE},
    [24] = {"FADVISE", FD_SQE},
    [25] = {"MADVISE", FD_NONE},
    [26] = {"SEND", FD_SQE},
    [27] = {"RECV", FD_SQE},
    [28] = {"OPENAT2", FD_NONE},
    [29] = {"EPOLL_CTL", FD_NONE},
    [30] = {"SPLICE", FD_SQE},
    [31] = {"PROVIDE_BUFFERS", FD_NONE},
    [32] = {"REMOVE_BUFFERS", FD_NONE},
    [33] = {"TEE", FD_SQE},
    [34] = {"SHUTDOWN", FD_SQE},
    [35] = {"RENAMEAT", FD_NONE},
    [36] = {"UNLINKAT", FD_NONE},
    [37] = {"MKDIRAT", FD_NONE},
    [38] = {"SYMLINKAT", FD_NONE},
    [39] = {"LINKAT", FD_NONE},
    [40] = {"MSG_RING", FD_SQE},
    [41] = {"FSETXATTR", FD_SQE},
    [42] = {"SETXATTR", FD_NONE},
    [43] = {"FGETXATTR", FD_SQE},
    [44] = {"GETXATTR", FD_NONE},
    [45] = {"SOCKET", FD_NONE},
    [46] = {"URING_CMD", FD_SQE},
    [47] = {"SEND_ZC", FD_SQE},
    [48] = {"SENDMSG_ZC", FD_SQE},
    [49] = {"READ_MULTISHOT", FD_SQE},
    [50] = {"WAITID", FD_NONE},
    [51] = {"FUTEX_WAIT", FD_NONE},
    [52] = {"FUTEX_WAKE", FD_NONE},
    [53] = {"FUTEX_WAITV", FD_NONE},
    [54] = {"FIXED_FD_INSTALL", FD_SQE},
    [55] = {"FTRUNCATE", FD_SQE},
    [56] = {"BIND", FD_SQE},
    [57] = {"LISTEN", FD_SQE},
    [58] = {"RECV_ZC", FD_SQE},
    [59] = {"EPOLL_WAIT", FD_SQE},
    [60] = {"READV_FIXED", FD_SQE},
    [61] = {"WRITEV_FIXED", FD_SQE},
    [62] = {"PIPE", FD_NONE},
};
#define N_OPS (sizeof(op_table) / sizeof(op_table[0]))

const char *uring_opcode_name(unsigned opcode, char *buf, size_t bufsz)
{
	if (opcode < N_OPS && op_table[opcode].name)
		snprintf(buf, bufsz, "IORING_OP_%s", op_table[opcode].name);
	else
		snprintf(buf, bufsz, "IORING_OP_%u", opcode);
	return buf;
}

struct uring_reqs {
	struct uring_req *reqs;
	size_t n;
	char *arena; /* every path, NUL-terminated */
	struct uring_reqs_info info;
};

/* Open requests by (ring, req pointer): linear probing, backward-shift
 * deletion, value = index + 1 into the request array. */
struct open_slot {
	uint64_t ring, req;
	size_t idx1;
};
struct open_table {
	struct open_slot *s;
	size_t cap, used;
};

static size_t slot_hash(uint64_t ring, uint64_t req, size_t cap)
{
	uint64_t h = (ring ^ (req * 0x9e3779b97f4a7c15ull)) * 0xff51afd7ed558ccdull;
	return (size_t)(h ^ (h >> 29)) & (cap - 1);
}

static int open_grow(struct open_table *t)
{
	size_t cap = t->cap ? t->cap * 2 : 1024;
	struct open_slot *s = calloc(cap, sizeof(*s));
	if (!s)
		return -1;
	for (size_t i = 0; i < t->cap; i++) {
		if (!t->s[i].idx1)
			continue;
		size_t j = slot_hash(t->s[i].ring, t->s[i].req, cap);
		while (s[j].idx1)
			j = (j + 1) & (cap - 1);
		s[j] = t->s[i];
	}
	free(t->s);
	t->s = s;
	t->cap = cap;
	return 0;
}

static struct open_slot *open_find(struct open_table *t, uint64_t ring, uint64_t req)
{
	if (!t->cap)
		return NULL;
	for (size_t j = slot_hash(ring, req, t->cap);; j = (j + 1) & (t->cap - 1)) {
		if (!t->s[j].idx1)
			return NULL;
		if (t->s[j].ring == ring && t->s[j].req == req)
			return &t->s[j];
	}
}

static int open_put(struct open_table *t, uint64_t ring, uint64_t req, size_t idx)
{
	struct open_slot *o = open_find(t, ring, req);
	if (o) {
		o->idx1 = idx + 1;
		return 0;
	}
	if ((t->used + 1) * 2 > t->cap && open_grow(t) != 0)
		return -1;
	size_t j = slot_hash(ring, req, t->cap);
	while (t->s[j].idx1)
		j = (j + 1) & (t->cap - 1);
	t->s[j] = (struct open_slot){ring, req, idx + 1};
	t->used++;
	return 0;
}

static void open_del(struct open_table *t, struct open_slot *o)
{
	size_t i = (size_t)(o - t->s);
	t->s[i].idx1 = 0;
	t->used--;
	/* Shift back the entries of the probe run that follows. */
	for (size_t j = (i + 1) & (t->cap - 1); t->s[j].idx1; j = (j + 1) & (t->cap - 1)) {
		size_t home = slot_hash(t->s[j].ring, t->s[j].req, t->cap);
		/* Stays if its home lies cyclically in (i, j]. */
		if (i <= j ? (home > i && home <= j) : (home > i || home <= j))
			continue;
		t->s[i] = t->s[j];
		t->s[j].idx1 = 0;
		i = j;
	}
}

/* The reader's state while it walks the records. */
struct reader {
	struct uring_reqs *r;
	size_t cap;
	char *arena_end;
	int64_t off_ns;
	struct open_table open;
	uint64_t *rings;
	size_t n_rings, rings_cap;
};

static int note_ring(struct reader *rd, uint64_t ring)
{
	if (rd->n_rings == rd->rings_cap) {
		size_t cap = rd->rings_cap ? rd->rings_cap * 2 : 64;
		uint64_t *p = realloc(rd->rings, cap * sizeof(*p));
		if (!p)
			return -1;
		rd->rings = p;
		rd->rings_cap = cap;
	}
	rd->rings[rd->n_rings++] = ring;
	return 0;
}

static uint64_t to_realtime(const struct reader *rd, uint64_t ktime)
{
	return ktime + (uint64_t)rd->off_ns; /* unsigned: wraps, never overflows */
}

static char *keep_path(struct reader *rd, const unsigned char *p, size_t len)
{
	char *s = rd->arena_end;
	memcpy(s, p, len);
	s[len] = '\0';
	rd->arena_end += len + 1;
	return s;
}

/* A new request from a SUBMIT or FAILED record. */
static int open_request(struct reader *rd, const struct uring_bpf_rec *h, const unsigned char *paths)
{
	struct uring_reqs *r = rd->r;
	if (r->n == rd->cap) {
		size_t cap = rd->cap ? rd->cap * 2 : 256;
		struct uring_req *p = realloc(r->reqs, cap * sizeof(*p));
		if (!p)
			return -1;
		r->reqs = p;
		rd->cap = cap;
	}
	struct uring_req *q = &r->reqs[r->n];
	memset(q, 0, sizeof(*q));
	q->submit_ns = to_realtime(rd, h->ktime_ns);
	q->ring = h->ring;
	q->user_data = h->user_data;
	q->pid = h->tgid;
	q->tid = h->tid;
	q->opcode = h->opcode;
	q->failed_prep = h->kind == URB_FAILED;
	q->fixed_file = (h->flags & URB_FIXED_FILE) != 0;
	q->sq_thread = (h->flags & URB_SQ_THREAD) != 0;
	q->path_truncated = (h->flags & (URB_PATH_TRUNC | URB_PATH2_TRUNC)) != 0;
	enum op_fd fdk = h->opcode < N_OPS ? op_table[h->opcode].fd : FD_NONE;
	q->fd = fdk != FD_NONE ? h->fd : UREQ_NO_FD;
	q->dfd = h->dfd;
	q->dfd2 = h->dfd2;
	q->at_flags = h->at_flags;
	q->mode = h->mode;
	q->open_flags = h->open_flags;
	q->resolve = h->resolve;
	q->file_slot = h->file_slot;
	if (fdk == FD_OWN && h->file_slot) {
		q->fd = (int32_t)(h->file_slot - 1);
		q->fixed_file = true;
	}
	if (q->failed_prep)
		q->res = h->res;
	if (h->flags & URB_HAS_PATH)
		q->path = keep_path(rd, paths, h->path_len);
	if (h->flags & URB_HAS_PATH2)
		q->path2 = keep_path(rd, paths + h->path_len, h->path2_len);
	if (open_put(&rd->open, h->ring, h->req, r->n) != 0 || note_ring(rd, h->ring) != 0)
		return -1;
	r->n++;
	return 0;
}

static void join(struct reader *rd, const struct uring_bpf_rec *h)
{
	struct open_slot *o = open_find(&rd->open, h->ring, h->req);
	if (h->kind == URB_ASYNC) {
		if (o)
			rd->r->reqs[o->idx1 - 1].async = true;
		return;
	}
	/* URB_COMPLETE */
	if (!o) {
		rd->r->info.unmatched++;
		return;
	}
	struct uring_req *q = &rd->r->reqs[o->idx1 - 1];
	q->completed = true;
	q->complete_ns = to_realtime(rd, h->ktime_ns);
	q->res = h->res;
	if (!(h->at_flags & CQE_F_MORE))
		open_del(&rd->open, o);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Submission time order; ties keep the order the kernel emitted them in
 * (the array's order before sorting: SEQ). */
struct keyed {
	uint64_t t;
	size_t seq;
};
static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int sort_by_submit(struct uring_reqs *r)
{
	if (r->n < 2)
		return 0;
	struct keyed *k = malloc(r->n * sizeof(*k));
	struct uring_req *out = malloc(r->n * sizeof(*out));
	if (!k || !out) {
		free(k);
		free(out);
		return -1;
	}
	for (size_t i = 0; i < r->n; i++)
		k[i] = (struct keyed){r->reqs[i].submit_ns, i};
	qsort(k, r->n, sizeof(*k), cmp_keyed);
	for (size_t i = 0; i < r->n; i++)
		out[i] = r->reqs[k[i].seq];
	free(k);
	free(r->reqs);
	r->reqs = out;
	return 0;
}

static int read_whole(const char *path, unsigned char **data, size_t *len, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open io_uring capture %s: %s", path, strerror(errno));
		return -1;
	}
	struct stat st = {.st_mode = S_IFREG};
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "cannot read io_uring capture %s: %s", path,
		         S_ISREG(st.st_mode) ? strerror(errno) : "not a regular file");
		close(fd);
		return -1;
	}
	size_t cap = (size_t)st.st_size + 1, n = 0;
	unsigned char *buf = malloc(cap);
	if (!buf) {
		snprintf(err, errlen, "cannot read io_uring capture %s: out of memory", path);
		close(fd);
		return -1;
	}
	for (;;) {
		if (n == cap) {
			unsigned char *p = realloc(buf, cap * 2);
			if (!p) {
				snprintf(err, errlen, "cannot read io_uring capture %s: out of memory",
				         path);
				free(buf);
				close(fd);
				return -1;
			}
			buf = p;
			cap *= 2;
		}
		ssize_t got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			snprintf(err, errlen, "cannot read io_uring capture %s: %s", path,
			         strerror(errno));
			free(buf);
			close(fd);
			return -1;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	*data = buf;
	*len = n;
	return 0;
}

/* Checks the file header; the offset of the first record, or 0 with ERR. */
static size_t check_header(const char *path, const unsigned char *d, size_t len,
                           struct uring_file_header *fh, char *err, size_t errlen)
{
	if (len < sizeof(fh->magic) || memcmp(d, URING_FILE_MAGIC, sizeof(fh->magic)) != 0) {
		bool text = len > 0 && (d[0] == '#' || (len >= 4 && memcmp(d, "    ", 4) == 0));
		snprintf(err, errlen,
		         "%s is not an io_uring capture of this analyzer (no \"%s\" magic%s)", path,
		         URING_FILE_MAGIC,
		         text ? "; it looks like the tracefs text an earlier version saved" : "");
		return 0;
	}
	if (len < sizeof(*fh)) {
		snprintf(err, errlen, "io_uring capture %s: cut short inside its header (%zu bytes)",
		         path, len);
		return 0;
	}
	memcpy(fh, d, sizeof(*fh));
	if (fh->version < 1 || fh->version > URING_FILE_VERSION) {
		snprintf(err, errlen,
		         "io_uring capture %s: format version %u; this analyzer reads versions 1 to "
		         "%u",
		         path, fh->version, URING_FILE_VERSION);
		return 0;
	}
	if (fh->header_size < sizeof(*fh) || fh->header_size > len ||
	    fh->rec_size < sizeof(struct uring_bpf_rec) || fh->rec_size > 4096 ||
	    fh->path_max == 0 || fh->path_max > 65536) {
		snprintf(err, errlen,
		         "io_uring capture %s: corrupt header (header %u bytes, record %u, path "
		         "%u)",
		         path, fh->header_size, fh->rec_size, fh->path_max);
		return 0;
	}
	return fh->header_size;
}

int uring_reqs_read(const char *path, struct uring_reqs **out, char *err, size_t errlen)
{
	*out = NULL;
	unsigned char *d;
	size_t len;
	if (read_whole(path, &d, &len, err, errlen) != 0)
		return -1;
	struct uring_file_header fh;
	size_t off = check_header(path, d, len, &fh, err, errlen);
	if (!off) {
		free(d);
		return -1;
	}
	struct reader rd;
	memset(&rd, 0, sizeof(rd));
	rd.off_ns = fh.realtime_off_ns;
	rd.r = calloc(1, sizeof(*rd.r));
	/* Paths are at most the file's bytes, plus a NUL for each of a
	 * record's two. */
	size_t max_recs = len / fh.rec_size + 1;
	if (rd.r)
		rd.r->arena = malloc(len + 2 * max_recs);
	if (!rd.r || !rd.r->arena)
		goto oom;
	rd.arena_end = rd.r->arena;
	struct uring_reqs_info *info = &rd.r->info;
	bool ended = false;
	while (off < len) {
		if (ended || len - off < fh.rec_size) {
			info->malformed++; /* bytes after the end, or a cut record */
			break;
		}
		struct uring_bpf_rec h;
		memcpy(&h, d + off, sizeof(h));
		size_t size = (size_t)fh.rec_size + h.path_len + h.path2_len;
		unsigned last_kind = fh.version >= 2 ? URB_ASYNC_COUNT : URB_END;
		if (h.kind < URB_SUBMIT || h.kind > last_kind || h.size != size ||
		    h.path_len >= fh.path_max || h.path2_len >= fh.path_max || size > len - off) {
			/* Records have no marker to resynchronise on: what
			 * follows a bad one cannot be trusted. */
			info->malformed++;
			break;
		}
		const unsigned char *paths = d + off + fh.rec_size;
		off += size;
		if (h.kind == URB_END) {
			info->lost += h.req + h.user_data;
			if (h.flags & URB_END_COST) {
				info->cost_known = true;
				info->bpf_runs = h.ring;
				info->bpf_ns = h.ktime_ns;
				info->consumer_ns = h.open_flags;
				info->wall_ns = h.resolve;
			}
			ended = true;
			continue;
		}
		info->records++;
		if (h.kind == URB_ASYNC_COUNT) {
			info->async_by_op[h.opcode] += h.req;
			continue;
		}
		int rc = 0;
		switch (h.kind) {
		case URB_SUBMIT:
		case URB_FAILED:
			rc = open_request(&rd, &h, paths);
			break;
		case URB_CREATE:
			info->rings_created++;
			rc = note_ring(&rd, h.ring);
			break;
		default:
			join(&rd, &h);
		}
		if (rc != 0)
			goto oom;
	}
	if (!ended && !(off < len))
		info->malformed++; /* the closing record is missing: the file was cut */
	if (rd.n_rings)
		qsort(rd.rings, rd.n_rings, sizeof(*rd.rings), cmp_u64);
	for (size_t i = 0; i < rd.n_rings; i++)
		if (i == 0 || rd.rings[i] != rd.rings[i - 1])
			info->rings++;
	if (sort_by_submit(rd.r) != 0)
		goto oom;
	free(rd.open.s);
	free(rd.rings);
	free(d);
	*out = rd.r;
	return 0;
oom:
	snprintf(err, errlen, "reading io_uring capture %s: out of memory", path);
	free(rd.open.s);
	free(rd.rings);
	free(d);
	uring_reqs_free(rd.r);
	return -1;
}

const struct uring_req *uring_reqs_list(const struct uring_reqs *r, size_t *n)
{
	*n = r->n;
	return r->reqs;
}

const struct uring_reqs_info *uring_reqs_stats(const struct uring_reqs *r) { return &r->info; }

void uring_reqs_free(struct uring_reqs *r)
{
	if (!r)
		return;
	free(r->reqs);
	free(r->arena);
	free(r);
}
