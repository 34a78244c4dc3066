/* uring_capture: io_uring tracepoints of one run through a private tracefs
 * instance. Everything is a small text file under tracefs: mkdir creates the
 * instance, writes configure it, rmdir removes it. */
#include "uring_capture.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

struct uring_capture {
	char dir[512]; /* .../instances/arsync-analyze-PID */
	bool created;
};

/* Events enabled in the instance. io_uring_complete doubles the volume but
 * gives the result of every request; the buffer is sized for it. */
static const char *const capture_events[] = {
    "io_uring_create",
    "io_uring_submit_req",
    "io_uring_queue_async_work",
    "io_uring_complete",
};

/* The instance's ring buffer is per CPU: 64 MiB in all, 1 to 16 MiB a CPU
 * (a copy of tens of thousands of files fits; overruns show as LOST lines). */
#define CAPTURE_TOTAL_KB 65536
#define CAPTURE_MIN_KB 1024
#define CAPTURE_MAX_KB 16384

int uring_mode_parse(const char *s, enum uring_mode *mode)
{
	if (strcmp(s, "auto") == 0)
		*mode = URING_AUTO;
	else if (strcmp(s, "on") == 0)
		*mode = URING_ON;
	else if (strcmp(s, "off") == 0)
		*mode = URING_OFF;
	else
		return -1;
	return 0;
}

static bool has_instances(const char *root)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/instances", root);
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *uring_tracefs_root(char *reason, size_t reasonlen)
{
	static const char *const roots[] = {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"};
	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++)
		if (has_instances(roots[i]))
			return roots[i];
	/* Not mounted: mount it where the kernel provides the mount point. */
	struct stat st;
	if (stat(roots[0], &st) != 0) {
		snprintf(reason, reasonlen, "tracefs not available: %s: %s", roots[0],
		         strerror(errno));
		return NULL;
	}
	if (mount("tracefs", roots[0], "tracefs", 0, NULL) != 0) {
		snprintf(reason, reasonlen, "tracefs not available: mount tracefs on %s: %s",
		         roots[0], strerror(errno));
		return NULL;
	}
	if (!has_instances(roots[0])) {
		snprintf(reason, reasonlen,
		         "tracefs not available: %s/instances missing after mount", roots[0]);
		return NULL;
	}
	return roots[0];
}

/* Writes TEXT into DIR/FILE. */
static int write_file(const char *dir, const char *file, const char *text, char *err, size_t errlen)
{
	char p[768];
	snprintf(p, sizeof(p), "%s/%s", dir, file);
	int fd = open(p, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "open %s: %s", p, strerror(errno));
		return -1;
	}
	size_t len = strlen(text);
	ssize_t n = write(fd, text, len);
	int saved = errno;
	close(fd);
	if (n != (ssize_t)len) {
		snprintf(err, errlen, "write '%s' to %s: %s", text, p,
		         n < 0 ? strerror(saved) : "short write");
		return -1;
	}
	return 0;
}

/* Instances left by an arsync-analyze that was killed (SIGKILL, crash)
 * keep their buffers allocated: remove those whose pid is gone. */
static void remove_stale_instances(const char *root)
{
	char dir[512];
	snprintf(dir, sizeof(dir), "%s/instances", root);
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		int pid;
		char tail;
		if (sscanf(de->d_name, "arsync-analyze-%d%c", &pid, &tail) != 1 || pid <= 0)
			continue;
		if (kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		char inst[768], ignored[256];
		snprintf(inst, sizeof(inst), "%s/%s", dir, de->d_name);
		(void)write_file(inst, "tracing_on", "0", ignored, sizeof(ignored));
		(void)write_file(inst, "events/enable", "0", ignored, sizeof(ignored));
		(void)rmdir(inst);
	}
	closedir(d);
}

struct uring_capture *uring_capture_prepare(enum uring_mode mode, char *reason, size_t reasonlen)
{
	if (mode == URING_OFF) {
		snprintf(reason, reasonlen, "disabled by --uring-ops off");
		return NULL;
	}
	if (geteuid() != 0) {
		snprintf(reason, reasonlen, "not root (tracefs needs root)");
		return NULL;
	}
	const char *root = uring_tracefs_root(reason, reasonlen);
	if (!root)
		return NULL;
	char p[512];
	snprintf(p, sizeof(p), "%s/events/io_uring/io_uring_submit_req", root);
	struct stat st;
	if (stat(p, &st) != 0) {
		snprintf(reason, reasonlen,
		         "tracefs not available: the kernel has no io_uring tracepoints (%s: %s)",
		         p, strerror(errno));
		return NULL;
	}

	remove_stale_instances(root);
	struct uring_capture *c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(reason, reasonlen, "out of memory");
		return NULL;
	}
	snprintf(c->dir, sizeof(c->dir), "%s/instances/arsync-analyze-%d", root, (int)getpid());
	if (mkdir(c->dir, 0700) != 0) {
		snprintf(reason, reasonlen, "tracefs not available: mkdir %s: %s", c->dir,
		         strerror(errno));
		free(c);
		return NULL;
	}
	c->created = true;

	long cpus = sysconf(_SC_NPROCESSORS_CONF);
	long per_cpu = CAPTURE_TOTAL_KB / (cpus > 0 ? cpus : 1);
	if (per_cpu < CAPTURE_MIN_KB)
		per_cpu = CAPTURE_MIN_KB;
	if (per_cpu > CAPTURE_MAX_KB)
		per_cpu = CAPTURE_MAX_KB;
	char kb[32];
	snprintf(kb, sizeof(kb), "%ld", per_cpu);
	if (write_file(c->dir, "tracing_on", "0", reason, reasonlen) != 0 ||
	    write_file(c->dir, "buffer_size_kb", kb, reason, reasonlen) != 0 ||
	    write_file(c->dir, "options/event-fork", "1", reason, reasonlen) != 0)
		goto fail;
	for (size_t i = 0; i < sizeof(capture_events) / sizeof(capture_events[0]); i++) {
		char ev[128];
		snprintf(ev, sizeof(ev), "events/io_uring/%s/enable", capture_events[i]);
		/* io_uring_submit_req is required; the others only add detail. */
		char ignored[256];
		if (strcmp(capture_events[i], "io_uring_submit_req") == 0) {
			if (write_file(c->dir, ev, "1", reason, reasonlen) != 0)
				goto fail;
		} else {
			(void)write_file(c->dir, ev, "1", ignored, sizeof(ignored));
		}
	}
	return c;
fail:
	uring_capture_free(c);
	return NULL;
}

int uring_capture_follow(struct uring_capture *c, pid_t pid, char *err, size_t errlen)
{
	char s[32];
	snprintf(s, sizeof(s), "%d", (int)pid);
	if (write_file(c->dir, "set_event_pid", s, err, errlen) != 0)
		return -1;
	return write_file(c->dir, "tracing_on", "1", err, errlen);
}

int uring_capture_save(struct uring_capture *c, const char *out_path, unsigned long *events,
                       unsigned long *lost, char *err, size_t errlen)
{
	if (events)
		*events = 0;
	if (lost)
		*lost = 0;
	if (write_file(c->dir, "tracing_on", "0", err, errlen) != 0)
		return -1;
	char p[768];
	snprintf(p, sizeof(p), "%s/trace", c->dir);
	FILE *in = fopen(p, "re");
	if (!in) {
		snprintf(err, errlen, "open %s: %s", p, strerror(errno));
		return -1;
	}
	FILE *out = fopen(out_path, "we");
	if (!out) {
		snprintf(err, errlen, "create %s: %s", out_path, strerror(errno));
		fclose(in);
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long count = 0, lost_events = 0;
	int rc = 0;
	while ((n = getline(&line, &cap, in)) > 0) {
		const char *l = strstr(line, "[LOST ");
		if (l)
			lost_events += strtoul(l + 6, NULL, 10);
		else if (line[0] != '#')
			count++;
		if (fwrite(line, 1, (size_t)n, out) != (size_t)n) {
			snprintf(err, errlen, "write %s: %s", out_path, strerror(errno));
			rc = -1;
			break;
		}
	}
	if (rc == 0 && ferror(in)) {
		snprintf(err, errlen, "read %s: %s", p, strerror(errno));
		rc = -1;
	}
	free(line);
	fclose(in);
	if (fclose(out) != 0 && rc == 0) {
		snprintf(err, errlen, "write %s: %s", out_path, strerror(errno));
		rc = -1;
	}
	if (events)
		*events = count;
	if (lost)
		*lost = lost_events;
	return rc;
}

void uring_capture_free(struct uring_capture *c)
{
	if (!c)
		return;
	if (c->created) {
		char ignored[256];
		(void)write_file(c->dir, "tracing_on", "0", ignored, sizeof(ignored));
		/* Events must be off before the kernel lets the instance go. */
		(void)write_file(c->dir, "events/enable", "0", ignored, sizeof(ignored));
		if (rmdir(c->dir) != 0)
			fprintf(
			    stderr,
			    "arsync-analyze: warning: could not remove tracefs instance %s: %s\n",
			    c->dir, strerror(errno));
	}
	free(c);
}
