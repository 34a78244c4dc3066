/* errors.c - one line per failure, written whole so threads do not
 * interleave; source entries that vanished are counted apart (exit 24). */
#include "errors.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static atomic_ulong errors, vanished;

/* reason: the text after "what: " (NULL: strerror(errnum)). Every line
 * has one: a caller without errno or text still says that it failed. */
static void emit(const char *dir, const char *name, const char *what, int errnum,
		 const char *reason, atomic_ulong *counter)
{
	char ebuf[128];
	const char *etext = reason;
	if (!etext)
		etext = errnum ? strerror_r(errnum, ebuf, sizeof(ebuf)) : "failed";
	char *line = NULL;
	int n = asprintf(&line, "arsync: %s%s%s: %s: %s\n", dir, name ? "/" : "", name ? name : "",
			 what, etext);
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
	atomic_fetch_add(counter, 1);
}

void report_error(const char *path, const char *what, int errnum)
{
	emit(path, NULL, what, errnum, NULL, &errors);
}

void report_entry_error(const char *dir, const char *name, const char *what, int errnum)
{
	emit(dir, name, what, errnum, NULL, &errors);
}

void report_entry_reason(const char *dir, const char *name, const char *what, const char *reason)
{
	emit(dir, name, what, 0, reason, &errors);
}

void report_source_error(const char *dir, const char *name, const char *what, int errnum)
{
	if (errnum == ENOENT)
		emit(dir, name, what, errnum, name ? "file has vanished" : "directory has vanished",
		     &vanished);
	else
		emit(dir, name, what, errnum, NULL, &errors);
}

unsigned long error_count(void)
{
	return atomic_load(&errors);
}

unsigned long vanished_count(void)
{
	return atomic_load(&vanished);
}
