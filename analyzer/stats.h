/* stats: the aggregation stage. Fed one parsed event at a time, it keeps
 * every counter the model needs: per-syscall calls/returned/errors/seconds,
 * startup and copy phases, path-based / fd-based / cwd-relative access,
 * direct I/O by fd kind, io_uring submissions and waits per ring, per-file
 * attribution for the dataset's regular files, and check-then-use pairs.
 *
 * Memory is bounded apart from tables that grow with distinct paths, pids,
 * fds and rings. Only the syscalls it needs have their arguments split.
 */
#ifndef ARSYNC_STATS_H
#define ARSYNC_STATS_H

#include "strace_parse.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct stats_config {
	const char *src_root;     /* or NULL */
	const char *dst_root;     /* or NULL */
	const char *const *operands; /* --trace: absolute paths on the traced command line, */
	size_t n_operands;           /* named by path without being scored, like the roots */
	const char *const *files; /* dataset regular files, relative to src_root */
	size_t n_files;
	size_t max_pairs;          /* check-then-use pairs listed (all are counted) */
	double outlier_factor;     /* a file is an outlier above factor x median ... */
	double outlier_min_excess; /* ... and median + this */
	size_t outlier_max;        /* at most this many listed */
};

/* The figures the checks and scores read (copy phase unless said). */
struct stats_figures {
	uint64_t events, syscalls, copy_syscalls, startup_syscalls;
	uint64_t path_based, fd_based, cwd_relative;   /* copy phase */
	uint64_t root_path_calls; /* copy phase: path-based calls naming exactly the SRC or DST
	                           * operand, or (--trace) an absolute path of the command
	                           * line: a program has to name its operands, not scored */
	uint64_t stat_calls, open_calls, legacy_calls; /* copy phase, direct */
	uint64_t data_calls_regular, data_calls_other; /* direct data I/O, copy phase; on regular
	                                                * files: through a user buffer */
	uint64_t kernel_copy_regular; /* in-kernel copies (copy_file_range, sendfile, splice)
	                               * on regular files, copy phase: no read/write loop */
	uint64_t bytes_written_regular;                /* by direct data calls */
	uint64_t meta_fd, meta_path;                   /* metadata changes: fd vs path/cwd named */
	uint64_t uring_setup, uring_enter, uring_register;
	uint64_t submit_calls, wait_calls, sqes_submitted, batch_max;
	uint64_t rings, sqpoll_rings, uring_threads;
	uint64_t pairs, pairs_path, pairs_unique;
	uint64_t pairs_excluded; /* not counted: outside SRC and DST, start-up, both sides failed */
	uint64_t files_created; /* distinct paths created by direct calls */
	bool has_time, has_duration, has_fd_paths;
};

struct stats;

struct stats *stats_new(const struct stats_config *cfg, char *err, size_t errlen);
void stats_free(struct stats *s);

/* One event. 0, or -1 when out of memory. */
int stats_event(struct stats *s, const struct sp_event *ev);

/* io_uring_setup's flags as strace printed them (TEXT, LEN bytes:
 * "IORING_SETUP_CQSIZE|0x3000", "0x3108", "0") into OUT with every
 * known bit named: numeric parts are decoded, unknown bits stay hex. */
void stats_setup_flags(const char *text, size_t len, char *out, size_t cap);

void stats_figures(const struct stats *s, struct stats_figures *f);

/* --- ring operations --------------------------------------------------
 *
 * The io_uring requests of a capture (uring_reqs.h) join the stream of
 * events: each request is aggregated like the direct syscall whose work
 * it does (sc_for_uring_op), marked as made through the ring, so the
 * access classes, check-then-use pairs, fd table and per-file attribution
 * count both alike; `syscalls` stays direct calls only. The merge stage
 * (ring_merge.h) decides when: stats_ring_submit at the request's place
 * in time, stats_ring_complete at its completion's. */

struct uring_req;

/* How the ring's requests are known, for io_uring.ring_ops. */
struct stats_ring_capture {
	const char *capture; /* "bpf" | "counts" | "none" */
	const char *reason;  /* why not "bpf", or NULL */
	uint64_t lost;       /* records the capture lost */
	/* the capture's own cost (uring_reqs_info says what each is) */
	bool cost_known;
	uint64_t bpf_runs, bpf_ns, consumer_ns, wall_ns;
	/* punts to io-wq per opcode, when the capture counted them instead
	 * of marking each request (256 entries, or NULL) */
	const uint64_t *async_by_op;
};

/* REQS (N of them, borrowed until stats_free) are the capture's requests;
 * CAP says how they were captured (copied). 0, or -1 out of memory. */
int stats_ring_begin(struct stats *s, const struct uring_req *reqs, size_t n,
                     const struct stats_ring_capture *cap);

/* How the requests were placed among the direct calls: CLOCK (how the
 * two clocks were matched) and TIE_RULE, as text for the model. */
void stats_ring_order(struct stats *s, const char *clock, const char *tie_rule);

/* Request I submitted now. KEY: its time on the trace's clock in
 * microseconds, the key stats_ring_lines resolves to the submitting
 * io_uring_enter's line (UINT64_MAX: unknown). 0, or -1 out of memory. */
int stats_ring_submit(struct stats *s, size_t i, uint64_t key);

/* Request I completed now: an opened fd enters the fd table (a closed one
 * left it at the submission). 0, or -1 out of memory. */
int stats_ring_complete(struct stats *s, size_t i);

/* Resolves the trace line of each ring-side figure that shows one (pairs,
 * the phase anchor): RESOLVE(CTX, TID, KEY, &line, &file) gives the line
 * (and trace file) of the io_uring_enter that submitted the request, or
 * false. */
typedef bool (*stats_line_fn)(void *ctx, int tid, uint64_t key, unsigned long *line,
                              const char **file);
void stats_ring_lines(struct stats *s, stats_line_fn resolve, void *ctx);

/* Adds the aggregated sections to MODEL: syscalls, syscall_list,
 * categories, phases, io_uring (without ops), access, access_list,
 * access_rules, direct_io, direct_io_totals, toctou, files, files_summary,
 * metadata, legacy (LEGACY_MODERN maps a name to its modern form),
 * uncategorized. 0, or -1 when out of memory. */
int stats_to_model(const struct stats *s, json_t *model, json_t *legacy_modern);

/* Names of the syscalls behind a figure, most frequent first, for
 * recommendations: "path_based", "stat", "open", "data", "legacy",
 * "meta_path", "pairs". A new array (maybe empty). */
json_t *stats_calls_for(const struct stats *s, const char *what);

#endif
