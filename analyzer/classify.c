/* classify: rules as small pure functions; their text lives next to them
 * so the report prints exactly what the code does. */
#include "classify.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

static const char *const access_names[AC__COUNT] = {"path_based", "fd_based", "cwd_relative"};

const char *access_class_name(enum access_class c)
{
	if (c < 0 || c >= AC__COUNT)
		return "none";
	return access_names[c];
}

bool path_is_single_name(const char *path)
{
	if (!path || !*path || strchr(path, '/'))
		return false;
	return strcmp(path, ".") != 0 && strcmp(path, "..") != 0;
}

/* /proc/self/fd/N or /proc/thread-self/fd/N: the kernel follows the magic
 * link to the open file of fd N without looking any name up, so a call on
 * it (getxattr, setxattr, chmod of an O_PATH fd's file) is made through
 * that fd. */
static bool is_proc_fd_path(const char *path)
{
	const char *p = NULL;
	if (!strncmp(path, "/proc/self/fd/", 14))
		p = path + 14;
	else if (!strncmp(path, "/proc/thread-self/fd/", 21))
		p = path + 21;
	if (!p || !*p)
		return false;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

enum access_class classify_access(int dirfd, const char *path, bool empty_path_flag)
{
	(void)empty_path_flag; /* same class with or without it; kept for callers' clarity */
	if (path && path[0] == '/' && is_proc_fd_path(path))
		return AC_FD_BASED;
	if (dirfd >= 0) {
		/* an fd + "" (AT_EMPTY_PATH; without it the call fails with
		 * ENOENT, but it still named the fd) or a NULL path */
		if (!path || !*path)
			return AC_FD_BASED;
		if (path[0] == '.' && !path[1])
			return AC_FD_BASED; /* the directory of the fd itself: no name looked up */
		if (path[0] == '/')
			return AC_PATH_BASED; /* the dirfd is ignored for an absolute path */
		if (path_is_single_name(path))
			return AC_FD_BASED;
		/* several components below a dirfd: each intermediate one is
		 * looked up by name again, as with a full path */
		return AC_PATH_BASED;
	}
	if (!path)
		return AC_NONE;
	if (!*path)
		return AC_CWD_RELATIVE; /* AT_FDCWD + "" + AT_EMPTY_PATH: the cwd itself */
	if (path[0] == '/' || strchr(path, '/'))
		return AC_PATH_BASED;
	return AC_CWD_RELATIVE; /* one name, ".", ".." */
}

json_t *classify_rules_json(void)
{
	static const struct {
		const char *cls, *rule;
	} rules[] = {
	    {"path_based",
	     "AT_FDCWD, or a legacy call without a dirfd (open, stat, lstat, chmod, chown, "
	     "access, utimes, mkdir, symlink, readlink, unlink, rename, ...), with an absolute "
	     "path or a relative path of several components; also a dirfd with an absolute "
	     "path (the dirfd is ignored) or with several components (each one is resolved "
	     "by name again)"},
	    {"cwd_relative",
	     "AT_FDCWD or a legacy call with a single name (no '/') relative to the current "
	     "directory, \".\" or \"..\", or AT_FDCWD with \"\" and AT_EMPTY_PATH"},
	    {"fd_based",
	     "a directory fd with one name (openat(dirfd, \"name\"), statx(dirfd, \"name\", "
	     "...)) or with \".\" (the directory itself, as openat(dirfd, \".\", O_TMPFILE)), "
	     "an fd with \"\" and AT_EMPTY_PATH or a NULL path (futimens as "
	     "utimensat(fd, NULL, ...)), /proc/self/fd/N (the open file of fd N, reached "
	     "without a name lookup, as for the xattrs of an O_PATH fd), and the pure fd "
	     "calls (fstat, fchmod, fchown, fgetxattr, fsetxattr, ...)"},
	    {"root_operand",
	     "a path-based call whose path is exactly the SRC or DST root given to the copier "
	     "(run mode) or, with --trace, an absolute path on the traced command line: a "
	     "program has to name its operands, so these calls are counted and listed with the "
	     "path-based ones but left out of the path-based check and the security score"},
	    {"scope",
	     "every syscall with a path argument is classified; a call with two paths "
	     "(renameat2, linkat) takes the worse class of the two (path_based, then "
	     "cwd_relative); the target string of symlink/symlinkat is link content, not a "
	     "path, and is not classified"},
	};
	json_t *a = json_array();
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		json_array_append_new(
		    a, json_pack("{s:s,s:s}", "class", rules[i].cls, "rule", rules[i].rule));
	return a;
}

static const char *const kind_names[FDK__COUNT] = {
    "unknown", "regular", "dir", "pipe", "socket", "eventfd", "tty", "io_uring", "other",
};

const char *fd_kind_name(enum fd_kind k)
{
	if (k < 0 || k >= FDK__COUNT)
		return "unknown";
	return kind_names[k];
}

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static enum fd_kind classify_dev_path(const char *path)
{
	/* every rule below names "/dev/..." or "/memfd:": one test for the rest */
	if (path[0] != '/' || (path[1] != 'd' && path[1] != 'm'))
		return FDK_REGULAR;
	if (starts(path, "/dev/pts/") || starts(path, "/dev/tty") ||
	    strcmp(path, "/dev/console") == 0 || strcmp(path, "/dev/ptmx") == 0)
		return FDK_TTY;
	if (starts(path, "/dev/") && !starts(path, "/dev/shm/"))
		return FDK_OTHER;
	if (starts(path, "/memfd:"))
		return FDK_OTHER;
	return FDK_REGULAR;
}

enum fd_kind classify_fd_decoration(const char *decor)
{
	if (!decor || !*decor)
		return FDK_UNKNOWN;
	if (decor[0] == '/')
		return classify_dev_path(decor);
	if (starts(decor, "pipe:"))
		return FDK_PIPE;
	if (starts(decor, "socket:"))
		return FDK_SOCKET;
	if (starts(decor, "anon_inode:")) {
		const char *t = decor + strlen("anon_inode:");
		if (strstr(t, "eventfd"))
			return FDK_EVENTFD;
		if (strstr(t, "io_uring"))
			return FDK_IO_URING;
		return FDK_OTHER;
	}
	/* -yy socket details: "UNIX-STREAM:[...]", "TCP:[...]", "NETLINK:[...]" */
	const char *colon = strstr(decor, ":[");
	if (colon && colon > decor) {
		bool upper = true;
		for (const char *c = decor; c < colon; c++)
			if (!((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '-' ||
			      *c == '_'))
				upper = false;
		if (upper)
			return FDK_SOCKET;
	}
	return FDK_OTHER;
}

enum fd_kind classify_opened_path(const char *path, bool o_directory)
{
	if (o_directory)
		return FDK_DIR;
	if (!path || !*path)
		return FDK_UNKNOWN;
	return classify_dev_path(path);
}

static const char *const startup_prefixes[] = {
    "/etc/",
    "/lib/",
    "/lib64/",
    "/lib32/",
    "/usr/lib/",
    "/usr/lib64/",
    "/usr/lib32/",
    "/usr/local/lib/",
    "/proc/",
    "/sys/",
    "/usr/share/locale/",
    "/usr/share/i18n/",
    "/usr/share/zoneinfo/",
    "/selinux",
    "/dev/null",
    "/dev/urandom",
};

/* ~/.name: a program's per-user configuration (rsync's ~/.popt) */
static bool home_dotfile(const char *path)
{
	const char *rest = NULL;
	if (starts(path, "/root/"))
		rest = path + strlen("/root/");
	else if (starts(path, "/home/")) {
		const char *slash = strchr(path + strlen("/home/"), '/');
		rest = slash ? slash + 1 : NULL;
	}
	return rest && rest[0] == '.' && !strchr(rest, '/');
}

bool classify_is_startup_path(const char *path)
{
	if (!path)
		return false;
	if (home_dotfile(path))
		return true;
	for (size_t i = 0; i < sizeof(startup_prefixes) / sizeof(startup_prefixes[0]); i++)
		if (starts(path, startup_prefixes[i]))
			return true;
	return false;
}

const char *classify_startup_paths_text(void)
{
	return "/etc/ (ld.so.*, locale, NSS, SELinux and program configuration), /lib*, "
	       "/usr/lib* (libraries, locale archives, gconv), /usr/local/lib/, /proc/, /sys/ "
	       "(process and system information), /usr/share/locale/, /usr/share/i18n/, "
	       "/usr/share/zoneinfo/, /selinux, /dev/null, /dev/urandom, and ~/.name "
	       "configuration files in /root or /home/USER";
}

/* Already in normal form? No "//", no "/." (which also turns away
 * "/.hidden": the general path handles it), no trailing '/' but for "/"
 * itself, no leading "./". Most paths in a trace are. */
static bool is_normal(const char *in, size_t n)
{
	if (n == 0)
		return false;
	if (in[n - 1] == '/')
		return n == 1;
	if (in[0] == '.' && (n == 1 || in[1] == '/'))
		return n == 1;
	size_t i = 0;
#ifdef __SSE2__
	const __m128i slash = _mm_set1_epi8('/'), dot = _mm_set1_epi8('.');
	for (; i + 17 <= n; i += 16) {
		__m128i a = _mm_loadu_si128((const __m128i *)(in + i));
		__m128i b = _mm_loadu_si128((const __m128i *)(in + i + 1));
		__m128i next = _mm_or_si128(_mm_cmpeq_epi8(b, slash), _mm_cmpeq_epi8(b, dot));
		if (_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, slash), next)))
			return false;
	}
#endif
	for (; i + 1 < n; i++)
		if (in[i] == '/' && (in[i + 1] == '/' || in[i + 1] == '.'))
			return false;
	return true;
}

size_t path_normalize(const char *in, size_t inlen, char *out, size_t outsz)
{
	if (outsz && is_normal(in, inlen)) {
		if (inlen >= outsz) {
			out[0] = '\0';
			return 0;
		}
		memcpy(out, in, inlen);
		out[inlen] = '\0';
		return inlen;
	}
	size_t o = 0;
	size_t i = 0;
	if (!outsz)
		return 0;
	bool abs = inlen > 0 && in[0] == '/';
	if (abs) {
		if (o + 1 >= outsz)
			goto fail;
		out[o++] = '/';
	}
	while (i < inlen) {
		while (i < inlen && in[i] == '/')
			i++;
		size_t start = i;
		while (i < inlen && in[i] != '/')
			i++;
		size_t clen = i - start;
		if (clen == 0)
			break;
		if (clen == 1 && in[start] == '.')
			continue;
		if (o > 0 && out[o - 1] != '/') {
			if (o + 1 >= outsz)
				goto fail;
			out[o++] = '/';
		}
		if (o + clen >= outsz)
			goto fail;
		memcpy(out + o, in + start, clen);
		o += clen;
	}
	if (o == 0 && inlen > 0 && !abs) {
		/* "." or "./" */
		if (outsz < 2)
			goto fail;
		out[o++] = '.';
	}
	out[o] = '\0';
	return o;
fail:
	out[0] = '\0';
	return 0;
}

size_t path_join(const char *dir, const char *name, char *out, size_t outsz)
{
	if (!name)
		name = "";
	if (name[0] == '/' || !dir || !*dir)
		return path_normalize(name, strlen(name), out, outsz);
	size_t dl = strlen(dir), nl = strlen(name);
	char tmp[8192];
	if (dl + nl + 2 > sizeof(tmp)) {
		if (outsz)
			out[0] = '\0';
		return 0;
	}
	if (outsz && is_normal(dir, dl) && is_normal(name, nl) && !(dl == 1 && dir[0] == '.') &&
	    !(nl == 1 && name[0] == '.')) {
		/* both normal: so is DIR/NAME (DIR "/" takes no second slash) */
		size_t sep = dl == 1 && dir[0] == '/' ? 0 : 1;
		if (dl + sep + nl >= outsz) {
			out[0] = '\0';
			return 0;
		}
		memcpy(out, dir, dl);
		out[dl] = '/';
		memcpy(out + dl + sep, name, nl);
		out[dl + sep + nl] = '\0';
		return dl + sep + nl;
	}
	memcpy(tmp, dir, dl);
	tmp[dl] = '/';
	memcpy(tmp + dl + 1, name, nl);
	return path_normalize(tmp, dl + 1 + nl, out, outsz);
}

bool path_under(const char *path, const char *root)
{
	if (!path || !root || !*root)
		return false;
	size_t rl = strlen(root);
	if (strncmp(path, root, rl) != 0)
		return false;
	if (path[rl] == '\0' || path[rl] == '/')
		return true;
	return rl == 1 && root[0] == '/';
}
