/* stats_internal: what the parts of the aggregation stage share.
 *
 * stats.c owns the per-syscall accumulators and dispatches each event:
 * event_refs.c resolves what the event names (paths, dirfd + name, fds)
 * through the fd table, phases.c finds where the copy starts, fd_track.c
 * applies the event to the fd table, ring_stats.c counts io_uring
 * submissions and waits per ring, attribution.c counts calls per dataset
 * file, pairs.c finds check-then-use pairs and escapes.c the writes
 * outside SRC and DST. Each part keeps its own
 * state in its struct below and adds its own sections to the model.
 * Nothing here is seen outside analyzer/stats*.c and its parts.
 */
#ifndef ARSYNC_STATS_INTERNAL_H
#define ARSYNC_STATS_INTERNAL_H

#include "classify.h"
#include "fd_table.h"
#include "stats.h"
#include "strpool.h"
#include "syscall_table.h"
#include "uring_reqs.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define PATH_BUF 8192

/* io_uring opcodes whose completion changes the fd table (enum io_uring_op;
 * FIXED_FD_INSTALL is newer than some installed headers) */
enum {
	UOP_OPENAT = 18,
	UOP_CLOSE = 19,
	UOP_OPENAT2 = 28,
	UOP_LINKAT = 39,
	UOP_FIXED_FD_INSTALL = 54,
};
#define MAX_ARGS 8
#define MAX_REFS 3

/* One syscall name's figures and what the analysis knows about it. */
struct sc_acc {
	const struct sc_info *info;
	uint64_t calls, returned, errors, startup, copy;
	double seconds;
	uint64_t access[AC__COUNT], access_copy[AC__COUNT];
	uint64_t root_copy; /* copy-phase path-based calls on exactly the SRC/DST operand */
	uint64_t dio[FDK__COUNT], dio_copy_regular, dio_copy_other;
	uint64_t meta_fd, meta_path; /* copy phase */
	uint64_t pairs_as_check, pairs_as_use;
	uint64_t via_ring, via_ring_copy; /* classified calls made through the ring */
	uint64_t ring_calls;              /* ring requests of this name (not in calls) */
	enum sc_fd_effect spc;            /* its row's effect on the fd table */
	int dio_in, dio_out; /* data fd args, -1 if none */
	bool is_stat, is_open, is_meta_set, is_write, needs_args, fd_meta, ready;
	bool is_utimensat, is_symlink, is_rename, is_creat;
	bool kernel_copy; /* its row moves data in the kernel, fd to fd */
	bool writes; /* its row writes to the file system (escapes) */
	int want_args; /* leading arguments the analysis reads (split only those) */
};

struct intset {
	uint64_t *v; /* key + 1, 0 = empty */
	size_t n, cap;
};

/* Adds KEY; true when it was not there. *OOM set when out of memory. */
bool intset_add(struct intset *s, uint64_t key, bool *oom);

/* --- attribution.c: calls per dataset file ------------------------------ */

struct file_acc {
	uint64_t syscalls; /* direct calls */
	uint64_t ring_ops; /* ring requests */
	uint64_t path_based, fd_based, cwd_relative, statx, opens, direct_io;
	int32_t merged_into; /* pending entry renamed onto a dataset file, else -1 */
	uint32_t path;
};

struct ino_file {
	unsigned long long ino;
	int32_t file;
};

struct attribution {
	struct file_acc *files;
	size_t nfiles, files_cap; /* first cfg.n_files are the dataset */
	int32_t *path_file;       /* per path id: file_acc index, -1 */
	size_t path_cap;
	struct ino_file *inos; /* destination inodes of the dataset files, sorted */
	size_t ninos;
};

/* --- ring_stats.c: io_uring submissions and waits per ring --------------- */

struct ring {
	int pid, fd;       /* fd -1: a registered ring whose fd is unknown */
	int reg_index;     /* its index in the registered-ring table, or -1 */
	long long entries; /* -1: setup not in the trace */
	char flags[160];
	bool sqpoll;
	uint64_t enter, submit, wait, sqes, batch_max;
};

/* Requests of one opcode (ops_detail). */
struct ring_op_stat {
	uint64_t count, async, completed;
	json_t *failed;   /* {ERRNAME: n}, NULL until one fails */
	uint64_t *lat_ns; /* submit -> complete of each completed request */
	size_t nlat, lat_cap;
};

/* A registered file table slot that holds a file opened through the ring. */
struct ring_slot {
	uint64_t ring;
	uint32_t slot;
	uint32_t path; /* strpool id, FD_NO_PATH: used but unknown */
	bool used;
};

/* One entry of a thread's registered-ring table (IORING_REGISTER_RING_FDS):
 * io_uring_enter with IORING_ENTER_REGISTERED_RING names INDEX, not an fd. */
struct ring_reg {
	int pid, index;
	int32_t ring; /* index in ring_stats.rings */
};

struct ring_stats {
	struct ring *rings;
	size_t nrings, rings_cap;
	struct ring_reg *regs; /* live registrations */
	size_t nregs, regs_cap;
	uint64_t setup, enter, register_calls;
	uint64_t submit_calls, wait_calls, sqes_submitted, batch_max, sqpoll_rings;
	uint64_t hist[5];
	uint64_t submit_failed;
	json_t *errors;
	struct intset pids;

	/* ring operations (stats_ring_begin): the capture's requests */
	bool ops_active;
	const struct uring_req *reqs;
	size_t nreqs;
	uint32_t *open_path;            /* per request: what an OPENAT opened (path id) */
	struct ring_op_stat *op;        /* per opcode (256) */
	uint64_t requests, path_taking, unclassified, fixed_ops, unattributed_fixed;
	uint64_t classified[AC__COUNT]; /* ring requests by access class */
	struct ring_slot *slots;        /* open addressing on (ring, slot) */
	size_t nslots, slots_cap;
	char capture[16];
	char *reason, *clock, *tie_rule;
	uint64_t lost;
	struct stats_ring_capture cost; /* its cost fields only */
};

/* --- pairs.c: check-then-use pairs --------------------------------------- */

/* Why a pair is not counted: it says nothing about the copy's own trees. */
enum pair_scope {
	PAIR_SCORED = 0,    /* on SRC or DST, both sides in the copy phase, not both failed */
	PAIR_OUTSIDE_TREES, /* its path lies outside SRC and DST */
	PAIR_STARTUP,       /* its check or its use was made in the start-up phase */
	PAIR_FAILED,        /* its check and its use both failed */
	PAIR__COUNT
};

struct pair {
	uint32_t check, use; /* name ids */
	uint32_t path;
	unsigned long check_line, use_line;
	int pid, check_pid;
	bool path_named;               /* a side was path_based or cwd_relative */
	bool check_via_ring, use_via_ring; /* a side was a ring request: its line is the
	                                    * submitting io_uring_enter's, 0 until known */
	uint32_t check_file, use_file; /* trace files (strace -ff writes one per pid) */
	uint64_t check_key, use_key;   /* ring sides: the request's time key */
	enum pair_scope scope;
};

struct check_rec {
	unsigned long line; /* 0 = none (1 for a ring request) */
	uint32_t name;
	uint32_t file;
	int pid;
	bool path_named;
	bool via_ring;
	bool copy;    /* made in the copy phase */
	bool failed;  /* returned an error */
	uint64_t key; /* ring request: its time key */
};

/* The pairs of one scope: every one counted, the first distinct (path,
 * check, use) triples listed. */
struct pair_list {
	struct pair *v;
	size_t n;
	struct intset triples;
};

struct pairs {
	struct check_rec *checks; /* per path id: its last check */
	size_t checks_cap;
	struct pair *list; /* the scored pairs: the first distinct triples */
	size_t n;
	uint64_t count, count_path;
	struct intset triples;
	struct pair_list excluded; /* the pairs of every other scope */
	uint64_t excluded_count[PAIR__COUNT];
	const char *last_file; /* trace_file_id cache */
	uint32_t last_file_id;
};

/* --- phases.c: start-up vs copy ------------------------------------------ */

struct phases {
	bool anchor_found;
	char anchor_name[64];
	char anchor_path[PATH_BUF];
	unsigned long anchor_line; /* 0: a ring request's, not resolved */
	int anchor_pid;
	bool anchor_via_ring;
	uint64_t anchor_key;
	uint32_t anchor_file; /* a ring anchor's resolved trace file, STRPOOL_NONE */
};

/* --- escapes.c: writes outside SRC and DST --------------------------------- */

#define ESCAPES_LISTED 500

struct escape {
	uint32_t call, path; /* names-pool and paths-pool ids */
	unsigned long line;  /* 0: a ring request's, not resolved yet */
	int pid;
	bool via_ring;
	uint64_t key;  /* ring request: its time key */
	uint32_t file; /* trace file, STRPOOL_NONE */
};

struct escapes {
	const char *trees[8]; /* SRC and DST, or (--trace) the absolute operands */
	size_t ntrees;
	bool known, from_operands;
	struct escape *list; /* the first ESCAPES_LISTED */
	size_t n, cap;
	uint64_t count, unresolved;
};

/* --- the stage --------------------------------------------------------------- */

struct evctx;

struct stats {
	struct stats_config cfg;
	char src_root[PATH_BUF], dst_root[PATH_BUF];
	bool have_roots;
	char **operands; /* normalized cfg->operands */
	size_t n_operands;
	struct strpool *names, *paths;
	struct sc_acc *accs;
	size_t naccs;
	struct fd_tables *fdt;
	uint8_t *path_flags; /* per path id: PF_* */
	size_t path_flags_cap;

	struct attribution attr;
	struct ring_stats ring;
	struct pairs pairs;
	struct phases phase;
	struct escapes esc;

	struct stats_figures fig;
	uint64_t ut_fd_null, ut_dirfd, ut_path; /* utimensat forms, copy phase */
	uint64_t meta_fd_all, meta_path_all;
	struct evctx *ctx;    /* per-event scratch, allocated once */
	uint32_t *row_name;   /* syscall table row -> names-pool id, STRPOOL_NONE */
	struct name_slot {    /* direct-mapped cache: name -> names-pool id */
		uint64_t w0, w1; /* its first 16 bytes, zero padded */
		uint32_t len, id; /* len 0: empty slot */
	} name_cache[256];
	int nrows;
	const struct sc_info *rows;
	int last_pid; /* fdt_for_pid cache: valid until a clone or exit */
	struct fd_table *last_tab;
	bool last_tab_valid;
	bool oom;
};

enum { PF_CREATED = 1 };

/* One path or fd an event names, resolved. */
struct ref {
	uint32_t path; /* resolved path id (interned lazily), STRPOOL_NONE */
	char *str;     /* resolved path text ("" if unknown) */
	enum access_class cls;
	bool named;       /* a path string named the target (TOCTOU-relevant) */
	bool raw_startup; /* path string is a loader/libc path */
};

/* The event being aggregated and what is known about it so far. */
struct evctx {
	struct stats *s;
	const struct sp_event *ev;
	struct sc_acc *acc;
	struct fd_table *tab;
	struct sp_arg args[MAX_ARGS];
	int nargs;
	struct ref refs[MAX_REFS];
	int nrefs;
	char bufs[MAX_REFS][PATH_BUF];
	enum access_class cls; /* of the call */
	bool classified;
	int dio_kind;
	uint32_t name_id;
	const struct uring_req *rq; /* a ring request, NULL for a direct call */
	uint64_t ring_key;          /* its time key */
	struct sp_event ring_ev;    /* what EV points at for a ring request */
};

/* stats.c */
/* PATH's id in the paths pool; STRPOOL_NONE (and s->oom) when out of memory. */
uint32_t stats_intern_path(struct stats *s, const char *p, size_t len);
/* Marks path ID as a regular file created by the trace (counted once). */
void stats_note_created(struct stats *s, uint32_t id);

struct name_count {
	const char *name;
	uint64_t n;
};
int stats_cmp_name_count(const void *a, const void *b);
/* Names with a non-zero GET, sorted by it (descending, then by name). */
size_t stats_collect(const struct stats *s, struct name_count *out,
                     uint64_t (*get)(const struct sc_acc *));
json_t *stats_num_or_null(bool known, double v);

/* --- argument helpers (event_refs.c, fd_track.c, ring_stats.c) ----------- */

/* sp_arg_fd, also for the decoration of a file that is unlinked (an
 * O_TMPFILE not linked in yet): "21</dst/#11010027>(deleted)". */
static inline bool arg_fd(const struct sp_arg *a, int *fd, char *decor, size_t decor_size)
{
	if (sp_arg_fd(a, fd, decor, decor_size))
		return true;
	static const char deleted[] = "(deleted)";
	size_t dl = sizeof(deleted) - 1;
	if (a->len > dl && !memcmp(a->s + a->len - dl, deleted, dl)) {
		struct sp_arg cut = {a->s, a->len - dl};
		return sp_arg_fd(&cut, fd, decor, decor_size);
	}
	return false;
}

static inline bool arg_number(const struct evctx *c, int i, long long *v)
{
	if (i < 0 || i >= c->nargs || i >= MAX_ARGS)
		return false;
	return sp_arg_number(&c->args[i], v);
}

/* memmem for the short haystacks and needles of flag arguments, without
 * its setup cost: a position is compared whole only when its first and
 * last bytes match (flags all begin with the same "O_", "SOCK_"...). */
static inline bool contains(const char *h, size_t hl, const char *n, size_t nl)
{
	if (nl == 0)
		return true;
	if (hl < nl)
		return false;
	const char first = n[0], last = n[nl - 1];
	for (size_t i = 0; i + nl <= hl; i++)
		if (h[i] == first && h[i + nl - 1] == last && memcmp(h + i, n, nl) == 0)
			return true;
	return false;
}

static inline bool arg_contains(const struct evctx *c, int i, const char *needle)
{
	if (i < 0 || i >= c->nargs || i >= MAX_ARGS)
		return false;
	return contains(c->args[i].s, c->args[i].len, needle, strlen(needle));
}

/* event_refs.c: what the event names */
/* Splits the arguments the analysis reads and adds the event's references
 * (path arguments, dirfd + name, data and metadata fds); sets c->cls,
 * c->classified, c->dio_kind. */
void refs_resolve(struct evctx *c);
/* The process's current directory is DECOR (an absolute path). */
void refs_note_cwd(struct evctx *c, const char *decor);
/* The references of ring request c->rq: its dirfd(s) and path(s), or its fd
 * (a registered file through the ring's slots); sets c->cls, c->classified. */
void refs_resolve_ring(struct evctx *c);

/* phases.c */
void phases_event(struct stats *s, const struct evctx *c);
void phases_to_model(const struct stats *s, const struct stats_figures *f,
                     struct name_count *nc, json_t *model);

/* fd_track.c: the event's effect on the fd table (and, through
 * ring_stats, the rings) */
void fd_track_event(struct evctx *c);
/* Ring request I completed: its effect on the fd table of TAB (or on the
 * ring's registered files). */
void fd_track_ring_complete(struct stats *s, struct fd_table *tab, size_t i);

/* ring_stats.c */
int ring_stats_init(struct ring_stats *r);
void ring_stats_free(struct ring_stats *r);
void ring_stats_event(struct evctx *c);
void ring_stats_figures(const struct ring_stats *r, struct stats_figures *f);
json_t *ring_stats_json(const struct ring_stats *r);
/* Request RQ's opcode figures (count, failures, punts, latency). */
void ring_stats_op(struct stats *s, const struct uring_req *rq);
/* The path id of registered file SLOT of RING, FD_NO_PATH if unknown;
 * *FOUND whether the slot is known to hold a file opened in the ring. */
uint32_t ring_slot_get(const struct ring_stats *r, uint64_t ring, uint32_t slot, bool *found);
void ring_slot_set(struct stats *s, uint64_t ring, uint32_t slot, uint32_t path);
void ring_slot_clear(struct ring_stats *r, uint64_t ring, uint32_t slot);

/* attribution.c */
int attribution_init(struct stats *s);
void attribution_free(struct attribution *a);
void attribution_event(struct evctx *c);
int attribution_to_model(const struct stats *s, json_t *model);

/* escapes.c */
void escapes_init(struct stats *s);
void escapes_free(struct escapes *e);
/* A copy-phase call whose row writes (c->acc->writes). */
void escapes_event(struct evctx *c);
void escapes_lines(struct stats *s, stats_line_fn resolve, void *ctx);
json_t *escapes_json(const struct stats *s);
/* P (an absolute path) lies outside SRC and DST; false when the trees are
 * unknown or P is not absolute. */
bool escapes_path_outside(const struct stats *s, const char *p);

/* pairs.c */
int pairs_init(struct stats *s);
void pairs_free(struct pairs *p);
void pairs_event(struct evctx *c);
void pairs_figures(const struct pairs *p, struct stats_figures *f);
json_t *pairs_json(const struct stats *s, const struct stats_figures *f);
void pairs_lines(struct stats *s, stats_line_fn resolve, void *ctx);
uint32_t pairs_trace_file_id(struct stats *s, const char *file);

#endif
