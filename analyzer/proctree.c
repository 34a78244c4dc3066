/* proctree: a process group, and a cgroup v2 when one can be made. */
#include "proctree.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The cgroup2 mount point, from /proc/self/mountinfo; false when none. */
static bool cgroup2_mount(char *out, size_t outsz)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return false;
	char *line = NULL;
	size_t cap = 0;
	bool found = false;
	while (!found && getline(&line, &cap, f) > 0) {
		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [TAGS...] - FSTYPE SOURCE SUPER */
		char *dash = strstr(line, " - ");
		if (!dash || strncmp(dash + 3, "cgroup2 ", 8) != 0)
			continue;
		char *save = NULL, *tok = strtok_r(line, " ", &save);
		for (int i = 0; tok && i < 4; i++)
			tok = strtok_r(NULL, " ", &save);
		if (tok && !strchr(tok, '\\') && strlen(tok) < outsz) {
			snprintf(out, outsz, "%s", tok);
			found = true;
		}
	}
	free(line);
	fclose(f);
	return found;
}

/* Our own cgroup v2 path ("0::/x/y" in /proc/self/cgroup), "" for the root. */
static bool own_cgroup(char *out, size_t outsz)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	if (!f)
		return false;
	char line[1024];
	bool found = false;
	while (!found && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3) != 0)
			continue;
		line[strcspn(line, "\n")] = '\0';
		const char *p = line + 3;
		if (strcmp(p, "/") == 0)
			p = "";
		if (strlen(p) < outsz && !strstr(p, " (deleted)")) {
			snprintf(out, outsz, "%s", p);
			found = true;
		}
	}
	fclose(f);
	return found;
}

static int write_file(const char *dir, const char *name, const char *text)
{
	char p[600];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	int fd = open(p, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

void proctree_init(struct proctree *t)
{
	static unsigned seq;
	memset(t, 0, sizeof(*t));
	char mnt[256], own[256], dir[sizeof(t->cg)];
	if (!cgroup2_mount(mnt, sizeof(mnt)) || !own_cgroup(own, sizeof(own)))
		return;
	int n = snprintf(dir, sizeof(dir), "%s%s/arsync-analyze-%d-%u", mnt, own, (int)getpid(),
	                 seq++);
	if (n < 0 || (size_t)n >= sizeof(dir) || mkdir(dir, 0755) != 0)
		return;
	/* Usable only if a process can be put in it (a cgroup with controllers
	 * enabled for its children refuses; so does a read-only hierarchy). */
	char probe[600];
	snprintf(probe, sizeof(probe), "%s/cgroup.procs", dir);
	if (access(probe, W_OK) != 0) {
		rmdir(dir);
		return;
	}
	snprintf(t->cg, sizeof(t->cg), "%s", dir);
}

void proctree_child_enter(const struct proctree *t)
{
	setpgid(0, 0);
	if (t->cg[0])
		write_file(t->cg, "cgroup.procs", "0\n");
}

void proctree_adopt(struct proctree *t, pid_t pid)
{
	t->leader = pid;
	setpgid(pid, pid);
	if (t->cg[0]) {
		char b[32];
		snprintf(b, sizeof(b), "%d\n", (int)pid);
		if (write_file(t->cg, "cgroup.procs", b) != 0 && errno != ESRCH) {
			/* Cannot hold it: the process group alone will do. */
			rmdir(t->cg);
			t->cg[0] = '\0';
		}
	}
}

/* Calls FN on each pid in the cgroup; returns how many there were. */
static int each_member(const struct proctree *t, int sig)
{
	if (!t->cg[0])
		return 0;
	char p[600];
	snprintf(p, sizeof(p), "%s/cgroup.procs", t->cg);
	FILE *f = fopen(p, "re");
	if (!f)
		return 0;
	int n = 0, pid;
	while (fscanf(f, "%d", &pid) == 1) {
		n++;
		if (sig)
			kill(pid, sig);
	}
	fclose(f);
	return n;
}

void proctree_signal(const struct proctree *t, int sig)
{
	if (t->leader > 0)
		kill(-t->leader, sig);
	if (t->cg[0] && !(sig == SIGKILL && write_file(t->cg, "cgroup.kill", "1") == 0))
		each_member(t, sig);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int proctree_end(struct proctree *t)
{
	int left = each_member(t, 0);
	if (left == 0 && t->leader > 0 && kill(-t->leader, 0) == 0)
		left = 1; /* the process group, when there is no cgroup */
	proctree_signal(t, SIGKILL);
	if (t->cg[0]) {
		double until = now() + 1.0;
		while (rmdir(t->cg) != 0 && errno == EBUSY && now() < until) {
			struct timespec ts = {0, 10 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
		t->cg[0] = '\0';
	}
	t->leader = 0;
	return left;
}

const char *proctree_kind(const struct proctree *t)
{
	return t->cg[0] ? "cgroup" : "process group";
}
