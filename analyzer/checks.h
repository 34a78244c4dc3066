/* checks: the evaluation stage. Rules (report-templates/rules.json, or
 * --rules FILE merged over it) turn the aggregated figures into checks
 * (PASS / WARN / FAIL with value and target), scores 0-100 with their
 * formulas as text, recommendations, and one verdict (the worst check).
 * Thresholds and wording live in the rules; this code computes.
 */
#ifndef ARSYNC_CHECKS_H
#define ARSYNC_CHECKS_H

#include "stats.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* The rules: the built-in rules.json, or PATH merged over it (a check
 * given by id replaces only the keys it names; other top-level objects are
 * merged key by key). NULL with ERR (path, line, why) on error. */
json_t *rules_load(const char *path_or_NULL, char *err, size_t errlen);

struct check_input {
	json_t *verification; /* model "verification" (borrowed), or NULL */
	bool trace_mode;      /* --trace: no copy was made here */
	double files;         /* regular files of the dataset; <= 0 unknown */
	const char *files_basis;
	double mib; /* MiB of data; <= 0 unknown */
	const char *mib_basis;
	struct stats_figures fig;
	/* names of the syscalls behind a figure ("path_based", "stat", ...) */
	json_t *(*calls_for)(const void *ud, const char *what);
	const void *ud;
};

/* Adds checks, checks_failed, checks_warned, scores, recommendations and
 * verdict to MODEL. 0, or -1 with ERR (a malformed rule names its id). */
int checks_evaluate(json_t *rules, const struct check_input *in, json_t *model, char *err,
                    size_t errlen);

/* "PASS" < "WARN" < "FAIL": 0, 1, 2 (-1 for anything else). */
int check_status_rank(const char *status);

/* A number as report text: "66", "8.25", "0.764". */
void format_number(double v, char *out, size_t outsz);

#endif
