/* fd_table: per-table arrays indexed by fd, pids in an open-addressing map. */
#include "fd_table.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define FD_MAX (1 << 24) /* sanity bound on fd numbers we track */

enum { ST_FREE = 0, ST_OPEN = 1, ST_CLOSED = 2 };

struct fd_table {
	struct fd_info *v;
	int n; /* allocated */
	int refs;
	bool provisional; /* pid seen before the clone that created it */
	uint32_t cwd;
	unsigned id;
};

struct pid_slot {
	int pid; /* key_of(pid); 0 = empty, -1 = deleted */
	struct fd_table *tab;
};

struct fd_tables {
	struct pid_slot *slots;
	unsigned nslots, used, live;
	unsigned next_id;
};

static struct fd_table *table_new(struct fd_tables *t)
{
	struct fd_table *tab = calloc(1, sizeof(*tab));
	if (!tab)
		return NULL;
	tab->refs = 1;
	tab->cwd = FD_NO_PATH;
	tab->id = ++t->next_id;
	return tab;
}

static void table_unref(struct fd_table *tab)
{
	if (tab && --tab->refs == 0) {
		free(tab->v);
		free(tab);
	}
}

struct fd_tables *fdt_new(void)
{
	struct fd_tables *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->nslots = 64;
	t->slots = calloc(t->nslots, sizeof(*t->slots));
	if (!t->slots) {
		free(t);
		return NULL;
	}
	return t;
}

void fdt_free(struct fd_tables *t)
{
	if (!t)
		return;
	for (unsigned i = 0; i < t->nslots; i++)
		if (t->slots[i].pid > 0)
			table_unref(t->slots[i].tab);
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
	struct pid_slot *s = calloc(n, sizeof(*s));
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
	free(t->slots);
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

static int ensure(struct fd_table *tab, int fd)
{
	if (fd < 0 || fd >= FD_MAX)
		return -1;
	if (fd < tab->n)
		return 0;
	int n = tab->n ? tab->n : 64;
	while (n <= fd)
		n *= 2;
	struct fd_info *v = realloc(tab->v, (size_t)n * sizeof(*v));
	if (!v)
		return -1;
	memset(v + tab->n, 0, (size_t)(n - tab->n) * sizeof(*v));
	tab->v = v;
	tab->n = n;
	return 0;
}

const struct fd_info *fdt_get(const struct fd_table *tab, int fd)
{
	if (!tab || fd < 0 || fd >= tab->n || tab->v[fd].state != ST_OPEN)
		return NULL;
	return &tab->v[fd];
}

int fdt_open(struct fd_table *tab, int fd, uint32_t path, enum fd_kind kind, bool cloexec)
{
	if (!tab || ensure(tab, fd) < 0)
		return -1;
	tab->v[fd] = (struct fd_info){path, -1, (uint8_t)kind, ST_OPEN, cloexec};
	return 0;
}

int fdt_learn(struct fd_table *tab, int fd, uint32_t path, enum fd_kind kind)
{
	if (!tab || ensure(tab, fd) < 0)
		return -1;
	struct fd_info *e = &tab->v[fd];
	if (e->state != ST_OPEN) {
		*e = (struct fd_info){path, -1, (uint8_t)kind, ST_OPEN, 0};
		return 0;
	}
	if (path != FD_NO_PATH)
		e->path = path;
	if (kind != FDK_UNKNOWN && !(kind == FDK_REGULAR && e->kind == FDK_DIR))
		e->kind = (uint8_t)kind;
	return 0;
}

void fdt_set_ring(struct fd_table *tab, int fd, int32_t ring)
{
	if (!tab || ensure(tab, fd) < 0)
		return;
	struct fd_info *e = &tab->v[fd];
	if (e->state != ST_OPEN)
		*e = (struct fd_info){FD_NO_PATH, -1, FDK_IO_URING, ST_OPEN, 0};
	e->ring = ring;
	e->kind = FDK_IO_URING;
}

void fdt_close(struct fd_table *tab, int fd)
{
	if (!tab || fd < 0)
		return;
	if (tab->provisional) {
		/* remember the close so it survives the merge with the parent */
		if (ensure(tab, fd) < 0)
			return;
		tab->v[fd] = (struct fd_info){FD_NO_PATH, -1, FDK_UNKNOWN, ST_CLOSED, 0};
		return;
	}
	if (fd < tab->n)
		tab->v[fd].state = ST_FREE;
}

void fdt_close_range(struct fd_table *tab, int first, int last, bool cloexec_only)
{
	if (!tab || first < 0)
		return;
	if (last >= tab->n)
		last = tab->n - 1;
	for (int fd = first; fd <= last; fd++) {
		if (tab->v[fd].state != ST_OPEN)
			continue;
		if (cloexec_only)
			tab->v[fd].cloexec = 1;
		else
			tab->v[fd].state = ST_FREE;
	}
}

int fdt_dup(struct fd_table *tab, int oldfd, int newfd, bool cloexec)
{
	if (!tab)
		return -1;
	const struct fd_info *o = fdt_get(tab, oldfd);
	struct fd_info copy = o ? *o : (struct fd_info){FD_NO_PATH, -1, FDK_UNKNOWN, ST_OPEN, 0};
	copy.cloexec = cloexec;
	copy.state = ST_OPEN;
	if (ensure(tab, newfd) < 0)
		return -1;
	tab->v[newfd] = copy;
	return 0;
}

void fdt_exec(struct fd_table *tab)
{
	if (!tab)
		return;
	for (int fd = 0; fd < tab->n; fd++)
		if (tab->v[fd].state == ST_OPEN && tab->v[fd].cloexec)
			tab->v[fd].state = ST_FREE;
}

uint32_t fdt_cwd(const struct fd_table *tab) { return tab ? tab->cwd : FD_NO_PATH; }

void fdt_set_cwd(struct fd_table *tab, uint32_t path)
{
	if (tab)
		tab->cwd = path;
}

unsigned fdt_id(const struct fd_table *tab) { return tab ? tab->id : 0; }

static struct fd_table *table_copy(struct fd_tables *t, const struct fd_table *src)
{
	struct fd_table *c = table_new(t);
	if (!c)
		return NULL;
	if (src->n) {
		c->v = malloc((size_t)src->n * sizeof(*c->v));
		if (!c->v) {
			table_unref(c);
			return NULL;
		}
		memcpy(c->v, src->v, (size_t)src->n * sizeof(*c->v));
		c->n = src->n;
		for (int fd = 0; fd < c->n; fd++)
			if (c->v[fd].state == ST_CLOSED)
				c->v[fd].state = ST_FREE;
	}
	c->cwd = src->cwd;
	return c;
}

/* Lays the entries a provisional table saw over DST. */
static int overlay(struct fd_table *dst, const struct fd_table *prov)
{
	for (int fd = 0; fd < prov->n; fd++) {
		const struct fd_info *e = &prov->v[fd];
		if (e->state == ST_FREE)
			continue;
		if (ensure(dst, fd) < 0)
			return -1;
		if (e->state == ST_CLOSED)
			dst->v[fd].state = ST_FREE;
		else
			dst->v[fd] = *e;
	}
	if (prov->cwd != FD_NO_PATH)
		dst->cwd = prov->cwd;
	return 0;
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
	struct fd_table *ntab;
	if (share_files) {
		ntab = ptab;
		ptab->refs++;
		if (old && old->provisional && overlay(ptab, old) < 0) {
			table_unref(ptab);
			return -1;
		}
	} else {
		ntab = table_copy(t, ptab);
		if (!ntab)
			return -1;
		if (old && old->provisional && overlay(ntab, old) < 0) {
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
	if (!share_files)
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
	s->tab = NULL;
	s->pid = -1;
	t->live--;
}
