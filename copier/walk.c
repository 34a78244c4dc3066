/* walk.c - tree walk and scheduling: the work stack, workers, directories.
 *
 * Directories are listed with getdents64 into batches of names pushed on
 * a shared LIFO stack (depth first). A directory's fds stay open while
 * tasks use them; idle ones are closed and opened again within a budget
 * (dirfds.c), so depth costs no fds. Each worker thread owns one ring and a
 * ready list of tasks; it runs ready tasks while the ring has room,
 * submits everything queued in one io_uring_enter, and dispatches the
 * completions. Nothing recurses per tree level. */
#include "engine.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "errors.h"
#include "interrupt.h"

#define STEP_MAX 16        /* most SQEs one task_run() queues */
#define DIRENT_BUF (64 * 1024)
#define DIR_OPEN_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

enum dir_phase {
	DIR_START,
	DIR_OPENED,
	DIR_DST_STATED,
	DIR_REPLACED,
	DIR_REMADE,
	DIR_REOPENED,
	DIR_ROOT_STATED,
	DIR_BACKOFF,
	DIR_FINISH, /* complete: its metadata waits for its fds (budget full) */
};

enum stat_phase { STAT_START, STAT_DONE };
enum mkdir_phase { MKDIR_START, MKDIR_DONE };

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- tasks ---- */

static struct task *task_new(enum task_kind kind, struct dirnode *dir)
{
	struct task *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->kind = kind;
	t->dir = dir;
	t->sfd = t->dfd = -1;
	for (int i = 0; i < TASK_SLOTS; i++)
		t->ops[i] = (struct op){ .task = t, .kind = OP_SLOT, .idx = i };
	t->aux_op = (struct op){ .task = t, .kind = OP_AUX, .idx = 0 };
	return t;
}

static void task_free(struct worker *w, struct task *t)
{
	filecopy_free(w, t);
	if (t->linkdir)
		dirnode_unref(w, t->linkdir);
	for (int i = 0; i < t->nnames; i++)
		free(t->names[i]);
	free(t->names);
	free(t->name);
	free(t->tmpname);
	free(t->target);
	free(t->dst_st);
	free(t);
}

void task_ready(struct worker *w, struct task *t)
{
	if (t->queued)
		return;
	t->queued = true;
	t->next = NULL;
	if (w->ready_tail)
		w->ready_tail->next = t;
	else
		w->ready_head = t;
	w->ready_tail = t;
}

struct io_uring_sqe *task_sqe(struct worker *w, struct task *t, int slot)
{
	t->inflight++;
	return ring_sqe(&w->ring, &t->ops[slot]);
}

char *temp_name(struct copier *c, const char *name)
{
	char *s = NULL;
	unsigned n = atomic_fetch_add(&c->tmp_counter, 1);
	if (asprintf(&s, ".%.*s.%x.%x", TEMP_BASE_MAX, name, c->pid, n) < 0)
		return NULL;
	return s;
}

/* A line on stdout: DIR's path relative to SRC, then NAME, between
 * PREFIX and SUFFIX. Once stdout turns out to be a closed pipe (EPIPE;
 * SIGPIPE is ignored), no more lines are written: the copy goes on. */
void info_line(struct copier *c, const struct dirnode *dir, const char *name, const char *prefix,
	       const char *suffix)
{
	if (atomic_load(&c->out_gone))
		return;
	char *line = NULL;
	int n;
	if (dir->relpath[0])
		n = asprintf(&line, "%s%s/%s%s\n", prefix, dir->relpath, name, suffix);
	else
		n = asprintf(&line, "%s%s%s\n", prefix, name, suffix);
	for (ssize_t off = 0; n > 0 && off < n;) {
		ssize_t k = write(STDOUT_FILENO, line + off, (size_t)(n - off));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			if (k < 0 && errno == EPIPE)
				atomic_store(&c->out_gone, true);
			break; /* stdout unusable: nothing else to do about it */
		}
		off += k;
	}
	free(line);
}

/* A -v line: the entry's path relative to SRC, then SUFFIX. */
void verbose_line(struct copier *c, const struct dirnode *dir, const char *name, const char *suffix)
{
	if (c->opt->verbose)
		info_line(c, dir, name, "", suffix);
}

/* An entry of a type the options (or a user who is not root, for
 * devices) do not copy: said on stdout as rsync says it, -v or not. */
static void skip_nonregular(struct copier *c, const struct dirnode *dir, const char *name)
{
	info_line(c, dir, name, "skipping non-regular file \"", "\"");
}

/* ---- open-file slots (bounded fds, EMFILE back-off) ---- */

/* An entry about to wait (for a file slot, its turn) lets its
 * directory's fds go meanwhile: waiting tasks holding directories would
 * keep others from theirs. task_run() takes them back. */
void task_park_dir(struct task *t)
{
	if (t->kind == TASK_ENTRY && t->dir->parent && !t->dir_unheld) {
		t->dir_unheld = true;
		dirfds_release(t->dir);
	}
}

bool file_slot_acquire(struct worker *w, struct task *t)
{
	if (w->open_files >= w->max_open) {
		task_park_dir(t);
		t->next = w->fdwait;
		w->fdwait = t;
		return false;
	}
	w->open_files++;
	t->holds_slot = true;
	return true;
}

void file_slot_release(struct worker *w, struct task *t)
{
	if (!t->holds_slot)
		return;
	t->holds_slot = false;
	w->open_files--;
	while (w->fdwait && w->open_files < w->max_open) {
		struct task *x = w->fdwait;
		w->fdwait = x->next;
		task_ready(w, x);
		break;
	}
}

/* ---- directory nodes ---- */

/* parent NULL: the root, name its source path and dstpath its
 * destination path; else name is the entry in parent (dstpath unused). */
static struct dirnode *dirnode_new(struct dirnode *parent, const char *name, const char *dstpath,
				   const struct statx *st)
{
	struct dirnode *d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->parent = parent;
	d->srcfd = d->dstfd = -1;
	if (st)
		d->st = *st;
	atomic_init(&d->pending, 1);
	atomic_init(&d->refs, 1);
	atomic_init(&d->users, 0);
	atomic_init(&d->queued, 0);
	if (parent) {
		d->name = strdup(name);
		if (asprintf(&d->path, "%s/%s", parent->path, name) < 0)
			d->path = NULL;
		if (asprintf(&d->dstpath, "%s/%s", parent->dstpath, name) < 0)
			d->dstpath = NULL;
		if (parent->relpath[0]) {
			if (asprintf(&d->relpath, "%s/%s", parent->relpath, name) < 0)
				d->relpath = NULL;
		} else {
			d->relpath = strdup(name);
		}
	} else {
		d->path = strdup(name);
		d->dstpath = strdup(dstpath);
		d->relpath = strdup("");
	}
	if (!d->path || !d->dstpath || !d->relpath || (parent && !d->name)) {
		free(d->name);
		free(d->path);
		free(d->dstpath);
		free(d->relpath);
		free(d);
		return NULL;
	}
	if (parent)
		dirnode_ref(parent); /* reopened through it (dirfds.c) */
	return d;
}

void dirnode_ref(struct dirnode *d)
{
	atomic_fetch_add(&d->refs, 1);
}

static void close_fd(struct worker *w, int fd)
{
	if (fd < 0)
		return;
	if (w) {
		struct io_uring_sqe *sqe = ring_sqe(&w->ring, NULL);
		io_uring_prep_close(sqe, fd);
	} else {
		close(fd);
	}
}

/* w NULL: at the end, no ring (plain close). */
void dirnode_unref(struct worker *w, struct dirnode *d)
{
	while (d && atomic_fetch_sub(&d->refs, 1) == 1) {
		struct dirnode *parent = d->parent;
		if (w && parent)
			dirfds_forget(w->c, d);
		if (d->counted && w)
			atomic_fetch_sub(&w->c->open_dirs, 1);
		close_fd(w, d->srcfd);
		close_fd(w, d->dstfd);
		free(d->name);
		free(d->path);
		free(d->dstpath);
		free(d->relpath);
		free(d);
		d = parent;
	}
}

static struct task *task_new(enum task_kind kind, struct dirnode *dir);

/* A complete directory whose fds, closed by the budget, cannot be opened
 * again now: a job finishes it later (dir_run, DIR_FINISH), once the
 * fds of others are free. False if there is no memory for the job. */
static bool dir_finish_later(struct worker *w, struct dirnode *d)
{
	struct task *t = task_new(TASK_DIR, d);
	if (!t)
		return false;
	t->phase = DIR_FINISH;
	w->active++;
	t->next = w->dirwait;
	w->dirwait = t;
	return true;
}

/* A child of d (or d's own listing) is complete. Finishing a directory
 * sets its metadata and completes it in its parent: a loop, not recursion.
 * finishing: d is complete already, its metadata was put off. */
static void dir_complete(struct worker *w, struct dirnode *d, bool finishing, bool forced)
{
	struct copier *c = w->c;
	while (d && (finishing || atomic_fetch_sub(&d->pending, 1) == 1)) {
		struct dirnode *parent = d->parent;
		bool set_mode = c->opt->perms || d->created;
		/* (the budget may have closed its fds: they are opened again,
		 * for its metadata, or to give a directory made writable for
		 * the update its mode back) */
		int r = d->st.stx_mask || d->tweaked ? dirfds_acquire(w, d, forced) : -EBADF;
		finishing = forced = false;
		if (r == -EAGAIN && dir_finish_later(w, d))
			return;
		if (r == -EAGAIN)
			report_error(d->dstpath, "open directory again to set its metadata", EMFILE);
		if (r == 0) {
			/* (through "..": before d's own mode may take away search
			 * permission, a 000 directory's say) */
			if (parent && atomic_load(&parent->pending) == 1)
				dirfds_reopen_parent(w, d); /* the parent completes next */
			if (d->dstfd >= 0 && d->st.stx_mask)
				metadata_apply_fd(c, d->srcfd, d->dstfd, &d->st,
						  META_OWNER | (set_mode ? META_MODE : 0) |
							  (d->created ? 0 : META_XATTR_PRUNE),
						  d, NULL);
			if (d->tweaked && (!set_mode || !d->st.stx_mask) && d->dstfd >= 0 &&
			    fchmod(d->dstfd, d->restore_mode) < 0)
				report_error(d->dstpath, "restore permissions", errno);
			if (parent)
				dirfds_release(d);
		}
		if (!parent) {
			pthread_mutex_lock(&c->lock);
			c->done = true;
			pthread_cond_broadcast(&c->cond);
			pthread_mutex_unlock(&c->lock);
		}
		dirnode_unref(w, d);
		d = parent;
	}
}

/* ---- destination directories a user who is not root cannot write ----
 *
 * An existing destination directory without rwx for its owner (an earlier
 * copy of a read-only tree: 0555, 000) cannot take new entries. As rsync,
 * its owner makes it u+rwx for the update, and sets its mode back when
 * the directory is done (dir_complete(), whatever its children did,
 * interrupted or not), or with -p to the source's mode. */

static bool dst_dir_needs_tweak(const struct copier *c, const struct statx *st)
{
	return !c->is_root && S_ISDIR(st->stx_mode) && st->stx_uid == c->euid &&
	       (st->stx_mode & S_IRWXU) != S_IRWXU;
}

static void dst_dir_tweak(struct dirnode *d, int fd, const struct statx *st)
{
	mode_t m = st->stx_mode & 07777;
	if (fchmod(fd, m | S_IRWXU) < 0) {
		report_error(d->dstpath, "make destination directory writable", errno);
		return;
	}
	d->tweaked = true;
	d->restore_mode = m;
}

/* The destination directory could not be opened (EACCES: 000, say). It
 * is reached through an O_PATH fd (relative to the parent's fd, never
 * following a symlink, and needing no permission on the directory
 * itself), made u+rwx through /proc/self/fd/N (fchmod refuses O_PATH
 * fds; that magic link resolves to the inode the fd holds, not to
 * whatever has the name by then), and opened through that fd. Direct
 * calls: a rare case. The fd, or err when it cannot be done. */
static int dst_dir_open_restrictive(struct copier *c, struct dirnode *d, int err)
{
	int pfd = openat(d->parent->dstfd, d->name, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0)
		return err;
	struct statx st;
	int fd = err;
	if (statx(pfd, "", AT_EMPTY_PATH, STATX_TYPE | STATX_MODE | STATX_UID, &st) == 0 &&
	    dst_dir_needs_tweak(c, &st)) {
		char proc[32];
		mode_t m = st.stx_mode & 07777;
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
		if (chmod(proc, m | S_IRWXU) == 0) {
			fd = openat(pfd, ".", DIR_OPEN_FLAGS);
			if (fd < 0) {
				fd = -errno;
				if (chmod(proc, m) < 0)
					report_error(d->dstpath, "restore permissions", errno);
			} else {
				d->tweaked = true;
				d->restore_mode = m;
			}
		}
	}
	close(pfd);
	return fd;
}

static void dir_child_done(struct worker *w, struct dirnode *d)
{
	dir_complete(w, d, false, true);
}

/* ---- the shared work stack ---- */

static void stack_push_list(struct copier *c, struct task *head, struct task *tail)
{
	if (!head)
		return;
	pthread_mutex_lock(&c->lock);
	tail->next = c->stack;
	c->stack = head;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
}

static struct task *stack_pop(struct copier *c)
{
	pthread_mutex_lock(&c->lock);
	struct task *t = c->stack;
	if (t)
		c->stack = t->next;
	pthread_mutex_unlock(&c->lock);
	if (t)
		t->next = NULL;
	return t;
}

void task_finish(struct worker *w, struct task *t)
{
	struct dirnode *d = t->dir;
	file_slot_release(w, t);
	if (d->parent && !t->dir_unheld)
		dirfds_release(d);
	w->active--;
	task_free(w, t);
	dir_child_done(w, d);
}

/* ---- directory jobs ---- */

/* The job no longer needs its parent's fds. */
static void dir_job_release_parent(struct task *t)
{
	if (t->parent_held) {
		t->parent_held = false;
		dirfds_release(t->dir->parent);
	}
}

static void dir_job_end(struct worker *w, struct task *t)
{
	/* The job's own pending count is the directory's listing reference. */
	struct dirnode *d = t->dir;
	dir_job_release_parent(t);
	if (t->dir_held)
		dirfds_release(d);
	w->active--;
	task_free(w, t);
	dir_child_done(w, d);
}

/* ---- stale temporaries of earlier runs ----
 *
 * A run that was killed (SIGKILL, a crash, power loss) leaves its named
 * temporaries behind. When a destination directory that already existed
 * is listed, a name is taken for such a leftover, and removed, only if
 * all of these hold:
 *  - it is exactly ".NAME.PID.N" as temp_name() writes it: NAME of 1 to
 *    TEMP_BASE_MAX bytes, PID and N in lowercase hex without leading
 *    zeros, PID not 0;
 *  - no process PID exists (not this run, nor another one still going);
 *  - NAME is an entry of the source directory (or, cut at TEMP_BASE_MAX,
 *    the start of one) of the same type, and the temporary's own name is
 *    not a source entry;
 *  - it is not a directory (unlinkat without AT_REMOVEDIR in any case).
 * Anything else, however similar, is left alone. */

struct stale {
	char *name;
	size_t base;        /* length of NAME */
	unsigned char type; /* d_type */
	bool matched;       /* NAME is a source entry of the same type */
	bool in_source;     /* the name itself is a source entry: never ours */
};

struct stale_list {
	struct stale *v;
	size_t n, cap;
};

/* A number as printf("%x") writes an unsigned int. */
static bool plain_hex(const char *s, size_t len, unsigned long *v)
{
	if (len == 0 || len > 8 || (s[0] == '0' && len > 1))
		return false;
	unsigned long x = 0;
	for (size_t i = 0; i < len; i++) {
		int d = s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : s[i] >= 'a' && s[i] <= 'f' ? s[i] - 'a' + 10 : -1;
		if (d < 0)
			return false;
		x = x * 16 + (unsigned long)d;
	}
	*v = x;
	return true;
}

/* The length of NAME if s is ".NAME.PID.N" with a PID that no process
 * has; 0 otherwise. */
static size_t stale_temp_base(const struct copier *c, const char *s)
{
	size_t len = strlen(s);
	if (len < 6 || s[0] != '.')
		return 0;
	const char *ndot = memrchr(s, '.', len);
	const char *pdot = ndot > s ? memrchr(s, '.', (size_t)(ndot - s)) : NULL;
	if (!pdot || pdot <= s + 1)
		return 0;
	size_t base = (size_t)(pdot - s) - 1;
	unsigned long pid, n;
	if (base > TEMP_BASE_MAX || !plain_hex(pdot + 1, (size_t)(ndot - pdot) - 1, &pid) ||
	    !plain_hex(ndot + 1, len - (size_t)(ndot - s) - 1, &n) || pid == 0 ||
	    pid > (unsigned long)INT32_MAX)
		return 0;
	if (pid == c->pid || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
		return 0; /* its run may still be going */
	return base;
}

/* Lists the destination directory for names of stale temporaries. */
static void stale_collect(struct copier *c, struct dirnode *d, char *buf, struct stale_list *out)
{
	for (;;) {
		long n = syscall(SYS_getdents64, d->dstfd, buf, DIRENT_BUF);
		if (n <= 0)
			return; /* an unreadable listing only means: nothing removed */
		for (long off = 0; off < n;) {
			struct dirent64 *de = (struct dirent64 *)(buf + off);
			off += de->d_reclen;
			if (de->d_name[0] != '.' || de->d_type == DT_DIR)
				continue;
			size_t base = stale_temp_base(c, de->d_name);
			if (!base)
				continue;
			if (out->n == out->cap) {
				size_t ncap = out->cap ? out->cap * 2 : 8;
				struct stale *v = realloc(out->v, ncap * sizeof(*v));
				if (!v)
					return;
				out->v = v;
				out->cap = ncap;
			}
			char *name = strdup(de->d_name);
			if (!name)
				return;
			out->v[out->n++] = (struct stale){ .name = name, .base = base, .type = de->d_type };
		}
	}
}

/* A source entry seen by the listing: does it vouch for a candidate? */
static void stale_match(struct stale_list *l, const char *nm, unsigned char type)
{
	size_t len = strlen(nm);
	for (size_t i = 0; i < l->n; i++) {
		struct stale *s = &l->v[i];
		if (strcmp(nm, s->name) == 0)
			s->in_source = true;
		else if ((len == s->base || (s->base == TEMP_BASE_MAX && len > s->base)) &&
			 memcmp(nm, s->name + 1, s->base) == 0 &&
			 (type == s->type || type == DT_UNKNOWN || s->type == DT_UNKNOWN))
			s->matched = true;
	}
}

/* Hands the confirmed leftovers to a cleanup task of the directory. */
static void stale_remove(struct worker *w, struct dirnode *d, struct stale_list *l)
{
	struct task *t = NULL;
	for (size_t i = 0; i < l->n; i++) {
		struct stale *s = &l->v[i];
		if (s->matched && !s->in_source) {
			if (!t && (t = task_new(TASK_ENTRY, d)) && !(t->names = calloc(l->n, sizeof(char *)))) {
				free(t);
				t = NULL;
			}
			if (!t)
				break;
			t->names[t->nnames++] = s->name;
			s->name = NULL;
		}
	}
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	if (!t)
		return;
	t->role = ROLE_CLEANUP;
	if (d->parent)
		dirfds_hold(d);
	atomic_fetch_add(&d->pending, 1);
	w->active++;
	task_ready(w, t);
}

/* Unlinks the names, TASK_SLOTS at a time. phase: 0 before the first
 * round, else 1 + the index of the round's first name. */
static void cleanup_run(struct worker *w, struct task *t)
{
	int start = 0;
	if (t->phase > 0) {
		int first = t->phase - 1;
		for (int i = 0; i < TASK_SLOTS && first + i < t->nnames; i++) {
			int r = t->res[i];
			/* (gone already, or a directory where d_type said nothing) */
			if (r < 0 && r != -ENOENT && r != -EISDIR)
				report_entry_error(t->dir->dstpath, t->names[first + i],
						   "remove stale temporary file", -r);
		}
		start = first + TASK_SLOTS;
	}
	if (start >= t->nnames) {
		task_finish(w, t);
		return;
	}
	for (int i = 0; i < TASK_SLOTS && start + i < t->nnames; i++) {
		struct io_uring_sqe *sqe = task_sqe(w, t, i);
		io_uring_prep_unlinkat(sqe, t->dir->dstfd, t->names[start + i], 0);
	}
	t->phase = start + 1;
}

static void dir_list(struct worker *w, struct task *t)
{
	struct dirnode *d = t->dir;
	struct copier *c = w->c;
	if (stop_requested()) {
		dir_job_end(w, t);
		return;
	}
	char *buf = malloc(DIRENT_BUF);
	if (!buf) {
		report_error(d->path, "list directory", ENOMEM);
		dir_job_end(w, t);
		return;
	}
	struct task *head = NULL, *tail = NULL, *batch = NULL;
	struct stale_list stale = { 0 };
	dir_job_release_parent(t);
	if (!d->created)
		stale_collect(c, d, buf, &stale);
	for (;;) {
		long n = syscall(SYS_getdents64, d->srcfd, buf, DIRENT_BUF);
		if (n < 0) {
			report_source_error(d->path, NULL, "list directory", errno);
			break;
		}
		if (n == 0)
			break;
		for (long off = 0; off < n;) {
			struct dirent64 *de = (struct dirent64 *)(buf + off);
			off += de->d_reclen;
			const char *nm = de->d_name;
			if (nm[0] == '.' && (nm[1] == '\0' || (nm[1] == '.' && nm[2] == '\0')))
				continue;
			if (stale.n)
				stale_match(&stale, nm, de->d_type);
			if (!batch) {
				batch = task_new(TASK_BATCH, d);
				if (batch && !(batch->names = calloc(BATCH_NAMES, sizeof(char *)))) {
					free(batch);
					batch = NULL;
				}
				if (!batch) {
					report_error(d->path, "list directory", ENOMEM);
					goto out;
				}
				atomic_fetch_add(&d->pending, 1);
				atomic_fetch_add(&d->queued, 1);
			}
			char *copy = strdup(nm);
			if (!copy) {
				report_entry_error(d->path, nm, "list directory", ENOMEM);
				continue;
			}
			batch->names[batch->nnames++] = copy;
			if (batch->nnames == BATCH_NAMES) {
				if (tail)
					tail->next = batch;
				else
					head = batch;
				tail = batch;
				batch = NULL;
			}
		}
	}
out:
	if (batch) {
		if (tail)
			tail->next = batch;
		else
			head = batch;
		tail = batch;
	}
	free(buf);
	stale_remove(w, d, &stale);
	stack_push_list(c, head, tail);
	dir_job_end(w, t);
}

static void dir_run(struct worker *w, struct task *t)
{
	struct dirnode *d = t->dir;
	struct dirnode *p = d->parent;
	struct io_uring_sqe *sqe;
	switch (t->phase) {
	case DIR_START:
		if (!p) {
			sqe = task_sqe(w, t, 0);
			io_uring_prep_statx(sqe, d->srcfd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW,
					    STATX_BASIC_STATS, &d->st);
			sqe = task_sqe(w, t, 1);
			io_uring_prep_statx(sqe, d->dstfd, "", AT_EMPTY_PATH,
					    STATX_TYPE | STATX_MODE | STATX_INO | STATX_UID, &t->st);
			t->phase = DIR_ROOT_STATED;
			return;
		}
		if (stop_requested()) {
			dir_job_end(w, t);
			return;
		}
		/* The parent's fds (opened again if the budget closed them), then
		 * a place in the budget for this one; if there is none, wait,
		 * unless nothing else can move (the worker loop then lets one
		 * past, so the shape of the tree never blocks the copy). */
		if (!t->parent_held) {
			int r = dirfds_acquire(w, p, t->forced);
			if (r == -EAGAIN && t->forced) {
				/* out of fds with every idle directory closed: back off */
				t->forced = false;
				t->phase = DIR_BACKOFF;
				task_ready(w, t);
				return;
			}
			if (r == -EAGAIN) {
				t->next = w->dirwait;
				w->dirwait = t;
				return;
			}
			if (r < 0) {
				dir_job_end(w, t); /* the parent is lost (said): not this one */
				return;
			}
			t->parent_held = true;
		}
		if (!dirfds_reserve(w->c, d, t->forced)) {
			dir_job_release_parent(t);
			if (t->forced) { /* even one past the budget is taken: back off */
				t->forced = false;
				t->phase = DIR_BACKOFF;
				task_ready(w, t);
				return;
			}
			t->next = w->dirwait;
			w->dirwait = t;
			return;
		}
		t->forced = false;
		sqe = task_sqe(w, t, 0);
		io_uring_prep_openat(sqe, p->srcfd, d->name, DIR_OPEN_FLAGS, 0);
		sqe = task_sqe(w, t, 1);
		io_uring_prep_openat(sqe, p->dstfd, d->name, DIR_OPEN_FLAGS, 0);
		t->phase = DIR_OPENED;
		return;
	case DIR_ROOT_STATED:
		if (t->res[0] < 0) {
			report_error(d->path, "stat", -t->res[0]);
			memset(&d->st, 0, sizeof(d->st));
		}
		d->plain = t->res[1] == 0 && !(t->st.stx_mode & S_ISGID) &&
			   fgetxattr(d->dstfd, "system.posix_acl_default", NULL, 0) < 0 &&
			   (errno == ENODATA || errno == ENOTSUP);
		if (t->res[1] == 0) {
			w->c->dst_ino = t->st.stx_ino;
			w->c->dst_dev_major = t->st.stx_dev_major;
			w->c->dst_dev_minor = t->st.stx_dev_minor;
			if (t->res[0] == 0 && d->st.stx_ino == t->st.stx_ino &&
			    d->st.stx_dev_major == t->st.stx_dev_major &&
			    d->st.stx_dev_minor == t->st.stx_dev_minor) {
				/* copying a directory onto itself rewrites every file from
				 * itself (with --inplace: truncates it first): touch nothing */
				w->c->same_root = true;
				dir_job_end(w, t);
				return;
			}
			if (!d->created && dst_dir_needs_tweak(w->c, &t->st))
				dst_dir_tweak(d, d->dstfd, &t->st);
		}
		dir_list(w, t);
		return;
	case DIR_OPENED: {
		int s = t->res[0], ds = t->res[1];
		if (s >= 0)
			d->srcfd = s;
		if (ds >= 0)
			d->dstfd = ds;
		if (s == -EMFILE || s == -ENFILE || ds == -EMFILE || ds == -ENFILE) {
			/* Out of fds: fewer open directories from now on; give back
			 * what opened and retry later. */
			unsigned open = atomic_load(&w->c->open_dirs);
			atomic_store(&w->c->max_dirs, open > 3 ? open - 1 : 2);
			dir_job_release_parent(t);
			if (d->srcfd >= 0) {
				sqe = task_sqe(w, t, 0);
				io_uring_prep_close(sqe, d->srcfd);
				d->srcfd = -1;
			}
			if (d->dstfd >= 0) {
				sqe = task_sqe(w, t, 1);
				io_uring_prep_close(sqe, d->dstfd);
				d->dstfd = -1;
			}
			t->phase = DIR_BACKOFF;
			if (!t->inflight)
				task_ready(w, t);
			return;
		}
		if (s < 0) {
			report_source_error(d->path, NULL, "open directory", -s);
			dir_job_end(w, t);
			return;
		}
		if (ds == -ENOTDIR || ds == -ELOOP) {
			/* A non-directory (maybe a symlink) sits where the directory
			 * goes: remove that entry itself, never follow it. */
			sqe = task_sqe(w, t, 1);
			io_uring_prep_unlinkat(sqe, p->dstfd, d->name, 0);
			t->phase = DIR_REPLACED;
			return;
		}
		if (ds == -EACCES && !w->c->is_root && !d->created &&
		    (ds = dst_dir_open_restrictive(w->c, d, ds)) >= 0) {
			d->dstfd = ds;
			dirfds_opened(w->c, d);
			t->dir_held = true;
			dir_list(w, t);
			return;
		}
		if (ds < 0) {
			report_error(d->dstpath, "open destination directory", -ds);
			dir_job_end(w, t);
			return;
		}
		dirfds_opened(w->c, d);
		t->dir_held = true;
		if (!w->c->is_root && !d->created) {
			/* an existing directory: can we write into it? */
			sqe = task_sqe(w, t, 1);
			io_uring_prep_statx(sqe, d->dstfd, "", AT_EMPTY_PATH,
					    STATX_TYPE | STATX_MODE | STATX_UID, &t->st);
			t->phase = DIR_DST_STATED;
			return;
		}
		dir_list(w, t);
		return;
	}
	case DIR_DST_STATED:
		if (t->res[1] == 0 && dst_dir_needs_tweak(w->c, &t->st))
			dst_dir_tweak(d, d->dstfd, &t->st);
		dir_list(w, t);
		return;
	case DIR_FINISH: {
		/* d is complete: its metadata, then its parent (the job holds
		 * the directory's own reference, passed on to dir_complete) */
		int r = dirfds_acquire(w, d, t->forced);
		if (r == -EAGAIN && !(t->forced && dirfds_patience_over(t))) {
			t->forced = false;
			t->next = w->dirwait;
			w->dirwait = t;
			return;
		}
		if (r == 0) {
			dirfds_release(d);
		} else {
			if (r == -EAGAIN) /* waited too long: the tree goes on without it */
				report_error(d->dstpath,
					     d->tweaked ? "open directory again to restore its permissions"
							: "open directory again to set its metadata",
					     EMFILE);
			memset(&d->st, 0, sizeof(d->st)); /* no metadata to set */
			d->tweaked = false;               /* nor a mode to restore */
		}
		w->active--;
		task_free(w, t);
		dir_complete(w, d, true, true);
		return;
	}
	case DIR_BACKOFF:
		if (t->emfile_since == 0)
			t->emfile_since = now_seconds();
		if (now_seconds() - t->emfile_since > 10.0) {
			report_error(d->path, "open directory", EMFILE);
			dir_job_end(w, t);
			return;
		}
		t->phase = DIR_START;
		t->next = w->dirwait;
		w->dirwait = t;
		return;
	case DIR_REPLACED:
		if (t->res[1] < 0) {
			report_error(d->dstpath, "replace with a directory", -t->res[1]);
			dir_job_end(w, t);
			return;
		}
		sqe = task_sqe(w, t, 1);
		io_uring_prep_mkdirat(sqe, p->dstfd, d->name, 0700);
		t->phase = DIR_REMADE;
		return;
	case DIR_REMADE:
		if (t->res[1] < 0) {
			report_error(d->dstpath, "create directory", -t->res[1]);
			dir_job_end(w, t);
			return;
		}
		d->created = true;
		d->plain = p->plain;
		sqe = task_sqe(w, t, 1);
		io_uring_prep_openat(sqe, p->dstfd, d->name, DIR_OPEN_FLAGS, 0);
		t->phase = DIR_REOPENED;
		return;
	case DIR_REOPENED:
		if (t->res[1] < 0) {
			report_error(d->dstpath, "open destination directory", -t->res[1]);
			dir_job_end(w, t);
			return;
		}
		d->dstfd = t->res[1];
		dirfds_opened(w->c, d);
		t->dir_held = true;
		dir_list(w, t);
		return;
	}
}

/* ---- entries: statx, then by type ---- */

static void mkdir_run(struct worker *w, struct task *t)
{
	struct copier *c = w->c;
	struct dirnode *p = t->dir;
	if (t->phase == MKDIR_START) {
		struct io_uring_sqe *sqe = task_sqe(w, t, 0);
		io_uring_prep_mkdirat(sqe, p->dstfd, t->name, 0700);
		t->phase = MKDIR_DONE;
		return;
	}
	int res = t->res[0];
	if (res < 0 && res != -EEXIST) {
		report_entry_error(p->dstpath, t->name, "create directory", -res);
		task_finish(w, t);
		return;
	}
	struct dirnode *d = dirnode_new(p, t->name, NULL, &t->st);
	struct task *job = d ? task_new(TASK_DIR, d) : NULL;
	if (!job) {
		if (d)
			dirnode_unref(w, d);
		report_entry_error(p->path, t->name, "create directory", ENOMEM);
		task_finish(w, t);
		return;
	}
	d->created = res == 0;
	d->plain = d->created && p->plain; /* mkdir inherits setgid and default ACLs */
	if (res == 0)
		verbose_line(c, p, t->name, "/");
	atomic_fetch_add(&p->pending, 1);
	stack_push_list(c, job, job);
	task_finish(w, t);
}

static void stat_run(struct worker *w, struct task *t)
{
	struct copier *c = w->c;
	const struct arsync_options *o = c->opt;
	if (t->phase == STAT_START) {
		if (stop_requested()) {
			task_finish(w, t);
			return;
		}
		struct io_uring_sqe *sqe = task_sqe(w, t, 0);
		io_uring_prep_statx(sqe, t->dir->srcfd, t->name, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS,
				    &t->st);
		t->phase = STAT_DONE;
		return;
	}
	if (t->res[0] < 0) {
		report_source_error(t->dir->path, t->name, "stat", -t->res[0]);
		task_finish(w, t);
		return;
	}
	atomic_fetch_add(&c->entries_seen, 1);
	t->phase = 0;
	switch (t->st.stx_mode & S_IFMT) {
	case S_IFDIR:
		if (t->st.stx_ino == c->dst_ino && t->st.stx_dev_major == c->dst_dev_major &&
		    t->st.stx_dev_minor == c->dst_dev_minor) {
			/* DST inside SRC: copying it would never end. */
			if (o->verbose)
				fprintf(stderr, "skipping the destination directory %s/%s\n", t->dir->path,
					t->name);
			task_finish(w, t);
			return;
		}
		t->role = ROLE_MKDIR;
		mkdir_run(w, t);
		return;
	case S_IFREG:
		t->role = ROLE_FILE;
		filecopy_start(w, t);
		return;
	case S_IFLNK:
		if (!o->links) {
			skip_nonregular(c, t->dir, t->name);
			task_finish(w, t);
			return;
		}
		t->role = ROLE_SYMLINK;
		symlink_start(w, t);
		return;
	default:
		if (!o->devices || (!c->is_root && (S_ISCHR(t->st.stx_mode) || S_ISBLK(t->st.stx_mode)))) {
			/* As rsync: only root makes devices; anyone else skips
			 * them (FIFOs and sockets are still copied). */
			skip_nonregular(c, t->dir, t->name);
			task_finish(w, t);
			return;
		}
		t->role = ROLE_DEVICE;
		device_start(w, t);
		return;
	}
}

/* An entry parked without its directory's fds (-H, waiting for its
 * group) takes them back before it runs again: false if it cannot now
 * (parked again) or at all (failed as its role fails). */
static bool entry_regain_dir(struct worker *w, struct task *t)
{
	int r = stop_requested() ? -EINTR : dirfds_acquire(w, t->dir, t->forced);
	bool forced = t->forced;
	if (r == 0) {
		t->dir_unheld = false; /* (forced stays: a -H link's wait for its
		                        * leader's directory is forced too) */
		return true;
	}
	t->forced = false;
	if (r == -EAGAIN && (!forced || !dirfds_patience_over(t))) {
		t->next = w->fdwait; /* the worker loop forces it when nothing moves */
		w->fdwait = t;
		return false;
	}
	if (r == -EAGAIN)
		report_entry_error(t->dir->dstpath, t->name, "open its directory again", EMFILE);
	if (t->role == ROLE_HARDLINK)
		hardlink_link_done(w, t);
	else if (t->group)
		hardlink_leader_done(w, t, false);
	task_finish(w, t);
	return false;
}

static void task_run(struct worker *w, struct task *t)
{
	t->queued = false;
	if (t->kind == TASK_DIR) {
		dir_run(w, t);
		return;
	}
	if (t->dir_unheld && !entry_regain_dir(w, t))
		return;
	switch (t->role) {
	case ROLE_STAT: stat_run(w, t); break;
	case ROLE_MKDIR: mkdir_run(w, t); break;
	case ROLE_FILE: filecopy_run(w, t); break;
	case ROLE_SYMLINK: symlink_run(w, t); break;
	case ROLE_DEVICE: device_run(w, t); break;
	case ROLE_HARDLINK: hardlink_run(w, t); break;
	case ROLE_CLEANUP: cleanup_run(w, t); break;
	}
}

/* ---- workers ---- */

static void unit_discard(struct worker *w, struct task *u);

/* Takes on a unit: false if its directory's fds cannot be had now (the
 * budget is full and this worker has work of its own going). */
static bool unit_activate(struct worker *w, struct task *u)
{
	if (u->kind == TASK_DIR) {
		w->active++;
		task_ready(w, u);
		return true;
	}
	struct dirnode *d = u->dir;
	int r = dirfds_acquire(w, d, w->ring.inflight == 0 && !w->ready_head);
	if (r == -EAGAIN)
		return false;
	if (r < 0) {
		unit_discard(w, u); /* the directory is lost (said) */
		return true;
	}
	atomic_fetch_sub(&d->queued, 1);
	int made = 0;
	for (int i = 0; i < u->nnames; i++) {
		struct task *t = task_new(TASK_ENTRY, d);
		if (!t) {
			report_entry_error(d->path, u->names[i], "copy", ENOMEM);
			continue;
		}
		t->role = ROLE_STAT;
		t->name = u->names[i];
		u->names[i] = NULL;
		made++;
		w->active++;
		if (d->parent)
			dirfds_hold(d);
		task_ready(w, t);
	}
	if (d->parent)
		dirfds_release(d);
	atomic_fetch_add(&d->pending, made);
	task_free(w, u);
	dir_child_done(w, d); /* the batch's own reference */
	return true;
}

static void unit_discard(struct worker *w, struct task *u)
{
	struct dirnode *d = u->dir;
	if (u->kind == TASK_BATCH)
		atomic_fetch_sub(&d->queued, 1);
	task_free(w, u);
	dir_child_done(w, d);
}

static void *worker_main(void *arg);

/* Another worker (and ring) starts only when this one is full and work
 * is still waiting: a small tree is copied by one ring with big batches. */
static void maybe_add_worker(struct copier *c)
{
	pthread_mutex_lock(&c->lock);
	unsigned n = atomic_load(&c->nstarted);
	if (c->stack && !c->done && n < c->nworkers && !atomic_load(&c->spawn_failed)) {
		if (pthread_create(&c->tids[n], NULL, worker_main, &c->workers[n]) == 0)
			atomic_store(&c->nstarted, n + 1);
		else
			atomic_store(&c->spawn_failed, true); /* go on with these */
	}
	pthread_mutex_unlock(&c->lock);
}

static void admit(struct worker *w)
{
	if (stop_requested()) {
		struct task *u;
		while ((u = stack_pop(w->c)))
			unit_discard(w, u);
		return;
	}
	while (w->active < w->max_active) {
		struct task *u = stack_pop(w->c);
		if (!u)
			return;
		if (!unit_activate(w, u)) {
			stack_push_list(w->c, u, u); /* again once fds are free */
			w->admit_blocked = true;
			return;
		}
	}
	if (atomic_load(&w->c->nstarted) < w->c->nworkers && !atomic_load(&w->c->spawn_failed))
		maybe_add_worker(w->c);
}

static void reap(struct worker *w)
{
	struct io_uring_cqe *cqes[128];
	unsigned n;
	while ((n = ring_peek(&w->ring, cqes, 128)) > 0) {
		for (unsigned i = 0; i < n; i++) {
			struct op *op = io_uring_cqe_get_data(cqes[i]);
			int res = cqes[i]->res;
			if (!op)
				continue;
			struct task *t = op->task;
			if (op->kind == OP_SLOT) {
				t->res[op->idx] = res;
				if (--t->inflight == 0)
					task_ready(w, t);
			} else {
				filecopy_data_cqe(w, t, op->kind, op->idx, res);
			}
		}
		ring_done(&w->ring, n);
	}
}

static void progress_tick(struct worker *w, bool final)
{
	struct copier *c = w->c;
	if (!c->opt->progress || w->id != 0 || atomic_load(&c->err_gone))
		return;
	double now = now_seconds();
	if (!final && now - w->last_progress < 0.5)
		return;
	w->last_progress = now;
	double el = now - c->start_time;
	unsigned long long bytes = atomic_load(&c->bytes_done);
	unsigned long long seen = atomic_load(&c->bytes_seen);
	double rate = el > 0 ? bytes / el : 0;
	char eta[32] = "--";
	if (rate > 0 && seen >= bytes)
		snprintf(eta, sizeof(eta), "%.0fs", (double)(seen - bytes) / rate);
	unsigned long long same = atomic_load(&c->files_uptodate);
	char uptodate[48] = "";
	if (same)
		snprintf(uptodate, sizeof(uptodate), " (+%llu up to date)", same);
	if (fprintf(stderr, "%sfiles %llu%s  %.1f MiB  %.1f MiB/s  ETA %s (of %.1f MiB found so far)%s",
		    isatty(STDERR_FILENO) ? "\r" : "", (unsigned long long)atomic_load(&c->files_done),
		    uptodate, bytes / 1048576.0, rate / 1048576.0, final ? "0s" : eta,
		    seen / 1048576.0, (final || !isatty(STDERR_FILENO)) ? "\n" : "") < 0 &&
	    errno == EPIPE)
		atomic_store(&c->err_gone, true); /* stderr is a closed pipe: stop the progress */
}

static void worker_loop(struct worker *w)
{
	struct copier *c = w->c;
	for (;;) {
		while (w->dirwait && dirfds_room(c)) {
			struct task *x = w->dirwait;
			w->dirwait = x->next;
			task_ready(w, x);
		}
		admit(w);
		while (w->ready_head && ring_has_room(&w->ring, STEP_MAX)) {
			struct task *t = w->ready_head;
			w->ready_head = t->next;
			if (!w->ready_head)
				w->ready_tail = NULL;
			task_run(w, t);
		}
		progress_tick(w, false);
		if (w->ring.inflight > 0) {
			int rc = ring_submit_and_wait(&w->ring);
			if (rc < 0 && rc != -EINTR && rc != -EAGAIN && rc != -EBUSY) {
				report_error("io_uring", "submit", -rc);
				usleep(1000);
			}
			reap(w);
			continue;
		}
		if (w->ready_head)
			continue;
		if (w->dirwait || w->fdwait) {
			/* Nothing else can move. A directory job may pass the budget
			 * by one; a task waiting for fds (every file slot is free
			 * here: EMFILE lowered the limit; or a directory's fds) tries
			 * again. One of each, so neither kind starves the other;
			 * briefly backing off when they waited already. */
			struct task *x = w->dirwait, *y = w->fdwait;
			if ((x && x->emfile_since) || y)
				usleep(1000);
			if (x) {
				w->dirwait = x->next;
				x->forced = true;
				task_ready(w, x);
			}
			if (y) {
				w->fdwait = y->next;
				y->forced = true; /* (-H links waiting for a directory's fds) */
				task_ready(w, y);
			}
			continue;
		}
		if (w->admit_blocked) {
			/* a batch waits for its directory's fds, held by other
			 * workers: let them move (admit forces it next time if this
			 * worker still has nothing running) */
			w->admit_blocked = false;
			usleep(1000);
			continue;
		}
		pthread_mutex_lock(&c->lock);
		while (!c->stack && !c->done) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 100 * 1000 * 1000;
			if (ts.tv_nsec >= 1000000000) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000;
			}
			pthread_cond_timedwait(&c->cond, &c->lock, &ts);
			if (w->ready_head)
				break;
		}
		bool finished = c->done && !c->stack;
		pthread_mutex_unlock(&c->lock);
		if (finished && !w->ready_head && w->active == 0)
			break;
		progress_tick(w, false);
	}
	progress_tick(w, true);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct copier *c = w->c;
	/* The ring must have room for a task step (STEP_MAX operations,
	 * bounded by its CQ): with fewer entries (--queue-depth 1 or 2) no
	 * task could ever run and the worker spun without end, deaf to
	 * SIGINT. --queue-depth still bounds the entries a worker takes on. */
	unsigned entries = c->opt->queue_depth < STEP_MAX / 2 ? STEP_MAX / 2 : c->opt->queue_depth;
	int rc = ring_init(&w->ring, entries);
	if (rc < 0 && w->id > 0)
		return NULL; /* the workers already running carry on */
	if (rc < 0) {
		report_error("io_uring", "set up ring", -rc);
		pthread_mutex_lock(&c->lock);
		c->setup_error = -rc;
		pthread_mutex_unlock(&c->lock);
		return NULL;
	}
	worker_loop(w);
	buffers_free(w);
	ring_exit(&w->ring);
	return NULL;
}

unsigned long copier_transient_fds(const struct copier *c)
{
	if (c->opt->xattrs && c->is_root)
		return 2; /* xattrs_copy_at(): the source entry and its copy */
	return c->is_root ? 0 : 1; /* dst_dir_open_restrictive() */
}

int copier_run(struct copier *c, int srcfd, int dstfd, const char *srcpath, const char *dstpath,
	       bool dst_created)
{
	c->pid = (unsigned)getpid();
	c->start_time = now_seconds();
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->cond, NULL);
	if (hardlinks_init(c) < 0) {
		report_error("arsync", "set up hard link table", ENOMEM);
		return -1;
	}
	struct dirnode *root = dirnode_new(NULL, srcpath, dstpath, NULL);
	struct task *job = root ? task_new(TASK_DIR, root) : NULL;
	c->workers = calloc(c->nworkers, sizeof(*c->workers));
	if (!root || !job || !c->workers) {
		report_error("arsync", "start", ENOMEM);
		free(job);
		if (root)
			dirnode_unref(NULL, root);
		free(c->workers);
		hardlinks_free(c);
		return -1;
	}
	root->srcfd = srcfd;
	root->dstfd = dstfd;
	root->created = dst_created;
	c->stack = job;

	/* fd budget, beyond the fds open now (roots included), a ring per
	 * worker and the fds it may open for a moment: a quarter for directories (2 fds each; at least 2, a
	 * directory being opened under its parent; and, when a file still
	 * fits, one more let past when nothing else can move), an eighth for
	 * pipes (2 each), the rest for files being copied (2 each). Fewer
	 * workers when fds are few. main() made sure of room for 2
	 * directories and a file. */
	unsigned long avail = c->fd_limit - c->fds_at_start;
	if (c->nworkers > 1 && avail / 16 < c->nworkers)
		c->nworkers = avail / 16 > 1 ? (unsigned)(avail / 16) : 1;
	avail -= c->nworkers * (1 + copier_transient_fds(c));
	unsigned long dirs = avail / 8 > 64 ? 64 : avail / 8 > 2 ? avail / 8 : 2;
	unsigned long pipes = avail / 8 / c->nworkers > 8 ? 8 : avail / 8 / c->nworkers;
	unsigned long used = 2 * dirs + 2 * pipes * c->nworkers;
	c->dirs_slack = avail >= used + 2 + 2 * c->nworkers ? 1 : 0;
	used += 2 * c->dirs_slack;
	unsigned long files = avail > used + 2 * c->nworkers ? (avail - used) / 2 / c->nworkers : 1;
	dirfds_init(c, (unsigned)dirs);
	c->tids = calloc(c->nworkers, sizeof(*c->tids));
	if (!c->tids)
		c->nworkers = 1;
	for (unsigned i = 0; i < c->nworkers; i++) {
		struct worker *w = &c->workers[i];
		w->c = c;
		w->id = i;
		w->max_active = c->opt->queue_depth;
		unsigned want = c->opt->queue_depth / 2 > 4 ? c->opt->queue_depth / 2 : 4;
		w->max_open = files < 1 ? 1 : files < want ? (unsigned)files : want;
		w->max_pipes = (unsigned)pipes; /* at most 8 MiB in splice per worker */
	}
	atomic_init(&c->nstarted, 1);
	atomic_init(&c->spawn_failed, false);
	worker_main(&c->workers[0]);
	pthread_mutex_lock(&c->lock);
	unsigned started = atomic_load(&c->nstarted);
	pthread_mutex_unlock(&c->lock);
	for (unsigned i = 1; i < started; i++)
		pthread_join(c->tids[i], NULL);
	free(c->tids);
	int rc = 0;
	if (!c->done) {
		/* Only when no ring could be set up at all. */
		rc = -1;
		struct task *u;
		while ((u = c->stack)) {
			c->stack = u->next;
			for (int i = 0; i < u->nnames; i++)
				free(u->names[i]);
			free(u->names);
			free(u);
		}
		dirnode_unref(NULL, root);
	}
	hardlinks_free(c);
	dirfds_destroy(c);
	free(c->workers);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->cond);
	return rc;
}
