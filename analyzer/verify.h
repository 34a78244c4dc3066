/* verify: is DST a copy of SRC, as far as the copier's flags promise?
 *
 * Always: every entry of SRC exists in DST with the same type, regular files
 * byte for byte, symlinks with the same target text, and DST has no extra
 * entries. With an archive flag (-a: rsync's -rlptgoD, cp's
 * --preserve=all): permission bits and mtimes to the nanosecond (files,
 * directories, symlinks), and uid/gid when running as root. Hardlink groups
 * only when the flags ask for them (rsync/arsync -H, cp -a/-d/--preserve=links):
 * rsync's -a does NOT keep hardlinks, so a copier run with -a alone is not
 * blamed for copying them as separate files.
 */
#ifndef ARSYNC_VERIFY_H
#define ARSYNC_VERIFY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct verify_opts {
	bool archive;           /* mode + mtime (ns), symlink times */
	bool owner;             /* uid/gid */
	bool hardlinks;         /* hardlink groups kept */
	size_t max_differences; /* listed in the model (all are counted); 0: 100 */
};

/* What the command ARGV (argv[0] the copier) promises: -a/--archive and
 * -H/--hard-links clusters for rsync-style tools, -a/-d/--preserve for cp.
 * OWNER is set only when IS_ROOT. */
void verify_opts_from_argv(char *const *argv, bool is_root, struct verify_opts *o);

/* The model's "verification" object for SRC vs DST: {performed: true, ok,
 * reason, checked, properties: [text], differences: [text],
 * differences_total}. NULL with ERR only when SRC itself cannot be read. */
json_t *verify_tree(const char *src, const char *dst, const struct verify_opts *o, char *err,
                    size_t errlen);

/* {performed: false, ok: null, reason, checked: 0, differences: []}. */
json_t *verify_not_performed(const char *reason);

#endif
