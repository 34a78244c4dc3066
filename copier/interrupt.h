/* interrupt.h - SIGINT/SIGTERM turn into a stop request the copy loop polls. */
#ifndef ARSYNC_INTERRUPT_H
#define ARSYNC_INTERRUPT_H

#include <stdbool.h>

/* Installs handlers for SIGINT, SIGTERM and SIGHUP (no SA_RESTART) and
 * ignores SIGPIPE. */
int interrupt_install(void);

/* True once a stop signal arrived. */
bool stop_requested(void);

/* The signal that asked to stop (0 if none). */
int stop_signal(void);

#endif
