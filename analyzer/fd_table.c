/* fd_table: the fds of a table live in two places. Fds below LOW_FDS are
 * in chunks of CHUNK_FDS entries reached through a small directory in the
 * table (an fd's entry is two loads away); higher fds, rare and sparse
 * (dup2 to a chosen number), are in an open-addressing hash. A chunk holds
 * at least one entry or is not allocated, so memory follows the number of
 * fds in use, never the highest fd number.
 *
 * Chunks and the hash are reference counted: a fork's table points at the
 * parent's and copies one (a chunk, or the hash) only when it first writes
 * to it. A CLONE_FILES child shares the table object itself, as before.
 * Writes that change nothing (a -y decoration naming the path the table
 * already has) copy nothing. Pids map to tables in another open-addressing
 * hash. */
#include "fd_table.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define FD_MAX (1 << 24) /* sanity bound on fd numbers we track */

#define CHUNK_SHIFT 6
#define CHUNK_FDS (1 << CHUNK_SHIFT)
#define LOW_CHUNKS 16
#define LOW_FDS (LOW_CHUNKS * CHUNK_FDS)

enum { ST_FREE = 0, ST_OPEN = 1, ST_CLOSED = 2 };

struct chunk {
	struct fd_info e[CHUNK_FDS]; /* first: an entry is at chunk + 12 * (fd % 64) */
	unsigned refs;               /* tables pointing at it */
	unsigned used;               /* entries not ST_FREE (never 0: an empty chunk is freed) */
	unsigned closed;             /* entries ST_CLOSED */
};

enum { HI_EMPTY = -1, HI_DELETED = -2 };

struct hi_slot {
	int32_t fd; /* HI_EMPTY, HI_DELETED, or an fd >= LOW_FDS */
	struct fd_info e;
};

struct hi_map {
	unsigned refs;
	unsigned cap;   /* power of two */
	unsigned shift; /* 32 - log2(cap) */
	unsigned used;  /* live + deleted slots */
	unsigned live;  /* entries not ST_FREE */
	unsigned closed;
	struct hi_slot s[];
};

/* A range change (close_range, CLOSE_RANGE_CLOEXEC, execve) a
 * provisional table saw: replayed on the inherited fds at the clone. */
struct range_op {
	int first, last;
	uint8_t how; /* enum sweep */
};

#define MAX_PENDING 8

struct fd_table {
	struct chunk *low[LOW_CHUNKS];
	struct hi_map *hi;
	struct fd_tables *owner;
	int refs;         /* pids using it (CLONE_FILES shares it) */
	bool provisional; /* pid seen before the clone that created it */
	bool unshared;    /* provisional, and made private (execve, CLOSE_RANGE_UNSHARE) */
	uint8_t npending;
	struct range_op pending[MAX_PENDING];
	unsigned id;
};

/* The filesystem context of processes (cwd): shared by CLONE_FS, which
 * is not CLONE_FILES. */
struct fd_fs {
	unsigned refs;
	bool provisional; /* pid seen before the clone that created it */
	uint32_t cwd;
};

struct pid_slot {
	int pid; /* key_of(pid); 0 = empty, -1 = deleted */
	struct fd_table *tab;
	struct fd_fs *fs; /* NULL until needed */
};

struct fd_tables {
	struct pid_slot *slots;
	unsigned nslots, used, live;
	unsigned next_id;
	size_t bytes, peak; /* everything allocated below */
};

/* ---- accounting ---- */

static void *t_alloc(struct fd_tables *t, size_t n, bool zero)
{
	void *p = zero ? calloc(1, n) : malloc(n);
	if (p) {
		t->bytes += n;
		if (t->bytes > t->peak)
			t->peak = t->bytes;
	}
	return p;
}

static void t_free(struct fd_tables *t, void *p, size_t n)
{
	if (p) {
		t->bytes -= n;
		free(p);
	}
}

size_t fdt_footprint(const struct fd_tables *t) { return t ? t->bytes : 0; }

size_t fdt_footprint_peak(const struct fd_tables *t) { return t ? t->peak : 0; }

/* ---- chunks ---- */

static void chunk_unref(struct fd_tables *t, struct chunk *c)
{
	if (c && --c->refs == 0)
		t_free(t, c, sizeof(*c));
}

/* Chunk I of TAB, made private to TAB (copied if shared, allocated if
 * absent). NULL when out of memory. */
static struct chunk *chunk_own(struct fd_table *tab, unsigned i)
{
	struct chunk *c = tab->low[i];
	if (c && c->refs == 1)
		return c;
	struct chunk *n = t_alloc(tab->owner, sizeof(*n), c == NULL);
	if (!n)
		return NULL;
	if (c) {
		memcpy(n, c, sizeof(*n));
		c->refs--; /* still held by another table */
	}
	n->refs = 1;
	tab->low[i] = n;
	return n;
}

/* ---- the hash of high fds ---- */

static size_t hi_size(unsigned cap) { return sizeof(struct hi_map) + cap * sizeof(struct hi_slot); }

static unsigned hi_home(const struct hi_map *m, int fd)
{
	return ((uint32_t)fd * 2654435761u) >> m->shift;
}

static struct hi_slot *hi_lookup(const struct hi_map *m, int fd)
{
	if (!m)
		return NULL;
	unsigned mask = m->cap - 1;
	for (unsigned i = hi_home(m, fd);; i = (i + 1) & mask) {
		const struct hi_slot *s = &m->s[i];
		if (s->fd == fd)
			return (struct hi_slot *)s;
		if (s->fd == HI_EMPTY)
			return NULL;
	}
}

static void hi_unref(struct fd_tables *t, struct hi_map *m)
{
	if (m && --m->refs == 0)
		t_free(t, m, hi_size(m->cap));
}

/* A new map of CAP slots holding M's entries (ST_CLOSED ones turned free
 * when DROP_CLOSED). */
static struct hi_map *hi_rebuild(struct fd_tables *t, const struct hi_map *m, unsigned cap,
                                 bool drop_closed)
{
	struct hi_map *n = t_alloc(t, hi_size(cap), false);
	if (!n)
		return NULL;
	n->refs = 1;
	n->cap = cap;
	n->shift = 32 - (unsigned)__builtin_ctz(cap);
	n->used = n->live = n->closed = 0;
	for (unsigned i = 0; i < cap; i++)
		n->s[i].fd = HI_EMPTY;
	for (unsigned i = 0; m && i < m->cap; i++) {
		const struct hi_slot *s = &m->s[i];
		if (s->fd < 0 || (drop_closed && s->e.state == ST_CLOSED))
			continue;
		unsigned j = hi_home(n, s->fd);
		while (n->s[j].fd != HI_EMPTY)
			j = (j + 1) & (cap - 1);
		n->s[j] = *s;
		n->used++;
		n->live++;
		n->closed += s->e.state == ST_CLOSED;
	}
	return n;
}

/* Slots for LIVE entries, at most half full. */
static unsigned hi_cap_for(unsigned live)
{
	unsigned cap = 8;
	while (cap < live * 2)
		cap *= 2;
	return cap;
}

/* TAB's map, private to TAB, with room for one more entry. */
static struct hi_map *hi_own(struct fd_table *tab, bool room)
{
	struct hi_map *m = tab->hi;
	unsigned live = m ? m->live : 0;
	bool full = !m || (room && (m->used + 1) * 4 > m->cap * 3);
	if (m && m->refs == 1 && !full)
		return m;
	struct hi_map *n = hi_rebuild(tab->owner, m, hi_cap_for(live + room), false);
	if (!n)
		return NULL;
	hi_unref(tab->owner, m);
	tab->hi = n;
	return n;
}

/* After removals: a map that has become mostly empty is rebuilt smaller,
 * an empty one freed. */
static void hi_shrink(struct fd_table *tab)
{
	struct hi_map *m = tab->hi;
	if (!m || m->refs != 1)
		return;
	if (m->live == 0) {
		hi_unref(tab->owner, m);
		tab->hi = NULL;
	} else if (m->cap > 8 && m->live * 8 < m->cap) {
		struct hi_map *n = hi_rebuild(tab->owner, m, hi_cap_for(m->live), false);
		if (n) {
			hi_unref(tab->owner, m);
			tab->hi = n;
		}
	}
}

/* ---- entries ---- */

static const struct fd_info *peek(const struct fd_table *tab, int fd)
{
	if ((unsigned)fd < LOW_FDS) {
		const struct chunk *c = tab->low[(unsigned)fd >> CHUNK_SHIFT];
		return c ? &c->e[fd & (CHUNK_FDS - 1)] : NULL;
	}
	const struct hi_slot *s = fd > 0 ? hi_lookup(tab->hi, fd) : NULL;
	return s ? &s->e : NULL;
}

/* put() for an fd of the hash (or a bad one). */
static int put_hi(struct fd_table *tab, int fd, const struct fd_info *e)
{
	if (fd < 0 || fd >= FD_MAX)
		return -1;
	const struct hi_slot *cur = hi_lookup(tab->hi, fd);
	bool was = cur && cur->e.state != ST_FREE, is = e->state != ST_FREE;
	if (!was && !is)
		return 0;
	unsigned dclosed = (e->state == ST_CLOSED) - (was && cur->e.state == ST_CLOSED);
	struct hi_map *m = hi_own(tab, !was);
	if (!m)
		return -1;
	struct hi_slot *s = hi_lookup(m, fd);
	if (!is) {
		s->fd = HI_DELETED;
		m->live--;
		m->closed += dclosed;
		hi_shrink(tab);
		return 0;
	}
	if (!s) {
		unsigned mask = m->cap - 1, j = hi_home(m, fd);
		while (m->s[j].fd >= 0)
			j = (j + 1) & mask;
		s = &m->s[j];
		if (s->fd == HI_EMPTY)
			m->used++;
		s->fd = fd;
		m->live++;
	}
	s->e = *e;
	m->closed += dclosed;
	return 0;
}

/* put() for any fd and any chunk: allocates, copies, frees. */
static __attribute__((noinline)) int put_any(struct fd_table *tab, int fd, const struct fd_info *e)
{
	if ((unsigned)fd >= LOW_FDS)
		return put_hi(tab, fd, e);
	unsigned i = (unsigned)fd >> CHUNK_SHIFT, j = (unsigned)fd & (CHUNK_FDS - 1);
	struct chunk *c = tab->low[i];
	unsigned was = c && c->e[j].state != ST_FREE, is = e->state != ST_FREE;
	if (!was && !is)
		return 0;
	if (!is && c->used == 1) { /* its last entry: the chunk goes */
		chunk_unref(tab->owner, c);
		tab->low[i] = NULL;
		return 0;
	}
	unsigned dclosed = (e->state == ST_CLOSED) - (was && c->e[j].state == ST_CLOSED);
	if (!c || c->refs != 1) {
		if (!(c = chunk_own(tab, i)))
			return -1;
	}
	c->e[j] = *e;
	c->used += is - was;
	c->closed += dclosed;
	return 0;
}

/* Fd FD of TAB becomes E (E->state ST_FREE: removed). 0, or -1 (no memory
 * / bad fd). The only way entries change. Inline: a low fd in a chunk the
 * table owns alone, which keeps an entry (no call, nothing allocated). */
static inline int put(struct fd_table *tab, int fd, const struct fd_info *e)
{
	if ((unsigned)fd < LOW_FDS) {
		struct chunk *c = tab->low[(unsigned)fd >> CHUNK_SHIFT];
		if (c && c->refs == 1) {
			struct fd_info *cur = &c->e[(unsigned)fd & (CHUNK_FDS - 1)];
			unsigned was = cur->state != ST_FREE, is = e->state != ST_FREE;
			if (is || c->used > was) {
				c->used += is - was;
				c->closed +=
				    (unsigned)(e->state == ST_CLOSED) - (cur->state == ST_CLOSED);
				*cur = *e;
				return 0;
			}
		}
	}
	return put_any(tab, fd, e);
}

/* ---- tables ---- */

static struct fd_table *table_new(struct fd_tables *t)
{
	struct fd_table *tab = t_alloc(t, sizeof(*tab), true);
	if (!tab)
		return NULL;
	tab->owner = t;
	tab->refs = 1;
	tab->id = ++t->next_id;
	return tab;
}

static void table_unref(struct fd_table *tab)
{
	if (tab && --tab->refs == 0) {
		for (unsigned i = 0; i < LOW_CHUNKS; i++)
			chunk_unref(tab->owner, tab->low[i]);
		hi_unref(tab->owner, tab->hi);
		t_free(tab->owner, tab, sizeof(*tab));
	}
}

struct fd_tables *fdt_new(void)
{
	struct fd_tables *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->bytes = t->peak = sizeof(*t);
	t->nslots = 64;
	t->slots = t_alloc(t, t->nslots * sizeof(*t->slots), true);
	if (!t->slots) {
		free(t);
		return NULL;
	}
	return t;
}

static void fs_unref(struct fd_tables *t, struct fd_fs *fs)
{
	if (fs && --fs->refs == 0)
		t_free(t, fs, sizeof(*fs));
}

void fdt_free(struct fd_tables *t)
{
	if (!t)
		return;
	for (unsigned i = 0; i < t->nslots; i++)
		if (t->slots[i].pid > 0) {
			table_unref(t->slots[i].tab);
			fs_unref(t, t->slots[i].fs);
		}
	free(t->slots);
	free(t);
}

/* Slots store pid + 1, so pid 0 (a trace without pids) is a valid key. */
static int key_of(int pid) { return pid < 0 ? 1 : pid == INT_MAX ? INT_MAX : pid + 1; }

static unsigned pid_hash(int pid) { return (unsigned)pid * 2654435761u; }

static struct pid_slot *find_slot(struct fd_tables *t, int pid)
{
	pid = key_of(pid);
	unsigned mask = t->nslots - 1;
	for (unsigned i = pid_hash(pid) & mask, n = 0; n < t->nslots; i = (i + 1) & mask, n++) {
		if (t->slots[i].pid == pid)
			return &t->slots[i];
		if (t->slots[i].pid == 0)
			return NULL;
	}
	return NULL;
}

static int grow(struct fd_tables *t)
{
	unsigned n = t->nslots * 2;
	while (t->live * 2 >= n)
		n *= 2;
	struct pid_slot *s = t_alloc(t, n * sizeof(*s), true);
	if (!s)
		return -1;
	for (unsigned i = 0; i < t->nslots; i++) {
		if (t->slots[i].pid <= 0)
			continue;
		unsigned j = pid_hash(t->slots[i].pid) & (n - 1);
		while (s[j].pid)
			j = (j + 1) & (n - 1);
		s[j] = t->slots[i];
	}
	t_free(t, t->slots, t->nslots * sizeof(*t->slots));
	t->slots = s;
	t->nslots = n;
	t->used = t->live;
	return 0;
}

static struct pid_slot *insert_slot(struct fd_tables *t, int pid)
{
	pid = key_of(pid);
	if ((t->used + 1) * 4 > t->nslots * 3 && grow(t) < 0)
		return NULL;
	unsigned mask = t->nslots - 1;
	unsigned i = pid_hash(pid) & mask;
	while (t->slots[i].pid > 0)
		i = (i + 1) & mask;
	if (t->slots[i].pid == 0)
		t->used++;
	t->slots[i].pid = pid;
	t->slots[i].tab = NULL;
	t->slots[i].fs = NULL;
	t->live++;
	return &t->slots[i];
}

struct fd_table *fdt_for_pid(struct fd_tables *t, int pid)
{
	if (!t)
		return NULL;
	struct pid_slot *s = find_slot(t, pid);
	if (s)
		return s->tab;
	struct fd_table *tab = table_new(t);
	if (!tab)
		return NULL;
	tab->provisional = true;
	s = insert_slot(t, pid);
	if (!s) {
		table_unref(tab);
		return NULL;
	}
	s->tab = tab;
	return tab;
}

static __attribute__((noinline)) const struct fd_info *get_hi(const struct fd_table *tab, int fd)
{
	const struct hi_slot *s = fd > 0 ? hi_lookup(tab->hi, fd) : NULL;
	return s && s->e.state == ST_OPEN ? &s->e : NULL;
}

const struct fd_info *fdt_get(const struct fd_table *tab, int fd)
{
	if (!tab)
		return NULL;
	if ((unsigned)fd >= LOW_FDS)
		return get_hi(tab, fd);
	const struct chunk *c = tab->low[(unsigned)fd >> CHUNK_SHIFT];
	if (!c)
		return NULL;
	const struct fd_info *e = &c->e[(unsigned)fd & (CHUNK_FDS - 1)];
	return e->state == ST_OPEN ? e : NULL;
}

int fdt_open(struct fd_table *tab, int fd, uint32_t path, enum fd_kind kind, bool cloexec)
{
	if (!tab)
		return -1;
	return put(tab, fd, &(struct fd_info){path, -1, (uint8_t)kind, ST_OPEN, cloexec});
}

int fdt_learn(struct fd_table *tab, int fd, uint32_t path, enum fd_kind kind)
{
	if (!tab || fd < 0 || fd >= FD_MAX)
		return -1;
	const struct fd_info *cur = peek(tab, fd);
	if (!cur || cur->state != ST_OPEN)
		return put(tab, fd, &(struct fd_info){path, -1, (uint8_t)kind, ST_OPEN, 0});
	struct fd_info e = *cur;
	if (path != FD_NO_PATH)
		e.path = path;
	if (kind != FDK_UNKNOWN && !(kind == FDK_REGULAR && e.kind == FDK_DIR))
		e.kind = (uint8_t)kind;
	if (e.path == cur->path && e.kind == cur->kind)
		return 0; /* nothing new: a shared chunk stays shared */
	return put(tab, fd, &e);
}

void fdt_set_ring(struct fd_table *tab, int fd, int32_t ring)
{
	if (!tab || fd < 0 || fd >= FD_MAX)
		return;
	const struct fd_info *cur = peek(tab, fd);
	struct fd_info e = cur && cur->state == ST_OPEN
	                       ? *cur
	                       : (struct fd_info){FD_NO_PATH, -1, FDK_IO_URING, ST_OPEN, 0};
	e.ring = ring;
	e.kind = FDK_IO_URING;
	if (cur && cur->state == ST_OPEN && cur->ring == ring && cur->kind == FDK_IO_URING)
		return;
	put(tab, fd, &e);
}

void fdt_close(struct fd_table *tab, int fd)
{
	if (!tab || fd < 0)
		return;
	if (tab->provisional) {
		/* remember the close so it survives the merge with the parent */
		put(tab, fd, &(struct fd_info){FD_NO_PATH, -1, FDK_UNKNOWN, ST_CLOSED, 0});
		return;
	}
	put(tab, fd, &(struct fd_info){0});
}

/* Applies a change to the open entries of chunk I with fds FIRST..LAST
 * (within the chunk): CLOEXEC_ONLY marks them, EXEC closes the marked
 * ones, else all are closed. A chunk with nothing to change is not
 * copied; one left empty is freed. */
enum sweep { SW_CLOSE, SW_MARK, SW_EXEC };

static bool sweep_hits(const struct fd_info *e, enum sweep how)
{
	if (e->state != ST_OPEN)
		return false;
	return how == SW_CLOSE || (how == SW_MARK ? !e->cloexec : e->cloexec);
}

static void sweep_chunk(struct fd_table *tab, unsigned i, unsigned first, unsigned last,
                        enum sweep how)
{
	struct chunk *c = tab->low[i];
	if (!c)
		return;
	unsigned hits = 0;
	for (unsigned j = first; j <= last; j++)
		hits += sweep_hits(&c->e[j], how);
	if (!hits)
		return;
	if (how != SW_MARK && hits == c->used) {
		chunk_unref(tab->owner, c);
		tab->low[i] = NULL;
		return;
	}
	if (!(c = chunk_own(tab, i)))
		return;
	for (unsigned j = first; j <= last; j++) {
		if (!sweep_hits(&c->e[j], how))
			continue;
		if (how == SW_MARK) {
			c->e[j].cloexec = 1;
		} else {
			c->e[j].state = ST_FREE;
			c->used--;
		}
	}
}

static void sweep_hi(struct fd_table *tab, int first, int last, enum sweep how)
{
	const struct hi_map *m = tab->hi;
	bool any = false;
	for (unsigned i = 0; m && i < m->cap && !any; i++)
		any = m->s[i].fd >= first && m->s[i].fd <= last && sweep_hits(&m->s[i].e, how);
	if (!any)
		return;
	struct hi_map *w = hi_own(tab, false);
	if (!w)
		return;
	for (unsigned i = 0; i < w->cap; i++) {
		struct hi_slot *s = &w->s[i];
		if (s->fd < first || s->fd > last || !sweep_hits(&s->e, how))
			continue;
		if (how == SW_MARK) {
			s->e.cloexec = 1;
		} else {
			s->fd = HI_DELETED;
			w->live--;
		}
	}
	hi_shrink(tab);
}

static void sweep(struct fd_table *tab, int first, int last, enum sweep how)
{
	if (first < 0 || last < first)
		return;
	for (unsigned i = (unsigned)first >> CHUNK_SHIFT; i < LOW_CHUNKS; i++) {
		unsigned base = i << CHUNK_SHIFT;
		if ((int)base > last)
			break;
		unsigned lo = (int)base < first ? (unsigned)first - base : 0;
		unsigned hi =
		    (int)(base + CHUNK_FDS - 1) > last ? (unsigned)last - base : CHUNK_FDS - 1;
		sweep_chunk(tab, i, lo, hi, how);
	}
	if (last >= LOW_FDS)
		sweep_hi(tab, first, last, how);
}

/* A range change: on TAB's own entries, and kept for the inherited ones
 * when TAB is provisional (its parent's clone has not returned yet). */
static void range_change(struct fd_table *tab, int first, int last, enum sweep how)
{
	if (!tab || first < 0 || last < first)
		return;
	if (tab->provisional && tab->npending < MAX_PENDING)
		tab->pending[tab->npending++] = (struct range_op){first, last, (uint8_t)how};
	sweep(tab, first, last, how);
}

void fdt_close_range(struct fd_table *tab, int first, int last, bool cloexec_only)
{
	range_change(tab, first, last, cloexec_only ? SW_MARK : SW_CLOSE);
}

int fdt_dup(struct fd_table *tab, int oldfd, int newfd, bool cloexec)
{
	if (!tab)
		return -1;
	const struct fd_info *o = fdt_get(tab, oldfd);
	struct fd_info copy = o ? *o : (struct fd_info){FD_NO_PATH, -1, FDK_UNKNOWN, ST_OPEN, 0};
	copy.cloexec = cloexec;
	copy.state = ST_OPEN;
	return put(tab, newfd, &copy);
}

void fdt_exec(struct fd_table *tab) { range_change(tab, 0, INT_MAX, SW_EXEC); }

static struct fd_table *table_copy(struct fd_tables *t, const struct fd_table *src);

/* The fs context of PID, made (provisional) if new. NULL out of memory. */
static struct fd_fs *fs_for_pid(struct fd_tables *t, int pid)
{
	if (!t || !fdt_for_pid(t, pid))
		return NULL;
	struct pid_slot *s = find_slot(t, pid);
	if (s && !s->fs && (s->fs = t_alloc(t, sizeof(*s->fs), false)))
		*s->fs = (struct fd_fs){.refs = 1, .provisional = true, .cwd = FD_NO_PATH};
	return s ? s->fs : NULL;
}

uint32_t fdt_cwd(struct fd_tables *t, int pid)
{
	struct pid_slot *s = t ? find_slot(t, pid) : NULL;
	return s && s->fs ? s->fs->cwd : FD_NO_PATH;
}

void fdt_set_cwd(struct fd_tables *t, int pid, uint32_t path)
{
	struct fd_fs *fs = fs_for_pid(t, pid);
	if (fs)
		fs->cwd = path;
}

int fdt_clone_fs(struct fd_tables *t, int parent, int child, bool share_fs)
{
	if (!t || parent == child)
		return -1;
	struct fd_fs *pfs = fs_for_pid(t, parent);
	if (!pfs || !fdt_for_pid(t, child))
		return -1;
	struct pid_slot *cs = find_slot(t, child);
	struct fd_fs *old = cs->fs, *n;
	/* a directory the child set before this clone returned wins */
	uint32_t early = old && old->provisional ? old->cwd : FD_NO_PATH;
	if (share_fs) {
		n = pfs;
		pfs->refs++;
		if (early != FD_NO_PATH)
			pfs->cwd = early;
	} else {
		if (!(n = t_alloc(t, sizeof(*n), false)))
			return -1;
		*n = (struct fd_fs){.refs = 1, .cwd = early != FD_NO_PATH ? early : pfs->cwd};
	}
	cs->fs = n;
	fs_unref(t, old);
	return 0;
}

struct fd_table *fdt_unshare(struct fd_tables *t, int pid)
{
	struct fd_table *tab = fdt_for_pid(t, pid);
	if (!tab)
		return NULL;
	if (tab->refs == 1) {
		/* alone: nothing to copy now; if the clone that made PID has not
		 * returned yet, it will give PID a copy, not the parent's table */
		if (tab->provisional)
			tab->unshared = true;
		return tab;
	}
	struct fd_table *n = table_copy(t, tab);
	if (!n)
		return tab;
	find_slot(t, pid)->tab = n;
	table_unref(tab);
	return n;
}

unsigned fdt_id(const struct fd_table *tab) { return tab ? tab->id : 0; }

/* A fork's table: SRC's chunks and hash, shared. Entries a provisional
 * table marked closed are free in the copy; a chunk or hash holding such
 * marks is copied without them. */
static struct fd_table *table_copy(struct fd_tables *t, const struct fd_table *src)
{
	struct fd_table *c = table_new(t);
	if (!c)
		return NULL;
	for (unsigned i = 0; i < LOW_CHUNKS; i++) {
		struct chunk *s = src->low[i];
		if (!s)
			continue;
		if (!s->closed) {
			s->refs++;
			c->low[i] = s;
			continue;
		}
		if (s->used == s->closed)
			continue;
		struct chunk *n = t_alloc(t, sizeof(*n), false);
		if (!n) {
			table_unref(c);
			return NULL;
		}
		memcpy(n, s, sizeof(*n));
		for (unsigned j = 0; j < CHUNK_FDS; j++)
			if (n->e[j].state == ST_CLOSED)
				n->e[j].state = ST_FREE;
		n->refs = 1;
		n->used -= n->closed;
		n->closed = 0;
		c->low[i] = n;
	}
	struct hi_map *h = src->hi;
	if (h && !h->closed) {
		h->refs++;
		c->hi = h;
	} else if (h && h->live > h->closed) {
		c->hi = hi_rebuild(t, h, hi_cap_for(h->live - h->closed), true);
		if (!c->hi) {
			table_unref(c);
			return NULL;
		}
	}
	return c;
}

/* Lays the entries a provisional table saw over DST. PROV's chunks and
 * hash are held while walked, so writes to DST (which may share them, or
 * be PROV) copy rather than change or free them underfoot. */
static int overlay(struct fd_table *dst, const struct fd_table *prov)
{
	int rc = 0;
	for (unsigned i = 0; i < LOW_CHUNKS && rc == 0; i++) {
		struct chunk *c = prov->low[i];
		if (!c)
			continue;
		c->refs++;
		for (unsigned j = 0; j < CHUNK_FDS && rc == 0; j++) {
			const struct fd_info *e = &c->e[j];
			if (e->state == ST_FREE)
				continue;
			int fd = (int)(i << CHUNK_SHIFT | j);
			rc = put(dst, fd, e->state == ST_CLOSED ? &(struct fd_info){0} : e);
		}
		chunk_unref(dst->owner, c);
	}
	struct hi_map *m = prov->hi;
	if (m && rc == 0) {
		m->refs++;
		for (unsigned i = 0; i < m->cap && rc == 0; i++) {
			const struct hi_slot *s = &m->s[i];
			if (s->fd < 0)
				continue;
			rc =
			    put(dst, s->fd, s->e.state == ST_CLOSED ? &(struct fd_info){0} : &s->e);
		}
		hi_unref(dst->owner, m);
	}
	return rc < 0 ? -1 : 0;
}

/* The range changes PROV saw, on the fds DST inherited (before PROV's own
 * entries are laid over: those already had them). */
static void replay(struct fd_table *dst, const struct fd_table *prov)
{
	for (unsigned i = 0; i < prov->npending; i++)
		sweep(dst, prov->pending[i].first, prov->pending[i].last,
		      (enum sweep)prov->pending[i].how);
}

int fdt_clone(struct fd_tables *t, int parent, int child, bool share_files)
{
	if (!t || parent == child)
		return -1;
	struct fd_table *ptab = fdt_for_pid(t, parent);
	if (!ptab)
		return -1;
	struct pid_slot *cs = find_slot(t, child);
	struct fd_table *old = cs ? cs->tab : NULL;
	bool early = old && old->provisional;
	struct fd_table *ntab;
	/* a child that unshared its table before this clone returned has its own */
	if (share_files && !(early && old->unshared)) {
		ntab = ptab;
		ptab->refs++;
	} else {
		ntab = table_copy(t, ptab);
		if (!ntab)
			return -1;
	}
	if (early) {
		replay(ntab, old);
		if (overlay(ntab, old) < 0) {
			table_unref(ntab);
			return -1;
		}
	}
	if (!cs) {
		cs = insert_slot(t, child);
		if (!cs) {
			table_unref(ntab);
			return -1;
		}
	}
	if (ntab != ptab)
		ntab->provisional = false;
	cs->tab = ntab;
	table_unref(old);
	return 0;
}

void fdt_exit(struct fd_tables *t, int pid)
{
	if (!t)
		return;
	struct pid_slot *s = find_slot(t, pid);
	if (!s)
		return;
	table_unref(s->tab);
	fs_unref(t, s->fs);
	s->tab = NULL;
	s->fs = NULL;
	s->pid = -1;
	t->live--;
}
