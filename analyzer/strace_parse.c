/* strace_parse: streaming parser for strace's text output.
 *
 * Key idea: never tokenize the arguments on the hot path. A line is read
 * in place from a large read buffer (no per-line copy, no per-line
 * malloc), its prefix (pid, time) and name are read from the left, and the
 * result is found from the right: the last " = " preceded by ")" whose
 * tail reads as a result (number, "?", -y decoration, errno, "(extra)",
 * -T duration). Only that short tail is scanned, so a 100 KiB write()
 * buffer costs a newline search and nothing else. The scans that run on
 * every line (newline, name, the result's '=') test 16 or 64 bytes at a
 * time with SSE2 where the compiler targets it, byte loops elsewhere; the
 * usual -tt clock and -T duration are read with two word loads.
 *
 * Counting (checked against strace -C on the recorded fixtures):
 * - one SP_SYSCALL event per call: an "<unfinished ...>" half and its
 *   "<... NAME resumed>" half are joined into one event (time and
 *   start_line of the first half, duration and line of the second);
 * - "= ? ERESTARTSYS (...)" and the other ERESTART* results are calls that
 *   returned with an error for strace -c: SP_RES_NUMBER, result -1,
 *   err_name "ERESTARTSYS";
 * - "= ?" alone (exit, exit_group, execve's vanished threads) and
 *   "= ? <unavailable>" are SP_RES_UNKNOWN: strace -c does not count them;
 * - a call still unfinished at end of input, or when its process exits or
 *   is killed, is yielded once as SP_RES_NONE.
 * So strace's "calls" column = events with SP_RES_NUMBER, its "errors"
 * column = those with err_name != NULL.
 *
 * Memory: one read buffer per file (256 KiB, growing to 1 MiB + a little
 * for long lines), one join buffer (with a swap hook, joined calls are
 * packed into 1 MiB buffers handed over like the input), and per pid the
 * argument text of a pending unfinished call (at most 64 KiB each). A
 * line longer than 1 MiB keeps its first part and its last 32..64 KiB (so
 * its result is still read) and is counted in stats.long_lines.
 */
#include "strace_parse.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define READ_CHUNK (256u << 10)
#define LINE_CAP (1u << 20)
#define TAIL_KEEP (64u << 10)
#define PENDING_CAP (64u << 10)
#define NAME_MAX_LEN 63
#define MAX_PIDS (1u << 18)
#define MAX_RESULT_CANDIDATES 64

struct pending {
	char name[NAME_MAX_LEN + 1];
	size_t name_len;
	char *args;
	size_t len, cap;
	unsigned long line;
	double time;
	bool has_time;
	const char *file;
};

struct pid_slot {
	int pid;
	bool used;
	bool live, exited; /* named by a pid column or [pid N], and not yet exited */
	bool active; /* pend holds an unfinished call (kept here: no pointer chase per line) */
	struct pending *pend;
};

struct source {
	FILE *f;
	bool own_file;
	char *name;
	int pid_hint;
	char *buf; /* read buffer; lines are parsed in place */
	size_t cap, start, end;
	size_t line_cap, tail_keep; /* LINE_CAP, TAIL_KEEP unless sp_set_max_line() */
	bool eof, failed;
	int err;
	unsigned long lineno;
	char *line; /* current logical line, NUL-terminated */
	size_t len;
	bool reprocess;  /* parse the current line again (after a flush) */
	bool in_summary; /* inside strace -c's table at the end of an -o file */
	char *carry;     /* a line that strace: messages cut in two (stderr traces) */
	size_t carry_len, carry_cap;
	char *jbuf; /* args (and name) of joined or flushed events */
	size_t jcap, jused; /* with a swap hook, bump-allocated and handed over when full */
	char flush_name[NAME_MAX_LEN + 1];
	bool have, done; /* lookahead event, for merging -ff files */
	struct sp_event ev;
	sp_swap_fn swap; /* buffers handed over, not reused (sp_set_buffer_swap) */
	void *swap_ctx;
};

struct sp_parser {
	struct source *src;
	size_t nsrc;
	struct pid_slot *pids;
	size_t pid_cap, pid_used;
	int last_pid;
	bool last_pid_valid;
	struct pid_slot *last_slot; /* slot of last_pid (reset when the table grows) */
	struct pid_slot *recent[8]; /* by pid % 8: processes that take turns line by line */
	/* Without -o, strace drops the [pid N] prefix while only one process
	 * is left: an unprefixed line then belongs to that one. The XOR of the
	 * live pids is that pid when exactly one is live. */
	unsigned long live_count;
	unsigned live_xor;
	size_t flush_pos; /* end of input: next pid slot to flush */
	char *flush_args;
	size_t flush_cap;
	char flush_name[NAME_MAX_LEN + 1];
	char *flush_file;
	struct sp_stats st;
	bool want_times; /* ev->time wanted (sp_set_times); -ff merging needs them anyway */
};

#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu
_Static_assert(sizeof(struct sp_event) == 128, "struct sp_event: two cache lines");
#endif

/* ---- small helpers ---- */

static bool grow(char **buf, size_t *cap, size_t need, size_t max)
{
	if (need <= *cap)
		return true;
	if (need > max)
		return false;
	size_t n = *cap ? *cap : 256;
	while (n < need)
		n *= 2;
	if (n > max)
		n = max;
	char *b = realloc(*buf, n);
	if (!b)
		return false;
	*buf = b;
	*cap = n;
	return true;
}

static inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
static const bool ident_char[256] = {
	['0' ... '9'] = true, ['A' ... 'Z'] = true, ['a' ... 'z'] = true, ['_'] = true,
};
static inline bool is_ident(char c) { return ident_char[(unsigned char)c]; }
static inline bool is_upper_ident(char c) { return (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_'; }

static bool ends_with(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);
	return n >= k && memcmp(s + n - k, suf, k) == 0;
}

/* Parses up to 18 decimal digits; returns chars consumed (0 if none). */
static inline size_t parse_uint(const char *s, const char *e, long long *v)
{
	if (e - s >= 8) {
		/* fewer than 8 digits (pids, results, durations): all at once.
		 * Byte k of t is s[k] - '0' (a borrow from a byte below '0' only
		 * reaches the bytes after it, past the digits); the first byte
		 * above 9 ends the run. */
		uint64_t w;
		memcpy(&w, s, 8);
		uint64_t t = w - 0x3030303030303030ull;
		uint64_t m = ((t + 0x7676767676767676ull) | t) & 0x8080808080808080ull;
		if (m) {
			unsigned n = (unsigned)__builtin_ctzll(m) / 8;
			if (n == 0) {
				*v = 0;
				return 0;
			}
			t = (t & (~0ull >> (64 - 8 * n))) << (8 * (8 - n)); /* leading zeros */
			t = ((t & 0x0F0F0F0F0F0F0F0Full) * 2561) >> 8;
			t = ((t & 0x00FF00FF00FF00FFull) * 6553601) >> 16;
			t = ((t & 0x0000FFFF0000FFFFull) * 42949672960001ull) >> 32;
			*v = (long long)t;
			return n;
		}
	}
	const char *p = s;
	long long x = 0;
	const char *lim = e - s > 18 ? s + 18 : e; /* one bound per digit, not two */
	while (p < lim && is_digit(*p))
		x = x * 10 + (*p++ - '0');
	while (p < e && is_digit(*p)) /* absurdly long: keep scanning, value saturates */
		p++;
	*v = x;
	return (size_t)(p - s);
}

static inline int two_digits(const char *c) { return (c[0] - '0') * 10 + (c[1] - '0'); }

static inline uint64_t load8(const char *c)
{
	uint64_t w;
	memcpy(&w, c, 8);
	return w;
}

/* Are the bytes of W that M selects (0xFF each) all ASCII digits? (Little
 * endian: byte 0 is the first character.) No carry crosses bytes: the
 * second test runs only on bytes already known to be 0x30..0x3F. */
static inline bool digits_in(uint64_t w, uint64_t m)
{
	const uint64_t hi = m & 0xF0F0F0F0F0F0F0F0ull, d = m & 0x3030303030303030ull;
	return (w & hi) == d && ((w + (m & 0x0606060606060606ull)) & hi) == d;
}

/* Six digits "uuuuuu" as 1e-6 seconds. */
static inline double micros(const char *c)
{
	return (two_digits(c) * 10000 + two_digits(c + 2) * 100 + two_digits(c + 4)) * 1e-6;
}

/* Fraction digits ".uuuuuu" -> seconds: one integer, one multiply. */
static inline __attribute__((always_inline)) double parse_frac(const char **pp, const char *e)
{
	const char *c = *pp;
	if (e - c >= 7 && is_digit(c[0]) && is_digit(c[1]) && is_digit(c[2]) && is_digit(c[3]) &&
	    is_digit(c[4]) && is_digit(c[5]) && !is_digit(c[6])) { /* microseconds, the usual case */
		*pp = c + 6;
		return (two_digits(c) * 10000 + two_digits(c + 2) * 100 + two_digits(c + 4)) * 1e-6;
	}
	static const double inv10[] = { 1, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9,
					1e-10, 1e-11, 1e-12, 1e-13, 1e-14, 1e-15, 1e-16, 1e-17, 1e-18 };
	const char *p = *pp, *s = p;
	unsigned long long x = 0;
	while (p < e && is_digit(*p) && p - s < 18)
		x = x * 10 + (unsigned)(*p++ - '0');
	int digits = (int)(p - s);
	while (p < e && is_digit(*p))
		p++;
	*pp = p;
	return (double)x * inv10[digits];
}

/* ---- pid table ---- */

static size_t pid_hash(int pid, size_t cap) { return ((uint32_t)pid * 2654435761u) & (cap - 1); }

static struct pid_slot *pid_insert(struct sp_parser *p, int pid)
{
	if (p->pid_used + 1 > p->pid_cap / 2) {
		if (p->pid_cap >= 2 * MAX_PIDS)
			return NULL;
		size_t ncap = p->pid_cap ? p->pid_cap * 2 : 64;
		struct pid_slot *n = calloc(ncap, sizeof(*n));
		if (!n)
			return NULL;
		for (size_t i = 0; i < p->pid_cap; i++) {
			if (!p->pids[i].used)
				continue;
			size_t j = pid_hash(p->pids[i].pid, ncap);
			while (n[j].used)
				j = (j + 1) & (ncap - 1);
			n[j] = p->pids[i];
		}
		free(p->pids);
		p->pids = n;
		p->pid_cap = ncap;
		p->last_pid_valid = false;
		p->last_slot = NULL;
		memset(p->recent, 0, sizeof(p->recent));
	}
	size_t i = pid_hash(pid, p->pid_cap);
	while (p->pids[i].used) {
		if (p->pids[i].pid == pid)
			return &p->pids[i];
		i = (i + 1) & (p->pid_cap - 1);
	}
	p->pids[i].used = true;
	p->pids[i].pid = pid;
	p->pids[i].pend = NULL;
	p->pids[i].active = false;
	p->pids[i].live = p->pids[i].exited = false;
	p->pid_used++;
	p->st.pids++;
	return &p->pids[i];
}

static struct pid_slot *note_pid_slow(struct sp_parser *p, int pid);

/* The slot of PID, created on first sight (NULL only if the table is full). */
static inline struct pid_slot *note_pid(struct sp_parser *p, int pid)
{
	if (p->last_pid_valid && p->last_pid == pid)
		return p->last_slot;
	return note_pid_slow(p, pid);
}

static struct pid_slot *note_pid_slow(struct sp_parser *p, int pid)
{
	struct pid_slot *slot = p->recent[(unsigned)pid & 7];
	if (!slot || slot->pid != pid) {
		slot = pid_insert(p, pid);
		if (slot)
			p->recent[(unsigned)pid & 7] = slot;
	}
	if (slot) {
		p->last_pid = pid;
		p->last_pid_valid = true;
		p->last_slot = slot;
	}
	return slot;
}

static void pending_free(struct pending *pd)
{
	if (pd) {
		free(pd->args);
		free(pd);
	}
}

/* The call of SLOT is done: keep the allocation for the pid's next call
 * (no malloc per line), but give back an unusually large buffer. */
static void pending_release(struct pid_slot *slot)
{
	struct pending *pd = slot->pend;
	slot->active = false;
	if (pd->cap > 1024) {
		free(pd->args);
		pd->args = NULL;
		pd->cap = 0;
	}
}

static inline struct pending *pending_of(struct pid_slot *slot)
{
	return slot && slot->active ? slot->pend : NULL;
}

/* ---- reading lines ---- */

static void source_fail(struct source *s, int err)
{
	s->failed = true;
	s->err = err ? err : EIO;
}

/* Reads more input after [start,end), compacting first. 1 read, 0 eof, -1 error. */
/* Moves [start,end) to the front of a buffer of NCAP bytes: the same one,
 * or with a swap hook a fresh one (the old one goes to the hook). */
static bool rebuffer(struct source *s, size_t ncap)
{
	size_t have = s->end - s->start;
	if (s->swap) {
		char *old = s->buf, *b = s->swap(s->swap_ctx, old, s->cap, ncap);
		if (!b)
			return false;
		memcpy(b, old + s->start, have);
		s->buf = b;
	} else if (ncap != s->cap) {
		char *b = realloc(s->buf, ncap); /* start is 0 here */
		if (!b)
			return false;
		s->buf = b;
	} else {
		memmove(s->buf, s->buf + s->start, have);
	}
	s->cap = ncap;
	s->start = 0;
	s->end = have;
	return true;
}

/* Room for N bytes of a joined or flushed event. Without a swap hook the
 * one buffer is reused by every event; with one, events are packed into
 * a buffer that goes to the hook when full, so that they stay readable as
 * long as the input lines do. NULL if out of memory. */
static char *join_alloc(struct source *s, size_t n)
{
	if (!s->swap) {
		if (!grow(&s->jbuf, &s->jcap, n, PENDING_CAP + s->line_cap + NAME_MAX_LEN + 2))
			return NULL;
		return s->jbuf;
	}
	if (!s->jbuf || s->jcap - s->jused < n) {
		size_t cap = n > s->line_cap + 1 ? n : s->line_cap + 1;
		char *b = s->swap(s->swap_ctx, s->jbuf, s->jcap, cap);
		if (!b)
			return NULL;
		s->jbuf = b;
		s->jcap = cap;
		s->jused = 0;
	}
	char *r = s->jbuf + s->jused;
	s->jused += n;
	return r;
}

static int fill(struct source *s)
{
	if (s->start > 0 && !rebuffer(s, s->cap)) {
		source_fail(s, ENOMEM);
		return -1;
	}
	if (s->end + 1 >= s->cap) {
		size_t ncap = s->cap * 2;
		if (ncap > s->line_cap + 1)
			ncap = s->line_cap + 1;
		if (ncap <= s->cap)
			return 1; /* full: caller handles the long line */
		if (!rebuffer(s, ncap)) {
			source_fail(s, ENOMEM);
			return -1;
		}
	}
	size_t n = fread(s->buf + s->end, 1, s->cap - 1 - s->end, s->f);
	s->end += n;
	if (n == 0) {
		if (ferror(s->f)) {
			source_fail(s, errno);
			return -1;
		}
		s->eof = true;
		return 0;
	}
	return 1;
}

/* A line that does not fit in line_cap: keep its head, slide a tail
 * window over the rest until its newline. Returns the newline position
 * (or end at eof), -1 on error. */
static long long_line(struct sp_parser *p, struct source *s)
{
	const size_t head = s->line_cap - s->tail_keep, keep = s->tail_keep / 2;
	p->st.long_lines++;
	size_t scanned = head; /* bytes of [head, end) already searched */
	for (;;) {
		char *nl = memchr(s->buf + scanned, '\n', s->end - scanned);
		if (nl)
			return nl - s->buf;
		if (s->eof)
			return (long)s->end;
		/* keep the last tail_keep/2 bytes after head */
		size_t have = s->end - head;
		if (have > keep) {
			size_t drop = have - keep;
			p->st.bytes += drop;
			memmove(s->buf + head, s->buf + head + drop, keep);
			s->end -= drop;
		}
		scanned = s->end;
		size_t n = fread(s->buf + s->end, 1, s->cap - 1 - s->end, s->f);
		if (n == 0) {
			if (ferror(s->f)) {
				source_fail(s, errno);
				return -1;
			}
			s->eof = true;
		}
		s->end += n;
	}
}

/* The first '\n' in [p, end), or NULL. Lines are about 100 bytes: an
 * inline 16-byte scan beats a memchr call's setup. */
static inline char *find_newline(char *p, char *end)
{
#ifdef __SSE2__
	const __m128i nl = _mm_set1_epi8('\n');
	/* 64 bytes per test: a line ends after one or two of them */
	while (end - p >= 64) {
		__m128i a = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)p), nl);
		__m128i b = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p + 16)), nl);
		__m128i c = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p + 32)), nl);
		__m128i d = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p + 48)), nl);
		if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d)))) {
			uint64_t m = (uint64_t)(unsigned)_mm_movemask_epi8(a) |
				     (uint64_t)(unsigned)_mm_movemask_epi8(b) << 16 |
				     (uint64_t)(unsigned)_mm_movemask_epi8(c) << 32 |
				     (uint64_t)(unsigned)_mm_movemask_epi8(d) << 48;
			return p + __builtin_ctzll(m);
		}
		p += 64;
	}
	while (end - p >= 16) {
		int m = _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)p), nl));
		if (m)
			return p + __builtin_ctz((unsigned)m);
		p += 16;
	}
#endif
	return memchr(p, '\n', (size_t)(end - p));
}

/* The first byte in [from, len) equal to A, B or C, or len: 16 bytes at
 * a time inline (paths and decorations are short; a memchr call costs
 * more than it saves on them), memchr past 64 bytes for a single byte (a
 * long string argument), a byte loop for the tail. */
static inline size_t find_any3(const char *s, size_t from, size_t len, char a, char b, char c)
{
	bool one = a == b && b == c;
#ifdef __SSE2__
	const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b), vc = _mm_set1_epi8(c);
	for (int k = 0; (k < 4 || !one) && len - from >= 16; k++) {
		__m128i v = _mm_loadu_si128((const __m128i *)(s + from));
		int m = _mm_movemask_epi8(_mm_or_si128(
		    _mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)), _mm_cmpeq_epi8(v, vc)));
		if (m)
			return from + (size_t)__builtin_ctz((unsigned)m);
		from += 16;
	}
#endif
	if (one) {
		const char *q = memchr(s + from, a, len - from);
		return q ? (size_t)(q - s) : len;
	}
	while (from < len && s[from] != a && s[from] != b && s[from] != c)
		from++;
	return from;
}

/* The end of the identifier that starts at p (letters, digits, '_'). */
static inline char *ident_end(char *p, char *e)
{
#ifdef __SSE2__
	if (e - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)p);
		/* bytes >= 0x80 are negative: outside every range below */
		__m128i lo = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('a' - 1)),
					   _mm_cmplt_epi8(v, _mm_set1_epi8('z' + 1)));
		__m128i up = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('A' - 1)),
					   _mm_cmplt_epi8(v, _mm_set1_epi8('Z' + 1)));
		__m128i dg = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
					   _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
		__m128i us = _mm_cmpeq_epi8(v, _mm_set1_epi8('_'));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(lo, up), _mm_or_si128(dg, us)));
		if (m != 0xFFFF)
			return p + __builtin_ctz(~m);
		p += 16;
	}
#endif
	while (p < e && is_ident(*p))
		p++;
	return p;
}

/* The last '=' in [a, p), or NULL. */
static inline char *last_equals(char *a, char *p)
{
#ifdef __SSE2__
	const __m128i eq = _mm_set1_epi8('=');
	while (p - a >= 16) {
		int m = _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p - 16)), eq));
		if (m)
			return p - 16 + (31 - __builtin_clz((unsigned)m));
		p -= 16;
	}
#endif
	return memrchr(a, '=', (size_t)(p - a));
}

/* Next physical line into s->line/s->len. 1, 0 at eof, -1 on error. */
static int physical_line(struct sp_parser *p, struct source *s)
{
	size_t searched = s->start;
	for (;;) {
		char *nl = find_newline(s->buf + searched, s->buf + s->end);
		if (nl) {
			size_t len = (size_t)(nl - (s->buf + s->start));
			s->line = s->buf + s->start;
			s->len = len;
			*nl = '\0';
			s->start += len + 1;
			p->st.bytes += len + 1;
			break;
		}
		if (s->eof) {
			if (s->start >= s->end)
				return 0;
			s->line = s->buf + s->start;
			s->len = s->end - s->start;
			s->buf[s->end] = '\0';
			p->st.bytes += s->len;
			s->start = s->end;
			break;
		}
		size_t off = s->end - s->start; /* already searched, relative to start */
		bool full = s->start == 0 && s->end + 1 >= s->cap && s->cap >= s->line_cap + 1;
		if (full) {
			long nlpos = long_line(p, s); /* counts the bytes it drops */
			if (nlpos < 0)
				return -1;
			size_t len = (size_t)nlpos;
			s->line = s->buf;
			s->len = len;
			p->st.bytes += len + (len < s->end ? 1 : 0);
			s->buf[len] = '\0';
			s->start = len < s->end ? len + 1 : len;
			break;
		}
		int r = fill(s);
		if (r < 0)
			return -1;
		searched = s->start + off;
	}
	s->lineno++;
	p->st.lines++;
	if (s->len && s->line[s->len - 1] == '\r')
		s->line[--s->len] = '\0';
	return 1;
}

/* Without -o, "strace: Process N attached" can land in the middle of a
 * line on stderr; the line goes on after it. */
static bool split_by_message(const char *l, size_t n, size_t *cut)
{
	if (n < 9 || l[n - 1] != 'd' || (!ends_with(l, n, " attached") && !ends_with(l, n, " detached")))
		return false;
	const char *m = memmem(l, n, "strace: Process ", 16);
	if (!m || m == l)
		return false;
	/* only when something other than a prefix stands before it */
	const char *q = l;
	while (q < m && (*q == ' ' || is_digit(*q) || *q == '[' || *q == ']' || *q == 'p' ||
			 *q == 'i' || *q == 'd' || *q == ':' || *q == '.'))
		q++;
	if (q == m)
		return false;
	*cut = (size_t)(m - l);
	return true;
}

/* Next logical line: a physical line, or two joined around an embedded
 * strace: message. */
static int next_line(struct sp_parser *p, struct source *s)
{
	int r = physical_line(p, s);
	if (r <= 0)
		return r;
	size_t cut;
	while (split_by_message(s->line, s->len, &cut)) {
		p->st.strace_messages++;
		if (!grow(&s->carry, &s->carry_cap, cut + 1, s->line_cap + 1)) {
			p->st.malformed_lines++;
			return 1;
		}
		memmove(s->carry, s->line, cut); /* the line may already be the carry */
		s->carry_len = cut;
		r = physical_line(p, s);
		if (r < 0)
			return r;
		if (r == 0) {
			s->carry[s->carry_len] = '\0';
			s->line = s->carry;
			s->len = s->carry_len;
			return 1;
		}
		size_t room = s->len;
		if (s->carry_len + room + 1 > s->line_cap + 1)
			room = s->line_cap - s->carry_len;
		if (!grow(&s->carry, &s->carry_cap, s->carry_len + room + 1, s->line_cap + 1))
			room = 0;
		memmove(s->carry + s->carry_len, s->line, room);
		s->carry_len += room;
		s->carry[s->carry_len] = '\0';
		s->line = s->carry;
		s->len = s->carry_len;
	}
	return 1;
}

/* ---- line grammar ---- */

struct prefix {
	int pid;
	bool pid_from_line; /* a pid column or [pid N], not the file's hint */
	bool has_time;
	double time;
	char *body;
};

/* "[pid N] ", "N ", then "HH:MM:SS[.frac] " or "SECS.frac " (-ttt, -r). */
static bool parse_prefix(char *l, char *e, int pid_hint, bool want_time, struct prefix *px)
{
	char *c = l;
	px->pid = pid_hint;
	px->pid_from_line = false;
	px->has_time = false;
	px->time = 0;
	while (c < e && *c == ' ')
		c++;
	long long v;
	if (e - c > 5 && memcmp(c, "[pid", 4) == 0) {
		c += 4;
		while (c < e && *c == ' ')
			c++;
		size_t k = parse_uint(c, e, &v);
		if (!k || c + k >= e || c[k] != ']')
			return false;
		px->pid = v > INT_MAX ? INT_MAX : (int)v;
		px->pid_from_line = true;
		c += k + 1;
		while (c < e && *c == ' ')
			c++;
	} else if (c < e && is_digit(*c)) {
		size_t k = parse_uint(c, e, &v);
		if (c + k < e && c[k] == ' ') {
			px->pid = v > INT_MAX ? INT_MAX : (int)v;
			px->pid_from_line = true;
			c += k;
			while (c < e && *c == ' ')
				c++;
		}
	}
	uint64_t w0, w1;
	if (e - c >= 16 && (w0 = load8(c), w1 = load8(c + 8),
			    digits_in(w0, 0xFFFF00FFFF00FFFFull) && digits_in(w1, 0x00FFFFFFFFFFFF00ull)) &&
	    c[2] == ':' && c[5] == ':' && c[8] == '.' && c[15] == ' ') {
		/* the -tt form "HH:MM:SS.uuuuuu ": two loads, no loop */
		if (want_time)
			px->time = (double)(two_digits(c) * 3600 + two_digits(c + 3) * 60 +
					    two_digits(c + 6)) +
				   micros(c + 9);
		px->has_time = true;
		c += 16;
		while (c < e && *c == ' ')
			c++;
	} else if (e - c >= 16 && c[2] == ':' && c[5] == ':' && c[8] == '.' && is_digit(c[0]) &&
		   is_digit(c[1]) && is_digit(c[3]) && is_digit(c[4]) && is_digit(c[6]) && is_digit(c[7])) {
		/* HH:MM:SS.frac with another number of digits */
		const char *q = c + 9;
		px->time = (double)(two_digits(c) * 3600 + two_digits(c + 3) * 60 + two_digits(c + 6)) +
			   parse_frac(&q, e);
		px->has_time = true;
		c = (char *)q;
		if (c < e && *c != ' ')
			return false;
		while (c < e && *c == ' ')
			c++;
	} else if (c < e && is_digit(*c)) {
		size_t k = parse_uint(c, e, &v);
		char *q = c + k;
		if (q < e && *q == ':') { /* HH:MM:SS */
			long long mm, ss;
			size_t k2 = parse_uint(q + 1, e, &mm);
			if (!k2 || q[1 + k2] != ':')
				return false;
			q += 1 + k2;
			size_t k3 = parse_uint(q + 1, e, &ss);
			if (!k3 || v > 99 || mm > 59 || ss > 60) /* a time of day, leap second included */
				return false;
			q += 1 + k3;
			double t = (double)(v * 3600 + mm * 60 + ss);
			if (q < e && *q == '.') {
				q++;
				t += parse_frac((const char **)&q, e);
			}
			px->time = t;
			px->has_time = true;
			c = q;
		} else if (q < e && *q == '.') { /* seconds since epoch or relative */
			q++;
			px->time = (double)v + parse_frac((const char **)&q, e);
			px->has_time = true;
			c = q;
		} else {
			return false;
		}
		if (c < e && *c != ' ')
			return false;
		while (c < e && *c == ' ')
			c++;
	}
	/* -i "[00007f...] " and -n "[  0] " columns */
	if (c < e && *c == '[') {
		char *q = c + 1;
		while (q < e && (isxdigit((unsigned char)*q) || *q == ' ' || *q == '?' || *q == 'x'))
			q++;
		if (q < e && *q == ']' && q > c + 1) {
			c = q + 1;
			while (c < e && *c == ' ')
				c++;
		}
	}
	px->body = c;
	return true;
}

struct result {
	enum sp_result kind;
	long long value;
	char *decor, *decor_end;
	char *err_name, *err_name_end;
	char *err_text, *err_text_end;
	char *extra, *extra_end;
	const char *err_static_name, *err_static_text; /* for "(errno N)" */
};

/* Skips a <...> decoration starting at '<': nested <> and [] (sockets
 * print "[a->b]"). In a path ("</...") '<' and '>' are escaped and '[' is
 * a plain byte: only a nested -yy "<char 1:3>" adds a level there.
 * Returns the position after the closing '>' or NULL. */
static char *skip_decoration(char *p, char *e)
{
	bool path = e - p > 1 && p[1] == '/';
	/* the usual "3</path>": no '<' or '[' before the first '>' closes it */
	if (p < e) {
		size_t len = (size_t)(e - p), k = find_any3(p, 1, len, '>', '<', path ? '>' : '[');
		if (k == len)
			return NULL; /* no '>' at all: the scan below finds none either */
		if (p[k] == '>')
			return p + k + 1;
	}
	int angle = 0, square = 0;
	for (; p < e; p++) {
		char c = *p;
		if (path && (c == '[' || c == ']'))
			continue;
		if (c == '[')
			square++;
		else if (c == ']' && square > 0)
			square--;
		else if (square == 0 && c == '<')
			angle++;
		else if (square == 0 && c == '>') {
			if (--angle == 0)
				return p + 1;
		}
	}
	return NULL;
}

/* " ENAME (text)" at p (p at the E). */
static bool parse_errno(char *p, char *e, struct result *r)
{
	if (p >= e || *p != 'E')
		return false;
	char *q = p;
	while (q < e && is_upper_ident(*q))
		q++;
	if (q - p < 2 || e - q < 3 || q[0] != ' ' || q[1] != '(' || e[-1] != ')')
		return false;
	r->err_name = p;
	r->err_name_end = q;
	r->err_text = q + 2;
	r->err_text_end = e - 1;
	return true;
}

/* Tail of a result, p just after "= ", up to e. */
static bool parse_result_tail(char *p, char *e, struct result *r)
{
	/* field by field: a memset here is a "rep stos" on the hot path */
	r->kind = SP_RES_NONE;
	r->value = 0;
	r->decor = r->decor_end = r->err_name = r->err_name_end = NULL;
	r->err_text = r->err_text_end = r->extra = r->extra_end = NULL;
	r->err_static_name = r->err_static_text = NULL;
	if (p >= e)
		return false;
	if (*p == '?') {
		r->kind = SP_RES_UNKNOWN;
		p++;
		if (p == e)
			return true;
		if (*p != ' ')
			return false;
		p++;
		if (e - p == 13 && memcmp(p, "<unavailable>", 13) == 0)
			return true;
		if (parse_errno(p, e, r)) { /* ERESTARTSYS & co: returned, with an error */
			r->kind = SP_RES_NUMBER;
			r->value = -1;
			return true;
		}
		return false;
	}
	char *q = p;
	if (e - q > 2 && q[0] == '0' && q[1] == 'x') {
		q += 2;
		unsigned long long x = 0;
		char *h = q;
		while (q < e && isxdigit((unsigned char)*q)) {
			x = x * 16 + (unsigned long long)(is_digit(*q) ? *q - '0' : (*q | 0x20) - 'a' + 10);
			q++;
		}
		if (q == h)
			return false;
		r->value = (long long)x;
	} else {
		bool neg = false;
		if (*q == '-') {
			neg = true;
			q++;
		}
		long long v;
		size_t k = parse_uint(q, e, &v);
		if (!k)
			return false;
		q += k;
		r->value = neg ? -v : v;
	}
	r->kind = SP_RES_NUMBER;
	if (q < e && *q == '<') {
		char *d = skip_decoration(q, e);
		if (!d)
			return false;
		r->decor = q + 1;
		r->decor_end = d - 1;
		q = d;
	}
	if (q == e)
		return true;
	if (*q != ' ')
		return false;
	q++;
	if (parse_errno(q, e, r))
		return true;
	if (q < e && *q == '(' && e[-1] == ')') {
		long long n;
		if (e - q > 8 && memcmp(q, "(errno ", 7) == 0 && r->value == -1) {
			size_t k = parse_uint(q + 7, e, &n);
			if (k && q + 7 + k == e - 1 && n < INT_MAX) {
				r->err_static_name = strerrorname_np((int)n);
				r->err_static_text = strerrordesc_np((int)n);
				if (r->err_static_name)
					return true;
			}
		}
		r->extra = q;
		r->extra_end = e;
		return true;
	}
	return false;
}

/* Finds the result in [a, e): the last " = " preceded by ")" whose tail
 * reads as a result. *close is set to that ")". Strips a -T duration. */
static bool find_result(char *a, char *e, struct result *r, char **close, bool *has_dur, double *dur)
{
	*has_dur = false;
	while (e > a && e[-1] == ' ')
		e--;
	if (e - a > 11 && e[-1] == '>' && e[-8] == '.' && e[-10] == '<' && e[-11] == ' ' &&
	    is_digit(e[-9]) && digits_in(load8(e - 8), 0x00FFFFFFFFFFFF00ull)) {
		/* the usual -T form " <S.uuuuuu>" */
		*dur = (double)(e[-9] - '0') + micros(e - 7);
		*has_dur = true;
		e -= 11;
		while (e > a && e[-1] == ' ')
			e--;
	} else if (e - a > 3 && e[-1] == '>') {
		char *lt = e - 2;
		while (lt > a && (is_digit(*lt) || *lt == '.'))
			lt--;
		if (*lt == '<' && lt > a && lt[-1] == ' ' && lt < e - 2 && is_digit(lt[1])) {
			const char *q = lt + 1;
			long long v;
			size_t k = parse_uint(q, e, &v);
			q += k;
			double d = (double)v;
			if (q < e && *q == '.') {
				q++;
				d += parse_frac(&q, e);
			}
			*dur = d;
			*has_dur = true;
			e = lt - 1;
			while (e > a && e[-1] == ' ')
				e--;
		}
	}
	char *p = e;
	for (int tries = 0; tries < MAX_RESULT_CANDIDATES; tries++) {
		char *eq = last_equals(a, p);
		if (!eq)
			return false;
		p = eq;
		if (eq - a < 2 || eq + 1 >= e || eq[-1] != ' ' || eq[1] != ' ')
			continue;
		char *c = eq - 1;
		while (c > a && *c == ' ')
			c--;
		if (*c != ')')
			continue;
		if (parse_result_tail(eq + 2, e, r)) {
			*close = c;
			return true;
		}
	}
	return false;
}

static void fill_result(struct sp_event *ev, struct result *r)
{
	ev->result_kind = r->kind;
	ev->result = r->value;
	if (r->decor) {
		*r->decor_end = '\0';
		size_t dl = (size_t)(r->decor_end - r->decor);
		if (memchr(r->decor, '\\', dl)) /* decoded in place: never longer */
			sp_unescape(r->decor, dl, '\0', r->decor, dl + 1, NULL);
		ev->result_decor = r->decor;
	}
	if (r->err_name) {
		*r->err_name_end = '\0';
		*r->err_text_end = '\0';
		ev->err_name = r->err_name;
		ev->err_text = r->err_text;
	} else if (r->err_static_name) {
		ev->err_name = r->err_static_name;
		ev->err_text = r->err_static_text;
	} else if (r->extra) {
		*r->extra_end = '\0';
		ev->result_extra = r->extra;
	}
}

static void event_init(struct sp_event *ev, struct source *s, const struct prefix *px)
{
	ev->kind = SP_SYSCALL;
	ev->name = NULL;
	ev->name_len = 0;
	ev->args = NULL;
	ev->args_len = 0;
	ev->result = 0;
	ev->result_decor = ev->err_name = ev->err_text = ev->result_extra = NULL;
	ev->has_duration = false;
	ev->duration = 0;
	ev->resumed = ev->orphan_resumed = false;
	ev->exit_status = 0;
	ev->pid = px->pid;
	ev->has_time = px->has_time;
	ev->time = px->time;
	ev->line = ev->start_line = s->lineno;
	ev->file = s->name;
	ev->result_kind = SP_RES_NONE;
	ev->handed_over = s->swap && s->line != s->carry;
}

/* Yields the pending call of SLOT as never returned, its arguments and
 * name in ARGS_BUF (room for pd->len + 1 bytes, or NULL: empty arguments)
 * and NAME_BUF. */
static void pending_to_event(struct pending *pd, int pid, struct sp_event *ev, char *args_buf,
			     char *name_buf)
{
	memset(ev, 0, sizeof(*ev));
	ev->kind = SP_SYSCALL;
	ev->pid = pid;
	ev->has_time = pd->has_time;
	ev->time = pd->time;
	ev->line = ev->start_line = pd->line;
	ev->file = pd->file;
	ev->result_kind = SP_RES_NONE;
	memcpy(name_buf, pd->name, sizeof(pd->name));
	ev->name = name_buf;
	ev->name_len = pd->name_len;
	if (args_buf) {
		memcpy(args_buf, pd->args ? pd->args : "", pd->len);
		args_buf[pd->len] = '\0';
		ev->args = args_buf;
		ev->args_len = pd->len;
	} else {
		ev->args = "";
	}
}

static int flush_pending(struct sp_parser *p, struct source *s, struct pid_slot *slot, struct sp_event *ev)
{
	struct pending *pd = slot->pend;
	char *room = join_alloc(s, pd->len + 1 + NAME_MAX_LEN + 1);
	if (room) {
		pending_to_event(pd, slot->pid, ev, room, room + pd->len + 1);
		ev->handed_over = s->swap != NULL;
	} else {
		pending_to_event(pd, slot->pid, ev, NULL, s->flush_name);
	}
	pending_release(slot);
	p->st.unfinished_eof++;
	s->reprocess = true;
	return 1;
}

static bool pending_store(struct sp_parser *p, struct pid_slot *slot, const char *name, size_t nlen,
			  const char *args, size_t alen, struct source *s, const struct prefix *px)
{
	struct pending *pd = slot->pend;
	if (!pd) {
		pd = calloc(1, sizeof(*pd));
		if (!pd)
			return false;
		slot->pend = pd;
	}
	(void)p;
	slot->active = true;
	memcpy(pd->name, name, nlen);
	pd->name[nlen] = '\0';
	pd->name_len = nlen;
	if (alen > PENDING_CAP)
		alen = PENDING_CAP;
	if (!grow(&pd->args, &pd->cap, alen + 1, PENDING_CAP + 1))
		alen = 0;
	if (pd->args) {
		memcpy(pd->args, args, alen);
		pd->args[alen] = '\0';
	}
	pd->len = alen;
	pd->line = s->lineno;
	pd->time = px->time;
	pd->has_time = px->has_time;
	pd->file = s->name;
	return true;
}

static int malformed(struct sp_parser *p, struct source *s)
{
	p->st.malformed_lines++;
	if (!p->st.first_malformed)
		p->st.first_malformed = s->lineno;
	return 0;
}

/* A row of strace -c's table: numbers, then a syscall name (or "total"),
 * or a dashed rule. */
static bool summary_row(const char *b, const char *e)
{
	if (*b == '-')
		return e - b >= 6 && memcmp(b, "------", 6) == 0;
	int numbers = 0;
	const char *c = b;
	while (c < e) {
		while (c < e && *c == ' ')
			c++;
		if (c == e)
			break;
		const char *t = c;
		bool numeric = true;
		while (c < e && *c != ' ') {
			if (!is_digit(*c) && *c != '.')
				numeric = false;
			c++;
		}
		if (numeric) {
			numbers++;
			continue;
		}
		for (; t < c; t++)
			if (!is_ident(*t))
				return false;
		while (c < e && *c == ' ')
			c++;
		return c == e && numbers >= 3 && numbers <= 6;
	}
	return false;
}

static bool looks_like_summary(const char *b, const char *e)
{
	if (*b != '%' && *b != 'S')
		return false;
	if (e - b >= 6 && memcmp(b, "% time", 6) == 0)
		return true;
	if (e - b >= 30 && memcmp(b, "System call usage summary", 25) == 0)
		return true;
	return false;
}

static int parse_signal(struct sp_parser *p, struct source *s, char *b, char *e, const struct prefix *px,
			struct sp_event *ev)
{
	char *n = b + 4;
	if (e - n > 11 && memcmp(n, "stopped by ", 11) == 0)
		n += 11;
	char *ne = n;
	while (ne < e && is_ident(*ne))
		ne++;
	if (ne == n || (ne < e && *ne != ' '))
		return malformed(p, s);
	char *a = ne < e ? ne + 1 : e;
	char *ae = e;
	if (ae - a >= 3 && memcmp(ae - 3, "---", 3) == 0)
		ae -= 3;
	while (ae > a && ae[-1] == ' ')
		ae--;
	event_init(ev, s, px);
	ev->kind = SP_SIGNAL;
	*ae = '\0';
	*ne = '\0';
	ev->name = n;
	ev->name_len = (size_t)(ne - n);
	ev->args = a;
	ev->args_len = (size_t)(ae - a);
	p->st.signals++;
	return 1;
}

static int signal_number(const char *name)
{
	if (strncmp(name, "SIG", 3) != 0)
		return 0;
	for (int i = 1; i < 65; i++) {
		const char *a = sigabbrev_np(i);
		if (a && strcmp(a, name + 3) == 0)
			return i;
	}
	return 0;
}

static int parse_exit(struct sp_parser *p, struct source *s, char *b, char *e, const struct prefix *px,
		      struct sp_event *ev)
{
	char *c = b + 4;
	long long v;
	if (e - c > 12 && memcmp(c, "exited with ", 12) == 0) {
		c += 12;
		bool neg = c < e && *c == '-';
		size_t k = parse_uint(c + neg, e, &v);
		if (!k)
			return malformed(p, s);
		event_init(ev, s, px);
		ev->kind = SP_EXIT;
		ev->exit_status = (int)(neg ? -v : v);
		p->st.exits++;
		return 1;
	}
	if (e - c > 10 && memcmp(c, "killed by ", 10) == 0) {
		c += 10;
		char *ne = c;
		while (ne < e && is_ident(*ne))
			ne++;
		if (ne == c)
			return malformed(p, s);
		event_init(ev, s, px);
		ev->kind = SP_KILLED;
		*ne = '\0';
		ev->name = c;
		ev->name_len = (size_t)(ne - c);
		ev->exit_status = signal_number(c);
		p->st.exits++;
		return 1;
	}
	return malformed(p, s);
}

/* "NAME(args) = result", "NAME(args <unfinished ...>", "<... NAME resumed>rest". */
static int parse_call(struct sp_parser *p, struct source *s, char *b, char *e, const struct prefix *px,
		      struct pid_slot *me, struct sp_event *ev)
{
	bool resumed = false;
	char *n = b, *ne, *rest;
	if (e - b > 5 && memcmp(b, "<... ", 5) == 0) {
		resumed = true;
		n = b + 5;
		ne = ident_end(n, e);
		if (ne == n || e - ne < 9 || memcmp(ne, " resumed>", 9) != 0)
			return malformed(p, s);
		rest = ne + 9;
	} else {
		ne = ident_end(n, e);
		if (ne == n || ne >= e || *ne != '(')
			return malformed(p, s);
		rest = ne + 1;
	}
	size_t nlen = (size_t)(ne - n);
	if (nlen > NAME_MAX_LEN)
		return malformed(p, s);

	struct pid_slot *slot = me ? me : note_pid(p, px->pid); /* parse_line's lookup */
	struct pending *pd = pending_of(slot);

	static const char unf[] = "<unfinished ...>";
	/* both "<unfinished ...>" and "<detached ...>" end in "...>" */
	bool dots = e - rest >= 4 && e[-1] == '>' && e[-2] == '.';
	bool unfinished = dots && ends_with(rest, (size_t)(e - rest), unf);
	if (unfinished) {
		char *ae = e - (sizeof(unf) - 1);
		if (ae > rest && ae[-1] == ' ')
			ae--;
		if (!resumed) {
			if (pd) /* a second call before the first resumed: the first never returns */
				return flush_pending(p, s, slot, ev);
			if (!slot || !pending_store(p, slot, n, nlen, rest, (size_t)(ae - rest), s, px))
				return malformed(p, s);
			return 0;
		}
		/* "<... NAME resumed> ... <unfinished ...>": more of the same call */
		if (pd && pd->name_len == nlen && memcmp(pd->name, n, nlen) == 0) {
			size_t add = (size_t)(ae - rest);
			if (pd->len + add > PENDING_CAP)
				add = PENDING_CAP - pd->len;
			if (grow(&pd->args, &pd->cap, pd->len + add + 1, PENDING_CAP + 1)) {
				memcpy(pd->args + pd->len, rest, add);
				pd->len += add;
				pd->args[pd->len] = '\0';
			}
			return 0;
		}
		return malformed(p, s);
	}

	if (resumed && pd && (pd->name_len != nlen || memcmp(pd->name, n, nlen) != 0))
		return flush_pending(p, s, slot, ev);

	struct result r;
	char *close = NULL;
	bool has_dur;
	double dur = 0;
	/* strace detached (^C, -p) while the call was in the kernel */
	bool detached = dots && ends_with(rest, (size_t)(e - rest), "<detached ...>");
	if (!detached && !find_result(rest, e, &r, &close, &has_dur, &dur))
		return malformed(p, s);

	event_init(ev, s, px);
	ev->kind = SP_SYSCALL;
	if (detached) {
		has_dur = false;
		close = e - 14;
		while (close > rest && close[-1] == ' ')
			close--;
		parse_result_tail(e, e, &r); /* clears r */
		r.kind = SP_RES_NONE;
	}
	ev->has_duration = has_dur;
	ev->duration = dur;
	fill_result(ev, &r);
	if (!resumed) {
		*ne = '\0';
		ev->name = n;
		ev->name_len = nlen;
		*close = '\0';
		ev->args = rest;
		ev->args_len = (size_t)(close - rest);
		return 1;
	}
	/* resumed: join with the first half */
	size_t tail = (size_t)(close - rest);
	if (!pd) {
		ev->orphan_resumed = true;
		p->st.orphan_resumed++;
		*ne = '\0';
		ev->name = n;
		ev->name_len = nlen;
		*close = '\0';
		ev->args = rest;
		ev->args_len = tail;
		return 1;
	}
	size_t total = pd->len + tail;
	char *j = join_alloc(s, total + 1 + pd->name_len + 1);
	if (!j)
		return malformed(p, s);
	if (pd->len)
		memcpy(j, pd->args, pd->len);
	memcpy(j + pd->len, rest, tail);
	j[total] = '\0';
	memcpy(j + total + 1, pd->name, pd->name_len + 1);
	ev->name = j + total + 1;
	ev->name_len = pd->name_len;
	ev->args = j;
	ev->args_len = total;
	ev->resumed = true;
	ev->start_line = pd->line;
	ev->has_time = pd->has_time;
	ev->time = pd->time;
	pending_release(slot);
	p->st.resumed_pairs++;
	return 1;
}

static void mark_exited(struct sp_parser *p, struct pid_slot *slot)
{
	if (slot->live) {
		slot->live = false;
		p->live_count--;
		p->live_xor ^= (unsigned)slot->pid;
	}
	slot->exited = true;
}

/* "PID +++ superseded by execve in pid TID +++": thread TID called execve
 * and now runs as PID; its unfinished execve resumes under PID. */
static int superseded(struct sp_parser *p, int pid, const char *c, const char *e)
{
	long long tid;
	p->st.strace_messages++;
	if (!parse_uint(c, e, &tid) || tid > INT_MAX)
		return 0;
	note_pid(p, pid);
	struct pid_slot *old = note_pid(p, (int)tid); /* may grow the table... */
	struct pid_slot *me = note_pid(p, pid);       /* ...so look me up after it */
	if (!old || !me || old == me)
		return 0;
	if (pending_of(old) && !pending_of(me)) {
		struct pending *t = me->pend;
		me->pend = old->pend;
		me->active = true;
		old->pend = t;
		old->active = false;
	}
	mark_exited(p, old);
	return 0;
}

/* One logical line: 1 and *ev filled, or 0 (no event). */
static int parse_line(struct sp_parser *p, struct source *s, struct sp_event *ev)
{
	char *l = s->line, *e = l + s->len;
	char *b = l;
	while (b < e && *b == ' ')
		b++;
	if (b == e)
		return 0; /* empty line: nothing to say */
	if (s->in_summary) {
		if (summary_row(b, e)) {
			p->st.summary_lines++;
			return 0;
		}
		s->in_summary = false;
	}
	if (looks_like_summary(b, e)) {
		s->in_summary = true;
		p->st.summary_lines++;
		return 0;
	}
	struct prefix px;
	if (!parse_prefix(l, e, s->pid_hint, p->want_times || p->nsrc > 1, &px))
		return malformed(p, s);
	b = px.body;
	if (b >= e)
		return malformed(p, s);
	if ((*b == 's' && e - b > 8 && memcmp(b, "strace: ", 8) == 0) ||
	    (*b == '[' && e - b > 14 && memcmp(b, "[ Process PID=", 14) == 0)) {
		p->st.strace_messages++;
		return 0;
	}
	if (!px.pid_from_line && s->pid_hint == 0 && p->live_count == 1)
		px.pid = (int)p->live_xor;
	struct pid_slot *me = note_pid(p, px.pid);
	if (me && px.pid_from_line && !me->live && !me->exited) {
		me->live = true;
		p->live_count++;
		p->live_xor ^= (unsigned)px.pid;
	}
	if (*b == '-' && e - b > 4 && memcmp(b, "--- ", 4) == 0)
		return parse_signal(p, s, b, e, &px, ev);
	if (*b == '+' && e - b > 4 && memcmp(b, "+++ ", 4) == 0) {
		if (e - b > 33 && memcmp(b + 4, "superseded by execve in pid ", 28) == 0)
			return superseded(p, px.pid, b + 32, e);
		struct pid_slot *slot = note_pid(p, px.pid);
		if (pending_of(slot)) /* the process ended inside a call */
			return flush_pending(p, s, slot, ev);
		if (slot && slot->pend) { /* the process is gone: so is its pending storage */
			pending_free(slot->pend);
			slot->pend = NULL;
		}
		if (slot)
			mark_exited(p, slot);
		return parse_exit(p, s, b, e, &px, ev);
	}
	return parse_call(p, s, b, e, &px, me, ev);
}

/* Next event of one source: 1, 0 at eof, -1 on error. */
static int source_next(struct sp_parser *p, struct source *s, struct sp_event *ev)
{
	for (;;) {
		if (!s->reprocess) {
			int r = next_line(p, s);
			if (r <= 0)
				return r;
		} else {
			s->reprocess = false;
		}
		if (parse_line(p, s, ev)) {
			p->st.events++;
			if (ev->kind == SP_SYSCALL)
				p->st.syscalls++;
			return 1;
		}
	}
}

/* ---- public API ---- */

static bool source_init(struct source *s, FILE *f, bool own, const char *name, int pid_hint)
{
	memset(s, 0, sizeof(*s));
	s->f = f;
	s->own_file = own;
	s->pid_hint = pid_hint;
	s->name = strdup(name ? name : "-");
	s->line_cap = LINE_CAP;
	s->tail_keep = TAIL_KEEP;
	s->cap = READ_CHUNK + 1;
	s->buf = malloc(s->cap);
	if (!s->name || !s->buf) {
		free(s->name);
		free(s->buf);
		s->name = NULL;
		s->buf = NULL;
		return false;
	}
	return true;
}

static void source_free(struct source *s)
{
	if (s->own_file && s->f)
		fclose(s->f);
	free(s->name);
	free(s->buf);
	free(s->carry);
	free(s->jbuf);
}

struct sp_parser *sp_new(FILE *in, const char *name, int pid_hint)
{
	if (!in) {
		errno = EINVAL;
		return NULL;
	}
	struct sp_parser *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->want_times = true;
	p->src = calloc(1, sizeof(*p->src));
	if (!p->src || !source_init(&p->src[0], in, false, name, pid_hint)) {
		free(p->src);
		free(p);
		errno = ENOMEM;
		return NULL;
	}
	p->nsrc = 1;
	return p;
}

/* The pid in an -ff file name "trace.PID", or 0. */
static int pid_from_name(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (!dot || !dot[1])
		return 0;
	long long v;
	size_t k = parse_uint(dot + 1, dot + 1 + strlen(dot + 1), &v);
	if (k != strlen(dot + 1) || v > INT_MAX)
		return 0;
	return (int)v;
}

struct sp_parser *sp_open_files(const char *const *paths, size_t n)
{
	if (!paths || n == 0) {
		errno = EINVAL;
		return NULL;
	}
	struct sp_parser *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->want_times = true;
	p->src = calloc(n, sizeof(*p->src));
	if (!p->src) {
		free(p);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		FILE *f = fopen(paths[i], "r");
		if (!f || !source_init(&p->src[i], f, true, paths[i], n > 1 ? pid_from_name(paths[i]) : 0)) {
			int err = f ? ENOMEM : errno;
			if (f)
				fclose(f);
			p->nsrc = i;
			sp_free(p);
			errno = err;
			return NULL;
		}
		p->nsrc = i + 1;
	}
	return p;
}

static int cmp_pid_paths(const void *a, const void *b)
{
	int x = pid_from_name(*(char *const *)a), y = pid_from_name(*(char *const *)b);
	return (x > y) - (x < y);
}

struct sp_parser *sp_open_path(const char *path)
{
	if (!path) {
		errno = EINVAL;
		return NULL;
	}
	FILE *f = fopen(path, "r");
	if (f) {
		struct sp_parser *p = calloc(1, sizeof(*p));
		if (p) {
			p->want_times = true;
			p->src = calloc(1, sizeof(*p->src));
		}
		if (!p || !p->src || !source_init(&p->src[0], f, true, path, 0)) {
			if (p)
				free(p->src);
			free(p);
			fclose(f);
			errno = ENOMEM;
			return NULL;
		}
		p->nsrc = 1;
		return p;
	}
	int open_err = errno;
	if (open_err != ENOENT)
		return NULL;
	/* strace -ff -o PATH wrote PATH.<pid> files */
	char *dir = strdup(path);
	if (!dir)
		return NULL;
	char *slash = strrchr(dir, '/');
	const char *base;
	if (slash) {
		*slash = '\0';
		base = path + (slash - dir) + 1;
		if (slash == dir)
			strcpy(dir, "/");
	} else {
		strcpy(dir, ".");
		base = path;
	}
	DIR *d = opendir(dir);
	if (!d) {
		free(dir);
		errno = ENOENT;
		return NULL;
	}
	size_t blen = strlen(base), n = 0, cap = 0;
	char **names = NULL;
	struct dirent *de;
	bool oom = false;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, base, blen) != 0 || de->d_name[blen] != '.')
			continue;
		const char *suf = de->d_name + blen + 1;
		if (!*suf || strspn(suf, "0123456789") != strlen(suf))
			continue;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			char **nn = realloc(names, nc * sizeof(*nn));
			if (!nn) {
				oom = true;
				break;
			}
			names = nn;
			cap = nc;
		}
		size_t need = strlen(dir) + 1 + strlen(de->d_name) + 1;
		names[n] = malloc(need);
		if (!names[n]) {
			oom = true;
			break;
		}
		snprintf(names[n], need, "%s/%s", dir, de->d_name);
		n++;
	}
	closedir(d);
	free(dir);
	struct sp_parser *p = NULL;
	int err = oom ? ENOMEM : ENOENT;
	if (!oom && n > 0) {
		qsort(names, n, sizeof(*names), cmp_pid_paths);
		p = sp_open_files((const char *const *)names, n);
		if (!p)
			err = errno;
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (!p)
		errno = err;
	return p;
}

/* End of all input: each call still pending, once, as never returned. */
static int flush_eof(struct sp_parser *p, struct sp_event *ev)
{
	for (; p->flush_pos < p->pid_cap; p->flush_pos++) {
		struct pid_slot *slot = &p->pids[p->flush_pos];
		if (!slot->used || !pending_of(slot))
			continue;
		struct pending *pd = slot->pend;
		pending_to_event(pd, slot->pid, ev,
				 grow(&p->flush_args, &p->flush_cap, pd->len + 1, PENDING_CAP + 1) ? p->flush_args
												    : NULL,
				 p->flush_name);
		ev->file = pd->file ? pd->file : "-"; /* a source's name: lives until sp_free */
		pending_release(slot);
		p->flush_pos++;
		p->st.unfinished_eof++;
		p->st.events++;
		p->st.syscalls++;
		return 1;
	}
	return 0;
}

int sp_next(struct sp_parser *p, struct sp_event *ev)
{
	if (!p || !ev) {
		errno = EINVAL;
		return -1;
	}
	if (p->nsrc == 1) {
		struct source *s = &p->src[0];
		if (!s->done) {
			int r = source_next(p, s, ev);
			if (r != 0) {
				if (r < 0)
					errno = s->err;
				return r;
			}
			s->done = true;
		}
		return flush_eof(p, ev);
	}
	/* several -ff files: one lookahead event each, earliest first */
	bool all_timed = true;
	struct source *best = NULL;
	for (size_t i = 0; i < p->nsrc; i++) {
		struct source *s = &p->src[i];
		if (!s->have && !s->done) {
			int r = source_next(p, s, &s->ev);
			if (r < 0) {
				errno = s->err;
				return -1;
			}
			if (r == 0)
				s->done = true;
			else
				s->have = true;
		}
		if (!s->have)
			continue;
		if (!s->ev.has_time)
			all_timed = false;
		if (!best)
			best = s;
		else if (all_timed && s->ev.time < best->ev.time)
			best = s;
	}
	if (best && !all_timed) { /* file order */
		for (size_t i = 0; i < p->nsrc; i++)
			if (p->src[i].have) {
				best = &p->src[i];
				break;
			}
	}
	if (best) {
		*ev = best->ev;
		best->have = false;
		return 1;
	}
	return flush_eof(p, ev);
}

bool sp_set_buffer_swap(struct sp_parser *p, sp_swap_fn swap, void *ctx)
{
	if (!p || !swap)
		return false;
	for (size_t i = 0; i < p->nsrc; i++)
		if (p->src[i].lineno || p->src[i].end || p->src[i].swap)
			return false;
	for (size_t i = 0; i < p->nsrc; i++) {
		struct source *s = &p->src[i];
		char *b = swap(ctx, NULL, 0, s->cap);
		if (!b)
			return false;
		free(s->buf);
		s->buf = b;
		s->swap = swap;
		s->swap_ctx = ctx;
	}
	return true;
}

const struct sp_stats *sp_get_stats(const struct sp_parser *p) { return p ? &p->st : NULL; }

void sp_set_times(struct sp_parser *p, bool want)
{
	if (p)
		p->want_times = want;
}

bool sp_set_max_line(struct sp_parser *p, size_t max)
{
	if (!p || max < 256 || max > LINE_CAP)
		return false;
	for (size_t i = 0; i < p->nsrc; i++) {
		struct source *s = &p->src[i];
		if (s->lineno || s->end) /* reading has begun */
			return false;
		size_t cap = (max < READ_CHUNK ? max : READ_CHUNK) + 1;
		char *b = realloc(s->buf, cap);
		if (!b)
			return false;
		s->buf = b;
		s->cap = cap;
		s->line_cap = max;
		s->tail_keep = max / 16 < 64 ? 64 : max / 16;
	}
	return true;
}

void sp_free(struct sp_parser *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nsrc; i++)
		source_free(&p->src[i]);
	free(p->src);
	for (size_t i = 0; i < p->pid_cap; i++)
		if (p->pids[i].used)
			pending_free(p->pids[i].pend);
	free(p->pids);
	free(p->flush_args);
	free(p->flush_file);
	free(p);
}

/* ---- argument helpers ---- */

/* Character classes for the argument scanner: 1 = ends a plain run in
 * argument text, 2 = ends a run inside a quoted string, 4 = ends a run
 * inside a <decoration> (paths: '/' does not stop it). */
static const unsigned char arg_class[256] = {
	['"'] = 3, ['\\'] = 2, ['/'] = 1, ['<'] = 1 | 4, ['('] = 1, ['['] = 1 | 4,
	['{'] = 1, [')'] = 1, [']'] = 1 | 4, ['}'] = 1, [','] = 1, ['>'] = 4,
};

/* Position after a quoted string starting at '"': the first '"' not
 * escaped, i.e. not preceded by an odd run of backslashes (find_any3
 * finds the candidates; the text between them is not looked at). */
static size_t skip_string(const char *s, size_t i, size_t len)
{
	size_t from = i + 1;
	while (from < len) {
		size_t at = find_any3(s, from, len, '"', '"', '"'), bs = 0;
		if (at >= len)
			return len;
		while (at - bs > i + 1 && s[at - bs - 1] == '\\')
			bs++;
		if (!(bs & 1))
			return at + 1;
		from = at + 1;
	}
	return len;
}

static size_t skip_decor_slow(const char *s, size_t i, size_t len)
{
	bool path = i + 1 < len && s[i + 1] == '/'; /* '[' is a plain byte */
	int angle = 0, square = 0;
	for (; i < len; i++) {
		while (i < len && !(arg_class[(unsigned char)s[i]] & 4))
			i++;
		if (i >= len)
			break;
		char c = s[i];
		if (path && (c == '[' || c == ']'))
			continue;
		if (c == '[')
			square++;
		else if (c == ']' && square > 0)
			square--;
		else if (!square && c == '<')
			angle++;
		else if (!square && c == '>' && --angle == 0)
			return i + 1;
	}
	return len;
}

/* A <decoration> at s[i] == '<'. The usual one ("3</a/path>") has no
 * nested <> or [] before its '>': then the '>' memchr finds closes it. A
 * path's own '[' is not a bracket (strace escapes only its '<' and '>'). */
static size_t skip_decor(const char *s, size_t i, size_t len)
{
	bool path = i + 1 < len && s[i + 1] == '/';
	size_t k = find_any3(s, i + 1, len, '>', '<', path ? '>' : '[');
	if (k < len && s[k] == '>')
		return k + 1;
	return skip_decor_slow(s, i, len);
}

static int split_args(const char *args, size_t len, struct sp_arg *out, int max, bool stop)
{
	if (!args)
		return 0;
	int n = 0, depth = 0;
	size_t i = 0, begin = 0;
	while (i < len && args[i] == ' ')
		i++;
	if (i == len)
		return 0;
	begin = i;
	while (i < len) {
		while (i < len && !(arg_class[(unsigned char)args[i]] & 1))
			i++;
		if (i >= len)
			break;
		char c = args[i];
		switch (c) {
		case '"':
			i = skip_string(args, i, len);
			continue;
		case '/':
			if (i + 1 < len && args[i + 1] == '*') {
				const char *end = memmem(args + i + 2, len - i - 2, "*/", 2);
				i = end ? (size_t)(end - args) + 2 : len;
				continue;
			}
			break;
		case '<':
			if (i > 0 && is_ident(args[i - 1]) && i + 1 < len && args[i + 1] != '<') {
				i = skip_decor(args, i, len);
				continue;
			}
			break;
		case '(':
		case '[':
		case '{':
			depth++;
			break;
		case ')':
		case ']':
		case '}':
			if (depth > 0)
				depth--;
			break;
		case ',':
			if (depth == 0) {
				size_t e = i;
				while (e > begin && args[e - 1] == ' ')
					e--;
				if (n < max && out) {
					out[n].s = args + begin;
					out[n].len = e - begin;
				}
				n++;
				if (stop && n >= max)
					return n;
				i++;
				while (i < len && args[i] == ' ')
					i++;
				begin = i;
				continue;
			}
			break;
		}
		i++;
	}
	size_t e = len;
	while (e > begin && args[e - 1] == ' ')
		e--;
	if (n < max && out) {
		out[n].s = args + begin;
		out[n].len = e - begin;
	}
	return n + 1;
}

int sp_split_args(const char *args, size_t len, struct sp_arg *out, int max)
{
	return split_args(args, len, out, max, false);
}

int sp_split_first_args(const char *args, size_t len, struct sp_arg *out, int max)
{
	if (max <= 0)
		return 0;
	return split_args(args, len, out, max, true);
}

bool sp_arg_fd(const struct sp_arg *arg, int *fd, char *decor, size_t decor_size)
{
	if (decor && decor_size)
		decor[0] = '\0';
	if (!arg || !arg->s || arg->len == 0)
		return false;
	const char *s = arg->s, *e = s + arg->len;
	long long v;
	const char *q;
	if (arg->len >= 8 && memcmp(s, "AT_FDCWD", 8) == 0) {
		v = -100;
		q = s + 8;
	} else {
		bool neg = *s == '-';
		size_t k = parse_uint(s + neg, e, &v);
		if (!k || v > INT_MAX)
			return false;
		if (neg)
			v = -v;
		q = s + neg + k;
	}
	if (q < e) {
		/* split_args already matched the brackets: only its ends are checked */
		if (*q != '<' || e[-1] != '>' || e - q < 2)
			return false;
		if (decor && decor_size)
			sp_unescape(q + 1, (size_t)(e - 1 - (q + 1)), '\0', decor, decor_size,
			            NULL);
	}
	if (fd)
		*fd = (int)v;
	return true;
}

static int hexval(char c)
{
	if (is_digit(c))
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

size_t sp_unescape(const char *s, size_t len, char stop, char *out, size_t out_size, size_t *used)
{
	const char *p = s, *e = s + len;
	size_t n = 0;
	while (p < e) {
		/* a run without escape (or STOP): found by memchr, one copy */
		const char *q = memchr(p, '\\', (size_t)(e - p));
		if (!q)
			q = e;
		if (stop) {
			const char *t = memchr(p, stop, (size_t)(q - p));
			if (t)
				q = t;
		}
		if (q > p) {
			size_t run = (size_t)(q - p);
			if (out && n + 1 < out_size)
				memmove(out + n, p, n + run < out_size ? run : out_size - 1 - n);
			n += run;
			p = q;
		}
		if (p == e)
			break;
		if (*p != '\\') {
			p++; /* the STOP character: consumed, not stored */
			if (used)
				*used = (size_t)(p - s);
			goto done;
		}
		p++;
		unsigned char c = '\\';
		if (p < e) {
			char x = *p++;
			switch (x) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'v': c = '\v'; break;
			case 'f': c = '\f'; break;
			case 'a': c = '\a'; break;
			case 'b': c = '\b'; break;
			case 'e': c = 0x1b; break;
			case 'x': {
				int v = 0, k = 0, h;
				while (k < 2 && p < e && (h = hexval(*p)) >= 0) {
					v = v * 16 + h;
					p++;
					k++;
				}
				c = (unsigned char)v;
				break;
			}
			default:
				if (x >= '0' && x <= '7') {
					int v = x - '0', k = 1;
					while (k < 3 && p < e && *p >= '0' && *p <= '7') {
						v = v * 8 + (*p++ - '0');
						k++;
					}
					c = (unsigned char)v;
				} else {
					c = (unsigned char)x; /* \" \\ \' and anything else: itself */
				}
			}
		}
		if (out && n + 1 < out_size)
			out[n] = (char)c;
		n++;
	}
	if (used)
		*used = len + 1; /* no STOP seen */
done:
	if (out && out_size) {
		size_t z = n < out_size ? n : out_size - 1;
		out[z] = '\0';
		n = z;
	}
	return n;
}

long sp_arg_string(const struct sp_arg *arg, char *out, size_t out_size, bool *truncated)
{
	if (truncated)
		*truncated = false;
	if (!arg || !arg->s || arg->len < 1 || arg->s[0] != '"')
		return -1;
	size_t body = arg->len - 1, used;
	size_t n = sp_unescape(arg->s + 1, body, '"', out, out_size, &used);
	bool closed = used <= body;
	const char *rest = arg->s + 1 + (closed ? used : body);
	size_t left = (size_t)(arg->s + arg->len - rest);
	if (truncated && (!closed || (left >= 3 && memcmp(rest, "...", 3) == 0)))
		*truncated = true;
	return (long)n;
}

bool sp_arg_number(const struct sp_arg *arg, long long *value)
{
	if (!arg || !arg->s || arg->len == 0 || arg->len > 40)
		return false;
	char tmp[48];
	size_t len = arg->len;
	/* a trailing comment ("3 /" "* F_??? *" "/") is not part of the number */
	const char *cm = memmem(arg->s, len, " /*", 3);
	if (cm && len >= 2 && arg->s[len - 1] == '/' && arg->s[len - 2] == '*')
		len = (size_t)(cm - arg->s);
	memcpy(tmp, arg->s, len);
	tmp[len] = '\0';
	const char *t = tmp;
	bool neg = false;
	if (*t == '-') {
		neg = true;
		t++;
	}
	if (!is_digit(*t))
		return false;
	errno = 0;
	char *end;
	unsigned long long u = strtoull(t, &end, 0);
	if (*end || errno == ERANGE)
		return false;
	if (value)
		*value = neg ? -(long long)u : (long long)u;
	return true;
}
