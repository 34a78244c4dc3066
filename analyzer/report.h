/* report: the model rendered for people. Markdown through the Mustache
 * templates of report-templates/ (or --templates DIR), HTML as that
 * Markdown through cmark-gfm with inline CSS and SVG charts, and a short
 * terminal summary. Wording lives in the templates; this code only renders. */
#ifndef ARSYNC_REPORT_H
#define ARSYNC_REPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

/* Markdown for MODEL from the template "report.md.mustache" and its
 * partials, found in TEMPLATES_DIR, or the built-in ones when NULL.
 * malloc'd, or NULL with ERR set (names the template file and line). */
char *report_markdown(json_t *model, const char *templates_dir, char *err, size_t errlen);

/* The short report for a pull-request comment or a CI step summary
 * ("summary.md.mustache"): verdict, scores, checks, regressions against the
 * baseline, the first recommendations, where the full report is
 * (REPORT_PATH, may be NULL). Never longer than REPORT_SUMMARY_MAX bytes.
 * malloc'd, or NULL with ERR. */
#define REPORT_SUMMARY_MAX 60000
char *report_summary_markdown(json_t *model, const char *templates_dir, const char *report_path,
                              char *err, size_t errlen);

/* Writes a standalone HTML page for MARKDOWN (plus charts from MODEL) to PATH. */
int report_write_html(const char *markdown, json_t *model, const char *path, char *err,
		      size_t errlen);

/* Verdict, scores, failed and warned checks, where the report went.
 * COLOR: ANSI colours (the caller decides: a tty and no NO_COLOR). */
void report_print_summary(FILE *out, json_t *model, const char *report_path, bool color);

#endif
