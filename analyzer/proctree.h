/* proctree: everything one program the analyzer starts goes on to start,
 * kept together so that it can be ended whole.
 *
 * The first child leads a process group of its own, and, where the machine
 * lets us make one (root, cgroup v2), the tree also lives in a cgroup of
 * its own under the analyzer's: a grandchild that leaves the process group
 * with setsid() is still in the cgroup, and cgroup.kill ends them all. So
 * nothing the copier (or strace, or cp) started outlives the run.
 */
#ifndef ARSYNC_PROCTREE_H
#define ARSYNC_PROCTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct proctree {
	char cg[512]; /* the cgroup directory, "" when there is none */
	pid_t leader; /* the first child (its process group), 0 before one is adopted */
};

/* Makes the cgroup when it can (*T is usable either way). */
void proctree_init(struct proctree *t);

/* In the child, after fork and before exec: its own process group, and
 * into the cgroup. Async-signal-safe. */
void proctree_child_enter(const struct proctree *t);

/* In the parent, after fork: the same for PID, so that no race with the
 * child's own call leaves it outside. */
void proctree_adopt(struct proctree *t, pid_t pid);

/* Sends SIG to every process of the tree (process group and cgroup). */
void proctree_signal(const struct proctree *t, int sig);

/* Kills whatever is still running in the tree, waits (1 s at most) until
 * the cgroup is empty and removes it. Returns how many processes were
 * still running (started by the program and left behind). */
int proctree_end(struct proctree *t);

/* "cgroup" or "process group": how the tree is held, for the report. */
const char *proctree_kind(const struct proctree *t);

#endif
