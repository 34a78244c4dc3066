/* ring_merge: two sorted queues of ring items (submissions in submit
 * order, fd-changing completions in completion order) drained into the
 * aggregation ahead of each parsed event that comes after them. Items are
 * ordered among themselves in nanoseconds, against strace events in the
 * trace's microseconds. */
#include "ring_merge.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define US_PER_DAY (86400LL * 1000000LL)
#define US_PER_HOUR (3600LL * 1000000LL)

/* opcodes whose completion changes the fd table (stats_internal.h) */
enum { OP_OPENAT = 18, OP_OPENAT2 = 28, OP_FIXED_FD_INSTALL = 54 };

const char ring_merge_tie_rule[] =
    "each io_uring request is placed among the direct syscalls by its submission time "
    "(io_uring_submit_req), each completion that opens an fd by its completion time (a "
    "close frees its fd at its submission); compared at the trace's microsecond, a request goes before a "
    "direct call with the same time unless that call is an io_uring_enter of the "
    "submitting thread (the call that submitted it, which then goes first); requests "
    "with the same time keep the kernel's order, a completion goes after the "
    "submissions of its nanosecond";

enum mode {
	M_UNKNOWN,   /* no timed event yet */
	M_DAY,       /* -t/-tt: local time of day */
	M_EPOCH,     /* -ttt: seconds since the epoch */
	M_UNORDERED, /* the clocks cannot be matched: requests after the trace */
};

struct enter_rec {
	int tid;
	long long us;
	unsigned long line;
	const char *file;
};

struct ring_merge {
	struct stats *st;
	const struct uring_req *reqs;
	size_t n;
	size_t *comp; /* requests whose completion changes the fd table, by completion */
	size_t ncomp;
	size_t si, ci;          /* next submission, next completion */
	long long *sub_us;      /* on the trace's clock, once the mode is known */
	long long *comp_us;
	enum mode mode;
	long long shift_us;     /* M_DAY: added to a time of day (the day it is in) */
	long long last_us;      /* M_DAY: the previous event, for midnight */
	int rollovers;
	struct enter_rec *enters; /* submitting io_uring_enter calls */
	size_t nenters, enters_cap;
	char clock[320];
	long long tz_minute, tz_off; /* local_us's cache */
	bool tz_valid;
};

static uint64_t complete_ns(const struct uring_req *r)
{
	return r->complete_ns > r->submit_ns ? r->complete_ns : r->submit_ns;
}

static int cmp_comp(const void *a, const void *b, void *ctx)
{
	const struct uring_req *cmp_reqs = ctx;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	uint64_t tx = complete_ns(&cmp_reqs[x]), ty = complete_ns(&cmp_reqs[y]);
	if (tx != ty)
		return tx < ty ? -1 : 1;
	return x < y ? -1 : x > y;
}

static bool changes_fds(const struct uring_req *r)
{
	if (!r->completed || r->res < 0)
		return false;
	/* a CLOSE acts at its submission (stats_ring_submit): its fd can be
	 * reused by any request issued after it, even before its completion */
	return r->opcode == OP_OPENAT || r->opcode == OP_OPENAT2 ||
	       r->opcode == OP_FIXED_FD_INSTALL;
}

struct ring_merge *ring_merge_new(struct stats *st, const struct uring_req *reqs, size_t n)
{
	struct ring_merge *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->st = st;
	m->reqs = reqs;
	m->n = n;
	m->comp = malloc((n + 1) * sizeof(*m->comp));
	m->sub_us = malloc((n + 1) * sizeof(*m->sub_us));
	m->comp_us = malloc((n + 1) * sizeof(*m->comp_us));
	if (!m->comp || !m->sub_us || !m->comp_us) {
		ring_merge_free(m);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		if (changes_fds(&reqs[i]))
			m->comp[m->ncomp++] = i;
	qsort_r(m->comp, m->ncomp, sizeof(*m->comp), cmp_comp, (void *)reqs);
	return m;
}

void ring_merge_free(struct ring_merge *m)
{
	if (!m)
		return;
	free(m->comp);
	free(m->sub_us);
	free(m->comp_us);
	free(m->enters);
	free(m);
}

/* NS (CLOCK_REALTIME) as microseconds of the local time zone's clock:
 * seconds since the epoch as a local wall clock would count them. The
 * zone's offset is looked up once per minute of time (it changes on a
 * whole minute, if ever). */
static long long local_us(struct ring_merge *m, uint64_t ns)
{
	time_t sec = (time_t)(ns / 1000000000u);
	long long minute = (long long)sec / 60;
	if (!m->tz_valid || minute != m->tz_minute) {
		struct tm tm;
		m->tz_off = localtime_r(&sec, &tm) ? tm.tm_gmtoff : 0;
		m->tz_minute = minute;
		m->tz_valid = true;
	}
	return ((long long)sec + m->tz_off) * 1000000LL + (long long)(ns % 1000000000u) / 1000;
}

static long long floor_div(long long a, long long b)
{
	long long q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* The requests' times on the trace's clock, from the first timed event
 * (time T0 seconds): M_DAY, M_EPOCH or M_UNORDERED. */
static void set_mode(struct ring_merge *m, double t0)
{
	long long t0_us = llround(t0 * 1e6);
	bool epoch = t0 > 3 * 86400.0;
	if (!m->n) {
		m->mode = epoch ? M_EPOCH : M_DAY;
		snprintf(m->clock, sizeof(m->clock), "no requests to place");
		return;
	}
	long long first;
	if (epoch) {
		first = (long long)(m->reqs[0].submit_ns / 1000u);
		m->shift_us = 0;
	} else {
		first = local_us(m, m->reqs[0].submit_ns);
		/* the trace's first call falls on the day of the first request,
		 * or the one before (a run across midnight) */
		long long day = floor_div(first, US_PER_DAY) * US_PER_DAY;
		long long cand = day + t0_us;
		if (cand - first > 12 * US_PER_HOUR)
			cand -= US_PER_DAY;
		else if (first - cand > 12 * US_PER_HOUR)
			cand += US_PER_DAY;
		m->shift_us = cand - t0_us;
		m->last_us = t0_us;
	}
	long long gap = first - (t0_us + m->shift_us);
	if (gap > US_PER_HOUR || gap < -US_PER_HOUR) {
		m->mode = M_UNORDERED;
		snprintf(m->clock, sizeof(m->clock),
		         "not matched: the capture's first request is %.0f s from the trace's "
		         "first call (%s; another clock or time zone?), so the requests were "
		         "added after the trace, in their own order",
		         (double)gap / 1e6, epoch ? "strace -ttt" : "strace -tt, local time");
		return;
	}
	m->mode = epoch ? M_EPOCH : M_DAY;
	for (size_t i = 0; i < m->n; i++) {
		uint64_t s = m->reqs[i].submit_ns;
		m->sub_us[i] = epoch ? (long long)(s / 1000u) : local_us(m, s);
	}
	for (size_t k = 0; k < m->ncomp; k++) {
		uint64_t c = complete_ns(&m->reqs[m->comp[k]]);
		m->comp_us[k] = epoch ? (long long)(c / 1000u) : local_us(m, c);
	}
	snprintf(m->clock, sizeof(m->clock),
	         epoch ? "strace -ttt (seconds since the epoch) against the capture's "
	                 "CLOCK_REALTIME, in microseconds"
	               : "strace -tt (local time of day) against the capture's CLOCK_REALTIME "
	                 "converted to local time with this machine's time zone, in "
	                 "microseconds; a run across midnight continues on the next day");
}

/* EV's time on the requests' clock, in microseconds. */
static long long event_us(struct ring_merge *m, double t)
{
	long long us = llround(t * 1e6);
	if (m->mode == M_EPOCH)
		return us;
	us += (long long)m->rollovers * US_PER_DAY;
	if (us < m->last_us - 12 * US_PER_HOUR) { /* past midnight */
		m->rollovers++;
		us += US_PER_DAY;
	} else if (us > m->last_us + 12 * US_PER_HOUR && m->rollovers > 0) {
		us -= US_PER_DAY; /* a call that began before midnight, shown after */
	}
	m->last_us = us;
	return us + m->shift_us;
}

static int req_tid(const struct uring_req *r)
{
	return (int)(r->tid ? r->tid : r->pid);
}

/* The next item: a submission (*IS_COMP false) or a completion, by
 * nanoseconds (a submission first on a tie). False when none is left. */
static bool next_item(const struct ring_merge *m, bool *is_comp)
{
	bool s = m->si < m->n, c = m->ci < m->ncomp;
	if (!s && !c)
		return false;
	if (s && c)
		*is_comp = complete_ns(&m->reqs[m->comp[m->ci]]) < m->reqs[m->si].submit_ns;
	else
		*is_comp = c;
	return true;
}

static int feed(struct ring_merge *m, bool is_comp, bool ordered)
{
	if (is_comp)
		return stats_ring_complete(m->st, m->comp[m->ci++]);
	size_t i = m->si++;
	return stats_ring_submit(m->st, i, ordered ? (uint64_t)m->sub_us[i] : UINT64_MAX);
}

static bool is_enter(const struct sp_event *ev)
{
	return ev->kind == SP_SYSCALL && ev->name_len == 14 &&
	       memcmp(ev->name, "io_uring_enter", 14) == 0;
}

/* A submitting io_uring_enter (to_submit > 0), kept to find the line
 * of the requests it submitted. */
static int note_enter(struct ring_merge *m, const struct sp_event *ev, long long us)
{
	struct sp_arg a[2];
	long long to_submit = 0;
	if (!ev->args || sp_split_first_args(ev->args, ev->args_len, a, 2) < 2 ||
	    !sp_arg_number(&a[1], &to_submit) || to_submit <= 0)
		return 0;
	if (m->nenters == m->enters_cap) {
		size_t cap = m->enters_cap ? 2 * m->enters_cap : 256;
		struct enter_rec *v = realloc(m->enters, cap * sizeof(*v));
		if (!v)
			return -1;
		m->enters = v;
		m->enters_cap = cap;
	}
	m->enters[m->nenters++] =
	    (struct enter_rec){ev->pid, us, ev->start_line ? ev->start_line : ev->line, ev->file};
	return 0;
}

int ring_merge_before(struct ring_merge *m, const struct sp_event *ev)
{
	if (!ev->has_time) {
		if (m->mode == M_UNKNOWN) {
			m->mode = M_UNORDERED;
			snprintf(m->clock, sizeof(m->clock),
			         "not matched: the trace has no absolute times (strace -tt or -ttt), "
			         "so the requests were added after the trace, in their own order");
		}
		return 0;
	}
	if (m->mode == M_UNKNOWN)
		set_mode(m, ev->time);
	if (m->mode == M_UNORDERED)
		return 0;
	long long us = event_us(m, ev->time);
	bool enter = is_enter(ev);
	if (enter && note_enter(m, ev, us) < 0)
		return -1;
	bool is_comp;
	while (next_item(m, &is_comp)) {
		long long t = is_comp ? m->comp_us[m->ci] : m->sub_us[m->si];
		if (t > us)
			break;
		if (t == us && !is_comp && enter && ev->pid == req_tid(&m->reqs[m->si]))
			break; /* the call that submitted it goes first */
		if (feed(m, is_comp, true) < 0)
			return -1;
	}
	return 0;
}

static int cmp_enter(const void *a, const void *b)
{
	const struct enter_rec *x = a, *y = b;
	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	if (x->us != y->us)
		return x->us < y->us ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* The last submitting io_uring_enter of TID at or before KEY. */
static bool resolve_line(void *ctx, int tid, uint64_t key, unsigned long *line,
                         const char **file)
{
	const struct ring_merge *m = ctx;
	if (key == UINT64_MAX || key > (uint64_t)LLONG_MAX)
		return false;
	long long us = (long long)key;
	size_t lo = 0, hi = m->nenters; /* first record > (tid, us) */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct enter_rec *e = &m->enters[mid];
		if (e->tid < tid || (e->tid == tid && e->us <= us))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || m->enters[lo - 1].tid != tid)
		return false;
	*line = m->enters[lo - 1].line;
	*file = m->enters[lo - 1].file;
	return true;
}

int ring_merge_finish(struct ring_merge *m)
{
	bool ordered = m->mode == M_DAY || m->mode == M_EPOCH;
	if (m->mode == M_UNKNOWN)
		snprintf(m->clock, sizeof(m->clock),
		         "not matched: the trace has no events, so the requests were added in "
		         "their own order");
	bool is_comp;
	while (next_item(m, &is_comp))
		if (feed(m, is_comp, ordered) < 0)
			return -1;
	if (ordered) {
		qsort(m->enters, m->nenters, sizeof(*m->enters), cmp_enter);
		stats_ring_lines(m->st, resolve_line, m);
	}
	stats_ring_order(m->st, m->clock, ring_merge_tie_rule);
	return 0;
}
