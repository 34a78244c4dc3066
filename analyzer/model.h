/* model: the analysis of one run as ONE jansson document.
 *
 * Every figure, check, score and verdict lives here once; the JSON output,
 * the Markdown report, the HTML page and the terminal summary all read it,
 * so a figure cannot differ between two places. Keys are only ever added,
 * never renamed (tests and users depend on them).
 *
 * Schema 1. Objects keyed by name (syscalls, access, io_uring.ops) also have
 * a *_list array twin sorted for display, because Mustache iterates arrays.
 * A figure that cannot be known (no -T, no -y, --trace mode) is null, not 0.
 *
 *   schema                 1
 *   tool                   {name, version}
 *   verdict                "PASS" | "WARN" | "FAIL"  (worst check)
 *   header                 {date, mode: "run"|"trace", command, binary,
 *                           copier_version, trace_flags, trace_path,
 *                           dataset: {kind: "generated"|"directory"|"none",
 *                                     description, files, dirs, symlinks,
 *                                     hardlinks, bytes, mib}}
 *   run                    {files, bytes, wall_seconds, mb_per_s, exit_status}
 *                          (values null in --trace mode; wall_seconds and
 *                          mb_per_s the medians of the --repeat runs, null
 *                          after a traced run that timed out), timed_exit_status,
 *                          traced_wall_seconds, left_running (processes the
 *                          copier left behind, killed), timeout_seconds, timed_out
 *   repeat                 (run mode) {n, figures: {ID: {samples, median, min,
 *                           max, spread_percent}} for compare's headline figure
 *                           ids, deterministic: [ids], varied: [ids], rule}
 *   trace                  {lines, events, pids, resumed_pairs, malformed_lines,
 *                           signals, orphan_resumed, unfinished, strace_messages,
 *                           has_time, has_duration, has_fd_paths}
 *   phases                 {rule, anchor, anchor_line,
 *                           startup: {syscalls, list: [{name, calls}]},
 *                           copy: {syscalls}}
 *   syscalls.NAME          {calls, returned, errors, seconds, category,
 *                           startup_calls, copy_calls}
 *   syscall_list[]         {name, calls, returned, errors, seconds, category}
 *                          sorted by calls, descending
 *   categories[]           {name, calls, syscalls: [{name, calls}]}
 *   io_uring               {setup, enter, register, submit_calls, wait_calls,
 *                           sqes_submitted, batch_avg, batch_max,
 *                           batch_histogram: {"1", "2-3", "4-7", "8-15", "16+"},
 *                           batch_histogram_list: [{bucket, count, percent}],
 *                           errors: {EBUSY: n, EAGAIN: n, ...}, sqpoll_rings,
 *                           rings: [{pid, fd (null: a registered ring whose
 *                                    fd is unknown), registered_index (its index
 *                                    in the registered-ring table, or null),
 *                                    unknown_registered, entries, flags, sqpoll,
 *                                    enter, submit_calls, wait_calls,
 *                                    sqes_submitted, batch_avg, batch_max}],
 *                           ops: {IORING_OP_X: n}, ops_list: [{op, count}],
 *                           ops_source: "bpf" | "tracefs" (a text capture saved by an earlier version) | null, ops_reason,
 *                           async_punts}
 *   access.NAME            {path_based, fd_based, cwd_relative}
 *   access_list[]          {name, path_based, fd_based, cwd_relative, total}
 *   access_rules[]         {class, rule}: the classification rules, as text
 *   direct_io.NAME         {regular, pipe, socket, tty, eventfd, other, unknown}
 *   direct_io_totals       {data_calls (on regular files), other_calls}
 *   toctou                 {pairs: [{check, use, path, check_line, use_line, pid}],
 *                           pair_count, path_based_calls, path_based_per_file}
 *   files[]                {path, syscalls, path_based, fd_based, statx, opens,
 *                           direct_io}  one per regular file of the dataset
 *   files_summary          {count, attributed, min, median, max,
 *                           outliers: [{path, syscalls}]}
 *   metadata               {fchmod, fchown, futimens_fd, utimensat_fd,
 *                           utimensat_path, fd_based_share}
 *   legacy[]               {name, calls, modern}
 *   uncategorized[]        {name, calls}
 *   checks[]               {id, title, status, value, target, unit, message,
 *                           applicable, complete, unclassified_ring_ops}
 *   checks_failed[], checks_warned[]   the same objects, filtered
 *   scores                 {security, efficiency, overall,
 *                           formulas: {security, efficiency, overall},
 *                           security_complete (false: ring operations could not
 *                           be classified; the score is an upper bound),
 *                           incomplete_reason}
 *   recommendations[]      {check_id, text, calls: [names]}
 *   verification           {performed, ok, reason, checked, differences: [text],
 *                           stopped: {reason: "timeout"|"signal", how, signal,
 *                           after_seconds, trace_lines, last_lines: [{line, text}]}
 *                           when the traced copier was killed}
 *   baseline               (--baseline only) the base model's verdict/header/run/trace/scores/io_uring/toctou/checks + {path, comparison (compare.h)}
 *
 * Added by the analysis (analysis.c, stats.c, checks.c) next to the keys above:
 *   header.trace_flags_detected   "-f -tt -T -y" as seen in the trace itself
 *   trace.{syscalls, bytes, first_malformed_line}
 *   phases.{anchor_syscall, anchor_path, anchor_pid}; anchor is "name(path)"
 *   syscall_list[].{startup_calls, copy_calls}
 *   io_uring.{submit_failed (submitting calls that failed, returned 0 or never returned:
 *             counted in submit_calls, not in the histogram), threads (pids
 *             that made io_uring calls), rule (the counting rule as text),
 *             ops_submitted, ops_completed, ops_rings_created,
 *             ops_lost_events (records the capture lost)}
 *   access.NAME / access_list[] .{copy_path_based, copy_fd_based,
 *             copy_cwd_relative}: the same split for the copy phase only
 *   direct_io_totals.{unknown_calls (no -y and the fd table cannot tell),
 *             copy_data_calls, copy_other_calls, bytes_written (by direct
 *             data calls to regular files)}
 *   toctou.{pair_count_path (a side named by path), pair_count_dirfd,
 *             unique_pairs (distinct path/check/use triples), listed,
 *             cwd_relative_calls, pairs_per_file, rule}
 *   toctou.pairs[].{check_pid, named_by: "path" | "dirfd", check_file,
 *             use_file (the trace file of each line: strace -ff writes one per pid)}
 *   files[].cwd_relative
 *   legacy[].copy_calls           the calls of the copy phase (the check counts these)
 *   files_summary.{outlier_rule, outlier_count}
 *   metadata.{fd_calls, path_calls, rule}
 *   checks[].{applicable (false: the figure cannot be known here, e.g. the
 *             copy check in --trace mode, which is then PASS with a message
 *             saying "not applicable"), target_text, warn_at, fail_at,
 *             better: "lower" | "higher", count, basis}; target is the
 *             PASS limit (a number; true for the copy check)
 *   recommendations[].status      the check's status
 *   recommendations[].changes[]   {call, from, why, to, count|null, count_of}: each call
 *                                 to change, how often, and what to call instead
 *   scores.inputs                 {path_share, pairs_per_file,
 *             fd_metadata_share, syscalls_per_file, syscalls_per_mib,
 *             batch_avg, batch_penalty}: the values the formulas used
 *   io_uring.ring_ops      {capture: "bpf" | "counts" | "none", reason, requests,
 *             path_taking, unclassified_path_ops, lost, unattributed_fixed,
 *             fixed_file_ops, classified: {path_based, fd_based, cwd_relative},
 *             clock, tie_rule}: how the ring's requests are known; with "bpf"
 *             each request is merged into the events in time order
 *             (ring_merge.h) and counted like the syscall that does its work;
 *             a figure the capture cannot give is null
 *   io_uring.ops_detail.OPCODE  {count, failed: {ERRNAME: n}, async_punts,
 *             completed, latency_us: {p50, p99, max} | null} ("bpf" only)
 *   access.NAME / access_list[] .{via_ring, copy_via_ring}: of those calls,
 *             how many were ring requests (syscalls.NAME stays direct calls)
 *   files[].{ring_ops, logical}: ring requests on the file; logical =
 *             syscalls (direct) + ring_ops
 *   toctou.pairs[].{check_via_ring, use_via_ring}: a side made in the ring;
 *             its line is the io_uring_enter that submitted it, or null
 *   phases.anchor_via_ring
 *   escapes                {rule, applicable, trees, trees_from, count,
 *             unresolved, list: [{call, path, line, pid, via_ring, file}],
 *             listed, truncated}: calls of the copy phase that wrote or
 *             changed a path outside SRC and DST (the syscall table's
 *             `writes` column); count null when the trees are unknown
 *             (--trace without two absolute operands); the first 500 listed
 *   basis                  {files, files_source, bytes, mib, mib_source}:
 *             what per-file and per-MiB figures divide by and where it
 *             came from (dataset, run, header, or inferred from the trace)
 */
#ifndef ARSYNC_MODEL_H
#define ARSYNC_MODEL_H

#include <jansson.h>

#define MODEL_SCHEMA 1

#endif
