/* engine.h - the copy engine's shared types: directories, tasks, workers.
 *
 * The key idea: the tree walk is a work stack, not recursion. A directory
 * is listed once (getdents64) and its names go onto a shared LIFO stack
 * in batches; worker threads, each with its own io_uring, pop batches and
 * drive every entry through a small state machine (statx, open, read and
 * write, metadata, close, rename), many entries in flight at once. A
 * directory node counts its unfinished children; when the count reaches
 * zero its own mode and times are set, and its parent is told. */
#ifndef ARSYNC_ENGINE_H
#define ARSYNC_ENGINE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "options.h"
#include "ring.h"

struct worker;
struct task;
struct hlgroup;

/* A source directory being copied, and its destination twin. */
struct dirnode {
	struct dirnode *parent;
	char *path;     /* source path for messages: SRC/a/b */
	char *dstpath;  /* destination path for messages: DST/a/b */
	char *relpath;  /* path relative to SRC, for -v ("" for the root) */
	char *name;     /* name in the parent (NULL for the root) */
	int srcfd;      /* -1 when not open */
	int dstfd;
	struct statx st;    /* the source directory */
	atomic_int users;   /* tasks using srcfd/dstfd now: not closed while > 0 */
	atomic_int queued;  /* its batches of names on the stack: closed only
	                     * when nothing else can move */
	bool closed;        /* fds closed to stay within the budget: reopened by name */
	bool lost;          /* reopening failed (reported): the fds stay closed */
	bool on_lru;        /* on copier.lru_head (fds open) */
	struct dirnode *lru_prev, *lru_next;
	dev_t src_dev, dst_dev; /* what srcfd/dstfd were, recorded when closed */
	ino_t src_ino, dst_ino;
	bool created;       /* the destination directory is new */
	bool counted;       /* counts in copier.open_dirs (fds open or opening) */
	bool plain;         /* not setgid, no default ACL: new entries get our
	                     * egid and exactly their mode minus the umask */
	bool tweaked;       /* made u+rwx for the update (not root): its mode
	                     * is set back when it is done */
	mode_t restore_mode; /* its mode before, when tweaked */
	atomic_int pending; /* 1 until listed + one per unfinished child */
	atomic_int refs;    /* holders of the node (itself, its subdirectories,
	                     * hardlink groups) */
};

/* What a CQE's user_data points to. */
enum op_kind {
	OP_SLOT,  /* result goes to task->res[idx] */
	OP_READ,  /* data chunk idx, read half */
	OP_WRITE, /* data chunk idx, write half */
	OP_AUX,   /* side operation (fallocate): only errors matter */
};

struct op {
	struct task *task;
	enum op_kind kind;
	int idx;
};

enum task_kind {
	TASK_DIR,   /* open a directory (already made in DST) and list it */
	TASK_BATCH, /* up to BATCH_NAMES names of one listed directory */
	TASK_ENTRY, /* one name: statx, then by type */
};

enum entry_role {
	ROLE_STAT,
	ROLE_MKDIR,
	ROLE_FILE,
	ROLE_SYMLINK,
	ROLE_DEVICE,
	ROLE_HARDLINK,
	ROLE_CLEANUP, /* stale temporaries of earlier runs in a directory (names) */
};

/* Temporary names are ".NAME.PID.N" (hex PID and counter), with NAME cut
 * to this many bytes: see temp_name(). */
#define TEMP_BASE_MAX 200

#define BATCH_NAMES 256 /* a directory of up to this many names stays with one worker */
#define TASK_SLOTS 4
#define PIPE_POOL_MAX 32

struct filedata; /* filecopy.c */

struct task {
	struct task *next;
	enum task_kind kind;
	enum entry_role role;
	int phase;
	int inflight;        /* slot/aux operations not completed */
	struct dirnode *dir; /* TASK_DIR: the directory; else its parent */
	char *name;          /* entry name (TASK_ENTRY) */
	struct statx st;
	int res[TASK_SLOTS];
	struct op ops[TASK_SLOTS];
	struct op aux_op;
	int sfd, dfd;
	char *tmpname;       /* temporary name in dir->dstfd */
	bool tmp_created;
	bool anon;           /* dfd is an unnamed O_TMPFILE inode */
	bool holds_slot;     /* counts against the worker's open-file limit */
	bool failed;
	bool queued;         /* on the worker's ready list */
	bool forced;         /* let past the fd budget: nothing else could move */
	bool huge;           /* holds one of the worker's turns for huge files */
	bool same_file;      /* --inplace: the destination is the source inode itself */
	bool rmdir_tried;    /* a directory in the way of the name was removed (once) */
	bool parent_held;    /* TASK_DIR: a user of dir->parent's fds */
	bool dir_held;       /* TASK_DIR: a user of dir's fds (listing) */
	bool linkdir_held;   /* -H: a user of linkdir's fds */
	bool dir_unheld;     /* -H: parked in its group, not a user of dir's fds */
	struct statx *dst_st; /* --inplace: the opened destination's statx */
	int retries;
	double emfile_since;  /* first EMFILE of the current back-off (monotonic s) */
	char *target;        /* symlink target, or -H leader's name */
	struct hlgroup *group;
	struct dirnode *linkdir; /* -H: the leader's directory (referenced) */
	struct filedata *data;
	/* TASK_BATCH */
	int nnames;
	char **names;        /* BATCH_NAMES slots (ROLE_CLEANUP: nnames) */
};

struct copier {
	const struct arsync_options *opt;
	mode_t umask;
	bool is_root; /* euid 0: ownership and devices can be set */
	uid_t euid;
	uint64_t dst_ino;     /* the destination root, never copied into itself */
	uint32_t dst_dev_major, dst_dev_minor;
	bool same_root;       /* SRC and DST are one directory: nothing was copied */
	gid_t egid;
	atomic_bool use_tmpfile; /* new files start as O_TMPFILE, linked in when complete */
	unsigned nworkers;    /* most worker threads (each with a ring) */
	unsigned long fd_limit;     /* RLIMIT_NOFILE */
	unsigned long fds_at_start; /* open when the copy starts (roots included) */
	atomic_uint nstarted; /* started so far; more start only when work piles up */
	atomic_bool spawn_failed;
	pthread_t *tids;
	struct worker *workers;

	pthread_mutex_t lock; /* guards stack, done */
	pthread_cond_t cond;
	struct task *stack;   /* LIFO of TASK_DIR and TASK_BATCH */
	bool done;            /* the root directory is finished */
	int setup_error;      /* a worker could not set up its ring */

	pthread_mutex_t hl_lock;
	struct hlgroup **hl_table;
	size_t hl_buckets;

	pthread_mutex_t fd_lock; /* guards the fds of directories off the root, lru */
	struct dirnode *lru_head, *lru_tail; /* open directories, least recently used first */
	atomic_uint open_dirs;  /* directories whose fds are open (not the root) */
	atomic_uint max_dirs;   /* budget for open_dirs, lowered on EMFILE */
	unsigned dirs_slack;    /* 1: one more may open when nothing else can move */
	atomic_ullong files_done, bytes_done, bytes_seen, entries_seen;
	atomic_ullong files_uptodate; /* left alone by the quick check (second runs) */
	atomic_uint tmp_counter;
	atomic_bool out_gone;  /* stdout is a closed pipe: no more -v lines */
	atomic_bool err_gone;  /* stderr is a closed pipe: no more progress */
	unsigned pid;
	double start_time;
};

struct worker {
	struct copier *c;
	unsigned id;
	struct ring ring;
	struct task *ready_head, *ready_tail;
	struct task *fdwait;    /* waiting for an open-file slot or a directory's fds */
	struct task *dirwait;   /* directory jobs waiting for open_dirs to drop */
	unsigned active;        /* entries and directory jobs owned */
	bool admit_blocked;     /* a batch was put back: its directory's fds wait */
	unsigned max_active;
	unsigned open_files;    /* tasks holding open fds */
	unsigned max_open;
	size_t buf_bytes;       /* data buffers in use */
	void *free_bufs;        /* cache of CHUNK_SIZE buffers */
	unsigned nfree_bufs;
	int free_pipes[PIPE_POOL_MAX][3]; /* idle, empty pipes for splice: fds, size */
	unsigned nfree_pipes;
	bool no_splice;         /* pipes could not be made: use buffers */
	unsigned pipes_out;     /* pipes held by chunks */
	unsigned nhuge;         /* files from HUGE_MIN this worker copies now */
	struct task *hugewait;  /* further such files, waiting their turn */
	unsigned max_pipes;
	double last_progress;
};

/* walk.c */
int copier_run(struct copier *c, int srcfd, int dstfd, const char *srcpath, const char *dstpath,
	       bool dst_created);
/* Fds a worker opens for a moment, beyond those of directories, files
 * and pipes, and closes before it does anything else: the O_PATH fds of
 * a symlink, device or FIFO and of its copy, for their extended
 * attributes (-X as root), or the O_PATH fd through which a destination
 * directory its owner cannot open is made writable (not root). */
unsigned long copier_transient_fds(const struct copier *c);
void task_ready(struct worker *w, struct task *t);
struct io_uring_sqe *task_sqe(struct worker *w, struct task *t, int slot);
void task_finish(struct worker *w, struct task *t);
void dirnode_ref(struct dirnode *d);
void dirnode_unref(struct worker *w, struct dirnode *d);
void info_line(struct copier *c, const struct dirnode *dir, const char *name, const char *prefix,
	       const char *suffix);
void verbose_line(struct copier *c, const struct dirnode *dir, const char *name,
		  const char *suffix);
char *temp_name(struct copier *c, const char *name);
void file_slot_release(struct worker *w, struct task *t);
bool file_slot_acquire(struct worker *w, struct task *t);
void task_park_dir(struct task *t);

/* dirfds.c */
void dirfds_init(struct copier *c, unsigned max_dirs);
void dirfds_destroy(struct copier *c);
/* Whether a directory could be opened now (idle ones closed for it). */
bool dirfds_room(struct copier *c);
/* A place in the budget for d, about to be opened; false if none now. */
bool dirfds_reserve(struct copier *c, struct dirnode *d, bool force);
/* d's fds were just opened: its opener is their one user. */
void dirfds_opened(struct copier *c, struct dirnode *d);
/* One more user of d's fds, opened again if the budget closed them:
 * 0, -EAGAIN (no room now; force passes the budget instead) or another
 * -errno (d cannot be opened again; said once). */
int dirfds_acquire(struct worker *w, struct dirnode *d, bool force);
/* d is complete and about to be freed: if its parent's fds were closed,
 * open them from d's through "..", when that is still the same parent. */
void dirfds_reopen_parent(struct worker *w, struct dirnode *d);
void dirfds_hold(struct dirnode *d);    /* one more user, while one is held */
/* A task waiting for a directory's fds: true once it waited too long. */
bool dirfds_patience_over(struct task *t);
void dirfds_release(struct dirnode *d);
void dirfds_forget(struct copier *c, struct dirnode *d); /* d is being freed */

/* filecopy.c */
void filecopy_start(struct worker *w, struct task *t);
void filecopy_run(struct worker *w, struct task *t);
void filecopy_data_cqe(struct worker *w, struct task *t, enum op_kind kind, int idx, int res);
void filecopy_free(struct worker *w, struct task *t);
void buffers_free(struct worker *w);

/* special_files.c */
void symlink_start(struct worker *w, struct task *t);
void symlink_run(struct worker *w, struct task *t);
void device_start(struct worker *w, struct task *t);
void device_run(struct worker *w, struct task *t);
void hardlink_start(struct worker *w, struct task *t);
void hardlink_run(struct worker *w, struct task *t);

/* hardlinks.c */
enum hl_claim {
	HL_COPY,   /* not a hard link (or the group failed): copy the data */
	HL_LEADER, /* first of its group: copy, then call hardlink_leader_done */
	HL_LINK,   /* group copied: link to it */
	HL_WAIT,   /* group being copied: parked, adopted later */
};
int hardlinks_init(struct copier *c);
void hardlinks_free(struct copier *c);
enum hl_claim hardlink_claim(struct copier *c, struct task *t);
void hardlink_leader_done(struct worker *w, struct task *t, bool ok);
void hardlink_link_done(struct worker *w, struct task *t);

/* metadata.c */
enum meta_flags {
	META_MODE = 1,  /* set permissions */
	META_OWNER = 2, /* set owner/group (as -o/-g ask); skipped when already right */
	META_XATTR_PRUNE = 4, /* the destination existed: remove xattrs the source lacks */
};
/* Failures name dir's source path (reading xattrs) or its destination
 * path (setting anything); name NULL: the directory dir itself. */
void metadata_apply_fd(struct copier *c, int srcfd, int dstfd, const struct statx *st,
		       unsigned flags, const struct dirnode *dir, const char *name);
/* Symlinks, devices, FIFOs: srcdirfd + srcname is the source entry (its
 * xattrs are read through it), dirfd + name the destination entry (name
 * may be a temporary one); dir gives the paths for messages, which name
 * srcname. */
void metadata_apply_at(struct copier *c, int srcdirfd, const char *srcname, int dirfd,
		       const char *name, const struct statx *st, bool is_symlink,
		       const struct dirnode *dir);

#endif
