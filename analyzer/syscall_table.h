/* syscall_table: what we know about each x86_64 syscall, as data.
 *
 * One row per syscall name (all of them, like strace's syscallent.h):
 * category, which argument is a path and which a dirfd, TOCTOU role, and
 * whether an io_uring opcode can do the same work. Classification code
 * reads the flags; adding a syscall is adding a row.
 */
#ifndef ARSYNC_SYSCALL_TABLE_H
#define ARSYNC_SYSCALL_TABLE_H

#include <stdbool.h>
#include <stddef.h>

enum sc_category {
	SC_OTHER = 0, /* known, but in no category below */
	SC_FILE_IO,   /* read, write, pread64, copy_file_range, splice, fallocate, ... */
	SC_OPEN,      /* open, openat, openat2, creat, close, close_range, dup* */
	SC_METADATA,  /* stat*, statx, chmod*, chown*, utime*, xattrs, readlink*, access* */
	SC_DIRECTORY, /* getdents64, mkdir*, rmdir, rename*, unlink*, link*, symlink*, mknod* */
	SC_PROCESS,   /* clone*, fork, execve, exit*, wait4, ... */
	SC_THREAD,    /* futex, set_robust_list, rseq, set_tid_address, ... */
	SC_MEMORY,    /* mmap, munmap, mprotect, brk, madvise, ... */
	SC_SIGNAL,    /* rt_sig*, sigaltstack, kill, ... */
	SC_TIME,      /* clock_*, nanosleep, gettimeofday, ... */
	SC_NETWORK,   /* socket, connect, sendto, ... */
	SC_IO_URING,  /* io_uring_setup, io_uring_enter, io_uring_register */
	SC_IPC,       /* pipe*, eventfd*, ... */
	SC_SYSTEM,    /* uname, prctl, getrandom, ioctl, sched_*, ... */
	SC_UNKNOWN,   /* a name not in the table */
	SC__COUNT
};

enum sc_toctou {
	SC_TOCTOU_NONE = 0,
	SC_TOCTOU_CHECK, /* stat/lstat/newfstatat/statx/access/faccessat(2)/readlink(at) on a path */
	SC_TOCTOU_USE,   /* open(at)/creat/chmod/chown(at)/utimensat/truncate/unlink(at)/rename(at)/
	                  * link(at)/setxattr/removexattr(at)/... on a path */
};

/* What a call writes to the file system, for the escapes of the copy
 * (writes outside SRC and DST). Data written through an fd is not here:
 * the open that gave the fd for writing is. */
enum sc_writes {
	SC_WRITES_NONE = 0, /* reads or changes nothing it names */
	SC_WRITES_CHANGE,   /* creates, removes, renames, links or changes the metadata
	                     * (mode, owner, times, xattrs) or size of what it names */
	SC_WRITES_OPEN,     /* an open: writes when its flags say so (O_WRONLY, O_CREAT...) */
};

#define SC_NO_ARG (-1)

/* What else a row is (bits of sc_info.traits). */
enum sc_trait {
	SC_TRAIT_STAT = 1 << 0,        /* a stat of a path or an fd (the stat-per-file figure) */
	SC_TRAIT_META_CHANGE = 1 << 1, /* changes mode, owner, times or xattrs (fd metadata) */
	SC_TRAIT_KERNEL_COPY = 1 << 2, /* the kernel moves the data from one fd to another, with
	                                * no user buffer: copy_file_range, sendfile, splice, tee */
	SC_TRAIT_SYMLINK = 1 << 3,     /* symlink(at): the second path is the link's text */
	SC_TRAIT_RENAME = 1 << 4,      /* rename(at)(2): the first path moves to the second */
	SC_TRAIT_CREATES = 1 << 5,     /* creat: an open that creates, whatever its flags */
};

/* What a call does to the fd table (or a ring), which the aggregation
 * handles per kind (SPC_: special). */
enum sc_fd_effect {
	SPC_NONE = 0,
	SPC_OPEN, /* open, openat, openat2, creat: a new fd for its path */
	SPC_DUP, /* dup, dup2, dup3 */
	SPC_FCNTL, /* F_DUPFD... */
	SPC_CLOSE,
	SPC_CLOSE_RANGE,
	SPC_PIPE, /* pipe, pipe2 */
	SPC_SOCKETPAIR,
	SPC_SOCKET, /* socket, accept, accept4 */
	SPC_EVENTFD, /* eventfd, eventfd2 */
	SPC_OTHERFD, /* epoll, signalfd, timerfd, inotify, pidfd, memfd, ... */
	SPC_URING_SETUP,
	SPC_URING_ENTER,
	SPC_URING_REGISTER,
	SPC_CLONE, /* clone, clone3, fork, vfork */
	SPC_EXECVE, /* execve, execveat */
	SPC_CHDIR,
	SPC_FCHDIR,
	SPC_MKNOD, /* mknod, mknodat */
};

struct sc_info {
	const char *name;
	int nargs;
	enum sc_category category;
	int path_arg;        /* index of the (first) path argument, SC_NO_ARG if none */
	int dirfd_arg;       /* index of its dirfd argument, SC_NO_ARG if none */
	int path2_arg;       /* second path (rename, link, symlink target...), SC_NO_ARG if none */
	int dirfd2_arg;      /* its dirfd, SC_NO_ARG if none */
	int fd_arg;          /* index of a plain fd argument (read, fchmod...), SC_NO_ARG if none */
	int flags_arg;       /* index of an AT_* flags argument (AT_EMPTY_PATH...), SC_NO_ARG if none */
	enum sc_toctou toctou;
	const char *uring_op; /* "IORING_OP_STATX" etc. if io_uring can do it, else NULL */
	bool legacy;          /* an old path-only form with a modern *at/fd equivalent */
	bool data_io;         /* moves file data (read/write/pread64/copy_file_range/...) */
	enum sc_writes writes; /* what it writes to the file system */
	int data_in_arg;       /* data I/O: the fd data is read from, SC_NO_ARG if none */
	int data_out_arg;      /* data I/O: the fd data is written to, SC_NO_ARG if none */
	unsigned traits;       /* enum sc_trait bits */
	enum sc_fd_effect fd_effect;
};

/* The row for NAME, or NULL if unknown. Lookup is O(1) average. */
const struct sc_info *sc_lookup(const char *name);

/* The same when the length is known (sp_event.name_len): no scan of NAME. */
const struct sc_info *sc_lookup_len(const char *name, size_t len);

/* "file_io", "metadata", ... (stable, used as JSON values). */
const char *sc_category_name(enum sc_category c);

/* All rows, *n set to their count. */
const struct sc_info *sc_all(int *n);

/* An io_uring opcode and the syscall whose work it does: a ring request
 * of OPCODE is classified with the row named SYSCALL, as if that syscall
 * had been made directly (openat for OPENAT, renameat2 for RENAMEAT, read
 * for READ_FIXED ...). */
struct sc_uring_op {
	unsigned opcode;     /* IORING_OP_* number (include/uapi/linux/io_uring.h) */
	const char *name;    /* "IORING_OP_OPENAT" */
	const char *syscall; /* the row's name, or NULL: no syscall does its work (NOP,
	                      * TIMEOUT, ASYNC_CANCEL, PROVIDE_BUFFERS, MSG_RING, ...) */
};

/* The entry of OPCODE, or NULL for a number the table lacks. */
const struct sc_uring_op *sc_uring_op(unsigned opcode);

/* The row a request of OPCODE is classified with, or NULL. */
const struct sc_info *sc_for_uring_op(unsigned opcode);

/* "IORING_OP_OPENAT", or "IORING_OP_<N>" in BUF for a number the table lacks. */
const char *sc_uring_op_name(unsigned opcode, char *buf, size_t bufsz);

#endif
