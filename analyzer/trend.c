/* trend: consecutive runs compared pairwise with compare's own rows, so a
 * step in the trend is exactly what `compare` would call a regression or
 * an improvement between those two runs. */
#include "trend.h"

#include <string.h>

#include "compare.h"

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

json_t *trend_build(json_t *const *models, const char *const *paths, size_t n)
{
	json_t *t = json_pack("{s:i, s:[], s:[], s:[]}", "schema", 1, "runs", "figures", "steps");
	if (!t || n == 0)
		return t;
	json_t *runs = json_object_get(t, "runs"), *figs = json_object_get(t, "figures");
	json_t *steps = json_object_get(t, "steps");
	for (size_t i = 0; i < n; i++) {
		json_t *h = json_object_get(models[i], "header");
		json_array_append_new(runs, json_pack("{s:I, s:s, s:s, s:s, s:s}", "index",
		                                      (json_int_t)(i + 1), "path",
		                                      paths[i] ? paths[i] : "", "date", str(h, "date"),
		                                      "command", str(h, "command"), "verdict",
		                                      str(models[i], "verdict")));
	}
	/* One row per headline figure, its first point from the first run. */
	json_t *head = compare_headline(models[0]);
	size_t k;
	json_t *f;
	json_array_foreach(head, k, f)
	{
		json_array_append_new(figs, json_pack("{s:s, s:s, s:s, s:s, s:s, s:[], s:b}", "id",
		                                      str(f, "id"), "label", str(f, "label"), "unit",
		                                      str(f, "unit"), "better", str(f, "better"),
		                                      "threshold_text", "", "points", "has_step",
		                                      0));
	}
	json_decref(head);
	long regressions = 0, improvements = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *cmp = i == 0 ? compare_models(models[0], n > 1 ? models[1] : models[0],
		                                      NULL, NULL)
		                     : compare_models(models[i - 1], models[i], NULL, NULL);
		json_t *rows = json_object_get(cmp, "figures");
		json_array_foreach(figs, k, f)
		{
			json_t *row = NULL, *r;
			size_t j;
			json_array_foreach(rows, j, r)
			{
				if (strcmp(str(r, "id"), str(f, "id")) == 0)
					row = r;
			}
			if (!row) { /* unknown in both runs of the pair */
				json_array_append_new(
				    json_object_get(f, "points"),
				    json_pack("{s:I, s:n, s:s, s:b, s:s, s:s}", "index", (json_int_t)(i + 1),
				              "value", "text", "n/a", "step", 0, "step_mark", "",
				              "change_text", ""));
				continue;
			}
			json_object_set_new(f, "threshold_text", json_string(str(row, "threshold_text")));
			const char *status = i == 0 ? "same" : str(row, "status");
			bool reg = strcmp(status, "regression") == 0;
			bool imp = strcmp(status, "improvement") == 0;
			json_t *v = json_object_get(row, i == 0 ? "base" : "new");
			json_t *pt = json_pack("{s:I, s:O, s:s, s:b, s:s, s:s}", "index",
			                       (json_int_t)(i + 1), "value", v ? v : json_null(), "text",
			                       str(row, i == 0 ? "base_text" : "new_text"), "step",
			                       reg || imp, "step_mark",
			                       reg ? "▲ regression" : imp ? "▼ improvement" : "",
			                       "change_text", i == 0 ? "" : str(row, "percent_text"));
			json_array_append_new(json_object_get(f, "points"), pt);
			if (!reg && !imp)
				continue;
			json_object_set_new(f, "has_step", json_true());
			regressions += reg;
			improvements += imp;
			json_array_append_new(
			    steps, json_pack("{s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:s}", "figure",
			                     str(f, "id"), "label", str(f, "label"), "from", (json_int_t)i,
			                     "to", (json_int_t)(i + 1), "from_text", str(row, "base_text"),
			                     "to_text", str(row, "new_text"), "change_text",
			                     strcmp(str(row, "percent_text"), "n/a") != 0
			                         ? str(row, "percent_text")
			                         : str(row, "delta_text"),
			                     "threshold_text", str(row, "threshold_text"), "kind", status));
		}
		json_decref(cmp);
	}
	json_object_set_new(t, "count", json_integer((json_int_t)n));
	json_object_set_new(t, "regressions", json_integer(regressions));
	json_object_set_new(t, "improvements", json_integer(improvements));
	json_object_set_new(t, "has_steps", json_boolean(regressions + improvements > 0));
	return t;
}

char *trend_markdown(json_t *trend, const char *templates_dir, char *err, size_t errlen)
{
	return compare_render("trend.md.mustache", trend, templates_dir, err, errlen);
}
