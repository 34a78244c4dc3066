/* options.h - arsync's command line: rsync-style flags, operands anywhere. */
#ifndef ARSYNC_OPTIONS_H
#define ARSYNC_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

struct arsync_options {
	bool recursive;   /* -r */
	bool links;       /* -l: copy symlinks as symlinks */
	bool perms;       /* -p */
	bool times;       /* -t */
	bool group;       /* -g */
	bool owner;       /* -o */
	bool devices;     /* -D: devices and specials */
	bool xattrs;      /* -X */
	bool hardlinks;   /* -H */
	bool inplace;     /* --inplace: write the final name directly */
	bool fsync;       /* --fsync: fsync each file before it is renamed */
	bool progress;    /* --progress */
	int verbose;      /* -v, repeatable */
	unsigned queue_depth; /* --queue-depth N: SQ entries per ring */
	unsigned threads;     /* --threads N: worker threads (0: one per CPU) */
	const char *src;
	const char *dst;
};

enum options_result {
	OPTIONS_RUN = 0,   /* options filled in: copy */
	OPTIONS_DONE = 1,  /* --help or --version printed: exit 0 */
	OPTIONS_USAGE = 2, /* bad usage, message printed: exit 1 */
};

/* Parses argv into *o; messages go to out (help, version) or err (usage). */
enum options_result options_parse(int argc, char **argv, struct arsync_options *o,
				  FILE *out, FILE *err);

#endif
