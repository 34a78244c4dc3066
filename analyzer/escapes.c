/* escapes: what the copy writes outside its two trees. Every call of the
 * copy phase that creates, opens for writing, renames, removes, links or
 * changes the metadata of a path outside SRC and DST (the syscall table's
 * `writes` column says which calls do) is an escape, listed with the call,
 * the path, its trace line and pid. Only those calls reach this part.
 * Paths that are not files of a tree (the null device, terminals, the
 * process's own /proc entries) are not escapes; neither is a call that
 * failed, nor one whose target the trace does not show as a path (counted
 * apart as unresolved). */
#include "stats_internal.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the open flags that make an open a write: their names as strace prints
 * them, and their bits (a raw number, a ring request's flags) */
static const struct {
	const char *name;
	unsigned long long bits;
} write_flags[] = {
    {"O_WRONLY", O_WRONLY}, {"O_RDWR", O_RDWR},       {"O_CREAT", O_CREAT},
    {"O_TRUNC", O_TRUNC},   {"O_TMPFILE", 020000000},
};

/* paths that are not files of a tree: exact, or a prefix when they end in '/' */
static const char *const not_files[] = {
    "/dev/null", "/dev/tty", "/dev/stdout", "/dev/stderr",
    "/dev/pts/", "/proc/self/", "/proc/thread-self/",
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

void escapes_init(struct stats *s)
{
	struct escapes *e = &s->esc;
	e->ntrees = 0;
	if (s->src_root[0] && s->dst_root[0]) {
		e->trees[e->ntrees++] = s->src_root;
		e->trees[e->ntrees++] = s->dst_root;
		e->from_operands = false;
	} else if (s->n_operands >= 2) {
		for (size_t i = 0; i < s->n_operands && e->ntrees < N_OF(e->trees); i++)
			e->trees[e->ntrees++] = s->operands[i];
		e->from_operands = true;
	}
	e->known = e->ntrees >= 2;
}

void escapes_free(struct escapes *e)
{
	free(e->list);
	e->list = NULL;
	e->n = e->cap = 0;
}

/* Is P not a file of a tree? NOT_FILES, or /proc/PID/... of the calling
 * process PID (how -y shows what /proc/self named). */
static bool not_a_tree_file(const char *p, int pid)
{
	if (!strncmp(p, "/proc/", 6)) {
		char *end;
		long n = strtol(p + 6, &end, 10);
		if (end != p + 6 && *end == '/' && n == pid)
			return true;
	}
	for (size_t i = 0; i < N_OF(not_files); i++) {
		size_t n = strlen(not_files[i]);
		if (not_files[i][n - 1] == '/' ? strncmp(p, not_files[i], n) == 0
		                               : strcmp(p, not_files[i]) == 0)
			return true;
	}
	return false;
}

/* Does open call C write? Its flags argument (after the path), or the ring
 * request's flags. */
static bool open_writes(const struct evctx *c)
{
	if (c->rq) {
		for (size_t i = 0; i < N_OF(write_flags); i++)
			if ((c->rq->open_flags & write_flags[i].bits) == write_flags[i].bits)
				return true;
		return false;
	}
	const struct sc_info *in = c->acc->info;
	int fi = in->path_arg + 1;
	if (fi >= c->nargs || fi >= MAX_ARGS)
		return false;
	long long v;
	if (arg_number(c, fi, &v)) {
		for (size_t i = 0; i < N_OF(write_flags); i++)
			if (((unsigned long long)v & write_flags[i].bits) == write_flags[i].bits)
				return true;
		return false;
	}
	for (size_t i = 0; i < N_OF(write_flags); i++)
		if (arg_contains(c, fi, write_flags[i].name))
			return true;
	return false;
}

/* P with its ".." components taken lexically (each removes the name
 * before it), in BUF; P itself when it has none. */
static const char *without_dotdot(const char *p, char *buf, size_t cap)
{
	if (!strstr(p, "/.."))
		return p;
	size_t o = 0;
	const char *q = p;
	while (*q) {
		while (*q == '/')
			q++;
		const char *end = strchrnul(q, '/');
		size_t n = (size_t)(end - q);
		if (n == 2 && q[0] == '.' && q[1] == '.') {
			while (o > 0 && buf[o - 1] != '/')
				o--;
			if (o > 0)
				o--; /* the slash before the removed name */
		} else if (n > 0 && !(n == 1 && q[0] == '.')) {
			if (o + 1 + n + 1 > cap)
				return p;
			buf[o++] = '/';
			memcpy(buf + o, q, n);
			o += n;
		}
		q = end;
	}
	if (o == 0)
		buf[o++] = '/';
	buf[o] = '\0';
	return buf;
}

static bool in_trees(const struct escapes *e, const char *p)
{
	for (size_t i = 0; i < e->ntrees; i++)
		if (path_under(p, e->trees[i]))
			return true;
	return false;
}

bool escapes_path_outside(const struct stats *s, const char *p)
{
	if (!s->esc.known || p[0] != '/')
		return false;
	char buf[PATH_BUF];
	return !in_trees(&s->esc, without_dotdot(p, buf, sizeof(buf)));
}

void escapes_event(struct evctx *c)
{
	struct stats *s = c->s;
	struct escapes *e = &s->esc;
	if (!e->known || !c->nrefs)
		return;
	/* a call that failed changed nothing */
	if (c->rq ? c->rq->completed && c->rq->res < 0
	          : c->ev->result_kind == SP_RES_NUMBER && c->ev->err_name)
		return;
	if (c->acc->info->writes == SC_WRITES_OPEN && !open_writes(c))
		return;
	const char *out = NULL;
	bool unresolved = false;
	char buf[PATH_BUF];
	for (int i = 0; i < c->nrefs && !out; i++) {
		const char *p = without_dotdot(c->refs[i].str, buf, sizeof(buf));
		if (p[0] != '/')
			unresolved = true;
		else if (!not_a_tree_file(p, c->ev->pid) && !in_trees(e, p))
			out = p;
	}
	/* what an open really opened (-y names the result), when the path it
	 * was given went through a symlink out of the trees */
	const char *rd = c->ev->result_decor;
	if (!out && !c->rq && c->acc->info->writes == SC_WRITES_OPEN && rd && rd[0] == '/' &&
	    !not_a_tree_file(rd, c->ev->pid) && !in_trees(e, rd))
		out = rd;
	if (!out) {
		if (unresolved)
			e->unresolved++;
		return;
	}
	e->count++;
	if (e->n >= ESCAPES_LISTED)
		return;
	if (e->n == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 16;
		struct escape *l = realloc(e->list, cap * sizeof(*l));
		if (!l) {
			s->oom = true;
			return;
		}
		e->list = l;
		e->cap = cap;
	}
	bool ring = c->rq != NULL;
	uint32_t path = stats_intern_path(s, out, strlen(out));
	if (path == STRPOOL_NONE)
		return;
	e->list[e->n++] = (struct escape){
	    .call = c->name_id,
	    .path = path,
	    .line = ring ? 0 : c->ev->start_line,
	    .pid = c->ev->pid,
	    .via_ring = ring,
	    .key = ring ? c->ring_key : 0,
	    .file = ring ? STRPOOL_NONE : pairs_trace_file_id(s, c->ev->file),
	};
}

void escapes_lines(struct stats *s, stats_line_fn resolve, void *ctx)
{
	struct escapes *e = &s->esc;
	for (size_t i = 0; i < e->n; i++) {
		struct escape *x = &e->list[i];
		unsigned long line;
		const char *file;
		if (x->via_ring && !x->line && resolve(ctx, x->pid, x->key, &line, &file)) {
			x->line = line;
			x->file = pairs_trace_file_id(s, file);
		}
	}
}

/* "a, b, c or d" of the calls whose row says WRITES into OUT */
static void calls_text(const struct stats *s, enum sc_writes writes, char *out, size_t cap)
{
	size_t o = 0, k = 0, n = 0;
	out[0] = '\0';
	for (int i = 0; i < s->nrows; i++)
		n += s->rows[i].writes == writes;
	for (int i = 0; i < s->nrows && o < cap; i++) {
		if (s->rows[i].writes != writes)
			continue;
		k++;
		int w = snprintf(out + o, cap - o, "%s%s", k == 1 ? "" : k == n ? " or " : ", ",
		                 s->rows[i].name);
		if (w < 0)
			break;
		o += (size_t)w;
	}
}

static void list_text(const char *const *items, size_t n, const char *last_sep, char *out,
                      size_t cap)
{
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n && o < cap; i++) {
		int w = snprintf(out + o, cap - o, "%s%s", i == 0 ? "" : i + 1 == n ? last_sep : ", ",
		                 items[i]);
		if (w < 0)
			break;
		o += (size_t)w;
	}
}

json_t *escapes_json(const struct stats *s)
{
	const struct escapes *e = &s->esc;
	char changes[4096], opens[256], flags[256], nf[512];
	calls_text(s, SC_WRITES_CHANGE, changes, sizeof(changes));
	calls_text(s, SC_WRITES_OPEN, opens, sizeof(opens));
	const char *fl[N_OF(write_flags)];
	for (size_t i = 0; i < N_OF(write_flags); i++)
		fl[i] = write_flags[i].name;
	list_text(fl, N_OF(fl), " or ", flags, sizeof(flags));
	const char *nfl[N_OF(not_files)];
	char nfbuf[N_OF(not_files)][64];
	for (size_t i = 0; i < N_OF(not_files); i++) {
		size_t n = strlen(not_files[i]);
		snprintf(nfbuf[i], sizeof(nfbuf[i]), "%s%s", not_files[i],
		         not_files[i][n - 1] == '/' ? "*" : "");
		nfl[i] = nfbuf[i];
	}
	list_text(nfl, N_OF(nfl), " and ", nf, sizeof(nf));
	size_t nfl_len = strlen(nf);
	snprintf(nf + nfl_len, sizeof(nf) - nfl_len, " (the caller's own /proc/PID/* too, as -y shows /proc/self)");
	json_t *o = json_object();
	json_object_set_new(
	    o, "rule",
	    json_sprintf("an escape is a call of the copy phase, direct or through the ring, "
	                 "that did not fail and names a path outside %s: %s, or %s with %s "
	                 "(\"..\" taken lexically; for an open, also where its -y result shows "
	                 "it went through a symlink); "
	                 "reads are never escapes, nor are writes to %s, pipes and sockets "
	                 "(not files of a tree); the first %d are listed.",
	                 e->from_operands ? "the command's absolute operands"
	                                  : "the source and destination trees",
	                 changes, opens, flags, nf, ESCAPES_LISTED));
	json_object_set_new(o, "applicable", json_boolean(e->known));
	json_t *trees = json_array();
	for (size_t i = 0; e->known && i < e->ntrees; i++)
		json_array_append_new(trees, json_string(e->trees[i]));
	json_object_set_new(o, "trees", trees);
	json_object_set_new(o, "trees_from",
	                    json_string(!e->known           ? "unknown"
	                                : e->from_operands ? "header.operands"
	                                                   : "run: SRC and DST"));
	json_object_set_new(o, "count", e->known ? json_integer((json_int_t)e->count) : json_null());
	json_object_set_new(o, "unresolved", json_integer((json_int_t)e->unresolved));
	json_t *list = json_array();
	for (size_t i = 0; i < e->n; i++) {
		const struct escape *x = &e->list[i];
		json_t *it = json_pack("{s:s,s:s,s:o,s:i,s:b}", "call", strpool_str(s->names, x->call),
		                       "path", strpool_str(s->paths, x->path), "line",
		                       x->line ? json_integer((json_int_t)x->line) : json_null(),
		                       "pid", x->pid, "via_ring", x->via_ring);
		json_object_set_new(it, "file", x->file != STRPOOL_NONE
		                                    ? json_string(strpool_str(s->paths, x->file))
		                                    : json_null());
		json_array_append_new(list, it);
	}
	json_object_set_new(o, "list", list);
	json_object_set_new(o, "listed", json_integer((json_int_t)e->n));
	json_object_set_new(o, "truncated", json_boolean(e->count > e->n));
	return o;
}
