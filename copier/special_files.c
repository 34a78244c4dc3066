/* special_files.c - entries without data to copy: symlinks, devices and
 * FIFOs, and -H hard links to an already copied entry.
 *
 * With -H, a symlink, device or FIFO with more than one name first claims
 * its group, as a regular file does (hardlinks.c): the first name is
 * made, the others are linked to it.
 *
 * Each is created under its final name; if that name is taken, it is
 * created under a temporary name and renamed over it, so the existing
 * entry is replaced, never followed, and never lost on error. An empty
 * directory in the way is removed first, as rsync does; a non-empty one
 * stays and the entry fails (see remove_dir_in_way()). */
#include "engine.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "errors.h"
#include "interrupt.h"

enum special_phase {
	SP_START,
	SP_MADE,
	SP_TMP_MADE,
	SP_RENAMED,
	SP_CLEANED,
	SP_DIR_REMOVED,
};

/* Queues renameat(tmp -> name); with unlink_after, also an unlinkat(tmp)
 * that runs whatever the rename did (renaming onto another link of the
 * same inode succeeds and leaves tmp in place). */
static void replace_with_tmp(struct worker *w, struct task *t, bool unlink_after)
{
	int dfd = t->dir->dstfd;
	if (unlink_after)
		ring_reserve(&w->ring, 2);
	struct io_uring_sqe *sqe = task_sqe(w, t, 0);
	io_uring_prep_renameat(sqe, dfd, t->tmpname, dfd, t->name, 0);
	if (unlink_after) {
		sqe->flags |= IOSQE_IO_HARDLINK;
		sqe = task_sqe(w, t, 1);
		io_uring_prep_unlinkat(sqe, dfd, t->tmpname, 0);
	}
	t->phase = SP_RENAMED;
}

/* The rename onto the name failed with EISDIR: a directory has the
 * name. As rsync, remove it if it is empty (rmdir fails on anything
 * else); false if that was tried already. */
static bool remove_dir_in_way(struct worker *w, struct task *t, int res)
{
	if (res != -EISDIR || t->rmdir_tried)
		return false;
	t->rmdir_tried = true;
	struct io_uring_sqe *sqe = task_sqe(w, t, 0);
	io_uring_prep_unlinkat(sqe, t->dir->dstfd, t->name, AT_REMOVEDIR);
	t->phase = SP_DIR_REMOVED;
	return true;
}

static void cleanup_tmp(struct worker *w, struct task *t)
{
	struct io_uring_sqe *sqe = task_sqe(w, t, 0);
	io_uring_prep_unlinkat(sqe, t->dir->dstfd, t->tmpname, 0);
	t->phase = SP_CLEANED;
}

/* -H: a name of an inode with several names claims its group. true when
 * the task went elsewhere: parked until the group's first name is made,
 * or turned into a link to it. */
static bool claimed_as_link(struct worker *w, struct task *t)
{
	if (!w->c->opt->hardlinks || t->st.stx_nlink < 2)
		return false;
	switch (hardlink_claim(w->c, t)) {
	case HL_WAIT:
		w->active--; /* parked in its group until the leader is done */
		return true;
	case HL_LINK:
		t->role = ROLE_HARDLINK;
		hardlink_start(w, t);
		return true;
	case HL_LEADER:
	case HL_COPY:
		break;
	}
	return false;
}

/* The entry is done with; a -H leader tells its group how it went. */
static void special_end(struct worker *w, struct task *t, bool ok)
{
	if (t->group)
		hardlink_leader_done(w, t, ok);
	task_finish(w, t);
}

/* ---- symlinks ---- */

static char *read_target(struct task *t)
{
	size_t cap = (size_t)t->st.stx_size + 2;
	for (;;) {
		char *buf = malloc(cap);
		if (!buf) {
			errno = ENOMEM;
			return NULL;
		}
		ssize_t n = readlinkat(t->dir->srcfd, t->name, buf, cap);
		if (n < 0) {
			free(buf);
			return NULL;
		}
		if ((size_t)n < cap) {
			buf[n] = '\0';
			return buf;
		}
		free(buf);
		cap *= 2; /* the link changed under us: try a bigger buffer */
	}
}

/* Phase SP_START: also where a -H name handed back by its group starts. */
static void symlink_begin(struct worker *w, struct task *t)
{
	t->target = read_target(t);
	if (!t->target) {
		report_source_error(t->dir->path, t->name, "read symlink", errno);
		special_end(w, t, false);
		return;
	}
	struct io_uring_sqe *sqe = task_sqe(w, t, 0);
	io_uring_prep_symlinkat(sqe, t->target, t->dir->dstfd, t->name);
	t->phase = SP_MADE;
}

void symlink_start(struct worker *w, struct task *t)
{
	if (!claimed_as_link(w, t))
		symlink_begin(w, t);
}

static void symlink_done(struct worker *w, struct task *t)
{
	struct copier *c = w->c;
	atomic_fetch_add(&c->files_done, 1);
	if (c->opt->verbose) {
		char *sfx = NULL;
		if (asprintf(&sfx, " -> %s", t->target) > 0)
			verbose_line(c, t->dir, t->name, sfx);
		free(sfx);
	}
	special_end(w, t, true);
}

void symlink_run(struct worker *w, struct task *t)
{
	struct copier *c = w->c;
	int res = t->res[0];
	struct io_uring_sqe *sqe;
	switch (t->phase) {
	case SP_START:
		symlink_begin(w, t);
		return;
	case SP_MADE:
		if (res == 0) {
			metadata_apply_at(c, t->dir->srcfd, t->name, t->dir->dstfd, t->name, &t->st, true,
					  t->dir);
			symlink_done(w, t);
			return;
		}
		if (res != -EEXIST || !(t->tmpname = temp_name(c, t->name))) {
			report_entry_error(t->dir->dstpath, t->name, "create symlink", -res);
			special_end(w, t, false);
			return;
		}
		sqe = task_sqe(w, t, 0);
		io_uring_prep_symlinkat(sqe, t->target, t->dir->dstfd, t->tmpname);
		t->phase = SP_TMP_MADE;
		return;
	case SP_TMP_MADE:
		if (res < 0) {
			report_entry_error(t->dir->dstpath, t->name, "create symlink", -res);
			special_end(w, t, false);
			return;
		}
		metadata_apply_at(c, t->dir->srcfd, t->name, t->dir->dstfd, t->tmpname, &t->st, true,
				  t->dir);
		replace_with_tmp(w, t, false);
		return;
	case SP_RENAMED:
		if (remove_dir_in_way(w, t, res))
			return;
		if (res < 0) {
			report_entry_error(t->dir->dstpath, t->name, "replace with symlink", -res);
			cleanup_tmp(w, t);
			return;
		}
		symlink_done(w, t);
		return;
	case SP_DIR_REMOVED:
		if (res < 0) {
			report_entry_error(t->dir->dstpath, t->name, "remove the directory in the way", -res);
			cleanup_tmp(w, t);
			return;
		}
		replace_with_tmp(w, t, false);
		return;
	case SP_CLEANED:
		special_end(w, t, false);
		return;
	}
}

/* ---- devices, FIFOs, sockets (no io_uring opcode for mknod) ---- */

static int make_node(struct task *t, const char *name)
{
	dev_t dev = makedev(t->st.stx_rdev_major, t->st.stx_rdev_minor);
	mode_t mode = (t->st.stx_mode & S_IFMT) | 0600;
	return mknodat(t->dir->dstfd, name, mode, dev) < 0 ? -errno : 0;
}

static void device_made(struct worker *w, struct task *t, const char *name)
{
	metadata_apply_at(w->c, t->dir->srcfd, t->name, t->dir->dstfd, name, &t->st, false,
			  t->dir);
}

/* Phase SP_START: also where a -H name handed back by its group starts. */
static void device_begin(struct worker *w, struct task *t)
{
	struct copier *c = w->c;
	int rc = make_node(t, t->name);
	if (rc == 0) {
		device_made(w, t, t->name);
		verbose_line(c, t->dir, t->name, "");
		special_end(w, t, true);
		return;
	}
	if (rc != -EEXIST || !(t->tmpname = temp_name(c, t->name))) {
		report_entry_error(t->dir->dstpath, t->name, "create special file", -rc);
		special_end(w, t, false);
		return;
	}
	rc = make_node(t, t->tmpname);
	if (rc < 0) {
		report_entry_error(t->dir->dstpath, t->name, "create special file", -rc);
		special_end(w, t, false);
		return;
	}
	device_made(w, t, t->tmpname);
	replace_with_tmp(w, t, false);
}

void device_start(struct worker *w, struct task *t)
{
	if (!claimed_as_link(w, t))
		device_begin(w, t);
}

void device_run(struct worker *w, struct task *t)
{
	int res = t->res[0];
	switch (t->phase) {
	case SP_START:
		device_begin(w, t);
		return;
	case SP_RENAMED:
		if (remove_dir_in_way(w, t, res))
			return;
		if (res < 0) {
			report_entry_error(t->dir->dstpath, t->name, "replace with special file", -res);
			cleanup_tmp(w, t);
			return;
		}
		verbose_line(w->c, t->dir, t->name, "");
		special_end(w, t, true);
		return;
	case SP_DIR_REMOVED:
		if (res < 0) {
			report_entry_error(t->dir->dstpath, t->name, "remove the directory in the way", -res);
			cleanup_tmp(w, t);
			return;
		}
		replace_with_tmp(w, t, false);
		return;
	default: /* SP_CLEANED */
		special_end(w, t, false);
		return;
	}
}

/* ---- -H: link to the leader ---- */

static void hardlink_end(struct worker *w, struct task *t, bool ok);

void hardlink_start(struct worker *w, struct task *t)
{
	if (!t->linkdir_held && t->linkdir->parent) {
		/* the leader's directory may be done, its fds closed by the budget */
		int r = stop_requested() ? -EINTR : dirfds_acquire(w, t->linkdir, t->forced);
		if (r == -EAGAIN && (!t->forced || !dirfds_patience_over(t))) {
			/* Again when fds are freed, holding none meanwhile (tasks
			 * each holding one directory and waiting for another would
			 * wait for each other): task_run() takes its own back. */
			t->forced = false;
			t->phase = SP_START;
			task_park_dir(t);
			t->next = w->fdwait;
			w->fdwait = t;
			return;
		}
		t->forced = false;
		if (r == -EAGAIN)
			report_entry_error(t->dir->dstpath, t->name,
					   "open the directory of its first name again", EMFILE);
		else if (r < 0 && r != -EINTR) /* (why was said for that directory) */
			report_entry_reason(t->dir->dstpath, t->name, "create hard link",
					    "the directory of its first name cannot be opened again");
		if (r < 0) {
			hardlink_end(w, t, false);
			return;
		}
		t->linkdir_held = true;
	}
	struct io_uring_sqe *sqe = task_sqe(w, t, 0);
	io_uring_prep_linkat(sqe, t->linkdir->dstfd, t->target, t->dir->dstfd, t->name, 0);
	t->phase = SP_MADE;
}

static void hardlink_end(struct worker *w, struct task *t, bool ok)
{
	struct copier *c = w->c;
	if (ok) {
		atomic_fetch_add(&c->files_done, 1);
		if (c->opt->verbose) {
			char *sfx = NULL;
			if (asprintf(&sfx, " => %s%s%s", t->linkdir->relpath,
				     t->linkdir->relpath[0] ? "/" : "", t->target) > 0)
				verbose_line(c, t->dir, t->name, sfx);
			free(sfx);
		}
	}
	if (t->linkdir_held) {
		t->linkdir_held = false;
		dirfds_release(t->linkdir);
	}
	hardlink_link_done(w, t);
	task_finish(w, t);
}

void hardlink_run(struct worker *w, struct task *t)
{
	struct copier *c = w->c;
	int res = t->res[0];
	struct io_uring_sqe *sqe;
	switch (t->phase) {
	case SP_START:
		hardlink_start(w, t);
		return;
	case SP_MADE:
		if (res == 0) {
			hardlink_end(w, t, true);
			return;
		}
		if (res != -EEXIST || !(t->tmpname = temp_name(c, t->name))) {
			report_entry_error(t->dir->dstpath, t->name, "create hard link", -res);
			hardlink_end(w, t, false);
			return;
		}
		sqe = task_sqe(w, t, 0);
		io_uring_prep_linkat(sqe, t->linkdir->dstfd, t->target, t->dir->dstfd, t->tmpname, 0);
		t->phase = SP_TMP_MADE;
		return;
	case SP_TMP_MADE:
		if (res < 0) {
			report_entry_error(t->dir->dstpath, t->name, "create hard link", -res);
			hardlink_end(w, t, false);
			return;
		}
		replace_with_tmp(w, t, true);
		return;
	case SP_RENAMED:
		/* (the temporary link is gone, whatever the rename did) */
		if (remove_dir_in_way(w, t, res))
			return;
		if (res < 0)
			report_entry_error(t->dir->dstpath, t->name, "replace with hard link", -res);
		hardlink_end(w, t, res >= 0);
		return;
	case SP_DIR_REMOVED:
		if (res < 0) {
			report_entry_error(t->dir->dstpath, t->name, "remove the directory in the way", -res);
			hardlink_end(w, t, false);
			return;
		}
		free(t->tmpname);
		t->tmpname = NULL;
		hardlink_start(w, t);
		return;
	}
}
