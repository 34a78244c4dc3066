/* Tests for the fd table: open/close/dup, CLONE_FILES sharing vs fork
 * copies, children seen before their clone returns, execve and O_CLOEXEC,
 * close_range, rings and cwd; memory that follows the fds in use (an fd
 * near 2^24, forks sharing until they write); and random operations
 * checked against a plain model of the same rules. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fd_table.h"

static void test_open_close_dup(void **state)
{
	(void)state;
	struct fd_tables *t = fdt_new();
	struct fd_table *tab = fdt_for_pid(t, 100);
	assert_null(fdt_get(tab, 3));
	assert_int_equal(fdt_open(tab, 3, 7, FDK_REGULAR, false), 0);
	assert_int_equal(fdt_get(tab, 3)->path, 7);
	assert_int_equal(fdt_dup(tab, 3, 10, false), 0);
	assert_int_equal(fdt_get(tab, 10)->path, 7);
	assert_int_equal(fdt_get(tab, 10)->kind, FDK_REGULAR);
	fdt_close(tab, 3);
	assert_null(fdt_get(tab, 3));
	assert_non_null(fdt_get(tab, 10));
	/* dup of an unknown fd: open, but unknown */
	fdt_dup(tab, 50, 11, false);
	assert_int_equal(fdt_get(tab, 11)->path, FD_NO_PATH);
	assert_int_equal(fdt_open(tab, -1, 1, FDK_REGULAR, false), -1);
	fdt_free(t);
}

static void test_clone_files_shares(void **state)
{
	(void)state;
	struct fd_tables *t = fdt_new();
	struct fd_table *p = fdt_for_pid(t, 100);
	fdt_open(p, 3, 1, FDK_REGULAR, false);
	assert_int_equal(fdt_clone(t, 100, 101, true), 0);
	struct fd_table *c = fdt_for_pid(t, 101);
	assert_ptr_equal(c, p);
	fdt_open(c, 4, 2, FDK_PIPE, false);
	assert_int_equal(fdt_get(p, 4)->kind, FDK_PIPE); /* a thread's open is the parent's */
	fdt_exit(t, 101);
	assert_non_null(fdt_get(fdt_for_pid(t, 100), 4));
	fdt_free(t);
}

static void test_fork_copies(void **state)
{
	(void)state;
	struct fd_tables *t = fdt_new();
	struct fd_table *p = fdt_for_pid(t, 100);
	fdt_open(p, 3, 1, FDK_REGULAR, false);
	assert_int_equal(fdt_clone(t, 100, 200, false), 0);
	struct fd_table *c = fdt_for_pid(t, 200);
	assert_ptr_not_equal(c, p);
	assert_int_equal(fdt_get(c, 3)->path, 1);
	fdt_close(c, 3);
	fdt_open(c, 5, 9, FDK_REGULAR, false);
	assert_non_null(fdt_get(p, 3)); /* the parent keeps its fd */
	assert_null(fdt_get(p, 5));
	assert_int_not_equal(fdt_id(c), fdt_id(p));
	fdt_free(t);
}

static void test_child_seen_before_clone_returns(void **state)
{
	(void)state;
	struct fd_tables *t = fdt_new();
	struct fd_table *p = fdt_for_pid(t, 100);
	fdt_open(p, 3, 1, FDK_REGULAR, false);
	fdt_open(p, 4, 2, FDK_REGULAR, false);
	/* fork child runs first: opens 6, closes 4 */
	struct fd_table *early = fdt_for_pid(t, 300);
	fdt_open(early, 6, 3, FDK_SOCKET, false);
	fdt_close(early, 4);
	assert_int_equal(fdt_clone(t, 100, 300, false), 0);
	struct fd_table *c = fdt_for_pid(t, 300);
	assert_int_equal(fdt_get(c, 3)->path, 1); /* inherited */
	assert_null(fdt_get(c, 4));               /* its own close survives */
	assert_int_equal(fdt_get(c, 6)->kind, FDK_SOCKET);
	assert_non_null(fdt_get(p, 4));
	assert_null(fdt_get(p, 6));
	/* a thread running first: its opens land in the shared table */
	struct fd_table *th = fdt_for_pid(t, 301);
	fdt_open(th, 8, 4, FDK_EVENTFD, false);
	assert_int_equal(fdt_clone(t, 100, 301, true), 0);
	assert_int_equal(fdt_get(p, 8)->kind, FDK_EVENTFD);
	assert_ptr_equal(fdt_for_pid(t, 301), p);
	fdt_free(t);
}

static void test_exec_closes_cloexec(void **state)
{
	(void)state;
	struct fd_tables *t = fdt_new();
	struct fd_table *tab = fdt_for_pid(t, 1);
	fdt_open(tab, 3, 1, FDK_REGULAR, true);
	fdt_open(tab, 4, 2, FDK_REGULAR, false);
	fdt_exec(tab);
	assert_null(fdt_get(tab, 3));
	assert_non_null(fdt_get(tab, 4));
	fdt_free(t);
}

static void test_close_range(void **state)
{
	(void)state;
	struct fd_tables *t = fdt_new();
	struct fd_table *tab = fdt_for_pid(t, 1);
	assert_int_equal(fdt_clone(t, 1, 2, false), 0); /* a non-provisional table */
	tab = fdt_for_pid(t, 2);
	for (int fd = 3; fd < 8; fd++)
		fdt_open(tab, fd, (uint32_t)fd, FDK_REGULAR, false);
	fdt_close_range(tab, 5, 6, true);
	assert_true(fdt_get(tab, 5)->cloexec);
	fdt_close_range(tab, 4, 1 << 30, false);
	assert_non_null(fdt_get(tab, 3));
	assert_null(fdt_get(tab, 4));
	assert_null(fdt_get(tab, 7));
	fdt_free(t);
}

static void test_ring_and_cwd(void **state)
{
	(void)state;
	struct fd_tables *t = fdt_new();
	struct fd_table *tab = fdt_for_pid(t, 1);
	fdt_open(tab, 6, FD_NO_PATH, FDK_IO_URING, true);
	fdt_set_ring(tab, 6, 2);
	fdt_dup(tab, 6, 9, false);
	assert_int_equal(fdt_get(tab, 9)->ring, 2);
	assert_int_equal(fdt_clone(t, 1, 2, false), 0);
	assert_int_equal(fdt_get(fdt_for_pid(t, 2), 6)->ring, 2); /* fork shares the ring object */
	assert_int_equal(fdt_cwd(t, 1), FD_NO_PATH);
	fdt_set_cwd(t, 1, 42);
	assert_int_equal(fdt_cwd(t, 1), 42);
	fdt_learn(tab, 0, 77, FDK_TTY);
	assert_int_equal(fdt_get(tab, 0)->kind, FDK_TTY);
	fdt_free(t);
}

static void test_pid_zero(void **state)
{
	(void)state;
	/* a trace without a pid column: the parser says pid 0 */
	struct fd_tables *t = fdt_new();
	struct fd_table *tab = fdt_for_pid(t, 0);
	assert_non_null(tab);
	fdt_open(tab, 3, 5, FDK_REGULAR, false);
	assert_int_equal(fdt_clone(t, 0, 19112, false), 0);
	assert_int_equal(fdt_get(fdt_for_pid(t, 19112), 3)->path, 5);
	assert_ptr_equal(fdt_for_pid(t, 0), tab);
	fdt_exit(t, 0);
	fdt_free(t);
}

static void test_many_pids(void **state)
{
	(void)state;
	struct fd_tables *t = fdt_new();
	for (int pid = 2; pid < 5000; pid++) {
		assert_int_equal(fdt_clone(t, 1, pid, pid % 2), 0);
		if (pid % 3 == 0)
			fdt_exit(t, pid);
	}
	assert_non_null(fdt_for_pid(t, 4999));
	fdt_free(t);
}

/* An fd near the 2^24 limit and many forks holding it: memory follows the
 * number of fds, not their numbers, and each child pays only for what it
 * changes. */
static void test_high_fd_many_forks(void **state)
{
	(void)state;
	enum { HIGH = 16777000, KIDS = 1000 };
	struct fd_tables *t = fdt_new();
	size_t empty = fdt_footprint(t);
	struct fd_table *p = fdt_for_pid(t, 1);
	fdt_learn(p, 0, 5, FDK_TTY);
	assert_int_equal(fdt_dup(p, 0, HIGH, false), 0);
	assert_int_equal(fdt_get(p, HIGH)->path, 5);
	assert_int_equal(fdt_get(p, HIGH)->kind, FDK_TTY);
	assert_null(fdt_get(p, HIGH - 1));
	assert_null(fdt_get(p, HIGH + 1));
	assert_true(fdt_footprint(t) - empty < 4096);
	for (int i = 0; i < KIDS; i++)
		assert_int_equal(fdt_clone(t, 1, 1000 + i, false), 0);
	/* a fork costs its table object, not a copy of the fds */
	size_t forked = fdt_footprint(t);
	assert_true(forked - empty < (size_t)KIDS * 512);
	for (int i = 0; i < KIDS; i++) {
		struct fd_table *c = fdt_for_pid(t, 1000 + i);
		assert_int_equal(fdt_get(c, HIGH)->path, 5);
		if (i % 2)
			fdt_close(c, HIGH);
		if (i % 5 == 0)
			fdt_dup(c, HIGH, HIGH - 2000 + i, true); /* another high fd */
	}
	/* children that wrote to their high fds each own a small hash */
	assert_true(fdt_footprint(t) - forked < (size_t)KIDS * 512);
	for (int i = 0; i < KIDS; i++) {
		struct fd_table *c = fdt_for_pid(t, 1000 + i);
		if (i % 2)
			assert_null(fdt_get(c, HIGH));
		else
			assert_int_equal(fdt_get(c, HIGH)->kind, FDK_TTY);
		if (i % 5 == 0) {
			assert_true(fdt_get(c, HIGH - 2000 + i)->cloexec);
			assert_null(fdt_get(c, HIGH - 2000 + i + 1));
		}
	}
	assert_non_null(fdt_get(p, HIGH)); /* the children's closes are their own */
	assert_null(fdt_get(p, HIGH - 2000));
	assert_true(fdt_footprint_peak(t) - empty < (size_t)KIDS * 1024);
	/* closing every fd in one child returns what it took */
	struct fd_table *c = fdt_for_pid(t, 1000);
	fdt_close_range(c, 0, INT_MAX, false);
	assert_null(fdt_get(c, 0));
	assert_null(fdt_get(c, HIGH));
	for (int i = 0; i < KIDS; i++)
		fdt_exit(t, 1000 + i);
	fdt_close(p, HIGH);
	assert_null(fdt_get(p, HIGH));
	/* all handed back but fd 0's chunk and the pid map, grown for 1,001 pids */
	assert_true(fdt_footprint(t) - empty < (size_t)KIDS * 64);
	fdt_free(t);
}

/* 1,000 fds, 10,000 forks alive at once: sharing until written. */
static void test_forks_share_until_written(void **state)
{
	(void)state;
	enum { FDS = 1000, KIDS = 10000 };
	struct fd_tables *t = fdt_new();
	struct fd_table *p = fdt_for_pid(t, 1);
	for (int fd = 3; fd < 3 + FDS; fd++)
		assert_int_equal(fdt_open(p, fd, (uint32_t)fd, FDK_REGULAR, fd % 10 != 0), 0);
	size_t parent = fdt_footprint(t);
	for (int i = 0; i < KIDS; i++)
		assert_int_equal(fdt_clone(t, 1, 100000 + i, false), 0);
	size_t forked = fdt_footprint(t);
	assert_true(forked - parent < (size_t)KIDS * 512); /* no fd copied */
	/* a write copies only the part of the table it lands in */
	struct fd_table *c = fdt_for_pid(t, 100000);
	size_t before = fdt_footprint(t);
	fdt_close(c, 500);
	size_t one = fdt_footprint(t) - before;
	assert_true(one > 0 && one <= 1024);
	assert_null(fdt_get(c, 500));
	assert_int_equal(fdt_get(p, 500)->path, 500);
	assert_int_equal(fdt_get(c, 501)->path, 501);
	/* reads and a learn that changes nothing copy nothing */
	before = fdt_footprint(t);
	for (int i = 1; i < KIDS; i++) {
		struct fd_table *k = fdt_for_pid(t, 100000 + i);
		assert_int_equal(fdt_get(k, 3 + i % FDS)->path, (uint32_t)(3 + i % FDS));
		fdt_learn(k, 7, 7, FDK_REGULAR);
	}
	assert_int_equal(fdt_footprint(t), before);
	/* an execve keeps only the fds without O_CLOEXEC */
	c = fdt_for_pid(t, 100001);
	fdt_exec(c);
	assert_null(fdt_get(c, 3));
	assert_non_null(fdt_get(c, 10));
	assert_non_null(fdt_get(p, 3));
	for (int i = 0; i < KIDS; i++)
		fdt_exit(t, 100000 + i);
	/* all handed back but the pid map, grown to hold 10,001 pids */
	assert_true(fdt_footprint(t) < parent + (size_t)KIDS * 64);
	fdt_free(t);
}

/* Many fds above the dense range: the hash grows, finds, forgets and
 * shrinks again; close_range and execve reach it. */
static void test_high_fds_hash(void **state)
{
	(void)state;
	enum { N = 5000 };
	struct fd_tables *t = fdt_new();
	assert_int_equal(fdt_clone(t, 1, 2, false), 0);
	struct fd_table *tab = fdt_for_pid(t, 2);
	size_t empty = fdt_footprint(t);
	for (int i = 0; i < N; i++)
		assert_int_equal(fdt_open(tab, 2000 + i * 3301, (uint32_t)i, FDK_REGULAR, i % 2),
		                 0);
	for (int i = 0; i < N; i++) {
		assert_int_equal(fdt_get(tab, 2000 + i * 3301)->path, (uint32_t)i);
		assert_null(fdt_get(tab, 2001 + i * 3301));
	}
	assert_int_equal(fdt_open(tab, 1 << 24, 1, FDK_REGULAR, false), -1);
	assert_null(fdt_get(tab, 1 << 24));
	assert_null(fdt_get(tab, -5));
	assert_true(fdt_footprint(t) - empty < (size_t)N * 64);
	fdt_exec(tab); /* odd i were O_CLOEXEC */
	for (int i = 0; i < N; i++)
		assert_true((fdt_get(tab, 2000 + i * 3301) != NULL) == (i % 2 == 0));
	fdt_close_range(tab, 2000, 2000 + (N / 2) * 3301, false);
	for (int i = 0; i < N; i++)
		assert_true((fdt_get(tab, 2000 + i * 3301) != NULL) == (i % 2 == 0 && i > N / 2));
	for (int i = 0; i < N; i++)
		fdt_close(tab, 2000 + i * 3301);
	assert_int_equal(fdt_footprint(t), empty);
	fdt_free(t);
}

/* ---- random operations against a plain model ----
 * The model is the table as it was first written: a dense array per
 * table, copied whole on fork, closes and range changes remembered by
 * provisional tables; the current directory per pid, shared or copied
 * (the same sharing as the table here: fdt_clone_fs follows fdt_clone).
 * Its fds are a small universe spread over the low range, both sides of
 * its end, and near 2^24. */
enum { U = 300, MPIDS = 12 };

static int ufd(int k) { return k < 140 ? k : k < 240 ? 980 + (k - 140) : 16777000 + (k - 240); }

enum { M_CLOSE, M_MARK, M_EXEC };

struct mtab {
	struct fd_info v[U];
	int refs;
	bool provisional;
	int npend;
	struct {
		int lo, hi, how;
	} pend[8];
};

struct mfs {
	int refs;
	bool provisional;
	uint32_t cwd;
};

struct model {
	int pid[MPIDS]; /* 0: none */
	struct mtab *tab[MPIDS];
	struct mfs *fs[MPIDS];
};

static struct mtab *m_new(void)
{
	struct mtab *m = calloc(1, sizeof(*m));
	assert_non_null(m);
	m->refs = 1;
	return m;
}

static struct mfs *m_fs_new(uint32_t cwd, bool provisional)
{
	struct mfs *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	*f = (struct mfs){1, provisional, cwd};
	return f;
}

static void m_unref(struct mtab *m)
{
	if (m && --m->refs == 0)
		free(m);
}

static void m_fs_unref(struct mfs *f)
{
	if (f && --f->refs == 0)
		free(f);
}

static void m_sweep(struct mtab *m, int lo, int hi, int how)
{
	for (int j = 0; j < U; j++) {
		if (ufd(j) < lo || ufd(j) > hi || m->v[j].state != 1)
			continue;
		if (how == M_MARK)
			m->v[j].cloexec = 1;
		else if (how == M_CLOSE || m->v[j].cloexec)
			m->v[j].state = 0;
	}
}

static void m_range(struct mtab *m, int lo, int hi, int how)
{
	if (m->provisional && m->npend < 8) {
		m->pend[m->npend].lo = lo;
		m->pend[m->npend].hi = hi;
		m->pend[m->npend++].how = how;
	}
	m_sweep(m, lo, hi, how);
}

static int m_slot(struct model *md, int pid)
{
	for (int i = 0; i < MPIDS; i++)
		if (md->pid[i] == pid)
			return i;
	return -1;
}

static struct mtab *m_for_pid(struct model *md, int pid)
{
	int i = m_slot(md, pid);
	if (i >= 0)
		return md->tab[i];
	i = m_slot(md, 0);
	assert_true(i >= 0);
	md->pid[i] = pid;
	md->tab[i] = m_new();
	md->tab[i]->provisional = true;
	md->fs[i] = m_fs_new(FD_NO_PATH, true);
	return md->tab[i];
}

static void m_overlay(struct mtab *dst, const struct mtab *prov)
{
	for (int k = 0; k < U; k++) {
		const struct fd_info *e = &prov->v[k];
		if (e->state == 0)
			continue;
		if (e->state == 2)
			dst->v[k].state = 0;
		else
			dst->v[k] = *e;
	}
}

static void m_clone(struct model *md, int parent, int child, bool share)
{
	struct mtab *p = m_for_pid(md, parent);
	int cs = m_slot(md, child);
	struct mtab *old = cs >= 0 ? md->tab[cs] : NULL, *n;
	if (share) {
		n = p;
		p->refs++;
	} else {
		n = m_new();
		memcpy(n->v, p->v, sizeof(n->v));
		for (int k = 0; k < U; k++)
			if (n->v[k].state == 2)
				n->v[k].state = 0;
		n->provisional = false;
	}
	if (old && old->provisional) {
		for (int i = 0; i < old->npend; i++)
			m_sweep(n, old->pend[i].lo, old->pend[i].hi, old->pend[i].how);
		m_overlay(n, old);
	}
	if (cs < 0) {
		cs = m_slot(md, 0);
		assert_true(cs >= 0);
		md->pid[cs] = child;
	}
	md->tab[cs] = n;
	m_unref(old);
}

static void m_clone_fs(struct model *md, int parent, int child, bool share)
{
	m_for_pid(md, parent);
	struct mfs *p = md->fs[m_slot(md, parent)];
	m_for_pid(md, child);
	int cs = m_slot(md, child);
	struct mfs *old = md->fs[cs];
	uint32_t early = old && old->provisional ? old->cwd : FD_NO_PATH;
	if (share) {
		p->refs++;
		if (early != FD_NO_PATH)
			p->cwd = early;
		md->fs[cs] = p;
	} else {
		md->fs[cs] = m_fs_new(early != FD_NO_PATH ? early : p->cwd, false);
	}
	m_fs_unref(old);
}

static void m_check(struct fd_tables *t, struct model *md)
{
	for (int i = 0; i < MPIDS; i++) {
		if (!md->pid[i])
			continue;
		struct fd_table *tab = fdt_for_pid(t, md->pid[i]);
		struct mtab *m = md->tab[i];
		for (int k = 0; k < U; k++) {
			const struct fd_info *g = fdt_get(tab, ufd(k));
			const struct fd_info *w = &m->v[k];
			if (w->state != 1) {
				assert_null(g);
				continue;
			}
			assert_non_null(g);
			assert_int_equal(g->path, w->path);
			assert_int_equal(g->ring, w->ring);
			assert_int_equal(g->kind, w->kind);
			assert_int_equal(g->cloexec, w->cloexec);
		}
		assert_int_equal(fdt_cwd(t, md->pid[i]), md->fs[i]->cwd);
		for (int j = 0; j < MPIDS; j++)
			if (md->pid[j])
				assert_true((fdt_for_pid(t, md->pid[j]) == tab) ==
				            (md->tab[j] == m));
	}
}

static void test_random_against_model(void **state)
{
	(void)state;
	for (unsigned seed = 1; seed <= 40; seed++) {
		srand(seed);
		struct fd_tables *t = fdt_new();
		struct model md = {0};
		for (int step = 0; step < 3000; step++) {
			int pid = 1 + rand() % 16, k = rand() % U, k2 = rand() % U;
			int op = rand() % 100;
			uint32_t path = rand() % 4 ? (uint32_t)(rand() % 50) : FD_NO_PATH;
			enum fd_kind kind = (enum fd_kind)(rand() % 4);
			bool flag = rand() % 2;
			if (m_slot(&md, pid) < 0 && m_slot(&md, 0) < 0)
				continue; /* the model is full: only pids it knows */
			struct mtab *m = m_for_pid(&md, pid);
			struct fd_table *tab = fdt_for_pid(t, pid);
			if (op < 30) {
				assert_int_equal(fdt_open(tab, ufd(k), path, kind, flag), 0);
				m->v[k] = (struct fd_info){path, -1, (uint8_t)kind, 1, flag};
			} else if (op < 45) {
				fdt_close(tab, ufd(k));
				if (m->provisional)
					m->v[k] =
					    (struct fd_info){FD_NO_PATH, -1, FDK_UNKNOWN, 2, 0};
				else
					m->v[k].state = 0;
			} else if (op < 55) {
				assert_int_equal(fdt_dup(tab, ufd(k), ufd(k2), flag), 0);
				struct fd_info c =
				    m->v[k].state == 1
				        ? m->v[k]
				        : (struct fd_info){FD_NO_PATH, -1, FDK_UNKNOWN, 1, 0};
				c.cloexec = flag;
				c.state = 1;
				m->v[k2] = c;
			} else if (op < 63) {
				assert_int_equal(fdt_learn(tab, ufd(k), path, kind), 0);
				struct fd_info *e = &m->v[k];
				if (e->state != 1) {
					*e = (struct fd_info){path, -1, (uint8_t)kind, 1, 0};
				} else {
					if (path != FD_NO_PATH)
						e->path = path;
					if (kind != FDK_UNKNOWN &&
					    !(kind == FDK_REGULAR && e->kind == FDK_DIR))
						e->kind = (uint8_t)kind;
				}
			} else if (op < 67) {
				int32_t ring = rand() % 3;
				fdt_set_ring(tab, ufd(k), ring);
				struct fd_info *e = &m->v[k];
				if (e->state != 1)
					*e = (struct fd_info){FD_NO_PATH, -1, FDK_IO_URING, 1, 0};
				e->ring = ring;
				e->kind = FDK_IO_URING;
			} else if (op < 71) {
				int lo = ufd(k < k2 ? k : k2),
				    hi = rand() % 4 ? ufd(k < k2 ? k2 : k) : INT_MAX;
				fdt_close_range(tab, lo, hi, flag);
				m_range(m, lo, hi, flag ? M_MARK : M_CLOSE);
			} else if (op < 74) {
				fdt_exec(tab);
				m_range(m, 0, INT_MAX, M_EXEC);
			} else if (op < 77) {
				fdt_set_cwd(t, pid, path);
				md.fs[m_slot(&md, pid)]->cwd = path;
			} else if (op < 92) {
				int child = 1 + rand() % 16;
				if (child == pid || (m_slot(&md, child) < 0 && m_slot(&md, 0) < 0))
					continue;
				assert_int_equal(fdt_clone(t, pid, child, flag), 0);
				m_clone(&md, pid, child, flag);
				assert_int_equal(fdt_clone_fs(t, pid, child, flag), 0);
				m_clone_fs(&md, pid, child, flag);
			} else {
				fdt_exit(t, pid);
				int i = m_slot(&md, pid);
				m_unref(md.tab[i]);
				m_fs_unref(md.fs[i]);
				md.pid[i] = 0;
				md.tab[i] = NULL;
				md.fs[i] = NULL;
			}
			if (step % 50 == 0)
				m_check(t, &md);
		}
		m_check(t, &md);
		for (int i = 0; i < MPIDS; i++)
			if (md.pid[i]) {
				fdt_exit(t, md.pid[i]);
				m_unref(md.tab[i]);
				m_fs_unref(md.fs[i]);
			}
		/* everything handed back: only the pid map is left */
		assert_true(fdt_footprint(t) < 4096);
		fdt_free(t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_open_close_dup),
	    cmocka_unit_test(test_clone_files_shares),
	    cmocka_unit_test(test_fork_copies),
	    cmocka_unit_test(test_child_seen_before_clone_returns),
	    cmocka_unit_test(test_exec_closes_cloexec),
	    cmocka_unit_test(test_close_range),
	    cmocka_unit_test(test_ring_and_cwd),
	    cmocka_unit_test(test_pid_zero),
	    cmocka_unit_test(test_many_pids),
	    cmocka_unit_test(test_high_fd_many_forks),
	    cmocka_unit_test(test_forks_share_until_written),
	    cmocka_unit_test(test_high_fds_hash),
	    cmocka_unit_test(test_random_against_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
