/* ci_out: annotations, JUnit XML, benchmark JSON, step summary. */
#include "ci_out.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"

/* GitHub's workflow-command escaping: data and property values. */
static void gh_escape(FILE *out, const char *s, bool property)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '%': fputs("%25", out); break;
		case '\r': fputs("%0D", out); break;
		case '\n': fputs("%0A", out); break;
		case ':': fputs(property ? "%3A" : ":", out); break;
		case ',': fputs(property ? "%2C" : ",", out); break;
		default: fputc(*s, out);
		}
	}
}

static void gh_line(FILE *out, const char *level, const char *title, const char *msg)
{
	fprintf(out, "::%s title=", level);
	gh_escape(out, title, true);
	fputs("::", out);
	gh_escape(out, msg, false);
	fputc('\n', out);
}

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static void annotate_regressions(FILE *out, json_t *cmp)
{
	size_t i;
	json_t *f;
	json_array_foreach(json_object_get(cmp, "figures"), i, f)
	{
		if (!json_is_true(json_object_get(f, "regression")))
			continue;
		char title[160], msg[512];
		snprintf(title, sizeof(title), "regression: %s", str(f, "id"));
		snprintf(msg, sizeof(msg), "%s: %s -> %s (%s; threshold %s)", str(f, "label"),
		         str(f, "base_text"), str(f, "new_text"), str(f, "percent_text"),
		         str(f, "threshold_text"));
		gh_line(out, "warning", title, msg);
	}
}

void ci_annotations_model(FILE *out, json_t *model)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(model, "checks"), i, c)
	{
		const char *st = str(c, "status");
		if (strcmp(st, "FAIL") != 0 && strcmp(st, "WARN") != 0)
			continue;
		char msg[1024];
		snprintf(msg, sizeof(msg), "%s %s: %s", st, str(c, "title"), str(c, "message"));
		gh_line(out, strcmp(st, "FAIL") == 0 ? "error" : "warning", str(c, "id"), msg);
	}
	annotate_regressions(out, json_object_get(json_object_get(model, "baseline"), "comparison"));
	fflush(out);
}

void ci_annotations_compare(FILE *out, json_t *cmp)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(cmp, "checks"), i, c)
	{
		if (!json_is_true(json_object_get(c, "to_fail")))
			continue;
		char msg[512];
		snprintf(msg, sizeof(msg), "%s went from %s to %s", str(c, "title"), str(c, "base"),
		         str(c, "new"));
		gh_line(out, "error", str(c, "id"), msg);
	}
	annotate_regressions(out, cmp);
	fflush(out);
}

/* XML text: the five entities, and characters XML 1.0 cannot hold as '?'. */
static void xml_text(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;
		switch (ch) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&apos;", out); break;
		default: fputc(ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r' ? '?' : ch, out);
		}
	}
}

struct junit_case {
	char name[256];
	const char *failure_type; /* NULL: passed */
	char message[1024];
	bool skipped;
	char out[1024]; /* system-out, or "" */
};

static int junit_write(const char *path, const char *suite, struct junit_case *cs, size_t n,
                       char *err, size_t errlen)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		snprintf(err, errlen, "--junit %s: %s", path, strerror(errno));
		return -1;
	}
	size_t failures = 0, skipped = 0;
	for (size_t i = 0; i < n; i++) {
		failures += cs[i].failure_type != NULL;
		skipped += cs[i].skipped;
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f, "<testsuites name=\"arsync-analyze\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
	           "skipped=\"%zu\">\n",
	        n, failures, skipped);
	fprintf(f, "  <testsuite name=\"%s\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
	           "skipped=\"%zu\" time=\"0\">\n",
	        suite, n, failures, skipped);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "    <testcase classname=\"%s\" name=\"", suite);
		xml_text(f, cs[i].name);
		fputs("\" time=\"0\"", f);
		if (!cs[i].failure_type && !cs[i].skipped && !cs[i].out[0]) {
			fputs("/>\n", f);
			continue;
		}
		fputs(">\n", f);
		if (cs[i].failure_type) {
			fprintf(f, "      <failure type=\"%s\" message=\"", cs[i].failure_type);
			xml_text(f, cs[i].message);
			fputs("\">", f);
			xml_text(f, cs[i].message);
			fputs("</failure>\n", f);
		} else if (cs[i].skipped) {
			fputs("      <skipped message=\"", f);
			xml_text(f, cs[i].message);
			fputs("\"/>\n", f);
		}
		if (cs[i].out[0]) {
			fputs("      <system-out>", f);
			xml_text(f, cs[i].out);
			fputs("</system-out>\n", f);
		}
		fputs("    </testcase>\n", f);
	}
	fputs("  </testsuite>\n</testsuites>\n", f);
	if (fclose(f) != 0) {
		snprintf(err, errlen, "--junit %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int ci_junit_model(const char *path, json_t *model, bool fail_on_warn, char *err, size_t errlen)
{
	json_t *checks = json_object_get(model, "checks");
	size_t n = json_array_size(checks), i;
	struct junit_case *cs = calloc(n ? n : 1, sizeof(*cs));
	if (!cs) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	json_t *c;
	json_array_foreach(checks, i, c)
	{
		const char *st = str(c, "status");
		snprintf(cs[i].name, sizeof(cs[i].name), "%s: %s", str(c, "id"), str(c, "title"));
		snprintf(cs[i].message, sizeof(cs[i].message), "%s: %s", st, str(c, "message"));
		if (strcmp(st, "FAIL") == 0 || (fail_on_warn && strcmp(st, "WARN") == 0))
			cs[i].failure_type = strcmp(st, "FAIL") == 0 ? "FAIL" : "WARN";
		else if (json_is_false(json_object_get(c, "applicable")))
			cs[i].skipped = true;
		else
			snprintf(cs[i].out, sizeof(cs[i].out), "%s", cs[i].message);
	}
	int rc = junit_write(path, "arsync-analyze.checks", cs, n, err, errlen);
	free(cs);
	return rc;
}

int ci_junit_compare(const char *path, json_t *cmp, bool fail_on_warn, char *err, size_t errlen)
{
	json_t *figs = json_object_get(cmp, "figures"), *checks = json_object_get(cmp, "checks");
	size_t n = json_array_size(figs) + json_array_size(checks), k = 0, i;
	struct junit_case *cs = calloc(n ? n : 1, sizeof(*cs));
	if (!cs) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	json_t *x;
	json_array_foreach(figs, i, x)
	{
		struct junit_case *j = &cs[k++];
		snprintf(j->name, sizeof(j->name), "figure %s: %s", str(x, "id"), str(x, "label"));
		snprintf(j->message, sizeof(j->message), "%s: %s -> %s (%s; threshold %s): %s",
		         str(x, "label"), str(x, "base_text"), str(x, "new_text"),
		         str(x, "percent_text"), str(x, "threshold_text"), str(x, "status"));
		if (json_is_true(json_object_get(x, "regression")) && fail_on_warn)
			j->failure_type = "regression";
		else if (strcmp(str(x, "status"), "n/a") == 0)
			j->skipped = true;
		else
			snprintf(j->out, sizeof(j->out), "%s", j->message);
	}
	json_array_foreach(checks, i, x)
	{
		struct junit_case *j = &cs[k++];
		snprintf(j->name, sizeof(j->name), "check %s: %s", str(x, "id"), str(x, "title"));
		snprintf(j->message, sizeof(j->message), "%s -> %s (%s)", str(x, "base"),
		         str(x, "new"), str(x, "change"));
		if (json_is_true(json_object_get(x, "to_fail")))
			j->failure_type = "FAIL";
		else
			snprintf(j->out, sizeof(j->out), "%s", j->message);
	}
	int rc = junit_write(path, "arsync-analyze.compare", cs, k, err, errlen);
	free(cs);
	return rc;
}

char *ci_bench_bigger_path(const char *path)
{
	size_t n = strlen(path);
	char *out;
	if (n > 5 && strcmp(path + n - 5, ".json") == 0) {
		if (asprintf(&out, "%.*s-bigger.json", (int)(n - 5), path) < 0)
			return NULL;
	} else if (asprintf(&out, "%s-bigger", path) < 0) {
		return NULL;
	}
	return out;
}

static int write_json_file(const char *path, json_t *v, char *err, size_t errlen)
{
	if (json_dump_file(v, path, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) != 0) {
		snprintf(err, errlen, "--bench-json %s: cannot write: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int ci_bench_json(const char *path, const char *bigger_path, json_t *model, char *err,
                  size_t errlen)
{
	json_t *head = compare_headline(model);
	json_t *smaller = json_array(), *bigger = json_array();
	json_t *samples = json_object_get(json_object_get(model, "repeat"), "figures");
	const char *cmd = str(json_object_get(model, "header"), "command");
	size_t i;
	json_t *f;
	json_array_foreach(head, i, f)
	{
		json_t *v = json_object_get(f, "value");
		if (!json_is_number(v))
			continue; /* unknown is left out, never 0 */
		json_t *e = json_pack("{s:s, s:s, s:O}", "name", str(f, "label"), "unit",
		                      str(f, "unit"), "value", v);
		/* --repeat: the spread of the samples as the range. */
		json_t *rs = json_object_get(samples, str(f, "id"));
		double lo = json_number_value(json_object_get(rs, "min"));
		double hi = json_number_value(json_object_get(rs, "max"));
		if (rs && hi >= lo && isfinite(hi - lo)) {
			char range[64];
			snprintf(range, sizeof(range), "± %.4g", (hi - lo) / 2);
			json_object_set_new(e, "range", json_string(range));
		}
		if (*cmd)
			json_object_set_new(e, "extra", json_string(cmd));
		json_array_append_new(strcmp(str(f, "better"), "higher") == 0 ? bigger : smaller, e);
	}
	json_decref(head);
	int rc = write_json_file(path, smaller, err, errlen);
	if (rc == 0 && bigger_path)
		rc = write_json_file(bigger_path, bigger, err, errlen);
	json_decref(smaller);
	json_decref(bigger);
	return rc;
}

int ci_step_summary(const char *text, char *err, size_t errlen)
{
	const char *p = getenv("GITHUB_STEP_SUMMARY");
	if (!p || !*p)
		return 0;
	FILE *f = fopen(p, "a");
	if (!f) {
		snprintf(err, errlen, "GITHUB_STEP_SUMMARY %s: %s", p, strerror(errno));
		return -1;
	}
	bool ok = fputs(text, f) >= 0;
	if (fclose(f) != 0 || !ok) {
		snprintf(err, errlen, "GITHUB_STEP_SUMMARY %s: %s", p, strerror(errno));
		return -1;
	}
	return 1;
}
