/* dirfds.c - directory fds within a budget, whatever the tree's shape.
 *
 * Every directory being copied has a source and a destination fd. Tasks
 * that use them count as its users; a directory without users (listed,
 * its entries done, only subdirectories still going) is idle. Open
 * directories sit on a list, least recently used first: when a directory
 * must be opened and the budget (copier.max_dirs) is full, the idle ones
 * at the head of the list are closed (those whose names still wait on the
 * stack only when nothing else can move). A task that has to wait (for a
 * file slot, for fds) holds no directory meanwhile, so tasks never wait
 * for each other's directories. One closed this way is opened again
 * when it is needed (its subdirectory to open, its metadata to set, a
 * hard link into it): by its parent's fd and its name, O_NOFOLLOW, never
 * by a path from the root, and only if it is still the same directory
 * (device and inode recorded when it was closed). Its closed ancestors
 * are opened first, top down. These opens and closes are direct system
 * calls: they happen only when the budget is short. The roots are never
 * closed. */
#include "engine.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "errors.h"

#define DIR_OPEN_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
#define FD_PATIENCE 10.0 /* seconds a task waits for a directory's fds */

void dirfds_init(struct copier *c, unsigned max_dirs)
{
	pthread_mutex_init(&c->fd_lock, NULL);
	c->lru_head = c->lru_tail = NULL;
	atomic_init(&c->open_dirs, 0);
	atomic_init(&c->max_dirs, max_dirs);
}

void dirfds_destroy(struct copier *c)
{
	pthread_mutex_destroy(&c->fd_lock);
}

static void lru_remove(struct copier *c, struct dirnode *d)
{
	if (!d->on_lru)
		return;
	if (d->lru_prev)
		d->lru_prev->lru_next = d->lru_next;
	else
		c->lru_head = d->lru_next;
	if (d->lru_next)
		d->lru_next->lru_prev = d->lru_prev;
	else
		c->lru_tail = d->lru_prev;
	d->lru_prev = d->lru_next = NULL;
	d->on_lru = false;
}

static void lru_append(struct copier *c, struct dirnode *d)
{
	lru_remove(c, d);
	d->lru_prev = c->lru_tail;
	d->lru_next = NULL;
	if (c->lru_tail)
		c->lru_tail->lru_next = d;
	else
		c->lru_head = d;
	c->lru_tail = d;
	d->on_lru = true;
}

/* Closes d's fds (d idle), remembering which directories they were. */
static void close_idle(struct copier *c, struct dirnode *d)
{
	struct stat s, ds;
	bool known = fstat(d->srcfd, &s) == 0 && fstat(d->dstfd, &ds) == 0;
	d->src_dev = known ? s.st_dev : 0;
	d->src_ino = known ? s.st_ino : 0;
	d->dst_dev = known ? ds.st_dev : 0;
	d->dst_ino = known ? ds.st_ino : 0;
	close(d->srcfd);
	close(d->dstfd);
	d->srcfd = d->dstfd = -1;
	d->closed = true;
	lru_remove(c, d);
	if (d->counted) {
		d->counted = false;
		atomic_fetch_sub(&c->open_dirs, 1);
	}
}

/* Room for one more open directory, closing idle ones if need be (lock
 * held): those with nothing of their own left to do (only
 * subdirectories); with force (nothing else can move) also those whose
 * names wait on the stack, and one directory more than the budget may
 * be open if the budget kept fds for it (dirs_slack), so that files
 * still get theirs. */
static bool make_room(struct copier *c, bool force)
{
	for (int pass = 0; pass < (force ? 2 : 1); pass++) {
		struct dirnode *d = c->lru_head;
		while (atomic_load(&c->open_dirs) >= atomic_load(&c->max_dirs) && d) {
			struct dirnode *next = d->lru_next;
			if (atomic_load(&d->users) == 0 && (pass || atomic_load(&d->queued) == 0))
				close_idle(c, d);
			d = next;
		}
	}
	return atomic_load(&c->open_dirs) < atomic_load(&c->max_dirs) + (force ? c->dirs_slack : 0);
}

bool dirfds_patience_over(struct task *t)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	double now = (double)ts.tv_sec + ts.tv_nsec / 1e9;
	if (t->emfile_since == 0)
		t->emfile_since = now;
	return now - t->emfile_since > FD_PATIENCE;
}

bool dirfds_room(struct copier *c)
{
	pthread_mutex_lock(&c->fd_lock);
	bool ok = make_room(c, false);
	pthread_mutex_unlock(&c->fd_lock);
	return ok;
}

bool dirfds_reserve(struct copier *c, struct dirnode *d, bool force)
{
	pthread_mutex_lock(&c->fd_lock);
	bool ok = make_room(c, force);
	if (ok && !d->counted) {
		d->counted = true;
		atomic_fetch_add(&c->open_dirs, 1);
	}
	pthread_mutex_unlock(&c->fd_lock);
	return ok;
}

void dirfds_opened(struct copier *c, struct dirnode *d)
{
	atomic_store(&d->users, 1);
	pthread_mutex_lock(&c->fd_lock);
	lru_append(c, d);
	pthread_mutex_unlock(&c->fd_lock);
}

static bool same_dir(int fd, dev_t dev, ino_t ino)
{
	struct stat s;
	return fstat(fd, &s) == 0 && S_ISDIR(s.st_mode) && s.st_dev == dev && s.st_ino == ino;
}

/* Every idle directory closed, whatever the budget (lock held). */
static void close_all_idle(struct copier *c)
{
	for (struct dirnode *d = c->lru_head, *next; d; d = next) {
		next = d->lru_next;
		if (atomic_load(&d->users) == 0)
			close_idle(c, d);
	}
}

/* Opens NAME in both directories of p: 0, or the errno of the side that
 * failed (*dst_side set when it is the destination), nothing left open. */
static int open_pair(struct dirnode *p, const char *name, int *s, int *ds, bool *dst_side)
{
	*ds = -1;
	*dst_side = false;
	*s = openat(p->srcfd, name, DIR_OPEN_FLAGS);
	if (*s < 0)
		return errno;
	*ds = openat(p->dstfd, name, DIR_OPEN_FLAGS);
	if (*ds < 0) {
		int e = errno;
		close(*s);
		*s = -1;
		*dst_side = true;
		return e;
	}
	return 0;
}

/* Opens x, closed by the budget, from its open parent (lock held):
 * 0, -EAGAIN (no room, or out of fds even with every idle directory
 * closed) or -errno (x is lost, said once). */
static int reopen_one(struct copier *c, struct dirnode *x, bool force)
{
	struct dirnode *p = x->parent;
	int s, ds, e;
	bool dst_side;
	atomic_fetch_add(&p->users, 1); /* not the one closed to make room */
	if (!make_room(c, force)) {
		/* the caller waits, holding no other directory meanwhile */
		atomic_fetch_sub(&p->users, 1);
		return -EAGAIN;
	}
	e = open_pair(p, x->name, &s, &ds, &dst_side);
	if (e == EMFILE || e == ENFILE) {
		/* The budget was too generous (fds of files, pipes, other
		 * processes' limits): tighter from now on, and try once more. */
		unsigned open = atomic_load(&c->open_dirs);
		atomic_store(&c->max_dirs, open > 3 ? open - 1 : 2);
		close_all_idle(c);
		e = open_pair(p, x->name, &s, &ds, &dst_side);
	}
	atomic_fetch_sub(&p->users, 1);
	if (e == EMFILE || e == ENFILE)
		return -EAGAIN;
	const char *side = dst_side ? x->dstpath : x->path;
	if (!e && !same_dir(s, x->src_dev, x->src_ino))
		e = ESTALE;
	else if (!e && !same_dir(ds, x->dst_dev, x->dst_ino))
		e = ESTALE, side = x->dstpath;
	if (e) {
		if (s >= 0)
			close(s);
		if (ds >= 0)
			close(ds);
		x->lost = true;
		if (e == ESTALE)
			report_entry_reason(side, NULL, "open directory again",
					    "replaced by another directory during the copy");
		else
			report_error(side, "open directory again", e);
		return -e;
	}
	x->srcfd = s;
	x->dstfd = ds;
	x->closed = false;
	x->counted = true;
	atomic_fetch_add(&c->open_dirs, 1);
	lru_append(c, x);
	return 0;
}

/* Fds closed through the ring are closed only once submitted: before
 * opening more, let those go. */
static void flush_closes(struct worker *w)
{
	if (io_uring_sq_ready(&w->ring.uring))
		io_uring_submit(&w->ring.uring);
}

int dirfds_acquire(struct worker *w, struct dirnode *d, bool force)
{
	struct copier *c = w->c;
	if (!d->parent) /* a root: always open */
		return 0;
	int rc = 0;
	pthread_mutex_lock(&c->fd_lock);
	if (d->srcfd < 0)
		flush_closes(w);
	while (d->srcfd < 0) {
		/* the closed directory nearest the root on d's path */
		struct dirnode *x = d;
		for (struct dirnode *a = d->parent; a->parent && a->srcfd < 0; a = a->parent)
			x = a;
		if (x->lost || !x->closed) {
			rc = -EBADF; /* failed before, and said so; or never opened */
			break;
		}
		if ((rc = reopen_one(c, x, force)) < 0)
			break;
	}
	if (rc == 0) {
		atomic_fetch_add(&d->users, 1);
		lru_append(c, d);
	}
	pthread_mutex_unlock(&c->fd_lock);
	return rc;
}

void dirfds_reopen_parent(struct worker *w, struct dirnode *d)
{
	struct copier *c = w->c;
	struct dirnode *p = d->parent;
	if (!p || !p->parent || d->srcfd < 0 || d->dstfd < 0)
		return;
	pthread_mutex_lock(&c->fd_lock);
	if (p->srcfd < 0 && p->closed && !p->lost) {
		flush_closes(w);
		int s = -1, ds = -1;
		if (make_room(c, false)) /* else opened by name when it completes */
			s = openat(d->srcfd, "..", DIR_OPEN_FLAGS);
		if (s >= 0)
			ds = openat(d->dstfd, "..", DIR_OPEN_FLAGS);
		if (ds >= 0 && same_dir(s, p->src_dev, p->src_ino) &&
		    same_dir(ds, p->dst_dev, p->dst_ino)) {
			p->srcfd = s;
			p->dstfd = ds;
			p->closed = false;
			p->counted = true;
			atomic_fetch_add(&c->open_dirs, 1);
			lru_append(c, p);
		} else {
			/* moved since: opened again by name when needed, or said then */
			if (s >= 0)
				close(s);
			if (ds >= 0)
				close(ds);
		}
	}
	pthread_mutex_unlock(&c->fd_lock);
}

void dirfds_hold(struct dirnode *d)
{
	atomic_fetch_add(&d->users, 1);
}

void dirfds_release(struct dirnode *d)
{
	atomic_fetch_sub(&d->users, 1);
}

void dirfds_forget(struct copier *c, struct dirnode *d)
{
	pthread_mutex_lock(&c->fd_lock);
	lru_remove(c, d);
	pthread_mutex_unlock(&c->fd_lock);
}
