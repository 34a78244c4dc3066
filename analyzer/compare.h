/* compare: a regression report between two models (--json outputs).
 *
 * Each shared figure (throughput, wall time, syscalls per file, statx per
 * file, path-based calls, check-then-use pairs, io_uring batching, scores)
 * is shown with base, new, delta and percent; a change past its threshold in
 * the bad direction is a regression. Each check's status is compared too; a
 * check that becomes FAIL is the worst outcome. Per-file figures divide by
 * each run's own file count, so two datasets of different sizes compare.
 *
 * The comparison object:
 *   {schema, base: {path, date, command, verdict, copier_version},
 *    new: {...}, figures: [{id, label, unit, better, base, new, delta,
 *    percent, base_text, new_text, delta_text, percent_text, threshold_text,
 *    status: "regression"|"improvement"|"same"|"n/a", regression}],
 *    checks: [{id, title, base, new, change: "same"|"better"|"worse"|"new"|"gone",
 *    to_fail}], regressions, improvements, checks_to_fail, checks_worse,
 *    verdict: "OK" | "REGRESSION" | "FAIL", has_regressions, has_checks}
 */
#ifndef ARSYNC_COMPARE_H
#define ARSYNC_COMPARE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Reads a model written by --json. NULL with ERR: missing or unreadable
 * file, not JSON, not an arsync-analyze model, another schema. */
json_t *compare_load_model(const char *path, char *err, size_t errlen);

/* The comparison of NEW_MODEL against BASE (new reference). The paths are
 * only shown; NULL is fine. */
json_t *compare_models(json_t *base, json_t *new_model, const char *base_path,
                       const char *new_path);

/* The headline figures of MODEL, in the order compare shows them:
 * [{id, label, unit, value (null when unknown), better: "lower"|"higher",
 * threshold, absolute}] (per-file figures already divided). */
json_t *compare_headline(json_t *model);

/* 2 when a check went to FAIL, 1 when there is a regression and
 * FAIL_ON_WARN, else 0. */
int compare_exit_status(json_t *cmp, bool fail_on_warn);

/* Markdown for CMP from "compare.md.mustache" in TEMPLATES_DIR or the
 * built-in one. malloc'd, or NULL with ERR (template name and line). */
char *compare_markdown(json_t *cmp, const char *templates_dir, char *err, size_t errlen);

/* Markdown from the template NAME ("x.md.mustache") over CTX, found in
 * TEMPLATES_DIR or built in. malloc'd, or NULL with ERR. */
char *compare_render(const char *name, json_t *ctx, const char *templates_dir, char *err,
                     size_t errlen);

/* What a run's model keeps of its --baseline: the figures the report
 * compares (verdict, header, run, trace, scores, io_uring, toctou counts,
 * checks) plus "path" and "comparison" (compare_models' object). */
json_t *compare_baseline_entry(json_t *base, json_t *new_model, const char *base_path);

#endif
