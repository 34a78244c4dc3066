/* Tests for the Mustache renderer: every test of the official Mustache spec
 * (fixtures/mustache-spec/, one cmocka test per spec case), then our own
 * choices: Markdown escaping checked with cmark-gfm, error messages and
 * line numbers, runaway templates, dotted names, value formatting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include "template.h"

/* Spec tests we do not run, by file and name, with the reason. None today:
 * the engine implements every required part of the spec. */
static const struct {
	const char *file, *name, *why;
} skipped[] = {
    {NULL, NULL, NULL},
};

static const struct {
	const char *file;
	size_t tests; /* so a truncated fixture cannot pass quietly */
} spec_files[] = {
    {"comments", 12}, {"delimiters", 14}, {"interpolation", 42},
    {"inverted", 22}, {"partials", 12},   {"sections", 34},
};

static char *loader_from_object(const char *name, void *ud)
{
	json_t *s = json_object_get(ud, name);
	return json_is_string(s) ? strdup(json_string_value(s)) : NULL;
}

static void run_spec_case(void **state)
{
	json_t *tc = *state;
	struct tpl_error err;
	const char *name = json_string_value(json_object_get(tc, "name"));
	char *out = tpl_render(json_string_value(json_object_get(tc, "template")), name,
	                       json_object_get(tc, "data"), TPL_ESCAPE_HTML, loader_from_object,
	                       json_object_get(tc, "partials"), &err);
	if (!out)
		fail_msg("%s: %s:%d: %s", name, err.file, err.line, err.msg);
	assert_string_equal(out, json_string_value(json_object_get(tc, "expected")));
	free(out);
}

static const char *skip_reason(const char *file, const char *name)
{
	for (size_t i = 0; skipped[i].file; i++)
		if (!strcmp(skipped[i].file, file) && !strcmp(skipped[i].name, name))
			return skipped[i].why;
	return NULL;
}

static int run_spec_file(const char *dir, const char *file, size_t want)
{
	char path[4096], group[64];
	json_error_t jerr;
	snprintf(path, sizeof path, "%s/mustache-spec/%s.json", dir, file);
	json_t *doc = json_load_file(path, 0, &jerr);
	json_t *cases = json_object_get(doc, "tests");
	if (!json_is_array(cases) || json_array_size(cases) != want) {
		fprintf(stderr, "%s: %s (want %zu tests)\n", path,
		        doc ? "wrong number of tests" : jerr.text, want);
		json_decref(doc);
		return 1;
	}
	struct CMUnitTest *tests = calloc(want, sizeof *tests);
	size_t n = 0, i;
	json_t *tc;
	json_array_foreach(cases, i, tc)
	{
		const char *name = json_string_value(json_object_get(tc, "name"));
		const char *why = skip_reason(file, name);
		if (why) {
			printf("SKIPPED spec %s: %s: %s\n", file, name, why);
			continue;
		}
		tests[n++] = (struct CMUnitTest){
		    .name = name, .test_func = run_spec_case, .initial_state = tc};
	}
	snprintf(group, sizeof group, "mustache spec %s", file);
	int failed = _cmocka_run_group_tests(group, tests, n, NULL, NULL);
	printf("mustache spec %s: %zu/%zu passed, %zu skipped\n", file, n - (size_t)failed, want,
	       want - n);
	free(tests);
	json_decref(doc);
	return failed;
}

/* ---- our own tests ---- */

static char *render(const char *tpl, const char *data_json, enum tpl_escape esc)
{
	json_error_t jerr;
	json_t *data = json_loads(data_json, JSON_DECODE_ANY, &jerr);
	if (!data)
		fail_msg("bad test JSON: %s", jerr.text);
	struct tpl_error err;
	char *out = tpl_render(tpl, "test", data, esc, NULL, NULL, &err);
	if (!out)
		fail_msg("render failed: %s:%d: %s", err.file, err.line, err.msg);
	json_decref(data);
	return out;
}

static void check(const char *tpl, const char *data, const char *want)
{
	char *out = render(tpl, data, TPL_ESCAPE_HTML);
	assert_string_equal(out, want);
	free(out);
}

static void expect_error(const char *tpl, tpl_partial_loader load, void *ud, const char *file,
                         int line, const char *msg_part)
{
	struct tpl_error err;
	json_t *data = json_pack("{s:[i,i,i]}", "list", 1, 2, 3);
	char *out = tpl_render(tpl, "main.md", data, TPL_ESCAPE_MARKDOWN, load, ud, &err);
	json_decref(data);
	if (out)
		fail_msg("'%s' rendered as '%s', want an error", tpl, out);
	assert_string_equal(err.file, file);
	assert_int_equal(err.line, line);
	if (!strstr(err.msg, msg_part))
		fail_msg("error '%s' does not say '%s'", err.msg, msg_part);
}

static void test_numbers_and_values(void **state)
{
	(void)state;
	check("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}}",
	      "{\"a\":1.5,\"b\":0.25,\"c\":8.0,\"d\":1.210,\"e\":-3,\"f\":0.1}",
	      "1.5 0.25 8 1.21 -3 0.1");
	check("{{a}} {{b}} {{c}}", "{\"a\":9007199254740993,\"b\":1e21,\"c\":123456789.5}",
	      "9007199254740993 1e+21 123456789.5");
	check("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{g}}",
	      "{\"a\":90.0,\"b\":100.0,\"c\":-2500.0,\"d\":1e16,\"e\":0.0001,"
	      "\"f\":0.00001,\"g\":0.0}",
	      "90 100 -2500 10000000000000000 0.0001 1e-05 0");
	check("{{t}}/{{f}}/{{n}}/{{missing}}", "{\"t\":true,\"f\":false,\"n\":null}",
	      "true/false//");
	check("{{{o}}} {{{a}}}", "{\"o\":{\"k\":\"v\"},\"a\":[1,\"x\"]}",
	      "{\"k\":\"v\"} [1,\"x\"]");
	/* truthiness: "" and 0 are falsy, {} and "0" are truthy */
	check("{{#s}}S{{/s}}{{^s}}s{{/s}}{{#z}}Z{{/z}}{{^z}}z{{/z}}{{#r}}R{{/r}}{{^r}}r{{/r}}"
	      "{{#o}}O{{/o}}{{#q}}Q{{/q}}",
	      "{\"s\":\"\",\"z\":0,\"r\":0.0,\"o\":{},\"q\":\"0\"}", "szrOQ");
}

static void test_dotted_names(void **state)
{
	(void)state;
	const char *d = "{\"run\":{\"cmd\":\"arsync\",\"score\":{\"total\":97}},"
	                "\"name\":\"top\",\"items\":[{\"name\":\"x\"},{\"other\":1}]}";
	check("{{run.cmd}} {{run.score.total}} {{run.nope.total}}", d, "arsync 97 ");
	check("{{#items}}[{{name}}]{{/items}}", d, "[x][top]");
	check("{{#run.score}}{{total}} {{run.cmd}}{{/run.score}}", d, "97 arsync");
	check("{{#items}}{{#.}}{{other}}{{/.}}{{/items}}", d, "1");
}

static void test_escaping_modes(void **state)
{
	(void)state;
	const char *d = "{\"v\":\"<a href=\\\"x\\\">&amp;</a>|`\\\\\\n\"}";
	char *html = render("{{v}}", d, TPL_ESCAPE_HTML);
	char *md = render("{{v}}", d, TPL_ESCAPE_MARKDOWN);
	char *none = render("{{v}}", d, TPL_ESCAPE_NONE);
	char *raw = render("{{{v}}}", d, TPL_ESCAPE_MARKDOWN);
	assert_string_equal(html, "&lt;a href=&quot;x&quot;&gt;&amp;amp;&lt;/a&gt;|`\\\n");
	assert_string_equal(md, "&lt;a href=\"x\">&amp;amp;&lt;/a>\\|&#96;&#92;<br>");
	/* comparisons, arrows and a lone & read as they are */
	char *cmp = render("{{v}}", "{\"v\":\"<= 0.5, >= 2, a -> b, R & D, <0.1>\"}",
	                   TPL_ESCAPE_MARKDOWN);
	assert_string_equal(cmp, "<= 0.5, >= 2, a -> b, R & D, <0.1>");
	free(cmp);
	/* but not where they could open a tag, an entity or a block quote */
	char *tag = render("{{v}}x", "{\"v\":\"> q <b> &lt; <!-- <\"}", TPL_ESCAPE_MARKDOWN);
	assert_string_equal(tag, "&gt; q &lt;b> &amp;lt; &lt;!-- &lt;x");
	free(tag);
	char *mid = render("a\n  {{v}} | {{v}}", "{\"v\":\">= 2\"}", TPL_ESCAPE_MARKDOWN);
	assert_string_equal(mid, "a\n  &gt;= 2 | >= 2"); /* a line start, then mid-line */
	free(mid);
	assert_string_equal(none, "<a href=\"x\">&amp;</a>|`\\\n");
	assert_string_equal(raw, none);
	free(html);
	free(md);
	free(none);
	free(raw);
	check("{{a}}", "{\"a\":\"x\\r\\ny\\rz\"}", "x\r\ny\rz");
	char *crlf = render("{{a}}", "{\"a\":\"x\\r\\ny\\rz\"}", TPL_ESCAPE_MARKDOWN);
	assert_string_equal(crlf, "x<br>y<br>z");
	free(crlf);
}

static cmark_node *parse_gfm(const char *md)
{
	cmark_gfm_core_extensions_ensure_registered();
	cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT);
	cmark_syntax_extension *table = cmark_find_syntax_extension("table");
	assert_non_null(table);
	cmark_parser_attach_syntax_extension(p, table);
	cmark_parser_feed(p, md, strlen(md));
	cmark_node *doc = cmark_parser_finish(p);
	cmark_parser_free(p);
	return doc;
}

/* Concatenated literal text of a node's descendants. */
static void node_text(cmark_node *n, char *buf, size_t size)
{
	for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
		const char *lit = cmark_node_get_literal(c);
		if (cmark_node_get_type(c) == CMARK_NODE_LINEBREAK ||
		    cmark_node_get_type(c) == CMARK_NODE_HTML_INLINE)
			lit = "\n";
		if (lit)
			strncat(buf, lit, size - strlen(buf) - 1);
		node_text(c, buf, size);
	}
}

/* A value with | \ ` < > & and newlines keeps every row at three cells,
 * and each cell shows the value as it was (newlines as <br>). */
static void test_markdown_table_cells(void **state)
{
	(void)state;
	const char *values[] = {"a|b",   "ends with \\", "`tick",        "x\\|y",    "<b>&</b>",
	                        "two\nlines", "|",        "\\",            "``",       "a || b",
	                        "<= 0.5", ">= 2",      "> quote",      "R & D",    "&amp;",
	                        "&#96;",  "<0.000038>", "<!-- c -->", "</x>",     "a<b>c",
	                        "x <",    "y &"};
	json_t *rows = json_array();
	for (size_t i = 0; i < sizeof values / sizeof *values; i++)
		json_array_append_new(rows, json_pack("{s:s,s:i}", "v", values[i], "n", (int)i));
	json_t *data = json_pack("{s:o}", "rows", rows);
	struct tpl_error err;
	char *md = tpl_render("| n | value | end |\n|---|---|---|\n"
	                      "{{#rows}}\n| {{n}} | {{v}}| end |\n{{/rows}}\n",
	                      "table", data, TPL_ESCAPE_MARKDOWN, NULL, NULL, &err);
	assert_non_null(md);
	cmark_node *doc = parse_gfm(md);
	cmark_node *table = cmark_node_first_child(doc);
	assert_string_equal(cmark_node_get_type_string(table), "table");
	assert_null(cmark_node_next(table));
	size_t nrows = 0;
	for (cmark_node *row = cmark_node_first_child(table); row; row = cmark_node_next(row)) {
		size_t cells = 0;
		for (cmark_node *c = cmark_node_first_child(row); c; c = cmark_node_next(c)) {
			char text[256] = "";
			node_text(c, text, sizeof text);
			if (nrows > 0 && cells == 1)
				assert_string_equal(text, values[nrows - 1]);
			if (nrows > 0 && cells == 2)
				assert_string_equal(text, "end");
			cells++;
		}
		assert_int_equal(cells, 3);
		nrows++;
	}
	assert_int_equal(nrows, 1 + sizeof values / sizeof *values);
	cmark_node_free(doc);
	free(md);

	/* in a paragraph, a backtick in the value does not open a code span, and
	 * in the template's own code span it does not close it early */
	char *p = render("x {{v}} y `{{v}}` z", "{\"v\":\"a`b\"}", TPL_ESCAPE_MARKDOWN);
	doc = parse_gfm(p);
	cmark_node *para = cmark_node_first_child(doc);
	int codes = 0;
	for (cmark_node *c = cmark_node_first_child(para); c; c = cmark_node_next(c))
		codes += cmark_node_get_type(c) == CMARK_NODE_CODE;
	assert_int_equal(codes, 1);
	char text[128] = "";
	node_text(para, text, sizeof text);
	assert_string_equal(text, "x a`b y a&#96;b z");
	cmark_node_free(doc);
	free(p);
	json_decref(data);
}

static char *partials_table(const char *name, void *ud)
{
	json_t *s = json_object_get(ud, name);
	return json_is_string(s) ? strdup(json_string_value(s)) : NULL;
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("line 1\n{{#list}}\nx\n", NULL, NULL, "main.md", 2, "unclosed section 'list'");
	expect_error("a\n{{#a}}\n{{#b}}\n{{/a}}\n{{/b}}\n", NULL, NULL, "main.md", 4,
	             "close tag 'a' does not match section 'b' opened on line 3");
	expect_error("a\nb\n{{/x}}", NULL, NULL, "main.md", 3, "without an open section");
	expect_error("\n\n\n{{= <% =}}", NULL, NULL, "main.md", 4, "bad delimiter");
	expect_error("{{=a b c=}}", NULL, NULL, "main.md", 1, "bad delimiter");
	expect_error("{{==}}", NULL, NULL, "main.md", 1, "bad delimiter");
	expect_error("ok\n{{name", NULL, NULL, "main.md", 2, "unclosed tag '{{'");
	expect_error("ok\n{{{name}}", NULL, NULL, "main.md", 2, "no '}}}'");
	expect_error("{{ }}", NULL, NULL, "main.md", 1, "empty tag");
	/* an error inside a partial names the partial and its own line */
	json_t *parts =
	    json_pack("{s:s,s:s}", "outer", "one\n  {{>inner}}\n", "inner", "i1\ni2\n{{#x}}\n");
	expect_error("top\n{{>outer}}\n", partials_table, parts, "inner", 3,
	             "unclosed section 'x'");
	json_decref(parts);
	/* after an error no output, and a retry with a good template works */
	check("fine", "{}", "fine");
}

static void test_runaway_partials(void **state)
{
	(void)state;
	json_t *parts = json_pack("{s:s,s:s,s:s}", "self", "x{{>self}}", "two", "{{>two}}{{>two}}",
	                          "list", "{{#list}}{{>list}}{{/list}}");
	expect_error("{{>self}}", partials_table, parts, "self", 1, "deeper than 64");
	expect_error("{{>two}}", partials_table, parts, "two", 1, "deeper than 64");
	expect_error("{{>list}}", partials_table, parts, "list", 1, "deeper than 64");
	json_decref(parts);
	/* 2^40 expansions within the depth limit: the step limit stops them */
	parts = json_object();
	for (int i = 0; i <= 40; i++) {
		char name[16], body[64];
		snprintf(name, sizeof name, "p%d", i);
		snprintf(body, sizeof body, "{{>p%d}}{{>p%d}}", i + 1, i + 1);
		json_object_set_new(parts, name, json_string(i < 40 ? body : "x"));
	}
	expect_error("{{>p0}}", partials_table, parts, "p39", 1, "more than 10000000 tags");
	json_decref(parts);
	/* output beyond TPL_MAX_OUTPUT is an error, not an endless allocation */
	char *big = malloc(1 << 20);
	memset(big, 'x', (1 << 20) - 1);
	big[(1 << 20) - 1] = 0;
	json_t *items = json_array();
	for (int i = 0; i < 70; i++)
		json_array_append_new(items, json_integer(i));
	json_t *bigdata = json_pack("{s:s,s:o}", "big", big, "list", items);
	struct tpl_error e;
	char *none = tpl_render("line 1\n{{#list}}{{{big}}}{{/list}}", "huge", bigdata,
	                        TPL_ESCAPE_NONE, NULL, NULL, &e);
	assert_null(none);
	assert_int_equal(e.line, 2);
	assert_non_null(strstr(e.msg, "output larger than"));
	json_decref(bigdata);
	free(big);
	/* data-bounded recursion through a partial is fine (leaves need their
	 * own empty kids, or the name resolves up the stack to the parent's) */
	json_t *tree = json_loads("{\"n\":\"a\",\"kids\":[{\"n\":\"b\",\"kids\":[{\"n\":\"c\","
	                          "\"kids\":[]}]},{\"n\":\"d\",\"kids\":null}]}",
	                          0, NULL);
	json_t *node = json_pack("{s:s}", "node", "({{n}}{{#kids}}{{>node}}{{/kids}})");
	struct tpl_error err;
	char *out = tpl_render("{{>node}}", "t", tree, TPL_ESCAPE_HTML, partials_table, node, &err);
	assert_non_null(out);
	assert_string_equal(out, "(a(b(c))(d))");
	free(out);
	json_decref(tree);
	json_decref(node);
}

/* The deepest nesting the limits allow (100 sections in each of 64 nested
 * partials) renders without exhausting the stack; one more section is an
 * error naming the line. */
static void test_deep_nesting(void **state)
{
	(void)state;
	size_t depth = TPL_MAX_SECTION_DEPTH;
	char *t = malloc(depth * 20 + 32), *o = t;
	for (size_t i = 0; i < depth; i++)
		o += sprintf(o, "{{#list}}%s", i == depth / 2 ? "\n" : "");
	o += sprintf(o, "{{>p}}");
	for (size_t i = 0; i < depth; i++)
		o += sprintf(o, "{{/list}}");
	json_t *parts = json_pack("{s:s}", "p", t);
	expect_error(t, partials_table, parts, "p", 2, "deeper than 64");
	json_decref(parts);
	memmove(t + 9, t, strlen(t) + 1);
	memcpy(t, "{{#list}}", 9);
	expect_error(t, NULL, NULL, "main.md", 2, "sections nested deeper than 100");
	free(t);
}

static void test_indented_partials(void **state)
{
	(void)state;
	json_t *parts = json_pack("{s:s,s:s}", "list", "- a\n  {{>item}}\n", "item", "* {{v}}\n");
	json_t *data = json_pack("{s:s}", "v", "line1\nline2");
	struct tpl_error err;
	char *out = tpl_render("top:\n    {{>list}}\nend\n", "t", data, TPL_ESCAPE_NONE,
	                       partials_table, parts, &err);
	assert_non_null(out);
	assert_string_equal(out, "top:\n    - a\n      * line1\nline2\nend\n");
	free(out);
	json_decref(parts);
	json_decref(data);
}

static void test_large_array(void **state)
{
	(void)state;
	enum { N = 200000 };
	json_t *items = json_array();
	for (int i = 0; i < N; i++)
		json_array_append_new(items, json_pack("{s:i,s:s}", "i", i, "s", "a|b"));
	json_t *data = json_pack("{s:o}", "items", items);
	struct tpl_error err;
	char *out = tpl_render("{{#items}}| {{i}} | {{s}} |\n{{/items}}", "big", data,
	                       TPL_ESCAPE_MARKDOWN, NULL, NULL, &err);
	assert_non_null(out);
	size_t lines = 0;
	for (char *s = out; (s = strchr(s, '\n')); s++)
		lines++;
	assert_int_equal(lines, N);
	assert_non_null(strstr(out, "| 199999 | a\\|b |\n"));
	assert_memory_equal(out, "| 0 | a\\|b |\n| 1 | a\\|b |\n", 26);
	free(out);
	json_decref(data);
}

int main(void)
{
	const char *dir = getenv("FIXTURES") ? getenv("FIXTURES") : "fixtures";
	int failed = 0, nskipped = 0;
	for (size_t i = 0; skipped[i].file; i++)
		nskipped++;
	printf("mustache spec: %d test(s) skipped\n", nskipped);
	for (size_t i = 0; i < sizeof spec_files / sizeof *spec_files; i++)
		failed += run_spec_file(dir, spec_files[i].file, spec_files[i].tests);

	const struct CMUnitTest own[] = {
	    cmocka_unit_test(test_numbers_and_values),
	    cmocka_unit_test(test_dotted_names),
	    cmocka_unit_test(test_escaping_modes),
	    cmocka_unit_test(test_markdown_table_cells),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_runaway_partials),
	    cmocka_unit_test(test_deep_nesting),
	    cmocka_unit_test(test_indented_partials),
	    cmocka_unit_test(test_large_array),
	};
	failed += cmocka_run_group_tests_name("template", own, NULL, NULL);
	return failed ? 1 : 0;
}
