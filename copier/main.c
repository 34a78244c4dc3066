/* main.c - arsync: make DST a copy of the directory SRC through io_uring. */
#include <dirent.h>
#include <errno.h>
#include <malloc.h>
#include <sched.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"
#include "errors.h"
#include "interrupt.h"
#include "options.h"

#define EXIT_USAGE 1
#define EXIT_SIGNAL 20
#define EXIT_PARTIAL 23
#define EXIT_VANISHED 24
#define MAX_THREADS 64

/* Directories on the current paths and open files need fds: use the
 * whole hard limit. */
static void raise_fd_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* Beyond the fds open at start: a ring, two directories (one opening
 * under the other) and a file being copied, 2 fds each; and those a
 * worker opens for a moment (copier_transient_fds()). */
#define FDS_NEEDED 7
#define FDS_COUNTED_BELOW 4096 /* above, the budget is capped anyway */

static unsigned long fd_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
		return 1024 * 1024;
	return rl.rlim_cur;
}

/* The fds open now, from /proc/self/fd (its own not counted); an
 * estimate when the limit is large or /proc is missing. */
static unsigned long fds_open(unsigned long limit)
{
	unsigned long n = 0;
	DIR *d = limit < FDS_COUNTED_BELOW ? opendir("/proc/self/fd") : NULL;
	if (!d)
		return 16;
	for (struct dirent *de; (de = readdir(d));)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n > 0 ? n - 1 : 0;
}

/* CPUs this process may run on (no /sys file to open, unlike sysconf). */
static unsigned cpu_count(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
		return (unsigned)CPU_COUNT(&set);
	return 1;
}

/* The name rsync gives SRC in "skipping directory NAME": "." when SRC
 * ends in a slash (its contents are the transfer), else its last part. */
static const char *skipped_dir_name(const char *src, const char *stripped)
{
	size_t n = strlen(src);
	if (n > 0 && src[n - 1] == '/')
		return ".";
	const char *slash = strrchr(stripped, '/');
	return slash ? slash + 1 : stripped;
}

static char *strip_trailing_slashes(const char *p)
{
	char *s = strdup(p);
	if (!s)
		return NULL;
	size_t n = strlen(s);
	while (n > 1 && s[n - 1] == '/')
		s[--n] = '\0';
	return s;
}

/* A failure with its errno text and a hint, as one line. */
static void report_with_hint(const char *path, const char *what, int errnum, const char *hint)
{
	char *reason = NULL;
	if (asprintf(&reason, "%s (%s)", strerror(errnum), hint) < 0)
		reason = NULL;
	if (reason)
		report_entry_reason(path, NULL, what, reason);
	else
		report_error(path, what, errnum);
	free(reason);
}

static const char hint_parent[] = "the directory DST is made in must exist";
static const char hint_notdir[] = "DST must be a directory, or a name to make one under";

/* Without -r nothing is made, but a DST that could never be made is still
 * a usage error, as it is with -r: 0 or the errno that says why. */
static int dst_parent_missing(const char *dst)
{
	struct stat st;
	if (stat(dst, &st) == 0 || (errno != ENOENT && errno != ENOTDIR))
		return 0;
	int e = errno;
	char *parent = strdup(dst);
	if (!parent)
		return 0;
	char *slash = strrchr(parent, '/');
	const char *dir = ".";
	if (slash == parent)
		dir = "/";
	else if (slash) {
		*slash = '\0';
		dir = parent;
	}
	int r = stat(dir, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : e;
	free(parent);
	return r;
}

int main(int argc, char **argv)
{
	struct arsync_options opt;
	switch (options_parse(argc, argv, &opt, stdout, stderr)) {
	case OPTIONS_DONE:
		return 0;
	case OPTIONS_USAGE:
		return EXIT_USAGE;
	case OPTIONS_RUN:
		break;
	}
	if (interrupt_install() < 0) {
		report_error("arsync", "install signal handlers", errno);
		return EXIT_USAGE;
	}
	raise_fd_limit();
	/* Data buffers come and go by the megabyte: keep them off mmap/munmap. */
	mallopt(M_MMAP_THRESHOLD, 64 * 1024 * 1024);
	mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
	/* One arena grown in large steps: no mprotect per page of a thread's heap. */
	mallopt(M_ARENA_MAX, 1);
	mallopt(M_TOP_PAD, 16 * 1024 * 1024);

	char *src = strip_trailing_slashes(opt.src);
	char *dst = strip_trailing_slashes(opt.dst);
	if (!src || !dst) {
		report_error(opt.src, "start", ENOMEM);
		free(src);
		free(dst);
		return EXIT_USAGE;
	}
	/* The two roots are the only paths opened by name. */
	int srcfd = open(opt.src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (srcfd < 0) {
		int e = errno;
		if (e == ENOTDIR)
			report_with_hint(src, "open source directory", e,
					 "SRC must be a directory: DST becomes a copy of its contents, "
					 "as with rsync -a SRC/ DST/; copy a single file with cp -a");
		else
			report_error(src, "open source directory", e);
		free(src);
		free(dst);
		return EXIT_PARTIAL;
	}
	if (!opt.recursive) {
		/* As rsync without -r (or -a, or -d): the directory SRC is skipped,
		 * said on stdout, and DST is left as it is. */
		int e = dst_parent_missing(dst);
		if (e)
			report_with_hint(dst, "find destination directory", e, hint_parent);
		else
			printf("skipping directory %s\n", skipped_dir_name(opt.src, src));
		close(srcfd);
		free(src);
		free(dst);
		return e ? EXIT_USAGE : 0;
	}
	/* A DST that cannot be made (no parent) or is no directory is a usage
	 * error, like a bad option: nothing is copied. */
	bool dst_created = mkdirat(AT_FDCWD, opt.dst, 0700) == 0;
	if (!dst_created && errno != EEXIST) {
		int e = errno;
		bool usage = e == ENOENT || e == ENOTDIR;
		if (usage)
			report_with_hint(dst, "create destination directory", e, hint_parent);
		else
			report_error(dst, "create destination directory", e);
		close(srcfd);
		free(src);
		free(dst);
		return usage ? EXIT_USAGE : EXIT_PARTIAL;
	}
	int dstfd = open(opt.dst, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dstfd < 0) {
		int e = errno;
		if (e == ENOTDIR)
			report_with_hint(dst, "open destination directory", e, hint_notdir);
		else
			report_error(dst, "open destination directory", e);
		close(srcfd);
		free(src);
		free(dst);
		return e == ENOTDIR ? EXIT_USAGE : EXIT_PARTIAL;
	}
	struct copier c;
	memset(&c, 0, sizeof(c));
	c.opt = &opt;
	c.is_root = geteuid() == 0;
	c.fd_limit = fd_limit();
	c.fds_at_start = fds_open(c.fd_limit);
	unsigned long needed = FDS_NEEDED + copier_transient_fds(&c);
	if (c.fd_limit < c.fds_at_start + needed) {
		fprintf(stderr, "arsync: RLIMIT_NOFILE: check the open-file limit: %lu is too low: "
			"arsync needs at least %lu file descriptors here (%lu already open), "
			"whatever the tree (raise it: ulimit -n %lu)\n",
			c.fd_limit, c.fds_at_start + needed, c.fds_at_start, c.fds_at_start + needed);
		close(srcfd);
		close(dstfd);
		if (dst_created)
			unlinkat(AT_FDCWD, opt.dst, AT_REMOVEDIR);
		free(src);
		free(dst);
		return EXIT_USAGE;
	}
	c.umask = umask(0);
	umask(c.umask);
	c.euid = geteuid();
	c.egid = getegid();
	/* linkat(fd, "", AT_EMPTY_PATH) needs CAP_DAC_READ_SEARCH. */
	atomic_init(&c.use_tmpfile, c.is_root && !opt.inplace);
	c.nworkers = opt.threads ? opt.threads : cpu_count();
	if (c.nworkers > MAX_THREADS)
		c.nworkers = MAX_THREADS;

	int rc = copier_run(&c, srcfd, dstfd, src, dst, dst_created);
	if (c.same_root) {
		fprintf(stderr, "arsync: %s: copy from %s: the same directory: nothing to copy\n", dst,
			src);
		free(src);
		free(dst);
		return EXIT_USAGE;
	}
	free(src);
	free(dst);
	if (rc < 0)
		return EXIT_PARTIAL;
	if (stop_requested()) {
		fprintf(stderr, "arsync: interrupted by signal %d (%s); temporary files removed\n",
			stop_signal(), strsignal(stop_signal()));
		return EXIT_SIGNAL;
	}
	/* As rsync: entries that vanished give 24, unless others failed (23). */
	unsigned long gone = vanished_count(), failed = error_count();
	if (gone && !failed)
		fprintf(stderr, "arsync: warning: %lu source %s vanished before %s could be copied (code %d)\n",
			gone, gone == 1 ? "entry" : "entries", gone == 1 ? "it" : "they", EXIT_VANISHED);
	else if (gone)
		fprintf(stderr, "arsync: %lu source %s vanished before %s could be copied, and %lu other %s failed (code %d)\n",
			gone, gone == 1 ? "entry" : "entries", gone == 1 ? "it" : "they", failed,
			failed == 1 ? "entry" : "entries", EXIT_PARTIAL);
	return failed ? EXIT_PARTIAL : gone ? EXIT_VANISHED : 0;
}
