/* filecopy.c - one regular file: open both ends, copy the data extents,
 * set metadata, close, link (or rename) the new file into place.
 *
 * Data moves in chunks of up to CHUNK_SIZE, each a linked pair
 * read -> write at the same offset, up to NCHUNK pairs per file in
 * flight. Files from SPLICE_MIN on use splice through a pipe instead
 * (file -> pipe -> file): the pages are referenced, not copied, on the
 * way in, so the data is copied once, as copy_file_range would, and the
 * kernel's io-wq threads spread the work over the CPUs. Files from
 * HUGE_MIN on are streamed instead: the splice reads run ahead and the
 * writes follow one at a time (see huge_turn()).
 *
 * A short read (or splice) breaks the link (the write completes with
 * -ECANCELED): the bytes that did arrive are written and the chunk is
 * resumed, so a short read is never mistaken for end of file. Sparse
 * files are copied extent by extent (SEEK_DATA/SEEK_HOLE); space is
 * preallocated only for data extents, so holes stay holes.
 *
 * The destination is written as an unnamed O_TMPFILE inode in the
 * destination directory and linked under its name (linkat AT_EMPTY_PATH)
 * only when data and metadata are complete: one directory change per
 * file, and an interrupted copy leaves nothing behind. Where that is not
 * possible (not root, no O_TMPFILE, or the name exists and must be
 * replaced) a named temporary ".NAME.PID.N" is renamed over the name
 * (one that a killed run left behind is removed by a later run: see
 * stale_collect() in walk.c).
 *
 * In a destination directory that already existed, a file goes through
 * the quick check first (F_QUICK_CHECKED): see quick_check_applies(). */
#include "engine.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "errors.h"
#include "interrupt.h"

#define CHUNK_SIZE (1024u * 1024u)
#define NCHUNK 4
#define BUF_LIMIT (48u * 1024u * 1024u) /* per worker, beyond each file's first chunk */
#define FREE_BUFS_MAX 16
#define SPLICE_MIN (1024u * 1024u)
#define HUGE_MIN (64ull * 1024 * 1024) /* streamed: see huge_turn() */
#define HUGE_NCHUNK 2 /* pipes per huge file (measured: 1 and 3 slower) */
#define EMFILE_PATIENCE 10.0 /* seconds without a free fd before giving up */

static double monotonic_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* F_START is 0: a task handed back to the file role (a -H name whose
 * leader is done, see hardlink_leader_done()) restarts with phase 0 and
 * must find every step after the claim still to do. */
enum file_phase {
	F_START,
	F_QUICK_CHECKED,
	F_ATTR_OPEN,
	F_ATTR_OPENED,
	F_ATTR_CHECKED,
	F_ATTR_DONE,
	F_ATTR_GIVEN_UP,
	F_OPEN,
	F_OPENED,
	F_DATA,
	F_FSYNCED,
	F_FINAL_DONE,
	F_ABORT_DONE,
	F_BACKOFF_DONE,
	F_CLEANED,
	F_INPLACE_UNLINKED,
	F_INPLACE_CHECKED,
	F_LINKED,
	F_TMPLINKED,
	F_DIR_REMOVED,
};

struct extent {
	uint64_t off, len;
};

struct chunk {
	char *buf;
	size_t cap;
	uint64_t off;   /* file offset of the next byte to read */
	uint64_t len;   /* bytes of the range not yet read */
	size_t have;    /* bytes read and not yet written, at buf + bpos */
	size_t bpos;
	uint64_t woff;  /* file offset of buf + bpos */
	size_t n;       /* length of the read in flight */
	int pending;    /* CQEs outstanding */
	int rres, wres;
	bool linked;
	bool reading;   /* stream mode: the read half alone is in flight */
	int pipe[2];    /* splice mode: [0] read end, [1] write end; -1 otherwise */
	struct op rop, wop;
};

struct filedata {
	struct extent *ext;
	size_t next_ext;       /* first extent not fully handed to a chunk */
	uint64_t next_ext_off; /* how much of it was handed out */
	size_t next_falloc;    /* extents preallocated so far (sparse files) */
	size_t next_ext_count;
	bool sparse;
	bool stream;           /* huge file: reads run ahead, writes one at a time */
	bool writing;          /* stream mode: the file's one write is in flight */
	int aux_inflight;
	int errnum;
	const char *errwhat;   /* the first failure: what, and errnum or errreason */
	const char *errreason;
	bool errdst;           /* it happened on the destination side */
	struct chunk chunks[NCHUNK];
};

/* ---- buffers ---- */

static char *buffer_get(struct worker *w, size_t cap)
{
	if (cap == CHUNK_SIZE && w->free_bufs) {
		char *b = w->free_bufs;
		memcpy(&w->free_bufs, b, sizeof(void *));
		w->nfree_bufs--;
		w->buf_bytes += cap;
		return b;
	}
	char *b = malloc(cap);
	if (b)
		w->buf_bytes += cap;
	return b;
}

static void buffer_put(struct worker *w, char *b, size_t cap)
{
	if (!b)
		return;
	w->buf_bytes -= cap;
	if (cap == CHUNK_SIZE && w->nfree_bufs < FREE_BUFS_MAX) {
		memcpy(b, &w->free_bufs, sizeof(void *));
		w->free_bufs = b;
		w->nfree_bufs++;
		return;
	}
	free(b);
}

void buffers_free(struct worker *w)
{
	while (w->free_bufs) {
		char *b = w->free_bufs;
		memcpy(&w->free_bufs, b, sizeof(void *));
		free(b);
	}
	w->nfree_bufs = 0;
	/* The idle pipes are closed through the ring, in one batch. */
	for (unsigned i = 0; i < w->nfree_pipes; i++) {
		for (int e = 0; e < 2; e++) {
			struct io_uring_sqe *sqe = ring_sqe(&w->ring, NULL);
			io_uring_prep_close(sqe, w->free_pipes[i][e]);
		}
	}
	w->nfree_pipes = 0;
	while (w->ring.inflight) {
		struct io_uring_cqe *cqes[64];
		if (ring_submit_and_wait(&w->ring) < 0)
			break;
		ring_done(&w->ring, ring_peek(&w->ring, cqes, 64));
	}
}

/* An empty pipe able to hold CHUNK_SIZE bytes (or what the system
 * allows); returns its capacity, 0 if none could be made. */
static size_t pipe_get(struct worker *w, int p[2])
{
	int sz;
	if (w->pipes_out >= w->max_pipes)
		return 0;
	if (w->nfree_pipes) {
		w->nfree_pipes--;
		p[0] = w->free_pipes[w->nfree_pipes][0];
		p[1] = w->free_pipes[w->nfree_pipes][1];
		sz = w->free_pipes[w->nfree_pipes][2];
	} else {
		if (w->no_splice || pipe2(p, O_CLOEXEC) < 0) {
			w->no_splice = true;
			return 0;
		}
		sz = fcntl(p[1], F_SETPIPE_SZ, CHUNK_SIZE);
		if (sz <= 0) {
			close(p[0]);
			close(p[1]);
			p[0] = p[1] = -1;
			w->no_splice = true;
			return 0;
		}
	}
	w->pipes_out++;
	return (size_t)sz < CHUNK_SIZE ? (size_t)sz : CHUNK_SIZE;
}

/* A pipe goes back to the pool only if it is known to be empty. */
static void pipe_put(struct worker *w, int p[2], size_t cap, bool empty)
{
	if (p[0] < 0)
		return;
	w->pipes_out--;
	if (empty && w->nfree_pipes < PIPE_POOL_MAX) {
		w->free_pipes[w->nfree_pipes][0] = p[0];
		w->free_pipes[w->nfree_pipes][1] = p[1];
		w->free_pipes[w->nfree_pipes][2] = (int)cap;
		w->nfree_pipes++;
	} else {
		close(p[0]);
		close(p[1]);
	}
	p[0] = p[1] = -1;
}

void filecopy_free(struct worker *w, struct task *t)
{
	struct filedata *f = t->data;
	if (!f)
		return;
	for (int i = 0; i < NCHUNK; i++) {
		struct chunk *ch = &f->chunks[i];
		if (ch->pipe[0] >= 0) {
			w->buf_bytes -= ch->cap;
			pipe_put(w, ch->pipe, ch->cap, !t->failed && !f->errwhat && ch->have == 0);
		} else {
			buffer_put(w, ch->buf, ch->cap);
		}
	}
	free(f->ext);
	free(f);
	t->data = NULL;
	if (t->sfd >= 0)
		close(t->sfd);
	if (t->dfd >= 0)
		close(t->dfd);
	t->sfd = t->dfd = -1;
}

/* ---- phases ---- */

/* Huge files are streamed: each one's splice reads run ahead into their
 * pipes while its writes go one at a time, in offset order (parallel
 * writes to one file only contend for its inode lock: measured, up to
 * several times the system time). Different files are written in
 * parallel by the kernel's io-wq threads, so a few stream at once, as
 * many as the worker's pipes allow. */
static bool huge_turn(struct worker *w, struct task *t)
{
	if (t->st.stx_size < HUGE_MIN || t->huge)
		return true;
	unsigned par = w->max_pipes / HUGE_NCHUNK;
	if (w->nhuge >= (par ? par : 1)) {
		t->next = w->hugewait;
		task_park_dir(t);
		w->hugewait = t;
		return false;
	}
	w->nhuge++;
	t->huge = true;
	return true;
}

static void huge_done(struct worker *w, struct task *t)
{
	if (!t->huge)
		return;
	t->huge = false;
	w->nhuge--;
	if (w->hugewait) {
		struct task *x = w->hugewait;
		w->hugewait = x->next;
		task_ready(w, x);
	}
}

static void file_end(struct worker *w, struct task *t, bool ok)
{
	huge_done(w, t);
	file_slot_release(w, t);
	if (t->group)
		hardlink_leader_done(w, t, ok);
	task_finish(w, t);
}

/* Closes what is open and removes the temporary file; nothing under the
 * final name is touched (except with --inplace, which asked for that). */
static void file_abort(struct worker *w, struct task *t)
{
	struct io_uring_sqe *sqe;
	t->failed = true;
	if (t->sfd >= 0) {
		sqe = task_sqe(w, t, 0);
		io_uring_prep_close(sqe, t->sfd);
		t->sfd = -1;
	}
	if (t->dfd >= 0) {
		sqe = task_sqe(w, t, 1);
		io_uring_prep_close(sqe, t->dfd);
		t->dfd = -1;
	}
	if (t->tmp_created) {
		sqe = task_sqe(w, t, 2);
		io_uring_prep_unlinkat(sqe, t->dir->dstfd, t->tmpname, 0);
		t->tmp_created = false;
	}
	t->phase = F_ABORT_DONE;
	if (!t->inflight)
		task_ready(w, t);
}

static void file_final(struct worker *w, struct task *t)
{
	struct io_uring_sqe *sqe;
	if (t->anon) {
		/* Link the finished inode in; the fd stays open until the link
		 * worked (a failed linkat does not cancel linked requests, so
		 * the close waits for the result instead of riding a link). */
		sqe = task_sqe(w, t, 0);
		io_uring_prep_close(sqe, t->sfd);
		t->sfd = -1;
		sqe = task_sqe(w, t, 2);
		io_uring_prep_linkat(sqe, t->dfd, "", t->dir->dstfd, t->name, AT_EMPTY_PATH);
		t->phase = F_LINKED;
		return;
	}
	sqe = task_sqe(w, t, 0);
	io_uring_prep_close(sqe, t->sfd);
	sqe = task_sqe(w, t, 1);
	io_uring_prep_close(sqe, t->dfd);
	t->sfd = t->dfd = -1;
	t->res[2] = 0;
	if (!w->c->opt->inplace) {
		sqe = task_sqe(w, t, 2);
		io_uring_prep_renameat(sqe, t->dir->dstfd, t->tmpname, t->dir->dstfd, t->name, 0);
	}
	t->phase = F_FINAL_DONE;
}

/* A new file is created with the source's rwx bits: when the umask
 * cannot have taken any away and there is no setuid/setgid/sticky bit
 * (which chown would clear), its mode is already right: no fchmod. */
static bool created_with_final_mode(const struct copier *c, const struct task *t)
{
	mode_t m = t->st.stx_mode;
	/* (in a directory with a default ACL, the ACL replaces the umask) */
	if (c->opt->inplace || (m & 07000) || !t->dir->plain)
		return false;
	/* (-X as non-root: xattrs need write permission, the mode comes after) */
	if (c->opt->xattrs && !c->is_root && !(m & S_IWUSR))
		return false;
	return !c->opt->perms || (m & 0777 & c->umask) == 0;
}

/* A new file in a plain directory (not setgid) belongs to our euid/egid:
 * no fchown needed when that is what the source has. */
static bool created_by_us_with_owner(const struct copier *c, const struct task *t)
{
	if (c->opt->inplace || !t->dir->plain)
		return false;
	bool uid_ok = !(c->opt->owner && c->is_root) || t->st.stx_uid == c->euid;
	bool gid_ok = !c->opt->group || t->st.stx_gid == c->egid;
	return uid_ok && gid_ok;
}

static mode_t create_mode(const struct copier *c, const struct task *t)
{
	return created_with_final_mode(c, t) ? (t->st.stx_mode & 0777) : 0600;
}

static void file_meta(struct worker *w, struct task *t)
{
	struct copier *c = w->c;
	unsigned flags = created_with_final_mode(c, t) ? 0 : META_MODE;
	if (!created_by_us_with_owner(c, t))
		flags |= META_OWNER;
	if (c->opt->inplace)
		flags |= META_XATTR_PRUNE; /* (the file may have been there before) */
	metadata_apply_fd(c, t->sfd, t->dfd, &t->st, flags, t->dir, t->name);
	if (c->opt->fsync) {
		struct io_uring_sqe *sqe = task_sqe(w, t, 0);
		io_uring_prep_fsync(sqe, t->dfd, 0);
		t->phase = F_FSYNCED;
		return;
	}
	file_final(w, t);
}

static void data_fail_at(struct filedata *f, const char *what, int errnum, const char *reason,
			 bool dst)
{
	if (!f->errwhat) {
		f->errwhat = what;
		f->errnum = errnum;
		f->errreason = reason;
		f->errdst = dst;
	}
}

/* A failure reading the source (or of memory for it). */
static void data_fail(struct filedata *f, const char *what, int errnum)
{
	data_fail_at(f, what, errnum, NULL, false);
}

/* A failure writing the destination. */
static void data_fail_dst(struct filedata *f, const char *what, int errnum)
{
	data_fail_at(f, what, errnum, NULL, true);
}

static bool chunk_take_range(struct worker *w, struct task *t, struct chunk *ch, int i)
{
	struct filedata *f = t->data;
	if (f->next_ext >= f->next_ext_count)
		return false;
	if (!ch->buf && ch->pipe[0] < 0) {
		uint64_t size = t->st.stx_size;
		size_t cap = size < CHUNK_SIZE ? (size_t)((size + 4095) & ~4095ull) : CHUNK_SIZE;
		if (i > 0 && w->buf_bytes + cap > BUF_LIMIT)
			return false;
		if (size >= SPLICE_MIN && !w->no_splice) {
			if ((cap = pipe_get(w, ch->pipe)) > 0) {
				ch->cap = cap;
				w->buf_bytes += cap;
				goto have_room;
			}
			/* All pipes busy: more chunks of this file wait for one;
			 * its first chunk goes through a buffer instead. */
			if (i > 0 && !w->no_splice)
				return false;
		}
		cap = size < CHUNK_SIZE ? (size_t)((size + 4095) & ~4095ull) : CHUNK_SIZE;
		ch->buf = buffer_get(w, cap);
		if (!ch->buf) {
			data_fail(f, "allocate buffer", ENOMEM);
			return false;
		}
		ch->cap = cap;
	}
have_room:;
	struct extent *e = &f->ext[f->next_ext];
	if (f->sparse && f->next_falloc <= f->next_ext) {
		struct io_uring_sqe *sqe = ring_sqe(&w->ring, &t->aux_op);
		io_uring_prep_fallocate(sqe, t->dfd, 0, e->off, e->len);
		f->aux_inflight++;
		f->next_falloc = f->next_ext + 1;
	}
	uint64_t left = e->len - f->next_ext_off;
	uint64_t n = left < ch->cap ? left : ch->cap;
	ch->off = e->off + f->next_ext_off;
	ch->len = n;
	f->next_ext_off += n;
	if (f->next_ext_off == e->len) {
		f->next_ext++;
		f->next_ext_off = 0;
	}
	return true;
}

static void chunk_issue(struct worker *w, struct task *t, struct chunk *ch)
{
	struct io_uring_sqe *sqe;
	if (ch->pipe[0] >= 0 && t->data->stream) {
		/* The read alone: data_pump hands the filled pipe to the
		 * file's write stream. */
		ch->n = ch->len < ch->cap ? (size_t)ch->len : ch->cap;
		sqe = ring_sqe(&w->ring, &ch->rop);
		io_uring_prep_splice(sqe, t->sfd, (int64_t)ch->off, ch->pipe[1], -1, (unsigned)ch->n, 0);
		ch->linked = false;
		ch->reading = true;
		ch->pending = 1;
		return;
	}
	if (ch->pipe[0] >= 0) {
		if (ch->have > 0) {
			sqe = ring_sqe(&w->ring, &ch->wop);
			io_uring_prep_splice(sqe, ch->pipe[0], -1, t->dfd, (int64_t)ch->woff,
					     (unsigned)ch->have, 0);
			ch->linked = false;
			ch->pending = 1;
			return;
		}
		ch->n = ch->len < ch->cap ? (size_t)ch->len : ch->cap;
		ring_reserve(&w->ring, 2);
		sqe = ring_sqe(&w->ring, &ch->rop);
		io_uring_prep_splice(sqe, t->sfd, (int64_t)ch->off, ch->pipe[1], -1, (unsigned)ch->n, 0);
		sqe->flags |= IOSQE_IO_LINK;
		sqe = ring_sqe(&w->ring, &ch->wop);
		io_uring_prep_splice(sqe, ch->pipe[0], -1, t->dfd, (int64_t)ch->off, (unsigned)ch->n, 0);
		ch->linked = true;
		ch->pending = 2;
		return;
	}
	if (ch->have > 0) {
		sqe = ring_sqe(&w->ring, &ch->wop);
		io_uring_prep_write(sqe, t->dfd, ch->buf + ch->bpos, (unsigned)ch->have, ch->woff);
		ch->linked = false;
		ch->pending = 1;
		return;
	}
	ch->n = ch->len < ch->cap ? (size_t)ch->len : ch->cap;
	ring_reserve(&w->ring, 2);
	sqe = ring_sqe(&w->ring, &ch->rop);
	io_uring_prep_read(sqe, t->sfd, ch->buf, (unsigned)ch->n, ch->off);
	sqe->flags |= IOSQE_IO_LINK;
	sqe = ring_sqe(&w->ring, &ch->wop);
	io_uring_prep_write(sqe, t->dfd, ch->buf, (unsigned)ch->n, ch->off);
	ch->linked = true;
	ch->pending = 2;
}

/* A chunk's read brought data; otherwise the file's copy fails (a read of
 * 0 before the size statx gave means the file shrank). */
static bool read_ok(struct filedata *f, const struct chunk *ch)
{
	if (ch->rres < 0) {
		data_fail(f, "read", -ch->rres);
		return false;
	}
	if (ch->rres == 0) {
		data_fail_at(f, "read", 0, "file shrank during copy", false);
		return false;
	}
	return true;
}

/* Both halves of a chunk's operation are back: account and plan the rest. */
static void chunk_complete(struct worker *w, struct task *t, struct chunk *ch)
{
	struct filedata *f = t->data;
	if (ch->reading) {
		ch->reading = false;
		if (!read_ok(f, ch))
			return;
		ch->have = (size_t)ch->rres;
		ch->bpos = 0;
		ch->woff = ch->off;
		ch->off += (uint64_t)ch->rres;
		ch->len -= (uint64_t)ch->rres;
		return;
	}
	if (!ch->linked) {
		if (f->stream && ch->pipe[0] >= 0)
			f->writing = false;
		if (ch->wres < 0) {
			data_fail_dst(f, "write", -ch->wres);
			return;
		}
		if (ch->wres == 0) {
			data_fail_dst(f, "write", EIO);
			return;
		}
		atomic_fetch_add(&w->c->bytes_done, (unsigned)ch->wres);
		ch->bpos += (size_t)ch->wres;
		ch->woff += (uint64_t)ch->wres;
		ch->have -= (size_t)ch->wres;
		return;
	}
	if (!read_ok(f, ch))
		return;
	size_t got = (size_t)ch->rres;
	size_t wrote = 0;
	if (ch->wres >= 0)
		wrote = (size_t)ch->wres;
	else if (ch->wres != -ECANCELED) {
		data_fail_dst(f, "write", -ch->wres);
		return;
	}
	if (wrote > got)
		wrote = got;
	atomic_fetch_add(&w->c->bytes_done, wrote);
	ch->have = got - wrote;
	ch->bpos = wrote;
	ch->woff = ch->off + wrote;
	ch->off += got;
	ch->len -= got;
}

static void data_pump(struct worker *w, struct task *t)
{
	struct filedata *f = t->data;
	bool busy = f->aux_inflight > 0;
	struct chunk *next_write = NULL;
	int nchunk = f->stream ? HUGE_NCHUNK : NCHUNK;
	for (int i = 0; i < nchunk; i++) {
		struct chunk *ch = &f->chunks[i];
		if (ch->pending) {
			busy = true;
			continue;
		}
		if (f->errwhat || stop_requested())
			continue;
		if (f->stream && ch->pipe[0] >= 0 && ch->have > 0) {
			/* A filled pipe waits for the write stream, lowest offset first. */
			if (!next_write || ch->woff < next_write->woff)
				next_write = ch;
			busy = true;
			continue;
		}
		if (ch->have == 0 && ch->len == 0 && !chunk_take_range(w, t, ch, i))
			continue;
		chunk_issue(w, t, ch);
		busy = true;
	}
	if (next_write && !f->writing) {
		struct io_uring_sqe *sqe = ring_sqe(&w->ring, &next_write->wop);
		io_uring_prep_splice(sqe, next_write->pipe[0], -1, t->dfd, (int64_t)next_write->woff,
				     (unsigned)next_write->have, 0);
		next_write->linked = false;
		next_write->pending = 1;
		f->writing = true;
		/* The stream is stalled until this write is in the kernel. */
		w->ring.urgent = true;
	}
	if (busy)
		return;
	if (f->errwhat || stop_requested()) {
		const char *dir = f->errdst ? t->dir->dstpath : t->dir->path;
		if (f->errwhat && f->errreason)
			report_entry_reason(dir, t->name, f->errwhat, f->errreason);
		else if (f->errwhat)
			report_entry_error(dir, t->name, f->errwhat, f->errnum);
		file_abort(w, t);
		return;
	}
	if (f->sparse) {
		/* The file may end in a hole: give it its full size. */
		if (ftruncate(t->dfd, (off_t)t->st.stx_size) < 0) {
			report_entry_error(t->dir->dstpath, t->name, "set size", errno);
			file_abort(w, t);
			return;
		}
	}
	file_meta(w, t);
}

static void data_add_extent(struct filedata *f, size_t *cap, uint64_t off, uint64_t len)
{
	if (f->next_ext_count == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		struct extent *e = realloc(f->ext, ncap * sizeof(*e));
		if (!e) {
			data_fail(f, "map extents", ENOMEM);
			return;
		}
		f->ext = e;
		*cap = ncap;
	}
	f->ext[f->next_ext_count++] = (struct extent){ off, len };
}

static void data_start(struct worker *w, struct task *t)
{
	struct filedata *f = calloc(1, sizeof(*f));
	if (!f) {
		report_entry_error(t->dir->path, t->name, "copy", ENOMEM);
		file_abort(w, t);
		return;
	}
	t->data = f;
	for (int i = 0; i < NCHUNK; i++) {
		f->chunks[i].rop = (struct op){ .task = t, .kind = OP_READ, .idx = i };
		f->chunks[i].wop = (struct op){ .task = t, .kind = OP_WRITE, .idx = i };
		f->chunks[i].pipe[0] = f->chunks[i].pipe[1] = -1;
	}
	uint64_t size = t->st.stx_size;
	size_t cap = 0;
	if (size > 0 && (uint64_t)t->st.stx_blocks * 512 < size) {
		/* Fewer blocks than bytes: map the data extents. */
		f->sparse = true;
		uint64_t off = 0;
		while (off < size) {
			off_t d = lseek(t->sfd, (off_t)off, SEEK_DATA);
			if (d < 0)
				break; /* ENXIO: only a hole is left */
			off_t h = lseek(t->sfd, d, SEEK_HOLE);
			if (h < 0 || (uint64_t)h > size)
				h = (off_t)size;
			if (h <= d)
				break;
			data_add_extent(f, &cap, (uint64_t)d, (uint64_t)(h - d));
			off = (uint64_t)h;
		}
		uint64_t data = 0;
		for (size_t i = 0; i < f->next_ext_count; i++)
			data += f->ext[i].len;
		atomic_fetch_add(&w->c->bytes_done, size - data); /* holes: nothing to move */
	} else if (size > 0) {
		/* No preallocation for dense files below HUGE_MIN (measured: no
		 * gain on 1,000 files of 1 KiB-8 MiB); a streamed huge file is
		 * preallocated in one go (measured on 4 x 256 MiB: 0.16 s
		 * instead of 0.20 s, a quarter less system time than block by
		 * block delayed allocation during the writes). */
		data_add_extent(f, &cap, 0, size);
	}
	f->stream = t->huge;
	if (f->stream && !f->sparse && size > 0) {
		struct io_uring_sqe *sqe = ring_sqe(&w->ring, &t->aux_op);
		io_uring_prep_fallocate(sqe, t->dfd, 0, 0, (off_t)size);
		f->aux_inflight++;
	}
	t->phase = F_DATA;
	data_pump(w, t);
}

void filecopy_data_cqe(struct worker *w, struct task *t, enum op_kind kind, int idx, int res)
{
	struct filedata *f = t->data;
	if (kind == OP_AUX) {
		f->aux_inflight--;
		if (res < 0 && res != -EOPNOTSUPP)
			data_fail_dst(f, "allocate space", -res);
		task_ready(w, t);
		return;
	}
	struct chunk *ch = &f->chunks[idx];
	if (kind == OP_READ)
		ch->rres = res;
	else
		ch->wres = res;
	if (--ch->pending == 0) {
		chunk_complete(w, t, ch);
		task_ready(w, t);
	}
}

/* rsync's quick check: in a destination directory that was already there
 * (a second run), a regular file with the source's size and modification
 * time is taken to hold the source's data. If the mode, group and owner
 * -a would give it are right too, it is left alone; if not, they are set
 * on it (opened by name, checked again through the fd) instead of copying
 * it. Only when -t keeps times (without it they never match); never with
 * -X (extended attributes are not compared: such files are copied again). */
static bool quick_check_applies(const struct copier *c, const struct task *t)
{
	return !t->dir->created && c->opt->times && !c->opt->xattrs;
}

static bool same_data(const struct task *t)
{
	const struct statx *d = t->dst_st, *s = &t->st;
	return S_ISREG(d->stx_mode) && d->stx_size == s->stx_size &&
	       d->stx_mtime.tv_sec == s->stx_mtime.tv_sec &&
	       d->stx_mtime.tv_nsec == s->stx_mtime.tv_nsec;
}

static bool up_to_date(const struct copier *c, const struct task *t)
{
	const struct statx *d = t->dst_st, *s = &t->st;
	if (!same_data(t))
		return false;
	if (c->opt->perms && (d->stx_mode & 07777) != (s->stx_mode & 07777))
		return false;
	if (c->opt->group && d->stx_gid != s->stx_gid)
		return false;
	if (c->opt->owner && c->is_root && d->stx_uid != s->stx_uid)
		return false;
	return true;
}

/* Room for a statx of the destination (kept with the task); false, and
 * the entry reported, when out of memory. Zeroed: the ring's STATX fills
 * it, which memory checkers (valgrind) cannot see. */
static bool dst_stat_room(struct task *t)
{
	if (!t->dst_st && !(t->dst_st = calloc(1, sizeof(*t->dst_st)))) {
		report_entry_error(t->dir->path, t->name, "copy", ENOMEM);
		return false;
	}
	return true;
}

void filecopy_start(struct worker *w, struct task *t)
{
	struct copier *c = w->c;
	if (c->opt->hardlinks && t->st.stx_nlink > 1) {
		switch (hardlink_claim(c, t)) {
		case HL_WAIT:
			w->active--; /* parked in its group until the leader is done */
			return;
		case HL_LINK:
			t->role = ROLE_HARDLINK;
			hardlink_start(w, t);
			return;
		case HL_LEADER:
		case HL_COPY:
			break;
		}
	}
	t->phase = F_START;
	filecopy_run(w, t);
}

void filecopy_run(struct worker *w, struct task *t)
{
	struct copier *c = w->c;
	struct io_uring_sqe *sqe;
	switch (t->phase) {
	case F_START: /* claimed (or handed back by a -H group): nothing done yet */
		if (stop_requested()) {
			file_end(w, t, false);
			return;
		}
		atomic_fetch_add(&c->bytes_seen, t->st.stx_size);
		if (quick_check_applies(c, t)) {
			if (!dst_stat_room(t)) {
				file_end(w, t, false);
				return;
			}
			sqe = task_sqe(w, t, 0);
			io_uring_prep_statx(sqe, t->dir->dstfd, t->name, AT_SYMLINK_NOFOLLOW,
					    STATX_TYPE | STATX_MODE | STATX_UID | STATX_GID |
						STATX_SIZE | STATX_MTIME,
					    t->dst_st);
			t->phase = F_QUICK_CHECKED;
			return;
		}
		t->phase = F_OPEN;
		filecopy_run(w, t);
		return;
	case F_QUICK_CHECKED:
		/* a failed stat (no such file, ...) just means: copy it */
		if (t->res[0] == 0 && up_to_date(c, t))
			t->phase = F_ATTR_DONE;
		else
			t->phase = t->res[0] == 0 && same_data(t) ? F_ATTR_OPEN : F_OPEN;
		filecopy_run(w, t);
		return;
	case F_ATTR_OPEN: /* the data is there: only attributes to set */
		if (!file_slot_acquire(w, t))
			return;
		sqe = task_sqe(w, t, 0);
		io_uring_prep_openat(sqe, t->dir->dstfd, t->name,
				     O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0);
		t->phase = F_ATTR_OPENED;
		return;
	case F_ATTR_OPENED:
		if (t->res[0] < 0) { /* unreadable, replaced, ...: copy it */
			t->phase = F_ATTR_GIVEN_UP;
			filecopy_run(w, t);
			return;
		}
		t->dfd = t->res[0];
		/* the file opened may not be the one stat saw: look again */
		sqe = task_sqe(w, t, 0);
		io_uring_prep_statx(sqe, t->dfd, "", AT_EMPTY_PATH,
				    STATX_TYPE | STATX_SIZE | STATX_MTIME, t->dst_st);
		t->phase = F_ATTR_CHECKED;
		return;
	case F_ATTR_CHECKED: {
		bool same = t->res[0] == 0 && same_data(t);
		if (same)
			metadata_apply_fd(c, -1, t->dfd, &t->st,
					  (c->opt->perms ? META_MODE : 0) | META_OWNER, t->dir, t->name);
		sqe = task_sqe(w, t, 0);
		io_uring_prep_close(sqe, t->dfd);
		t->dfd = -1;
		t->phase = same ? F_ATTR_DONE : F_ATTR_GIVEN_UP;
		return;
	}
	case F_ATTR_DONE: /* up to date (a slot is held only after F_ATTR_OPEN) */
		file_slot_release(w, t);
		atomic_fetch_add(&c->bytes_done, t->st.stx_size);
		atomic_fetch_add(&c->files_uptodate, 1);
		file_end(w, t, true);
		return;
	case F_ATTR_GIVEN_UP: /* not openable, or changed between the two looks: copy it */
		file_slot_release(w, t);
		t->phase = F_OPEN;
		filecopy_run(w, t);
		return;
	case F_OPEN: {
		if (stop_requested()) {
			file_end(w, t, false);
			return;
		}
		if (!huge_turn(w, t) || !file_slot_acquire(w, t))
			return;
		free(t->tmpname);
		t->tmpname = NULL;
		if (!c->opt->inplace && !(t->tmpname = temp_name(c, t->name))) {
			report_entry_error(t->dir->path, t->name, "copy", ENOMEM);
			file_end(w, t, false);
			return;
		}
		sqe = task_sqe(w, t, 0);
		io_uring_prep_openat(sqe, t->dir->srcfd, t->name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0);
		sqe = task_sqe(w, t, 1);
		t->anon = !c->opt->inplace && atomic_load(&c->use_tmpfile);
		if (c->opt->inplace) /* truncated only once it is known not to be the source */
			io_uring_prep_openat(sqe, t->dir->dstfd, t->name,
					     O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
		else if (t->anon)
			io_uring_prep_openat(sqe, t->dir->dstfd, ".", O_WRONLY | O_TMPFILE | O_CLOEXEC,
					     create_mode(c, t));
		else
			io_uring_prep_openat(sqe, t->dir->dstfd, t->tmpname,
					     O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
					     create_mode(c, t));
		t->phase = F_OPENED;
		return;
	}
	case F_OPENED: {
		int s = t->res[0], d = t->res[1];
		if (s >= 0)
			t->sfd = s;
		if (d >= 0) {
			t->dfd = d;
			t->tmp_created = !c->opt->inplace && !t->anon;
		}
		if (t->anon && (d == -EOPNOTSUPP || d == -EISDIR || d == -EINVAL)) {
			/* This filesystem has no O_TMPFILE: named temporaries from now on. */
			atomic_store(&c->use_tmpfile, false);
			t->anon = false;
			t->res[0] = s;
			sqe = task_sqe(w, t, 1);
			io_uring_prep_openat(sqe, t->dir->dstfd, t->tmpname,
					     O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
					     create_mode(c, t));
			return;
		}
		if (s == -EMFILE || s == -ENFILE || d == -EMFILE || d == -ENFILE) {
			/* Out of fds: lower this worker's limit (and the directories'
			 * if files are not what holds them), undo, retry later. */
			w->max_open = w->open_files > 1 ? w->open_files - 1 : 1;
			if (w->open_files <= 2) {
				unsigned open = atomic_load(&c->open_dirs);
				atomic_store(&c->max_dirs, open > 3 ? open - 1 : 2);
			}
			file_abort(w, t);
			t->failed = false;
			t->phase = F_BACKOFF_DONE;
			return;
		}
		if (s < 0) {
			report_source_error(t->dir->path, t->name, "open", -s);
			file_abort(w, t);
			return;
		}
		if (d == -ELOOP && c->opt->inplace && t->retries++ == 0) {
			/* --inplace onto a symlink: replace the link itself, never
			 * write through it. */
			sqe = task_sqe(w, t, 1);
			io_uring_prep_unlinkat(sqe, t->dir->dstfd, t->name, 0);
			t->phase = F_INPLACE_UNLINKED;
			return;
		}
		if (d == -EISDIR && c->opt->inplace && !t->rmdir_tried) {
			/* --inplace onto a directory: as rsync, remove it if it is
			 * empty, then create the file. */
			t->rmdir_tried = true;
			sqe = task_sqe(w, t, 1);
			io_uring_prep_unlinkat(sqe, t->dir->dstfd, t->name, AT_REMOVEDIR);
			t->phase = F_INPLACE_UNLINKED;
			return;
		}
		if (d < 0) {
			report_entry_error(t->dir->dstpath, t->name,
					   c->opt->inplace ? "open destination" : "create temporary file", -d);
			file_abort(w, t);
			return;
		}
		if (c->opt->inplace) {
			/* A destination hardlinked to its source (cp -al snapshots)
			 * would be emptied by the truncation before it is read. */
			if (!dst_stat_room(t)) {
				file_abort(w, t);
				return;
			}
			sqe = task_sqe(w, t, 1);
			io_uring_prep_statx(sqe, t->dfd, "", AT_EMPTY_PATH, STATX_INO, t->dst_st);
			t->phase = F_INPLACE_CHECKED;
			return;
		}
		data_start(w, t);
		return;
	}
	case F_INPLACE_CHECKED:
		if (t->res[1] < 0) {
			report_entry_error(t->dir->dstpath, t->name, "stat destination", -t->res[1]);
			file_abort(w, t);
			return;
		}
		if (t->dst_st->stx_ino == t->st.stx_ino &&
		    t->dst_st->stx_dev_major == t->st.stx_dev_major &&
		    t->dst_st->stx_dev_minor == t->st.stx_dev_minor) {
			/* already the same file: data and metadata are the source's */
			t->same_file = true;
			verbose_line(c, t->dir, t->name, " (same file as the source, kept)");
			file_abort(w, t);
			return;
		}
		if (ftruncate(t->dfd, 0) < 0) {
			report_entry_error(t->dir->dstpath, t->name, "truncate destination", errno);
			file_abort(w, t);
			return;
		}
		data_start(w, t);
		return;
	case F_DATA:
		data_pump(w, t);
		return;
	case F_FSYNCED:
		if (t->res[0] < 0) {
			report_entry_error(t->dir->dstpath, t->name, "fsync", -t->res[0]);
			file_abort(w, t);
			return;
		}
		file_final(w, t);
		return;
	case F_FINAL_DONE:
		file_slot_release(w, t);
		if (t->res[2] == -EISDIR && !t->rmdir_tried) {
			/* A directory has the name: as rsync, remove it if it is
			 * empty (rmdir fails on anything else), then rename again. */
			t->rmdir_tried = true;
			sqe = task_sqe(w, t, 0);
			io_uring_prep_unlinkat(sqe, t->dir->dstfd, t->name, AT_REMOVEDIR);
			t->phase = F_DIR_REMOVED;
			return;
		}
		if (t->res[2] < 0) {
			report_entry_error(t->dir->dstpath, t->name, "rename into place", -t->res[2]);
			sqe = task_sqe(w, t, 0);
			io_uring_prep_unlinkat(sqe, t->dir->dstfd, t->tmpname, 0);
			t->tmp_created = false;
			t->phase = F_CLEANED;
			return;
		}
		t->tmp_created = false;
		if (t->res[1] < 0) /* close of the written file reports late I/O errors */
			report_entry_error(t->dir->dstpath, t->name, "close", -t->res[1]);
		atomic_fetch_add(&c->files_done, 1);
		verbose_line(c, t->dir, t->name, "");
		file_end(w, t, true);
		return;
	case F_DIR_REMOVED:
		if (t->res[0] < 0) {
			report_entry_error(t->dir->dstpath, t->name, "remove the directory in the way",
					   -t->res[0]);
			sqe = task_sqe(w, t, 0);
			io_uring_prep_unlinkat(sqe, t->dir->dstfd, t->tmpname, 0);
			t->tmp_created = false;
			t->phase = F_CLEANED;
			return;
		}
		sqe = task_sqe(w, t, 2);
		io_uring_prep_renameat(sqe, t->dir->dstfd, t->tmpname, t->dir->dstfd, t->name, 0);
		t->phase = F_FINAL_DONE;
		return;
	case F_CLEANED:
		file_end(w, t, false);
		return;
	case F_LINKED:
		if (t->res[2] >= 0) {
			sqe = task_sqe(w, t, 1);
			io_uring_prep_close(sqe, t->dfd);
			t->dfd = -1;
			t->res[2] = 0;
			t->phase = F_FINAL_DONE;
			return;
		}
		if (t->res[2] == -EEXIST) {
			/* The name exists: link under a temporary name, rename over. */
			ring_reserve(&w->ring, 2);
			sqe = task_sqe(w, t, 2);
			io_uring_prep_linkat(sqe, t->dfd, "", t->dir->dstfd, t->tmpname, AT_EMPTY_PATH);
			sqe->flags |= IOSQE_IO_HARDLINK;
			sqe = task_sqe(w, t, 1);
			io_uring_prep_close(sqe, t->dfd);
			t->dfd = -1;
			t->phase = F_TMPLINKED;
			return;
		}
		report_entry_error(t->dir->dstpath, t->name, "link into place", -t->res[2]);
		file_abort(w, t);
		return;
	case F_TMPLINKED:
		if (t->res[2] < 0) {
			report_entry_error(t->dir->dstpath, t->name, "link temporary file", -t->res[2]);
			file_abort(w, t);
			return;
		}
		t->tmp_created = true;
		t->res[1] = 0;
		sqe = task_sqe(w, t, 2);
		io_uring_prep_renameat(sqe, t->dir->dstfd, t->tmpname, t->dir->dstfd, t->name, 0);
		t->phase = F_FINAL_DONE;
		return;
	case F_INPLACE_UNLINKED:
		if (t->res[1] < 0) {
			report_entry_error(t->dir->dstpath, t->name,
					   t->rmdir_tried ? "remove the directory in the way"
							  : "remove destination symlink",
					   -t->res[1]);
			file_abort(w, t);
			return;
		}
		t->res[0] = t->sfd;
		sqe = task_sqe(w, t, 1);
		io_uring_prep_openat(sqe, t->dir->dstfd, t->name,
				     O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		t->phase = F_OPENED;
		return;
	case F_ABORT_DONE:
		file_end(w, t, t->same_file);
		return;
	case F_BACKOFF_DONE:
		file_slot_release(w, t);
		filecopy_free(w, t);
		if (t->emfile_since == 0) {
			t->emfile_since = monotonic_seconds();
		} else if (monotonic_seconds() - t->emfile_since > EMFILE_PATIENCE) {
			report_entry_error(t->dir->path, t->name, "open", EMFILE);
			file_end(w, t, false);
			return;
		}
		t->phase = F_OPEN;
		task_park_dir(t);
		t->next = w->fdwait;
		w->fdwait = t;
		return;
	}
}
