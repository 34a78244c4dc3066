/* report: the Markdown report and the terminal summary.
 *
 * Both are Mustache templates over the view of the model (report_view.h):
 * "report.md.mustache" with one partial per section, and
 * "summary.txt.mustache". A template is read from --templates DIR when the
 * file exists there, else from the copy compiled into the binary, so a user
 * can replace one section and keep the rest. */
#include "report.h"

#include "embedded.h"
#include "report_view.h"
#include "template.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TEMPLATE_SUFFIX ".mustache"
#define MAX_TEMPLATE_BYTES (4 * 1024 * 1024)

/* Where each template came from, so errors name the real file. */
struct loaded {
	char *name;   /* template name, e.g. "section_io_uring" */
	char *origin; /* "DIR/section_io_uring.mustache" or "built-in section_io_uring.mustache" */
	char *text;   /* its text, to find the line that includes a missing partial */
	struct loaded *next;
};

struct loader {
	const char *dir;
	struct loaded *seen;
	char missing[256];  /* first partial found nowhere */
	char failure[1400]; /* first read error */
};

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (!err || !errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Reads PATH whole; NULL with errno set on failure. */
static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	while (buf) {
		if (len + 1 >= cap) {
			if (cap >= MAX_TEMPLATE_BYTES) {
				free(buf);
				buf = NULL;
				errno = EFBIG;
				break;
			}
			char *b = realloc(buf, cap * 2);
			if (!b) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = b;
			cap *= 2;
		}
		size_t n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0) {
			if (ferror(f)) {
				free(buf);
				buf = NULL;
				errno = EIO;
			} else {
				buf[len] = 0;
			}
			break;
		}
	}
	int saved = errno;
	fclose(f);
	errno = saved;
	return buf;
}

static void remember(struct loader *l, const char *name, const char *origin, const char *text)
{
	struct loaded *e = calloc(1, sizeof *e);
	if (!e)
		return;
	e->name = strdup(name);
	e->origin = strdup(origin);
	e->text = strdup(text);
	if (!e->name || !e->origin || !e->text) {
		free(e->name);
		free(e->origin);
		free(e->text);
		free(e);
		return;
	}
	e->next = l->seen;
	l->seen = e;
}

static void forget_all(struct loader *l)
{
	while (l->seen) {
		struct loaded *e = l->seen;
		l->seen = e->next;
		free(e->name);
		free(e->origin);
		free(e->text);
		free(e);
	}
}

static const struct loaded *find_loaded(const struct loader *l, const char *name)
{
	for (const struct loaded *e = l->seen; e; e = e->next)
		if (strcmp(e->name, name) == 0)
			return e;
	return NULL;
}

/* Template NAME (without the suffix): DIR/NAME.mustache if it exists, else
 * the built-in one. NULL if neither; l->failure set on a read error. */
static char *load_template(struct loader *l, const char *name)
{
	char file[512], origin[1024];
	if (strchr(name, '/') ||
	    snprintf(file, sizeof file, "%s%s", name, TEMPLATE_SUFFIX) >= (int)sizeof file)
		return NULL;
	if (l->dir) {
		snprintf(origin, sizeof origin, "%s/%s", l->dir, file);
		struct stat st;
		if (stat(origin, &st) == 0) {
			char *text = read_file(origin);
			if (!text) {
				if (!l->failure[0])
					snprintf(l->failure, sizeof l->failure,
					         "cannot read template %s: %s", origin,
					         strerror(errno));
				return NULL;
			}
			remember(l, name, origin, text);
			return text;
		}
	}
	const struct embedded_file *ef = embedded_find(file);
	if (!ef)
		return NULL;
	char *text = strdup(ef->data);
	if (text) {
		snprintf(origin, sizeof origin, "built-in %s", file);
		remember(l, name, origin, text);
	}
	return text;
}

static char *partial_loader(const char *name, void *ud)
{
	struct loader *l = ud;
	char *text = load_template(l, name);
	if (!text && !l->missing[0])
		snprintf(l->missing, sizeof l->missing, "%s", name);
	return text;
}

/* "ORIGIN:LINE" of the first {{>NAME}} among the loaded templates. */
static void where_included(const struct loader *l, const char *name, char *out, size_t size)
{
	snprintf(out, size, "a template");
	for (const struct loaded *e = l->seen; e; e = e->next) {
		for (const char *p = strstr(e->text, name); p; p = strstr(p + 1, name)) {
			const char *q = p;
			while (q > e->text && (q[-1] == ' ' || q[-1] == '\t'))
				q--;
			if (q == e->text || q[-1] != '>')
				continue;
			const char *end = p + strlen(name);
			while (*end == ' ' || *end == '\t')
				end++;
			if (*end != '}')
				continue;
			int line = 1;
			for (const char *c = e->text; c < p; c++)
				line += *c == '\n';
			snprintf(out, size, "%s:%d", e->origin, line);
			return;
		}
	}
}

static void describe_tpl_error(const struct loader *l, const struct tpl_error *te, char *err,
                               size_t errlen)
{
	char base[256];
	snprintf(base, sizeof base, "%s", te->file);
	size_t n = strlen(base), sl = strlen(TEMPLATE_SUFFIX);
	if (n > sl && strcmp(base + n - sl, TEMPLATE_SUFFIX) == 0)
		base[n - sl] = 0;
	const struct loaded *e = find_loaded(l, base);
	set_err(err, errlen, "report template %s:%d: %s", e ? e->origin : te->file, te->line,
	        te->msg);
}

/* Renders template NAME over CONTEXT; on failure ERR names file and line. */
static char *render(const char *dir, const char *name, json_t *context, enum tpl_escape esc,
                    char *err, size_t errlen)
{
	struct loader l = {.dir = dir};
	char *out = NULL;
	char *text = load_template(&l, name);
	if (!text) {
		if (l.failure[0])
			set_err(err, errlen, "%s", l.failure);
		else if (dir)
			set_err(err, errlen, "report template %s%s not found in %s nor built in",
			        name, TEMPLATE_SUFFIX, dir);
		else
			set_err(err, errlen, "report template %s%s is not built in", name,
			        TEMPLATE_SUFFIX);
		goto done;
	}
	char tname[300];
	snprintf(tname, sizeof tname, "%s", name);
	struct tpl_error te = {0};
	out = tpl_render(text, tname, context, esc, partial_loader, &l, &te);
	if (!out) {
		describe_tpl_error(&l, &te, err, errlen);
	} else if (l.failure[0]) {
		set_err(err, errlen, "%s", l.failure);
	} else if (l.missing[0]) {
		char at[1200];
		where_included(&l, l.missing, at, sizeof at);
		set_err(err, errlen, "report template %s: partial '%s' not found (%s%s%s%s%s)", at,
		        l.missing, dir ? "no " : "", dir ? dir : "", dir ? "/" : "", l.missing,
		        dir ? TEMPLATE_SUFFIX " and none built in"
		            : TEMPLATE_SUFFIX " is not built in");
	} else {
		goto done;
	}
	if (out) {
		free(out);
		out = NULL;
	}
done:
	free(text);
	forget_all(&l);
	return out;
}

/* The template context: the model's keys (shared, not copied) plus "view". */
static json_t *context_for(json_t *model, json_t **view_out)
{
	json_t *view = report_view_new(model);
	json_t *ctx = view ? json_copy(model) : NULL;
	if (!ctx) {
		json_decref(view);
		return NULL;
	}
	json_object_set_new(ctx, "view", view);
	if (view_out)
		*view_out = view;
	return ctx;
}

char *report_markdown(json_t *model, const char *templates_dir, char *err, size_t errlen)
{
	if (!json_is_object(model)) {
		set_err(err, errlen, "report: the model is not a JSON object");
		return NULL;
	}
	if (templates_dir) {
		struct stat st;
		int e = stat(templates_dir, &st) != 0 ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
		if (e) {
			set_err(err, errlen, "report templates directory %s: %s", templates_dir,
			        strerror(e));
			return NULL;
		}
	}
	json_t *ctx = context_for(model, NULL);
	if (!ctx) {
		set_err(err, errlen, "report: out of memory building the view");
		return NULL;
	}
	char *md = render(templates_dir, "report.md", ctx, TPL_ESCAPE_MARKDOWN, err, errlen);
	json_decref(ctx);
	return md;
}

/* Terminal text: control characters from the model would move the cursor. */
/* The summary's own view: the first recommendations, the regressions. */
static json_t *summary_view(json_t *view, const char *report_path)
{
	json_t *sum = json_object();
	json_t *top = json_array(), *regs = json_array();
	json_t *recs = json_object_get(view, "recommendations");
	for (size_t i = 0; i < json_array_size(recs) && i < 3; i++) {
		json_t *r = json_deep_copy(json_array_get(recs, i));
		json_object_set_new(r, "first", json_boolean(i == 0));
		json_array_append_new(top, r);
	}
	json_t *figs = json_object_get(json_object_get(json_object_get(view, "baseline"),
	                                               "comparison"),
	                               "figures");
	size_t more = 0, i;
	json_t *f;
	json_array_foreach(figs, i, f)
	{
		if (!json_is_true(json_object_get(f, "regression")))
			continue;
		if (json_array_size(regs) < 20)
			json_array_append(regs, f);
		else
			more++;
	}
	json_object_set_new(sum, "recommendations_top", top);
	json_object_set_new(sum, "regressions", regs);
	json_object_set_new(sum, "regressions_more", json_integer((json_int_t)more));
	if (report_path)
		json_object_set_new(sum, "report_path", json_string(report_path));
	return sum;
}

char *report_summary_markdown(json_t *model, const char *templates_dir, const char *report_path,
                              char *err, size_t errlen)
{
	if (!json_is_object(model)) {
		set_err(err, errlen, "report: the model is not a JSON object");
		return NULL;
	}
	json_t *view = NULL;
	json_t *ctx = context_for(model, &view);
	if (!ctx) {
		set_err(err, errlen, "report: out of memory building the view");
		return NULL;
	}
	json_object_set_new(view, "summary", summary_view(view, report_path));
	char *md = render(templates_dir, "summary.md", ctx, TPL_ESCAPE_MARKDOWN, err, errlen);
	json_decref(ctx);
	/* Whatever the dataset, it fits a pull-request comment. */
	size_t len = md ? strlen(md) : 0;
	if (len > REPORT_SUMMARY_MAX) {
		static const char cut[] = "\n… (cut to fit: the full report has the rest)\n";
		size_t keep = REPORT_SUMMARY_MAX - sizeof(cut);
		while (keep > 0 && md[keep - 1] != '\n')
			keep--;
		memcpy(md + keep, cut, sizeof(cut));
	}
	return md;
}

static void strip_controls(json_t *v)
{
	const char *k;
	json_t *x;
	if (json_is_string(v)) {
		char *s = strdup(json_string_value(v));
		if (!s)
			return;
		for (char *p = s; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				*p = ' ';
		json_string_set(v, s);
		free(s);
	} else if (json_is_object(v)) {
		json_object_foreach(v, k, x) strip_controls(x);
	} else if (json_is_array(v)) {
		for (size_t i = 0; i < json_array_size(v); i++)
			strip_controls(json_array_get(v, i));
	}
}

void report_print_summary(FILE *out, json_t *model, const char *report_path, bool color)
{
	static const struct {
		const char *key, *code;
	} colors[] = {
	    {"bold", "\033[1m"},   {"red", "\033[31m"}, {"green", "\033[32m"},
	    {"amber", "\033[33m"}, {"dim", "\033[2m"},  {"reset", "\033[0m"},
	};
	/* The summary reads a few sections: its view is built from those
	 * alone, not from the whole model (per-file lists and all). */
	static const char *const keys[] = {"verdict", "scores", "checks", "checks_failed",
	                                   "checks_warned", "header"};
	json_t *view = NULL, *ctx = NULL, *slim = json_is_object(model) ? json_object() : NULL;
	for (size_t i = 0; slim && i < sizeof keys / sizeof keys[0]; i++) {
		json_t *v = json_object_get(model, keys[i]);
		if (v)
			json_object_set(slim, keys[i], v);
	}
	if (slim) {
		view = report_view_new(slim);
		ctx = view ? json_object() : NULL;
		if (ctx)
			json_object_set_new(ctx, "view", view);
		else
			json_decref(view);
		json_decref(slim);
	}
	char err[512] = "";
	char *text = NULL;
	if (ctx) {
		strip_controls(view);
		json_t *c = json_object();
		for (size_t i = 0; i < sizeof colors / sizeof colors[0]; i++)
			json_object_set_new(c, colors[i].key,
			                    json_string(color ? colors[i].code : ""));
		json_object_set_new(view, "color", c);
		json_t *rp = json_string(report_path ? report_path : "");
		strip_controls(rp);
		json_object_set_new(view, "report_path", rp);
		json_object_set_new(json_object_get(view, "flags"), "has_report_path",
		                    json_boolean(report_path && *report_path));
		text = render(NULL, "summary.txt", ctx, TPL_ESCAPE_NONE, err, sizeof err);
	}
	if (text)
		fputs(text, out);
	else
		fprintf(out, "arsync-analyze: verdict %s (summary unavailable: %s)\n",
		        json_is_string(json_object_get(model, "verdict"))
		            ? json_string_value(json_object_get(model, "verdict"))
		            : "unknown",
		        err[0] ? err : "the model is not a JSON object");
	free(text);
	json_decref(ctx);
}
