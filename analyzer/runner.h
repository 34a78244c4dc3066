/* runner: runs the copier command, traced or timed.
 *
 * The --cmd template ('{bin} -a {src} {dst}') is filled with shell-quoted
 * values, then split into words with wordexp(3) (quotes, variables, no
 * command substitution) and executed directly: under strace the trace then
 * holds the copier's own syscalls, not a shell's. Only a command that needs
 * a shell (a pipe, ';', '&&', redirections, $(...)) runs as /bin/sh -c
 * CMD, and the model says so (header.exec = "shell"): the shell's own
 * syscalls are then part of the trace.
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
#include <wordexp.h>

#include "uring_capture.h"

#define RUNNER_TRACE_FLAGS "-f -y -tt -T"

struct runner_cmd {
	char *text;     /* the expanded command */
	char **argv;    /* what is executed, NULL-terminated */
	bool via_shell; /* argv is /bin/sh -c TEXT */
	wordexp_t we;
	bool we_used;
	char *shell_argv[4];
};

struct run_result {
	int status;          /* exit status; 128+N when killed by signal N */
	int signal;          /* the signal that killed it, or 0 */
	double wall_seconds; /* fork to reap */
};

/* Set by the SIGINT/SIGTERM/SIGHUP handlers runner_catch_signals() installs:
 * a run in progress is ended and the caller cleans up. */
extern volatile sig_atomic_t runner_interrupted;
void runner_catch_signals(void);

/* S in single quotes, safe for /bin/sh whatever it contains. malloc'd. */
char *shell_quote(const char *s);

/* TMPL with {bin}, {src}, {dst} replaced by the shell-quoted values. An
 * unknown {name} is an error (ERR says which). malloc'd, or NULL. */
char *cmd_expand(const char *tmpl, const char *bin, const char *src, const char *dst, char *err,
                 size_t errlen);

/* Splits TEXT into C (see above). 0, or -1 with ERR (unbalanced quotes...). */
int runner_cmd_prepare(const char *text, struct runner_cmd *c, char *err, size_t errlen);
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
