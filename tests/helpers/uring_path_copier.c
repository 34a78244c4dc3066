/* uring_path_copier: a test copier that names its files inside io_uring,
 * where strace cannot see the names.
 *
 * Usage: uring_path_copier --abs|--dirfd SRC DST   (or: abs|dirfd SRC DST)
 *
 * Copies the tree SRC into DST (created if missing): directories, regular
 * files (their content) and symlinks. STATX, OPENAT, MKDIRAT, SYMLINKAT,
 * READ, WRITE and CLOSE all go through one ring; only listing a directory
 * (getdents64), opening one for that, and readlink stay direct syscalls,
 * io_uring having no opcode for them.
 *
 * --abs: every ring operation names its file by absolute path with
 * AT_FDCWD, and each source file is STATXed, then opened by the same path:
 * per file three path-based operations and one check-then-use pair, all
 * inside the ring. arsync-analyze must fail it when it captures the ring's
 * arguments, and say it could not verify it when it cannot.
 *
 * --dirfd: each directory is opened once and its entries are named
 * relative to it, one name each; a source file is opened first and then
 * STATXed through its fd (AT_EMPTY_PATH): nothing named by path but the
 * SRC and DST operands, no check-then-use pair.
 *
 * With URING_PATH_COPIER_ESCAPE=FILE set, after the copy it also creates
 * FILE (an absolute path outside both trees) through the ring (OPENAT with
 * O_CREAT, WRITE, CLOSE), then removes it through the ring (UNLINKAT): two
 * escapes only the ring capture can see.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define QUEUE_DEPTH 8
#define CHUNK (128 * 1024)

struct copier {
	struct io_uring ring;
	bool abs;
	char buf[CHUNK];
};

static int fail(const char *what, const char *path, int err)
{
	fprintf(stderr, "uring_path_copier: %s %s: %s\n", what, path, strerror(err));
	return -1;
}

static struct io_uring_sqe *next_sqe(struct copier *c, unsigned index)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&c->ring);
	if (sqe)
		io_uring_sqe_set_data64(sqe, index);
	return sqe;
}

/* Submits the N prepared requests in one io_uring_enter and waits for
 * them: RES[i] is the result of the request with user_data i. */
static int submit_wait(struct copier *c, unsigned n, int *res)
{
	int r = io_uring_submit_and_wait(&c->ring, n);
	if (r < 0)
		return r;
	for (unsigned i = 0; i < n; i++) {
		struct io_uring_cqe *cqe;
		r = io_uring_wait_cqe(&c->ring, &cqe);
		if (r < 0)
			return r;
		if (cqe->user_data < n)
			res[cqe->user_data] = cqe->res;
		io_uring_cqe_seen(&c->ring, cqe);
	}
	return 0;
}

/* One request: its result (>= 0, or -errno). */
static int ring_one(struct copier *c, struct io_uring_sqe *sqe)
{
	int res = -EIO;
	if (!sqe)
		return -EBUSY;
	int r = submit_wait(c, 1, &res);
	return r < 0 ? r : res;
}

static int ring_close2(struct copier *c, int a, int b)
{
	int res[2] = {0, 0};
	io_uring_prep_close(next_sqe(c, 0), a);
	io_uring_prep_close(next_sqe(c, 1), b);
	int r = submit_wait(c, 2, res);
	return r < 0 ? r : res[0] < 0 ? res[0] : res[1];
}

/* SRC's data into DST through READ and WRITE requests. */
static int move_data(struct copier *c, int src, int dst, const char *name)
{
	for (off_t off = 0;;) {
		struct io_uring_sqe *sqe = next_sqe(c, 0);
		io_uring_prep_read(sqe, src, c->buf, CHUNK, (__u64)off);
		int n = ring_one(c, sqe);
		if (n < 0)
			return fail("read", name, -n);
		if (n == 0)
			return 0;
		for (int done = 0; done < n;) {
			sqe = next_sqe(c, 0);
			io_uring_prep_write(sqe, dst, c->buf + done, (unsigned)(n - done),
			                    (__u64)(off + done));
			int w = ring_one(c, sqe);
			if (w <= 0)
				return fail("write", name, w < 0 ? -w : EIO);
			done += w;
		}
		off += n;
	}
}

/* A regular file: in --abs mode SPATH and DPATH are absolute and SDIR,
 * DDIR are AT_FDCWD; in --dirfd mode they are one name in those dirs. */
static int copy_file(struct copier *c, int sdir, const char *spath, int ddir, const char *dpath)
{
	struct statx stx;
	int res[3] = {-EIO, -EIO, -EIO}, r, src, dst;
	if (c->abs) {
		/* the check, then the use of the same path */
		struct io_uring_sqe *sqe = next_sqe(c, 0);
		io_uring_prep_statx(sqe, sdir, spath, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &stx);
		sqe->flags |= IOSQE_IO_LINK;
		io_uring_prep_openat(next_sqe(c, 1), sdir, spath, O_RDONLY | O_NOFOLLOW, 0);
		io_uring_prep_openat(next_sqe(c, 2), ddir, dpath,
		                     O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0644);
		r = submit_wait(c, 3, res);
		if (r < 0)
			return fail("io_uring_submit_and_wait for", spath, -r);
		if (res[0] < 0)
			return fail("statx", spath, -res[0]);
		src = res[1];
		dst = res[2];
	} else {
		io_uring_prep_openat(next_sqe(c, 0), sdir, spath, O_RDONLY | O_NOFOLLOW, 0);
		io_uring_prep_openat(next_sqe(c, 1), ddir, dpath,
		                     O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0644);
		r = submit_wait(c, 2, res);
		if (r < 0)
			return fail("io_uring_submit_and_wait for", spath, -r);
		src = res[0];
		dst = res[1];
	}
	if (src < 0 || dst < 0) {
		if (src >= 0 || dst >= 0)
			ring_close2(c, src >= 0 ? src : dst, -1);
		return fail("open", src < 0 ? spath : dpath, src < 0 ? -src : -dst);
	}
	if (!c->abs) {
		/* the open file checked through its fd: no name to race */
		struct io_uring_sqe *sqe = next_sqe(c, 0);
		io_uring_prep_statx(sqe, src, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx);
		if ((r = ring_one(c, sqe)) < 0) {
			ring_close2(c, src, dst);
			return fail("statx (fd of)", spath, -r);
		}
	}
	r = move_data(c, src, dst, spath);
	int rc = ring_close2(c, src, dst);
	if (r == 0 && rc < 0)
		return fail("close", dpath, -rc);
	return r;
}

static int make_dir(struct copier *c, int dir, const char *path)
{
	struct io_uring_sqe *sqe = next_sqe(c, 0);
	io_uring_prep_mkdirat(sqe, dir, path, 0755);
	int r = ring_one(c, sqe);
	return r < 0 && r != -EEXIST ? fail("mkdir", path, -r) : 0;
}

static int make_symlink(struct copier *c, int sdir, const char *spath, int ddir, const char *dpath)
{
	char target[4096];
	ssize_t n = readlinkat(sdir, spath, target, sizeof(target) - 1);
	if (n < 0)
		return fail("readlink", spath, errno);
	target[n] = '\0';
	struct io_uring_sqe *sqe = next_sqe(c, 0);
	io_uring_prep_symlinkat(sqe, target, ddir, dpath);
	int r = ring_one(c, sqe);
	return r < 0 ? fail("symlink", dpath, -r) : 0;
}

/* --abs: SRC and DST are absolute paths of two directories. */
static int walk_abs(struct copier *c, const char *src, const char *dst)
{
	DIR *d = opendir(src);
	if (!d)
		return fail("opendir", src, errno);
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char s[4096], t[4096];
		if (snprintf(s, sizeof(s), "%s/%s", src, e->d_name) >= (int)sizeof(s) ||
		    snprintf(t, sizeof(t), "%s/%s", dst, e->d_name) >= (int)sizeof(t)) {
			rc = fail("path too long:", s, ENAMETOOLONG);
			break;
		}
		if (e->d_type == DT_DIR)
			rc = make_dir(c, AT_FDCWD, t) ?: walk_abs(c, s, t);
		else if (e->d_type == DT_REG)
			rc = copy_file(c, AT_FDCWD, s, AT_FDCWD, t);
		else if (e->d_type == DT_LNK)
			rc = make_symlink(c, AT_FDCWD, s, AT_FDCWD, t);
	}
	closedir(d);
	return rc;
}

/* --dirfd: SFD and DFD are open directories; entries named by one name. */
static int walk_dirfd(struct copier *c, int sfd, int dfd)
{
	int lfd = dup(sfd);
	DIR *d = lfd >= 0 ? fdopendir(lfd) : NULL;
	if (!d) {
		if (lfd >= 0)
			close(lfd);
		return fail("fdopendir", "(source directory)", errno);
	}
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d))) {
		const char *name = e->d_name;
		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		if (e->d_type == DT_REG) {
			rc = copy_file(c, sfd, name, dfd, name);
		} else if (e->d_type == DT_LNK) {
			rc = make_symlink(c, sfd, name, dfd, name);
		} else if (e->d_type == DT_DIR) {
			if ((rc = make_dir(c, dfd, name)) != 0)
				break;
			int s = openat(sfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			int t = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (s < 0 || t < 0)
				rc = fail("open directory", name, errno);
			else
				rc = walk_dirfd(c, s, t);
			if (s >= 0)
				close(s);
			if (t >= 0)
				close(t);
		}
	}
	closedir(d);
	return rc;
}

/* PATH made absolute against the working directory, into OUT. */
static int absolute(const char *path, char *out, size_t outsz)
{
	char cwd[4096];
	if (path[0] == '/')
		return snprintf(out, outsz, "%s", path) < (int)outsz ? 0 : -1;
	if (!getcwd(cwd, sizeof(cwd)))
		return -1;
	return snprintf(out, outsz, "%s/%s", cwd, path) < (int)outsz ? 0 : -1;
}

/* Writes PATH and removes it, each through the ring. */
static int escape_through_ring(struct copier *c, const char *path)
{
	struct io_uring_sqe *sqe = next_sqe(c, 0);
	io_uring_prep_openat(sqe, AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int fd = ring_one(c, sqe);
	if (fd < 0)
		return fail("open", path, -fd);
	static const char note[] = "written outside SRC and DST\n";
	sqe = next_sqe(c, 0);
	io_uring_prep_write(sqe, fd, note, sizeof(note) - 1, 0);
	int w = ring_one(c, sqe);
	sqe = next_sqe(c, 0);
	io_uring_prep_close(sqe, fd);
	ring_one(c, sqe);
	if (w < 0)
		return fail("write", path, -w);
	sqe = next_sqe(c, 0);
	io_uring_prep_unlinkat(sqe, AT_FDCWD, path, 0);
	int u = ring_one(c, sqe);
	return u < 0 ? fail("unlink", path, -u) : 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc == 4 ? argv[1] : "";
	while (*mode == '-')
		mode++;
	if (argc != 4 || (strcmp(mode, "abs") && strcmp(mode, "dirfd"))) {
		fprintf(stderr, "usage: %s --abs|--dirfd SRC DST\n", argv[0]);
		return 2;
	}
	static struct copier c;
	c.abs = !strcmp(mode, "abs");
	int r = io_uring_queue_init(QUEUE_DEPTH, &c.ring, 0);
	if (r < 0) {
		fprintf(stderr, "uring_path_copier: io_uring_queue_init: %s\n", strerror(-r));
		return 1;
	}
	int rc;
	if (c.abs) {
		char src[4096], dst[4096];
		if (absolute(argv[2], src, sizeof(src)) || absolute(argv[3], dst, sizeof(dst))) {
			fprintf(stderr, "uring_path_copier: cannot make %s and %s absolute\n",
			        argv[2], argv[3]);
			rc = -1;
		} else {
			rc = make_dir(&c, AT_FDCWD, dst) ?: walk_abs(&c, src, dst);
		}
	} else {
		/* the operands: named by path once, like any copier names them */
		rc = make_dir(&c, AT_FDCWD, argv[3]);
		int s = open(argv[2], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		int t = open(argv[3], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (rc == 0 && (s < 0 || t < 0))
			rc = fail("open directory", s < 0 ? argv[2] : argv[3], errno);
		else if (rc == 0)
			rc = walk_dirfd(&c, s, t);
		if (s >= 0)
			close(s);
		if (t >= 0)
			close(t);
	}
	const char *escape = getenv("URING_PATH_COPIER_ESCAPE");
	if (rc == 0 && escape && *escape)
		rc = escape_through_ring(&c, escape);
	io_uring_queue_exit(&c.ring);
	return rc == 0 ? 0 : 1;
}
