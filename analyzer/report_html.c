/* report_html: the Markdown report as one standalone HTML page.
 *
 * cmark-gfm turns the Markdown into HTML (tables, strikethrough,
 * autolinks). Raw HTML is kept (the report's <details> blocks and chart
 * markers): it can only come from the templates, since the templates
 * escape every model string. PASS/WARN/FAIL words become coloured badges,
 * and the markers <!-- chart:NAME --> are replaced by inline SVG charts
 * drawn from the model. CSS is inline: the page needs no network. */
#include "report.h"

#include "report_view.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define FILES_BAR_MAX 40 /* up to this many files, one bar each; else a histogram */
#define FILES_BINS 12

static const char PAGE_CSS[] =
    ":root{--pass:#1a7f37;--warn:#bf8700;--fail:#cf222e;--fg:#1f2328;--muted:#59636e;"
    "--line:#d1d9e0;--bg:#ffffff;--alt:#f6f8fa;--bar:#0969da}\n"
    "body{margin:0;background:var(--alt);color:var(--fg);font:15px/1.5 -apple-system,"
    "'Segoe UI',Helvetica,Arial,sans-serif}\n"
    "main{max-width:1100px;margin:24px auto;padding:24px 40px;background:var(--bg);"
    "border:1px solid var(--line);border-radius:8px}\n"
    "h1{font-size:2em;border-bottom:1px solid var(--line);padding-bottom:.3em}\n"
    "h2{font-size:1.45em;border-bottom:1px solid "
    "var(--line);padding-bottom:.25em;margin-top:1.8em}\n"
    "h3{font-size:1.15em;margin-top:1.4em}\n"
    "table{border-collapse:collapse;margin:12px 0;display:block;overflow-x:auto;max-width:100%}\n"
    "th,td{border:1px solid var(--line);padding:5px 12px;vertical-align:top}\n"
    "th{background:var(--alt);font-weight:600}\n"
    "tr:nth-child(2n) td{background:#fbfcfd}\n"
    "code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;"
    "background:rgba(175,184,193,.2);padding:.1em .35em;border-radius:4px}\n"
    "pre{background:var(--alt);padding:12px;overflow:auto;border-radius:6px}\n"
    "details{margin:12px 0;padding:6px 12px;border:1px solid var(--line);border-radius:6px}\n"
    "summary{cursor:pointer;font-weight:600}\n"
    "hr{border:0;border-top:1px solid var(--line);margin:2em 0}\n"
    ".st{display:inline-block;white-space:nowrap;min-width:3.2em;text-align:center;padding:1px 8px;"
    "border-radius:12px;color:#fff;font-weight:700;font-size:.85em;letter-spacing:.03em}\n"
    ".st-pass{background:var(--pass)}\n.st-warn{background:var(--warn)}\n"
    ".st-fail{background:var(--fail)}\n"
    "h2 .st{font-size:.8em;vertical-align:middle}\n"
    ".chart{margin:12px 0;max-width:100%;height:auto}\n"
    ".chart text{font:12px sans-serif;fill:var(--fg)}\n"
    ".chart .axis{stroke:var(--muted);stroke-width:1}\n"
    ".chart .bar{fill:var(--bar)}\n.chart .bar-out{fill:var(--warn)}\n";

static void xml_escape(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			if ((unsigned char)*s >= 0x20)
				fputc(*s, f);
		}
	}
}

/* A count for a chart: an integer clamped to [0, 2^50], else 0, so
 * hostile values cannot overflow the arithmetic below. */
static long long count_of(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	long long c = json_is_integer(v) ? json_integer_value(v) : 0;
	return c < 0 ? 0 : c > (1LL << 50) ? (1LL << 50) : c;
}

/* Vertical bars: LABELS[i] under bar i, VALUES[i] above it. */
static void svg_columns(FILE *f, const char *css_id, const char *const *labels,
                        const long long *values, size_t n)
{
	const int w = 640, h = 240, left = 40, bottom = 40, top = 20;
	long long max = 0;
	for (size_t i = 0; i < n; i++)
		max = values[i] > max ? values[i] : max;
	double slot = n ? (double)(w - left - 10) / (double)n : 0;
	fprintf(f,
	        "<svg class=\"chart\" id=\"%s\" role=\"img\" width=\"%d\" height=\"%d\" "
	        "viewBox=\"0 0 %d %d\">\n",
	        css_id, w, h, w, h);
	fprintf(f, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", left,
	        h - bottom, w - 10, h - bottom);
	for (size_t i = 0; i < n; i++) {
		double bh = max ? (double)values[i] / (double)max * (h - bottom - top - 14) : 0;
		double x = left + slot * (double)i + slot * 0.15;
		fprintf(
		    f,
		    "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n",
		    x, h - bottom - bh, slot * 0.7, bh);
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%lld</text>\n",
		        x + slot * 0.35, h - bottom - bh - 4, values[i]);
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", x + slot * 0.35,
		        h - bottom + 18);
		xml_escape(f, labels[i]);
		fputs("</text>\n", f);
	}
	fputs("</svg>\n", f);
}

static void svg_batch_histogram(FILE *f, json_t *model)
{
	json_t *list = json_object_get(json_object_get(model, "io_uring"), "batch_histogram_list");
	size_t n = json_array_size(list);
	if (n == 0 || n > 64)
		return;
	const char *labels[64];
	long long values[64], total = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *b = json_object_get(json_array_get(list, i), "bucket");
		labels[i] = json_is_string(b) ? json_string_value(b) : "?";
		values[i] = count_of(json_array_get(list, i), "count");
		total += values[i];
	}
	if (total > 0)
		svg_columns(f, "chart-batch-histogram", labels, values, n);
}

static bool is_outlier(json_t *model, const char *path)
{
	json_t *out = json_object_get(json_object_get(model, "files_summary"), "outliers");
	for (size_t i = 0; path && i < json_array_size(out); i++) {
		json_t *p = json_object_get(json_array_get(out, i), "path");
		if (json_is_string(p) && strcmp(json_string_value(p), path) == 0)
			return true;
	}
	return false;
}

/* What a file cost: its logical syscalls (direct and through the ring)
 * when the model has them, else its direct syscalls. */
static long long file_cost(json_t *file)
{
	return json_is_integer(json_object_get(file, "logical")) ? count_of(file, "logical")
	                                                         : count_of(file, "syscalls");
}

/* One horizontal bar per file (outliers in amber), or for many files a
 * histogram of syscalls per file (logical: direct and ring). */
static void svg_files(FILE *f, json_t *model)
{
	json_t *files = json_object_get(model, "files");
	size_t n = json_array_size(files);
	if (n == 0)
		return;
	long long max = 0, min = 1LL << 50;
	for (size_t i = 0; i < n; i++) {
		long long c = file_cost(json_array_get(files, i));
		max = c > max ? c : max;
		min = c < min ? c : min;
	}
	if (n > FILES_BAR_MAX) {
		char labels_buf[FILES_BINS][48];
		const char *labels[FILES_BINS];
		long long values[FILES_BINS] = {0};
		double width = (double)(max - min + 1) / FILES_BINS;
		for (size_t i = 0; i < n; i++) {
			long long c = file_cost(json_array_get(files, i));
			int b = (int)((double)(c - min) / width);
			values[b < FILES_BINS ? b : FILES_BINS - 1]++;
		}
		for (int b = 0; b < FILES_BINS; b++) {
			snprintf(labels_buf[b], sizeof labels_buf[b], "%lld-%lld",
			         min + (long long)ceil(width * b),
			         min + (long long)ceil(width * (b + 1)) - 1);
			labels[b] = labels_buf[b];
		}
		svg_columns(f, "chart-files", labels, values, FILES_BINS);
		return;
	}
	const int row = 20, left = 260, w = 700;
	int h = (int)n * row + 20;
	fprintf(f,
	        "<svg class=\"chart\" id=\"chart-files\" role=\"img\" width=\"%d\" height=\"%d\" "
	        "viewBox=\"0 0 %d %d\">\n",
	        w, h, w, h);
	for (size_t i = 0; i < n; i++) {
		json_t *file = json_array_get(files, i);
		json_t *p = json_object_get(file, "path");
		const char *path = json_is_string(p) ? json_string_value(p) : "?";
		long long c = file_cost(file);
		double bw = max ? (double)c / (double)max * (w - left - 60) : 0;
		int y = 10 + (int)i * row;
		size_t len = strlen(path);
		fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", left - 8, y + 13);
		if (len > 36) {
			fputs("…", f);
			path += len - 35;
		}
		xml_escape(f, path);
		fputs("</text>\n", f);
		fprintf(f, "<rect class=\"%s\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\"/>\n",
		        is_outlier(model, json_string_value(p)) ? "bar-out" : "bar", left, y + 2,
		        bw, row - 6);
		fprintf(f, "<text x=\"%.1f\" y=\"%d\">%lld</text>\n", left + bw + 6, y + 13, c);
	}
	fprintf(f, "<line class=\"axis\" x1=\"%d\" y1=\"6\" x2=\"%d\" y2=\"%d\"/>\n", left, left,
	        h - 6);
	fputs("</svg>\n", f);
}

/* The Markdown marks a status with an emoji ("\u2705 PASS"); next to a
 * coloured badge the emoji is noise (and many systems lack the font).
 * Returns the length of the icon that ends S before END, or 0. */
static size_t status_icon_before(const char *s, const char *end)
{
	static const char *const icons[] = {"\u2705 ", "\u26a0\ufe0f ", "\u26a0 ", "\u274c "};
	size_t n = (size_t)(end - s);
	for (size_t i = 0; i < sizeof icons / sizeof icons[0]; i++) {
		size_t k = strlen(icons[i]);
		if (n >= k && strncmp(end - k, icons[i], k) == 0)
			return k;
	}
	return 0;
}

static bool is_status_word(const char *p)
{
	return (strncmp(p, "PASS", 4) == 0 || strncmp(p, "WARN", 4) == 0 ||
	        strncmp(p, "FAIL", 4) == 0) &&
	       !isalnum((unsigned char)p[4]);
}

/* A text node that is only a status word (a table cell like "PASS"). */
static bool only_status(const char *s)
{
	while (*s == ' ')
		s++;
	if (!is_status_word(s))
		return false;
	for (s += 4; *s == ' '; s++)
		;
	return *s == 0;
}

/* Splits text nodes so each whole word PASS, WARN or FAIL becomes a badge. */
static void badge_statuses(cmark_node *doc)
{
	size_t n = 0, cap = 64;
	cmark_node **texts = malloc(cap * sizeof *texts);
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while (texts && it && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(node) != CMARK_NODE_TEXT)
			continue;
		if (n == cap) {
			cmark_node **t = realloc(texts, 2 * cap * sizeof *texts);
			if (!t)
				break;
			texts = t;
			cap *= 2;
		}
		texts[n++] = node;
	}
	cmark_iter_free(it);
	for (size_t i = 0; texts && i < n; i++) {
		cmark_node *node = texts[i];
		const char *lit = cmark_node_get_literal(node);
		char *s = lit ? strdup(lit) : NULL;
		if (!s)
			continue;
		char *rest = s;
		bool changed = false, whole = only_status(s);
		/* A status word becomes a badge where the report marks it as one:
		 * after its emoji, or alone in its cell; "WARN above 2" in a
		 * target's text stays text. */
		for (char *p = s; *p; p++) {
			size_t icon = status_icon_before(rest, p);
			if (!is_status_word(p) || (p > s && isalnum((unsigned char)p[-1])) ||
			    (!icon && !whole))
				continue;
			char status[5], html[64], lower[5];
			memcpy(status, p, 4);
			status[4] = 0;
			for (int k = 0; k < 5; k++)
				lower[k] = (char)tolower((unsigned char)status[k]);
			p[-(ptrdiff_t)icon] = 0;
			if (*rest) {
				cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
				cmark_node_set_literal(t, rest);
				cmark_node_insert_before(node, t);
			}
			snprintf(html, sizeof html, "<span class=\"st st-%s\">%s</span>", lower,
			         status);
			cmark_node *badge = cmark_node_new(CMARK_NODE_HTML_INLINE);
			cmark_node_set_literal(badge, html);
			cmark_node_insert_before(node, badge);
			p += 3;
			rest = p + 1;
			changed = true;
		}
		if (changed)
			cmark_node_set_literal(node, rest);
		free(s);
	}
	free(texts);
}

/* Text of the first level-1 heading, for the page title. */
static void first_heading(cmark_node *doc, char *out, size_t size)
{
	out[0] = 0;
	for (cmark_node *b = cmark_node_first_child(doc); b; b = cmark_node_next(b)) {
		if (cmark_node_get_type(b) != CMARK_NODE_HEADING ||
		    cmark_node_get_heading_level(b) != 1)
			continue;
		cmark_iter *it = cmark_iter_new(b);
		cmark_event_type ev;
		while (it && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
			cmark_node *t = cmark_iter_get_node(it);
			const char *lit = cmark_node_get_type(t) == CMARK_NODE_TEXT ||
			                          cmark_node_get_type(t) == CMARK_NODE_CODE
			                      ? cmark_node_get_literal(t)
			                      : NULL;
			if (ev == CMARK_EVENT_ENTER && lit)
				strncat(out, lit, size - strlen(out) - 1);
		}
		cmark_iter_free(it);
		return;
	}
}

/* trend: one small line chart per figure of a trend object (points over
 * the runs; a step past the threshold is a larger dot, red for a
 * regression). Nothing for a model that is not a trend. */
static void svg_trend(FILE *f, json_t *model)
{
	json_t *figs = json_object_get(model, "figures");
	if (!json_is_array(figs) || !json_object_get(model, "runs"))
		return;
	enum { W = 360, H = 130, L = 50, R = 10, T = 22, B = 20 };
	size_t i;
	json_t *fig;
	json_array_foreach(figs, i, fig)
	{
		json_t *pts = json_object_get(fig, "points");
		size_t n = json_array_size(pts), j;
		double lo = 0, hi = 0;
		bool any = false;
		json_t *p;
		json_array_foreach(pts, j, p)
		{
			json_t *v = json_object_get(p, "value");
			if (!json_is_number(v))
				continue;
			double x = json_number_value(v);
			if (!any || x < lo)
				lo = x;
			if (!any || x > hi)
				hi = x;
			any = true;
		}
		if (!any || n == 0)
			continue;
		if (hi - lo < 1e-12) {
			hi += 1;
			lo -= 1;
		}
		fprintf(f, "<svg class=\"chart\" role=\"img\" width=\"%d\" height=\"%d\" "
		           "viewBox=\"0 0 %d %d\"><title>",
		        W, H, W, H);
		xml_escape(f, json_string_value(json_object_get(fig, "label")));
		fputs("</title><text x=\"4\" y=\"14\">", f);
		xml_escape(f, json_string_value(json_object_get(fig, "label")));
		fputs(" (", f);
		xml_escape(f, json_string_value(json_object_get(fig, "unit")));
		fprintf(f, ")</text><line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
		           "<text x=\"2\" y=\"%d\">%.4g</text><text x=\"2\" y=\"%d\">%.4g</text>",
		        L, H - B, W - R, H - B, T + 8, hi, H - B, lo);
		double dx = n > 1 ? (double)(W - L - R) / (double)(n - 1) : 0;
		fputs("<polyline fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\" points=\"", f);
		json_array_foreach(pts, j, p)
		{
			json_t *v = json_object_get(p, "value");
			if (json_is_number(v))
				fprintf(f, "%.1f,%.1f ", L + dx * (double)j,
				        (double)(H - B) - (json_number_value(v) - lo) / (hi - lo) *
				                              (double)(H - B - T));
		}
		fputs("\"/>", f);
		json_array_foreach(pts, j, p)
		{
			json_t *v = json_object_get(p, "value");
			if (!json_is_number(v))
				continue;
			bool step = json_is_true(json_object_get(p, "step"));
			const char *mark = json_string_value(json_object_get(p, "step_mark"));
			bool reg = step && mark && strstr(mark, "regression");
			fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\"><title>#%zu: ",
			        L + dx * (double)j,
			        (double)(H - B) -
			            (json_number_value(v) - lo) / (hi - lo) * (double)(H - B - T),
			        step ? 5 : 3, reg ? "#d1242f" : step ? "#1a7f37" : "currentColor", j + 1);
			xml_escape(f, json_string_value(json_object_get(p, "text")));
			if (step) {
				fputs(" ", f);
				xml_escape(f, mark);
			}
			fprintf(f, "</title></circle><text x=\"%.1f\" y=\"%d\">#%zu</text>",
			        L + dx * (double)j - 6, H - 4, j + 1);
		}
		fputs("</svg>\n", f);
	}
}

/* Writes BODY with each <!-- chart:NAME --> marker replaced by its chart;
 * charts whose marker is missing go at the end. */
static void write_body(FILE *f, const char *body, json_t *model)
{
	static const char *const names[] = {"batch_histogram", "files", "trend"};
	static void (*const draw[])(FILE *, json_t *) = {svg_batch_histogram, svg_files, svg_trend};
	enum { NCHARTS = sizeof(names) / sizeof(names[0]) };
	bool placed[NCHARTS] = {false};
	const char *p = body;
	for (;;) {
		const char *m = strstr(p, "<!-- chart:");
		if (!m)
			break;
		fwrite(p, 1, (size_t)(m - p), f);
		const char *name = m + strlen("<!-- chart:");
		const char *end = strstr(name, "-->");
		if (!end) {
			p = m;
			break;
		}
		size_t len = strcspn(name, " -");
		for (int i = 0; i < NCHARTS; i++) {
			if (strlen(names[i]) != len || strncmp(name, names[i], len) != 0)
				continue;
			draw[i](f, model);
			placed[i] = true;
		}
		p = end + 3;
	}
	fputs(p, f);
	for (int i = 0; i < NCHARTS; i++)
		if (!placed[i])
			draw[i](f, model);
}

int report_write_html(const char *markdown, json_t *model, const char *path, char *err,
                      size_t errlen)
{
	static const char *const extensions[] = {"table", "strikethrough", "autolink"};
	const int options = CMARK_OPT_UNSAFE;
	if (!markdown || !path) {
		snprintf(err, errlen, "HTML report: no Markdown or no output path");
		return -1;
	}
	cmark_gfm_core_extensions_ensure_registered();
	cmark_parser *parser = cmark_parser_new(options);
	if (!parser) {
		snprintf(err, errlen, "HTML report %s: out of memory", path);
		return -1;
	}
	for (size_t i = 0; i < sizeof extensions / sizeof extensions[0]; i++) {
		cmark_syntax_extension *ext = cmark_find_syntax_extension(extensions[i]);
		if (!ext || !cmark_parser_attach_syntax_extension(parser, ext)) {
			snprintf(err, errlen, "HTML report: cmark-gfm has no '%s' extension",
			         extensions[i]);
			cmark_parser_free(parser);
			return -1;
		}
	}
	cmark_parser_feed(parser, markdown, strlen(markdown));
	cmark_node *doc = cmark_parser_finish(parser);
	char *body = NULL;
	char title[256] = "";
	if (doc) {
		first_heading(doc, title, sizeof title);
		badge_statuses(doc);
		body = cmark_render_html(doc, options, cmark_parser_get_syntax_extensions(parser));
	}
	if (!body) {
		snprintf(err, errlen, "HTML report %s: cmark-gfm could not render the Markdown",
		         path);
		if (doc)
			cmark_node_free(doc);
		cmark_parser_free(parser);
		return -1;
	}

	int rc = -1;
	FILE *f = fopen(path, "w");
	if (!f) {
		snprintf(err, errlen, "cannot write HTML report %s: %s", path, strerror(errno));
		goto out;
	}
	json_t *verdict = json_object_get(model, "verdict");
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
	      f);
	xml_escape(f, title);
	if (json_is_string(verdict)) {
		fputs(": ", f);
		xml_escape(f, json_string_value(verdict));
	}
	if (json_is_false(json_object_get(json_object_get(model, "scores"), "security_complete")))
		fputs(" (security incomplete)", f);
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n", PAGE_CSS);
	write_body(f, body, model);
	fputs("</main>\n</body>\n</html>\n", f);
	if (ferror(f) | (fclose(f) != 0))
		snprintf(err, errlen, "cannot write HTML report %s: %s", path, strerror(errno));
	else
		rc = 0;
out:
	free(body);
	cmark_node_free(doc);
	cmark_parser_free(parser);
	return rc;
}
