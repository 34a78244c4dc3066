/* render_report: MODEL.json -> HTML page (and optionally the Markdown)
 * through the report module alone, for tests that must not depend on the
 * CLI. Usage: render_report MODEL.json OUT.html [OUT.md [TEMPLATES_DIR]] */
#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 5) {
		fprintf(stderr, "usage: %s MODEL.json OUT.html [OUT.md [TEMPLATES_DIR]]\n",
		        argv[0]);
		return 2;
	}
	json_error_t je;
	json_t *model = json_load_file(argv[1], 0, &je);
	if (!model) {
		fprintf(stderr, "render_report: %s: line %d: %s\n", argv[1], je.line, je.text);
		return 1;
	}
	char err[2048];
	char *md = report_markdown(model, argc > 4 ? argv[4] : NULL, err, sizeof err);
	int rc = 1;
	if (!md) {
		fprintf(stderr, "render_report: %s\n", err);
		goto out;
	}
	if (argc > 3) {
		FILE *f = fopen(argv[3], "w");
		if (!f || fputs(md, f) < 0 || fclose(f) != 0) {
			fprintf(stderr, "render_report: cannot write %s: %s\n", argv[3],
			        strerror(errno));
			goto out;
		}
	}
	if (report_write_html(md, model, argv[2], err, sizeof err) != 0) {
		fprintf(stderr, "render_report: %s\n", err);
		goto out;
	}
	report_print_summary(stdout, model, argv[2], false);
	rc = 0;
out:
	free(md);
	json_decref(model);
	return rc;
}
