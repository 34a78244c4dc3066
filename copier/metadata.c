/* metadata.c - ownership, permissions, extended attributes and times.
 *
 * Order matters: chown first (it clears setuid/setgid and file
 * capabilities), then xattrs, then chmod (as rsync: a user who is not
 * root needs write permission to set xattrs, which a 0444 file or a
 * 0555 directory no longer gives), then times last (every change before
 * would bump them). All are direct calls on an fd, one per object; only
 * entries that cannot be opened (symlinks, devices, FIFOs) use a dirfd +
 * name. */
#include "engine.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "errors.h"

#define XATTR_LIST_STACK 4096
#define XATTR_VALUE_MAX (64 * 1024)

static void owner_ids(const struct copier *c, const struct statx *st, uid_t *uid, gid_t *gid)
{
	*uid = (c->opt->owner && c->is_root) ? st->stx_uid : (uid_t)-1;
	*gid = c->opt->group ? st->stx_gid : (gid_t)-1;
}

static mode_t wanted_mode(const struct copier *c, const struct statx *st)
{
	mode_t m = st->stx_mode & 07777;
	return c->opt->perms ? m : (m & ~c->umask & 0777);
}

static bool xattr_wanted(const struct copier *c, const char *name)
{
	if (strncmp(name, "user.", 5) == 0)
		return true;
	/* trusted.* and security.* need root; system.* (ACLs) is not ours. */
	return c->is_root && (strncmp(name, "trusted.", 8) == 0 || strncmp(name, "security.", 9) == 0);
}

/* ---- one object's extended attributes ----
 *
 * An object is an fd open for I/O (regular files, directories), or an
 * O_PATH fd of an entry that cannot be opened so (symlinks, devices,
 * FIFOs). The f*xattr calls refuse O_PATH fds; for those the calls go
 * through /proc/self/fd/N, which resolves to the very inode the fd holds
 * (the jump through the magic link is not a lookup by name, and a
 * symlink it lands on is not followed further). The O_PATH fd itself is
 * opened once, relative to the directory fd and with O_NOFOLLOW: the
 * name is looked up once, so listing, reading and writing all reach one
 * inode even if the name is replaced meanwhile, which the l*xattr calls
 * on "/proc/self/fd/DIRFD/NAME" (one lookup per call) would not give. */
struct xobj {
	int fd;
	bool by_path;
	char path[32]; /* /proc/self/fd/N when by_path */
};

static struct xobj xobj_fd(int fd)
{
	return (struct xobj){ .fd = fd, .by_path = false };
}

/* false (errno set) when the entry cannot be opened. */
static bool xobj_open_at(struct xobj *o, int dirfd, const char *name)
{
	o->fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (o->fd < 0)
		return false;
	o->by_path = true;
	snprintf(o->path, sizeof(o->path), "/proc/self/fd/%d", o->fd);
	return true;
}

static void xobj_close(struct xobj *o)
{
	if (o->by_path && o->fd >= 0)
		close(o->fd);
	o->fd = -1;
}

static ssize_t x_list(const struct xobj *o, char *buf, size_t size)
{
	return o->by_path ? listxattr(o->path, buf, size) : flistxattr(o->fd, buf, size);
}

static ssize_t x_get(const struct xobj *o, const char *an, void *buf, size_t size)
{
	return o->by_path ? getxattr(o->path, an, buf, size) : fgetxattr(o->fd, an, buf, size);
}

static int x_set(const struct xobj *o, const char *an, const void *v, size_t size)
{
	return o->by_path ? setxattr(o->path, an, v, size, 0) : fsetxattr(o->fd, an, v, size, 0);
}

static int x_remove(const struct xobj *o, const char *an)
{
	return o->by_path ? removexattr(o->path, an) : fremovexattr(o->fd, an);
}

/* The names of o's extended attributes: NUL-separated, *len bytes, in
 * stackbuf or a malloc'd buffer (free it when it is not stackbuf). NULL
 * with errno set on failure. */
static char *x_names(const struct xobj *o, char *stackbuf, size_t stacksize, ssize_t *len)
{
	ssize_t n = x_list(o, stackbuf, stacksize);
	if (n >= 0 || errno != ERANGE) {
		*len = n;
		return n < 0 ? NULL : stackbuf;
	}
	for (int tries = 0; tries < 4; tries++) { /* (the list may grow meanwhile) */
		ssize_t want = x_list(o, NULL, 0);
		if (want < 0)
			return NULL;
		char *buf = malloc((size_t)want + 1);
		if (!buf) {
			errno = ENOMEM;
			return NULL;
		}
		n = x_list(o, buf, (size_t)want + 1);
		if (n >= 0) {
			*len = n;
			return buf;
		}
		free(buf);
		if (errno != ERANGE)
			return NULL;
	}
	return NULL;
}

static bool in_list(const char *list, ssize_t n, const char *name)
{
	for (ssize_t off = 0; off < n;) {
		if (strcmp(list + off, name) == 0)
			return true;
		off += (ssize_t)strlen(list + off) + 1;
	}
	return false;
}

/* Extended attributes of an existing destination object that the source
 * does not have are removed, as rsync does (only in the namespaces that
 * are copied). */
static void xattrs_prune(struct copier *c, const struct xobj *dst, const char *srclist, ssize_t srcn,
			 const struct dirnode *dir, const char *name)
{
	char stackbuf[XATTR_LIST_STACK];
	ssize_t n;
	char *list = x_names(dst, stackbuf, sizeof(stackbuf), &n);
	if (!list) {
		if (errno != ENOTSUP)
			report_entry_error(dir->dstpath, name, "list extended attributes", errno);
		return;
	}
	for (ssize_t off = 0; off < n;) {
		const char *an = list + off;
		off += (ssize_t)strlen(an) + 1;
		if (xattr_wanted(c, an) && !in_list(srclist, srcn, an) && x_remove(dst, an) < 0 &&
		    errno != ENODATA)
			report_entry_error(dir->dstpath, name, "remove extended attribute", errno);
	}
	if (list != stackbuf)
		free(list);
}

static void xattrs_copy(struct copier *c, const struct xobj *src, const struct xobj *dst,
			bool prune, const struct dirnode *dir, const char *name)
{
	char stackbuf[XATTR_LIST_STACK];
	ssize_t n;
	char *list = x_names(src, stackbuf, sizeof(stackbuf), &n);
	if (!list) {
		if (errno != ENOTSUP)
			report_entry_error(dir->path, name, "list extended attributes", errno);
		return;
	}
	if (prune)
		xattrs_prune(c, dst, list, n, dir, name);
	char *value = NULL;
	for (ssize_t off = 0; off < n;) {
		const char *an = list + off;
		off += (ssize_t)strlen(an) + 1;
		if (!xattr_wanted(c, an))
			continue;
		if (!value && !(value = malloc(XATTR_VALUE_MAX))) {
			report_entry_error(dir->path, name, "read extended attribute", ENOMEM);
			break;
		}
		ssize_t vl = x_get(src, an, value, XATTR_VALUE_MAX);
		if (vl < 0) {
			if (errno != ENODATA)
				report_entry_error(dir->path, name, "read extended attribute", errno);
			continue;
		}
		if (x_set(dst, an, value, (size_t)vl) < 0)
			report_entry_error(dir->dstpath, name, "set extended attribute", errno);
	}
	free(value);
	if (list != stackbuf)
		free(list);
}

static void times_of(const struct statx *st, struct timespec ts[2])
{
	ts[0].tv_sec = st->stx_atime.tv_sec;
	ts[0].tv_nsec = st->stx_atime.tv_nsec;
	ts[1].tv_sec = st->stx_mtime.tv_sec;
	ts[1].tv_nsec = st->stx_mtime.tv_nsec;
}

void metadata_apply_fd(struct copier *c, int srcfd, int dstfd, const struct statx *st,
		       unsigned flags, const struct dirnode *dir, const char *name)
{
	const struct arsync_options *o = c->opt;
	bool set_mode = flags & META_MODE;
	uid_t uid;
	gid_t gid;
	owner_ids(c, st, &uid, &gid);
	if (!(flags & META_OWNER))
		uid = (uid_t)-1, gid = (gid_t)-1;
	if ((uid != (uid_t)-1 || gid != (gid_t)-1) && fchown(dstfd, uid, gid) < 0 &&
	    !(errno == EPERM && !c->is_root))
		report_entry_error(dir->dstpath, name, "set owner", errno);
	if (o->xattrs && srcfd >= 0) {
		struct xobj src = xobj_fd(srcfd), dst = xobj_fd(dstfd);
		xattrs_copy(c, &src, &dst, flags & META_XATTR_PRUNE, dir, name);
	}
	if (set_mode && fchmod(dstfd, wanted_mode(c, st)) < 0)
		report_entry_error(dir->dstpath, name, "set permissions", errno);
	if (o->times) {
		struct timespec ts[2];
		times_of(st, ts);
		if (futimens(dstfd, ts) < 0)
			report_entry_error(dir->dstpath, name, "set times", errno);
	}
}

/* Extended attributes of a symlink, device or FIFO: only as root. A user
 * who is not root copies user.* alone, which Linux allows on regular
 * files and directories only. The destination entry was just made (under
 * its name or a temporary one): nothing to prune. */
static void xattrs_copy_at(struct copier *c, int srcdirfd, const char *srcname, int dirfd,
			   const char *name, const struct dirnode *dir)
{
	struct xobj src, dst;
	if (!xobj_open_at(&src, srcdirfd, srcname)) {
		report_source_error(dir->path, srcname, "read extended attributes", errno);
		return;
	}
	if (!xobj_open_at(&dst, dirfd, name)) {
		report_entry_error(dir->dstpath, srcname, "set extended attribute", errno);
		xobj_close(&src);
		return;
	}
	xattrs_copy(c, &src, &dst, false, dir, srcname);
	xobj_close(&dst);
	xobj_close(&src);
}

void metadata_apply_at(struct copier *c, int srcdirfd, const char *srcname, int dirfd,
		       const char *name, const struct statx *st, bool is_symlink,
		       const struct dirnode *dir)
{
	const struct arsync_options *o = c->opt;
	uid_t uid;
	gid_t gid;
	owner_ids(c, st, &uid, &gid);
	if ((uid != (uid_t)-1 || gid != (gid_t)-1) &&
	    fchownat(dirfd, name, uid, gid, AT_SYMLINK_NOFOLLOW) < 0 && !(errno == EPERM && !c->is_root))
		report_entry_error(dir->dstpath, srcname, "set owner", errno);
	if (o->xattrs && c->is_root)
		xattrs_copy_at(c, srcdirfd, srcname, dirfd, name, dir);
	if (!is_symlink && fchmodat(dirfd, name, wanted_mode(c, st), 0) < 0)
		report_entry_error(dir->dstpath, srcname, "set permissions", errno);
	if (o->times) {
		struct timespec ts[2];
		times_of(st, ts);
		if (utimensat(dirfd, name, ts, AT_SYMLINK_NOFOLLOW) < 0)
			report_entry_error(dir->dstpath, srcname, "set times", errno);
	}
}
