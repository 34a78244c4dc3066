/* embedded: the default report templates and rules, compiled into the binary
 * from report-templates/ by embed_gen.sh. */
#ifndef ARSYNC_EMBEDDED_H
#define ARSYNC_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char *name; /* base name, e.g. "report.md.mustache" */
	const char *data; /* NUL-terminated contents */
	size_t size;
};

extern const struct embedded_file embedded_files[]; /* ends with name == NULL */

/* The embedded file called NAME, or NULL. */
const struct embedded_file *embedded_find(const char *name);

#endif
