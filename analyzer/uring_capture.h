/* uring_capture: the io_uring requests of one run, recorded by a BPF
 * program on the kernel's io_uring tracepoints (uring_bpf.bpf.c).
 *
 * strace shows io_uring_enter calls but not what the submitted SQEs do. The
 * BPF program records each request's submission (opcode, ring, and for
 * path-taking opcodes every dirfd, the kernel's copy of every path and the
 * flags that change their meaning), its punt to io-wq, its preparation
 * failure and its completion, for the followed process and every process
 * it forks. A consumer thread streams the records from the BPF ring buffer
 * into a capture file (format: uring_bpf.h; reader: uring_reqs.h).
 *
 * Nothing outlives the analyzer: the programs and maps are held by file
 * descriptors only (no pinning), destroyed by uring_capture_free and by
 * the kernel when the process dies however it dies.
 */
#ifndef ARSYNC_URING_CAPTURE_H
#define ARSYNC_URING_CAPTURE_H

#include <stddef.h>
#include <sys/types.h>

enum uring_mode {
	URING_AUTO, /* capture when the BPF program loads, else say why not */
	URING_ON,   /* capture or fail */
	URING_OFF,  /* never */
};

struct uring_capture;

/* "auto", "on", "off" -> *mode; -1 for anything else. */
int uring_mode_parse(const char *s, enum uring_mode *mode);

/* Loads and attaches the BPF program (following nobody yet) and creates
 * OUT_PATH, the capture file. Returns NULL when there is no capture:
 * *REASON says why ("disabled by --uring-ops off", "BPF not available:
 * ...", "not root: ..."). With URING_ON that is an error the caller
 * reports; with URING_AUTO it is only a reason to print in the report. */
struct uring_capture *uring_capture_prepare(enum uring_mode mode, const char *out_path,
                                            char *reason, size_t reasonlen);

/* Follows PID and the processes it forks, and starts streaming records to
 * the capture file. Once per capture. 0, or -1 with ERR. */
int uring_capture_follow(struct uring_capture *c, pid_t pid, char *err, size_t errlen);

/* Detaches the programs, drains the ring buffer into the file, ends it with
 * the loss counters and closes it. *RECORDS: records written; *LOST:
 * records the kernel side could not deliver (ring buffer full) plus forked
 * processes it could not follow. Either may be NULL. 0, or -1 with ERR. */
int uring_capture_save(struct uring_capture *c, unsigned long *records, unsigned long *lost,
                       char *err, size_t errlen);

/* Stops the consumer, destroys the BPF objects, closes the file (also after
 * an error or without a save) and frees C. NULL is fine. */
void uring_capture_free(struct uring_capture *c);

#endif
