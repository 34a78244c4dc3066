/* metadata.c - ownership, permissions, extended attributes and times.
 *
 * Order matters: chown first (it clears setuid/setgid), then chmod, then
 * xattrs, then times last (every change before would bump them). All are
 * direct calls on an fd, one per object; only entries that cannot be
 * opened (symlinks, devices, FIFOs) use a dirfd + name. */
#include "engine.h"

#include <errno.h>
#include <fcntl.h>
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

static void xattrs_copy(struct copier *c, int srcfd, int dstfd, const struct dirnode *dir,
			const char *name)
{
	char stackbuf[XATTR_LIST_STACK];
	char *list = stackbuf;
	ssize_t n = flistxattr(srcfd, list, sizeof(stackbuf));
	if (n < 0 && errno == ERANGE) {
		ssize_t want = flistxattr(srcfd, NULL, 0);
		if (want > 0 && (list = malloc((size_t)want)))
			n = flistxattr(srcfd, list, (size_t)want);
		else
			list = stackbuf;
	}
	if (n < 0) {
		if (errno != ENOTSUP)
			report_entry_error(dir->path, name, "list extended attributes", errno);
		goto out;
	}
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
		ssize_t vl = fgetxattr(srcfd, an, value, XATTR_VALUE_MAX);
		if (vl < 0) {
			if (errno != ENODATA)
				report_entry_error(dir->path, name, "read extended attribute", errno);
			continue;
		}
		if (fsetxattr(dstfd, an, value, (size_t)vl, 0) < 0)
			report_entry_error(dir->dstpath, name, "set extended attribute", errno);
	}
	free(value);
out:
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
	if (set_mode && fchmod(dstfd, wanted_mode(c, st)) < 0)
		report_entry_error(dir->dstpath, name, "set permissions", errno);
	if (o->xattrs && srcfd >= 0)
		xattrs_copy(c, srcfd, dstfd, dir, name);
	if (o->times) {
		struct timespec ts[2];
		times_of(st, ts);
		if (futimens(dstfd, ts) < 0)
			report_entry_error(dir->dstpath, name, "set times", errno);
	}
}

void metadata_apply_at(struct copier *c, int dirfd, const char *name, const struct statx *st,
		       bool is_symlink, const char *dstdir)
{
	const struct arsync_options *o = c->opt;
	uid_t uid;
	gid_t gid;
	owner_ids(c, st, &uid, &gid);
	if ((uid != (uid_t)-1 || gid != (gid_t)-1) &&
	    fchownat(dirfd, name, uid, gid, AT_SYMLINK_NOFOLLOW) < 0 && !(errno == EPERM && !c->is_root))
		report_entry_error(dstdir, name, "set owner", errno);
	if (!is_symlink && fchmodat(dirfd, name, wanted_mode(c, st), 0) < 0)
		report_entry_error(dstdir, name, "set permissions", errno);
	if (o->times) {
		struct timespec ts[2];
		times_of(st, ts);
		if (utimensat(dirfd, name, ts, AT_SYMLINK_NOFOLLOW) < 0)
			report_entry_error(dstdir, name, "set times", errno);
	}
}
