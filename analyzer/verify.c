/* verify: walks SRC, compares each entry with the same relative path in DST,
 * and lists every difference as one sentence for the report. */
#include "verify.h"
#include "runner.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CMP_BLOCK (1u << 20)

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

void verify_opts_from_argv(char *const *argv, bool is_root, struct verify_opts *o)
{
	memset(o, 0, sizeof(*o));
	if (!argv || !argv[0])
		return;
	bool cp = strcmp(base_name(argv[0]), "cp") == 0;
	for (int i = 1; argv[i]; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0)
			break;
		if (strncmp(a, "--", 2) == 0) {
			if (strcmp(a, "--archive") == 0)
				o->archive = true;
			if (cp) {
				if (strcmp(a, "--preserve=all") == 0) {
					o->archive = true;
					o->hardlinks = true;
				} else if (strncmp(a, "--preserve=", 11) == 0 &&
				           strstr(a, "links")) {
					o->hardlinks = true;
				}
			} else if (strcmp(a, "--hard-links") == 0) {
				o->hardlinks = true;
			}
			continue;
		}
		if (a[0] != '-' || a[1] == '\0')
			continue;
		for (const char *c = a + 1; *c; c++) {
			if (*c == 'a') {
				o->archive = true;
				if (cp) /* cp -a = -dR --preserve=all: links included */
					o->hardlinks = true;
			} else if (cp && *c == 'd') {
				o->hardlinks = true;
			} else if (!cp && *c == 'H') {
				o->hardlinks = true;
			}
		}
	}
	o->owner = o->archive && is_root;
}

struct vctx {
	const char *src, *dst;
	const struct verify_opts *o;
	json_t *diffs;
	size_t max_diffs;
	unsigned long total;
	unsigned long checked;
	unsigned char *a, *b;
	struct link {
		dev_t dev;
		ino_t ino;
		dev_t ddev;
		ino_t dino;
		char *rel;
	} * links;
	size_t n_links, cap_links;
};

static void diff(struct vctx *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void diff(struct vctx *v, const char *fmt, ...)
{
	v->total++;
	if (json_array_size(v->diffs) >= v->max_diffs)
		return;
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	json_array_append_new(v->diffs, json_string(buf));
}

static const char *type_name(mode_t m)
{
	if (S_ISREG(m))
		return "regular file";
	if (S_ISDIR(m))
		return "directory";
	if (S_ISLNK(m))
		return "symlink";
	if (S_ISFIFO(m))
		return "fifo";
	if (S_ISCHR(m))
		return "character device";
	if (S_ISBLK(m))
		return "block device";
	if (S_ISSOCK(m))
		return "socket";
	return "unknown";
}

static char *join(const char *a, const char *b)
{
	char *s;
	if (asprintf(&s, "%s%s%s", a, *b ? "/" : "", b) < 0)
		return NULL;
	return s;
}

static const char *shown(const char *rel) { return *rel ? rel : "(root)"; }

static ssize_t read_full(int fd, unsigned char *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

static void compare_content(struct vctx *v, const char *rel, const char *sp, const char *dp)
{
	int fa = open(sp, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fa < 0) {
		diff(v, "%s: cannot read the source file: %s", rel, strerror(errno));
		return;
	}
	int fb = open(dp, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fb < 0) {
		diff(v, "%s: cannot read the copy: %s", rel, strerror(errno));
		close(fa);
		return;
	}
	unsigned long long off = 0;
	for (;;) {
		ssize_t na = read_full(fa, v->a, CMP_BLOCK);
		ssize_t nb = read_full(fb, v->b, CMP_BLOCK);
		if (na < 0 || nb < 0) {
			diff(v, "%s: read error while comparing: %s", rel, strerror(errno));
			break;
		}
		size_t n = (size_t)(na < nb ? na : nb);
		if (memcmp(v->a, v->b, n) != 0) {
			size_t i = 0;
			while (v->a[i] == v->b[i])
				i++;
			diff(v, "%s: content differs at byte %llu (source 0x%02x, copy 0x%02x)",
			     rel, off + i, v->a[i], v->b[i]);
			break;
		}
		if (na != nb) {
			diff(v, "%s: content differs: the copy is %s at byte %llu", rel,
			     na > nb ? "shorter" : "longer", off + n);
			break;
		}
		if (na == 0 || runner_interrupted)
			break;
		off += (unsigned long long)na;
	}
	close(fa);
	close(fb);
}

static void compare_hardlink(struct vctx *v, const char *rel, const struct stat *ss,
                             const struct stat *ds)
{
	for (size_t i = 0; i < v->n_links; i++) {
		struct link *l = &v->links[i];
		if (l->dev == ss->st_dev && l->ino == ss->st_ino) {
			if (l->ddev != ds->st_dev || l->dino != ds->st_ino)
				diff(v,
				     "%s: hardlink not kept (in the source it is the same file as "
				     "%s)",
				     rel, l->rel);
			return;
		}
	}
	if (v->n_links == v->cap_links) {
		size_t cap = v->cap_links ? v->cap_links * 2 : 16;
		struct link *n = realloc(v->links, cap * sizeof(*n));
		if (!n)
			return;
		v->links = n;
		v->cap_links = cap;
	}
	char *r = strdup(rel);
	if (!r)
		return;
	v->links[v->n_links++] = (struct link){ss->st_dev, ss->st_ino, ds->st_dev, ds->st_ino, r};
}

static void compare_meta(struct vctx *v, const char *rel, const struct stat *ss,
                         const struct stat *ds)
{
	if (!v->o->archive)
		return;
	if (!S_ISLNK(ss->st_mode) && (ss->st_mode & 07777) != (ds->st_mode & 07777))
		diff(v, "%s: mode differs (source %04o, copy %04o)", shown(rel),
		     (unsigned)(ss->st_mode & 07777), (unsigned)(ds->st_mode & 07777));
	if (ss->st_mtim.tv_sec != ds->st_mtim.tv_sec || ss->st_mtim.tv_nsec != ds->st_mtim.tv_nsec)
		diff(v, "%s: mtime differs (source %lld.%09ld, copy %lld.%09ld)", shown(rel),
		     (long long)ss->st_mtim.tv_sec, ss->st_mtim.tv_nsec,
		     (long long)ds->st_mtim.tv_sec, ds->st_mtim.tv_nsec);
	if (v->o->owner && (ss->st_uid != ds->st_uid || ss->st_gid != ds->st_gid))
		diff(v, "%s: owner differs (source %u:%u, copy %u:%u)", shown(rel),
		     (unsigned)ss->st_uid, (unsigned)ss->st_gid, (unsigned)ds->st_uid,
		     (unsigned)ds->st_gid);
}

static int has_name(struct dirent **names, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i]->d_name, name) == 0)
			return 1;
	return 0;
}

static int compare_entry(struct vctx *v, const char *rel, char *err, size_t errlen);

static int compare_dir(struct vctx *v, const char *rel, const char *sp, const char *dp, char *err,
                       size_t errlen)
{
	struct dirent **sn = NULL, **dn = NULL;
	int ns = scandir(sp, &sn, NULL, alphasort);
	if (ns < 0) {
		snprintf(err, errlen, "read directory %s: %s", sp, strerror(errno));
		return -1;
	}
	int nd = scandir(dp, &dn, NULL, alphasort);
	if (nd < 0)
		diff(v, "%s: cannot read the copied directory: %s", shown(rel), strerror(errno));
	int rc = 0;
	for (int i = 0; i < ns && rc == 0; i++) {
		const char *nm = sn[i]->d_name;
		if (strcmp(nm, ".") == 0 || strcmp(nm, "..") == 0)
			continue;
		char *crel = *rel ? join(rel, nm) : strdup(nm);
		if (!crel) {
			snprintf(err, errlen, "out of memory");
			rc = -1;
			break;
		}
		rc = compare_entry(v, crel, err, errlen);
		free(crel);
	}
	for (int i = 0; i < nd; i++) {
		const char *nm = dn[i]->d_name;
		if (strcmp(nm, ".") != 0 && strcmp(nm, "..") != 0 && !has_name(sn, ns, nm))
			diff(v, "%s%s%s: in the copy but not in the source", rel, *rel ? "/" : "",
			     nm);
	}
	for (int i = 0; i < ns; i++)
		free(sn[i]);
	free(sn);
	for (int i = 0; i < nd; i++)
		free(dn[i]);
	free(dn);
	return rc;
}

static int compare_entry(struct vctx *v, const char *rel, char *err, size_t errlen)
{
	int rc = 0;
	char *sp = join(v->src, rel), *dp = join(v->dst, rel);
	if (!sp || !dp) {
		snprintf(err, errlen, "out of memory");
		rc = -1;
		goto out;
	}
	struct stat ss, ds;
	if (runner_interrupted) {
		snprintf(err, errlen, "interrupted by signal %d", (int)runner_interrupted);
		rc = -1;
		goto out;
	}
	if (lstat(sp, &ss) != 0) {
		snprintf(err, errlen, "lstat %s: %s", sp, strerror(errno));
		rc = -1;
		goto out;
	}
	if (*rel)
		v->checked++;
	if (lstat(dp, &ds) != 0) {
		diff(v, "%s: missing in the copy (%s)", shown(rel), strerror(errno));
		goto out;
	}
	if ((ss.st_mode & S_IFMT) != (ds.st_mode & S_IFMT)) {
		diff(v, "%s: type differs (source %s, copy %s)", shown(rel), type_name(ss.st_mode),
		     type_name(ds.st_mode));
		goto out;
	}
	if (S_ISREG(ss.st_mode)) {
		if (ss.st_size != ds.st_size)
			diff(v, "%s: size differs (source %lld bytes, copy %lld bytes)", rel,
			     (long long)ss.st_size, (long long)ds.st_size);
		else
			compare_content(v, rel, sp, dp);
		if (v->o->hardlinks && ss.st_nlink > 1)
			compare_hardlink(v, rel, &ss, &ds);
	} else if (S_ISLNK(ss.st_mode)) {
		char ta[4096], tb[4096];
		ssize_t la = readlink(sp, ta, sizeof(ta) - 1),
		        lb = readlink(dp, tb, sizeof(tb) - 1);
		if (la < 0) {
			snprintf(err, errlen, "readlink %s: %s", sp, strerror(errno));
			rc = -1;
			goto out;
		}
		ta[la] = '\0';
		if (lb < 0)
			diff(v, "%s: cannot read the copied symlink: %s", rel, strerror(errno));
		else if (tb[lb] = '\0', strcmp(ta, tb) != 0)
			diff(v, "%s: symlink target differs (source '%s', copy '%s')", rel, ta, tb);
	} else if (S_ISCHR(ss.st_mode) || S_ISBLK(ss.st_mode)) {
		if (ss.st_rdev != ds.st_rdev)
			diff(v, "%s: device number differs", rel);
	} else if (S_ISDIR(ss.st_mode)) {
		rc = compare_dir(v, rel, sp, dp, err, errlen);
		if (rc != 0)
			goto out;
		/* Re-read: comparing could not change it, but stat after the walk
		 * reports what the copy looks like now. */
		if (lstat(dp, &ds) != 0) {
			diff(v, "%s: vanished from the copy: %s", shown(rel), strerror(errno));
			goto out;
		}
	}
	compare_meta(v, rel, &ss, &ds);
out:
	free(sp);
	free(dp);
	return rc;
}

json_t *verify_tree(const char *src, const char *dst, const struct verify_opts *o, char *err,
                    size_t errlen)
{
	struct vctx v = {.src = src,
	                 .dst = dst,
	                 .o = o,
	                 .diffs = json_array(),
	                 .max_diffs = o->max_differences ? o->max_differences : 100,
	                 .a = malloc(CMP_BLOCK),
	                 .b = malloc(CMP_BLOCK)};
	json_t *out = NULL;
	if (!v.diffs || !v.a || !v.b) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	struct stat st;
	if (lstat(dst, &st) != 0) {
		diff(&v, "the destination %s does not exist: %s", dst, strerror(errno));
	} else if (compare_entry(&v, "", err, errlen) != 0) {
		goto done;
	}
	json_t *props = json_array();
	json_array_append_new(props,
	                      json_string("every entry present, same type, no extra entries"));
	json_array_append_new(props, json_string("regular files byte for byte"));
	json_array_append_new(props, json_string("symlink targets"));
	json_array_append_new(props,
	                      json_string(o->archive ? "permission bits (-a)"
	                                             : "permission bits: not checked (no -a)"));
	json_array_append_new(props, json_string(o->archive ? "mtimes to the nanosecond (-a)"
	                                                    : "mtimes: not checked (no -a)"));
	json_array_append_new(props,
	                      json_string(o->owner     ? "owner and group (-a, running as root)"
	                                  : o->archive ? "owner and group: not checked (not root)"
	                                               : "owner and group: not checked (no -a)"));
	json_array_append_new(
	    props, json_string(o->hardlinks ? "hardlink groups (the flags ask for them)"
	                                    : "hardlink groups: not checked (the flags do not ask "
	                                      "for them; rsync -a does not keep hardlinks)"));
	out = json_pack("{s:b, s:b, s:n, s:I, s:o, s:O, s:I}", "performed", 1, "ok", v.total == 0,
	                "reason", "checked", (json_int_t)v.checked, "properties", props,
	                "differences", v.diffs, "differences_total", (json_int_t)v.total);
	if (!out)
		snprintf(err, errlen, "out of memory");
done:
	json_decref(v.diffs);
	for (size_t i = 0; i < v.n_links; i++)
		free(v.links[i].rel);
	free(v.links);
	free(v.a);
	free(v.b);
	return out;
}

json_t *verify_not_performed(const char *reason)
{
	return json_pack("{s:b, s:n, s:s, s:i, s:[]}", "performed", 0, "ok", "reason", reason,
	                 "checked", 0, "differences");
}
