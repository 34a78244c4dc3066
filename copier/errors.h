/* errors.h - how arsync reports a failed entry and keeps going. */
#ifndef ARSYNC_ERRORS_H
#define ARSYNC_ERRORS_H

/* Prints "arsync: <path>: <what>: <strerror(errnum)>" on stderr as one
 * write, and counts it. A failure on the destination side names the
 * destination path, one on the source side the source path. */
void report_error(const char *path, const char *what, int errnum);

/* Same, with the path given as directory path + "/" + name. */
void report_entry_error(const char *dir, const char *name, const char *what, int errnum);

/* Same, with a reason that is no errno: "arsync: DIR/NAME: WHAT: REASON"
 * (NAME may be NULL). */
void report_entry_reason(const char *dir, const char *name, const char *what, const char *reason);

/* A failed operation on a source entry DIR/NAME, or on the source
 * directory DIR when NAME is NULL. ENOENT means the entry vanished after
 * its directory was listed: "arsync: <path>: <what>: file has vanished"
 * ("directory has vanished" when NAME is NULL), counted apart
 * (rsync's exit 24, unless other errors make it 23); any other errnum is
 * reported and counted as report_entry_error() does. */
void report_source_error(const char *dir, const char *name, const char *what, int errnum);

/* Number of errors reported so far (vanished entries not included). */
unsigned long error_count(void);

/* Number of source entries found vanished so far. */
unsigned long vanished_count(void);

#endif
