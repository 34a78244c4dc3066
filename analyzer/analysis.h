/* analysis: parse -> classify -> aggregate -> evaluate -> model, for one
 * trace. The runner (or --trace) supplies the trace and what it knows about
 * the run; the result is the model (see model.h). */
#ifndef ARSYNC_ANALYSIS_H
#define ARSYNC_ANALYSIS_H

#include <jansson.h>
#include <stddef.h>

struct uring_req;

struct analysis_input {
	const char *trace_path;            /* strace -o FILE (or the -ff prefix) */
	const char *src_root;              /* source root as the copier saw it, or NULL (--trace) */
	const char *dst_root;              /* destination root, or NULL */
	const char *const *operands;       /* --trace: absolute paths of the traced command line */
	size_t n_operands;
	const char *const *dataset_files;  /* regular files, paths relative to src_root, or NULL */
	size_t n_dataset_files;
	const char *uring_events_path;     /* io_uring tracepoint capture, or NULL */
	const struct uring_req *uring_reqs; /* the capture's requests when the caller has
	                                       read them (uring_reqs_list order), or NULL */
	size_t n_uring_reqs;
	unsigned long long uring_reqs_lost; /* records that capture lost */
	const char *uring_ops_reason;      /* why there is none, when NULL */
	json_t *rules;                     /* rules.json (borrowed) */
	json_t *header;                    /* model "header" object (borrowed, copied in) */
	json_t *run;                       /* model "run" object, or NULL (--trace) */
	json_t *verification;              /* model "verification" object, or NULL */
	int quiet;                         /* no progress lines on stderr */
};

/* The model for IN, or NULL with a message in ERR (what failed, on which
 * path, why). */
json_t *analysis_build_model(const struct analysis_input *in, char *err, size_t errlen);

/* Exit status for MODEL per DESIGN.md: 0 pass, 1 WARN when fail_on_warn,
 * 2 FAIL. */
int analysis_exit_status(json_t *model, int fail_on_warn);

#endif
