/* trend: the headline figures of several runs' models, in the order given
 * (the last N runs on main, say), with each step where a figure moved past
 * its threshold marked: the same figures, thresholds and directions as
 * compare, one table instead of pairs.
 *
 * The trend object:
 *   {schema, runs: [{index, path, date, command, verdict}],
 *    figures: [{id, label, unit, better, threshold_text,
 *               points: [{index, value|null, text, step, step_mark, change_text}],
 *               has_step}],
 *    steps: [{figure, label, from, to, from_text, to_text, change_text,
 *             threshold_text, kind: "regression"|"improvement"}],
 *    regressions, improvements}
 */
#ifndef ARSYNC_TREND_H
#define ARSYNC_TREND_H

#include <jansson.h>
#include <stddef.h>

/* MODELS[i] was read from PATHS[i] (shown only). */
json_t *trend_build(json_t *const *models, const char *const *paths, size_t n);

/* Markdown for TREND from "trend.md.mustache" in TEMPLATES_DIR or the
 * built-in one. malloc'd, or NULL with ERR. */
char *trend_markdown(json_t *trend, const char *templates_dir, char *err, size_t errlen);

#endif
