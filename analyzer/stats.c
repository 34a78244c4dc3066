/* stats: the aggregation stage, one pass over the events. Syscall names
 * and paths are interned (strpool) so per-name and per-path data live in
 * arrays indexed by id. This file keeps the per-syscall accumulators and
 * dispatches each event to the parts (see stats_internal.h): what it
 * names (event_refs), the phase (phases), the fd table (fd_track), the
 * rings (ring_stats), the files (attribution), the pairs (pairs) and the
 * writes outside SRC and DST (escapes). */
#include "stats.h"

#include "stats_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool intset_add(struct intset *s, uint64_t key, bool *oom)
{
	if ((s->n + 1) * 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		uint64_t *v = calloc(cap, sizeof(*v));
		if (!v) {
			*oom = true;
			return false;
		}
		for (size_t i = 0; i < s->cap; i++) {
			if (!s->v[i])
				continue;
			size_t j = (s->v[i] * 0x9E3779B97F4A7C15ull) >> 40 & (cap - 1);
			while (v[j])
				j = (j + 1) & (cap - 1);
			v[j] = s->v[i];
		}
		free(s->v);
		s->v = v;
		s->cap = cap;
	}
	uint64_t k = key + 1;
	size_t j = (k * 0x9E3779B97F4A7C15ull) >> 40 & (s->cap - 1);
	while (s->v[j]) {
		if (s->v[j] == k)
			return false;
		j = (j + 1) & (s->cap - 1);
	}
	s->v[j] = k;
	s->n++;
	return true;
}

uint32_t stats_intern_path(struct stats *s, const char *p, size_t len)
{
	uint32_t id = strpool_intern(s->paths, p, len);
	if (id == STRPOOL_NONE)
		s->oom = true;
	return id;
}

void stats_note_created(struct stats *s, uint32_t id)
{
	if (id >= s->path_flags_cap) {
		size_t cap = s->path_flags_cap ? s->path_flags_cap : 1024;
		while (cap <= id)
			cap *= 2;
		uint8_t *fl = realloc(s->path_flags, cap);
		if (!fl) {
			s->oom = true;
			return;
		}
		memset(fl + s->path_flags_cap, 0, cap - s->path_flags_cap);
		s->path_flags = fl;
		s->path_flags_cap = cap;
	}
	if (!(s->path_flags[id] & PF_CREATED)) {
		s->path_flags[id] |= PF_CREATED;
		s->fig.files_created++;
	}
}

struct stats *stats_new(const struct stats_config *cfg, char *err, size_t errlen)
{
	struct stats *s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->cfg = *cfg;
	if (!s->cfg.max_pairs)
		s->cfg.max_pairs = 100;
	if (s->cfg.outlier_factor <= 0)
		s->cfg.outlier_factor = 2;
	if (!s->cfg.outlier_max)
		s->cfg.outlier_max = 10;
	s->names = strpool_new();
	s->paths = strpool_new();
	s->fdt = fdt_new();
	s->ctx = malloc(sizeof(*s->ctx));
	s->rows = sc_all(&s->nrows);
	s->row_name = malloc(((size_t)s->nrows + 1) * sizeof(*s->row_name));
	if (!s->names || !s->paths || !s->fdt || !s->ctx || !s->row_name ||
	    ring_stats_init(&s->ring) < 0 || pairs_init(s) < 0)
		goto oom;
	for (int i = 0; i <= s->nrows; i++)
		s->row_name[i] = STRPOOL_NONE;
	if (cfg->src_root && *cfg->src_root)
		path_normalize(cfg->src_root, strlen(cfg->src_root), s->src_root,
		               sizeof(s->src_root));
	if (cfg->dst_root && *cfg->dst_root)
		path_normalize(cfg->dst_root, strlen(cfg->dst_root), s->dst_root,
		               sizeof(s->dst_root));
	s->have_roots = s->src_root[0] || s->dst_root[0];
	if (cfg->n_operands) {
		s->operands = calloc(cfg->n_operands, sizeof(*s->operands));
		if (!s->operands)
			goto oom;
		for (size_t i = 0; i < cfg->n_operands; i++) {
			char buf[PATH_BUF];
			const char *o = cfg->operands[i] ? cfg->operands[i] : "";
			if (o[0] != '/' || !path_normalize(o, strlen(o), buf, sizeof(buf)))
				continue;
			if (!(s->operands[s->n_operands] = strdup(buf)))
				goto oom;
			s->n_operands++;
		}
	}
	if (attribution_init(s) < 0)
		goto oom;
	escapes_init(s);
	return s;
oom:
	snprintf(err, errlen, "out of memory setting up the analysis");
	stats_free(s);
	return NULL;
}

void stats_free(struct stats *s)
{
	if (!s)
		return;
	strpool_free(s->names);
	strpool_free(s->paths);
	fdt_free(s->fdt);
	free(s->accs);
	free(s->path_flags);
	attribution_free(&s->attr);
	ring_stats_free(&s->ring);
	pairs_free(&s->pairs);
	escapes_free(&s->esc);
	free(s->ctx);
	free(s->row_name);
	for (size_t i = 0; i < s->n_operands; i++)
		free(s->operands[i]);
	free(s->operands);
	free(s);
}

/* --- per-syscall accumulator -------------------------------------------- */

static int max_int(int a, int b) { return a > b ? a : b; }

/* How many leading arguments the analysis of ACC reads: every index used
 * by add_path_ref, add_fd_ref, on_fd_result, on_fd_pair, on_uring and the
 * close/close_range/mknod cases below, plus one. */
static int wanted_args(const struct sc_acc *acc)
{
	const struct sc_info *in = acc->info;
	int m = -1;
	if (in) {
		m = max_int(m, max_int(in->path_arg, in->dirfd_arg));
		m = max_int(m, max_int(in->path2_arg, in->dirfd2_arg));
		m = max_int(m, in->fd_arg);
		/* open flags, mknod mode. The AT_ flags argument is not split:
		 * classify_access gives the same class with or without
		 * AT_EMPTY_PATH, so add_path_ref reads it only when it is there. */
		if (in->path_arg != SC_NO_ARG && (acc->spc == SPC_OPEN || acc->spc == SPC_MKNOD))
			m = max_int(m, in->path_arg + 1);
	}
	m = max_int(m, max_int(acc->dio_in, acc->dio_out));
	static const int spc_max[] = {
	    [SPC_DUP] = 2,           [SPC_FCNTL] = 1,         [SPC_CLOSE] = 0,
	    [SPC_CLOSE_RANGE] = 2,   [SPC_PIPE] = 1,          [SPC_SOCKETPAIR] = 4,
	    [SPC_SOCKET] = 3,        [SPC_EVENTFD] = 1,       [SPC_URING_SETUP] = 1,
	    [SPC_URING_ENTER] = 3,   [SPC_URING_REGISTER] = 2,
	};
	if ((size_t)acc->spc < sizeof(spc_max) / sizeof(spc_max[0]))
		m = max_int(m, spc_max[acc->spc]);
	m++;
	return m < 1 ? 1 : m > MAX_ARGS ? MAX_ARGS : m;
}

/* The names-pool id of NAME: through the syscall table's row, so a known
 * name is hashed once per event by sc_lookup_len and interned only once. */
static uint32_t name_id_lookup(struct stats *s, const char *name, size_t len)
{
	const struct sc_info *row = sc_lookup_len(name, len);
	if (row) {
		size_t r = (size_t)(row - s->rows);
		if (s->row_name[r] == STRPOOL_NONE)
			s->row_name[r] = strpool_intern(s->names, name, len);
		return s->row_name[r];
	}
	return strpool_intern(s->names, name, len);
}

/* name_id_lookup behind a 256-slot cache keyed by the name's first 16
 * bytes and length (names of 16 bytes or less are compared whole here,
 * longer ones are checked against the pool). */
static inline __attribute__((always_inline)) uint32_t name_id_of(struct stats *s,
                                                                  const char *name, size_t len)
{
	/* Two words that, with the length, determine a name of up to 16
	 * bytes (overlapping loads inside the name: no copy through memory,
	 * which would stall the loads behind it, and no byte past its end). */
	uint64_t w0 = 0, w1 = 0;
	if (len >= 16) {
		memcpy(&w0, name, 8);
		memcpy(&w1, name + 8, 8);
	} else if (len >= 8) {
		memcpy(&w0, name, 8);
		memcpy(&w1, name + len - 8, 8);
	} else if (len >= 4) {
		uint32_t a, b;
		memcpy(&a, name, 4);
		memcpy(&b, name + len - 4, 4);
		w0 = a | (uint64_t)b << 32;
	} else if (len > 0) {
		w0 = (uint64_t)(unsigned char)name[0] | (uint64_t)(unsigned char)name[len / 2] << 8 |
		     (uint64_t)(unsigned char)name[len - 1] << 16;
	}
	uint64_t h = (w0 ^ (w1 * 0x9E3779B97F4A7C15ull) ^ len) * 0x9E3779B97F4A7C15ull;
	struct name_slot *ns = &s->name_cache[h >> 56];
	if (ns->len == len && ns->w0 == w0 && ns->w1 == w1 &&
	    (len <= 16 || memcmp(strpool_str(s->names, ns->id), name, len) == 0))
		return ns->id;
	uint32_t id = name_id_lookup(s, name, len);
	if (id != STRPOOL_NONE && len > 0 && len < UINT32_MAX)
		*ns = (struct name_slot){w0, w1, (uint32_t)len, id};
	return id;
}

/* The accumulator of name ID, grown and set up the first time (out of
 * line: once per distinct name). */
static __attribute__((noinline)) struct sc_acc *acc_new(struct stats *s, uint32_t id,
                                                        const char *name)
{
	if (id >= s->naccs) {
		size_t n = s->naccs ? s->naccs * 2 : 128;
		while (n <= id)
			n *= 2;
		struct sc_acc *a = realloc(s->accs, n * sizeof(*a));
		if (!a) {
			s->oom = true;
			return NULL;
		}
		memset(a + s->naccs, 0, (n - s->naccs) * sizeof(*a));
		s->accs = a;
		s->naccs = n;
	}
	struct sc_acc *acc = &s->accs[id];
	if (!acc->ready) {
		acc->ready = true;
		acc->info = sc_lookup(name);
		acc->dio_in = acc->dio_out = -1;
		const struct sc_info *in = acc->info;
		acc->spc = in ? in->fd_effect : SPC_NONE;
		unsigned traits = in ? in->traits : 0;
		acc->is_stat = traits & SC_TRAIT_STAT;
		acc->is_open = acc->spc == SPC_OPEN;
		acc->is_meta_set = traits & SC_TRAIT_META_CHANGE;
		acc->kernel_copy = traits & SC_TRAIT_KERNEL_COPY;
		if (in && in->data_io) {
			acc->dio_in = in->data_in_arg;
			acc->dio_out = in->data_out_arg;
		}
		acc->fd_meta = in && in->category == SC_METADATA && in->fd_arg != SC_NO_ARG &&
		               in->path_arg == SC_NO_ARG;
		acc->needs_args = acc->spc != SPC_NONE ||
		                  (in && (in->path_arg != SC_NO_ARG || in->fd_arg != SC_NO_ARG ||
		                          in->dirfd_arg != SC_NO_ARG || in->data_io));
		acc->want_args = wanted_args(acc);
		acc->is_utimensat = strcmp(name, "utimensat") == 0;
		acc->is_symlink = traits & SC_TRAIT_SYMLINK;
		acc->is_rename = traits & SC_TRAIT_RENAME;
		acc->is_creat = traits & SC_TRAIT_CREATES;
		acc->writes = in && in->writes != SC_WRITES_NONE;
	}
	return acc;
}

/* Inlined into both callers, the per-event path: the name cache and a
 * ready accumulator. */
static inline __attribute__((always_inline)) struct sc_acc *
acc_for(struct stats *s, const char *name, size_t len, uint32_t *id_out)
{
	uint32_t id = name_id_of(s, name, len);
	if (id == STRPOOL_NONE) {
		s->oom = true;
		return NULL;
	}
	*id_out = id;
	if (id < s->naccs && s->accs[id].ready)
		return &s->accs[id];
	return acc_new(s, id, name);
}
/* Every path-based reference of the event names the SRC or DST root itself
 * (or a command-line operand). */
static bool names_only_roots(const struct stats *s, const struct evctx *c)
{
	bool any = false;
	for (int i = 0; i < c->nrefs; i++) {
		const struct ref *r = &c->refs[i];
		if (r->cls != AC_PATH_BASED)
			continue;
		bool hit = r->str[0] && ((s->src_root[0] && strcmp(r->str, s->src_root) == 0) ||
		                         (s->dst_root[0] && strcmp(r->str, s->dst_root) == 0));
		for (size_t k = 0; !hit && r->str[0] && k < s->n_operands; k++)
			hit = strcmp(r->str, s->operands[k]) == 0;
		if (!hit)
			return false;
		any = true;
	}
	return any;
}

static inline __attribute__((always_inline)) void dispatch(struct stats *s, struct evctx *c);

int stats_event(struct stats *s, const struct sp_event *ev)
{
	s->fig.events++;
	if (ev->kind == SP_EXIT || ev->kind == SP_KILLED) {
		s->last_tab_valid = false;
		fdt_exit(s->fdt, ev->pid);
		return 0;
	}
	if (ev->kind != SP_SYSCALL)
		return 0;
	s->fig.syscalls++;
	if (ev->has_time)
		s->fig.has_time = true;
	if (ev->has_duration)
		s->fig.has_duration = true;
	if (ev->result_decor)
		s->fig.has_fd_paths = true;
	uint32_t name_id;
	struct sc_acc *acc =
	    acc_for(s, ev->name, ev->name_len ? ev->name_len : strlen(ev->name), &name_id);
	if (!acc)
		return -1;
	acc->calls++;
	if (ev->result_kind == SP_RES_NUMBER) {
		acc->returned++;
		if (ev->err_name)
			acc->errors++;
	}
	if (ev->has_duration)
		acc->seconds += ev->duration;

	struct evctx *c = s->ctx;
	c->s = s;
	c->name_id = name_id;
	c->ev = ev;
	c->acc = acc;
	c->nrefs = 0;
	c->nargs = 0;
	c->cls = AC_NONE;
	c->classified = false;
	c->dio_kind = -1;
	if (!s->last_tab_valid || s->last_pid != ev->pid) {
		s->last_tab = fdt_for_pid(s->fdt, ev->pid);
		s->last_pid = ev->pid;
		s->last_tab_valid = s->last_tab != NULL;
	}
	c->tab = s->last_tab;
	c->rq = NULL;
	/* each part gets only the events it reads (a call per event adds up) */
	if (acc->needs_args && ev->args)
		refs_resolve(c);
	dispatch(s, c);
	return s->oom ? -1 : 0;
}

/* The figures of one call, direct or through the ring, once its references
 * are resolved. */
static inline __attribute__((always_inline)) void dispatch(struct stats *s, struct evctx *c)
{
	struct sc_acc *acc = c->acc;
	bool ring = c->rq != NULL;
	if (!s->phase.anchor_found)
		phases_event(s, c);
	bool copy = s->phase.anchor_found;
	if (ring) {
		/* direct calls only: syscalls and phases match strace -c */
	} else if (copy) {
		acc->copy++;
		s->fig.copy_syscalls++;
	} else {
		acc->startup++;
		s->fig.startup_syscalls++;
	}
	if (c->classified && c->cls != AC_NONE) {
		acc->access[c->cls]++;
		if (ring) {
			acc->via_ring++;
			s->ring.classified[c->cls]++;
			if (copy)
				acc->via_ring_copy++;
		}
		if (copy) {
			acc->access_copy[c->cls]++;
			if (c->cls == AC_PATH_BASED && (s->have_roots || s->n_operands) &&
			    names_only_roots(s, c)) {
				s->fig.root_path_calls++;
				acc->root_copy++;
			}
			if (acc->is_meta_set) {
				if (c->cls == AC_FD_BASED)
					acc->meta_fd++;
				else
					acc->meta_path++;
			}
			if (acc->is_utimensat && c->nrefs > 0) {
				if (c->cls != AC_FD_BASED)
					s->ut_path++;
				else if (c->refs[0].named)
					s->ut_dirfd++;
				else
					s->ut_fd_null++;
			}
		}
		if (acc->is_meta_set) {
			if (c->cls == AC_FD_BASED)
				s->meta_fd_all++;
			else
				s->meta_path_all++;
		}
	}
	if (c->dio_kind >= 0 && !ring) {
		acc->dio[c->dio_kind]++;
		if (copy) {
			if (c->dio_kind == FDK_REGULAR)
				acc->dio_copy_regular++;
			else
				acc->dio_copy_other++;
		}
	}
	if (!ring && acc->spc != SPC_NONE)
		fd_track_event(c);
	if (s->cfg.n_files && c->nrefs)
		attribution_event(c);
	if (c->nrefs && acc->info && acc->info->toctou != SC_TOCTOU_NONE)
		pairs_event(c);
	if (acc->writes && copy)
		escapes_event(c);
}

/* --- ring operations ------------------------------------------------------- */

/* The fd table of PID, through the one-entry cache. */
static struct fd_table *table_for(struct stats *s, int pid)
{
	if (!s->last_tab_valid || s->last_pid != pid) {
		s->last_tab = fdt_for_pid(s->fdt, pid);
		s->last_pid = pid;
		s->last_tab_valid = s->last_tab != NULL;
	}
	return s->last_tab;
}

/* The process whose fd table a request uses: the submitting thread (strace
 * -f names threads by their tid), or for an SQPOLL ring's kernel thread
 * the process that owns the ring. */
static int req_pid(const struct uring_req *rq)
{
	return (int)(rq->sq_thread || !rq->tid ? rq->pid : rq->tid);
}

static char *dup_or_null(const char *p)
{
	return p ? strdup(p) : NULL;
}

int stats_ring_begin(struct stats *s, const struct uring_req *reqs, size_t n,
                     const struct stats_ring_capture *cap)
{
	struct ring_stats *r = &s->ring;
	r->ops_active = true;
	r->reqs = reqs;
	r->nreqs = n;
	r->lost = cap ? cap->lost : 0;
	if (cap && cap->cost_known) {
		r->cost.cost_known = true;
		r->cost.bpf_runs = cap->bpf_runs;
		r->cost.bpf_ns = cap->bpf_ns;
		r->cost.consumer_ns = cap->consumer_ns;
		r->cost.wall_ns = cap->wall_ns;
	}
	snprintf(r->capture, sizeof(r->capture), "%s", cap && cap->capture ? cap->capture : "none");
	free(r->reason);
	r->reason = dup_or_null(cap ? cap->reason : NULL);
	if (cap && cap->reason && !r->reason)
		return -1;
	if (!n)
		return 0;
	r->open_path = malloc(n * sizeof(*r->open_path));
	r->op = calloc(256, sizeof(*r->op));
	if (!r->open_path || !r->op)
		return -1;
	for (size_t i = 0; i < n; i++)
		r->open_path[i] = FD_NO_PATH;
	if (cap && cap->async_by_op)
		for (unsigned op = 0; op < 256; op++)
			r->op[op].async += cap->async_by_op[op];
	return 0;
}

void stats_ring_order(struct stats *s, const char *clock, const char *tie_rule)
{
	free(s->ring.clock);
	free(s->ring.tie_rule);
	s->ring.clock = dup_or_null(clock);
	s->ring.tie_rule = dup_or_null(tie_rule);
	if ((clock && !s->ring.clock) || (tie_rule && !s->ring.tie_rule))
		s->oom = true;
}

int stats_ring_submit(struct stats *s, size_t i, uint64_t key)
{
	struct ring_stats *r = &s->ring;
	if (i >= r->nreqs)
		return 0;
	const struct uring_req *rq = &r->reqs[i];
	ring_stats_op(s, rq);
	const struct sc_info *row = sc_for_uring_op(rq->opcode);
	if (!row)
		return s->oom ? -1 : 0;
	uint32_t name_id;
	struct sc_acc *acc = acc_for(s, row->name, strlen(row->name), &name_id);
	if (!acc)
		return -1;
	acc->ring_calls++;
	struct evctx *c = s->ctx;
	struct sp_event *ev = &c->ring_ev;
	*ev = (struct sp_event){
	    .name = row->name,
	    .name_len = (uint32_t)strlen(row->name),
	    .kind = SP_SYSCALL,
	    .pid = req_pid(rq),
	    .result_kind = rq->completed ? SP_RES_NUMBER : SP_RES_NONE,
	    .result = rq->completed && rq->res < 0 ? -1 : rq->res,
	};
	c->s = s;
	c->name_id = name_id;
	c->ev = ev;
	c->acc = acc;
	c->nrefs = 0;
	c->nargs = 0;
	c->cls = AC_NONE;
	c->classified = false;
	c->dio_kind = -1;
	c->rq = rq;
	c->ring_key = key;
	c->tab = table_for(s, ev->pid);
	refs_resolve_ring(c);
	/* what an OPENAT opens enters the fd table at its completion; an
	 * O_TMPFILE is an unnamed file in that directory until a LINKAT
	 * (AT_EMPTY_PATH) names it */
	if ((rq->opcode == UOP_OPENAT || rq->opcode == UOP_OPENAT2) && c->nrefs > 0 &&
	    c->refs[0].str[0]) {
		char tmp[PATH_BUF];
		const char *p = c->refs[0].str;
		if ((rq->open_flags & O_TMPFILE) == O_TMPFILE) {
			int k = snprintf(tmp, sizeof(tmp), "%s/#ring-tmpfile-%zu", p, i);
			p = k > 0 && (size_t)k < sizeof(tmp) ? tmp : NULL;
		}
		if (p)
			r->open_path[i] = stats_intern_path(s, p, strlen(p));
	}
	dispatch(s, c);
	/* a closed fd is free for any request issued after this one */
	if (rq->opcode == UOP_CLOSE && rq->completed && rq->res >= 0 && c->tab)
		fd_track_ring_complete(s, c->tab, i);
	return s->oom ? -1 : 0;
}

int stats_ring_complete(struct stats *s, size_t i)
{
	if (i >= s->ring.nreqs)
		return 0;
	const struct uring_req *rq = &s->ring.reqs[i];
	if (!rq->completed || rq->res < 0)
		return 0;
	struct fd_table *tab = table_for(s, req_pid(rq));
	if (tab)
		fd_track_ring_complete(s, tab, i);
	return s->oom ? -1 : 0;
}

void stats_ring_lines(struct stats *s, stats_line_fn resolve, void *ctx)
{
	pairs_lines(s, resolve, ctx);
	escapes_lines(s, resolve, ctx);
	struct phases *ph = &s->phase;
	unsigned long line;
	const char *file;
	if (ph->anchor_found && ph->anchor_via_ring && !ph->anchor_line &&
	    resolve(ctx, ph->anchor_pid, ph->anchor_key, &line, &file)) {
		ph->anchor_line = line;
		ph->anchor_file = pairs_trace_file_id(s, file);
	}
}

/* --- results ---------------------------------------------------------------- */

void stats_figures(const struct stats *s, struct stats_figures *f)
{
	*f = s->fig;
	bool copy = s->phase.anchor_found;
	f->path_based = f->fd_based = f->cwd_relative = 0;
	f->stat_calls = f->open_calls = f->legacy_calls = 0;
	f->data_calls_regular = f->data_calls_other = f->kernel_copy_regular = 0;
	for (size_t i = 0; i < s->naccs; i++) {
		const struct sc_acc *a = &s->accs[i];
		if (!a->calls && !a->ring_calls)
			continue;
		const uint64_t *acc = copy ? a->access_copy : a->access;
		f->path_based += acc[AC_PATH_BASED];
		f->fd_based += acc[AC_FD_BASED];
		f->cwd_relative += acc[AC_CWD_RELATIVE];
		uint64_t n = copy ? a->copy : a->calls;
		if (a->is_stat)
			f->stat_calls += n;
		if (a->is_open)
			f->open_calls += n;
		if (a->info && a->info->legacy)
			f->legacy_calls += n;
		uint64_t *regular =
		    a->kernel_copy ? &f->kernel_copy_regular : &f->data_calls_regular;
		if (copy) {
			*regular += a->dio_copy_regular;
			f->data_calls_other += a->dio_copy_other;
		} else {
			*regular += a->dio[FDK_REGULAR];
			for (int k = 0; k < FDK__COUNT; k++)
				if (k != FDK_REGULAR)
					f->data_calls_other += a->dio[k];
		}
	}
	f->meta_fd = copy ? 0 : s->meta_fd_all;
	f->meta_path = copy ? 0 : s->meta_path_all;
	if (copy)
		for (size_t i = 0; i < s->naccs; i++) {
			f->meta_fd += s->accs[i].meta_fd;
			f->meta_path += s->accs[i].meta_path;
		}
	ring_stats_figures(&s->ring, f);
	pairs_figures(&s->pairs, f);
}

json_t *stats_num_or_null(bool known, double v)
{
	return known ? json_real(round(v * 1000.0) / 1000.0) : json_null();
}

int stats_cmp_name_count(const void *a, const void *b)
{
	const struct name_count *x = a, *y = b;
	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->name, y->name);
}

/* Names with a non-zero figure, sorted by it. */
size_t stats_collect(const struct stats *s, struct name_count *out,
                     uint64_t (*get)(const struct sc_acc *))
{
	size_t n = 0;
	for (size_t i = 0; i < s->naccs && i < strpool_count(s->names); i++) {
		uint64_t v = get(&s->accs[i]);
		if (v)
			out[n++] = (struct name_count){strpool_str(s->names, (uint32_t)i), v};
	}
	qsort(out, n, sizeof(*out), stats_cmp_name_count);
	return n;
}

static uint64_t get_calls(const struct sc_acc *a) { return a->calls; }
static uint64_t get_access(const struct sc_acc *a)
{
	return a->access[0] + a->access[1] + a->access[2];
}
static uint64_t get_path_copy(const struct sc_acc *a)
{
	/* as the check counts: without the calls on the SRC/DST operands */
	return a->access_copy[AC_PATH_BASED] - a->root_copy + a->access_copy[AC_CWD_RELATIVE];
}
static uint64_t get_path_all(const struct sc_acc *a)
{
	return a->access[AC_PATH_BASED] + a->access[AC_CWD_RELATIVE];
}
static uint64_t get_stat(const struct sc_acc *a) { return a->is_stat ? a->calls : 0; }
static uint64_t get_open(const struct sc_acc *a) { return a->is_open ? a->calls : 0; }
/* data: through a user buffer (the direct data check), not in-kernel copies */
static uint64_t get_data(const struct sc_acc *a)
{
	return a->kernel_copy ? 0 : a->dio[FDK_REGULAR];
}
static uint64_t get_dio_any(const struct sc_acc *a)
{
	uint64_t n = 0;
	for (int k = 0; k < FDK__COUNT; k++)
		n += a->dio[k];
	return n;
}
static uint64_t get_legacy(const struct sc_acc *a)
{
	return a->info && a->info->legacy ? a->calls : 0;
}
static uint64_t get_meta_path(const struct sc_acc *a)
{
	return a->is_meta_set ? a->access[AC_PATH_BASED] + a->access[AC_CWD_RELATIVE] : 0;
}
static uint64_t get_stat_copy(const struct sc_acc *a) { return a->is_stat ? a->copy : 0; }
static uint64_t get_open_copy(const struct sc_acc *a) { return a->is_open ? a->copy : 0; }
static uint64_t get_data_copy(const struct sc_acc *a)
{
	return a->kernel_copy ? 0 : a->dio_copy_regular;
}
static uint64_t get_legacy_copy(const struct sc_acc *a)
{
	return a->info && a->info->legacy ? a->copy : 0;
}
static uint64_t get_meta_path_copy(const struct sc_acc *a) { return a->meta_path; }
static uint64_t get_pairs(const struct sc_acc *a) { return a->pairs_as_check + a->pairs_as_use; }
static uint64_t get_uring(const struct sc_acc *a)
{
	return a->spc == SPC_URING_ENTER || a->spc == SPC_URING_SETUP ||
	               a->spc == SPC_URING_REGISTER
	           ? a->calls
	           : 0;
}
static uint64_t get_uncategorized(const struct sc_acc *a)
{
	return !a->info || a->info->category == SC_OTHER || a->info->category == SC_UNKNOWN
	           ? a->calls
	           : 0;
}

json_t *stats_calls_for(const struct stats *s, const char *what)
{
	json_t *arr = json_array();
	struct name_count *nc = malloc((s->naccs + 1) * sizeof(*nc));
	if (!arr || !nc) {
		free(nc);
		return arr;
	}
	uint64_t (*get)(const struct sc_acc *) = NULL;
	bool copy = s->phase.anchor_found;
	/* the copy phase when there is one, as the checks count */
	if (!strcmp(what, "path_based"))
		get = copy ? get_path_copy : get_path_all;
	else if (!strcmp(what, "stat"))
		get = copy ? get_stat_copy : get_stat;
	else if (!strcmp(what, "open"))
		get = copy ? get_open_copy : get_open;
	else if (!strcmp(what, "data"))
		get = copy ? get_data_copy : get_data;
	else if (!strcmp(what, "legacy"))
		get = copy ? get_legacy_copy : get_legacy;
	else if (!strcmp(what, "meta_path"))
		get = copy ? get_meta_path_copy : get_meta_path;
	else if (!strcmp(what, "pairs"))
		get = get_pairs;
	else if (!strcmp(what, "uring"))
		get = get_uring;
	if (get) {
		size_t n = stats_collect(s, nc, get);
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, json_string(nc[i].name));
	}
	free(nc);
	return arr;
}

static const char *category_of(const struct sc_acc *a)
{
	return sc_category_name(a->info ? a->info->category : SC_UNKNOWN);
}

int stats_to_model(const struct stats *s, json_t *model, json_t *legacy_modern)
{
	struct stats_figures f;
	stats_figures(s, &f);
	size_t nn = strpool_count(s->names);
	struct name_count *nc = malloc((nn + 1) * sizeof(*nc));
	if (!nc)
		return -1;

	/* syscalls and their sorted twin */
	json_t *sc = json_object(), *list = json_array();
	size_t n = stats_collect(s, nc, get_calls);
	for (size_t i = 0; i < n; i++) {
		uint32_t id = strpool_find(s->names, nc[i].name, strlen(nc[i].name));
		const struct sc_acc *a = &s->accs[id];
		json_t *o =
		    json_pack("{s:I,s:I,s:I,s:o,s:s,s:I,s:I}", "calls", (json_int_t)a->calls,
		              "returned", (json_int_t)a->returned, "errors", (json_int_t)a->errors,
		              "seconds", json_null(), "category", category_of(a), "startup_calls",
		              (json_int_t)a->startup, "copy_calls", (json_int_t)a->copy);
		/* seconds with microsecond precision */
		json_object_set_new(o, "seconds",
		                    f.has_duration ? json_real(round(a->seconds * 1e6) / 1e6)
		                                   : json_null());
		json_object_set(sc, nc[i].name, o);
		json_t *l = json_deep_copy(o);
		json_object_set_new(l, "name", json_string(nc[i].name));
		json_array_append_new(list, l);
		json_decref(o);
	}
	json_object_set_new(model, "syscalls", sc);
	json_object_set_new(model, "syscall_list", list);

	/* categories */
	json_t *cats = json_array();
	for (int cat = 0; cat < SC__COUNT; cat++) {
		json_t *names = json_array();
		uint64_t total = 0;
		for (size_t i = 0; i < n; i++) {
			uint32_t id = strpool_find(s->names, nc[i].name, strlen(nc[i].name));
			const struct sc_acc *a = &s->accs[id];
			int ac = a->info ? (int)a->info->category : SC_UNKNOWN;
			if (ac != cat)
				continue;
			total += a->calls;
			json_array_append_new(names, json_pack("{s:s,s:I}", "name", nc[i].name,
			                                       "calls", (json_int_t)a->calls));
		}
		if (total)
			json_array_append_new(
			    cats, json_pack("{s:s,s:I,s:o}", "name",
			                    sc_category_name((enum sc_category)cat), "calls",
			                    (json_int_t)total, "syscalls", names));
		else
			json_decref(names);
	}
	/* by calls, descending */
	size_t ncat = json_array_size(cats);
	for (size_t i = 1; i < ncat; i++)
		for (size_t j = i; j > 0; j--) {
			json_int_t a = json_integer_value(
			    json_object_get(json_array_get(cats, j - 1), "calls"));
			json_int_t b =
			    json_integer_value(json_object_get(json_array_get(cats, j), "calls"));
			if (a >= b)
				break;
			json_t *x = json_incref(json_array_get(cats, j - 1));
			json_array_set(cats, j - 1, json_array_get(cats, j));
			json_array_set_new(cats, j, x);
		}
	json_object_set_new(model, "categories", cats);

	phases_to_model(s, &f, nc, model);
	json_object_set_new(model, "io_uring", ring_stats_json(&s->ring));

	/* access */
	json_t *acc = json_object(), *accl = json_array();
	size_t na = stats_collect(s, nc, get_access);
	for (size_t i = 0; i < na; i++) {
		uint32_t id = strpool_find(s->names, nc[i].name, strlen(nc[i].name));
		const struct sc_acc *a = &s->accs[id];
		json_t *o = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "path_based",
		                      (json_int_t)a->access[AC_PATH_BASED], "fd_based",
		                      (json_int_t)a->access[AC_FD_BASED], "cwd_relative",
		                      (json_int_t)a->access[AC_CWD_RELATIVE], "copy_path_based",
		                      (json_int_t)a->access_copy[AC_PATH_BASED], "copy_fd_based",
		                      (json_int_t)a->access_copy[AC_FD_BASED], "copy_cwd_relative",
		                      (json_int_t)a->access_copy[AC_CWD_RELATIVE], "copy_root_operand",
		                      (json_int_t)a->root_copy);
		json_object_set_new(o, "via_ring", json_integer((json_int_t)a->via_ring));
		json_object_set_new(o, "copy_via_ring", json_integer((json_int_t)a->via_ring_copy));
		json_object_set(acc, nc[i].name, o);
		json_t *l = json_deep_copy(o);
		json_object_set_new(l, "name", json_string(nc[i].name));
		json_object_set_new(l, "total", json_integer((json_int_t)nc[i].n));
		json_array_append_new(accl, l);
		json_decref(o);
	}
	json_object_set_new(model, "access", acc);
	json_object_set_new(model, "access_list", accl);
	json_object_set_new(model, "access_rules", classify_rules_json());

	/* direct I/O */
	json_t *dio = json_object();
	uint64_t dreg = 0, dother = 0, dunknown = 0, kreg = 0;
	size_t nd = stats_collect(s, nc, get_dio_any);
	for (size_t i = 0; i < nd; i++) {
		uint32_t id = strpool_find(s->names, nc[i].name, strlen(nc[i].name));
		const struct sc_acc *a = &s->accs[id];
		uint64_t other = a->dio[FDK_OTHER] + a->dio[FDK_DIR] + a->dio[FDK_IO_URING];
		json_object_set_new(
		    dio, nc[i].name,
		    json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "regular",
		              (json_int_t)a->dio[FDK_REGULAR], "pipe", (json_int_t)a->dio[FDK_PIPE],
		              "socket", (json_int_t)a->dio[FDK_SOCKET], "tty",
		              (json_int_t)a->dio[FDK_TTY], "eventfd",
		              (json_int_t)a->dio[FDK_EVENTFD], "other", (json_int_t)other,
		              "unknown", (json_int_t)a->dio[FDK_UNKNOWN]));
		json_object_set_new(json_object_get(dio, nc[i].name), "kind",
		                    json_string(a->kernel_copy ? "in_kernel_copy" : "user_buffer"));
		if (a->kernel_copy)
			kreg += a->dio[FDK_REGULAR];
		else
			dreg += a->dio[FDK_REGULAR];
		dunknown += a->dio[FDK_UNKNOWN];
		dother += nc[i].n - a->dio[FDK_REGULAR] - a->dio[FDK_UNKNOWN];
	}
	json_object_set_new(model, "direct_io", dio);
	json_object_set_new(model, "direct_io_totals",
	                    json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "data_calls", (json_int_t)dreg,
	                              "other_calls", (json_int_t)dother, "unknown_calls",
	                              (json_int_t)dunknown, "copy_data_calls",
	                              (json_int_t)f.data_calls_regular, "copy_other_calls",
	                              (json_int_t)f.data_calls_other, "bytes_written",
	                              (json_int_t)f.bytes_written_regular));
	json_t *dt = json_object_get(model, "direct_io_totals");
	json_object_set_new(dt, "kernel_copy_calls", json_integer((json_int_t)kreg));
	json_object_set_new(dt, "copy_kernel_copy_calls",
	                    json_integer((json_int_t)f.kernel_copy_regular));
	/* the calls that copy in the kernel, from the syscall table */
	json_t *kc = json_array();
	int nrows = 0;
	const struct sc_info *rows = sc_all(&nrows);
	for (int i = 0; i < nrows; i++)
		if (rows[i].traits & SC_TRAIT_KERNEL_COPY)
			json_array_append_new(kc, json_string(rows[i].name));
	json_object_set_new(model, "in_kernel_copy_syscalls", kc);

	json_object_set_new(model, "toctou", pairs_json(s, &f));
	json_object_set_new(model, "escapes", escapes_json(s));

	if (attribution_to_model(s, model) < 0) {
		free(nc);
		return -1;
	}

	/* metadata */
	json_int_t fchmod_n = 0, fchown_n = 0;
	uint32_t id = strpool_find(s->names, "fchmod", 6);
	if (id != STRPOOL_NONE && id < s->naccs)
		fchmod_n = (json_int_t)(s->phase.anchor_found ? s->accs[id].copy : s->accs[id].calls);
	id = strpool_find(s->names, "fchown", 6);
	if (id != STRPOOL_NONE && id < s->naccs)
		fchown_n = (json_int_t)(s->phase.anchor_found ? s->accs[id].copy : s->accs[id].calls);
	uint64_t mt = f.meta_fd + f.meta_path;
	json_object_set_new(
	    model, "metadata",
	    json_pack("{s:I,s:I,s:I,s:I,s:I,s:o,s:I,s:I,s:s}", "fchmod", fchmod_n, "fchown",
	              fchown_n, "futimens_fd", (json_int_t)s->ut_fd_null, "utimensat_fd",
	              (json_int_t)s->ut_dirfd, "utimensat_path", (json_int_t)s->ut_path,
	              "fd_based_share",
	              stats_num_or_null(mt > 0, (double)f.meta_fd / (double)(mt ? mt : 1)), "fd_calls",
	              (json_int_t)f.meta_fd, "path_calls", (json_int_t)f.meta_path, "rule",
	              "metadata changes in the copy phase (chmod, chown, utime/utimensat, "
	              "xattr set/remove families): fd_based_share = fd-based / all; "
	              "futimens_fd = utimensat(fd, NULL), utimensat_fd = utimensat(dirfd, name), "
	              "utimensat_path = utimensat(AT_FDCWD, path)"));

	/* legacy and uncategorized */
	json_t *leg = json_array();
	size_t nl = stats_collect(s, nc, get_legacy);
	for (size_t i = 0; i < nl; i++) {
		json_t *m = legacy_modern ? json_object_get(legacy_modern, nc[i].name) : NULL;
		uint32_t lid = strpool_find(s->names, nc[i].name, strlen(nc[i].name));
		json_array_append_new(
		    leg, json_pack("{s:s,s:I,s:I,s:s}", "name", nc[i].name, "calls",
		                   (json_int_t)nc[i].n, "copy_calls", (json_int_t)s->accs[lid].copy,
		                   "modern", json_is_string(m) ? json_string_value(m) : ""));
	}
	json_object_set_new(model, "legacy", leg);
	json_t *unc = json_array();
	size_t nu = stats_collect(s, nc, get_uncategorized);
	for (size_t i = 0; i < nu; i++)
		json_array_append_new(
		    unc, json_pack("{s:s,s:I}", "name", nc[i].name, "calls", (json_int_t)nc[i].n));
	json_object_set_new(model, "uncategorized", unc);
	free(nc);
	return 0;
}
