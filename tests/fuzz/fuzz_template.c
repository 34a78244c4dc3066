/* libFuzzer target for the Mustache renderer: the input is the template,
 * rendered against a small fixed context, and every partial is the input
 * itself, so partial recursion and its limits are exercised too. The
 * first byte picks the escaping mode. Any result is fine; crashes, leaks,
 * undefined behaviour and hangs are not.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "template.h"

static const char context_json[] =
    "{\"name\":\"a|b<c>&`\\\\\",\"n\":42,\"r\":1.25,\"t\":true,\"f\":false,"
    "\"z\":null,\"e\":\"\",\"list\":[1,\"x\",{\"name\":\"inner\"},[2,3]],"
    "\"obj\":{\"a\":{\"b\":{\"c\":\"deep\"}},\"list\":[]}}";

static char *load_self(const char *name, void *ud)
{
	(void)name;
	return strdup(ud);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static json_t *context;
	if (!context)
		context = json_loads(context_json, 0, NULL);
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	enum tpl_escape escape = size ? data[0] % 3 : TPL_ESCAPE_HTML;
	struct tpl_error err;
	char *out = tpl_render(text, "fuzz", context, escape, load_self, text, &err);
	if (!out && (!err.msg[0] || err.line < 0))
		abort(); /* a failure must always say why and where */
	free(out);
	free(text);
	return 0;
}
