/* classify: the rules that sort one syscall's way of naming a file.
 *
 * Path-based vs fd-based vs cwd-relative (how a call names its target),
 * what kind of object an fd is (from strace's -y decoration), which paths
 * belong to the dynamic loader and libc start-up, and the small path
 * string helpers (normalize, join, "is under") the aggregation needs. Pure
 * functions over strings: no state, no allocation.
 */
#ifndef ARSYNC_CLASSIFY_H
#define ARSYNC_CLASSIFY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define CL_AT_FDCWD (-100)
#define CL_NO_DIRFD (-1000) /* the syscall has no dirfd argument (legacy path form) */

enum access_class {
	AC_NONE = -1, /* not classifiable (path not decodable) */
	AC_PATH_BASED = 0,
	AC_FD_BASED,
	AC_CWD_RELATIVE,
	AC__COUNT
};

/* "path_based", "fd_based", "cwd_relative". */
const char *access_class_name(enum access_class c);

/* How a call names its target. DIRFD: an fd >= 0, CL_AT_FDCWD, or
 * CL_NO_DIRFD for the legacy forms. PATH: the decoded path, or NULL for a
 * NULL pointer / undecodable argument. EMPTY_PATH_FLAG: AT_EMPTY_PATH set. */
enum access_class classify_access(int dirfd, const char *path, bool empty_path_flag);

/* The rules above as text, [{class, rule}], for the model. */
json_t *classify_rules_json(void);

enum fd_kind {
	FDK_UNKNOWN = 0,
	FDK_REGULAR, /* a file system path (regular file, or a directory opened as one) */
	FDK_DIR,     /* opened with O_DIRECTORY */
	FDK_PIPE,
	FDK_SOCKET,
	FDK_EVENTFD,
	FDK_TTY,
	FDK_IO_URING,
	FDK_OTHER, /* other anon inodes, character devices, memfd, ... */
	FDK__COUNT
};

/* "regular", "dir", "pipe", ... */
const char *fd_kind_name(enum fd_kind k);

/* Kind of an fd from its -y/-yy decoration: "/path" regular (or tty/other
 * under /dev), "pipe:[..]", "socket:[..]" / "UNIX-STREAM:[..]",
 * "anon_inode:[eventfd]", "anon_inode:[io_uring]"; FDK_UNKNOWN for "". */
enum fd_kind classify_fd_decoration(const char *decor);

/* Kind of a file opened by path (no decoration known). */
enum fd_kind classify_opened_path(const char *path, bool o_directory);

/* True for paths the dynamic loader and libc/library initialisation touch
 * before a program does its own work: /etc/ld.so*, /lib*, /usr/lib*,
 * /proc/self/..., locale and gconv files, /etc/localtime, SELinux probes
 * (see the rule text in analysis.c). */
bool classify_is_startup_path(const char *path);

/* Text of the startup path set, for the phase rule in the model. */
const char *classify_startup_paths_text(void);

/* Normalizes IN into OUT: "//" -> "/", "./" components dropped, no
 * trailing "/" (except "/" itself). ".." is kept. Returns the length, or
 * 0 when OUT is too small (OUT is then ""). */
size_t path_normalize(const char *in, size_t inlen, char *out, size_t outsz);

/* DIR + "/" + NAME normalized (NAME absolute: NAME alone). Length or 0. */
size_t path_join(const char *dir, const char *name, char *out, size_t outsz);

/* PATH equals ROOT or lies below it (component boundary). Both normalized. */
bool path_under(const char *path, const char *root);

/* One component: non-empty, no '/', not "." or "..". */
bool path_is_single_name(const char *path);

#endif
