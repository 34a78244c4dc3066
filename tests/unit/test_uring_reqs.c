/* The reader of the BPF io_uring capture (uring_reqs) on files recorded by
 * the analyzer (fixtures/uring/: see its README.md), on every cut-short
 * and byte-flipped variant of them, and on small files written here record
 * by record for the joins a recording rarely shows (a request pointer
 * reused, multishot completions, preparation failures, lost records).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "uring_bpf.h"
#include "uring_reqs.h"

static char fixtures[1024];
/* In memory where there is a tmpfs: the cut and flipped variants are many. */
static char tmpdir[64];

static char *slurp(const char *rel, size_t *len)
{
	char path[1200];
	snprintf(path, sizeof(path), "%s/%s", fixtures, rel);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = NULL;
	size_t cap = 0, n = 0;
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		if (!got)
			break;
		n += got;
	}
	fclose(f);
	*len = n;
	return buf;
}

static const char *write_tmp(const char *name, const void *data, size_t len)
{
	static char path[1200];
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

static struct uring_reqs *read_ok(const char *path)
{
	struct uring_reqs *r = NULL;
	char err[1024] = "";
	int rc = uring_reqs_read(path, &r, err, sizeof(err));
	if (rc != 0)
		fail_msg("uring_reqs_read %s: %s", path, err);
	return r;
}

static struct uring_reqs *read_fixture(const char *rel)
{
	char path[1200];
	snprintf(path, sizeof(path), "%s/%s", fixtures, rel);
	return read_ok(path);
}

static const struct uring_req *find_path(const struct uring_req *q, size_t n, unsigned op,
                                         const char *path)
{
	for (size_t i = 0; i < n; i++)
		if (q[i].opcode == op && q[i].path && strcmp(q[i].path, path) == 0)
			return &q[i];
	return NULL;
}

/* fixtures/uring/arsync-5files.uring: our copier, `arsync -a` of a tree of
 * five files (one in sub/) and a symlink; the figures were read off
 * `uring_dump` and the strace trace of the same run. */
static void test_arsync_capture(void **state)
{
	(void)state;
	struct uring_reqs *r = read_fixture("uring/arsync-5files.uring");
	const struct uring_reqs_info *s = uring_reqs_stats(r);
	assert_int_equal(s->records, 131);
	assert_int_equal(s->lost, 0);
	assert_int_equal(s->malformed, 0);
	assert_int_equal(s->unmatched, 0);
	assert_int_equal(s->rings, 1);
	assert_int_equal(s->rings_created, 1);
	size_t n;
	const struct uring_req *q = uring_reqs_list(r, &n);
	assert_int_equal(n, 52);
	unsigned per_op[64] = {0};
	for (size_t i = 0; i < n; i++) {
		assert_true(q[i].completed);
		assert_false(q[i].failed_prep);
		assert_true(q[i].complete_ns >= q[i].submit_ns);
		if (i)
			assert_true(q[i].submit_ns >= q[i - 1].submit_ns);
		assert_int_equal(q[i].pid, q[0].pid);
		assert_int_equal(q[i].ring, q[0].ring);
		per_op[q[i].opcode & 63]++;
	}
	assert_int_equal(per_op[21], 9);  /* STATX */
	assert_int_equal(per_op[18], 12); /* OPENAT */
	assert_int_equal(per_op[19], 14); /* CLOSE */
	assert_int_equal(per_op[39], 5);  /* LINKAT */
	assert_int_equal(per_op[37], 1);  /* MKDIRAT */
	assert_int_equal(per_op[38], 1);  /* SYMLINKAT */
	/* 2026-12-04, on strace's clock (its first line: 18:11:23 UTC) */
	assert_true(q[0].submit_ns / 1000000000 >= 1796407880);
	assert_true(q[0].submit_ns / 1000000000 <= 1796407890);

	/* each source file opened by name relative to the source dirfd */
	static const char *const names[] = {"file01.bin", "file02.bin", "file03.bin",
	                                    "file04.bin"};
	for (size_t i = 0; i < 4; i++) {
		const struct uring_req *o = find_path(q, n, 18, names[i]);
		assert_non_null(o);
		assert_int_equal(o->dfd, 3);
		assert_int_equal(o->fd, UREQ_NO_FD);
		assert_null(o->path2);
		assert_int_equal(o->open_flags, 02500000); /* O_RDONLY|O_NOFOLLOW|O_CLOEXEC|O_NOATIME */
		assert_true(o->res >= 0);
		assert_int_equal(o->file_slot, 0);
	}
	const struct uring_req *o = find_path(q, n, 18, "file05.bin");
	assert_non_null(o);
	assert_int_equal(o->dfd, 15); /* sub/, opened in the ring as fd 15 */
	const struct uring_req *sub = find_path(q, n, 18, "sub");
	assert_non_null(sub);
	assert_int_equal(sub->res, 15);
	/* the destination file: O_TMPFILE in the directory ("."), mode kept */
	o = find_path(q, n, 18, ".");
	assert_non_null(o);
	assert_int_equal(o->dfd, 4);
	assert_int_equal(o->mode, 0644);
	assert_true(o->async);
	/* linked into place by fd: AT_EMPTY_PATH, the new name in the dirfd */
	size_t links = 0;
	for (size_t i = 0; i < n; i++) {
		if (q[i].opcode != 39)
			continue;
		links++;
		assert_string_equal(q[i].path, "");
		assert_int_equal(q[i].at_flags, 0x1000); /* AT_EMPTY_PATH */
		assert_true(q[i].dfd >= 0);
		assert_non_null(q[i].path2);
		assert_true(q[i].dfd2 == 4 || q[i].dfd2 == 16);
	}
	assert_int_equal(links, 5);
	/* symlinkat: the target is text, not looked up; the link has a dirfd */
	const struct uring_req *sl = find_path(q, n, 38, "file01.bin");
	assert_non_null(sl);
	assert_int_equal(sl->dfd, UREQ_NO_FD);
	assert_int_equal(sl->dfd2, 4);
	assert_string_equal(sl->path2, "link");
	const struct uring_req *mk = find_path(q, n, 37, "sub");
	assert_non_null(mk);
	assert_int_equal(mk->dfd, 4);
	assert_int_equal(mk->mode, 0700);
	/* statx of the root itself: AT_EMPTY_PATH on the dirfd, path "" */
	assert_int_equal(q[0].opcode, 21);
	assert_string_equal(q[0].path, "");
	assert_int_equal(q[0].at_flags & 0x1000, 0x1000);
	/* fd-taking opcodes carry their fd, the others none */
	for (size_t i = 0; i < n; i++) {
		if (q[i].opcode == 22 || q[i].opcode == 23 || q[i].opcode == 19)
			assert_true(q[i].fd >= 3);
		if (q[i].opcode == 21 || q[i].opcode == 18)
			assert_int_equal(q[i].fd, UREQ_NO_FD);
		if (q[i].opcode == 22)
			assert_int_equal(q[i].dfd, UREQ_NO_FD);
	}
	uring_reqs_free(r);
}

/* fixtures/uring/fio-read8.uring: fio, 8 random 4 KiB O_DIRECT reads. */
static void test_fio_capture(void **state)
{
	(void)state;
	struct uring_reqs *r = read_fixture("uring/fio-read8.uring");
	size_t n;
	const struct uring_req *q = uring_reqs_list(r, &n);
	assert_int_equal(n, 8);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(q[i].opcode, 22);
		assert_int_equal(q[i].fd, 8);
		assert_true(q[i].completed);
		assert_int_equal(q[i].res, 4096);
		assert_null(q[i].path);
		assert_false(q[i].fixed_file);
		assert_false(q[i].sq_thread);
	}
	assert_int_equal(uring_reqs_stats(r)->records, 17);
	assert_int_equal(uring_reqs_stats(r)->rings_created, 1);
	uring_reqs_free(r);
}

/* Cuts of a real file read without a crash: a cut in the header is an
 * error, any other a shorter list with one malformed count. */
static void test_every_cut(void **state)
{
	(void)state;
	size_t len;
	char *d = slurp("uring/arsync-5files.uring", &len);
	size_t full_n = 0;
	struct uring_reqs *r = read_ok(write_tmp("full.uring", d, len));
	uring_reqs_list(r, &full_n);
	uring_reqs_free(r);
	/* every byte of the header and the first records, then a cut every
	 * 13 bytes (not a divisor of any record size) */
	for (size_t cut = 0; cut < len; cut += cut < 600 ? 1 : 13) {
		const char *p = write_tmp("cut.uring", d, cut);
		char err[1024] = "";
		int rc = uring_reqs_read(p, &r, err, sizeof(err));
		if (cut < sizeof(struct uring_file_header)) {
			assert_int_equal(rc, -1);
			assert_null(r);
			assert_non_null(strstr(err, "cut.uring"));
			continue;
		}
		assert_int_equal(rc, 0);
		size_t n;
		uring_reqs_list(r, &n);
		assert_true(n <= full_n);
		assert_int_equal(uring_reqs_stats(r)->malformed, 1);
		uring_reqs_free(r);
	}
	free(d);
}

/* Random bytes flipped in the records: never a crash or a read past the
 * end (the ASan build checks), whatever comes out. */
static void test_flipped_bytes(void **state)
{
	(void)state;
	size_t len;
	char *d = slurp("uring/arsync-5files.uring", &len);
	char *m = malloc(len);
	assert_non_null(m);
	uint64_t x = 0x9e3779b97f4a7c15ull;
	for (int round = 0; round < 300; round++) {
		memcpy(m, d, len);
		int flips = 1 + round % 8;
		for (int k = 0; k < flips; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			size_t at = sizeof(struct uring_file_header) +
			            (size_t)(x % (len - sizeof(struct uring_file_header)));
			m[at] = (char)(x >> 32);
		}
		struct uring_reqs *r;
		char err[256];
		if (uring_reqs_read(write_tmp("flip.uring", m, len), &r, err, sizeof(err)) == 0) {
			size_t n;
			const struct uring_req *q = uring_reqs_list(r, &n);
			for (size_t i = 0; i < n; i++) {
				if (q[i].path)
					assert_true(strlen(q[i].path) < URING_BPF_PATH_MAX);
				if (q[i].path2)
					assert_true(strlen(q[i].path2) < URING_BPF_PATH_MAX);
			}
			uring_reqs_free(r);
		}
	}
	free(m);
	free(d);
}

static void expect_error(const char *path, const char *want)
{
	struct uring_reqs *r = (struct uring_reqs *)1;
	char err[1024] = "";
	assert_int_equal(uring_reqs_read(path, &r, err, sizeof(err)), -1);
	assert_null(r);
	if (!strstr(err, want))
		fail_msg("error '%s' lacks '%s'", err, want);
}

static void test_not_a_capture(void **state)
{
	(void)state;
	expect_error("/nonexistent/x.uring", "cannot open io_uring capture /nonexistent/x.uring");
	expect_error(tmpdir, "not a regular file");
	expect_error(write_tmp("empty.uring", "", 0), "not an io_uring capture");
	expect_error(write_tmp("junk.uring", "hello, world\n", 13), "no \"ARSURING\" magic");
	char path[1200];
	snprintf(path, sizeof(path), "%s/uring/fio-randread-batch8.uring", fixtures);
	expect_error(path, "tracefs text");

	struct uring_file_header h;
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, URING_FILE_MAGIC, 8);
	h.version = 99;
	h.header_size = sizeof(h);
	h.rec_size = sizeof(struct uring_bpf_rec);
	h.path_max = URING_BPF_PATH_MAX;
	expect_error(write_tmp("v99.uring", &h, sizeof(h)), "format version 99");
	h.version = URING_FILE_VERSION;
	h.rec_size = 3;
	expect_error(write_tmp("rec3.uring", &h, sizeof(h)), "corrupt header");
	h.rec_size = sizeof(struct uring_bpf_rec);
	h.header_size = 1u << 30;
	expect_error(write_tmp("hdr.uring", &h, sizeof(h)), "corrupt header");
}

/* A capture built record by record. */
struct builder {
	unsigned char buf[16384];
	size_t len;
};

static void b_header(struct builder *b, int64_t off)
{
	struct uring_file_header h;
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, URING_FILE_MAGIC, 8);
	h.version = URING_FILE_VERSION;
	h.header_size = sizeof(h);
	h.rec_size = sizeof(struct uring_bpf_rec);
	h.path_max = URING_BPF_PATH_MAX;
	h.realtime_off_ns = off;
	memcpy(b->buf, &h, sizeof(h));
	b->len = sizeof(h);
}

static void b_rec(struct builder *b, uint8_t kind, uint8_t op, uint64_t t, uint64_t req,
                  int32_t res, uint32_t cflags, const char *p1, const char *p2)
{
	struct uring_bpf_rec h;
	memset(&h, 0, sizeof(h));
	h.kind = kind;
	h.opcode = op;
	h.tgid = 100;
	h.tid = 101;
	h.ktime_ns = t;
	h.ring = 0xabc0;
	h.req = req;
	h.user_data = req + 1;
	h.res = res;
	h.at_flags = cflags;
	h.fd = 7;
	h.dfd = URING_BPF_NO_FD;
	h.dfd2 = URING_BPF_NO_FD;
	if (p1) {
		h.flags |= URB_HAS_PATH;
		h.path_len = (uint16_t)strlen(p1);
		h.dfd = 5;
	}
	if (p2) {
		h.flags |= URB_HAS_PATH2;
		h.path2_len = (uint16_t)strlen(p2);
		h.dfd2 = 6;
	}
	h.size = (uint16_t)(sizeof(h) + h.path_len + h.path2_len);
	memcpy(b->buf + b->len, &h, sizeof(h));
	b->len += sizeof(h);
	if (p1) {
		memcpy(b->buf + b->len, p1, h.path_len);
		b->len += h.path_len;
	}
	if (p2) {
		memcpy(b->buf + b->len, p2, h.path2_len);
		b->len += h.path2_len;
	}
}

static void b_end(struct builder *b, uint64_t lost, uint64_t unfollowed)
{
	struct uring_bpf_rec h;
	memset(&h, 0, sizeof(h));
	h.size = sizeof(h);
	h.kind = URB_END;
	h.req = lost;
	h.user_data = unfollowed;
	memcpy(b->buf + b->len, &h, sizeof(h));
	b->len += sizeof(h);
}

static void test_joins(void **state)
{
	(void)state;
	static struct builder b;
	b_header(&b, 1000000);
	b_rec(&b, URB_CREATE, 0, 5, 0, 0, 0, NULL, NULL);
	/* A: READ at req 0x10, completed; B: OPENAT reusing 0x10, punted */
	b_rec(&b, URB_SUBMIT, 22, 10, 0x10, 0, 0, NULL, NULL);
	b_rec(&b, URB_COMPLETE, 0, 20, 0x10, 4096, 0, NULL, NULL);
	b_rec(&b, URB_SUBMIT, 18, 30, 0x10, 0, 0, "a/b", NULL);
	b_rec(&b, URB_ASYNC, 18, 31, 0x10, 0, 0, NULL, NULL);
	/* C: RENAMEAT with two paths, submitted at the same time as B */
	b_rec(&b, URB_SUBMIT, 35, 30, 0x20, 0, 0, "old", "new");
	b_rec(&b, URB_COMPLETE, 0, 40, 0x10, 9, 0, NULL, NULL);
	/* D: multishot: two CQEs with F_MORE, then the last */
	b_rec(&b, URB_SUBMIT, 49, 50, 0x30, 0, 0, NULL, NULL);
	b_rec(&b, URB_COMPLETE, 0, 51, 0x30, 1, 2, NULL, NULL);
	b_rec(&b, URB_COMPLETE, 0, 52, 0x30, 2, 2, NULL, NULL);
	b_rec(&b, URB_COMPLETE, 0, 53, 0x30, 3, 0, NULL, NULL);
	/* a completion of nothing open (D is closed) */
	b_rec(&b, URB_COMPLETE, 0, 54, 0x30, 4, 0, NULL, NULL);
	/* E: rejected at preparation, then its CQE; unknown opcode 200 */
	b_rec(&b, URB_FAILED, 200, 60, 0x40, -22, 0, NULL, NULL);
	b_rec(&b, URB_COMPLETE, 0, 61, 0x40, -22, 0, NULL, NULL);
	/* F: an earlier submission emitted later (another CPU): sorted first */
	b_rec(&b, URB_SUBMIT, 21, 1, 0x50, 0, 0, "", NULL);
	b_rec(&b, URB_COMPLETE, 0, 70, 0x20, 0, 0, NULL, NULL);
	b_end(&b, 3, 1);
	struct uring_reqs *r = read_ok(write_tmp("joins.uring", b.buf, b.len));
	const struct uring_reqs_info *s = uring_reqs_stats(r);
	assert_int_equal(s->lost, 4);
	assert_int_equal(s->malformed, 0);
	assert_int_equal(s->unmatched, 1);
	assert_int_equal(s->rings, 1);
	assert_int_equal(s->rings_created, 1);
	assert_int_equal(s->records, 16);
	size_t n;
	const struct uring_req *q = uring_reqs_list(r, &n);
	assert_int_equal(n, 6);
	/* F (t=1), A (10), B (30), C (30, emitted after B), D (50), E (60) */
	assert_int_equal(q[0].opcode, 21);
	assert_string_equal(q[0].path, "");
	assert_false(q[0].completed);
	assert_int_equal(q[0].fd, UREQ_NO_FD); /* STATX takes no fd */
	assert_int_equal(q[1].opcode, 22);
	assert_int_equal(q[1].res, 4096);
	assert_int_equal(q[1].submit_ns, 1000010);
	assert_int_equal(q[1].complete_ns, 1000020);
	assert_int_equal(q[1].fd, 7);
	assert_false(q[1].async);
	assert_int_equal(q[2].opcode, 18);
	assert_string_equal(q[2].path, "a/b");
	assert_int_equal(q[2].dfd, 5);
	assert_true(q[2].async);
	assert_int_equal(q[2].res, 9);
	assert_int_equal(q[2].user_data, 0x11);
	assert_int_equal(q[3].opcode, 35);
	assert_string_equal(q[3].path, "old");
	assert_string_equal(q[3].path2, "new");
	assert_int_equal(q[3].dfd2, 6);
	assert_true(q[3].completed);
	assert_int_equal(q[4].opcode, 49);
	assert_int_equal(q[4].res, 3);
	assert_int_equal(q[4].complete_ns, 1000053);
	assert_int_equal(q[5].opcode, 200);
	assert_true(q[5].failed_prep);
	assert_true(q[5].completed);
	assert_int_equal(q[5].res, -22);
	assert_int_equal(q[5].pid, 100);
	assert_int_equal(q[5].tid, 101);
	uring_reqs_free(r);

	/* without its END record: counted as cut short */
	b.len -= sizeof(struct uring_bpf_rec);
	r = read_ok(write_tmp("noend.uring", b.buf, b.len));
	assert_int_equal(uring_reqs_stats(r)->malformed, 1);
	assert_int_equal(uring_reqs_stats(r)->lost, 0);
	uring_reqs_free(r);
	/* bytes after END: counted too */
	b_end(&b, 0, 0);
	memcpy(b.buf + b.len, "xyz", 3);
	r = read_ok(write_tmp("trail.uring", b.buf, b.len + 3));
	assert_int_equal(uring_reqs_stats(r)->malformed, 1);
	uring_reqs_free(r);
}

static void test_close_of_a_fixed_slot(void **state)
{
	(void)state;
	static struct builder b;
	b_header(&b, 0);
	b_rec(&b, URB_SUBMIT, 19, 10, 0x10, 0, 0, NULL, NULL);
	struct uring_bpf_rec *h = (void *)(b.buf + b.len - sizeof(*h));
	h->file_slot = 4; /* slot 3 */
	b_end(&b, 0, 0);
	struct uring_reqs *r = read_ok(write_tmp("slot.uring", b.buf, b.len));
	size_t n;
	const struct uring_req *q = uring_reqs_list(r, &n);
	assert_int_equal(n, 1);
	assert_int_equal(q[0].fd, 3);
	assert_true(q[0].fixed_file);
	assert_int_equal(q[0].file_slot, 4);
	uring_reqs_free(r);
}

/* The closing record carries the capture's own cost when the kernel kept
 * BPF run-time statistics; without the flag the cost is unknown, not 0. */
static void test_capture_cost(void **state)
{
	(void)state;
	static struct builder b;
	b_header(&b, 0);
	b_rec(&b, URB_SUBMIT, 22, 10, 0x10, 0, 0, NULL, NULL);
	b_end(&b, 0, 0);
	struct uring_reqs *r = read_ok(write_tmp("nocost.uring", b.buf, b.len));
	assert_false(uring_reqs_stats(r)->cost_known);
	uring_reqs_free(r);

	struct uring_bpf_rec *h = (void *)(b.buf + b.len - sizeof(*h));
	h->flags = URB_END_COST;
	h->ring = 1234;
	h->ktime_ns = 5000000;
	h->open_flags = 700000;
	h->resolve = 900000000;
	r = read_ok(write_tmp("cost.uring", b.buf, b.len));
	const struct uring_reqs_info *i = uring_reqs_stats(r);
	assert_true(i->cost_known);
	assert_int_equal(i->bpf_runs, 1234);
	assert_int_equal(i->bpf_ns, 5000000);
	assert_int_equal(i->consumer_ns, 700000);
	assert_int_equal(i->wall_ns, 900000000);
	assert_int_equal(i->records, 1);
	uring_reqs_free(r);
}

/* Version 2 counts punts to io-wq per opcode (ASYNC_COUNT records);
 * version 1 files (one ASYNC record per punt) are still read, and a
 * version 1 file with a version 2 record is malformed. */
static void test_async_counts(void **state)
{
	(void)state;
	static struct builder b;
	b_header(&b, 0);
	b_rec(&b, URB_SUBMIT, 22, 10, 0x10, 0, 0, NULL, NULL);
	b_rec(&b, URB_ASYNC_COUNT, 22, 0, 5, 0, 0, NULL, NULL);
	b_rec(&b, URB_ASYNC_COUNT, 18, 0, 7, 0, 0, NULL, NULL);
	b_end(&b, 0, 0);
	struct uring_reqs *r = read_ok(write_tmp("v2.uring", b.buf, b.len));
	const struct uring_reqs_info *i = uring_reqs_stats(r);
	assert_int_equal(i->async_by_op[22], 5);
	assert_int_equal(i->async_by_op[18], 7);
	assert_int_equal(i->malformed, 0);
	size_t n;
	uring_reqs_list(r, &n);
	assert_int_equal(n, 1);
	uring_reqs_free(r);

	struct uring_file_header *fh = (void *)b.buf;
	fh->version = 1;
	r = read_ok(write_tmp("v1.uring", b.buf, b.len));
	assert_int_equal(uring_reqs_stats(r)->malformed, 1);
	assert_int_equal(uring_reqs_stats(r)->async_by_op[22], 0);
	uring_reqs_free(r);

	fh->version = URING_FILE_VERSION + 1;
	struct uring_reqs *bad = NULL;
	char err[512];
	assert_int_equal(uring_reqs_read(write_tmp("v3.uring", b.buf, b.len), &bad, err, sizeof err),
	                 -1);
	assert_non_null(strstr(err, "format version"));
}

static void test_opcode_names(void **state)
{
	(void)state;
	char b[64];
	assert_string_equal(uring_opcode_name(18, b, sizeof(b)), "IORING_OP_OPENAT");
	assert_string_equal(uring_opcode_name(0, b, sizeof(b)), "IORING_OP_NOP");
	assert_string_equal(uring_opcode_name(62, b, sizeof(b)), "IORING_OP_PIPE");
	assert_string_equal(uring_opcode_name(200, b, sizeof(b)), "IORING_OP_200");
	assert_string_equal(uring_opcode_name(7, b, 10), "IORING_OP");
}

int main(void)
{
	const char *f = getenv("FIXTURES");
	snprintf(fixtures, sizeof(fixtures), "%s", f && *f ? f : "fixtures");
	snprintf(tmpdir, sizeof(tmpdir), "%s/test_uring_reqs_XXXXXX",
	         access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_arsync_capture),
	    cmocka_unit_test(test_fio_capture),
	    cmocka_unit_test(test_every_cut),
	    cmocka_unit_test(test_flipped_bytes),
	    cmocka_unit_test(test_not_a_capture),
	    cmocka_unit_test(test_joins),
	    cmocka_unit_test(test_close_of_a_fixed_slot),
	    cmocka_unit_test(test_capture_cost),
	    cmocka_unit_test(test_async_counts),
	    cmocka_unit_test(test_opcode_names),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	return rc;
}
