/* strace_parse: a streaming parser for the text strace writes.
 *
 * One line in, at most one event out, with bounded memory whatever the
 * trace size: the parser keeps one line buffer plus, per pid, the text of
 * a call strace split with "<unfinished ...>", and joins it with the
 * matching "<... NAME resumed>" line into ONE event. Handles -f/-ff/-o,
 * [pid N] prefixes, -t/-tt/-ttt/-r, -T, -y/-yy decorations, -X, -s
 * truncation, signals, exits, "= ?", strace's own messages. A line it
 * cannot read is counted as malformed and skipped; it never aborts.
 *
 * Arguments are kept as raw text; sp_split_args() tokenizes them on demand,
 * so only the syscalls an analysis cares about pay for it.
 *
 * Counting rule (checked against strace -C on every recorded fixture):
 *   calls    = SP_SYSCALL events: an unfinished+resumed pair is ONE event,
 *              a call never resumed (end of input, process exited or was
 *              killed inside it) is one event with SP_RES_NONE;
 *   returned = events with result_kind SP_RES_NUMBER  == strace -c "calls";
 *   errors   = returned events with err_name != NULL  == strace -c "errors".
 * "= ?" alone (exit_group, exit) and "= ? <unavailable>" are SP_RES_UNKNOWN:
 * strace -c does not count them. "= ? ERESTARTSYS (...)" and the other
 * ERESTART* results are counted by strace -c as calls with an error, so
 * they are SP_RES_NUMBER with result -1 and err_name "ERESTARTSYS" etc.
 * A joined event has the time and start_line of its first half, the
 * duration and line of its second.
 *
 * pid: the -f column or [pid N]; for -ff files the file's suffix. Without
 * -o, strace omits the prefix on the first process's lines until it forks
 * (pid 0 here) and again once only one process is left (given that
 * process's pid, so its unfinished calls still join).
 */
#ifndef ARSYNC_STRACE_PARSE_H
#define ARSYNC_STRACE_PARSE_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>

enum sp_kind {
	SP_SYSCALL, /* a call: complete line, or unfinished+resumed joined */
	SP_SIGNAL,  /* --- SIGCHLD {si_signo=...} --- */
	SP_EXIT,    /* +++ exited with N +++ */
	SP_KILLED,  /* +++ killed by SIGKILL +++ */
};

enum sp_result {
	SP_RES_NUMBER,  /* "= 3", "= -1 ENOENT (...)", "= 0x7f..." */
	SP_RES_UNKNOWN, /* "= ?" (exit_group, process killed mid-call) */
	SP_RES_NONE,    /* the call never returned in this trace (unfinished at EOF / killed) */
};

struct sp_event {
	/* 128 bytes, two cache lines: the events pass from the parser's thread
	 * to the aggregating one, every byte crosses between cores */
	double time;              /* seconds: since midnight (-t/-tt), since epoch (-ttt), relative (-r) */
	double duration;          /* seconds spent in the call (-T) */
	const char *name;         /* syscall name; signal name (SIGCHLD, SIGKILL) for SP_SIGNAL, SP_KILLED */
	const char *args;         /* raw argument text between the outer parens (joined if resumed), NUL-terminated */
	long long result;         /* numeric result (pointers too); -1 for errors */
	const char *result_decor; /* -y decoration of the result, decoded: "/path" of "= 3</path>", or NULL */
	const char *err_name;     /* "ENOENT", "ERESTARTSYS", or NULL */
	const char *err_text;     /* "No such file or directory", or NULL */
	const char *result_extra; /* text after the result, e.g. "(flags O_RDONLY)", or NULL */
	unsigned long line;       /* 1-based line number of the completing line (per file) */
	unsigned long start_line; /* line of the "<unfinished ...>" half, == line otherwise */
	const char *file;         /* the trace file this line came from (valid until sp_free) */
	enum sp_kind kind;
	int pid;                  /* from [pid N], the -f/-ff column or the file suffix; 0 if unknown */
	enum sp_result result_kind;
	int exit_status;          /* SP_EXIT: N; SP_KILLED: signal number */
	uint32_t args_len;        /* strlen(args) */
	uint32_t name_len;        /* strlen(name), for sc_lookup_len() */
	bool has_time;            /* -t/-tt/-ttt/-r present */
	bool has_duration;        /* -T present */
	bool resumed;             /* joined from unfinished + resumed */
	bool orphan_resumed;      /* a "<... resumed>" without its first half (trace began mid-call) */
	bool handed_over;         /* with sp_set_buffer_swap(): every string lies in a buffer
	                             that goes to the hook (or is static), so it stays
	                             valid until that buffer is freed */
};

struct sp_stats {
	unsigned long lines;           /* lines read (all of them) */
	unsigned long events;          /* events yielded (all kinds) */
	unsigned long syscalls;        /* SP_SYSCALL events */
	unsigned long resumed_pairs;   /* unfinished+resumed joined */
	unsigned long orphan_resumed;  /* resumed halves without a first half */
	unsigned long unfinished_eof;  /* unfinished calls never resumed (yielded as SP_RES_NONE) */
	unsigned long malformed_lines; /* lines that could not be read, skipped */
	unsigned long signals;         /* --- SIG... --- lines */
	unsigned long exits;           /* +++ exited / killed +++ lines */
	unsigned long strace_messages; /* "strace: Process N attached" and other strace: lines */
	unsigned long long bytes;      /* bytes read */
	unsigned long pids;            /* distinct pids seen */
	unsigned long long_lines;      /* lines longer than the 1 MiB buffer (still parsed/skipped safely) */
	unsigned long first_malformed; /* line number of the first malformed line, 0 if none */
	unsigned long summary_lines;   /* lines of the strace -c/-C table appended to an -o file */
};

struct sp_parser;

/* A parser over one open stream (not closed by sp_free). NAME names it in
 * messages and sp_event.file. pid_hint: pid for lines without a pid column
 * (the suffix of an -ff file trace.PID), or 0. */
struct sp_parser *sp_new(FILE *in, const char *name, int pid_hint);

/* A parser over several -ff files (trace.PID); events are merged in time
 * order when the files carry timestamps, file by file otherwise. Opens the
 * files itself; NULL and errno set if one cannot be opened. */
struct sp_parser *sp_open_files(const char *const *paths, size_t n);

/* Opens PATH: a single trace file, or, if PATH does not exist but
 * PATH.<pid> files do (strace -ff -o PATH), all of those. */
struct sp_parser *sp_open_path(const char *path);

/* Next event: 1 and *ev filled (valid until the next call), 0 at end of
 * input, -1 on a read error (errno set). Malformed lines are skipped and
 * counted, never returned. At end of input, calls left unfinished are
 * yielded once each with result_kind SP_RES_NONE. */
int sp_next(struct sp_parser *p, struct sp_event *ev);

const struct sp_stats *sp_get_stats(const struct sp_parser *p);

/* Lowers the longest line kept whole (default 1 MiB, minimum 256 bytes)
 * before the first sp_next(), so tests and the fuzzer reach the long-line
 * path with small inputs. False if out of range or reading has begun. */
bool sp_set_max_line(struct sp_parser *p, size_t max);

/* Whether ev->time is wanted (the default). Without it, a single trace
 * file's -tt/-t clocks are still checked and has_time still set, but
 * time stays 0 (on the common "HH:MM:SS.uuuuuu" form) and is not
 * computed; several -ff files are merged by time, and always have it. */
void sp_set_times(struct sp_parser *p, bool want);

/* Input buffers handed over instead of reused, so that a consumer on
 * another thread can read events in place. From the call on, every read
 * buffer comes from SWAP(CTX, NULL or OLD, OLD_CAP, CAP): a malloc'd
 * buffer of at least CAP bytes. When the parser is done with OLD (all of whose events
 * were returned before), ownership passes to the caller with that call;
 * OLD stays readable until the parser returns. The parser packs joined
 * and flushed calls into buffers of its own that also go to the hook when
 * full. Strings of an event with handed_over set stay valid until their
 * buffer is freed; the others (rare: lines cut by strace messages, calls
 * flushed at end of input) until the next sp_next(). sp_free() frees the buffers it still holds. Before the first
 * sp_next(); false if reading has begun or SWAP failed. */
typedef char *(*sp_swap_fn)(void *ctx, char *old, size_t old_cap, size_t cap);
bool sp_set_buffer_swap(struct sp_parser *p, sp_swap_fn swap, void *ctx);

void sp_free(struct sp_parser *p);

/* One top-level argument, as raw text (no surrounding spaces). */
struct sp_arg {
	const char *s;
	size_t len;
};

/* Splits raw argument text at top-level commas (not inside "", {}, [],
 * (), <> decorations or comments). Fills at most MAX; returns the count
 * found (may exceed MAX). */
int sp_split_args(const char *args, size_t len, struct sp_arg *out, int max);

/* Like sp_split_args, but stops after the first MAX arguments: for an
 * analysis that needs only leading arguments (the fd of read/write, the
 * path of openat) it does not scan the rest (a data buffer). Returns the
 * number filled, at most MAX. */
int sp_split_first_args(const char *args, size_t len, struct sp_arg *out, int max);

/* "3</path/to/f>" / "AT_FDCWD" / "7<anon_inode:[io_uring]>" -> fd number
 * (AT_FDCWD = -100), and the decoration text (path) decoded into DECOR
 * (size DECOR_SIZE, "" if none). Returns false if ARG is not an fd. */
bool sp_arg_fd(const struct sp_arg *arg, int *fd, char *decor, size_t decor_size);

/* The one decoder of strace's C escapes (\n \t \" \\ \ooo \xHH ...), for
 * quoted strings and -y decorations alike (strace escapes '<', '>' and
 * non-ASCII bytes of a decorated path as octal: "3</t/b\76c>"). Decodes
 * the LEN bytes at S into OUT (size OUT_SIZE, NUL-terminated; OUT may be S:
 * the decoded text is never longer), stopping after an unescaped STOP
 * ('\0': none). *USED (if not NULL) is the count of bytes read including
 * STOP, or LEN + 1 if no STOP was seen. A lone '\' at the end stands for
 * itself. Returns the decoded length stored in OUT (at most OUT_SIZE - 1;
 * the text may hold NUL bytes). */
size_t sp_unescape(const char *s, size_t len, char stop, char *out, size_t out_size, size_t *used);

/* A quoted strace string ("a\nb\x01\"...") decoded into OUT (size
 * OUT_SIZE, NUL-terminated). *truncated is set for a trailing "..." (or a
 * string cut before its closing quote). Returns the decoded length stored
 * in OUT (at most OUT_SIZE - 1; the text may hold NUL bytes), or -1 if ARG
 * is not a string (NULL, 0x...). */
long sp_arg_string(const struct sp_arg *arg, char *out, size_t out_size, bool *truncated);

/* A number in an argument ("4096", "0x10", "-1"); false if not a number. */
bool sp_arg_number(const struct sp_arg *arg, long long *value);

#endif
