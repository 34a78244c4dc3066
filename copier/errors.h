/* errors.h - how arsync reports a failed entry and keeps going. */
#ifndef ARSYNC_ERRORS_H
#define ARSYNC_ERRORS_H

/* Prints "arsync: <path>: <what>: <strerror(errnum)>" (or, with errnum 0,
 * "arsync: <path>: <what>") on stderr as one write, and counts it. */
void report_error(const char *path, const char *what, int errnum);

/* Same, with the path given as directory path + "/" + name. */
void report_entry_error(const char *dir, const char *name, const char *what, int errnum);

/* Number of errors reported so far. */
unsigned long error_count(void);

#endif
