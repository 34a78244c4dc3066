/* hardlinks.c - -H: the first name of an inode is copied, the others link to it.
 *
 * Any inode with more than one name takes part, as with rsync -H:
 * regular files, symlinks, devices and FIFOs.
 * Groups are keyed by the source (device, inode). While the first name
 * (the leader) is being copied, later names wait in the group; when the
 * leader is in place they are handed to the leader's worker as links. If
 * the leader failed (a directory in its way, an unreadable source, an
 * interruption), the next waiting name becomes the leader and the others
 * go on waiting for it; with none waiting, the next name to come leads.
 * A name handed back starts its copy from the beginning (phase 0: for a
 * file, quick check included). The group keeps the leader's destination
 * directory open until every name the source inode counts is settled. */
#include "engine.h"

#include <stdlib.h>
#include <string.h>

#define HL_BUCKETS 4096

enum group_state { G_COPYING, G_DONE, G_LEADERLESS };

struct hlgroup {
	struct hlgroup *next;
	uint32_t dev_major, dev_minor;
	uint64_t ino;
	enum group_state state;
	struct dirnode *dir; /* leader's directory, referenced while DONE */
	char *name;          /* leader's name in it */
	struct task *waiters;
	unsigned nlink;
	unsigned settled;    /* names done with: copied, linked or failed */
};

int hardlinks_init(struct copier *c)
{
	pthread_mutex_init(&c->hl_lock, NULL);
	c->hl_buckets = HL_BUCKETS;
	c->hl_table = calloc(c->hl_buckets, sizeof(*c->hl_table));
	return c->hl_table ? 0 : -1;
}

void hardlinks_free(struct copier *c)
{
	for (size_t i = 0; c->hl_table && i < c->hl_buckets; i++) {
		struct hlgroup *g = c->hl_table[i];
		while (g) {
			struct hlgroup *next = g->next;
			if (g->dir)
				dirnode_unref(NULL, g->dir);
			free(g->name);
			free(g);
			g = next;
		}
	}
	free(c->hl_table);
	c->hl_table = NULL;
	pthread_mutex_destroy(&c->hl_lock);
}

static size_t bucket_of(const struct copier *c, const struct statx *st)
{
	uint64_t h = st->stx_ino * 0x9E3779B97F4A7C15ull ^ st->stx_dev_minor ^
		     ((uint64_t)st->stx_dev_major << 20);
	return (size_t)(h >> 32) % c->hl_buckets;
}

enum hl_claim hardlink_claim(struct copier *c, struct task *t)
{
	const struct statx *st = &t->st;
	size_t b = bucket_of(c, st);
	enum hl_claim r;
	pthread_mutex_lock(&c->hl_lock);
	struct hlgroup *g = c->hl_table[b];
	while (g && !(g->ino == st->stx_ino && g->dev_major == st->stx_dev_major &&
		      g->dev_minor == st->stx_dev_minor))
		g = g->next;
	if (!g) {
		g = calloc(1, sizeof(*g));
		if (!g) {
			r = HL_COPY;
		} else {
			g->ino = st->stx_ino;
			g->dev_major = st->stx_dev_major;
			g->dev_minor = st->stx_dev_minor;
			g->nlink = st->stx_nlink;
			g->state = G_COPYING;
			g->next = c->hl_table[b];
			c->hl_table[b] = g;
			t->group = g;
			r = HL_LEADER;
		}
	} else if (g->state == G_DONE && g->dir && (t->target = strdup(g->name))) {
		t->group = g;
		t->linkdir = g->dir;
		dirnode_ref(g->dir);
		r = HL_LINK;
	} else if (g->state == G_COPYING) {
		/* Parked without its directory's fds, which the budget may close
		 * meanwhile: task_run() takes them back when it is handed back.
		 * (Before it is on the list: another worker may take it at once.) */
		if (t->dir->parent) {
			t->dir_unheld = true;
			dirfds_release(t->dir);
		}
		t->next = g->waiters;
		g->waiters = t;
		r = HL_WAIT;
	} else if (g->state == G_LEADERLESS) {
		/* every earlier leader failed: this name tries */
		g->state = G_COPYING;
		t->group = g;
		r = HL_LEADER;
	} else {
		/* no memory for the link's name, or a name beyond the count
		 * the group was made with (the group let go of its
		 * directory): copy it on its own */
		r = HL_COPY;
	}
	pthread_mutex_unlock(&c->hl_lock);
	return r;
}

/* The role that copies a name of this type itself (a leader, or a name
 * that cannot be linked). */
static enum entry_role copy_role(const struct task *t)
{
	switch (t->st.stx_mode & S_IFMT) {
	case S_IFREG: return ROLE_FILE;
	case S_IFLNK: return ROLE_SYMLINK;
	default: return ROLE_DEVICE;
	}
}

/* A parked name is taken over by worker w, to start its role afresh. */
static void adopt(struct worker *w, struct task *x)
{
	w->active++;
	x->phase = 0;
	task_ready(w, x);
}

void hardlink_leader_done(struct worker *w, struct task *t, bool ok)
{
	struct copier *c = w->c;
	struct hlgroup *g = t->group;
	struct dirnode *release = NULL;
	t->group = NULL;
	char *name = ok ? strdup(t->name) : NULL;
	ok = ok && name;
	struct task *waiters = NULL, *next = NULL;
	pthread_mutex_lock(&c->hl_lock);
	g->settled++;
	if (ok) {
		waiters = g->waiters;
		g->waiters = NULL;
		g->state = G_DONE;
		g->name = name;
		if (g->settled < g->nlink || waiters) {
			g->dir = t->dir;
			dirnode_ref(t->dir);
		}
	} else if (g->waiters) {
		next = g->waiters; /* leads now; the others wait for it */
		g->waiters = next->next;
	} else {
		g->state = G_LEADERLESS;
	}
	pthread_mutex_unlock(&c->hl_lock);
	if (next) {
		next->group = g;
		next->role = copy_role(next);
		adopt(w, next);
	}
	while (waiters) {
		struct task *x = waiters;
		waiters = x->next;
		if ((x->target = strdup(name))) {
			x->group = g;
			x->linkdir = t->dir;
			dirnode_ref(t->dir);
			x->role = ROLE_HARDLINK;
		} else {
			/* no memory for the link: copy this name on its own (the
			 * group still counts it as settled) */
			pthread_mutex_lock(&c->hl_lock);
			if (++g->settled >= g->nlink && g->dir) {
				release = g->dir;
				g->dir = NULL;
			}
			pthread_mutex_unlock(&c->hl_lock);
			x->role = copy_role(x);
		}
		adopt(w, x);
	}
	if (release)
		dirnode_unref(w, release);
}

void hardlink_link_done(struct worker *w, struct task *t)
{
	struct copier *c = w->c;
	struct hlgroup *g = t->group;
	struct dirnode *release = NULL;
	t->group = NULL;
	pthread_mutex_lock(&c->hl_lock);
	if (++g->settled >= g->nlink && g->dir) {
		release = g->dir;
		g->dir = NULL;
	}
	pthread_mutex_unlock(&c->hl_lock);
	if (release)
		dirnode_unref(w, release);
}
