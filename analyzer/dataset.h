/* dataset: the source tree a copier is run on, in a private work directory.
 *
 * Either generated (N files of M MiB of fast pseudo-random data, plus the
 * shapes copiers get wrong: nested directories, symlinks to a file and to a
 * directory, a relative symlink, a hardlink pair, an empty file; modes and
 * nanosecond mtimes vary so that preserving them is actually tested), or
 * copied from an existing tree (--dataset DIR). dataset_scan() then lists
 * what is there, for the analysis (per-file attribution) and the report.
 */
#ifndef ARSYNC_DATASET_H
#define ARSYNC_DATASET_H

#include <jansson.h>
#include <stddef.h>

struct dataset_info {
	char **files; /* regular files, paths relative to the root, sorted */
	size_t n_files;
	unsigned long dirs; /* directories below the root */
	unsigned long symlinks;
	unsigned long hardlinks;  /* groups of names sharing one inode */
	unsigned long others;     /* fifos, devices, sockets */
	unsigned long long bytes; /* sum of regular file sizes, per name */
};

/* A fresh private directory PARENT/arsync-analyze.XXXXXX (mode 0700);
 * PARENT NULL: $TMPDIR or /tmp. The result is absolute, malloc'd; NULL with
 * ERR set. */
char *workdir_create(const char *parent, char *err, size_t errlen);

/* Removes PATH and everything below it (symlinks are not followed).
 * 0, or -1 with ERR (the first failure). */
int remove_tree(const char *path, char *err, size_t errlen);

/* Generates the dataset into ROOT (which must not exist). SEED makes the
 * content reproducible. 0, or -1 with ERR. */
int dataset_generate(const char *root, unsigned n_files, unsigned size_mib, unsigned long long seed,
                     char *err, size_t errlen);

/* Copies the tree FROM into ROOT (must not exist) with `cp -a`, keeping
 * everything a copier could be asked to preserve. 0, or -1 with ERR. */
int dataset_copy_from(const char *from, const char *root, char *err, size_t errlen);

/* Lists ROOT into INFO (zeroed first). 0, or -1 with ERR. */
int dataset_scan(const char *root, struct dataset_info *info, char *err, size_t errlen);
void dataset_info_free(struct dataset_info *info);

/* The model's header.dataset object: {kind, description, files, dirs,
 * symlinks, hardlinks, bytes, mib, root, source}. SOURCE: the --dataset
 * directory, or NULL. */
json_t *dataset_describe(const struct dataset_info *info, const char *kind, const char *description,
                         const char *root, const char *source);

/* The description of a generated dataset, e.g. "generated: 5 random files of
 * 10 MiB, ...". malloc'd. */
char *dataset_generated_description(unsigned n_files, unsigned size_mib);

#endif
