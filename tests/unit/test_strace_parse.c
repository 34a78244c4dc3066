/* Unit tests for strace_parse: one small case per grammar rule, the
 * argument helpers, and every recorded fixture against strace's own -C
 * summary (per-syscall calls and errors must match exactly). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strace_parse.h"

/* An event with its strings copied (the parser's are valid until the next call). */
struct ev {
	enum sp_kind kind;
	int pid;
	bool has_time;
	double time;
	char name[64];
	size_t name_len;
	char args[512];
	size_t args_len;
	enum sp_result rk;
	long long result;
	char decor[256];
	char err_name[32];
	char err_text[128];
	char extra[256];
	bool has_decor, has_err, has_extra, has_duration;
	double duration;
	unsigned long line, start_line;
	bool resumed, orphan;
	int exit_status;
	char signal[32];
};

struct run {
	struct ev ev[64];
	int n;
	struct sp_stats st;
};

static void copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

static void take(struct ev *d, const struct sp_event *e)
{
	memset(d, 0, sizeof(*d));
	d->kind = e->kind;
	d->pid = e->pid;
	d->has_time = e->has_time;
	d->time = e->time;
	copy(d->name, sizeof(d->name), e->name);
	d->name_len = e->name_len;
	if (e->name)
		assert_int_equal(e->name_len, strlen(e->name)); /* every event, every kind */
	size_t n = e->args_len < sizeof(d->args) - 1 ? e->args_len : sizeof(d->args) - 1;
	if (e->args)
		memcpy(d->args, e->args, n);
	d->args[n] = '\0';
	d->args_len = e->args_len;
	d->rk = e->result_kind;
	d->result = e->result;
	d->has_decor = e->result_decor != NULL;
	copy(d->decor, sizeof(d->decor), e->result_decor);
	d->has_err = e->err_name != NULL;
	copy(d->err_name, sizeof(d->err_name), e->err_name);
	copy(d->err_text, sizeof(d->err_text), e->err_text);
	d->has_extra = e->result_extra != NULL;
	copy(d->extra, sizeof(d->extra), e->result_extra);
	d->has_duration = e->has_duration;
	d->duration = e->duration;
	d->line = e->line;
	d->start_line = e->start_line;
	d->resumed = e->resumed;
	d->orphan = e->orphan_resumed;
	d->exit_status = e->exit_status;
	copy(d->signal, sizeof(d->signal), e->kind == SP_KILLED ? e->name : NULL);
}

static void drain(struct sp_parser *p, struct run *r)
{
	struct sp_event e;
	int rc;
	memset(r, 0, sizeof(*r));
	while ((rc = sp_next(p, &e)) > 0) {
		if (r->n < (int)(sizeof(r->ev) / sizeof(r->ev[0])))
			take(&r->ev[r->n], &e);
		r->n++;
	}
	assert_int_equal(rc, 0);
	r->st = *sp_get_stats(p);
}

static void parse_text(const char *text, int pid_hint, struct run *r)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	assert_non_null(f);
	struct sp_parser *p = sp_new(f, "mem", pid_hint);
	assert_non_null(p);
	drain(p, r);
	sp_free(p);
	fclose(f);
}

static const char *fixtures(void)
{
	const char *f = getenv("FIXTURES");
	return f && *f ? f : "fixtures";
}

/* ---- input buffers handed over (sp_set_buffer_swap) ---- */

struct kept {
	char *buf[64];
	size_t cap[64];
	int n, calls;
};

static char *keep_all(void *ctx, char *old, size_t old_cap, size_t cap)
{
	struct kept *k = ctx;
	k->calls++;
	if (old) {
		assert_true(k->n < 64);
		k->buf[k->n] = old;
		k->cap[k->n++] = old_cap;
	}
	return malloc(cap);
}

/* Events read in place stay readable after later sp_next() calls as long
 * as their buffer is kept; the others are marked as not in the input. */
static void test_buffer_swap_keeps_events(void **state)
{
	(void)state;
	size_t lines = 6000, size = lines * 80 + 200;
	char *text = malloc(size), *t = text;
	for (size_t i = 0; i < lines; i++)
		t += sprintf(t, "%zu openat(AT_FDCWD, \"/data/file%06zu\", O_RDONLY) = 3</data/file%06zu>\n",
		             100 + i % 3, i, i);
	t += sprintf(t, "100 read(3, <unfinished ...>\n101 close(4) = 0\n100 <... read resumed>\"x\", 1) = 1\n");
	FILE *f = fmemopen(text, (size_t)(t - text), "r");
	assert_non_null(f);
	struct sp_parser *p = sp_new(f, "mem", 0);
	struct kept k = {0};
	assert_true(sp_set_buffer_swap(p, keep_all, &k));
	static struct sp_event ev[6010];
	int n = 0;
	while (n < 6010 && sp_next(p, &ev[n]) > 0)
		n++;
	assert_int_equal(n, (int)lines + 2);
	assert_true(k.n >= 1); /* 480 KB through 256 KiB buffers: handed over at least once */
	for (size_t i = 0; i < lines; i++) {
		char want[64];
		snprintf(want, sizeof(want), "AT_FDCWD, \"/data/file%06zu\", O_RDONLY", i);
		assert_string_equal(ev[i].name, "openat");
		assert_int_equal(ev[i].args_len, strlen(want));
		assert_memory_equal(ev[i].args, want, strlen(want));
		char decor[32];
		snprintf(decor, sizeof(decor), "/data/file%06zu", i);
		assert_string_equal(ev[i].result_decor, decor);
	}
	/* every event, the joined read included (assembled in a join buffer),
	 * lies in buffers handed over: all still readable here */
	for (int i = 0; i < n; i++)
		assert_true(ev[i].handed_over);
	assert_string_equal(ev[lines + 1].name, "read");
	assert_string_equal(ev[lines + 1].args, "3,\"x\", 1");
	for (int i = 0; i < k.n; i++)
		assert_true(k.cap[i] > 1000);
	/* too late once reading has begun */
	assert_false(sp_set_buffer_swap(p, keep_all, &k));
	sp_free(p);
	for (int i = 0; i < k.n; i++)
		free(k.buf[i]);
	fclose(f);
	free(text);
	/* without a hook nothing is handed over */
	f = fmemopen((void *)"1 close(3) = 0\n", 15, "r");
	p = sp_new(f, "mem", 0);
	assert_int_equal(sp_next(p, &ev[0]), 1);
	assert_false(ev[0].handed_over);
	sp_free(p);
	fclose(f);
}

/* ---- grammar, one rule each ---- */

static void test_plain_line(void **state)
{
	(void)state;
	struct run r;
	parse_text("openat(AT_FDCWD, \"/etc/passwd\", O_RDONLY|O_CLOEXEC) = 3\n", 0, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.ev[0].kind, SP_SYSCALL);
	assert_string_equal(r.ev[0].name, "openat");
	assert_string_equal(r.ev[0].args, "AT_FDCWD, \"/etc/passwd\", O_RDONLY|O_CLOEXEC");
	assert_int_equal(r.ev[0].rk, SP_RES_NUMBER);
	assert_int_equal(r.ev[0].result, 3);
	assert_false(r.ev[0].has_time);
	assert_false(r.ev[0].has_err);
	assert_int_equal(r.ev[0].pid, 0);
	assert_int_equal(r.st.pids, 1);
	assert_int_equal(r.ev[0].name_len, 6);
}

static void test_pid_column(void **state)
{
	(void)state;
	struct run r;
	parse_text("4242  close(3) = 0\n4243 close(4) = 0\n", 0, &r);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.ev[0].pid, 4242);
	assert_int_equal(r.ev[1].pid, 4243);
	assert_int_equal(r.st.pids, 2);
}

static void test_pid_bracket_prefix(void **state)
{
	(void)state;
	struct run r;
	parse_text("close(3) = 0\n[pid  4243] close(4) = 0\n[pid 77] write(1, \"x\", 1) = 1\n", 9, &r);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.ev[0].pid, 9); /* the hint: the traced process itself */
	assert_int_equal(r.ev[1].pid, 4243);
	assert_int_equal(r.ev[2].pid, 77);
}

static void test_time_t(void **state)
{
	(void)state;
	struct run r;
	parse_text("12:34:56 close(3) = 0\n", 0, &r);
	assert_true(r.ev[0].has_time);
	assert_float_equal(r.ev[0].time, 12 * 3600 + 34 * 60 + 56, 1e-9);
}

/* A clock that is not a time of day is not a -t prefix (and its fields
 * are never multiplied past long long). */
static void test_time_t_out_of_range(void **state)
{
	(void)state;
	struct run r;
	parse_text("777777777777777777:555555555555555555:1 close(3) = 0\n"
	           "12:60:00 close(3) = 0\n"
	           "23:59:60.5 close(4) = 0\n",
	           0, &r);
	assert_int_equal(r.st.malformed_lines, 2);
	assert_int_equal(r.n, 1);
	assert_float_equal(r.ev[0].time, 23 * 3600 + 59 * 60 + 60.5, 1e-9);
}

static void test_time_tt(void **state)
{
	(void)state;
	struct run r;
	parse_text("7 01:00:00.250000 close(3) = 0\n", 0, &r);
	assert_int_equal(r.ev[0].pid, 7);
	assert_float_equal(r.ev[0].time, 3600.25, 1e-9);
}

static void test_time_ttt(void **state)
{
	(void)state;
	struct run r;
	parse_text("1700000000.123456 close(3) = 0\n", 0, &r);
	assert_int_equal(r.ev[0].pid, 0); /* a number followed by '.' is a time, not a pid */
	assert_float_equal(r.ev[0].time, 1700000000.123456, 1e-6);
}

static void test_time_relative(void **state)
{
	(void)state;
	struct run r;
	parse_text("     0.000123 close(3) = 0\n12      0.500000 close(4) = 0\n", 0, &r);
	assert_int_equal(r.n, 2);
	assert_float_equal(r.ev[0].time, 0.000123, 1e-9);
	assert_int_equal(r.ev[1].pid, 12);
	assert_float_equal(r.ev[1].time, 0.5, 1e-9);
}

static void test_time_ns_precision(void **state)
{
	(void)state;
	struct run r;
	parse_text("00:00:01.123456789 close(3) = 0\n", 0, &r);
	assert_float_equal(r.ev[0].time, 1.123456789, 1e-9);
}

static void test_duration(void **state)
{
	(void)state;
	struct run r;
	parse_text("close(3) = 0 <0.000012>\nread(3, \"\", 10) = -1 EBADF (Bad file descriptor) <1.500000>\n", 0,
		   &r);
	assert_true(r.ev[0].has_duration);
	assert_float_equal(r.ev[0].duration, 0.000012, 1e-12);
	assert_float_equal(r.ev[1].duration, 1.5, 1e-12);
	assert_string_equal(r.ev[1].err_name, "EBADF");
	assert_string_equal(r.ev[1].err_text, "Bad file descriptor");
}

/* The common shapes ("HH:MM:SS.uuuuuu ", " <S.uuuuuu>") have a shortcut
 * of their own; it must read what the general path reads, and hand every
 * other shape to it. */
static void test_time_and_duration_shapes(void **state)
{
	(void)state;
	struct run r;
	char line[256];
	unsigned seed = 12345;
	for (int i = 0; i < 300; i++) {
		seed = seed * 1103515245u + 12345u;
		int h = (int)(seed >> 8) % 24, m = (int)(seed >> 13) % 60, sec = (int)(seed >> 19) % 60;
		seed = seed * 1103515245u + 12345u;
		int us = (int)(seed >> 4) % 1000000, dus = (int)(seed >> 9) % 1000000, ds = i % 10;
		snprintf(line, sizeof(line), "%d %02d:%02d:%02d.%06d close(3) = 0 <%d.%06d>\n", 100 + i, h, m,
		         sec, us, ds, dus);
		parse_text(line, 0, &r);
		assert_int_equal(r.n, 1);
		assert_int_equal(r.ev[0].pid, 100 + i);
		assert_float_equal(r.ev[0].time, h * 3600 + m * 60 + sec + us / 1e6, 1e-9);
		assert_true(r.ev[0].has_duration);
		assert_float_equal(r.ev[0].duration, ds + dus / 1e6, 1e-12);
		assert_string_equal(r.ev[0].args, "3");
	}
	/* shapes beside the shortcut */
	parse_text("10:00:00.1234567 close(3) = 0 <12.000001>\n"  /* 7 fraction digits, 2-digit seconds */
	           "10:00:00.123 close(3) = 0 <0.5>\n"            /* short fractions */
	           "10:00:00.123456X close(3) = 0\n"              /* not a time: malformed */
	           "10:00:00.123456 close(3) = 0 <0.123456789>\n" /* nanoseconds */
	           "10:00:00.123456 close(3) = 0<0.000001>\n"     /* no space: a decoration */
	           "10:00:00.123456 close(3) = 0 <a.000001>\n",   /* not a number: malformed */
	           0, &r);
	assert_int_equal(r.st.malformed_lines, 2);
	assert_int_equal(r.n, 4);
	assert_false(r.ev[3].has_duration);
	assert_string_equal(r.ev[3].decor, "0.000001");
	assert_float_equal(r.ev[0].time, 36000.1234567, 1e-9);
	assert_float_equal(r.ev[0].duration, 12.000001, 1e-12);
	assert_float_equal(r.ev[1].time, 36000.123, 1e-9);
	assert_float_equal(r.ev[1].duration, 0.5, 1e-12);
	assert_float_equal(r.ev[2].duration, 0.123456789, 1e-12);
}

/* Without times wanted, clocks are still checked and flagged, not computed. */
static void test_times_not_wanted(void **state)
{
	(void)state;
	const char text[] = "10:00:00.500000 close(3) = 0\n10:00:00.50000X close(4) = 0\n";
	for (int want = 0; want < 2; want++) {
		FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");
		assert_non_null(f);
		struct sp_parser *p = sp_new(f, "mem", 0);
		if (!want)
			sp_set_times(p, false);
		struct sp_event ev;
		assert_int_equal(sp_next(p, &ev), 1);
		assert_true(ev.has_time);
		assert_float_equal(ev.time, want ? 36000.5 : 0, 1e-9);
		assert_int_equal(sp_next(p, &ev), 0);
		assert_int_equal(sp_get_stats(p)->malformed_lines, 1);
		sp_free(p);
		fclose(f);
	}
}

/* Names are scanned 16 bytes at a time: every length around that width,
 * every character class, and a byte >= 0x80 that ends a name. */
static void test_names_of_every_length(void **state)
{
	(void)state;
	static const char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789_ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	struct run r;
	char line[256], name[64];
	for (size_t len = 1; len <= 40; len++) {
		for (size_t i = 0; i < len; i++)
			name[i] = chars[(len * 7 + i * 5) % (sizeof(chars) - 1)];
		name[0] = 'x'; /* a leading digit would read as a pid or a clock */
		name[len] = '\0';
		snprintf(line, sizeof(line), "%s(3) = 0\n<... %s resumed>) = 1\n", name, name);
		parse_text(line, 0, &r);
		assert_int_equal(r.n, 2);
		assert_string_equal(r.ev[0].name, name);
		assert_string_equal(r.ev[1].name, name);
		assert_int_equal(r.st.orphan_resumed, 1);
		/* a non-identifier byte right after the name, at every position */
		line[len] = (char)0xC3;
		parse_text(line, 0, &r);
		assert_int_equal(r.st.malformed_lines, 1);
		assert_int_equal(r.n, 1);
	}
}

/* Newlines are found 64 and 16 bytes at a time: lines of every length
 * around those widths, back to back in one buffer, each read whole. */
static void test_lines_of_every_length(void **state)
{
	(void)state;
	size_t cap = 200 * 240, n = 0;
	char *text = malloc(cap);
	assert_non_null(text);
	for (int pad = 0; pad < 200; pad++)
		n += (size_t)snprintf(text + n, cap - n, "close(3%*s) = %d\n", pad, "", pad);
	FILE *f = fmemopen(text, n, "r");
	assert_non_null(f);
	struct sp_parser *p = sp_new(f, "mem", 0);
	struct sp_event ev;
	int k = 0;
	while (sp_next(p, &ev) > 0) {
		assert_int_equal(ev.result, k);
		assert_int_equal(ev.args_len, 1 + (size_t)k);
		k++;
	}
	assert_int_equal(k, 200);
	assert_int_equal(sp_get_stats(p)->malformed_lines, 0);
	sp_free(p);
	fclose(f);
	free(text);
}

/* The result is found from the end 16 bytes at a time: an '=' inside the
 * arguments at every distance from it must not be taken for it. */
static void test_result_after_equals_at_every_distance(void **state)
{
	(void)state;
	struct run r;
	char line[256], args[128];
	for (int pad = 0; pad < 40; pad++) {
		snprintf(args, sizeof(args), "3, {a=1, b = 2%*s}", pad, "");
		snprintf(line, sizeof(line), "fstat(%s) = %d\n", args, pad);
		parse_text(line, 0, &r);
		assert_int_equal(r.n, 1);
		assert_string_equal(r.ev[0].args, args);
		assert_int_equal(r.ev[0].result, pad);
	}
}

static void test_decorations(void **state)
{
	(void)state;
	struct run r;
	parse_text("openat(AT_FDCWD</tmp>, \"f\", O_RDONLY) = 3</tmp/f> <0.000010>\n"
		   "io_uring_setup(8, {flags=0}) = 7<anon_inode:[io_uring]>\n"
		   "socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = 5<socket:[123]>\n"
		   "accept(5<TCP:[0.0.0.0:80]>, NULL, NULL) = 6<TCP:[127.0.0.1:80->127.0.0.1:5000]>\n"
		   "openat(AT_FDCWD, \"/dev/tty\", O_RDWR) = 4</dev/pts/0<char 136:0>>\n",
		   0, &r);
	assert_int_equal(r.n, 5);
	assert_string_equal(r.ev[0].decor, "/tmp/f");
	assert_true(r.ev[0].has_duration);
	assert_string_equal(r.ev[1].decor, "anon_inode:[io_uring]");
	assert_int_equal(r.ev[1].result, 7);
	assert_string_equal(r.ev[2].decor, "socket:[123]");
	assert_string_equal(r.ev[3].decor, "TCP:[127.0.0.1:80->127.0.0.1:5000]");
	assert_string_equal(r.ev[4].decor, "/dev/pts/0<char 136:0>");
	assert_int_equal(r.st.malformed_lines, 0);
}

static void test_xraw_xverbose(void **state)
{
	(void)state;
	struct run r;
	parse_text("openat(-100, \"/x\", 0x80000) = 3\n"
		   "openat(-100 /* AT_FDCWD */, \"/y\", 0x80000 /* O_RDONLY|O_CLOEXEC */) = 4\n"
		   "openat(-100, \"/z\", 0) = -1 (errno 2)\n",
		   0, &r);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.ev[0].result, 3);
	assert_string_equal(r.ev[1].args, "-100 /* AT_FDCWD */, \"/y\", 0x80000 /* O_RDONLY|O_CLOEXEC */");
	assert_int_equal(r.ev[2].result, -1);
	assert_string_equal(r.ev[2].err_name, "ENOENT");
}

static void test_truncated_string(void **state)
{
	(void)state;
	struct run r;
	parse_text("read(3, \"\\177ELF\\2\\1\\1\"..., 832) = 832\n", 0, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.ev[0].result, 832);
	struct sp_arg a[4];
	assert_int_equal(sp_split_args(r.ev[0].args, r.ev[0].args_len, a, 4), 3);
	char out[32];
	bool tr;
	assert_int_equal(sp_arg_string(&a[1], out, sizeof(out), &tr), 7);
	assert_true(tr);
	assert_memory_equal(out, "\177ELF\2\1\1", 7);
}

static void test_escapes_and_equals_in_strings(void **state)
{
	(void)state;
	struct run r;
	parse_text("write(1, \"a) = 5 \\\"q\\\" \\\\ \\n\\t\\x41\\101\", 20) = 20\n", 0, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.ev[0].result, 20);
	struct sp_arg a[4];
	assert_int_equal(sp_split_args(r.ev[0].args, r.ev[0].args_len, a, 4), 3);
	char out[64];
	bool tr;
	long n = sp_arg_string(&a[1], out, sizeof(out), &tr);
	assert_false(tr);
	assert_int_equal(n, 17);
	assert_memory_equal(out, "a) = 5 \"q\" \\ \n\tAA", 17);
}

static void test_nested_and_comments(void **state)
{
	(void)state;
	struct run r;
	parse_text("io_uring_register(7, IORING_REGISTER_PROBE, {last_op=IORING_OP_URING_CMD, ops_len=2, "
		   "ops=[{op=0 /* IORING_OP_NOP */, flags=1}, {op=99 /* IORING_OP_??? */, flags=0}]}, 256) = 0\n"
		   "getdents64(3, 0x55 /* 5 entries */, 32768) = 152\n",
		   0, &r);
	assert_int_equal(r.n, 2);
	struct sp_arg a[8];
	assert_int_equal(sp_split_args(r.ev[0].args, r.ev[0].args_len, a, 8), 4);
	assert_int_equal(a[3].len, 3);
	assert_memory_equal(a[3].s, "256", 3);
	assert_int_equal(sp_split_args(r.ev[1].args, r.ev[1].args_len, a, 8), 3);
	assert_int_equal(a[1].len, strlen("0x55 /* 5 entries */"));
	long long v;
	assert_true(sp_arg_number(&a[1], &v));
	assert_int_equal(v, 0x55);
}

static void test_unfinished_resumed_joined(void **state)
{
	(void)state;
	struct run r;
	parse_text("10 wait4(-1,  <unfinished ...>\n"
		   "11 close(3) = 0\n"
		   "10 <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 11 <0.000040>\n",
		   0, &r);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.ev[0].name, "close");
	assert_string_equal(r.ev[1].name, "wait4");
	assert_true(r.ev[1].resumed);
	assert_string_equal(r.ev[1].args, "-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL");
	assert_int_equal(r.ev[1].result, 11);
	assert_int_equal(r.ev[1].start_line, 1);
	assert_int_equal(r.ev[1].line, 3);
	assert_float_equal(r.ev[1].duration, 0.00004, 1e-12);
	assert_int_equal(r.st.resumed_pairs, 1);
	assert_int_equal(r.st.syscalls, 2);
	struct sp_arg a[8];
	assert_int_equal(sp_split_args(r.ev[1].args, r.ev[1].args_len, a, 8), 4);
}

static void test_resumed_time_is_call_start(void **state)
{
	(void)state;
	struct run r;
	parse_text("5 00:00:01.000000 read(0,  <unfinished ...>\n"
		   "5 00:00:03.000000 <... read resumed>\"x\", 1) = 1 <2.000000>\n",
		   0, &r);
	assert_int_equal(r.n, 1);
	assert_float_equal(r.ev[0].time, 1.0, 1e-9);
	assert_float_equal(r.ev[0].duration, 2.0, 1e-9);
}

static void test_signal(void **state)
{
	(void)state;
	struct run r;
	parse_text("9 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=10, si_status=0} ---\n"
		   "9 --- stopped by SIGSTOP ---\n",
		   0, &r);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.ev[0].kind, SP_SIGNAL);
	assert_string_equal(r.ev[0].name, "SIGCHLD");
	assert_string_equal(r.ev[0].args, "{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=10, si_status=0}");
	assert_string_equal(r.ev[1].name, "SIGSTOP");
	assert_int_equal(r.st.signals, 2);
	assert_int_equal(r.st.syscalls, 0);
}

static void test_exited(void **state)
{
	(void)state;
	struct run r;
	parse_text("9 +++ exited with 3 +++\n", 0, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.ev[0].kind, SP_EXIT);
	assert_int_equal(r.ev[0].exit_status, 3);
	assert_int_equal(r.st.exits, 1);
}

static void test_killed(void **state)
{
	(void)state;
	struct run r;
	parse_text("9 +++ killed by SIGKILL +++\n8 +++ killed by SIGSEGV (core dumped) +++\n", 0, &r);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.ev[0].kind, SP_KILLED);
	assert_string_equal(r.ev[0].signal, "SIGKILL");
	assert_int_equal(r.ev[0].exit_status, 9);
	assert_string_equal(r.ev[1].signal, "SIGSEGV");
	assert_int_equal(r.ev[1].exit_status, 11);
}

static void test_killed_mid_call(void **state)
{
	(void)state;
	struct run r;
	parse_text("9 futex(0x7f, FUTEX_WAIT_PRIVATE, 2, NULL <unfinished ...>\n9 +++ killed by SIGKILL +++\n", 0, &r);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.ev[0].kind, SP_SYSCALL);
	assert_string_equal(r.ev[0].name, "futex");
	assert_int_equal(r.ev[0].rk, SP_RES_NONE);
	assert_string_equal(r.ev[0].args, "0x7f, FUTEX_WAIT_PRIVATE, 2, NULL");
	assert_int_equal(r.ev[1].kind, SP_KILLED);
	assert_int_equal(r.st.unfinished_eof, 1);
}

static void test_unavailable(void **state)
{
	(void)state;
	struct run r;
	parse_text("write(1, \"x\", 1) = ? <unavailable>\n", 0, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.ev[0].rk, SP_RES_UNKNOWN);
	assert_false(r.ev[0].has_err);
}

static void test_erestartsys(void **state)
{
	(void)state;
	struct run r;
	parse_text("read(0, 0x7ffc, 1024) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)\n"
		   "poll([{fd=3, events=POLLIN}], 1, 100) = ? ERESTART_RESTARTBLOCK (Interrupted by signal) <0.1>\n",
		   0, &r);
	assert_int_equal(r.n, 2);
	/* strace -c counts these as returned calls with an error */
	assert_int_equal(r.ev[0].rk, SP_RES_NUMBER);
	assert_int_equal(r.ev[0].result, -1);
	assert_string_equal(r.ev[0].err_name, "ERESTARTSYS");
	assert_string_equal(r.ev[0].err_text, "To be restarted if SA_RESTART is set");
	assert_string_equal(r.ev[1].err_name, "ERESTART_RESTARTBLOCK");
	assert_true(r.ev[1].has_duration);
}

static void test_exit_group_unknown(void **state)
{
	(void)state;
	struct run r;
	parse_text("exit_group(0)                     = ?\n1 exit_group(1 <unfinished ...>\n"
		   "1 <... exit_group resumed>)        = ?\n",
		   0, &r);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.ev[0].rk, SP_RES_UNKNOWN);
	assert_string_equal(r.ev[0].args, "0");
	assert_int_equal(r.ev[1].rk, SP_RES_UNKNOWN);
	assert_true(r.ev[1].resumed);
	assert_string_equal(r.ev[1].args, "1");
}

static void test_unprefixed_line_of_last_live_process(void **state)
{
	(void)state;
	struct run r;
	/* without -o: children exited, strace drops the prefix for the one left */
	parse_text("[pid 20] wait4(-1,  <unfinished ...>\n"
		   "[pid 21] exit_group(0) = ?\n"
		   "[pid 21] +++ exited with 0 +++\n"
		   "<... wait4 resumed>NULL, 0, NULL) = 21\n",
		   0, &r);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.ev[2].name, "wait4");
	assert_true(r.ev[2].resumed);
	assert_int_equal(r.ev[2].pid, 20);
	assert_int_equal(r.st.orphan_resumed, 0);
	assert_int_equal(r.st.unfinished_eof, 0);
}

static void test_execve_in_thread(void **state)
{
	(void)state;
	struct run r;
	/* a thread (101) calls execve; the process (100) goes on as the new program */
	parse_text("101 execve(\"/bin/true\", [\"true\"], 0x7f /* 3 vars */ <unfinished ...>\n"
		   "100 +++ superseded by execve in pid 101 +++\n"
		   "100 <... execve resumed>)                = 0\n"
		   "100 exit_group(0) = ?\n100 +++ exited with 0 +++\n",
		   0, &r);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.ev[0].name, "execve");
	assert_true(r.ev[0].resumed);
	assert_int_equal(r.ev[0].result, 0);
	assert_int_equal(r.ev[0].pid, 100);
	assert_string_equal(r.ev[0].args, "\"/bin/true\", [\"true\"], 0x7f /* 3 vars */");
	assert_int_equal(r.st.unfinished_eof, 0);
	assert_int_equal(r.st.orphan_resumed, 0);
	assert_int_equal(r.st.strace_messages, 1);
}

static void test_strace_messages(void **state)
{
	(void)state;
	struct run r;
	parse_text("strace: Process 123 attached\nstrace: Process 123 detached\n"
		   "[ Process PID=5 runs in 32 bit mode. ]\n123 strace: Process 124 attached\n",
		   0, &r);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.st.strace_messages, 4);
	assert_int_equal(r.st.malformed_lines, 0);
}

static void test_message_inside_line(void **state)
{
	(void)state;
	struct run r;
	/* without -o, strace's own stderr message can cut a line in two */
	parse_text("clone(child_stack=NULL, flags=SIGCHLDstrace: Process 11406 attached\n"
		   ", child_tidptr=0x7f) = 11406\n"
		   "[pid 11405] wait4(-1, strace: Process 11407 attached\n"
		   " <unfinished ...>\n"
		   "[pid 11405] <... wait4 resumed>NULL, 0, NULL) = 11407\n",
		   11405, &r);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.ev[0].name, "clone");
	assert_string_equal(r.ev[0].args, "child_stack=NULL, flags=SIGCHLD, child_tidptr=0x7f");
	assert_int_equal(r.ev[0].result, 11406);
	assert_string_equal(r.ev[1].name, "wait4");
	assert_string_equal(r.ev[1].args, "-1, NULL, 0, NULL");
	assert_int_equal(r.st.strace_messages, 2);
	assert_int_equal(r.st.malformed_lines, 0);
}

static void test_orphan_resumed(void **state)
{
	(void)state;
	struct run r;
	parse_text("5 <... futex resumed>) = 0\n5 close(1) = 0\n", 0, &r);
	assert_int_equal(r.n, 2);
	assert_true(r.ev[0].orphan);
	assert_string_equal(r.ev[0].name, "futex");
	assert_int_equal(r.ev[0].rk, SP_RES_NUMBER);
	assert_int_equal(r.st.orphan_resumed, 1);
	assert_int_equal(r.st.resumed_pairs, 0);
}

static void test_resumed_other_name(void **state)
{
	(void)state;
	struct run r;
	parse_text("5 read(0,  <unfinished ...>\n5 <... write resumed>) = 1\n", 0, &r);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.ev[0].name, "read");
	assert_int_equal(r.ev[0].rk, SP_RES_NONE);
	assert_string_equal(r.ev[1].name, "write");
	assert_true(r.ev[1].orphan);
}

static void test_detached(void **state)
{
	(void)state;
	struct run r;
	parse_text("5 read(0,  <unfinished ...>\n5 <... read resumed> <detached ...>\n"
		   "6 wait4(-1,  <detached ...>\n",
		   0, &r);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.ev[0].name, "read");
	assert_true(r.ev[0].resumed);
	assert_int_equal(r.ev[0].rk, SP_RES_NONE);
	assert_string_equal(r.ev[0].args, "0, ");
	assert_string_equal(r.ev[1].name, "wait4");
	assert_int_equal(r.ev[1].rk, SP_RES_NONE);
	assert_int_equal(r.st.malformed_lines, 0);
}

static void test_unfinished_at_eof(void **state)
{
	(void)state;
	struct run r;
	parse_text("5 read(0,  <unfinished ...>\n6 close(1) = 0\n", 0, &r);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.ev[1].name, "read");
	assert_int_equal(r.ev[1].rk, SP_RES_NONE);
	assert_int_equal(r.ev[1].pid, 5);
	assert_int_equal(r.st.unfinished_eof, 1);
	assert_int_equal(r.st.syscalls, 2);
}

static void test_result_split_at_last_equals(void **state)
{
	(void)state;
	struct run r;
	parse_text("openat(AT_FDCWD, \"/t/a) = 4\", O_RDONLY) = 3</t/a) = 4>\n"
		   "wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 1}], 0, NULL) = 77\n"
		   "stat(\"/x\", 0x1) = -1 ENOENT (No such file or directory)\n",
		   0, &r);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.ev[0].result, 3);
	assert_string_equal(r.ev[0].decor, "/t/a) = 4");
	assert_string_equal(r.ev[0].args, "AT_FDCWD, \"/t/a) = 4\", O_RDONLY");
	assert_int_equal(r.ev[1].result, 77);
	assert_string_equal(r.ev[2].err_text, "No such file or directory");
}

static void test_result_extra(void **state)
{
	(void)state;
	struct run r;
	parse_text("fcntl(3, F_GETFD) = 0x1 (flags FD_CLOEXEC)\n"
		   "poll([{fd=3, events=POLLIN}], 1, 0) = 1 ([{fd=3, revents=POLLIN}])\n"
		   "mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, -1, 0) = 0x7f6741d27000\n",
		   0, &r);
	assert_int_equal(r.ev[0].result, 1);
	assert_string_equal(r.ev[0].extra, "(flags FD_CLOEXEC)");
	assert_string_equal(r.ev[1].extra, "([{fd=3, revents=POLLIN}])");
	assert_int_equal(r.ev[2].result, 0x7f6741d27000LL);
	assert_false(r.ev[2].has_extra);
}

static void test_malformed_skipped(void **state)
{
	(void)state;
	struct run r;
	parse_text("close(3) = 0\nthis is not strace\nread(3, \"x\", 1\n\x01\x02\x03\nclose(4) = 0\n", 0, &r);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.st.malformed_lines, 3);
	assert_int_equal(r.st.first_malformed, 2);
	assert_int_equal(r.st.lines, 5);
}

static void test_summary_table_skipped(void **state)
{
	(void)state;
	struct run r;
	parse_text("close(3) = 0\n"
		   "% time     seconds  usecs/call     calls    errors syscall\n"
		   "------ ----------- ----------- --------- --------- ----------------\n"
		   " 20.40    0.003371          28       117        14 openat\n"
		   "100.00    0.016527          17       925       107 total\n"
		   "1 close(4) = 0\n",
		   0, &r);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.st.summary_lines, 4);
	assert_int_equal(r.st.malformed_lines, 0);
}

static void test_ip_and_syscall_number_columns(void **state)
{
	(void)state;
	struct run r;
	parse_text("5 [00007f1234567890] close(3) = 0\n[  3] close(4) = 0\n"
		   "6 12:00:00.000001 [????????????????] exit_group(0) = ?\n",
		   0, &r);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.ev[0].name, "close");
	assert_int_equal(r.ev[0].pid, 5);
	assert_string_equal(r.ev[1].args, "4");
	assert_string_equal(r.ev[2].name, "exit_group");
	assert_true(r.ev[2].has_time);
	assert_int_equal(r.st.malformed_lines, 0);
}

static void test_many_processes_bounded(void **state)
{
	(void)state;
	/* 20000 short-lived processes, each with one unfinished+resumed call
	 * and an exit: every event out, nothing left pending */
	size_t cap = 20000 * 120, n = 0;
	char *text = malloc(cap);
	assert_non_null(text);
	for (int pid = 1000; pid < 21000; pid++)
		n += (size_t)snprintf(text + n, cap - n,
				      "%d read(0,  <unfinished ...>\n%d <... read resumed>\"\", 1) = 0\n"
				      "%d +++ exited with 0 +++\n",
				      pid, pid, pid);
	FILE *f = fmemopen(text, n, "r");
	struct sp_parser *p = sp_new(f, "mem", 0);
	struct sp_event ev;
	unsigned long k = 0;
	while (sp_next(p, &ev) > 0)
		k++;
	assert_int_equal(k, 40000);
	assert_int_equal(sp_get_stats(p)->resumed_pairs, 20000);
	assert_int_equal(sp_get_stats(p)->pids, 20000);
	sp_free(p);
	fclose(f);
	free(text);
}

static void test_crlf_and_no_final_newline(void **state)
{
	(void)state;
	struct run r;
	parse_text("close(3) = 0\r\nclose(4) = 0", 0, &r);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.ev[1].result, 0);
}

/* A line over 1 MiB: counted, its result still read, memory bounded. */
static void test_long_line(void **state)
{
	(void)state;
	size_t big = (3u << 20) + 12345;
	const char *head = "5 write(1, \"";
	const char *tail = "\", 3158073) = 3158073 <0.000100>\n5 close(1) = 0\n";
	size_t n = strlen(head) + big + strlen(tail);
	char *text = malloc(n + 1);
	assert_non_null(text);
	strcpy(text, head);
	memset(text + strlen(head), 'a', big);
	strcpy(text + strlen(head) + big, tail);
	FILE *f = fmemopen(text, n, "r");
	assert_non_null(f);
	struct sp_parser *p = sp_new(f, "mem", 0);
	struct run *r = malloc(sizeof(*r));
	assert_non_null(r);
	drain(p, r);
	assert_int_equal(r->n, 2);
	assert_string_equal(r->ev[0].name, "write");
	assert_int_equal(r->ev[0].result, 3158073);
	assert_true(r->ev[0].has_duration);
	assert_string_equal(r->ev[1].name, "close");
	assert_int_equal(r->st.long_lines, 1);
	assert_int_equal(r->st.lines, 2);
	assert_int_equal(r->st.bytes, n);
	sp_free(p);
	fclose(f);
	free(text);
	free(r);
}

/* The same with a small cap: head + tail kept, result read, next line intact. */
static void test_long_line_small_cap(void **state)
{
	(void)state;
	char text[8192];
	int n = snprintf(text, sizeof(text), "7 read(3</f>, \"");
	memset(text + n, 'b', 3000);
	n += 3000;
	n += snprintf(text + n, sizeof(text) - (size_t)n,
		      "\"..., 3000) = 3000 <0.5>\n7 strace: Process 8 attached\n7 close(3</f>) = 0\n");
	FILE *f = fmemopen(text, (size_t)n, "r");
	struct sp_parser *p = sp_new(f, "mem", 0);
	assert_true(sp_set_max_line(p, 512));
	struct run r;
	drain(p, &r);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.ev[0].name, "read");
	assert_int_equal(r.ev[0].result, 3000);
	assert_float_equal(r.ev[0].duration, 0.5, 1e-9);
	assert_string_equal(r.ev[1].name, "close");
	assert_int_equal(r.st.long_lines, 1);
	assert_int_equal(r.st.bytes, (unsigned long long)n);
	assert_false(sp_set_max_line(p, 512)); /* too late */
	sp_free(p);
	fclose(f);
	struct sp_parser *q = sp_new(stdin, "x", 0);
	assert_false(sp_set_max_line(q, 10));
	assert_false(sp_set_max_line(q, 2u << 20));
	sp_free(q);
}

static void test_garbage_never_crashes(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "\n", "(", ")", " = ", "x(", "x() =", "x() = ", "<... ", "<... x resumed>",
		"[pid", "[pid 1", "[pid 1]", "--- ", "+++ ", "+++ exited with", "12:", "12:34:",
		"1.", "x(\"unterminated = 1", "x() = 0x", "x() = 1<", "x() = 1 E", "x() = ? E (",
		"<... x resumed> <unfinished ...>", "x( <unfinished ...>\nx( <unfinished ...>",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct run r;
		parse_text(bad[i], 0, &r);
		assert_true(r.st.lines <= 2);
	}
}

/* ---- argument helpers ---- */

static void test_split_args(void **state)
{
	(void)state;
	const char *s = "3</a, b>, \"x, y\", {a=1, b=[2, 3]}, f(1, 2), 7<TCP:[1:2->3:4]>, /* c, d */ 9";
	struct sp_arg a[8];
	int n = sp_split_args(s, strlen(s), a, 8);
	assert_int_equal(n, 6);
	assert_int_equal(a[0].len, 8);
	assert_memory_equal(a[1].s, "\"x, y\"", 6);
	assert_memory_equal(a[2].s, "{a=1, b=[2, 3]}", a[2].len);
	assert_memory_equal(a[3].s, "f(1, 2)", a[3].len);
	assert_memory_equal(a[4].s, "7<TCP:[1:2->3:4]>", a[4].len);
	assert_memory_equal(a[5].s, "/* c, d */ 9", a[5].len);
	/* more than MAX: count still complete, only MAX filled */
	assert_int_equal(sp_split_args(s, strlen(s), a, 2), 6);
	assert_int_equal(sp_split_args("", 0, a, 2), 0);
	assert_int_equal(sp_split_args("  ", 2, a, 2), 0);
	assert_int_equal(sp_split_args("x", 1, a, 2), 1);
	assert_int_equal(sp_split_args(NULL, 0, a, 2), 0);
	/* unbalanced input stays in bounds */
	assert_int_equal(sp_split_args("}}, \"a", 6, a, 2), 2);
}

/* Strings and decorations are skipped 16 bytes at a time: every length
 * around that width, an escaped quote at every place, a decoration with a
 * nested "<...>" and one with "[...]". */
static void test_split_long_strings_and_decorations(void **state)
{
	(void)state;
	char body[200], args[1024], want0[256], want1[256];
	struct sp_arg a[4];
	for (int len = 0; len < 150; len++) {
		for (int i = 0; i < len; i++)
			body[i] = (char)('a' + i % 26);
		body[len] = '\0';
		/* a string holding an escaped quote (at position len/2) */
		if (len >= 2) {
			body[len / 2 - 1] = '\\';
			body[len / 2] = '"';
		}
		snprintf(want0, sizeof(want0), "\"%s\"", body);
		snprintf(want1, sizeof(want1), "3</tmp/%s>", len >= 2 ? "x<y>z" : "a");
		for (int i = 0; i < len && len >= 2; i++)
			body[i] = (char)('a' + i % 26); /* plain path for the decoration */
		char deco[256];
		snprintf(deco, sizeof(deco), "4</d/%s[x>y]>", body);
		snprintf(args, sizeof(args), "%s, %s, %s, 7", want0, want1, deco);
		int n = sp_split_args(args, strlen(args), a, 4);
		assert_int_equal(n, 4);
		assert_int_equal(a[0].len, strlen(want0));
		assert_memory_equal(a[0].s, want0, a[0].len);
		assert_int_equal(a[1].len, strlen(want1));
		assert_memory_equal(a[1].s, want1, a[1].len);
		assert_int_equal(a[2].len, strlen(deco));
		assert_memory_equal(a[2].s, deco, a[2].len);
		assert_int_equal(a[3].len, 1);
		assert_int_equal(a[3].s[0], '7');
	}
}

static void test_split_first_args(void **state)
{
	(void)state;
	const char *s = "3</f>, \"long, data\"..., 4096";
	struct sp_arg a[2];
	assert_int_equal(sp_split_first_args(s, strlen(s), a, 1), 1);
	assert_int_equal(a[0].len, 5);
	assert_int_equal(sp_split_first_args(s, strlen(s), a, 2), 2);
	assert_memory_equal(a[1].s, "\"long, data\"...", a[1].len);
	assert_int_equal(sp_split_first_args("1", 1, a, 2), 1);
	assert_int_equal(sp_split_first_args("1", 1, a, 0), 0);
}

static void test_arg_fd(void **state)
{
	(void)state;
	char d[64];
	int fd = 0;
	struct sp_arg a = { "3</path/to/f>", 13 };
	assert_true(sp_arg_fd(&a, &fd, d, sizeof(d)));
	assert_int_equal(fd, 3);
	assert_string_equal(d, "/path/to/f");
	a = (struct sp_arg){ "AT_FDCWD", 8 };
	assert_true(sp_arg_fd(&a, &fd, d, sizeof(d)));
	assert_int_equal(fd, -100);
	assert_string_equal(d, "");
	a = (struct sp_arg){ "AT_FDCWD</home>", 15 };
	assert_true(sp_arg_fd(&a, &fd, d, sizeof(d)));
	assert_string_equal(d, "/home");
	a = (struct sp_arg){ "7<anon_inode:[io_uring]>", 24 };
	assert_true(sp_arg_fd(&a, &fd, d, sizeof(d)));
	assert_int_equal(fd, 7);
	assert_string_equal(d, "anon_inode:[io_uring]");
	a = (struct sp_arg){ "5<TCP:[1.2.3.4:5->6.7.8.9:10]>", 30 };
	assert_true(sp_arg_fd(&a, &fd, d, 8));
	assert_string_equal(d, "TCP:[1."); /* cut to the buffer, NUL-terminated */
	a = (struct sp_arg){ "-1", 2 };
	assert_true(sp_arg_fd(&a, &fd, NULL, 0));
	assert_int_equal(fd, -1);
	a = (struct sp_arg){ "\"/x\"", 4 };
	assert_false(sp_arg_fd(&a, &fd, d, sizeof(d)));
	a = (struct sp_arg){ "3</open", 7 };
	assert_false(sp_arg_fd(&a, &fd, d, sizeof(d)));
	a = (struct sp_arg){ "NULL", 4 };
	assert_false(sp_arg_fd(&a, &fd, d, sizeof(d)));
}

static void test_arg_string(void **state)
{
	(void)state;
	char out[16];
	bool tr;
	struct sp_arg a = { "\"a\\tb\\0c\"", 9 };
	assert_int_equal(sp_arg_string(&a, out, sizeof(out), &tr), 5);
	assert_memory_equal(out, "a\tb\0c", 5);
	assert_false(tr);
	a = (struct sp_arg){ "\"abc\"...", 8 };
	assert_int_equal(sp_arg_string(&a, out, sizeof(out), &tr), 3);
	assert_true(tr);
	a = (struct sp_arg){ "NULL", 4 };
	assert_int_equal(sp_arg_string(&a, out, sizeof(out), &tr), -1);
	a = (struct sp_arg){ "0x7ffc", 6 };
	assert_int_equal(sp_arg_string(&a, out, sizeof(out), &tr), -1);
	/* longer than OUT: cut, NUL-terminated */
	a = (struct sp_arg){ "\"0123456789abcdefghij\"", 22 };
	assert_int_equal(sp_arg_string(&a, out, 8, &tr), 7);
	assert_string_equal(out, "0123456");
	/* escapes: octal, hex, quote, backslash */
	a = (struct sp_arg){ "\"\\101\\x42\\\"\\\\\\e\"", 16 };
	assert_int_equal(sp_arg_string(&a, out, sizeof(out), &tr), 5);
	assert_memory_equal(out, "AB\"\\\x1b", 5);
	/* cut inside a string (long line tail): no overrun */
	a = (struct sp_arg){ "\"abc\\", 5 };
	assert_true(sp_arg_string(&a, out, sizeof(out), &tr) >= 3);
	assert_true(tr);
}

/* The one decoder: what strace prints in strings and in -y decorations. */
static void test_unescape(void **state)
{
	(void)state;
	char out[64];
	size_t used;
	const char *s = "w\\303\\251 x\\76y";
	assert_int_equal(sp_unescape(s, strlen(s), '\0', out, sizeof(out), &used), 7);
	assert_string_equal(out, "w\303\251 x>y");
	assert_int_equal(used, strlen(s) + 1); /* no STOP seen */
	s = "q\\\"u\\\\o\\n\\t\\x41\\101\\e\\?";
	assert_int_equal(sp_unescape(s, strlen(s), '\0', out, sizeof(out), NULL), 11);
	assert_memory_equal(out, "q\"u\\o\n\tAA\x1b?", 11);
	/* STOP: consumed, not stored; an escaped STOP is a byte */
	s = "a\\\"b\"rest";
	assert_int_equal(sp_unescape(s, strlen(s), '"', out, sizeof(out), &used), 3);
	assert_string_equal(out, "a\"b");
	assert_int_equal(used, 5);
	/* garbage at the end: a lone backslash, a short octal, an empty \x */
	s = "ab\\";
	assert_int_equal(sp_unescape(s, strlen(s), '\0', out, sizeof(out), NULL), 3);
	assert_string_equal(out, "ab\\");
	s = "ab\\3";
	assert_int_equal(sp_unescape(s, strlen(s), '\0', out, sizeof(out), NULL), 3);
	assert_memory_equal(out, "ab\3", 3);
	s = "ab\\x";
	assert_int_equal(sp_unescape(s, strlen(s), '\0', out, sizeof(out), NULL), 3);
	assert_memory_equal(out, "ab\0", 3);
	s = "\\x4g\\777";
	assert_int_equal(sp_unescape(s, strlen(s), '\0', out, sizeof(out), NULL), 3);
	assert_memory_equal(out, "\4g\377", 3);
	/* in place, and cut to OUT (NUL-terminated) */
	char buf[] = "/t/\\303\\251\\76.bin";
	assert_int_equal(sp_unescape(buf, strlen(buf), '\0', buf, sizeof(buf), NULL), 10);
	assert_string_equal(buf, "/t/\303\251>.bin");
	s = "\\303\\251abcdef";
	assert_int_equal(sp_unescape(s, strlen(s), '\0', out, 4, NULL), 3);
	assert_string_equal(out, "\303\251a");
	assert_int_equal(sp_unescape(s, strlen(s), '\0', NULL, 0, NULL), 8);
	assert_int_equal(sp_unescape("", 0, '\0', out, sizeof(out), NULL), 0);
	assert_string_equal(out, "");
}

/* strace escapes a decorated path's '<', '>' and non-ASCII bytes; '[' and
 * ']' stay plain. Results and arguments decode like a string argument
 * (lines as strace 6.1 printed them for cp -a on such names). */
static void test_escaped_decorations(void **state)
{
	(void)state;
	struct run r;
	parse_text(
	    "openat(AT_FDCWD</tmp/w\\303\\251 x\\76y>, \"s/b>c.bin\", O_RDONLY|O_NOFOLLOW) = "
	    "3</tmp/w\\303\\251 x\\76y/s/b\\76c.bin> <0.000013>\n"
	    "openat(AT_FDCWD</tmp/x>, \"s2/x[y.bin\", O_RDONLY|O_NOFOLLOW) = 3</tmp/x/s2/x[y.bin> "
	    "<0.000015>\n"
	    "copy_file_range(3</tmp/x/s2/x[y.bin>, NULL, 4</tmp/x/d2/u]v.bin>, NULL, 5, 0) = 5 "
	    "<0.000036>\n"
	    "openat(AT_FDCWD</tmp/x>, \"s/q\\\"u\\\\o.bin\", O_RDONLY) = "
	    "3</tmp/x/s/q\\\"u\\\\o.bin> "
	    "<0.000013>\n"
	    "openat(AT_FDCWD</tmp/x>, \"s2/n\\nl.bin\", O_RDONLY) = 3</tmp/x/s2/n\\nl.bin> "
	    "<0.00001>\n"
	    "openat(AT_FDCWD, \"/dev/tty\", O_RDWR) = 4</dev/pts/0[<char 136:0>> <0.00001>\n",
	    0, &r);
	assert_int_equal(r.st.malformed_lines, 0);
	assert_int_equal(r.n, 6);
	assert_string_equal(r.ev[0].decor, "/tmp/w\303\251 x>y/s/b>c.bin");
	assert_true(r.ev[0].has_duration);
	assert_string_equal(r.ev[1].decor, "/tmp/x/s2/x[y.bin");
	assert_true(r.ev[1].has_duration);
	assert_int_equal(r.ev[2].result, 5);
	assert_string_equal(r.ev[3].decor, "/tmp/x/s/q\"u\\o.bin");
	assert_string_equal(r.ev[4].decor, "/tmp/x/s2/n\nl.bin");
	assert_string_equal(r.ev[5].decor, "/dev/pts/0[<char 136:0>");

	/* the argument and the decoration of the same name decode alike */
	struct sp_arg a[8];
	char d[256], name[256];
	int fd;
	bool tr;
	assert_int_equal(sp_split_args(r.ev[0].args, r.ev[0].args_len, a, 8), 3);
	assert_true(sp_arg_fd(&a[0], &fd, d, sizeof(d)));
	assert_int_equal(fd, -100);
	assert_string_equal(d, "/tmp/w\303\251 x>y");
	assert_int_equal(sp_arg_string(&a[1], name, sizeof(name), &tr), 9);
	assert_string_equal(name, "s/b>c.bin");
	char joined[512];
	snprintf(joined, sizeof(joined), "%s/%s", d, name);
	assert_string_equal(joined, r.ev[0].decor);
	/* a '[' or ']' in a decorated path does not swallow the next argument */
	assert_int_equal(sp_split_args(r.ev[2].args, r.ev[2].args_len, a, 8), 6);
	assert_true(sp_arg_fd(&a[0], &fd, d, sizeof(d)));
	assert_string_equal(d, "/tmp/x/s2/x[y.bin");
	assert_true(sp_arg_fd(&a[2], &fd, d, sizeof(d)));
	assert_int_equal(fd, 4);
	assert_string_equal(d, "/tmp/x/d2/u]v.bin");
	assert_int_equal(sp_split_args(r.ev[3].args, r.ev[3].args_len, a, 8), 3);
	assert_int_equal(sp_arg_string(&a[1], name, sizeof(name), &tr), 11);
	assert_string_equal(name, "s/q\"u\\o.bin");
	/* garbage escapes at the end of a decoration never overrun */
	struct sp_arg g = {"3</t/a\\", 7};
	assert_false(sp_arg_fd(&g, &fd, d, sizeof(d)));
	g = (struct sp_arg){"3</t/a\\3>", 9};
	assert_true(sp_arg_fd(&g, &fd, d, sizeof(d)));
	assert_memory_equal(d, "/t/a\3", 6);
	g = (struct sp_arg){"3</t/a\\>", 8};
	assert_true(sp_arg_fd(&g, &fd, d, sizeof(d)));
	assert_string_equal(d, "/t/a\\");
	parse_text("close(3</t/\\x>) = 0\nclose(3</t/a\\>) = 0\nopen(\"/x\", 0) = 3</t/\\\n"
	           "open(\"/x\", 0) = 3</t/\\7>\n",
	           0, &r);
	assert_true(r.n >= 3);
}

static void test_arg_number(void **state)
{
	(void)state;
	long long v;
	struct sp_arg a = { "4096", 4 };
	assert_true(sp_arg_number(&a, &v));
	assert_int_equal(v, 4096);
	a = (struct sp_arg){ "0x10", 4 };
	assert_true(sp_arg_number(&a, &v));
	assert_int_equal(v, 16);
	a = (struct sp_arg){ "-1", 2 };
	assert_true(sp_arg_number(&a, &v));
	assert_int_equal(v, -1);
	a = (struct sp_arg){ "0644", 4 };
	assert_true(sp_arg_number(&a, &v));
	assert_int_equal(v, 0644);
	a = (struct sp_arg){ "3 /* F_??? */", 13 };
	assert_true(sp_arg_number(&a, &v));
	assert_int_equal(v, 3);
	a = (struct sp_arg){ "O_RDONLY", 8 };
	assert_false(sp_arg_number(&a, &v));
	a = (struct sp_arg){ "12abc", 5 };
	assert_false(sp_arg_number(&a, &v));
	a = (struct sp_arg){ "", 0 };
	assert_false(sp_arg_number(&a, &v));
}

/* ---- the hand-made grammar fixture ---- */

static void test_grammar_fixture(void **state)
{
	(void)state;
	char path[4096];
	snprintf(path, sizeof(path), "%s/traces/grammar.trace", fixtures());
	struct sp_parser *p = sp_open_path(path);
	assert_non_null(p);
	struct run *r = malloc(sizeof(*r));
	assert_non_null(r);
	drain(p, r);
	assert_int_equal(r->st.lines, 34);
	assert_int_equal(r->st.syscalls, 25);
	assert_int_equal(r->st.events, 29);
	assert_int_equal(r->st.signals, 2);
	assert_int_equal(r->st.exits, 2);
	assert_int_equal(r->st.resumed_pairs, 3);
	assert_int_equal(r->st.orphan_resumed, 1);
	assert_int_equal(r->st.unfinished_eof, 2);
	assert_int_equal(r->st.malformed_lines, 1);
	assert_int_equal(r->st.first_malformed, 29);
	assert_int_equal(r->st.strace_messages, 1);
	assert_int_equal(r->st.pids, 4);
	unsigned long returned = 0, errors = 0;
	for (int i = 0; i < r->n; i++) {
		if (r->ev[i].kind != SP_SYSCALL || r->ev[i].rk != SP_RES_NUMBER)
			continue;
		returned++;
		errors += r->ev[i].has_err;
	}
	assert_int_equal(returned, 21); /* 25 - exit_group, write <unavailable>, 2 never returned */
	assert_int_equal(errors, 4);    /* ENOENT, ECHILD, ERESTARTSYS, errno 2 */
	assert_string_equal(r->ev[1].decor, "/tmp/a = b");
	sp_free(p);
	free(r);
}

/* ---- recorded fixtures against strace -C ---- */

struct count {
	char name[64];
	unsigned long calls, errors; /* strace's columns */
	unsigned long returned, err; /* ours */
};

static struct count *count_of(struct count *c, int *n, const char *name)
{
	for (int i = 0; i < *n; i++)
		if (strcmp(c[i].name, name) == 0)
			return &c[i];
	assert_true(*n < 512);
	memset(&c[*n], 0, sizeof(c[*n]));
	snprintf(c[*n].name, sizeof(c[*n].name), "%s", name);
	return &c[(*n)++];
}

/* Reads strace -C's table ("% time ... syscall" rows) at the end of PATH. */
static int read_summary(const char *path, struct count *c, int *n)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char line[512];
	bool in = false;
	int rows = 0;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "% time", 6) == 0) {
			in = true;
			continue;
		}
		if (!in || line[0] == '-')
			continue;
		double pct, secs;
		unsigned long usecs, calls, errors;
		char name[64];
		if (sscanf(line, "%lf %lf %lu %lu %lu %63s", &pct, &secs, &usecs, &calls, &errors, name) == 6) {
		} else if (sscanf(line, "%lf %lf %lu %lu %63s", &pct, &secs, &usecs, &calls, name) == 5) {
			errors = 0;
		} else {
			continue;
		}
		if (strcmp(name, "total") == 0)
			continue;
		struct count *k = count_of(c, n, name);
		k->calls = calls;
		k->errors = errors;
		rows++;
	}
	fclose(f);
	return rows;
}

static void check_against_summary(const char *path)
{
	struct count *c = calloc(512, sizeof(*c));
	assert_non_null(c);
	int n = 0;
	int rows = read_summary(path, c, &n);
	assert_true(rows > 10);
	struct sp_parser *p = sp_open_path(path);
	assert_non_null(p);
	struct sp_event ev;
	int rc;
	while ((rc = sp_next(p, &ev)) > 0) {
		if (ev.kind != SP_SYSCALL || ev.result_kind != SP_RES_NUMBER)
			continue;
		struct count *k = count_of(c, &n, ev.name);
		k->returned++;
		if (ev.err_name)
			k->err++;
	}
	assert_int_equal(rc, 0);
	const struct sp_stats *st = sp_get_stats(p);
	assert_int_equal(st->malformed_lines, 0);
	assert_int_equal(st->orphan_resumed, 0);
	int bad = 0;
	for (int i = 0; i < n; i++) {
		if (c[i].calls != c[i].returned || c[i].errors != c[i].err) {
			print_error("%s: %s: strace -C calls %lu errors %lu, parsed %lu %lu\n", path, c[i].name,
				    c[i].calls, c[i].errors, c[i].returned, c[i].err);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
	sp_free(p);
	free(c);
}

static void test_fixtures_match_strace_summary(void **state)
{
	(void)state;
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/traces", fixtures());
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *de;
	int checked = 0;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (l < 7 || strcmp(de->d_name + l - 6, ".trace") != 0 || strcmp(de->d_name, "grammar.trace") == 0)
			continue;
		char path[8192];
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		check_against_summary(path);
		checked++;
	}
	closedir(d);
	assert_true(checked >= 9); /* cp, rsync, tar, fio; plain and -tt -T -y; tar on stderr */
}

/* -ff: sp_open_path finds trace.PID files and merges them by time. */
static void test_ff_merge(void **state)
{
	(void)state;
	char base[4096];
	snprintf(base, sizeof(base), "%s/traces/ff/tar-ff", fixtures());
	struct sp_parser *p = sp_open_path(base);
	assert_non_null(p);
	struct sp_event ev;
	int rc;
	double last = -1;
	unsigned long syscalls = 0, exits = 0;
	int pids[8], npids = 0;
	while ((rc = sp_next(p, &ev)) > 0) {
		assert_true(ev.has_time);
		assert_true(ev.time >= last);
		last = ev.time;
		assert_true(ev.pid > 0);
		/* the pid comes from the file name */
		const char *dot = strrchr(ev.file, '.');
		assert_non_null(dot);
		assert_int_equal(atoi(dot + 1), ev.pid);
		bool seen = false;
		for (int i = 0; i < npids; i++)
			seen |= pids[i] == ev.pid;
		if (!seen && npids < 8)
			pids[npids++] = ev.pid;
		syscalls += ev.kind == SP_SYSCALL;
		exits += ev.kind == SP_EXIT;
	}
	assert_int_equal(rc, 0);
	const struct sp_stats *st = sp_get_stats(p);
	assert_int_equal(npids, 3); /* sh and the two tars */
	assert_int_equal(st->pids, 3);
	assert_int_equal(exits, 3);
	assert_int_equal(st->malformed_lines, 0);
	assert_int_equal(st->resumed_pairs, 0); /* -ff never splits a call */
	assert_true(syscalls > 1000);
	sp_free(p);

	/* the same files opened one by one give the same total */
	DIR *d;
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/traces/ff", fixtures());
	d = opendir(dir);
	assert_non_null(d);
	struct dirent *de;
	unsigned long sum = 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char path[8192];
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		struct sp_parser *q = sp_open_path(path);
		assert_non_null(q);
		while (sp_next(q, &ev) > 0)
			;
		sum += sp_get_stats(q)->syscalls;
		sp_free(q);
	}
	closedir(d);
	assert_int_equal(sum, syscalls);
}

static void test_open_errors(void **state)
{
	(void)state;
	errno = 0;
	assert_null(sp_open_path("/nonexistent-dir/trace"));
	assert_int_equal(errno, ENOENT);
	const char *paths[] = { "/nonexistent-dir/trace.1" };
	assert_null(sp_open_files(paths, 1));
	assert_null(sp_new(NULL, "x", 0));
	assert_null(sp_get_stats(NULL));
	sp_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain_line),
	    cmocka_unit_test(test_pid_column),
	    cmocka_unit_test(test_pid_bracket_prefix),
	    cmocka_unit_test(test_buffer_swap_keeps_events),
	    cmocka_unit_test(test_time_t),
	    cmocka_unit_test(test_time_t_out_of_range),
	    cmocka_unit_test(test_time_tt),
	    cmocka_unit_test(test_time_ttt),
	    cmocka_unit_test(test_time_relative),
	    cmocka_unit_test(test_time_ns_precision),
	    cmocka_unit_test(test_duration),
	    cmocka_unit_test(test_time_and_duration_shapes),
	    cmocka_unit_test(test_times_not_wanted),
	    cmocka_unit_test(test_names_of_every_length),
	    cmocka_unit_test(test_lines_of_every_length),
	    cmocka_unit_test(test_result_after_equals_at_every_distance),
	    cmocka_unit_test(test_decorations),
	    cmocka_unit_test(test_xraw_xverbose),
	    cmocka_unit_test(test_truncated_string),
	    cmocka_unit_test(test_escapes_and_equals_in_strings),
	    cmocka_unit_test(test_nested_and_comments),
	    cmocka_unit_test(test_unfinished_resumed_joined),
	    cmocka_unit_test(test_resumed_time_is_call_start),
	    cmocka_unit_test(test_signal),
	    cmocka_unit_test(test_exited),
	    cmocka_unit_test(test_killed),
	    cmocka_unit_test(test_killed_mid_call),
	    cmocka_unit_test(test_unavailable),
	    cmocka_unit_test(test_erestartsys),
	    cmocka_unit_test(test_exit_group_unknown),
	    cmocka_unit_test(test_unprefixed_line_of_last_live_process),
	    cmocka_unit_test(test_execve_in_thread),
	    cmocka_unit_test(test_strace_messages),
	    cmocka_unit_test(test_message_inside_line),
	    cmocka_unit_test(test_orphan_resumed),
	    cmocka_unit_test(test_resumed_other_name),
	    cmocka_unit_test(test_detached),
	    cmocka_unit_test(test_unfinished_at_eof),
	    cmocka_unit_test(test_result_split_at_last_equals),
	    cmocka_unit_test(test_result_extra),
	    cmocka_unit_test(test_malformed_skipped),
	    cmocka_unit_test(test_summary_table_skipped),
	    cmocka_unit_test(test_ip_and_syscall_number_columns),
	    cmocka_unit_test(test_many_processes_bounded),
	    cmocka_unit_test(test_crlf_and_no_final_newline),
	    cmocka_unit_test(test_long_line),
	    cmocka_unit_test(test_long_line_small_cap),
	    cmocka_unit_test(test_garbage_never_crashes),
	    cmocka_unit_test(test_split_args),
	    cmocka_unit_test(test_split_long_strings_and_decorations),
	    cmocka_unit_test(test_split_first_args),
	    cmocka_unit_test(test_arg_fd),
	    cmocka_unit_test(test_arg_string),
	    cmocka_unit_test(test_unescape),
	    cmocka_unit_test(test_escaped_decorations),
	    cmocka_unit_test(test_arg_number),
	    cmocka_unit_test(test_grammar_fixture),
	    cmocka_unit_test(test_fixtures_match_strace_summary),
	    cmocka_unit_test(test_ff_merge),
	    cmocka_unit_test(test_open_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
