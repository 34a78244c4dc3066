/* report_view: the model in display form, for the report templates.
 *
 * The view is a copy of the model in which reals are rounded to a few
 * digits and null reads "n/a", plus derived values the templates cannot
 * compute: flags for conditions (Mustache treats 0 and null alike), bar
 * strings, per-file ratios, first-item markers for lists. Integers and
 * strings are copied unchanged, so every figure is still the model's. */
#ifndef ARSYNC_REPORT_VIEW_H
#define ARSYNC_REPORT_VIEW_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* The display copy of MODEL with the derived keys (new reference), or
 * NULL when out of memory. */
json_t *report_view_new(json_t *model);

/* D formatted for people: 3 significant digits below 1, two decimals up
 * to 100, one above, trailing zeros dropped ("8", "2.5", "0.000123"). */
void report_format_real(double d, char *buf, size_t size);

/* The number in V (integer or real) as a double; false if V is neither. */
bool report_number(json_t *v, double *out);

#endif
