/* uring_capture: the kernel's io_uring tracepoints for one run, through a
 * private tracefs instance.
 *
 * strace shows io_uring_enter calls but not what the submitted SQEs do; the
 * kernel's io_uring/io_uring_submit_req tracepoint names the opcode of each
 * one. A capture creates instances/arsync-analyze-PID (so it never disturbs
 * the global trace buffer or another user's instance), enables
 * io_uring_create, io_uring_submit_req, io_uring_queue_async_work and
 * io_uring_complete there, follows one pid and every task it forks
 * (set_event_pid + options/event-fork), and at the end saves the instance's
 * `trace` text to a file and removes the instance.
 *
 * Lines look like (kernel 6.x):
 *   fio-123 [001] ..... 42.000001: io_uring_submit_req: ring 000000003f1b2c4d,
 *       req 00000000a1b2c3d4, user_data 0x0, opcode READ, flags 0x0, sq_thread 0
 * (one line each; see fixtures/uring/).
 */
#ifndef ARSYNC_URING_CAPTURE_H
#define ARSYNC_URING_CAPTURE_H

#include <stddef.h>
#include <sys/types.h>

enum uring_mode {
	URING_AUTO, /* capture when root and tracefs is usable, else say why not */
	URING_ON,   /* capture or fail */
	URING_OFF,  /* never */
};

struct uring_capture;

/* "auto", "on", "off" -> *mode; -1 for anything else. */
int uring_mode_parse(const char *s, enum uring_mode *mode);

/* Prepares a capture (instance created, events enabled, tracing off).
 * Returns NULL when there is none: *REASON says why ("not root",
 * "tracefs not available: ...", "disabled by --uring-ops off"). With
 * URING_ON that is an error the caller reports; with URING_AUTO it is
 * only a reason to print in the report. */
struct uring_capture *uring_capture_prepare(enum uring_mode mode, char *reason, size_t reasonlen);

/* Follows PID and its descendants and turns tracing on. 0, or -1 with ERR. */
int uring_capture_follow(struct uring_capture *c, pid_t pid, char *err, size_t errlen);

/* Turns tracing off and writes the instance's trace text to OUT_PATH.
 * *EVENTS: event lines saved; *LOST: events the kernel dropped because the
 * buffer was full ("CPU:N [LOST M EVENTS]" lines). Either may be NULL.
 * 0, or -1 with ERR. */
int uring_capture_save(struct uring_capture *c, const char *out_path, unsigned long *events,
                       unsigned long *lost, char *err, size_t errlen);

/* Removes the instance (also after an error) and frees C. NULL is fine. */
void uring_capture_free(struct uring_capture *c);

/* The tracefs mount point found or mounted, e.g. "/sys/kernel/tracing"; NULL
 * with *REASON set when there is none. */
const char *uring_tracefs_root(char *reason, size_t reasonlen);

#endif
