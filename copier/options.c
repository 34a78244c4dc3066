/* options.c - parse arsync's rsync-style command line.
 *
 * Short flags may be bundled (-avH), long options take "--opt N" or
 * "--opt=N", and options may come before, between or after the two
 * operands; "--" ends option parsing. */
#include "options.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_QUEUE_DEPTH 128u
#define MAX_QUEUE_DEPTH 4096u

static const char usage_text[] =
	"Usage: arsync [OPTIONS] SRC DST\n"
	"Make DST a copy of the directory SRC (like rsync -a SRC/ DST/), using io_uring.\n"
	"\n"
	"  -a, --archive        same as -rlptgoD\n"
	"  -r, --recursive      copy directories recursively\n"
	"  -l, --links          copy symlinks as symlinks\n"
	"  -p, --perms          preserve permissions\n"
	"  -t, --times          preserve modification times\n"
	"  -g, --group          preserve group\n"
	"  -o, --owner          preserve owner (root only)\n"
	"  -D                   preserve devices and special files (non-root: devices skipped)\n"
	"  -X, --xattrs         preserve extended attributes\n"
	"  -H, --hard-links     preserve hard links\n"
	"  -v, --verbose        list each copied path\n"
	"      --progress       show files, bytes, rate and ETA on stderr\n"
	"      --inplace        write files directly under their final name\n"
	"      --fsync          fsync every file before it is put in place\n"
	"      --queue-depth N  io_uring submission queue entries per thread (default 128)\n"
	"      --threads N      worker threads, each with its own ring (default: CPUs)\n"
	"      --help           show this help\n"
	"      --version        show the version\n"
	"\n"
	"Into an existing DST, files with the source's size and modification time\n"
	"are not copied again, as rsync does (their mode, group and owner are set\n"
	"in place if they differ); with -X, or without -t, every file is copied.\n"
	"This quick check compares modification times to the nanosecond, where\n"
	"rsync's default compares whole seconds: stricter, on purpose (a file\n"
	"changed within the same second is copied again).\n"
	"Without -r (or -a), SRC is skipped as rsync skips it (\"skipping\n"
	"directory .\"): nothing is copied.\n"
	"\n"
	"Exit status: 0 success, 1 usage or setup error (DST missing with its\n"
	"parent directory too, DST not a directory, or an open-file limit too\n"
	"low to copy any tree, included), 20 interrupted,\n"
	"23 partial transfer (some entries failed; see the messages),\n"
	"24 some source entries vanished during the copy (and none failed).\n";

static int parse_count(const char *opt, const char *val, unsigned max, unsigned *out, FILE *err)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(val, &end, 10);
	if (errno || end == val || *end || v == 0 || v > max || val[0] == '-') {
		fprintf(err, "arsync: %s: expected a number from 1 to %u, got '%s'\n", opt, max, val);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

static int parse_short(const char *arg, struct arsync_options *o, FILE *err)
{
	for (const char *c = arg + 1; *c; c++) {
		switch (*c) {
		case 'a':
			o->recursive = o->links = o->perms = o->times = true;
			o->group = o->owner = o->devices = true;
			break;
		case 'r': o->recursive = true; break;
		case 'l': o->links = true; break;
		case 'p': o->perms = true; break;
		case 't': o->times = true; break;
		case 'g': o->group = true; break;
		case 'o': o->owner = true; break;
		case 'D': o->devices = true; break;
		case 'X': o->xattrs = true; break;
		case 'H': o->hardlinks = true; break;
		case 'v': o->verbose++; break;
		default:
			fprintf(err, "arsync: unknown option -%c (see arsync --help)\n", *c);
			return -1;
		}
	}
	return 0;
}

/* Long option with a numeric value: "--name N" or "--name=N". */
static int long_value(const char *arg, const char *name, int argc, char **argv, int *i,
		      const char **val)
{
	size_t n = strlen(name);
	if (strncmp(arg, name, n) != 0)
		return 0;
	if (arg[n] == '=') {
		*val = arg + n + 1;
		return 1;
	}
	if (arg[n] != '\0')
		return 0;
	if (*i + 1 >= argc) {
		*val = NULL;
		return 1;
	}
	*val = argv[++*i];
	return 1;
}

enum options_result options_parse(int argc, char **argv, struct arsync_options *o,
				  FILE *out, FILE *err)
{
	memset(o, 0, sizeof(*o));
	o->queue_depth = DEFAULT_QUEUE_DEPTH;
	const char *operands[2];
	int nops = 0;
	int only_operands = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val;
		if (only_operands || a[0] != '-' || a[1] == '\0') {
			if (nops == 2) {
				fprintf(err, "arsync: too many operands ('%s'); usage: arsync [OPTIONS] SRC DST\n", a);
				return OPTIONS_USAGE;
			}
			operands[nops++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_operands = 1;
		} else if (a[1] != '-') {
			if (parse_short(a, o, err) < 0)
				return OPTIONS_USAGE;
		} else if (strcmp(a, "--help") == 0) {
			fputs(usage_text, out);
			return OPTIONS_DONE;
		} else if (strcmp(a, "--version") == 0) {
			fprintf(out, "arsync %s\n", ARSYNC_VERSION);
			return OPTIONS_DONE;
		} else if (strcmp(a, "--archive") == 0) {
			parse_short("-a", o, err);
		} else if (strcmp(a, "--recursive") == 0) {
			o->recursive = true;
		} else if (strcmp(a, "--links") == 0) {
			o->links = true;
		} else if (strcmp(a, "--perms") == 0) {
			o->perms = true;
		} else if (strcmp(a, "--times") == 0) {
			o->times = true;
		} else if (strcmp(a, "--group") == 0) {
			o->group = true;
		} else if (strcmp(a, "--owner") == 0) {
			o->owner = true;
		} else if (strcmp(a, "--xattrs") == 0) {
			o->xattrs = true;
		} else if (strcmp(a, "--hard-links") == 0) {
			o->hardlinks = true;
		} else if (strcmp(a, "--verbose") == 0) {
			o->verbose++;
		} else if (strcmp(a, "--progress") == 0) {
			o->progress = true;
		} else if (strcmp(a, "--inplace") == 0) {
			o->inplace = true;
		} else if (strcmp(a, "--fsync") == 0) {
			o->fsync = true;
		} else if (long_value(a, "--queue-depth", argc, argv, &i, &val)) {
			if (!val) {
				fprintf(err, "arsync: --queue-depth needs a number\n");
				return OPTIONS_USAGE;
			}
			if (parse_count("--queue-depth", val, MAX_QUEUE_DEPTH, &o->queue_depth, err) < 0)
				return OPTIONS_USAGE;
		} else if (long_value(a, "--threads", argc, argv, &i, &val)) {
			if (!val) {
				fprintf(err, "arsync: --threads needs a number\n");
				return OPTIONS_USAGE;
			}
			if (parse_count("--threads", val, 256, &o->threads, err) < 0)
				return OPTIONS_USAGE;
		} else {
			fprintf(err, "arsync: unknown option %s (see arsync --help)\n", a);
			return OPTIONS_USAGE;
		}
	}
	if (nops != 2) {
		fprintf(err, "arsync: expected SRC and DST; usage: arsync [OPTIONS] SRC DST (see --help)\n");
		return OPTIONS_USAGE;
	}
	o->src = operands[0];
	o->dst = operands[1];
	return OPTIONS_RUN;
}
