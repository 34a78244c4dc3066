/* analysis: the trace through parse -> aggregate (stats) -> evaluate
 * (checks) into one model. This file owns the order of the stages and the
 * sections that only restate inputs (header, run, trace, verification,
 * basis); the figures come from stats.c, the verdict from checks.c. */
#include "analysis.h"

#include "checks.h"
#include "model.h"
#include "ring_merge.h"
#include "stats.h"
#include "strace_parse.h"
#include "syscall_table.h"
#include "uring_ops.h"
#include "uring_reqs.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef ARSYNC_VERSION
#define ARSYNC_VERSION "0.0.0"
#endif

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double rule_num(json_t *rules, const char *section, const char *key, double dflt)
{
	json_t *v = json_object_get(json_object_get(rules, section), key);
	return json_is_number(v) ? json_number_value(v) : dflt;
}

static json_t *calls_for(const void *ud, const char *what) { return stats_calls_for(ud, what); }

static double json_num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_number(v) ? json_number_value(v) : -1;
}

static int cmp_ops(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	json_int_t cx = json_integer_value(json_object_get(x, "count"));
	json_int_t cy = json_integer_value(json_object_get(y, "count"));
	if (cx != cy)
		return cx < cy ? 1 : -1;
	return strcmp(json_string_value(json_object_get(x, "op")),
	              json_string_value(json_object_get(y, "op")));
}

static void add_uring_ops(const struct analysis_input *in, json_t *model)
{
	json_t *u = json_object_get(model, "io_uring");
	struct uring_ops ops;
	char err[512];
	if (!in->uring_events_path) {
		json_object_set_new(u, "ops", json_object());
		json_object_set_new(u, "ops_list", json_array());
		json_object_set_new(u, "ops_source", json_null());
		json_object_set_new(u, "ops_reason",
		                    json_string(in->uring_ops_reason
		                                    ? in->uring_ops_reason
		                                    : "no io_uring tracepoint capture"));
		json_object_set_new(u, "async_punts", json_null());
		return;
	}
	if (uring_ops_read(in->uring_events_path, &ops, err, sizeof(err)) < 0) {
		json_object_set_new(u, "ops", json_object());
		json_object_set_new(u, "ops_list", json_array());
		json_object_set_new(u, "ops_source", json_null());
		json_object_set_new(u, "ops_reason", json_string(err));
		json_object_set_new(u, "async_punts", json_null());
		return;
	}
	size_t n = json_object_size(ops.ops), k = 0;
	json_t **items = calloc(n + 1, sizeof(*items));
	const char *key;
	json_t *v;
	json_object_foreach(ops.ops, key, v)
	{
		if (items)
			items[k++] = json_pack("{s:s,s:O}", "op", key, "count", v);
	}
	json_t *list = json_array();
	if (items) {
		qsort(items, k, sizeof(*items), cmp_ops);
		for (size_t i = 0; i < k; i++)
			json_array_append_new(list, items[i]);
		free(items);
	}
	json_object_set(u, "ops", ops.ops);
	json_object_set_new(u, "ops_list", list);
	json_object_set_new(u, "ops_source", json_string(ops.source ? ops.source : "tracefs"));
	json_object_set_new(u, "ops_reason", json_null());
	json_object_set_new(u, "async_punts", json_integer((json_int_t)ops.async_punts));
	json_object_set_new(u, "ops_submitted", json_integer((json_int_t)ops.submits));
	json_object_set_new(u, "ops_completed", json_integer((json_int_t)ops.completions));
	json_object_set_new(u, "ops_rings_created", json_integer((json_int_t)ops.rings_created));
	json_object_set_new(u, "ops_lost_events", json_integer((json_int_t)ops.lost_events));
	uring_ops_clear(&ops);
}

/* A count (files, bytes): an integer when whole, null when unknown (<= 0). */
static json_t *count_json(double v)
{
	if (!(v > 0))
		return json_null();
	if (v == floor(v) && v < 9007199254740992.0)
		return json_integer((json_int_t)v);
	return json_real(v);
}

static json_t *trace_section(const struct sp_stats *ps, const struct stats_figures *f)
{
	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:b,s:b,s:b,s:I,s:I,s:I}", "lines",
	                 (json_int_t)ps->lines, "events", (json_int_t)ps->events, "pids",
	                 (json_int_t)ps->pids, "resumed_pairs", (json_int_t)ps->resumed_pairs,
	                 "malformed_lines", (json_int_t)ps->malformed_lines, "signals",
	                 (json_int_t)ps->signals, "orphan_resumed", (json_int_t)ps->orphan_resumed,
	                 "unfinished", (json_int_t)ps->unfinished_eof, "strace_messages",
	                 (json_int_t)ps->strace_messages, "has_time", f->has_time, "has_duration",
	                 f->has_duration, "has_fd_paths", f->has_fd_paths, "syscalls",
	                 (json_int_t)ps->syscalls, "bytes", (json_int_t)ps->bytes,
	                 "first_malformed_line", (json_int_t)ps->first_malformed);
}

static json_t *header_section(const struct analysis_input *in, const struct sp_stats *ps,
                              const struct stats_figures *f)
{
	json_t *h = in->header ? json_deep_copy(in->header) : json_object();
	if (!json_is_string(json_object_get(h, "mode")))
		json_object_set_new(h, "mode", json_string(in->run ? "run" : "trace"));
	if (!json_is_string(json_object_get(h, "trace_path")))
		json_object_set_new(h, "trace_path", json_string(in->trace_path));
	char flags[64];
	snprintf(flags, sizeof(flags), "%s%s%s%s", ps->pids > 1 ? " -f" : "",
	         f->has_time ? " -tt" : "", f->has_duration ? " -T" : "",
	         f->has_fd_paths ? " -y" : "");
	json_object_set_new(h, "trace_flags_detected", json_string(flags[0] ? flags + 1 : ""));
	if (!json_is_string(json_object_get(h, "trace_flags")))
		json_object_set_new(h, "trace_flags", json_string(flags[0] ? flags + 1 : ""));
	return h;
}

static json_t *verification_section(const struct analysis_input *in)
{
	if (in->verification)
		return json_deep_copy(in->verification);
	return json_pack("{s:b,s:n,s:s,s:n,s:[]}", "performed", 0, "ok", "reason",
	                 in->run ? "the copy was not verified"
	                         : "--trace mode: a recorded trace has no copy to verify",
	                 "checked", "differences");
}

/* Files and MiB the per-file and per-MiB figures divide by. */
static void basis(const struct analysis_input *in, const struct stats_figures *f, json_t *model,
                  struct check_input *ci)
{
	json_t *run = json_object_get(model, "run");
	json_t *ds = json_object_get(json_object_get(model, "header"), "dataset");
	double files = -1, bytes = -1;
	const char *fsrc = "unknown", *bsrc = "unknown";
	if (in->n_dataset_files) {
		files = (double)in->n_dataset_files;
		fsrc = "dataset: regular files";
	} else if (json_num(run, "files") > 0) {
		files = json_num(run, "files");
		fsrc = "run.files";
	} else if (json_num(ds, "files") > 0) {
		files = json_num(ds, "files");
		fsrc = "header.dataset.files";
	} else if (f->files_created > 0) {
		files = (double)f->files_created;
		fsrc = "inferred: distinct regular files created by direct open/creat/mknod calls";
	}
	if (json_num(run, "bytes") > 0) {
		bytes = json_num(run, "bytes");
		bsrc = "run.bytes";
	} else if (json_num(ds, "bytes") > 0) {
		bytes = json_num(ds, "bytes");
		bsrc = "header.dataset.bytes";
	} else if (f->bytes_written_regular > 0) {
		bytes = (double)f->bytes_written_regular;
		bsrc = "inferred: bytes written to regular files by direct data calls";
	}
	double mib = bytes > 0 ? bytes / (1024.0 * 1024.0) : -1;
	ci->files = files;
	ci->files_basis = fsrc;
	ci->mib = mib;
	ci->mib_basis = bsrc;
	json_object_set_new(
	    model, "basis",
	    json_pack("{s:o,s:s,s:o,s:o,s:s}", "files", count_json(files), "files_source", fsrc,
	              "bytes", count_json(bytes),
	              "mib", mib > 0 ? json_real(round(mib * 1000) / 1000) : json_null(),
	              "mib_source", bsrc));
	json_t *tt = json_object_get(model, "toctou");
	json_object_set_new(
	    tt, "path_based_per_file",
	    files > 0
	        ? json_real(round((double)(f->path_based - f->root_path_calls) / files * 1000) / 1000)
	        : json_null());
	json_object_set_new(tt, "pairs_per_file",
	                    files > 0 ? json_real(round((double)f->pairs / files * 1000) / 1000)
	                              : json_null());
}

/* ---- the event pipeline ------------------------------------------------
 *
 * Reading and parsing the trace, and aggregating its events, take about
 * the same time per event; on a machine with a second core they overlap:
 * one thread runs sp_next() straight into the slots of a small ring of
 * batches, the caller's thread feeds them to stats_event() in the same
 * order. The events' strings stay where the parser put them: its input
 * buffers and join buffers go, when it is done with them, to the batch
 * being filled (swap_buffer), which hands them back to a pool once the
 * consumer is through with it; only the rare events outside those buffers
 * have their strings copied into the batch's arena (ev.file lives until
 * sp_free). Memory stays bounded: NBATCH batches of at most BATCH_EVENTS
 * events, BATCH_BUFS buffers and about BATCH_BYTES of arena text (one
 * longer event gets its own room, released after it). Without a thread,
 * the same loop runs inline. */

#define NBATCH 8 /* batches in flight: 4 stalled the parser on the aggregator's jitter */
#define SPIN_ROUNDS 4000 /* pause instructions: some tens of microseconds */
#define BATCH_EVENTS 4096
#define BATCH_BYTES (1024u << 10)
#define BATCH_BUFS 8  /* input buffers one batch may hold before it is handed over */
#define POOL_BUFS 16  /* spare input buffers kept for reuse */

/* An input buffer of the parser, owned by the batch whose events were the
 * last to point into it. */
struct inbuf {
	char *p;
	size_t cap;
};

struct batch {
	struct sp_event ev[BATCH_EVENTS] __attribute__((aligned(64))); /* whole cache lines */
	size_t n;
	char *arena; /* strings that are not in an input buffer (joined calls, ...) */
	size_t used, cap;
	struct inbuf *bufs; /* input buffers retired while this batch was filled */
	size_t nbufs, bufs_cap;
	int status; /* 1 events follow, 0 end of input, -1 read error (err) */
	int err;
};

struct pipeline {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch b[NBATCH];
	size_t head, tail; /* producer fills b[head], consumer reads b[tail] */
	size_t count;       /* batches handed over: changed under mu, read atomically */
	bool stop;                /* the consumer gave up (out of memory) */
	struct inbuf pool[POOL_BUFS];
	size_t npool;
	struct sp_parser *p;
	const char *trace_path;
	bool quiet;
	double start;
};

/* The parser's buffer hook (producer thread): OLD goes to the batch being
 * filled, the new buffer comes from the pool when it has one that fits. */
static char *swap_buffer(void *ctx, char *old, size_t old_cap, size_t cap)
{
	struct pipeline *pl = ctx;
	if (old) {
		struct batch *b = &pl->b[pl->head];
		if (b->nbufs == b->bufs_cap) {
			size_t n = b->bufs_cap ? 2 * b->bufs_cap : BATCH_BUFS;
			struct inbuf *v = realloc(b->bufs, n * sizeof(*v));
			if (!v)
				return NULL;
			b->bufs = v;
			b->bufs_cap = n;
		}
		b->bufs[b->nbufs++] = (struct inbuf){old, old_cap};
	}
	char *nb = NULL;
	pthread_mutex_lock(&pl->mu);
	for (size_t i = pl->npool; i-- > 0;) {
		if (pl->pool[i].cap == cap) {
			nb = pl->pool[i].p;
			pl->pool[i] = pl->pool[--pl->npool];
			break;
		}
	}
	pthread_mutex_unlock(&pl->mu);
	return nb ? nb : malloc(cap);
}

/* With the lock held: B's input buffers back to the pool (or freed). */
static void release_buffers(struct pipeline *pl, struct batch *b)
{
	for (size_t i = 0; i < b->nbufs; i++) {
		if (pl->npool < POOL_BUFS)
			pl->pool[pl->npool++] = b->bufs[i];
		else
			free(b->bufs[i].p);
	}
	b->nbufs = 0;
}

static const char *put_str(struct batch *b, const char *s, size_t len)
{
	char *d = b->arena + b->used;
	memcpy(d, s, len);
	d[len] = '\0';
	b->used += len + 1;
	return d;
}

/* Makes the event in slot B->ev[B->n], which sp_next() just filled, part
 * of B. An event whose strings lie in buffers handed over by the parser
 * (which B or a later batch owns) is kept as it is; the others (lines cut
 * by strace messages, calls flushed at end of input) have their strings
 * copied into the arena. 1 done, 0 batch full (the event stays in the
 * slot, nothing copied), -1 no memory. */
static int batch_take(struct batch *b)
{
	struct sp_event *e = &b->ev[b->n];
	if (e->handed_over) { /* in buffers that B or a later batch owns */
		b->n++;
		return 1;
	}
	size_t nl = e->name ? (e->name_len ? e->name_len : strlen(e->name)) : 0;
	size_t dl = e->result_decor ? strlen(e->result_decor) : 0;
	size_t need = nl + 1 + (e->args ? e->args_len + 1 : 0) + dl + 1;
	/* rare strings (errors, extras, signals) are measured only when present */
	if (e->err_name)
		need += strlen(e->err_name) + 1;
	if (e->err_text)
		need += strlen(e->err_text) + 1;
	if (e->result_extra)
		need += strlen(e->result_extra) + 1;
	if (b->used + need > b->cap) {
		if (b->n > 0 && b->cap >= BATCH_BYTES)
			return 0;
		size_t cap = b->used + need > BATCH_BYTES ? b->used + need : BATCH_BYTES;
		char *a = realloc(b->arena, cap);
		if (!a)
			return -1;
		b->arena = a;
		b->cap = cap;
	}
	/* e->file lives until sp_free: kept as it is */
	if (e->name)
		e->name = put_str(b, e->name, nl);
	if (e->args)
		e->args = put_str(b, e->args, e->args_len);
	if (e->result_decor)
		e->result_decor = put_str(b, e->result_decor, dl);
	if (e->err_name)
		e->err_name = put_str(b, e->err_name, strlen(e->err_name));
	if (e->err_text)
		e->err_text = put_str(b, e->err_text, strlen(e->err_text));
	if (e->result_extra)
		e->result_extra = put_str(b, e->result_extra, strlen(e->result_extra));
	b->n++;
	return 1;
}

/* A progress line on stderr at most once a second. */
struct progress {
	const struct sp_parser *p;
	const char *trace_path;
	bool quiet;
	double start, last;
	unsigned long n;
};

static void progress(struct progress *pg)
{
	if (pg->quiet || (++pg->n & 0x3fff) != 0)
		return;
	double t = now();
	if (t - pg->last < 1.0)
		return;
	pg->last = t;
	const struct sp_stats *ps = sp_get_stats(pg->p);
	fprintf(stderr, "arsync-analyze: %s: %.0f MB, %lu lines, %.0f MB/s\n", pg->trace_path,
	        (double)ps->bytes / 1e6, ps->lines, (double)ps->bytes / 1e6 / (t - pg->start));
}

/* Waits a little, without sleeping, while *COUNT == BUSY: a batch takes
 * a few hundred microseconds, and a thread put to sleep costs the other
 * one a futex wake-up (and itself the time to be scheduled again) per
 * batch. True if *COUNT changed. */
static bool spin_while(const size_t *count, size_t busy)
{
	for (int i = 0; i < SPIN_ROUNDS; i++) {
		if (__atomic_load_n(count, __ATOMIC_ACQUIRE) != busy)
			return true;
#if defined(__x86_64__) || defined(__i386__)
		__builtin_ia32_pause();
#endif
	}
	return false;
}

static void *producer(void *arg)
{
	struct pipeline *pl = arg;
	/* events are read in the parser's buffers, not copied (if this fails
	 * none is handed_over, and batch_take() copies them) */
	sp_set_buffer_swap(pl->p, swap_buffer, pl);
	struct progress pg = {.p = pl->p, .trace_path = pl->trace_path, .quiet = pl->quiet,
	                      .start = pl->start, .last = pl->start};
	struct sp_event carry; /* read into a full batch: first event of the next */
	bool pending = false;
	for (;;) {
		spin_while(&pl->count, NBATCH);
		pthread_mutex_lock(&pl->mu);
		while (pl->count == NBATCH && !pl->stop)
			pthread_cond_wait(&pl->cv, &pl->mu);
		bool stop = pl->stop;
		pthread_mutex_unlock(&pl->mu);
		if (stop)
			return NULL;
		struct batch *b = &pl->b[pl->head];
		b->n = 0;
		b->used = 0;
		if (b->cap > BATCH_BYTES) { /* room made for one long event */
			free(b->arena);
			b->arena = NULL;
			b->cap = 0;
		}
		b->status = 1;
		for (;;) {
			/* the parser writes the event straight into its slot */
			if (pending) {
				b->ev[b->n] = carry;
			} else {
				int r = sp_next(pl->p, &b->ev[b->n]);
				if (r <= 0) {
					b->status = r;
					b->err = errno;
					break;
				}
				progress(&pg);
			}
			int a = batch_take(b);
			if (a < 0) {
				b->status = -1;
				b->err = ENOMEM;
				break;
			}
			pending = a == 0;
			if (pending)
				carry = b->ev[b->n];
			if (pending || b->n == BATCH_EVENTS || b->nbufs >= BATCH_BUFS)
				break;
		}
		int status = b->status;
		pthread_mutex_lock(&pl->mu);
		pl->head = (pl->head + 1) % NBATCH;
		__atomic_store_n(&pl->count, pl->count + 1, __ATOMIC_RELEASE);
		pthread_cond_broadcast(&pl->cv);
		pthread_mutex_unlock(&pl->mu);
		if (status != 1)
			return NULL;
	}
}

/* Runs every event of P through ST. 0, -1 read error (errno kept in
 * *read_err), -2 out of memory in stats (*line: the event's line). */
/* CPUs this process may run on (1 when that cannot be told). */
static int usable_cpus(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		return CPU_COUNT(&set);
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

static int run_events(struct sp_parser *p, struct stats *st, struct ring_merge *rm,
                      const struct analysis_input *in, double start, int *read_err,
                      unsigned long *line)
{
	/* With one CPU the two stages would only take turns (and hand over
	 * every batch): the inline loop below does the same work without. */
	struct pipeline *pl = NULL;
	/* aligned: an event shares no cache line with another (or the lock) */
	size_t plsize = (sizeof(struct pipeline) + 63) / 64 * 64;
	if (usable_cpus() > 1)
		pl = aligned_alloc(64, plsize);
	if (pl)
		memset(pl, 0, plsize);
	pthread_t th;
	bool threaded = false;
	if (pl) {
		pl->p = p;
		pl->trace_path = in->trace_path;
		pl->quiet = in->quiet;
		pl->start = start;
		if (pthread_mutex_init(&pl->mu, NULL) == 0) {
			if (pthread_cond_init(&pl->cv, NULL) == 0) {
				threaded = pthread_create(&th, NULL, producer, pl) == 0;
				if (!threaded)
					pthread_cond_destroy(&pl->cv);
			}
			if (!threaded)
				pthread_mutex_destroy(&pl->mu);
		}
	}
	int rc = 0;
	if (!threaded) { /* the same work on this thread */
		free(pl);
		struct sp_event ev;
		int r;
		struct progress pg = {.p = p, .trace_path = in->trace_path, .quiet = in->quiet,
		                      .start = start, .last = start};
		while ((r = sp_next(p, &ev)) > 0) {
			if ((rm && ring_merge_before(rm, &ev) < 0) || stats_event(st, &ev) < 0) {
				*line = ev.line;
				return -2;
			}
			progress(&pg);
		}
		if (r < 0) {
			*read_err = errno;
			return -1;
		}
		return rm && ring_merge_finish(rm) < 0 ? -2 : 0;
	}
	for (;;) {
		spin_while(&pl->count, 0);
		pthread_mutex_lock(&pl->mu);
		while (pl->count == 0)
			pthread_cond_wait(&pl->cv, &pl->mu);
		pthread_mutex_unlock(&pl->mu);
		struct batch *b = &pl->b[pl->tail];
		for (size_t i = 0; i < b->n && rc == 0; i++) {
			/* ring requests due before the event go first (ring_merge.h) */
			if ((rm && ring_merge_before(rm, &b->ev[i]) < 0) ||
			    stats_event(st, &b->ev[i]) < 0) {
				*line = b->ev[i].line;
				rc = -2;
			}
		}
		int status = b->status;
		if (rc == 0 && status < 0) {
			*read_err = b->err;
			rc = -1;
		}
		pthread_mutex_lock(&pl->mu);
		release_buffers(pl, b);
		pl->tail = (pl->tail + 1) % NBATCH;
		__atomic_store_n(&pl->count, pl->count - 1, __ATOMIC_RELEASE);
		if (rc != 0)
			pl->stop = true;
		pthread_cond_broadcast(&pl->cv);
		pthread_mutex_unlock(&pl->mu);
		if (rc != 0 || status != 1)
			break;
	}
	pthread_join(th, NULL);
	if (rc == 0 && rm && ring_merge_finish(rm) < 0)
		rc = -2;
	pthread_cond_destroy(&pl->cv);
	pthread_mutex_destroy(&pl->mu);
	for (size_t i = 0; i < NBATCH; i++) {
		free(pl->b[i].arena);
		for (size_t k = 0; k < pl->b[i].nbufs; k++) /* batches never read */
			free(pl->b[i].bufs[k].p);
		free(pl->b[i].bufs);
	}
	for (size_t i = 0; i < pl->npool; i++)
		free(pl->pool[i].p);
	free(pl);
	return rc;
}

/* --- ring requests -------------------------------------------------------- */

/* Tells ST how the ring's requests are known and, when their arguments
 * were captured, sets up their merge into the events (*RM). 0, or -1 out
 * of memory. */
static int ring_begin(const struct analysis_input *in, struct stats *st, struct ring_merge **rm,
                      struct uring_reqs **owned)
{
	*rm = NULL;
	*owned = NULL;
	const struct uring_req *reqs = in->uring_reqs;
	size_t n = in->n_uring_reqs;
	uint64_t lost = in->uring_reqs_lost;
	const struct uring_reqs_info *info = NULL;
	char why[512] = "";
	if (!reqs && in->uring_events_path) {
		/* a BPF capture holds each request's arguments; anything else
		 * (the tracefs text of older runs) at most opcode counts */
		if (uring_reqs_read(in->uring_events_path, owned, why, sizeof(why)) == 0) {
			reqs = uring_reqs_list(*owned, &n);
			info = uring_reqs_stats(*owned);
			lost = info->lost;
			if (!reqs) {
				static const struct uring_req none;
				reqs = &none;
				n = 0;
			}
		}
	}
	if (reqs) {
		struct stats_ring_capture cap = {.capture = "bpf", .lost = lost};
		if (info)
			cap.async_by_op = info->async_by_op;
		if (info && info->cost_known) {
			cap.cost_known = true;
			cap.bpf_runs = info->bpf_runs;
			cap.bpf_ns = info->bpf_ns;
			cap.consumer_ns = info->consumer_ns;
			cap.wall_ns = info->wall_ns;
		}
		if (stats_ring_begin(st, reqs, n, &cap) < 0)
			return -1;
		*rm = ring_merge_new(st, reqs, n);
		return *rm ? 0 : -1;
	}
	/* opcode counts at most (a tracefs text capture, read by
	 * add_uring_ops): ring_ops_from_counts completes the figures */
	struct stats_ring_capture cap = {
	    .capture = "none",
	    .reason = in->uring_events_path
	                  ? "the capture holds opcode counts only, not the requests' dirfds and "
	                    "paths"
	              : in->uring_ops_reason ? in->uring_ops_reason
	                                     : "no io_uring capture",
	};
	return stats_ring_begin(st, NULL, 0, &cap);
}

/* With opcode counts but no arguments (io_uring.ops read from a tracefs
 * capture): io_uring.ring_ops says how many requests took a path and so
 * could not be classified. */
static void ring_ops_from_counts(json_t *model)
{
	json_t *u = json_object_get(model, "io_uring");
	json_t *ro = json_object_get(u, "ring_ops");
	json_t *ops = json_object_get(u, "ops");
	const char *cap = json_string_value(json_object_get(ro, "capture"));
	if (!ro || !cap || strcmp(cap, "none") != 0)
		return;
	if (!json_is_string(json_object_get(u, "ops_source"))) {
		json_t *why = json_object_get(u, "ops_reason");
		if (json_is_string(why)) /* the capture could not be read: why */
			json_object_set(ro, "reason", why);
		return;
	}
	json_int_t requests = 0, path_taking = 0;
	const char *k;
	json_t *v;
	json_object_foreach(ops, k, v)
	{
		json_int_t n = json_integer_value(v);
		requests += n;
		for (unsigned op = 0; op < 256; op++) {
			const struct sc_uring_op *e = sc_uring_op(op);
			if (!e)
				break;
			if (strcmp(e->name, k) != 0)
				continue;
			const struct sc_info *row = sc_for_uring_op(op);
			if (row && row->path_arg != SC_NO_ARG)
				path_taking += n;
			break;
		}
	}
	json_object_set_new(ro, "capture", json_string("counts"));
	json_object_set_new(ro, "requests", json_integer(requests));
	json_object_set_new(ro, "path_taking", json_integer(path_taking));
	json_object_set_new(ro, "unclassified_path_ops", json_integer(path_taking));
	json_t *lost = json_object_get(u, "ops_lost_events");
	json_object_set_new(ro, "lost", json_is_integer(lost) ? json_incref(lost) : json_null());
}

/* --trace: no copy was made here (the header says so, or there is no run) */
static bool is_trace_mode(const struct analysis_input *in)
{
	const char *mode = json_string_value(json_object_get(in->header, "mode"));
	if (mode)
		return strcmp(mode, "trace") == 0;
	return in->run == NULL;
}

json_t *analysis_build_model(const struct analysis_input *in, char *err, size_t errlen)
{
	if (!in || !in->trace_path) {
		snprintf(err, errlen, "no trace file given");
		return NULL;
	}
	json_t *own_rules = NULL, *rules = in->rules;
	if (!rules) {
		own_rules = rules_load(NULL, err, errlen);
		if (!own_rules)
			return NULL;
		rules = own_rules;
	}
	struct stats_config cfg = {
	    .src_root = in->src_root,
	    .dst_root = in->dst_root,
	    .operands = in->operands,
	    .n_operands = in->n_operands,
	    .files = in->dataset_files,
	    .n_files = in->dataset_files ? in->n_dataset_files : 0,
	    .max_pairs = (size_t)rule_num(rules, "toctou", "max_pairs_listed", 100),
	    .outlier_factor = rule_num(rules, "files", "outlier_factor", 2),
	    .outlier_min_excess = rule_num(rules, "files", "outlier_min_excess", 8),
	    .outlier_max = (size_t)rule_num(rules, "files", "outlier_max", 10),
	};
	json_t *model = NULL;
	struct stats *st = NULL;
	struct ring_merge *rm = NULL;
	struct uring_reqs *ureqs = NULL;
	errno = 0;
	struct sp_parser *p = sp_open_path(in->trace_path);
	if (!p) {
		snprintf(err, errlen, "cannot open trace %s: %s", in->trace_path,
		         strerror(errno ? errno : ENOENT));
		goto out;
	}
	st = stats_new(&cfg, err, errlen);
	if (!st)
		goto out;
	if (ring_begin(in, st, &rm, &ureqs) < 0) {
		snprintf(err, errlen, "out of memory merging the io_uring requests of %s",
		         in->trace_path);
		goto out;
	}
	/* the figures use durations; clocks only to place ring requests */
	sp_set_times(p, rm != NULL);
	double start = now();
	int read_err = 0;
	unsigned long bad_line = 0;
	int r = run_events(p, st, rm, in, start, &read_err, &bad_line);
	if (r == -2) {
		snprintf(err, errlen, "out of memory analyzing %s (line %lu)", in->trace_path,
		         bad_line);
		goto out;
	}
	if (r < 0) {
		snprintf(err, errlen, "cannot read trace %s: %s", in->trace_path,
		         strerror(read_err ? read_err : EIO));
		goto out;
	}
	const struct sp_stats *ps = sp_get_stats(p);
	struct stats_figures fig;
	stats_figures(st, &fig);

	model = json_object();
	json_object_set_new(model, "schema", json_integer(MODEL_SCHEMA));
	json_object_set_new(
	    model, "tool",
	    json_pack("{s:s,s:s}", "name", "arsync-analyze", "version", ARSYNC_VERSION));
	json_object_set_new(model, "header", header_section(in, ps, &fig));
	json_object_set_new(model, "run",
	                    in->run ? json_deep_copy(in->run)
	                            : json_pack("{s:n,s:n,s:n,s:n,s:n}", "files", "bytes",
	                                        "wall_seconds", "mb_per_s", "exit_status"));
	json_object_set_new(model, "trace", trace_section(ps, &fig));
	if (stats_to_model(st, model, json_object_get(rules, "legacy_modern")) < 0) {
		snprintf(err, errlen, "out of memory building the model for %s", in->trace_path);
		json_decref(model);
		model = NULL;
		goto out;
	}
	add_uring_ops(in, model);
	ring_ops_from_counts(model);
	json_object_set_new(model, "verification", verification_section(in));

	struct check_input ci = {
	    .verification = json_object_get(model, "verification"),
	    .trace_mode = is_trace_mode(in),
	    .fig = fig,
	    .calls_for = calls_for,
	    .ud = st,
	};
	basis(in, &fig, model, &ci);
	if (checks_evaluate(rules, &ci, model, err, errlen) < 0) {
		json_decref(model);
		model = NULL;
		goto out;
	}
	if (!in->quiet)
		fprintf(stderr, "arsync-analyze: %s: %lu lines, %lu syscalls in %.2f s\n",
		        in->trace_path, ps->lines, ps->syscalls, now() - start);
out:
	ring_merge_free(rm);
	uring_reqs_free(ureqs);
	stats_free(st);
	sp_free(p);
	json_decref(own_rules);
	return model;
}

int analysis_exit_status(json_t *model, int fail_on_warn)
{
	int rank = check_status_rank(json_string_value(json_object_get(model, "verdict")));
	if (rank == 2)
		return 2;
	if (rank == 1 && fail_on_warn)
		return 1;
	return 0;
}
