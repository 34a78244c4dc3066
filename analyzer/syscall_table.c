/* syscall_table: one row per x86_64 syscall, looked up by name.
 *
 * The rows follow the kernel's numbering (asm/unistd_64.h, 0..469) so the
 * table reads like strace's syscallent.h. Argument indexes are 0-based as
 * strace prints them. A small open-addressing hash over the names is built
 * on first use (pthread_once), so sc_lookup() costs one hash and usually
 * one string compare.
 */
#include "syscall_table.h"

#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>

#define NA SC_NO_ARG
#define T_STAT SC_TRAIT_STAT
#define T_META SC_TRAIT_META_CHANGE
#define T_KCOPY SC_TRAIT_KERNEL_COPY
#define T_SYMLINK SC_TRAIT_SYMLINK
#define T_RENAME SC_TRAIT_RENAME
#define T_CREATES SC_TRAIT_CREATES
#define ROW(n, na, cat, pa, da, p2, d2, fa, fl, tt, op, leg, dio, wr, din, dout, tr, fx)   \
	{ .name = n, .nargs = na, .category = SC_##cat, .path_arg = pa, .dirfd_arg = da,   \
	  .path2_arg = p2, .dirfd2_arg = d2, .fd_arg = fa, .flags_arg = fl,                \
	  .toctou = SC_TOCTOU_##tt, .uring_op = op, .legacy = leg, .data_io = dio,         \
	  .writes = SC_WRITES_##wr, .data_in_arg = din, .data_out_arg = dout, .traits = tr, \
	  .fd_effect = SPC_##fx }

/* name, nargs, category, path, dirfd, path2, dirfd2, fd, at-flags,
 * TOCTOU role, io_uring opcode, legacy, data I/O, what it writes (CHANGE:
 * creates, removes, renames, links or changes the metadata of what it
 * names; OPEN: writes when its open flags say so; NONE), the fd data is
 * read from and the fd it goes to (data I/O only), traits (T_STAT: a
 * stat of a path or fd; T_META: changes mode, owner, times or xattrs;
 * T_KCOPY: the kernel moves the data between two fds, no user buffer;
 * T_SYMLINK: its second path is the link's text, not a path it names;
 * T_RENAME: moves its first path to its second; T_CREATES: an open that
 * always creates), and its effect on the fd table (enum sc_fd_effect) */
static const struct sc_info table[] = {
	ROW("read",                  3, FILE_IO,   NA, NA, NA, NA,  0, NA, NONE, "IORING_OP_READ",                  0, 1, NONE,  0, NA, 0, NONE), /* 0 */
	ROW("write",                 3, FILE_IO,   NA, NA, NA, NA,  0, NA, NONE, "IORING_OP_WRITE",                 0, 1, NONE, NA,  0, 0, NONE), /* 1 */
	ROW("open",                  3, OPEN,       0, NA, NA, NA, NA, NA, USE,  "IORING_OP_OPENAT",                1, 0, OPEN, NA, NA, 0, OPEN), /* 2 */
	ROW("close",                 1, OPEN,      NA, NA, NA, NA,  0, NA, NONE, "IORING_OP_CLOSE",                 0, 0, NONE, NA, NA, 0, CLOSE), /* 3 */
	ROW("stat",                  2, METADATA,   0, NA, NA, NA, NA, NA, CHECK, "IORING_OP_STATX",                 1, 0, NONE, NA, NA, T_STAT, NONE), /* 4 */
	ROW("fstat",                 2, METADATA,  NA, NA, NA, NA,  0, NA, NONE, "IORING_OP_STATX",                 0, 0, NONE, NA, NA, T_STAT, NONE), /* 5 */
	ROW("lstat",                 2, METADATA,   0, NA, NA, NA, NA, NA, CHECK, "IORING_OP_STATX",                 1, 0, NONE, NA, NA, T_STAT, NONE), /* 6 */
	ROW("poll",                  3, IPC,       NA, NA, NA, NA, NA, NA, NONE, "IORING_OP_POLL_ADD",              0, 0, NONE, NA, NA, 0, NONE), /* 7 */
	ROW("lseek",                 3, FILE_IO,   NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 8 */
	ROW("mmap",                  6, MEMORY,    NA, NA, NA, NA,  4, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 9 */
	ROW("mprotect",              3, MEMORY,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 10 */
	ROW("munmap",                2, MEMORY,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 11 */
	ROW("brk",                   1, MEMORY,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 12 */
	ROW("rt_sigaction",          4, SIGNAL,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 13 */
	ROW("rt_sigprocmask",        4, SIGNAL,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 14 */
	ROW("rt_sigreturn",          0, SIGNAL,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 15 */
	ROW("ioctl",                 3, SYSTEM,    NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 16 */
	ROW("pread64",               4, FILE_IO,   NA, NA, NA, NA,  0, NA, NONE, "IORING_OP_READ",                  0, 1, NONE,  0, NA, 0, NONE), /* 17 */
	ROW("pwrite64",              4, FILE_IO,   NA, NA, NA, NA,  0, NA, NONE, "IORING_OP_WRITE",                 0, 1, NONE, NA,  0, 0, NONE), /* 18 */
	ROW("readv",                 3, FILE_IO,   NA, NA, NA, NA,  0, NA, NONE, "IORING_OP_READV",                 0, 1, NONE,  0, NA, 0, NONE), /* 19 */
	ROW("writev",                3, FILE_IO,   NA, NA, NA, NA,  0, NA, NONE, "IORING_OP_WRITEV",                0, 1, NONE, NA,  0, 0, NONE), /* 20 */
	ROW("access",                2, METADATA,   0, NA, NA, NA, NA, NA, CHECK, NULL,                              1, 0, NONE, NA, NA, 0, NONE), /* 21 */
	ROW("pipe",                  1, IPC,       NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, PIPE), /* 22 */
	ROW("select",                5, IPC,       NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 23 */
	ROW("sched_yield",           0, THREAD,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 24 */
	ROW("mremap",                5, MEMORY,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 25 */
	ROW("msync",                 3, MEMORY,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 26 */
	ROW("mincore",               3, MEMORY,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 27 */
	ROW("madvise",               3, MEMORY,    NA, NA, NA, NA, NA, NA, NONE, "IORING_OP_MADVISE",               0, 0, NONE, NA, NA, 0, NONE), /* 28 */
	ROW("shmget",                3, IPC,       NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 29 */
	ROW("shmat",                 3, IPC,       NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 30 */
	ROW("shmctl",                3, IPC,       NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 31 */
	ROW("dup",                   1, OPEN,      NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, DUP), /* 32 */
	ROW("dup2",                  2, OPEN,      NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, DUP), /* 33 */
	ROW("pause",                 0, SIGNAL,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 34 */
	ROW("nanosleep",             2, TIME,      NA, NA, NA, NA, NA, NA, NONE, "IORING_OP_TIMEOUT",               0, 0, NONE, NA, NA, 0, NONE), /* 35 */
	ROW("getitimer",             2, TIME,      NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 36 */
	ROW("alarm",                 1, TIME,      NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 37 */
	ROW("setitimer",             3, TIME,      NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 38 */
	ROW("getpid",                0, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 39 */
	ROW("sendfile",              4, FILE_IO,   NA, NA, NA, NA,  1, NA, NONE, NULL,                              0, 1, NONE,  1,  0, T_KCOPY, NONE), /* 40 */
	ROW("socket",                3, NETWORK,   NA, NA, NA, NA, NA, NA, NONE, "IORING_OP_SOCKET",                0, 0, NONE, NA, NA, 0, SOCKET), /* 41 */
	ROW("connect",               3, NETWORK,   NA, NA, NA, NA,  0, NA, NONE, "IORING_OP_CONNECT",               0, 0, NONE, NA, NA, 0, NONE), /* 42 */
	ROW("accept",                3, NETWORK,   NA, NA, NA, NA,  0, NA, NONE, "IORING_OP_ACCEPT",                0, 0, NONE, NA, NA, 0, SOCKET), /* 43 */
	ROW("sendto",                6, NETWORK,   NA, NA, NA, NA,  0, NA, NONE, "IORING_OP_SEND",                  0, 0, NONE, NA, NA, 0, NONE), /* 44 */
	ROW("recvfrom",              6, NETWORK,   NA, NA, NA, NA,  0, NA, NONE, "IORING_OP_RECV",                  0, 0, NONE, NA, NA, 0, NONE), /* 45 */
	ROW("sendmsg",               3, NETWORK,   NA, NA, NA, NA,  0, NA, NONE, "IORING_OP_SENDMSG",               0, 0, NONE, NA, NA, 0, NONE), /* 46 */
	ROW("recvmsg",               3, NETWORK,   NA, NA, NA, NA,  0, NA, NONE, "IORING_OP_RECVMSG",               0, 0, NONE, NA, NA, 0, NONE), /* 47 */
	ROW("shutdown",              2, NETWORK,   NA, NA, NA, NA,  0, NA, NONE, "IORING_OP_SHUTDOWN",              0, 0, NONE, NA, NA, 0, NONE), /* 48 */
	ROW("bind",                  3, NETWORK,   NA, NA, NA, NA,  0, NA, NONE, "IORING_OP_BIND",                  0, 0, NONE, NA, NA, 0, NONE), /* 49 */
	ROW("listen",                2, NETWORK,   NA, NA, NA, NA,  0, NA, NONE, "IORING_OP_LISTEN",                0, 0, NONE, NA, NA, 0, NONE), /* 50 */
	ROW("getsockname",           3, NETWORK,   NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 51 */
	ROW("getpeername",           3, NETWORK,   NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 52 */
	ROW("socketpair",            4, NETWORK,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, SOCKETPAIR), /* 53 */
	ROW("setsockopt",            5, NETWORK,   NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 54 */
	ROW("getsockopt",            5, NETWORK,   NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 55 */
	ROW("clone",                 5, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, CLONE), /* 56 */
	ROW("fork",                  0, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, CLONE), /* 57 */
	ROW("vfork",                 0, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, CLONE), /* 58 */
	ROW("execve",                3, PROCESS,    0, NA, NA, NA, NA, NA, USE,  NULL,                              0, 0, NONE, NA, NA, 0, EXECVE), /* 59 */
	ROW("exit",                  1, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 60 */
	ROW("wait4",                 4, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 61 */
	ROW("kill",                  2, SIGNAL,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 62 */
	ROW("uname",                 1, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 63 */
	ROW("semget",                3, IPC,       NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 64 */
	ROW("semop",                 3, IPC,       NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 65 */
	ROW("semctl",                4, IPC,       NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 66 */
	ROW("shmdt",                 1, IPC,       NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 67 */
	ROW("msgget",                2, IPC,       NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 68 */
	ROW("msgsnd",                4, IPC,       NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 69 */
	ROW("msgrcv",                5, IPC,       NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 70 */
	ROW("msgctl",                3, IPC,       NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 71 */
	ROW("fcntl",                 3, OPEN,      NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, FCNTL), /* 72 */
	ROW("flock",                 2, FILE_IO,   NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 73 */
	ROW("fsync",                 1, FILE_IO,   NA, NA, NA, NA,  0, NA, NONE, "IORING_OP_FSYNC",                 0, 0, NONE, NA, NA, 0, NONE), /* 74 */
	ROW("fdatasync",             1, FILE_IO,   NA, NA, NA, NA,  0, NA, NONE, "IORING_OP_FSYNC",                 0, 0, NONE, NA, NA, 0, NONE), /* 75 */
	ROW("truncate",              2, FILE_IO,    0, NA, NA, NA, NA, NA, USE,  NULL,                              0, 0, CHANGE, NA, NA, 0, NONE), /* 76 */
	ROW("ftruncate",             2, FILE_IO,   NA, NA, NA, NA,  0, NA, NONE, "IORING_OP_FTRUNCATE",             0, 0, NONE, NA, NA, 0, NONE), /* 77 */
	ROW("getdents",              3, DIRECTORY, NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 78 */
	ROW("getcwd",                2, DIRECTORY, NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 79 */
	ROW("chdir",                 1, DIRECTORY,  0, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, CHDIR), /* 80 */
	ROW("fchdir",                1, DIRECTORY, NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, FCHDIR), /* 81 */
	ROW("rename",                2, DIRECTORY,  0, NA,  1, NA, NA, NA, USE,  "IORING_OP_RENAMEAT",              1, 0, CHANGE, NA, NA, T_RENAME, NONE), /* 82 */
	ROW("mkdir",                 2, DIRECTORY,  0, NA, NA, NA, NA, NA, USE,  "IORING_OP_MKDIRAT",               1, 0, CHANGE, NA, NA, 0, NONE), /* 83 */
	ROW("rmdir",                 1, DIRECTORY,  0, NA, NA, NA, NA, NA, USE,  "IORING_OP_UNLINKAT",              1, 0, CHANGE, NA, NA, 0, NONE), /* 84 */
	ROW("creat",                 2, OPEN,       0, NA, NA, NA, NA, NA, USE,  "IORING_OP_OPENAT",                1, 0, CHANGE, NA, NA, T_CREATES, OPEN), /* 85 */
	ROW("link",                  2, DIRECTORY,  0, NA,  1, NA, NA, NA, USE,  "IORING_OP_LINKAT",                1, 0, CHANGE, NA, NA, 0, NONE), /* 86 */
	ROW("unlink",                1, DIRECTORY,  0, NA, NA, NA, NA, NA, USE,  "IORING_OP_UNLINKAT",              1, 0, CHANGE, NA, NA, 0, NONE), /* 87 */
	ROW("symlink",               2, DIRECTORY,  1, NA,  0, NA, NA, NA, USE,  "IORING_OP_SYMLINKAT",             1, 0, CHANGE, NA, NA, T_SYMLINK, NONE), /* 88 */
	ROW("readlink",              3, METADATA,   0, NA, NA, NA, NA, NA, CHECK, NULL,                              1, 0, NONE, NA, NA, 0, NONE), /* 89 */
	ROW("chmod",                 2, METADATA,   0, NA, NA, NA, NA, NA, USE,  NULL,                              1, 0, CHANGE, NA, NA, T_META, NONE), /* 90 */
	ROW("fchmod",                2, METADATA,  NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, CHANGE, NA, NA, T_META, NONE), /* 91 */
	ROW("chown",                 3, METADATA,   0, NA, NA, NA, NA, NA, USE,  NULL,                              1, 0, CHANGE, NA, NA, T_META, NONE), /* 92 */
	ROW("fchown",                3, METADATA,  NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, CHANGE, NA, NA, T_META, NONE), /* 93 */
	ROW("lchown",                3, METADATA,   0, NA, NA, NA, NA, NA, USE,  NULL,                              1, 0, CHANGE, NA, NA, T_META, NONE), /* 94 */
	ROW("umask",                 1, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 95 */
	ROW("gettimeofday",          2, TIME,      NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 96 */
	ROW("getrlimit",             2, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 97 */
	ROW("getrusage",             2, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 98 */
	ROW("sysinfo",               1, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 99 */
	ROW("times",                 1, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 100 */
	ROW("ptrace",                4, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 101 */
	ROW("getuid",                0, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 102 */
	ROW("syslog",                3, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 103 */
	ROW("getgid",                0, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 104 */
	ROW("setuid",                1, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 105 */
	ROW("setgid",                1, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 106 */
	ROW("geteuid",               0, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 107 */
	ROW("getegid",               0, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 108 */
	ROW("setpgid",               2, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 109 */
	ROW("getppid",               0, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 110 */
	ROW("getpgrp",               0, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 111 */
	ROW("setsid",                0, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 112 */
	ROW("setreuid",              2, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 113 */
	ROW("setregid",              2, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 114 */
	ROW("getgroups",             2, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 115 */
	ROW("setgroups",             2, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 116 */
	ROW("setresuid",             3, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 117 */
	ROW("getresuid",             3, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 118 */
	ROW("setresgid",             3, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 119 */
	ROW("getresgid",             3, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 120 */
	ROW("getpgid",               1, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 121 */
	ROW("setfsuid",              1, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 122 */
	ROW("setfsgid",              1, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 123 */
	ROW("getsid",                1, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 124 */
	ROW("capget",                2, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 125 */
	ROW("capset",                2, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 126 */
	ROW("rt_sigpending",         2, SIGNAL,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 127 */
	ROW("rt_sigtimedwait",       4, SIGNAL,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 128 */
	ROW("rt_sigqueueinfo",       3, SIGNAL,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 129 */
	ROW("rt_sigsuspend",         2, SIGNAL,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 130 */
	ROW("sigaltstack",           2, SIGNAL,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 131 */
	ROW("utime",                 2, METADATA,   0, NA, NA, NA, NA, NA, USE,  NULL,                              1, 0, CHANGE, NA, NA, T_META, NONE), /* 132 */
	ROW("mknod",                 3, DIRECTORY,  0, NA, NA, NA, NA, NA, USE,  NULL,                              1, 0, CHANGE, NA, NA, 0, MKNOD), /* 133 */
	ROW("uselib",                1, SYSTEM,     0, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 134 */
	ROW("personality",           1, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 135 */
	ROW("ustat",                 2, METADATA,  NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 136 */
	ROW("statfs",                2, METADATA,   0, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 137 */
	ROW("fstatfs",               2, METADATA,  NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 138 */
	ROW("sysfs",                 3, OTHER,     NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 139 */
	ROW("getpriority",           2, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 140 */
	ROW("setpriority",           3, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 141 */
	ROW("sched_setparam",        2, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 142 */
	ROW("sched_getparam",        2, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 143 */
	ROW("sched_setscheduler",    3, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 144 */
	ROW("sched_getscheduler",    1, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 145 */
	ROW("sched_get_priority_max", 1, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 146 */
	ROW("sched_get_priority_min", 1, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 147 */
	ROW("sched_rr_get_interval", 2, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 148 */
	ROW("mlock",                 2, MEMORY,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 149 */
	ROW("munlock",               2, MEMORY,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 150 */
	ROW("mlockall",              1, MEMORY,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 151 */
	ROW("munlockall",            0, MEMORY,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 152 */
	ROW("vhangup",               0, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 153 */
	ROW("modify_ldt",            3, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 154 */
	ROW("pivot_root",            2, SYSTEM,     0, NA,  1, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 155 */
	ROW("_sysctl",               1, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 156 */
	ROW("prctl",                 5, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 157 */
	ROW("arch_prctl",            2, THREAD,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 158 */
	ROW("adjtimex",              1, TIME,      NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 159 */
	ROW("setrlimit",             2, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 160 */
	ROW("chroot",                1, DIRECTORY,  0, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 161 */
	ROW("sync",                  0, FILE_IO,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 162 */
	ROW("acct",                  1, SYSTEM,     0, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 163 */
	ROW("settimeofday",          2, TIME,      NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 164 */
	ROW("mount",                 5, SYSTEM,     1, NA,  0, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 165 */
	ROW("umount2",               2, SYSTEM,     0, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 166 */
	ROW("swapon",                2, SYSTEM,     0, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 167 */
	ROW("swapoff",               1, SYSTEM,     0, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 168 */
	ROW("reboot",                4, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 169 */
	ROW("sethostname",           2, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 170 */
	ROW("setdomainname",         2, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 171 */
	ROW("iopl",                  1, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 172 */
	ROW("ioperm",                3, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 173 */
	ROW("create_module",         2, OTHER,     NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 174 */
	ROW("init_module",           3, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 175 */
	ROW("delete_module",         2, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 176 */
	ROW("get_kernel_syms",       1, OTHER,     NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 177 */
	ROW("query_module",          5, OTHER,     NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 178 */
	ROW("quotactl",              4, SYSTEM,     1, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 179 */
	ROW("nfsservctl",            3, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 180 */
	ROW("getpmsg",               5, OTHER,     NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 181 */
	ROW("putpmsg",               5, OTHER,     NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 182 */
	ROW("afs_syscall",           5, OTHER,     NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 183 */
	ROW("tuxcall",               3, OTHER,     NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 184 */
	ROW("security",              3, OTHER,     NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 185 */
	ROW("gettid",                0, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 186 */
	ROW("readahead",             3, FILE_IO,   NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 187 */
	ROW("setxattr",              5, METADATA,   0, NA, NA, NA, NA, NA, USE,  "IORING_OP_SETXATTR",              0, 0, CHANGE, NA, NA, T_META, NONE), /* 188 */
	ROW("lsetxattr",             5, METADATA,   0, NA, NA, NA, NA, NA, USE,  NULL,                              0, 0, CHANGE, NA, NA, T_META, NONE), /* 189 */
	ROW("fsetxattr",             5, METADATA,  NA, NA, NA, NA,  0, NA, NONE, "IORING_OP_FSETXATTR",             0, 0, CHANGE, NA, NA, T_META, NONE), /* 190 */
	ROW("getxattr",              4, METADATA,   0, NA, NA, NA, NA, NA, NONE, "IORING_OP_GETXATTR",              0, 0, NONE, NA, NA, 0, NONE), /* 191 */
	ROW("lgetxattr",             4, METADATA,   0, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 192 */
	ROW("fgetxattr",             4, METADATA,  NA, NA, NA, NA,  0, NA, NONE, "IORING_OP_FGETXATTR",             0, 0, NONE, NA, NA, 0, NONE), /* 193 */
	ROW("listxattr",             3, METADATA,   0, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 194 */
	ROW("llistxattr",            3, METADATA,   0, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 195 */
	ROW("flistxattr",            3, METADATA,  NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 196 */
	ROW("removexattr",           2, METADATA,   0, NA, NA, NA, NA, NA, USE,  NULL,                              0, 0, CHANGE, NA, NA, T_META, NONE), /* 197 */
	ROW("lremovexattr",          2, METADATA,   0, NA, NA, NA, NA, NA, USE,  NULL,                              0, 0, CHANGE, NA, NA, T_META, NONE), /* 198 */
	ROW("fremovexattr",          2, METADATA,  NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, CHANGE, NA, NA, T_META, NONE), /* 199 */
	ROW("tkill",                 2, SIGNAL,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 200 */
	ROW("time",                  1, TIME,      NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 201 */
	ROW("futex",                 6, THREAD,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 202 */
	ROW("sched_setaffinity",     3, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 203 */
	ROW("sched_getaffinity",     3, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 204 */
	ROW("set_thread_area",       1, THREAD,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 205 */
	ROW("io_setup",              2, FILE_IO,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 206 */
	ROW("io_destroy",            1, FILE_IO,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 207 */
	ROW("io_getevents",          5, FILE_IO,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 208 */
	ROW("io_submit",             3, FILE_IO,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 209 */
	ROW("io_cancel",             3, FILE_IO,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 210 */
	ROW("get_thread_area",       1, THREAD,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 211 */
	ROW("lookup_dcookie",        3, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 212 */
	ROW("epoll_create",          1, IPC,       NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, OTHERFD), /* 213 */
	ROW("epoll_ctl_old",         4, OTHER,     NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 214 */
	ROW("epoll_wait_old",        4, OTHER,     NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 215 */
	ROW("remap_file_pages",      5, MEMORY,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 216 */
	ROW("getdents64",            3, DIRECTORY, NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 217 */
	ROW("set_tid_address",       1, THREAD,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 218 */
	ROW("restart_syscall",       0, OTHER,     NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 219 */
	ROW("semtimedop",            4, IPC,       NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 220 */
	ROW("fadvise64",             4, FILE_IO,   NA, NA, NA, NA,  0, NA, NONE, "IORING_OP_FADVISE",               0, 0, NONE, NA, NA, 0, NONE), /* 221 */
	ROW("timer_create",          3, TIME,      NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 222 */
	ROW("timer_settime",         4, TIME,      NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 223 */
	ROW("timer_gettime",         2, TIME,      NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 224 */
	ROW("timer_getoverrun",      1, TIME,      NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 225 */
	ROW("timer_delete",          1, TIME,      NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 226 */
	ROW("clock_settime",         2, TIME,      NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 227 */
	ROW("clock_gettime",         2, TIME,      NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 228 */
	ROW("clock_getres",          2, TIME,      NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 229 */
	ROW("clock_nanosleep",       4, TIME,      NA, NA, NA, NA, NA, NA, NONE, "IORING_OP_TIMEOUT",               0, 0, NONE, NA, NA, 0, NONE), /* 230 */
	ROW("exit_group",            1, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 231 */
	ROW("epoll_wait",            4, IPC,       NA, NA, NA, NA,  0, NA, NONE, "IORING_OP_EPOLL_WAIT",            0, 0, NONE, NA, NA, 0, NONE), /* 232 */
	ROW("epoll_ctl",             4, IPC,       NA, NA, NA, NA,  0, NA, NONE, "IORING_OP_EPOLL_CTL",             0, 0, NONE, NA, NA, 0, NONE), /* 233 */
	ROW("tgkill",                3, SIGNAL,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 234 */
	ROW("utimes",                2, METADATA,   0, NA, NA, NA, NA, NA, USE,  NULL,                              1, 0, CHANGE, NA, NA, T_META, NONE), /* 235 */
	ROW("vserver",               5, OTHER,     NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 236 */
	ROW("mbind",                 6, MEMORY,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 237 */
	ROW("set_mempolicy",         3, MEMORY,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 238 */
	ROW("get_mempolicy",         5, MEMORY,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 239 */
	ROW("mq_open",               4, IPC,       NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 240 */
	ROW("mq_unlink",             1, IPC,       NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 241 */
	ROW("mq_timedsend",          5, IPC,       NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 242 */
	ROW("mq_timedreceive",       5, IPC,       NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 243 */
	ROW("mq_notify",             2, IPC,       NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 244 */
	ROW("mq_getsetattr",         3, IPC,       NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 245 */
	ROW("kexec_load",            4, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 246 */
	ROW("waitid",                5, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, "IORING_OP_WAITID",                0, 0, NONE, NA, NA, 0, NONE), /* 247 */
	ROW("add_key",               5, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 248 */
	ROW("request_key",           4, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 249 */
	ROW("keyctl",                5, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 250 */
	ROW("ioprio_set",            3, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 251 */
	ROW("ioprio_get",            2, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 252 */
	ROW("inotify_init",          0, IPC,       NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, OTHERFD), /* 253 */
	ROW("inotify_add_watch",     3, IPC,        1, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 254 */
	ROW("inotify_rm_watch",      2, IPC,       NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 255 */
	ROW("migrate_pages",         4, MEMORY,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 256 */
	ROW("openat",                4, OPEN,       1,  0, NA, NA, NA, NA, USE,  "IORING_OP_OPENAT",                0, 0, OPEN, NA, NA, 0, OPEN), /* 257 */
	ROW("mkdirat",               3, DIRECTORY,  1,  0, NA, NA, NA, NA, USE,  "IORING_OP_MKDIRAT",               0, 0, CHANGE, NA, NA, 0, NONE), /* 258 */
	ROW("mknodat",               4, DIRECTORY,  1,  0, NA, NA, NA, NA, USE,  NULL,                              0, 0, CHANGE, NA, NA, 0, MKNOD), /* 259 */
	ROW("fchownat",              5, METADATA,   1,  0, NA, NA, NA,  4, USE,  NULL,                              0, 0, CHANGE, NA, NA, T_META, NONE), /* 260 */
	ROW("futimesat",             3, METADATA,   1,  0, NA, NA, NA, NA, USE,  NULL,                              1, 0, CHANGE, NA, NA, T_META, NONE), /* 261 */
	ROW("newfstatat",            4, METADATA,   1,  0, NA, NA, NA,  3, CHECK, "IORING_OP_STATX",                 0, 0, NONE, NA, NA, T_STAT, NONE), /* 262 */
	ROW("unlinkat",              3, DIRECTORY,  1,  0, NA, NA, NA,  2, USE,  "IORING_OP_UNLINKAT",              0, 0, CHANGE, NA, NA, 0, NONE), /* 263 */
	ROW("renameat",              4, DIRECTORY,  1,  0,  3,  2, NA, NA, USE,  "IORING_OP_RENAMEAT",              0, 0, CHANGE, NA, NA, T_RENAME, NONE), /* 264 */
	ROW("linkat",                5, DIRECTORY,  1,  0,  3,  2, NA,  4, USE,  "IORING_OP_LINKAT",                0, 0, CHANGE, NA, NA, 0, NONE), /* 265 */
	ROW("symlinkat",             3, DIRECTORY,  2,  1,  0, NA, NA, NA, USE,  "IORING_OP_SYMLINKAT",             0, 0, CHANGE, NA, NA, T_SYMLINK, NONE), /* 266 */
	ROW("readlinkat",            4, METADATA,   1,  0, NA, NA, NA, NA, CHECK, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 267 */
	ROW("fchmodat",              3, METADATA,   1,  0, NA, NA, NA, NA, USE,  NULL,                              0, 0, CHANGE, NA, NA, T_META, NONE), /* 268 */
	ROW("faccessat",             3, METADATA,   1,  0, NA, NA, NA, NA, CHECK, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 269 */
	ROW("pselect6",              6, IPC,       NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 270 */
	ROW("ppoll",                 5, IPC,       NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 271 */
	ROW("unshare",               1, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 272 */
	ROW("set_robust_list",       2, THREAD,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 273 */
	ROW("get_robust_list",       3, THREAD,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 274 */
	ROW("splice",                6, FILE_IO,   NA, NA, NA, NA,  0, NA, NONE, "IORING_OP_SPLICE",                0, 1, NONE,  0,  2, T_KCOPY, NONE), /* 275 */
	ROW("tee",                   4, FILE_IO,   NA, NA, NA, NA,  0, NA, NONE, "IORING_OP_TEE",                   0, 1, NONE,  0,  1, T_KCOPY, NONE), /* 276 */
	ROW("sync_file_range",       4, FILE_IO,   NA, NA, NA, NA,  0, NA, NONE, "IORING_OP_SYNC_FILE_RANGE",       0, 0, NONE, NA, NA, 0, NONE), /* 277 */
	ROW("vmsplice",              4, FILE_IO,   NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 1, NONE,  0, NA, 0, NONE), /* 278 */
	ROW("move_pages",            6, MEMORY,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 279 */
	ROW("utimensat",             4, METADATA,   1,  0, NA, NA, NA,  3, USE,  NULL,                              0, 0, CHANGE, NA, NA, T_META, NONE), /* 280 */
	ROW("epoll_pwait",           6, IPC,       NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 281 */
	ROW("signalfd",              3, SIGNAL,    NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, OTHERFD), /* 282 */
	ROW("timerfd_create",        2, TIME,      NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, OTHERFD), /* 283 */
	ROW("eventfd",               1, IPC,       NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, EVENTFD), /* 284 */
	ROW("fallocate",             4, FILE_IO,   NA, NA, NA, NA,  0, NA, NONE, "IORING_OP_FALLOCATE",             0, 0, NONE, NA, NA, 0, NONE), /* 285 */
	ROW("timerfd_settime",       4, TIME,      NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 286 */
	ROW("timerfd_gettime",       2, TIME,      NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 287 */
	ROW("accept4",               4, NETWORK,   NA, NA, NA, NA,  0, NA, NONE, "IORING_OP_ACCEPT",                0, 0, NONE, NA, NA, 0, SOCKET), /* 288 */
	ROW("signalfd4",             4, SIGNAL,    NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, OTHERFD), /* 289 */
	ROW("eventfd2",              2, IPC,       NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, EVENTFD), /* 290 */
	ROW("epoll_create1",         1, IPC,       NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, OTHERFD), /* 291 */
	ROW("dup3",                  3, OPEN,      NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, DUP), /* 292 */
	ROW("pipe2",                 2, IPC,       NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, PIPE), /* 293 */
	ROW("inotify_init1",         1, IPC,       NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, OTHERFD), /* 294 */
	ROW("preadv",                5, FILE_IO,   NA, NA, NA, NA,  0, NA, NONE, "IORING_OP_READV",                 0, 1, NONE,  0, NA, 0, NONE), /* 295 */
	ROW("pwritev",               5, FILE_IO,   NA, NA, NA, NA,  0, NA, NONE, "IORING_OP_WRITEV",                0, 1, NONE, NA,  0, 0, NONE), /* 296 */
	ROW("rt_tgsigqueueinfo",     4, SIGNAL,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 297 */
	ROW("perf_event_open",       5, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, OTHERFD), /* 298 */
	ROW("recvmmsg",              5, NETWORK,   NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 299 */
	ROW("fanotify_init",         2, IPC,       NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, OTHERFD), /* 300 */
	ROW("fanotify_mark",         5, IPC,        4,  3, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 301 */
	ROW("prlimit64",             4, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 302 */
	ROW("name_to_handle_at",     5, OPEN,       1,  0, NA, NA, NA,  4, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 303 */
	ROW("open_by_handle_at",     3, OPEN,      NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 304 */
	ROW("clock_adjtime",         2, TIME,      NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 305 */
	ROW("syncfs",                1, FILE_IO,   NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 306 */
	ROW("sendmmsg",              4, NETWORK,   NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 307 */
	ROW("setns",                 2, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 308 */
	ROW("getcpu",                3, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 309 */
	ROW("process_vm_readv",      6, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 310 */
	ROW("process_vm_writev",     6, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 311 */
	ROW("kcmp",                  5, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 312 */
	ROW("finit_module",          3, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 313 */
	ROW("sched_setattr",         3, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 314 */
	ROW("sched_getattr",         4, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 315 */
	ROW("renameat2",             5, DIRECTORY,  1,  0,  3,  2, NA, NA, USE,  "IORING_OP_RENAMEAT",              0, 0, CHANGE, NA, NA, T_RENAME, NONE), /* 316 */
	ROW("seccomp",               3, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 317 */
	ROW("getrandom",             3, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 318 */
	ROW("memfd_create",          2, MEMORY,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, OTHERFD), /* 319 */
	ROW("kexec_file_load",       5, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 320 */
	ROW("bpf",                   3, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 321 */
	ROW("execveat",              5, PROCESS,    1,  0, NA, NA, NA,  4, USE,  NULL,                              0, 0, NONE, NA, NA, 0, EXECVE), /* 322 */
	ROW("userfaultfd",           1, MEMORY,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, OTHERFD), /* 323 */
	ROW("membarrier",            3, MEMORY,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 324 */
	ROW("mlock2",                3, MEMORY,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 325 */
	ROW("copy_file_range",       6, FILE_IO,   NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 1, NONE,  0,  2, T_KCOPY, NONE), /* 326 */
	ROW("preadv2",               6, FILE_IO,   NA, NA, NA, NA,  0, NA, NONE, "IORING_OP_READV",                 0, 1, NONE,  0, NA, 0, NONE), /* 327 */
	ROW("pwritev2",              6, FILE_IO,   NA, NA, NA, NA,  0, NA, NONE, "IORING_OP_WRITEV",                0, 1, NONE, NA,  0, 0, NONE), /* 328 */
	ROW("pkey_mprotect",         4, MEMORY,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 329 */
	ROW("pkey_alloc",            2, MEMORY,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 330 */
	ROW("pkey_free",             1, MEMORY,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 331 */
	ROW("statx",                 5, METADATA,   1,  0, NA, NA, NA,  2, CHECK, "IORING_OP_STATX",                 0, 0, NONE, NA, NA, T_STAT, NONE), /* 332 */
	ROW("io_pgetevents",         6, FILE_IO,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 333 */
	ROW("rseq",                  4, THREAD,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 334 */
	ROW("uretprobe",             0, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 335 */
	ROW("pidfd_send_signal",     4, SIGNAL,    NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 424 */
	ROW("io_uring_setup",        2, IO_URING,  NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, URING_SETUP), /* 425 */
	ROW("io_uring_enter",        6, IO_URING,  NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, URING_ENTER), /* 426 */
	ROW("io_uring_register",     4, IO_URING,  NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, URING_REGISTER), /* 427 */
	ROW("open_tree",             3, SYSTEM,     1,  0, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 428 */
	ROW("move_mount",            5, SYSTEM,     1,  0,  3,  2, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 429 */
	ROW("fsopen",                2, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 430 */
	ROW("fsconfig",              5, SYSTEM,    NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 431 */
	ROW("fsmount",               3, SYSTEM,    NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 432 */
	ROW("fspick",                3, SYSTEM,     1,  0, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 433 */
	ROW("pidfd_open",            2, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, OTHERFD), /* 434 */
	ROW("clone3",                2, PROCESS,   NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, CLONE), /* 435 */
	ROW("close_range",           3, OPEN,      NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, CLOSE_RANGE), /* 436 */
	ROW("openat2",               4, OPEN,       1,  0, NA, NA, NA, NA, USE,  "IORING_OP_OPENAT2",               0, 0, OPEN, NA, NA, 0, OPEN), /* 437 */
	ROW("pidfd_getfd",           3, PROCESS,   NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, OTHERFD), /* 438 */
	ROW("faccessat2",            4, METADATA,   1,  0, NA, NA, NA,  3, CHECK, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 439 */
	ROW("process_madvise",       5, MEMORY,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 440 */
	ROW("epoll_pwait2",          6, IPC,       NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 441 */
	ROW("mount_setattr",         5, SYSTEM,     1,  0, NA, NA, NA,  2, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 442 */
	ROW("quotactl_fd",           4, SYSTEM,    NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 443 */
	ROW("landlock_create_ruleset", 3, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 444 */
	ROW("landlock_add_rule",     4, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 445 */
	ROW("landlock_restrict_self", 2, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 446 */
	ROW("memfd_secret",          1, MEMORY,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, OTHERFD), /* 447 */
	ROW("process_mrelease",      2, MEMORY,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 448 */
	ROW("futex_waitv",           5, THREAD,    NA, NA, NA, NA, NA, NA, NONE, "IORING_OP_FUTEX_WAITV",           0, 0, NONE, NA, NA, 0, NONE), /* 449 */
	ROW("set_mempolicy_home_node", 4, MEMORY,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 450 */
	ROW("cachestat",             4, FILE_IO,   NA, NA, NA, NA,  0, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 451 */
	ROW("fchmodat2",             4, METADATA,   1,  0, NA, NA, NA,  3, USE,  NULL,                              0, 0, CHANGE, NA, NA, T_META, NONE), /* 452 */
	ROW("map_shadow_stack",      3, MEMORY,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 453 */
	ROW("futex_wake",            4, THREAD,    NA, NA, NA, NA, NA, NA, NONE, "IORING_OP_FUTEX_WAKE",            0, 0, NONE, NA, NA, 0, NONE), /* 454 */
	ROW("futex_wait",            6, THREAD,    NA, NA, NA, NA, NA, NA, NONE, "IORING_OP_FUTEX_WAIT",            0, 0, NONE, NA, NA, 0, NONE), /* 455 */
	ROW("futex_requeue",         4, THREAD,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 456 */
	ROW("statmount",             4, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 457 */
	ROW("listmount",             4, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 458 */
	ROW("lsm_get_self_attr",     4, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 459 */
	ROW("lsm_set_self_attr",     4, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 460 */
	ROW("lsm_list_modules",      3, SYSTEM,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 461 */
	ROW("mseal",                 3, MEMORY,    NA, NA, NA, NA, NA, NA, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 462 */
	ROW("setxattrat",            6, METADATA,   1,  0, NA, NA, NA,  2, USE,  NULL,                              0, 0, CHANGE, NA, NA, T_META, NONE), /* 463 */
	ROW("getxattrat",            6, METADATA,   1,  0, NA, NA, NA,  2, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 464 */
	ROW("listxattrat",           5, METADATA,   1,  0, NA, NA, NA,  2, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 465 */
	ROW("removexattrat",         4, METADATA,   1,  0, NA, NA, NA,  2, USE,  NULL,                              0, 0, CHANGE, NA, NA, T_META, NONE), /* 466 */
	ROW("open_tree_attr",        5, SYSTEM,     1,  0, NA, NA, NA,  2, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 467 */
	ROW("file_getattr",          5, METADATA,   1,  0, NA, NA, NA,  4, NONE, NULL,                              0, 0, NONE, NA, NA, 0, NONE), /* 468 */
	ROW("file_setattr",          5, METADATA,   1,  0, NA, NA, NA,  4, USE,  NULL,                              0, 0, CHANGE, NA, NA, T_META, NONE), /* 469 */
};

#define NROWS ((int)(sizeof(table) / sizeof(table[0])))
#define HASH_SIZE 1024 /* power of two, > 2 * NROWS */

static int16_t slots[HASH_SIZE]; /* row index + 1, 0 = empty */
static uint32_t slot_hash[HASH_SIZE]; /* full hash: one compare rejects most misses */
static pthread_once_t slots_once = PTHREAD_ONCE_INIT;

/* The length and six sampled characters: no loop over the name; nearly
 * distinct per row (a collision costs one more compare). */
static inline uint32_t name_hash_len(const char *s, size_t len)
{
	if (len == 0)
		return 0;
	uint32_t h = (uint32_t)len;
	h = h * 31 + (unsigned char)s[0];
	h = h * 31 + (unsigned char)s[len > 1 ? 1 : 0];
	h = h * 31 + (unsigned char)s[len / 2];
	h = h * 31 + (unsigned char)s[len - 1];
	h = h * 31 + (unsigned char)s[len > 1 ? len - 2 : 0];
	h = h * 31 + (unsigned char)s[len > 2 ? len - 3 : 0];
	h *= 0x9E3779B1u;
	return h ^ (h >> 15);
}

/* Names are short: a byte loop beats a call to memcmp. */
static inline bool same_name(const char *row, const char *b, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (row[i] != b[i])
			return false;
	return row[len] == '\0'; /* B need not be NUL-terminated */
}

static uint32_t name_hash(const char *s) { return name_hash_len(s, strlen(s)); }

static void build_slots(void)
{
	for (int i = 0; i < NROWS; i++) {
		uint32_t h = name_hash(table[i].name) & (HASH_SIZE - 1);
		while (slots[h])
			h = (h + 1) & (HASH_SIZE - 1);
		slots[h] = (int16_t)(i + 1);
		slot_hash[h] = name_hash(table[i].name);
	}
}

static int slots_built; /* fast path past pthread_once once the slots exist */

static void build_slots_once(void)
{
	build_slots();
	__atomic_store_n(&slots_built, 1, __ATOMIC_RELEASE);
}

const struct sc_info *sc_lookup(const char *name)
{
	return name ? sc_lookup_len(name, strlen(name)) : NULL;
}

const struct sc_info *sc_lookup_len(const char *name, size_t len)
{
	if (!name)
		return NULL;
	if (!__atomic_load_n(&slots_built, __ATOMIC_ACQUIRE))
		pthread_once(&slots_once, build_slots_once);
	uint32_t full = name_hash_len(name, len), h = full & (HASH_SIZE - 1);
	while (slots[h]) {
		const struct sc_info *r = &table[slots[h] - 1];
		if (slot_hash[h] == full && same_name(r->name, name, len))
			return r;
		h = (h + 1) & (HASH_SIZE - 1);
	}
	return NULL;
}

const char *sc_category_name(enum sc_category c)
{
	static const char *const names[SC__COUNT] = {
		[SC_OTHER] = "other",       [SC_FILE_IO] = "file_io",   [SC_OPEN] = "open",
		[SC_METADATA] = "metadata", [SC_DIRECTORY] = "directory", [SC_PROCESS] = "process",
		[SC_THREAD] = "thread",     [SC_MEMORY] = "memory",     [SC_SIGNAL] = "signal",
		[SC_TIME] = "time",         [SC_NETWORK] = "network",   [SC_IO_URING] = "io_uring",
		[SC_IPC] = "ipc",           [SC_SYSTEM] = "system",     [SC_UNKNOWN] = "unknown",
	};
	if ((int)c < 0 || c >= SC__COUNT)
		return "unknown";
	return names[c];
}

const struct sc_info *sc_all(int *n)
{
	if (n)
		*n = NROWS;
	return table;
}

/* enum io_uring_op in its order (include/uapi/linux/io_uring.h): each
 * opcode, its name, and the row its requests are classified with. */
static const struct sc_uring_op uring_ops[] = {
	{0, "IORING_OP_NOP", NULL},
	{1, "IORING_OP_READV", "readv"},
	{2, "IORING_OP_WRITEV", "writev"},
	{3, "IORING_OP_FSYNC", "fsync"},
	{4, "IORING_OP_READ_FIXED", "read"},
	{5, "IORING_OP_WRITE_FIXED", "write"},
	{6, "IORING_OP_POLL_ADD", "poll"},
	{7, "IORING_OP_POLL_REMOVE", NULL},
	{8, "IORING_OP_SYNC_FILE_RANGE", "sync_file_range"},
	{9, "IORING_OP_SENDMSG", "sendmsg"},
	{10, "IORING_OP_RECVMSG", "recvmsg"},
	{11, "IORING_OP_TIMEOUT", NULL},
	{12, "IORING_OP_TIMEOUT_REMOVE", NULL},
	{13, "IORING_OP_ACCEPT", "accept4"},
	{14, "IORING_OP_ASYNC_CANCEL", NULL},
	{15, "IORING_OP_LINK_TIMEOUT", NULL},
	{16, "IORING_OP_CONNECT", "connect"},
	{17, "IORING_OP_FALLOCATE", "fallocate"},
	{18, "IORING_OP_OPENAT", "openat"},
	{19, "IORING_OP_CLOSE", "close"},
	{20, "IORING_OP_FILES_UPDATE", NULL},
	{21, "IORING_OP_STATX", "statx"},
	{22, "IORING_OP_READ", "read"},
	{23, "IORING_OP_WRITE", "write"},
	{24, "IORING_OP_FADVISE", "fadvise64"},
	{25, "IORING_OP_MADVISE", "madvise"},
	{26, "IORING_OP_SEND", "sendto"},
	{27, "IORING_OP_RECV", "recvfrom"},
	{28, "IORING_OP_OPENAT2", "openat2"},
	{29, "IORING_OP_EPOLL_CTL", "epoll_ctl"},
	{30, "IORING_OP_SPLICE", "splice"},
	{31, "IORING_OP_PROVIDE_BUFFERS", NULL},
	{32, "IORING_OP_REMOVE_BUFFERS", NULL},
	{33, "IORING_OP_TEE", "tee"},
	{34, "IORING_OP_SHUTDOWN", "shutdown"},
	{35, "IORING_OP_RENAMEAT", "renameat2"},
	{36, "IORING_OP_UNLINKAT", "unlinkat"},
	{37, "IORING_OP_MKDIRAT", "mkdirat"},
	{38, "IORING_OP_SYMLINKAT", "symlinkat"},
	{39, "IORING_OP_LINKAT", "linkat"},
	{40, "IORING_OP_MSG_RING", NULL},
	{41, "IORING_OP_FSETXATTR", "fsetxattr"},
	{42, "IORING_OP_SETXATTR", "setxattr"},
	{43, "IORING_OP_FGETXATTR", "fgetxattr"},
	{44, "IORING_OP_GETXATTR", "getxattr"},
	{45, "IORING_OP_SOCKET", "socket"},
	{46, "IORING_OP_URING_CMD", NULL},
	{47, "IORING_OP_SEND_ZC", "sendto"},
	{48, "IORING_OP_SENDMSG_ZC", "sendmsg"},
	{49, "IORING_OP_READ_MULTISHOT", "read"},
	{50, "IORING_OP_WAITID", "waitid"},
	{51, "IORING_OP_FUTEX_WAIT", "futex"},
	{52, "IORING_OP_FUTEX_WAKE", "futex"},
	{53, "IORING_OP_FUTEX_WAITV", "futex_waitv"},
	{54, "IORING_OP_FIXED_FD_INSTALL", NULL},
	{55, "IORING_OP_FTRUNCATE", "ftruncate"},
	{56, "IORING_OP_BIND", "bind"},
	{57, "IORING_OP_LISTEN", "listen"},
	{58, "IORING_OP_RECV_ZC", "recvfrom"},
	{59, "IORING_OP_EPOLL_WAIT", "epoll_wait"},
	{60, "IORING_OP_READV_FIXED", "readv"},
	{61, "IORING_OP_WRITEV_FIXED", "writev"},
	{62, "IORING_OP_PIPE", "pipe2"},
};

#define N_URING_OPS (sizeof(uring_ops) / sizeof(uring_ops[0]))

static const struct sc_info *uring_rows[N_URING_OPS];
static pthread_once_t uring_once = PTHREAD_ONCE_INIT;

static void build_uring_once(void)
{
	for (size_t i = 0; i < N_URING_OPS; i++)
		uring_rows[i] = uring_ops[i].syscall ? sc_lookup(uring_ops[i].syscall) : NULL;
}

const struct sc_uring_op *sc_uring_op(unsigned opcode)
{
	return opcode < N_URING_OPS ? &uring_ops[opcode] : NULL;
}

const struct sc_info *sc_for_uring_op(unsigned opcode)
{
	pthread_once(&uring_once, build_uring_once);
	return opcode < N_URING_OPS ? uring_rows[opcode] : NULL;
}

const char *sc_uring_op_name(unsigned opcode, char *buf, size_t bufsz)
{
	const struct sc_uring_op *op = sc_uring_op(opcode);
	if (op)
		return op->name;
	snprintf(buf, bufsz, "IORING_OP_%u", opcode);
	return buf;
}
