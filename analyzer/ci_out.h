/* ci_out: what CI systems read, made from a model (or a comparison): GitHub
 * workflow annotations, JUnit XML, and the JSON of the common GitHub
 * benchmark action. Each is written only when asked for; none adds a figure
 * of its own: everything comes from the model, as in the report. */
#ifndef ARSYNC_CI_OUT_H
#define ARSYNC_CI_OUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* One ::error:: (FAIL) or ::warning:: (WARN) line per check that did not
 * pass, titled with the check's id, and one ::warning:: per figure of a
 * baseline comparison that regressed (model.baseline.comparison). */
void ci_annotations_model(FILE *out, json_t *model);

/* The same for a `compare` result: a check gone to FAIL is an error, a
 * regression a warning. */
void ci_annotations_compare(FILE *out, json_t *cmp);

/* JUnit XML: one testcase per check (FAIL a failure; WARN a failure too
 * with FAIL_ON_WARN, else a pass with the message in system-out; a check
 * that does not apply is skipped). 0, or -1 with ERR. */
int ci_junit_model(const char *path, json_t *model, bool fail_on_warn, char *err, size_t errlen);

/* JUnit XML for `compare`: one testcase per figure and per check. */
int ci_junit_compare(const char *path, json_t *cmp, bool fail_on_warn, char *err, size_t errlen);

/* The headline figures for the GitHub benchmark action: PATH gets those
 * where smaller is better (customSmallerIsBetter), BIGGER_PATH those where
 * bigger is better (customBiggerIsBetter); [{name, unit, value, range?,
 * extra}]. Unknown figures are left out, never written as 0. 0, or -1. */
int ci_bench_json(const char *path, const char *bigger_path, json_t *model, char *err,
                  size_t errlen);

/* "FILE-bigger.json" for "FILE.json" (or FILE-bigger for a name without
 * .json). malloc'd. */
char *ci_bench_bigger_path(const char *path);

/* Appends TEXT to the file named by $GITHUB_STEP_SUMMARY when it is set.
 * 1 appended, 0 not set, -1 with ERR. */
int ci_step_summary(const char *text, char *err, size_t errlen);

#endif
