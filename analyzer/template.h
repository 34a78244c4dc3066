/* template: a Mustache renderer over jansson values.
 *
 * The whole Mustache spec (interpolation, sections, inverted sections,
 * comments, partials, set delimiters, standalone lines) as tested by
 * the official spec suite. Partials come from a loader callback, so they
 * can be files on disk or templates compiled into the binary.
 */
#ifndef ARSYNC_TEMPLATE_H
#define ARSYNC_TEMPLATE_H

#include <jansson.h>

enum tpl_escape {
	TPL_ESCAPE_HTML,     /* the spec's {{x}}: & < > " escaped */
	TPL_ESCAPE_MARKDOWN, /* report text: also | (table cells), newlines -> <br> */
	TPL_ESCAPE_NONE,
};

/* Limits that stop a runaway template with an error instead of eating the
 * machine (or the stack): section nesting within one template, partial
 * nesting, tags rendered in total, bytes of output. */
#define TPL_MAX_SECTION_DEPTH 100
#define TPL_MAX_PARTIAL_DEPTH 64
#define TPL_MAX_STEPS 10000000
#define TPL_MAX_OUTPUT (64 * 1024 * 1024)

/* Returns the partial NAME as a malloc'd string, or NULL if there is none
 * (the spec renders a missing partial as ""). */
typedef char *(*tpl_partial_loader)(const char *name, void *ud);

struct tpl_error {
	char file[256]; /* template name the error is in */
	int line;       /* 1-based */
	char msg[256];  /* e.g. "unclosed section 'checks'" */
};

/* Renders TEMPLATE (named NAME for messages) with DATA as the context.
 * Returns a malloc'd string, or NULL with *err filled. */
char *tpl_render(const char *template_text, const char *name, json_t *data,
		 enum tpl_escape escape, tpl_partial_loader load, void *ud,
		 struct tpl_error *err);

#endif
