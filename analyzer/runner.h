/* runner: runs the copier command, traced or timed.
 *
 * The --cmd template ('{bin} -a {src} {dst}') is split into words first,
 * with the shell's quoting rules ('...', "...", backslash), and each
 * placeholder is then replaced inside its word by its value as data:
 * {src}, "{src}", '{src}' and --dest={dst} all give the copier exactly the
 * path, whatever bytes it holds. The words are executed directly, so the
 * trace holds the copier's own syscalls, not a shell's. A template that
 * needs a shell (a pipe, ';', '&', redirections, '$', backquotes, globs)
 * runs as /bin/sh -c SCRIPT sh BIN SRC DST, the placeholders in SCRIPT
 * being "$1" "$2" "$3": a value is never part of the script's text. The
 * model says so (header.exec = "shell"): the shell's own syscalls are then
 * part of the trace.
 *
 * Traced: strace -f -y -tt -T -o TRACE -- ARGV... ; the optional io_uring
 * capture follows strace's pid and everything it forks, switched on before
 * strace starts (the child waits on a pipe until then).
 */
#ifndef ARSYNC_RUNNER_H
#define ARSYNC_RUNNER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "uring_capture.h"

#define RUNNER_TRACE_FLAGS "-f -y -tt -T"

struct runner_cmd {
	char *text;        /* what is executed, as one would type it (quoted where needed) */
	char **argv;       /* what is executed, NULL-terminated */
	char **words;      /* the template's words with the values in (the copier's
	                      flags are read from these, shell or not) */
	bool via_shell;    /* argv is /bin/sh -c SCRIPT sh BIN SRC DST */
	char **shell_argv; /* owns argv when via_shell */
	double timeout;    /* seconds the run may take before it is killed; 0: no limit */
};

struct run_result {
	int status;          /* exit status; 128+N when killed by signal N */
	int signal;          /* the signal that killed it, or 0 */
	double wall_seconds; /* fork to reap */
	int left_running;    /* processes it started that still ran when it exited (killed) */
	bool timed_out;      /* killed after C->timeout seconds */
};

/* Set by the SIGINT/SIGTERM/SIGHUP handlers runner_catch_signals() installs:
 * a run in progress is ended and the caller cleans up. */
extern volatile sig_atomic_t runner_interrupted;
void runner_catch_signals(void);

/* S in single quotes, safe for /bin/sh whatever it contains. malloc'd. */
char *shell_quote(const char *s);

/* TMPL with {bin}, {src}, {dst} (any of them may be NULL: "") into C, as
 * above. An unknown {name} outside single quotes, unbalanced quotes and an
 * empty command are errors: -1 with ERR. */
int runner_cmd_build(const char *tmpl, const char *bin, const char *src, const char *dst,
                     struct runner_cmd *c, char *err, size_t errlen);
void runner_cmd_free(struct runner_cmd *c);

/* NAME if it contains a '/', else its first executable match in $PATH;
 * malloc'd, or NULL (errno set: ENOENT, EACCES). */
char *runner_find_program(const char *name);

/* Runs C: under strace writing TRACE_PATH when it is not NULL, with CAP (may
 * be NULL) following the run. QUIET: the copier's stdout is discarded
 * (otherwise it goes to our stderr, keeping stdout for the summary).
 * 0 when the command ran (whatever its exit status, in *R), -1 with ERR
 * when it could not be started or was interrupted. */
int runner_run(const struct runner_cmd *c, const char *trace_path, struct uring_capture *cap,
               bool quiet, struct run_result *r, char *err, size_t errlen);

/* The first line of `BIN --version` (5 s at most), or NULL when it prints
 * nothing or fails. malloc'd. */
char *runner_copier_version(const char *bin);

#endif
