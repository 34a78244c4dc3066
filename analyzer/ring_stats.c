/* ring_stats: io_uring as strace sees it. Rings from io_uring_setup
 * (entries, flags), io_uring_enter calls split into submitting calls
 * (to_submit > 0: a batch of SQEs, counted in the histogram) and
 * wait-only calls, per ring and in total; errors by name; the pids that
 * made io_uring calls. */
#include "stats_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* io_uring_setup flag bits by name, for the bits strace 6.1 prints as a
 * hex remainder (it knows names only up to IORING_SETUP_CQE32) and for
 * -X raw traces (flags=0x3108). */
static const char *const setup_flag_names[] = {
    "IORING_SETUP_IOPOLL",        "IORING_SETUP_SQPOLL",        "IORING_SETUP_SQ_AFF",
    "IORING_SETUP_CQSIZE",        "IORING_SETUP_CLAMP",         "IORING_SETUP_ATTACH_WQ",
    "IORING_SETUP_R_DISABLED",    "IORING_SETUP_SUBMIT_ALL",    "IORING_SETUP_COOP_TASKRUN",
    "IORING_SETUP_TASKRUN_FLAG",  "IORING_SETUP_SQE128",        "IORING_SETUP_CQE32",
    "IORING_SETUP_SINGLE_ISSUER", "IORING_SETUP_DEFER_TASKRUN", "IORING_SETUP_NO_MMAP",
    "IORING_SETUP_REGISTERED_FD_ONLY", "IORING_SETUP_NO_SQARRAY", "IORING_SETUP_HYBRID_IOPOLL",
};

static void flags_append(char *out, size_t cap, size_t *n, const char *s, size_t len)
{
	size_t sep = *n > 0 ? 1 : 0;
	if (*n + sep + len + 1 > cap)
		return; /* keeps what fits; the names are short */
	if (sep)
		out[(*n)++] = '|';
	memcpy(out + *n, s, len);
	*n += len;
	out[*n] = '\0';
}

void stats_setup_flags(const char *text, size_t len, char *out, size_t cap)
{
	size_t n = 0;
	if (cap == 0)
		return;
	out[0] = '\0';
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *q = memchr(p, '|', (size_t)(end - p));
		if (!q)
			q = end;
		size_t tl = (size_t)(q - p);
		char num[24];
		unsigned long long v = 0;
		char *stop = NULL;
		bool numeric = tl > 0 && tl < sizeof(num) && p[0] >= '0' && p[0] <= '9';
		if (numeric) {
			memcpy(num, p, tl);
			num[tl] = '\0';
			errno = 0;
			v = strtoull(num, &stop, 0);
			numeric = errno == 0 && stop && *stop == '\0';
		}
		if (!numeric) {
			flags_append(out, cap, &n, p, tl);
		} else {
			const size_t known = sizeof(setup_flag_names) / sizeof(setup_flag_names[0]);
			const unsigned long long orig = v;
			for (size_t b = 0; b < known; b++) {
				if (v & (1ull << b)) {
					flags_append(out, cap, &n, setup_flag_names[b],
					             strlen(setup_flag_names[b]));
					v &= ~(1ull << b);
				}
			}
			if (v || orig == 0) { /* bits nobody named, or a plain 0 */
				char rest[24];
				int k = snprintf(rest, sizeof(rest), v ? "%#llx" : "0", v);
				if (k > 0)
					flags_append(out, cap, &n, rest, (size_t)k);
			}
		}
		p = q < end ? q + 1 : end;
	}
}

static struct ring *ring_new(struct stats *s, int pid, int fd)
{
	struct ring_stats *rs = &s->ring;
	if (rs->nrings == rs->rings_cap) {
		size_t cap = rs->rings_cap ? rs->rings_cap * 2 : 8;
		struct ring *r = realloc(rs->rings, cap * sizeof(*r));
		if (!r) {
			s->oom = true;
			return NULL;
		}
		rs->rings = r;
		rs->rings_cap = cap;
	}
	struct ring *r = &rs->rings[rs->nrings++];
	*r = (struct ring){.pid = pid, .fd = fd, .reg_index = -1, .entries = -1};
	return r;
}

/* The ring of fd FD in the event's fd table: known, or new (an fd
 * inherited or opened before the trace began). NULL out of memory. */
static struct ring *ring_of_fd(struct evctx *c, int fd)
{
	struct ring_stats *rs = &c->s->ring;
	const struct fd_info *fi = fdt_get(c->tab, fd);
	if (fi && fi->ring >= 0 && (size_t)fi->ring < rs->nrings)
		return &rs->rings[fi->ring];
	struct ring *r = ring_new(c->s, c->ev->pid, fd);
	if (r)
		fdt_set_ring(c->tab, fd, (int32_t)(r - rs->rings));
	return r;
}

static struct ring_reg *reg_find(struct ring_stats *rs, int pid, int index)
{
	for (size_t i = 0; i < rs->nregs; i++)
		if (rs->regs[i].pid == pid && rs->regs[i].index == index)
			return &rs->regs[i];
	return NULL;
}

/* The kernel's IO_RINGFD_REG_MAX: a thread registers at most 16 rings. */
enum { RING_REG_MAX = 16 };

static void reg_add(struct stats *s, int pid, int index, int32_t ring)
{
	struct ring_stats *rs = &s->ring;
	struct ring_reg *g = reg_find(rs, pid, index);
	if (g) {
		g->ring = ring;
		return;
	}
	if (rs->nregs == rs->regs_cap) {
		size_t cap = rs->regs_cap ? rs->regs_cap * 2 : 8;
		struct ring_reg *v = realloc(rs->regs, cap * sizeof(*v));
		if (!v) {
			s->oom = true;
			return;
		}
		rs->regs = v;
		rs->regs_cap = cap;
	}
	rs->regs[rs->nregs++] = (struct ring_reg){.pid = pid, .index = index, .ring = ring};
}

static void reg_remove(struct ring_stats *rs, int pid, int index)
{
	struct ring_reg *g = reg_find(rs, pid, index);
	if (g)
		*g = rs->regs[--rs->nregs];
}

/* "offset=N" or "data=N<...>" in one {..} item of io_uring_register's
 * array: the value after KEY as an fd-like argument. */
static bool item_field(const struct sp_arg *item, const char *key, int *v)
{
	if (item->len < 2 || item->s[0] != '{' || item->s[item->len - 1] != '}')
		return false;
	struct sp_arg f[4];
	int n = sp_split_args(item->s + 1, item->len - 2, f, 4);
	size_t kl = strlen(key);
	for (int i = 0; i < n && i < 4; i++)
		if (f[i].len > kl && !memcmp(f[i].s, key, kl)) {
			struct sp_arg val = {f[i].s + kl, f[i].len - kl};
			return arg_fd(&val, v, NULL, 0);
		}
	return false;
}

/* io_uring_register(fd, IORING_REGISTER_RING_FDS, [{offset=-1, data=4<...>}, ...], n) = R:
 * the first R entries take the asked index, or (offset -1) the lowest free
 * one, as the kernel does (strace prints the offsets asked, not the ones
 * given). IORING_UNREGISTER_RING_FDS, [{offset=N}, ...] frees them. */
static void on_register_ring_fds(struct evctx *c)
{
	const struct sp_event *ev = c->ev;
	if (c->nargs < 3 || ev->result_kind != SP_RES_NUMBER || ev->err_name || ev->result <= 0)
		return;
	const struct sp_arg *op = &c->args[1];
	bool reg = op->len == 24 && !memcmp(op->s, "IORING_REGISTER_RING_FDS", 24);
	bool unreg = op->len == 26 && !memcmp(op->s, "IORING_UNREGISTER_RING_FDS", 26);
	if (!reg && !unreg)
		return;
	const struct sp_arg *arr = &c->args[2];
	if (arr->len < 2 || arr->s[0] != '[' || arr->s[arr->len - 1] != ']')
		return;
	struct sp_arg items[RING_REG_MAX];
	int n = sp_split_args(arr->s + 1, arr->len - 2, items, RING_REG_MAX);
	if (n > RING_REG_MAX)
		n = RING_REG_MAX;
	if ((long long)n > ev->result)
		n = (int)ev->result;
	struct ring_stats *rs = &c->s->ring;
	for (int i = 0; i < n; i++) {
		int off = -1, fd = -1;
		if (!item_field(&items[i], "offset=", &off))
			continue;
		if (unreg) {
			reg_remove(rs, ev->pid, off);
			continue;
		}
		if (!item_field(&items[i], "data=", &fd) || fd < 0)
			continue;
		if (off < 0)
			for (off = 0; off < RING_REG_MAX && reg_find(rs, ev->pid, off); off++)
				;
		if (off >= RING_REG_MAX)
			continue;
		struct ring *r = ring_of_fd(c, fd);
		if (r) {
			r->reg_index = off;
			reg_add(c->s, ev->pid, off, (int32_t)(r - rs->rings));
		}
	}
}

/* An enter through the registered-ring table: the ring registered at
 * INDEX by this thread, else one "unknown registered ring" per index. */
static struct ring *ring_of_index(struct evctx *c, int index)
{
	struct ring_stats *rs = &c->s->ring;
	const struct ring_reg *g = reg_find(rs, c->ev->pid, index);
	if (g && g->ring >= 0 && (size_t)g->ring < rs->nrings)
		return &rs->rings[g->ring];
	for (size_t i = 0; i < rs->nrings; i++)
		if (rs->rings[i].fd < 0 && rs->rings[i].reg_index == index &&
		    rs->rings[i].pid == c->ev->pid)
			return &rs->rings[i];
	struct ring *r = ring_new(c->s, c->ev->pid, -1);
	if (r)
		r->reg_index = index;
	return r;
}

/* IORING_ENTER_REGISTERED_RING (0x10) in io_uring_enter's flags. */
static bool enter_registered(const struct evctx *c)
{
	long long flags;
	if (arg_number(c, 3, &flags))
		return (flags & 0x10) != 0;
	return arg_contains(c, 3, "IORING_ENTER_REGISTERED_RING");
}

static int bucket(long long n)
{
	if (n <= 1)
		return 0;
	if (n <= 3)
		return 1;
	if (n <= 7)
		return 2;
	if (n <= 15)
		return 3;
	return 4;
}

void ring_stats_event(struct evctx *c)
{
	struct stats *s = c->s;
	struct ring_stats *rs = &s->ring;
	const struct sp_event *ev = c->ev;
	bool oom = false;
	intset_add(&rs->pids, (uint64_t)(unsigned)ev->pid, &oom);
	if (oom)
		s->oom = true;
	if (c->acc->spc == SPC_URING_REGISTER) {
		rs->register_calls++;
		on_register_ring_fds(c);
		return;
	}
	if (c->acc->spc == SPC_URING_SETUP) {
		rs->setup++;
		if (ev->result_kind != SP_RES_NUMBER || ev->err_name || ev->result < 0)
			return;
		struct ring *r = ring_new(s, ev->pid, (int)ev->result);
		if (!r)
			return;
		long long entries;
		if (arg_number(c, 0, &entries))
			r->entries = entries;
		if (c->nargs >= 2) {
			const char *p = memmem(c->args[1].s, c->args[1].len, "flags=", 6);
			if (p) {
				p += 6;
				size_t len = 0, max = c->args[1].len - (size_t)(p - c->args[1].s);
				while (len < max && p[len] != ',' && p[len] != '}')
					len++;
				stats_setup_flags(p, len, r->flags, sizeof(r->flags));
			}
		}
		r->sqpoll = strstr(r->flags, "IORING_SETUP_SQPOLL") != NULL;
		if (r->sqpoll)
			rs->sqpoll_rings++;
		fdt_open(c->tab, r->fd, FD_NO_PATH, FDK_IO_URING, true);
		fdt_set_ring(c->tab, r->fd, (int32_t)(r - rs->rings));
		return;
	}
	/* io_uring_enter(fd, to_submit, min_complete, flags, ...) */
	rs->enter++;
	int fd;
	char d[128];
	struct ring *r = NULL;
	/* with IORING_ENTER_REGISTERED_RING the first argument is an index
	 * (strace prints it as an fd: "0</dev/null>"), and fd 0 is not a ring */
	if (c->nargs >= 1 && arg_fd(&c->args[0], &fd, d, sizeof(d)) && fd >= 0)
		r = enter_registered(c) ? ring_of_index(c, fd) : ring_of_fd(c, fd);
	long long to_submit = 0;
	arg_number(c, 1, &to_submit);
	if (r)
		r->enter++;
	if (ev->err_name) {
		json_t *v = json_object_get(rs->errors, ev->err_name);
		json_object_set_new(rs->errors, ev->err_name,
		                    json_integer((v ? json_integer_value(v) : 0) + 1));
	}
	if (to_submit > 0) {
		rs->submit_calls++;
		if (r)
			r->submit++;
		if (ev->result_kind == SP_RES_NUMBER && !ev->err_name && ev->result >= 1) {
			uint64_t n = (uint64_t)ev->result;
			rs->sqes_submitted += n;
			rs->hist[bucket(ev->result)]++;
			if (n > rs->batch_max)
				rs->batch_max = n;
			if (r) {
				r->sqes += n;
				if (n > r->batch_max)
					r->batch_max = n;
			}
		} else {
			rs->submit_failed++;
		}
	} else {
		rs->wait_calls++;
		if (r)
			r->wait++;
	}
}

int ring_stats_init(struct ring_stats *r)
{
	r->errors = json_object();
	return r->errors ? 0 : -1;
}

void ring_stats_free(struct ring_stats *r)
{
	free(r->rings);
	free(r->regs);
	free(r->pids.v);
	json_decref(r->errors);
	if (r->op)
		for (int i = 0; i < 256; i++) {
			json_decref(r->op[i].failed);
			free(r->op[i].lat_ns);
		}
	free(r->op);
	free(r->open_path);
	free(r->slots);
	free(r->reason);
	free(r->clock);
	free(r->tie_rule);
}

/* --- ring operations: per opcode, registered files ------------------------ */

void ring_stats_op(struct stats *s, const struct uring_req *rq)
{
	struct ring_stats *r = &s->ring;
	r->requests++;
	if (!r->op)
		return;
	struct ring_op_stat *o = &r->op[rq->opcode];
	o->count++;
	if (rq->async)
		o->async++;
	if (!rq->completed)
		return;
	o->completed++;
	if (rq->res < 0) {
		if (!o->failed && !(o->failed = json_object())) {
			s->oom = true;
			return;
		}
		char buf[24];
		const char *e = strerrorname_np(-rq->res);
		if (!e) {
			snprintf(buf, sizeof(buf), "E%d", -rq->res);
			e = buf;
		}
		json_t *v = json_object_get(o->failed, e);
		json_object_set_new(o->failed, e, json_integer((v ? json_integer_value(v) : 0) + 1));
	}
	if (rq->complete_ns >= rq->submit_ns) {
		if (o->nlat == o->lat_cap) {
			size_t cap = o->lat_cap ? 2 * o->lat_cap : 64;
			uint64_t *v = realloc(o->lat_ns, cap * sizeof(*v));
			if (!v) {
				s->oom = true;
				return;
			}
			o->lat_ns = v;
			o->lat_cap = cap;
		}
		o->lat_ns[o->nlat++] = rq->complete_ns - rq->submit_ns;
	}
}

static size_t slot_hash(uint64_t ring, uint32_t slot, size_t cap)
{
	return (size_t)(((ring ^ ((uint64_t)slot << 32 | slot)) * 0x9E3779B97F4A7C15ull) >> 32) &
	       (cap - 1);
}

static struct ring_slot *slot_find(const struct ring_stats *r, uint64_t ring, uint32_t slot)
{
	if (!r->slots_cap)
		return NULL;
	for (size_t j = slot_hash(ring, slot, r->slots_cap);; j = (j + 1) & (r->slots_cap - 1)) {
		struct ring_slot *e = &r->slots[j];
		if (!e->used)
			return NULL;
		if (e->ring == ring && e->slot == slot)
			return e;
	}
}

uint32_t ring_slot_get(const struct ring_stats *r, uint64_t ring, uint32_t slot, bool *found)
{
	const struct ring_slot *e = slot_find(r, ring, slot);
	*found = e != NULL;
	return e ? e->path : FD_NO_PATH;
}

void ring_slot_set(struct stats *s, uint64_t ring, uint32_t slot, uint32_t path)
{
	struct ring_stats *r = &s->ring;
	struct ring_slot *e = slot_find(r, ring, slot);
	if (e) {
		e->path = path;
		return;
	}
	if ((r->nslots + 1) * 2 > r->slots_cap) {
		size_t cap = r->slots_cap ? 2 * r->slots_cap : 64;
		struct ring_slot *v = calloc(cap, sizeof(*v));
		if (!v) {
			s->oom = true;
			return;
		}
		for (size_t i = 0; i < r->slots_cap; i++) {
			if (!r->slots[i].used)
				continue;
			size_t j = slot_hash(r->slots[i].ring, r->slots[i].slot, cap);
			while (v[j].used)
				j = (j + 1) & (cap - 1);
			v[j] = r->slots[i];
		}
		free(r->slots);
		r->slots = v;
		r->slots_cap = cap;
	}
	size_t j = slot_hash(ring, slot, r->slots_cap);
	while (r->slots[j].used)
		j = (j + 1) & (r->slots_cap - 1);
	r->slots[j] = (struct ring_slot){ring, slot, path, true};
	r->nslots++;
}

/* A closed slot keeps its entry, without a path (no tombstones needed). */
void ring_slot_clear(struct ring_stats *r, uint64_t ring, uint32_t slot)
{
	struct ring_slot *e = slot_find(r, ring, slot);
	if (e)
		e->path = FD_NO_PATH;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static json_t *us(uint64_t ns) { return json_real(round((double)ns / 1e3 * 1000.0) / 1000.0); }

/* {p50, p99, max} in microseconds (nearest rank), or null without any. */
static json_t *latency_json(const struct ring_op_stat *o)
{
	if (!o->nlat)
		return json_null();
	uint64_t *v = malloc(o->nlat * sizeof(*v));
	if (!v)
		return json_null();
	memcpy(v, o->lat_ns, o->nlat * sizeof(*v));
	qsort(v, o->nlat, sizeof(*v), cmp_u64);
	size_t n = o->nlat;
	size_t p50 = (n + 1) / 2, p99 = (size_t)ceil(0.99 * (double)n);
	json_t *j = json_pack("{s:o,s:o,s:o}", "p50", us(v[p50 - 1]), "p99", us(v[p99 - 1]),
	                      "max", us(v[n - 1]));
	free(v);
	return j;
}

static json_t *ops_detail_json(const struct ring_stats *r)
{
	json_t *d = json_object();
	if (!r->op)
		return d;
	for (unsigned i = 0; i < 256; i++) {
		const struct ring_op_stat *o = &r->op[i];
		if (!o->count)
			continue;
		char buf[32];
		json_object_set_new(
		    d, sc_uring_op_name(i, buf, sizeof(buf)),
		    json_pack("{s:I,s:o,s:I,s:I,s:o}", "count", (json_int_t)o->count, "failed",
		              o->failed ? json_deep_copy(o->failed) : json_object(), "async_punts",
		              (json_int_t)o->async, "completed", (json_int_t)o->completed,
		              "latency_us", latency_json(o)));
	}
	return d;
}

/* What the capture itself cost, or null when the kernel kept no BPF
 * run-time statistics. cpu_share_percent: its CPU time (the programs, in
 * the traced processes and io-wq, plus the consumer thread) as a share of
 * its wall time; on busy CPUs that is about what it added to the run. */
static json_t *cost_json(const struct stats_ring_capture *c)
{
	if (!c->cost_known)
		return json_null();
	double cpu = (double)(c->bpf_ns + c->consumer_ns) / 1e9;
	double wall = (double)c->wall_ns / 1e9;
	return json_pack("{s:I,s:f,s:f,s:f,s:o}", "bpf_runs", (json_int_t)c->bpf_runs,
	                 "bpf_cpu_seconds", (double)c->bpf_ns / 1e9, "consumer_cpu_seconds",
	                 (double)c->consumer_ns / 1e9, "wall_seconds", wall, "cpu_share_percent",
	                 wall > 0 ? json_real(100.0 * cpu / wall) : json_null());
}

static const char default_tie_rule[] =
    "no ring requests were merged into the direct calls";

static json_t *ring_ops_json(const struct ring_stats *r)
{
	bool bpf = r->ops_active && !strcmp(r->capture, "bpf");
	const char *cap = r->ops_active ? r->capture : "none";
	json_t *o = json_object();
	json_object_set_new(o, "capture", json_string(cap));
	json_object_set_new(o, "reason",
	                    r->reason ? json_string(r->reason)
	                    : bpf     ? json_null()
	                              : json_string("no io_uring capture"));
	json_object_set_new(o, "requests", bpf ? json_integer((json_int_t)r->nreqs) : json_null());
	json_object_set_new(o, "path_taking",
	                    bpf ? json_integer((json_int_t)r->path_taking) : json_null());
	json_object_set_new(o, "unclassified_path_ops",
	                    bpf ? json_integer((json_int_t)r->unclassified) : json_null());
	json_object_set_new(o, "lost", bpf ? json_integer((json_int_t)r->lost) : json_null());
	json_object_set_new(o, "unattributed_fixed",
	                    bpf ? json_integer((json_int_t)r->unattributed_fixed) : json_null());
	json_object_set_new(o, "fixed_file_ops",
	                    bpf ? json_integer((json_int_t)r->fixed_ops) : json_null());
	json_object_set_new(o, "classified",
	                    bpf ? json_pack("{s:I,s:I,s:I}", "path_based",
	                                    (json_int_t)r->classified[AC_PATH_BASED], "fd_based",
	                                    (json_int_t)r->classified[AC_FD_BASED], "cwd_relative",
	                                    (json_int_t)r->classified[AC_CWD_RELATIVE])
	                        : json_null());
	json_object_set_new(o, "capture_cost", bpf ? cost_json(&r->cost) : json_null());
	json_object_set_new(o, "clock", r->clock ? json_string(r->clock) : json_null());
	json_object_set_new(o, "tie_rule",
	                    json_string(r->tie_rule ? r->tie_rule : default_tie_rule));
	return o;
}

void ring_stats_figures(const struct ring_stats *r, struct stats_figures *f)
{
	f->uring_setup = r->setup;
	f->uring_enter = r->enter;
	f->uring_register = r->register_calls;
	f->submit_calls = r->submit_calls;
	f->wait_calls = r->wait_calls;
	f->sqes_submitted = r->sqes_submitted;
	f->batch_max = r->batch_max;
	f->sqpoll_rings = r->sqpoll_rings;
	/* a registered ring whose fd is unknown is not a ring of its own:
	 * whether it is SQPOLL is unknown, it does not make the rings mixed */
	f->rings = 0;
	for (size_t i = 0; i < r->nrings; i++)
		f->rings += r->rings[i].fd >= 0;
	f->uring_threads = r->pids.n;
}

static const char *const bucket_names[5] = {"1", "2-3", "4-7", "8-15", "16+"};

json_t *ring_stats_json(const struct ring_stats *s)
{
	struct stats_figures fig, *f = &fig;
	memset(f, 0, sizeof(*f));
	ring_stats_figures(s, f);
	json_t *u = json_object();
	json_object_set_new(u, "setup", json_integer((json_int_t)f->uring_setup));
	json_object_set_new(u, "enter", json_integer((json_int_t)f->uring_enter));
	json_object_set_new(u, "register", json_integer((json_int_t)f->uring_register));
	json_object_set_new(u, "submit_calls", json_integer((json_int_t)f->submit_calls));
	json_object_set_new(u, "wait_calls", json_integer((json_int_t)f->wait_calls));
	json_object_set_new(u, "sqes_submitted", json_integer((json_int_t)f->sqes_submitted));
	json_object_set_new(u, "submit_failed", json_integer((json_int_t)s->submit_failed));
	json_object_set_new(
	    u, "batch_avg",
	    stats_num_or_null(f->submit_calls > 0, (double)f->sqes_submitted /
	                                         (double)(f->submit_calls ? f->submit_calls : 1)));
	json_object_set_new(u, "batch_max",
	                    f->submit_calls ? json_integer((json_int_t)f->batch_max) : json_null());
	json_t *h = json_object(), *hl = json_array();
	uint64_t total = 0;
	for (int i = 0; i < 5; i++)
		total += s->hist[i];
	for (int i = 0; i < 5; i++) {
		json_object_set_new(h, bucket_names[i], json_integer((json_int_t)s->hist[i]));
		json_array_append_new(
		    hl,
		    json_pack(
		        "{s:s,s:I,s:o}", "bucket", bucket_names[i], "count", (json_int_t)s->hist[i],
		        "percent",
		        json_real(total ? round(1000.0 * (double)s->hist[i] / (double)total) / 10.0
		                        : 0.0)));
	}
	json_object_set_new(u, "batch_histogram", h);
	json_object_set_new(u, "batch_histogram_list", hl);
	json_object_set_new(u, "errors", json_deep_copy(s->errors));
	json_object_set_new(u, "sqpoll_rings", json_integer((json_int_t)f->sqpoll_rings));
	json_object_set_new(u, "threads", json_integer((json_int_t)s->pids.n));
	json_t *rings = json_array();
	for (size_t i = 0; i < s->nrings; i++) {
		const struct ring *r = &s->rings[i];
		json_array_append_new(
		    rings,
		    json_pack(
		        "{s:i,s:o,s:o,s:b,s:o,s:o,s:b,s:I,s:I,s:I,s:I,s:o,s:o}", "pid", r->pid,
		        "fd", r->fd >= 0 ? json_integer(r->fd) : json_null(), "registered_index",
		        r->reg_index >= 0 ? json_integer(r->reg_index) : json_null(),
		        "unknown_registered", r->fd < 0, "entries",
		        r->entries >= 0 ? json_integer(r->entries) : json_null(), "flags",
		        r->entries >= 0 ? json_string(r->flags) : json_null(), "sqpoll", r->sqpoll,
		        "enter", (json_int_t)r->enter, "submit_calls", (json_int_t)r->submit,
		        "wait_calls", (json_int_t)r->wait, "sqes_submitted", (json_int_t)r->sqes,
		        "batch_avg",
		        stats_num_or_null(r->submit > 0,
		                          (double)r->sqes / (double)(r->submit ? r->submit : 1)),
		        "batch_max",
		        r->submit ? json_integer((json_int_t)r->batch_max) : json_null()));
	}
	json_object_set_new(u, "rings", rings);
	json_object_set_new(u, "ring_ops", ring_ops_json(s));
	json_object_set_new(u, "ops_detail", ops_detail_json(s));
	json_object_set_new(
	    u, "rule",
	    json_string("io_uring_enter(fd, to_submit, min_complete, flags, ...): a call with "
	                "to_submit > 0 is a submitting call and its result is the number of SQEs "
	                "submitted (a submitting call that failed, returned 0 or never returned "
	                "counts as a call with 0 SQEs, listed as submit_failed and left out "
	                "of the histogram); to_submit == 0 is a "
	                "wait-only call and never a batch. batch_avg = sqes_submitted / "
	                "submit_calls. Rings are told apart by process fd table and fd (from "
	                "io_uring_setup's result); with IORING_ENTER_REGISTERED_RING the first "
	                "argument is an index in the thread's registered-ring table "
	                "(io_uring_register IORING_REGISTER_RING_FDS), counted for the ring "
	                "registered there, or for an unknown registered ring when the "
	                "registration is not in the trace; on SQPOLL rings a kernel thread "
	                "submits, so enter counts mean less there."));
	return u;
}
