/* errors.c - one line per failure, written whole so threads do not interleave. */
#include "errors.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static atomic_ulong errors;

static void emit(const char *dir, const char *name, const char *what, int errnum)
{
	char ebuf[128];
	const char *etext = "";
	if (errnum)
		etext = strerror_r(errnum, ebuf, sizeof(ebuf));
	char *line = NULL;
	int n = asprintf(&line, "arsync: %s%s%s: %s%s%s\n", dir, name ? "/" : "", name ? name : "",
			 what, errnum ? ": " : "", etext);
	if (n > 0) {
		ssize_t off = 0;
		while (off < n) {
			ssize_t w = write(STDERR_FILENO, line + off, (size_t)(n - off));
			if (w <= 0)
				break;
			off += w;
		}
	}
	free(line);
	atomic_fetch_add(&errors, 1);
}

void report_error(const char *path, const char *what, int errnum)
{
	emit(path, NULL, what, errnum);
}

void report_entry_error(const char *dir, const char *name, const char *what, int errnum)
{
	emit(dir, name, what, errnum);
}

unsigned long error_count(void)
{
	return atomic_load(&errors);
}
