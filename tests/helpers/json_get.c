/* json_get: prints the value at a dotted path of a JSON file, for shell
 * tests without jq.
 *
 *   json_get FILE PATH        e.g. trace.lines, syscalls.openat.calls,
 *                             checks.0.status, checks.#id=copy_verified.status
 *
 * A component that is a number indexes an array; "#KEY=VALUE" picks the
 * first array element whose KEY is the string VALUE. Strings print raw,
 * numbers and null as JSON, objects and arrays as compact JSON. Exit 1 when
 * the path does not exist, 2 when FILE is not readable JSON. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *step(json_t *cur, const char *comp)
{
	if (comp[0] == '#' && json_is_array(cur)) {
		const char *eq = strchr(comp, '=');
		if (!eq)
			return NULL;
		char key[256];
		snprintf(key, sizeof(key), "%.*s", (int)(eq - comp - 1), comp + 1);
		size_t i;
		json_t *e;
		json_array_foreach(cur, i, e)
		{
			const char *v = json_string_value(json_object_get(e, key));
			if (v && strcmp(v, eq + 1) == 0)
				return e;
		}
		return NULL;
	}
	if (json_is_array(cur)) {
		char *end;
		long i = strtol(comp, &end, 10);
		if (*end || i < 0)
			return NULL;
		return json_array_get(cur, (size_t)i);
	}
	return json_is_object(cur) ? json_object_get(cur, comp) : NULL;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: json_get FILE PATH\n");
		return 2;
	}
	json_error_t je;
	json_t *root = json_load_file(argv[1], JSON_DECODE_ANY, &je);
	if (!root) {
		fprintf(stderr, "json_get: %s: line %d: %s\n", argv[1], je.line, je.text);
		return 2;
	}
	json_t *cur = root;
	char *path = strdup(argv[2]);
	for (char *save = NULL, *c = strtok_r(path, ".", &save); cur && c;
	     c = strtok_r(NULL, ".", &save))
		cur = step(cur, c);
	free(path);
	if (!cur) {
		fprintf(stderr, "json_get: %s: no value at %s\n", argv[1], argv[2]);
		json_decref(root);
		return 1;
	}
	if (json_is_string(cur)) {
		puts(json_string_value(cur));
	} else {
		char *s = json_dumps(cur, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(10));
		puts(s ? s : "?");
		free(s);
	}
	json_decref(root);
	return 0;
}
