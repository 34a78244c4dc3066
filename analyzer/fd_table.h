/* fd_table: which file each fd of each traced process names.
 *
 * One table per set of processes that share their fds: threads and
 * clone(CLONE_FILES) children share one (reference counted); fork, vfork
 * and clone without CLONE_FILES get a copy, which shares the parent's
 * storage until one of them writes to it (copied then a chunk of 64 fds
 * at a time). Memory follows the number of fds in use, not the highest
 * fd number (up to 2^24). Under strace -f a child's
 * first calls often appear before the parent's clone returns; such a pid
 * gets a provisional table, merged into (CLONE_FILES) or laid over a copy
 * of (fork) its parent's table when the clone result names it. The table
 * also holds, for io_uring fds, the ring they stand for; the current
 * directory is kept per process (fdt_cwd), shared by CLONE_FS. Paths are
 * strpool ids.
 */
#ifndef ARSYNC_FD_TABLE_H
#define ARSYNC_FD_TABLE_H

#include "classify.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FD_NO_PATH UINT32_MAX

struct fd_info {
	uint32_t path;   /* strpool id, FD_NO_PATH if unknown */
	int32_t ring;    /* io_uring ring index (caller's numbering), -1 if none */
	uint8_t kind;    /* enum fd_kind */
	uint8_t state;   /* internal: 0 free, 1 open, 2 closed in a provisional table */
	uint8_t cloexec; /* closed by a successful execve */
};

struct fd_tables;
struct fd_table;

struct fd_tables *fdt_new(void);
void fdt_free(struct fd_tables *t);

/* The table of PID, created (provisional) if the pid is new. NULL only
 * when out of memory. */
struct fd_table *fdt_for_pid(struct fd_tables *t, int pid);

/* Open fd FD in TAB, or NULL. */
const struct fd_info *fdt_get(const struct fd_table *tab, int fd);

/* FD now names PATH (FD_NO_PATH if unknown) of KIND. 0, or -1 (no memory / bad fd). */
int fdt_open(struct fd_table *tab, int fd, uint32_t path, enum fd_kind kind, bool cloexec);

/* Sets the path and kind of an already open fd, or opens it (as from a -y
 * decoration of an inherited fd). Keeps its ring and cloexec flag. */
int fdt_learn(struct fd_table *tab, int fd, uint32_t path, enum fd_kind kind);

void fdt_set_ring(struct fd_table *tab, int fd, int32_t ring);
void fdt_close(struct fd_table *tab, int fd);

/* close_range(FIRST, LAST, flags): close, or with CLOEXEC_ONLY only mark. */
void fdt_close_range(struct fd_table *tab, int first, int last, bool cloexec_only);

/* dup/dup2/dup3/F_DUPFD: NEWFD becomes what OLDFD is (unknown if OLDFD is). */
int fdt_dup(struct fd_table *tab, int oldfd, int newfd, bool cloexec);

/* A successful execve: O_CLOEXEC fds are closed. Call fdt_unshare first:
 * execve acts on a private copy of a table shared with other processes. */
void fdt_exec(struct fd_table *tab);

/* PID's table made private (execve, close_range with CLOSE_RANGE_UNSHARE):
 * copied when other pids share it; for a pid whose clone has not returned
 * yet, noted so the clone gives it a copy. Returns PID's table (NULL only
 * out of memory). Range changes (close_range, execve) a pid makes before
 * its clone returns are kept and replayed on what it inherits. */
struct fd_table *fdt_unshare(struct fd_tables *t, int pid);

/* PID's current directory (strpool id), FD_NO_PATH if unknown. It belongs
 * to the process's filesystem context, shared by CLONE_FS (not by
 * CLONE_FILES, which shares the fd table). */
uint32_t fdt_cwd(struct fd_tables *t, int pid);
void fdt_set_cwd(struct fd_tables *t, int pid, uint32_t path);

/* PARENT created CHILD: with SHARE_FS (CLONE_FS) they share one current
 * directory, else CHILD starts with a copy (a directory CHILD set before
 * the clone returned wins). 0, or -1 when out of memory. */
int fdt_clone_fs(struct fd_tables *t, int parent, int child, bool share_fs);

/* A number that identifies the table (for ring keys). */
unsigned fdt_id(const struct fd_table *tab);

/* PARENT created CHILD (clone/clone3/fork/vfork result). SHARE_FILES:
 * CLONE_FILES was set. 0, or -1 when out of memory. */
int fdt_clone(struct fd_tables *t, int parent, int child, bool share_files);

/* PID exited: its reference to its table is dropped. */
void fdt_exit(struct fd_tables *t, int pid);

/* Bytes allocated for all tables now, and at most so far. */
size_t fdt_footprint(const struct fd_tables *t);
size_t fdt_footprint_peak(const struct fd_tables *t);

#endif
