/* template: a Mustache renderer over jansson values.
 *
 * Key idea: parse once into a tree (text, variable, section, inverted
 * section, partial) and apply the standalone-line rules while parsing, so
 * rendering is a plain walk over the tree with a stack of json contexts.
 * Partials are parsed on first use with their standalone indentation
 * written into their text, and cached by (name, indentation).
 *
 * Choices the spec leaves open:
 * - Falsy, as JavaScript's !!value: missing, null, false, "", 0, 0.0 and
 *   the empty array. Everything else (including {}) is truthy.
 * - Numbers: integers in decimal; reals with printf("%.*g") at the fewest
 *   significant digits (1..17) that read back as the same double, so
 *   1.5 -> "1.5", 0.25 -> "0.25", 8.0 -> "8", 1.210 -> "1.21"; exponents
 *   only below 1e-4 and from 1e17 up (90.0 -> "90", 1e21 -> "1e+21",
 *   0.00001 -> "1e-05").
 * - true/false interpolate as "true"/"false"; null as ""; objects and
 *   arrays as compact JSON.
 * - Runaway templates are stopped with an error: sections nested deeper
 *   than TPL_MAX_SECTION_DEPTH, partials deeper than TPL_MAX_PARTIAL_DEPTH,
 *   more than TPL_MAX_STEPS nodes rendered, or more than TPL_MAX_OUTPUT
 *   bytes of output.
 *
 * TPL_ESCAPE_MARKDOWN makes a value safe as text in a GitHub-flavoured
 * Markdown paragraph or table cell: | -> \|, \ -> &#92;, ` -> &#96;,
 * CR, LF or CRLF -> <br>, and the HTML entities for & < > only where they
 * could start an entity, a tag or a block quote (so "<= 2" and "R & D"
 * read as they are in the Markdown source). A backtick in a
 * value can then neither open nor close a code span, and no pipe can split
 * table cells. Backslash is an entity, not \\, because GFM splits table
 * rows before it reads backslash escapes and keeps any | after a backslash
 * in the cell: a value ending in \\ would still swallow the next cell's |.
 * Emphasis characters (* _ [ ]) are left alone so names like
 * fchmodat_flags stay readable.
 * Inside a template's own code span the entities show literally, so
 * values with those rare characters read best outside code spans.
 */
#include "template.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum node_kind { N_TEXT, N_VAR, N_SECTION, N_INVERTED, N_PARTIAL };

struct node;
struct nodes {
	struct node *v;
	size_t n, cap;
};

struct node {
	enum node_kind kind;
	int line;
	char *text;        /* N_TEXT: the literal; otherwise the tag's name */
	size_t len;        /* length of text */
	bool raw;          /* N_VAR: {{{x}}} or {{&x}} */
	char *indent;      /* N_PARTIAL: standalone indentation, or NULL */
	struct nodes kids; /* N_SECTION, N_INVERTED */
};

struct tpl {
	char *name;
	struct nodes root;
};

static void set_error(struct tpl_error *err, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void set_error(struct tpl_error *err, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	snprintf(err->file, sizeof err->file, "%s", file ? file : "(template)");
	err->line = line;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
}

static void free_nodes(struct nodes *ns)
{
	for (size_t i = 0; i < ns->n; i++) {
		free(ns->v[i].text);
		free(ns->v[i].indent);
		free_nodes(&ns->v[i].kids);
	}
	free(ns->v);
}

static void free_tpl(struct tpl *t)
{
	if (!t)
		return;
	free(t->name);
	free_nodes(&t->root);
	free(t);
}

static bool push_node(struct nodes *ns, struct node nd)
{
	if (ns->n == ns->cap) {
		size_t cap = ns->cap ? ns->cap * 2 : 8;
		struct node *v = realloc(ns->v, cap * sizeof *v);
		if (!v)
			return false;
		ns->v = v;
		ns->cap = cap;
	}
	ns->v[ns->n++] = nd;
	return true;
}

/* ---- parsing ---- */

#define MAX_DELIM 32

struct frame { /* a section being parsed */
	struct nodes list;
	enum node_kind kind;
	char *name;
	int line;
};

struct parser {
	const char *src, *name;
	size_t len;
	int line;        /* line number of line_pos */
	size_t line_pos; /* how far newlines have been counted */
	char otag[MAX_DELIM + 2], ctag[MAX_DELIM + 2];
	size_t olen, clen;
	struct frame *stack;
	size_t depth, cap;
	struct tpl_error *err;
};

static int line_at(struct parser *p, size_t pos)
{
	const char *s = p->src + p->line_pos, *end = p->src + pos;
	while (s < end && (s = memchr(s, '\n', end - s))) {
		p->line++;
		s++;
	}
	p->line_pos = pos;
	return p->line;
}

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

static char *dup_trimmed(const char *s, size_t n)
{
	while (n && (is_blank(*s) || *s == '\r' || *s == '\n'))
		s++, n--;
	while (n && (is_blank(s[n - 1]) || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return strndup(s, n);
}

static bool add_text(struct parser *p, size_t from, size_t to)
{
	if (to <= from)
		return true;
	struct node nd = {
	    .kind = N_TEXT, .text = strndup(p->src + from, to - from), .len = to - from};
	if (nd.text && push_node(&p->stack[p->depth - 1].list, nd))
		return true;
	free(nd.text);
	return false;
}

static bool set_delimiters(struct parser *p, const char *s, size_t n, int line)
{
	size_t i = 0, a, b, c, d;
	while (i < n && is_blank(s[i]))
		i++;
	for (a = i; i < n && !is_blank(s[i]); i++)
		;
	b = i;
	while (i < n && is_blank(s[i]))
		i++;
	for (c = i; i < n && !is_blank(s[i]); i++)
		;
	d = i;
	while (i < n && is_blank(s[i]))
		i++;
	if (b == a || d == c || i != n || memchr(s + a, '=', b - a) || memchr(s + c, '=', d - c)) {
		set_error(p->err, p->name, line,
		          "bad delimiter tag '%.*s': want two "
		          "strings without spaces or '=', as {{=<%% %%>=}}",
		          (int)n, s);
		return false;
	}
	if (b - a > MAX_DELIM || d - c > MAX_DELIM) {
		set_error(p->err, p->name, line, "delimiter longer than %d characters", MAX_DELIM);
		return false;
	}
	memcpy(p->otag, s + a, b - a);
	p->olen = b - a;
	memcpy(p->ctag, s + c, d - c);
	p->clen = d - c;
	return true;
}

/* The tag at [ts, te) stands alone on its line: returns true and the start
 * of that line and the position after its line ending. SEG is where the
 * text before the tag starts (just after the previous tag). */
static bool standalone(struct parser *p, size_t seg, size_t ts, size_t te, size_t *ls, size_t *next)
{
	size_t i = ts;
	while (i > seg && is_blank(p->src[i - 1]))
		i--;
	if (i > seg ? p->src[i - 1] != '\n' : seg > 0 && p->src[seg - 1] != '\n')
		return false;
	size_t q = te;
	while (q < p->len && is_blank(p->src[q]))
		q++;
	if (q < p->len && p->src[q] == '\n')
		q++;
	else if (q + 1 < p->len && p->src[q] == '\r' && p->src[q + 1] == '\n')
		q += 2;
	else if (q != p->len)
		return false;
	*ls = i;
	*next = q;
	return true;
}

static bool open_section(struct parser *p, enum node_kind kind, char *name, int line)
{
	if (p->depth > TPL_MAX_SECTION_DEPTH) {
		set_error(p->err, p->name, line, "sections nested deeper than %d levels",
		          TPL_MAX_SECTION_DEPTH);
		return false;
	}
	if (p->depth == p->cap) {
		size_t cap = p->cap * 2;
		struct frame *s = realloc(p->stack, cap * sizeof *s);
		if (!s)
			return false;
		p->stack = s;
		p->cap = cap;
	}
	p->stack[p->depth++] = (struct frame){.kind = kind, .name = name, .line = line};
	return true;
}

/* Returns false with p->err filled, or true and consumes NAME. */
static bool close_section(struct parser *p, char *name, int line)
{
	struct frame *f = &p->stack[p->depth - 1];
	if (p->depth == 1) {
		set_error(p->err, p->name, line, "close tag '%s' without an open section", name);
		free(name);
		return false;
	}
	if (strcmp(f->name, name) != 0) {
		set_error(p->err, p->name, line,
		          "close tag '%s' does not match "
		          "section '%s' opened on line %d",
		          name, f->name, f->line);
		free(name);
		return false;
	}
	free(name);
	struct node nd = {.kind = f->kind,
	                  .line = f->line,
	                  .text = f->name,
	                  .len = strlen(f->name),
	                  .kids = f->list};
	p->depth--;
	if (push_node(&p->stack[p->depth - 1].list, nd))
		return true;
	free_nodes(&nd.kids);
	free(nd.text);
	set_error(p->err, p->name, line, "out of memory");
	return false;
}

static bool parse_tag(struct parser *p, char type, char *name, char *indent, int line)
{
	struct node nd = {.kind = N_VAR, .line = line, .text = name, .len = strlen(name)};
	switch (type) {
	case '#':
	case '^':
		if (open_section(p, type == '#' ? N_SECTION : N_INVERTED, name, line))
			return true;
		free(name);
		if (!p->err->msg[0])
			set_error(p->err, p->name, line, "out of memory");
		return false;
	case '/':
		return close_section(p, name, line);
	case '>':
		nd.kind = N_PARTIAL;
		nd.indent = indent;
		indent = NULL;
		break;
	case '{':
	case '&':
		nd.raw = true;
		break;
	}
	free(indent);
	if (push_node(&p->stack[p->depth - 1].list, nd))
		return true;
	free(nd.text);
	free(nd.indent);
	set_error(p->err, p->name, line, "out of memory");
	return false;
}

/* Returns the position after the tag that starts at TS, or 0 on error. */
static size_t parse_one(struct parser *p, size_t seg, size_t ts)
{
	int line = line_at(p, ts);
	size_t c = ts + p->olen;
	char type = c < p->len ? p->src[c] : 0;
	char close[MAX_DELIM + 2];
	size_t clen = p->clen;
	memcpy(close, p->ctag, clen);
	if (type && strchr("#^/!>={&", type)) {
		c++;
		if (type == '{' || type == '=') { /* }}} and =}} close these */
			memmove(close + 1, close, clen++);
			close[0] = type == '{' ? '}' : '=';
		}
	} else {
		type = 0;
	}
	const char *end = memmem(p->src + c, p->len - c, close, clen);
	if (!end) {
		set_error(p->err, p->name, line, "unclosed tag '%.*s' (no '%.*s' after it)",
		          (int)(c - ts), p->src + ts, (int)clen, close);
		return 0;
	}
	size_t te = (size_t)(end - p->src) + clen, ls = ts, next = te;
	bool alone = type && strchr("#^/!>=", type) && standalone(p, seg, ts, te, &ls, &next);
	if (!add_text(p, seg, alone ? ls : ts)) {
		set_error(p->err, p->name, line, "out of memory");
		return 0;
	}
	const char *content = p->src + c;
	size_t n = (size_t)(end - content);
	if (type == '!')
		return next;
	if (type == '=')
		return set_delimiters(p, content, n, line) ? next : 0;
	char *name = dup_trimmed(content, n);
	char *indent = alone && type == '>' ? strndup(p->src + ls, ts - ls) : NULL;
	if (!name || (alone && type == '>' && !indent)) {
		free(name);
		free(indent);
		set_error(p->err, p->name, line, "out of memory");
		return 0;
	}
	if (!*name) {
		free(name);
		free(indent);
		set_error(p->err, p->name, line, "empty tag '%.*s'", (int)(te - ts), p->src + ts);
		return 0;
	}
	return parse_tag(p, type, name, indent, line) ? next : 0;
}

static struct tpl *parse(const char *src, const char *name, struct tpl_error *err)
{
	struct parser p = {.src = src,
	                   .name = name,
	                   .len = strlen(src),
	                   .line = 1,
	                   .otag = "{{",
	                   .ctag = "}}",
	                   .olen = 2,
	                   .clen = 2,
	                   .err = err};
	struct tpl *t = calloc(1, sizeof *t);
	p.cap = 8;
	p.stack = calloc(p.cap, sizeof *p.stack);
	if (!t || !p.stack || !(t->name = strdup(name))) {
		set_error(err, name, 0, "out of memory");
		goto fail;
	}
	p.depth = 1;
	size_t seg = 0;
	const char *open;
	while ((open = memmem(src + seg, p.len - seg, p.otag, p.olen))) {
		seg = parse_one(&p, seg, (size_t)(open - src));
		if (!seg)
			goto fail;
	}
	if (!add_text(&p, seg, p.len)) {
		set_error(err, name, line_at(&p, p.len), "out of memory");
		goto fail;
	}
	if (p.depth > 1) {
		struct frame *f = &p.stack[p.depth - 1];
		set_error(err, name, f->line, "unclosed section '%s' (no '{{/%s}}')", f->name,
		          f->name);
		goto fail;
	}
	t->root = p.stack[0].list;
	free(p.stack);
	return t;
fail:
	for (size_t i = 0; p.stack && i < p.depth; i++) {
		free_nodes(&p.stack[i].list);
		free(p.stack[i].name);
	}
	free(p.stack);
	free_tpl(t);
	return NULL;
}

/* ---- rendering ---- */

struct partial { /* a parsed partial, cached by name and indentation */
	char *name, *indent;
	struct tpl *tpl; /* NULL: the loader has no such partial */
	struct partial *next;
};

struct renderer {
	char *out;
	size_t len, cap;
	json_t **ctx;
	size_t nctx, capctx;
	enum tpl_escape escape;
	tpl_partial_loader load;
	void *ud;
	struct partial *partials;
	int depth;
	unsigned long steps;
	struct tpl_error *err;
};

static bool emit(struct renderer *r, const char *s, size_t n)
{
	if (r->len + n + 1 > r->cap) {
		if (r->len + n > TPL_MAX_OUTPUT)
			return false;
		size_t cap = r->cap ? r->cap : 256;
		while (cap < r->len + n + 1)
			cap *= 2;
		char *o = realloc(r->out, cap);
		if (!o)
			return false;
		r->out = o;
		r->cap = cap;
	}
	memcpy(r->out + r->len, s, n);
	r->len += n;
	return true;
}

static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

static const char *markdown_escape(char c, char next, bool line_start)
{
	switch (c) {
	case '|':
		return "\\|";
	case '\\':
		return "&#92;";
	case '`':
		return "&#96;";
	case '&': /* only where it could start an entity: "R & D" stays; at the end of
	           * the value the template's next character is not known */
		return !next || is_alpha(next) || (next >= '0' && next <= '9') || next == '#'
		           ? "&amp;"
		           : NULL;
	case '<': /* only where it could start a tag, comment or autolink: "<= 2" stays */
		return !next || is_alpha(next) || next == '/' || next == '!' || next == '?' ? "&lt;"
		                                                                           : NULL;
	case '>': /* only where it would start a block quote */
		return line_start ? "&gt;" : NULL;
	case '\n':
		return "<br>";
	case '\r':
		return next == '\n' ? "" : "<br>";
	}
	return NULL;
}

static const char *html_escape(char c)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	}
	return NULL;
}

/* The output so far ends a line (or is empty), up to three spaces after:
 * where a '>' would open a block quote. */
static bool at_line_start(const struct renderer *r)
{
	size_t i = r->len, spaces = 0;
	while (i > 0 && r->out[i - 1] == ' ' && spaces < 4) {
		i--;
		spaces++;
	}
	return spaces < 4 && (i == 0 || r->out[i - 1] == '\n');
}

static bool emit_escaped(struct renderer *r, const char *s, size_t n, bool raw)
{
	if (raw || r->escape == TPL_ESCAPE_NONE)
		return emit(r, s, n);
	size_t run = 0;
	bool line_start = r->escape == TPL_ESCAPE_MARKDOWN && n > 0 && s[0] == '>' &&
	                  at_line_start(r);
	for (size_t i = 0; i < n; i++) {
		const char *e = r->escape == TPL_ESCAPE_HTML
		                    ? html_escape(s[i])
		                    : markdown_escape(s[i], i + 1 < n ? s[i + 1] : 0,
		                                      i == 0 && line_start);
		if (!e)
			continue;
		if (!emit(r, s + run, i - run) || !emit(r, e, strlen(e)))
			return false;
		run = i + 1;
	}
	return emit(r, s + run, n - run);
}

/* Shortest %g form that reads back as the same double, but whole numbers
 * below 1e17 in plain digits (%g would write 90.0 at one digit as 9e+01). */
static void format_real(double d, char *buf, size_t size)
{
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	if (strchr(buf, 'e') && fabs(d) >= 1 && fabs(d) < 1e17)
		snprintf(buf, size, "%.0f", d);
}

static bool emit_value(struct renderer *r, json_t *v, bool raw)
{
	char buf[64];
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING:
		return emit_escaped(r, json_string_value(v), json_string_length(v), raw);
	case JSON_INTEGER:
		snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return emit(r, buf, strlen(buf));
	case JSON_REAL:
		format_real(json_real_value(v), buf, sizeof buf);
		return emit(r, buf, strlen(buf));
	case JSON_TRUE:
		return emit(r, "true", 4);
	case JSON_FALSE:
		return emit(r, "false", 5);
	case JSON_NULL:
		return true;
	default: {
		char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		bool ok = s && emit_escaped(r, s, strlen(s), raw);
		free(s);
		return ok;
	}
	}
}

static bool truthy(json_t *v)
{
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_NULL:
	case JSON_FALSE:
		return false;
	case JSON_ARRAY:
		return json_array_size(v) > 0;
	case JSON_STRING:
		return json_string_length(v) > 0;
	case JSON_INTEGER:
		return json_integer_value(v) != 0;
	case JSON_REAL:
		return json_real_value(v) != 0.0;
	default:
		return true;
	}
}

/* "." is the top of the stack; "a.b.c" finds a up the stack, then descends. */
static json_t *lookup(struct renderer *r, const char *name)
{
	if (strcmp(name, ".") == 0)
		return r->ctx[r->nctx - 1];
	size_t n = strcspn(name, ".");
	json_t *v = NULL;
	for (size_t i = r->nctx; i-- > 0 && !v;)
		v = json_is_object(r->ctx[i]) ? json_object_getn(r->ctx[i], name, n) : NULL;
	while (v && name[n] == '.') {
		name += n + 1;
		n = strcspn(name, ".");
		v = json_is_object(v) ? json_object_getn(v, name, n) : NULL;
	}
	return v;
}

static bool push_ctx(struct renderer *r, json_t *v)
{
	if (r->nctx == r->capctx) {
		size_t cap = r->capctx ? r->capctx * 2 : 16;
		json_t **c = realloc(r->ctx, cap * sizeof *c);
		if (!c)
			return false;
		r->ctx = c;
		r->capctx = cap;
	}
	r->ctx[r->nctx++] = v;
	return true;
}

static bool render_nodes(struct renderer *r, const struct tpl *t, const struct nodes *ns);

static bool render_in(struct renderer *r, const struct tpl *t, const struct node *nd, json_t *v)
{
	if (!push_ctx(r, v)) {
		set_error(r->err, t->name, nd->line, "out of memory");
		return false;
	}
	bool ok = render_nodes(r, t, &nd->kids);
	r->nctx--;
	return ok;
}

/* Indentation goes before every line of the partial's text. */
static char *indent_text(const char *src, const char *indent)
{
	size_t n = strlen(src), il = strlen(indent), lines = 1;
	for (const char *s = src; (s = strchr(s, '\n')); s++)
		lines++;
	char *out = malloc(n + lines * il + 1), *o = out;
	if (!out)
		return NULL;
	for (const char *s = src; *s;) {
		if (s == src || s[-1] == '\n')
			o = mempcpy(o, indent, il);
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) + 1 : strlen(s);
		o = mempcpy(o, s, len);
		s += len;
	}
	*o = 0;
	return out;
}

static struct partial *find_partial(struct renderer *r, const char *name, const char *indent)
{
	indent = indent ? indent : "";
	for (struct partial *p = r->partials; p; p = p->next)
		if (strcmp(p->name, name) == 0 && strcmp(p->indent, indent) == 0)
			return p;
	struct partial *p = calloc(1, sizeof *p);
	if (!p || !(p->name = strdup(name)) || !(p->indent = strdup(indent))) {
		if (p)
			free(p->name);
		free(p);
		set_error(r->err, name, 0, "out of memory");
		return NULL;
	}
	p->next = r->partials;
	r->partials = p;
	char *src = r->load ? r->load(name, r->ud) : NULL;
	if (!src)
		return p;
	char *text = *indent ? indent_text(src, indent) : src;
	if (text)
		p->tpl = parse(text, name, r->err);
	else
		set_error(r->err, name, 0, "out of memory");
	if (text != src)
		free(text);
	free(src);
	return p->tpl ? p : NULL;
}

static bool render_partial(struct renderer *r, const struct tpl *t, const struct node *nd)
{
	if (r->depth >= TPL_MAX_PARTIAL_DEPTH) {
		set_error(r->err, t->name, nd->line,
		          "partials nested deeper than %d "
		          "levels at '{{>%s}}' (a partial that includes itself forever?)",
		          TPL_MAX_PARTIAL_DEPTH, nd->text);
		return false;
	}
	struct partial *p = find_partial(r, nd->text, nd->indent);
	if (!p)
		return false;
	if (!p->tpl)
		return true;
	r->depth++;
	bool ok = render_nodes(r, p->tpl, &p->tpl->root);
	r->depth--;
	return ok;
}

static bool render_node(struct renderer *r, const struct tpl *t, const struct node *nd)
{
	json_t *v;
	bool ok = true;
	switch (nd->kind) {
	case N_TEXT:
		ok = emit(r, nd->text, nd->len);
		break;
	case N_VAR:
		ok = emit_value(r, lookup(r, nd->text), nd->raw);
		break;
	case N_PARTIAL:
		return render_partial(r, t, nd);
	case N_INVERTED:
		return truthy(lookup(r, nd->text)) || render_nodes(r, t, &nd->kids);
	case N_SECTION:
		v = lookup(r, nd->text);
		if (!truthy(v))
			return true;
		if (!json_is_array(v))
			return render_in(r, t, nd, v);
		for (size_t i = 0; i < json_array_size(v); i++)
			if (!render_in(r, t, nd, json_array_get(v, i)))
				return false;
		return true;
	}
	if (!ok)
		set_error(r->err, t->name, nd->line,
		          "output larger than %d bytes or out "
		          "of memory",
		          TPL_MAX_OUTPUT);
	return ok;
}

static bool render_nodes(struct renderer *r, const struct tpl *t, const struct nodes *ns)
{
	for (size_t i = 0; i < ns->n; i++) {
		if (++r->steps > TPL_MAX_STEPS) {
			set_error(r->err, t->name, ns->v[i].line,
			          "template expands to more "
			          "than %d tags (runaway partial recursion?)",
			          TPL_MAX_STEPS);
			return false;
		}
		if (!render_node(r, t, &ns->v[i]))
			return false;
	}
	return true;
}

char *tpl_render(const char *template_text, const char *name, json_t *data, enum tpl_escape escape,
                 tpl_partial_loader load, void *ud, struct tpl_error *err)
{
	struct tpl_error dummy;
	struct renderer r = {.escape = escape, .load = load, .ud = ud, .err = err ? err : &dummy};
	memset(r.err, 0, sizeof *r.err);
	name = name ? name : "(template)";
	if (!template_text) {
		set_error(r.err, name, 0, "no template text");
		return NULL;
	}
	struct tpl *t = parse(template_text, name, r.err);
	bool ok = t && push_ctx(&r, data) && render_nodes(&r, t, &t->root) && emit(&r, "", 0);
	if (t && !ok && !r.err->msg[0])
		set_error(r.err, name, 0, "out of memory");
	if (ok)
		r.out[r.len] = 0;
	free_tpl(t);
	free(r.ctx);
	while (r.partials) {
		struct partial *p = r.partials;
		r.partials = p->next;
		free_tpl(p->tpl);
		free(p->name);
		free(p->indent);
		free(p);
	}
	if (!ok) {
		free(r.out);
		return NULL;
	}
	return r.out;
}
