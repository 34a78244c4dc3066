/* dataset: generate, copy in, list and remove the source tree of a run.
 * Content comes from xorshift64* (hundreds of MB/s, no entropy pool),
 * written in 1 MiB blocks. */
#include "dataset.h"
#include "proctree.h"
#include "runner.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BLOCK (1u << 20)

char *workdir_create(const char *parent, char *err, size_t errlen)
{
	if (!parent || !*parent) {
		parent = getenv("TMPDIR");
		if (!parent || !*parent)
			parent = "/tmp";
	}
	char *abs = realpath(parent, NULL);
	if (!abs) {
		snprintf(err, errlen, "work directory parent %s: %s", parent, strerror(errno));
		return NULL;
	}
	size_t len = strlen(abs) + sizeof("/arsync-analyze.XXXXXX");
	char *dir = malloc(len);
	if (!dir) {
		free(abs);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(dir, len, "%s/arsync-analyze.XXXXXX", strcmp(abs, "/") == 0 ? "" : abs);
	free(abs);
	if (!mkdtemp(dir)) {
		snprintf(err, errlen, "create work directory %s: %s", dir, strerror(errno));
		free(dir);
		return NULL;
	}
	return dir;
}

/* nftw gives no user pointer: the first error of remove_tree goes here. */
static char rm_err[512];

static int rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	int rc = (type == FTW_DP) ? rmdir(path) : unlink(path);
	if (rc != 0 && !rm_err[0])
		snprintf(rm_err, sizeof(rm_err), "remove %s: %s", path, strerror(errno));
	return 0;
}

int remove_tree(const char *path, char *err, size_t errlen)
{
	rm_err[0] = '\0';
	struct stat st;
	if (lstat(path, &st) != 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "remove %s: %s", path, strerror(errno));
		return -1;
	}
	if (nftw(path, rm_entry, 32, FTW_DEPTH | FTW_PHYS) != 0 && !rm_err[0])
		snprintf(rm_err, sizeof(rm_err), "remove %s: %s", path, strerror(errno));
	if (rm_err[0]) {
		snprintf(err, errlen, "%s", rm_err);
		return -1;
	}
	return 0;
}

/* xorshift64* (Vigna): fast, good enough to defeat compression/dedup. */
static uint64_t rng_next(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static int write_random_file(const char *path, unsigned long long size, uint64_t seed, mode_t mode,
                             unsigned char *buf, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "create %s: %s", path, strerror(errno));
		return -1;
	}
	uint64_t s = seed ? seed : 0x9E3779B97F4A7C15ULL;
	unsigned long long left = size;
	while (left > 0) {
		size_t n = left < BLOCK ? (size_t)left : BLOCK;
		for (size_t i = 0; i < n; i += 8) {
			uint64_t v = rng_next(&s);
			memcpy(buf + i, &v, n - i < 8 ? n - i : 8);
		}
		if (runner_interrupted) {
			snprintf(err, errlen, "interrupted by signal %d", (int)runner_interrupted);
			close(fd);
			return -1;
		}
		size_t off = 0;
		while (off < n) {
			ssize_t w = write(fd, buf + off, n - off);
			if (w < 0) {
				if (errno == EINTR)
					continue;
				snprintf(err, errlen, "write %s: %s", path, strerror(errno));
				close(fd);
				return -1;
			}
			off += (size_t)w;
		}
		left -= n;
	}
	if (fchmod(fd, mode) != 0 || close(fd) != 0) {
		snprintf(err, errlen, "finish %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* As root, every other object belongs to another user (nobody), so a copier
 * that drops ownership is caught; as anyone else, ownership stays ours. */
static int set_owner(const char *path, unsigned i, char *err, size_t errlen)
{
	if (geteuid() != 0 || i % 2 == 0)
		return 0;
	if (lchown(path, 65534, 65534) != 0) {
		snprintf(err, errlen, "chown %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* A distinct, non-round timestamp for object I: whole seconds in 2020 and
 * a nanosecond part, so a copier that drops the nanoseconds is caught. */
static int set_time(const char *path, unsigned i, char *err, size_t errlen)
{
	struct timespec ts[2];
	ts[0].tv_sec = 1600000000 + (time_t)i * 3671;
	ts[0].tv_nsec = (long)((i * 123456789ULL + 111111111ULL) % 1000000000ULL);
	ts[1].tv_sec = 1590000000 + (time_t)i * 7919;
	ts[1].tv_nsec = (long)((i * 987654321ULL + 123456789ULL) % 1000000000ULL);
	if (utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW) != 0) {
		snprintf(err, errlen, "set times of %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static char *join(const char *a, const char *b)
{
	char *s;
	if (asprintf(&s, "%s/%s", a, b) < 0)
		return NULL;
	return s;
}

char *dataset_generated_description(unsigned n_files, unsigned size_mib)
{
	char *s;
	if (asprintf(
	        &s,
	        "generated: %u random file%s of %u MiB, 3 nested directories with a file in the "
	        "deepest, a symlink to a file (absolute), a symlink to a directory, a relative "
	        "symlink, a hardlink pair, an empty file; modes%s and nanosecond mtimes vary",
	        n_files, n_files == 1 ? "" : "s", size_mib,
	        geteuid() == 0 ? ", owners (root and nobody)" : "") < 0)
		return NULL;
	return s;
}

int dataset_generate(const char *root, unsigned n_files, unsigned size_mib, unsigned long long seed,
                     char *err, size_t errlen)
{
	static const mode_t file_modes[] = {0644, 0600, 0640, 0755};
	unsigned char *buf = malloc(BLOCK);
	if (!buf) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int rc = -1;
	char *p = NULL, *q = NULL;
	unsigned t = 0; /* timestamp index */
	char name[64];

#define PATH(rel)                                                                                  \
	(free(p), p = join(root, rel), p ? 0 : (snprintf(err, errlen, "out of memory"), -1))
	if (mkdir(root, 0755) != 0) {
		snprintf(err, errlen, "create dataset directory %s: %s", root, strerror(errno));
		goto out;
	}
	for (unsigned i = 0; i < n_files; i++) {
		snprintf(name, sizeof(name), "file%02u.bin", i + 1);
		if (PATH(name) ||
		    write_random_file(p, (unsigned long long)size_mib << 20,
		                      seed * 1000003ULL + i + 1, file_modes[i % 4], buf, err,
		                      errlen) ||
		    set_owner(p, i, err, errlen) || set_time(p, t++, err, errlen))
			goto out;
	}
	/* Empty file. */
	if (PATH("empty.txt") || write_random_file(p, 0, 1, 0644, buf, err, errlen) ||
	    set_time(p, t++, err, errlen))
		goto out;
	/* Three nested levels, a file (not a multiple of the page size) in the deepest. */
	static const char *const dirs[] = {"nested", "nested/level2", "nested/level2/level3"};
	static const mode_t dir_modes[] = {0755, 0750, 0700};
	for (int i = 0; i < 3; i++)
		if (PATH(dirs[i]) ||
		    (mkdir(p, dir_modes[i]) != 0 &&
		     (snprintf(err, errlen, "mkdir %s: %s", p, strerror(errno)), 1)))
			goto out;
	if (PATH("nested/level2/level3/deep.dat") ||
	    write_random_file(p, 70000, seed + 77, 0644, buf, err, errlen) ||
	    set_time(p, t++, err, errlen))
		goto out;
	/* Hardlink pair. */
	if (PATH("hardlink-a.dat") ||
	    write_random_file(p, 65536 + 123, seed + 99, 0644, buf, err, errlen) ||
	    set_time(p, t++, err, errlen))
		goto out;
	free(q);
	q = join(root, "hardlink-b.dat");
	if (!q || link(p, q) != 0) {
		snprintf(err, errlen, "link %s to %s: %s", q ? q : "hardlink-b.dat", p,
		         strerror(errno));
		goto out;
	}
	/* Symlinks: to a file (absolute), to a directory, relative across levels. */
	free(q);
	q = n_files ? join(root, "file01.bin") : join(root, "empty.txt");
	struct {
		const char *name, *target;
	} links[] = {
	    {"link-to-file", q},
	    {"link-to-dir", "nested/level2"},
	    {"nested/level2/level3/relative-link", "../../../empty.txt"},
	};
	for (int i = 0; i < 3; i++) {
		if (PATH(links[i].name))
			goto out;
		if (!links[i].target || symlink(links[i].target, p) != 0) {
			snprintf(err, errlen, "symlink %s -> %s: %s", p,
			         links[i].target ? links[i].target : "?", strerror(errno));
			goto out;
		}
		if (set_owner(p, (unsigned)i, err, errlen) || set_time(p, t++, err, errlen))
			goto out;
	}
	/* The middle directory, too. */
	if (PATH(dirs[1]) || set_owner(p, 1, err, errlen))
		goto out;
	/* Directories last, deepest first, so their mtimes stay as set. */
	for (int i = 2; i >= 0; i--)
		if (PATH(dirs[i]) || set_time(p, t++, err, errlen))
			goto out;
	if (set_time(root, t++, err, errlen))
		goto out;
	rc = 0;
#undef PATH
out:
	free(p);
	free(q);
	free(buf);
	return rc;
}

int dataset_copy_from(const char *from, const char *root, char *err, size_t errlen)
{
	struct stat st;
	if (stat(from, &st) != 0) {
		snprintf(err, errlen, "dataset %s: %s", from, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "dataset %s: not a directory", from);
		return -1;
	}
	struct proctree tree;
	proctree_init(&tree);
	pid_t pid = fork();
	if (pid < 0) {
		proctree_end(&tree);
		snprintf(err, errlen, "fork for cp: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		proctree_child_enter(&tree);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		execlp("cp", "cp", "-a", "--", from, root, (char *)NULL);
		fprintf(stderr, "arsync-analyze: cannot run cp: %s\n", strerror(errno));
		_exit(127);
	}
	proctree_adopt(&tree, pid);
	int status;
	bool stopped = false;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			proctree_end(&tree);
			snprintf(err, errlen, "wait for cp: %s", strerror(errno));
			return -1;
		}
		if (runner_interrupted && !stopped) {
			proctree_signal(&tree, SIGKILL);
			stopped = true;
		}
	}
	proctree_end(&tree);
	if (runner_interrupted) {
		snprintf(err, errlen, "interrupted by signal %d", (int)runner_interrupted);
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(err, errlen,
		         "copy dataset %s to %s: cp -a failed (status %d); see its message above",
		         from, root,
		         WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
		return -1;
	}
	return 0;
}

/* Scan state: inodes of multiply-linked files seen, to count groups. */
struct scan {
	struct dataset_info *info;
	struct {
		dev_t dev;
		ino_t ino;
	} * linked;
	size_t n_linked, cap_linked, cap_files;
	char *err;
	size_t errlen;
};

static int add_file(struct scan *s, const char *rel)
{
	struct dataset_info *in = s->info;
	if (in->n_files == s->cap_files) {
		size_t cap = s->cap_files ? s->cap_files * 2 : 64;
		char **f = realloc(in->files, cap * sizeof(*f));
		if (!f)
			return -1;
		in->files = f;
		s->cap_files = cap;
	}
	in->files[in->n_files] = strdup(rel);
	if (!in->files[in->n_files])
		return -1;
	in->n_files++;
	return 0;
}

static int note_link(struct scan *s, const struct stat *st)
{
	for (size_t i = 0; i < s->n_linked; i++)
		if (s->linked[i].dev == st->st_dev && s->linked[i].ino == st->st_ino)
			return 0;
	if (s->n_linked == s->cap_linked) {
		size_t cap = s->cap_linked ? s->cap_linked * 2 : 16;
		void *l = realloc(s->linked, cap * sizeof(*s->linked));
		if (!l)
			return -1;
		s->linked = l;
		s->cap_linked = cap;
	}
	s->linked[s->n_linked].dev = st->st_dev;
	s->linked[s->n_linked].ino = st->st_ino;
	s->n_linked++;
	s->info->hardlinks++;
	return 0;
}

static int scan_dir(struct scan *s, const char *root, const char *rel)
{
	char *dir = *rel ? join(root, rel) : strdup(root);
	if (!dir)
		goto oom;
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		snprintf(s->err, s->errlen, "read directory %s: %s", dir, strerror(errno));
		free(dir);
		return -1;
	}
	int rc = 0;
	for (int i = 0; i < n; i++) {
		const char *nm = names[i]->d_name;
		if (rc != 0 || strcmp(nm, ".") == 0 || strcmp(nm, "..") == 0)
			continue;
		char *crel = *rel ? join(rel, nm) : strdup(nm);
		char *full = crel ? join(root, crel) : NULL;
		struct stat st;
		if (!full) {
			rc = -1;
			snprintf(s->err, s->errlen, "out of memory");
		} else if (lstat(full, &st) != 0) {
			rc = -1;
			snprintf(s->err, s->errlen, "lstat %s: %s", full, strerror(errno));
		} else if (S_ISREG(st.st_mode)) {
			s->info->bytes += (unsigned long long)st.st_size;
			if (add_file(s, crel) != 0 || (st.st_nlink > 1 && note_link(s, &st) != 0)) {
				rc = -1;
				snprintf(s->err, s->errlen, "out of memory");
			}
		} else if (S_ISDIR(st.st_mode)) {
			s->info->dirs++;
			rc = scan_dir(s, root, crel);
		} else if (S_ISLNK(st.st_mode)) {
			s->info->symlinks++;
		} else {
			s->info->others++;
		}
		free(crel);
		free(full);
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(dir);
	return rc;
oom:
	snprintf(s->err, s->errlen, "out of memory");
	return -1;
}

int dataset_scan(const char *root, struct dataset_info *info, char *err, size_t errlen)
{
	memset(info, 0, sizeof(*info));
	struct scan s = {.info = info, .err = err, .errlen = errlen};
	int rc = scan_dir(&s, root, "");
	free(s.linked);
	if (rc != 0)
		dataset_info_free(info);
	return rc;
}

void dataset_info_free(struct dataset_info *info)
{
	for (size_t i = 0; i < info->n_files; i++)
		free(info->files[i]);
	free(info->files);
	memset(info, 0, sizeof(*info));
}

json_t *dataset_describe(const struct dataset_info *info, const char *kind, const char *description,
                         const char *root, const char *source)
{
	return json_pack("{s:s, s:s?, s:I, s:I, s:I, s:I, s:I, s:f, s:s?, s:s?}", "kind", kind,
	                 "description", description, "files", (json_int_t)info->n_files, "dirs",
	                 (json_int_t)info->dirs, "symlinks", (json_int_t)info->symlinks,
	                 "hardlinks", (json_int_t)info->hardlinks, "bytes", (json_int_t)info->bytes,
	                 "mib", (double)info->bytes / 1048576.0, "root", root, "source", source);
}
