/* pairs: check-then-use. A check (stat, access, readlink, ...) of a path
 * followed, anywhere in the traced process tree, by a use (open, chmod,
 * rename, setxattr, ...) of the same path: the window in which the file
 * can be swapped. A check pairs with every later use of its path until
 * the next check of that path replaces it: each use is its own window.
 * Only pairs on the copy's own trees count: a pair outside SRC and DST,
 * one with a side in the start-up phase, or one whose check and use both
 * failed is listed apart with its reason. The check and use syscalls are
 * the syscall table's rows with those roles. */
#include "stats_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The check table, large enough for path ID. */
static int grow_checks(struct stats *s, uint32_t id)
{
	struct pairs *p = &s->pairs;
	if (id < p->checks_cap)
		return 0;
	size_t cap = p->checks_cap ? p->checks_cap : 1024;
	while (cap <= id)
		cap *= 2;
	struct check_rec *cr = realloc(p->checks, cap * sizeof(*cr));
	if (!cr) {
		s->oom = true;
		return -1;
	}
	for (size_t i = p->checks_cap; i < cap; i++)
		cr[i] = (struct check_rec){0};
	p->checks = cr;
	p->checks_cap = cap;
	return 0;
}

int pairs_init(struct stats *s)
{
	s->pairs.list = calloc(s->cfg.max_pairs, sizeof(*s->pairs.list));
	s->pairs.excluded.v = calloc(s->cfg.max_pairs, sizeof(*s->pairs.excluded.v));
	return s->pairs.list && s->pairs.excluded.v ? 0 : -1;
}

void pairs_free(struct pairs *p)
{
	free(p->checks);
	free(p->list);
	free(p->triples.v);
	free(p->excluded.v);
	free(p->excluded.triples.v);
}

void pairs_figures(const struct pairs *p, struct stats_figures *f)
{
	f->pairs = p->count;
	f->pairs_path = p->count_path;
	f->pairs_unique = p->triples.n;
	f->pairs_excluded = 0;
	for (int k = PAIR_SCORED + 1; k < PAIR__COUNT; k++)
		f->pairs_excluded += p->excluded_count[k];
}

/* The trace file name as a paths-pool id (the parser's string does not
 * outlive it); cached for the common case of one file. */
uint32_t pairs_trace_file_id(struct stats *s, const char *file)
{
	if (!file)
		file = "";
	struct pairs *p = &s->pairs;
	if (file == p->last_file)
		return p->last_file_id;
	p->last_file = file;
	p->last_file_id = strpool_intern(s->paths, file, strlen(file));
	return p->last_file_id;
}

/* The call returned an error (a ring request: completed with one). */
static bool call_failed(const struct evctx *c)
{
	return c->rq ? c->rq->completed && c->rq->res < 0
	             : c->ev->result_kind == SP_RES_NUMBER && c->ev->err_name;
}

/* Why the pair of check CR and the current use of PATH would not count. */
static enum pair_scope scope_of(const struct evctx *c, const struct check_rec *cr, const char *path)
{
	if (escapes_path_outside(c->s, path))
		return PAIR_OUTSIDE_TREES;
	if (!cr->copy || !c->s->phase.anchor_found)
		return PAIR_STARTUP;
	if (cr->failed && call_failed(c))
		return PAIR_FAILED;
	return PAIR_SCORED;
}

void pairs_event(struct evctx *c)
{
	struct stats *s = c->s;
	struct pairs *p = &s->pairs;
	const struct sc_info *in = c->acc->info;
	if (!in || in->toctou == SC_TOCTOU_NONE)
		return;
	uint32_t name_id = c->name_id;
	for (int i = 0; i < c->nrefs; i++) {
		struct ref *r = &c->refs[i];
		if (!r->named || !r->str[0])
			continue;
		bool path_named = r->cls == AC_PATH_BASED || r->cls == AC_CWD_RELATIVE;
		if (in->toctou == SC_TOCTOU_CHECK) {
			if (r->path == STRPOOL_NONE)
				r->path = stats_intern_path(s, r->str, strlen(r->str));
			if (r->path == STRPOOL_NONE || grow_checks(s, r->path) < 0)
				return;
			bool ring = c->rq != NULL;
			p->checks[r->path] = (struct check_rec){
			    .line = !ring && c->ev->start_line ? c->ev->start_line : 1,
			    .name = name_id,
			    .file = ring ? STRPOOL_NONE : pairs_trace_file_id(s, c->ev->file),
			    .pid = c->ev->pid,
			    .path_named = path_named,
			    .via_ring = ring,
			    .copy = s->phase.anchor_found,
			    .failed = call_failed(c),
			    .key = c->ring_key};
			continue;
		}
		if (r->path == STRPOOL_NONE)
			r->path = strpool_find(s->paths, r->str, strlen(r->str));
		if (r->path == STRPOOL_NONE || r->path >= p->checks_cap)
			continue;
		/* the check stays: every later use until the next check pairs with it */
		const struct check_rec *cr = &p->checks[r->path];
		if (!cr->line)
			continue;
		bool pn = path_named || cr->path_named;
		enum pair_scope scope = scope_of(c, cr, r->str);
		struct intset *triples = &p->triples;
		struct pair *list = p->list;
		size_t *n = &p->n;
		if (scope == PAIR_SCORED) {
			p->count++;
			if (pn)
				p->count_path++;
			if (cr->name < s->naccs)
				s->accs[cr->name].pairs_as_check++;
			c->acc->pairs_as_use++;
		} else {
			p->excluded_count[scope]++;
			triples = &p->excluded.triples;
			list = p->excluded.v;
			n = &p->excluded.n;
		}
		bool oom = false;
		uint64_t key = (uint64_t)r->path << 24 ^ (uint64_t)cr->name << 12 ^ name_id;
		bool fresh = intset_add(triples, key, &oom);
		if (oom)
			s->oom = true;
		bool ring = c->rq != NULL;
		if (fresh && *n < s->cfg.max_pairs)
			list[(*n)++] = (struct pair){
			    .check = cr->name,
			    .use = name_id,
			    .path = r->path,
			    .check_line = cr->via_ring ? 0 : cr->line,
			    .use_line = ring ? 0 : c->ev->start_line,
			    .pid = c->ev->pid,
			    .check_pid = cr->pid,
			    .path_named = pn,
			    .check_via_ring = cr->via_ring,
			    .use_via_ring = ring,
			    .check_file = cr->file,
			    .use_file = ring ? STRPOOL_NONE : pairs_trace_file_id(s, c->ev->file),
			    .check_key = cr->key,
			    .use_key = c->ring_key,
			    .scope = scope};
	}
}

/* A line number; 0 (a ring request whose io_uring_enter was not found) is null. */
static json_t *line_json(unsigned long line)
{
	return line ? json_integer((json_int_t)line) : json_null();
}

static json_t *file_json(const struct stats *s, uint32_t id)
{
	return id != STRPOOL_NONE ? json_string(strpool_str(s->paths, id)) : json_null();
}

static void resolve_lines(struct stats *s, struct pair *list, size_t n, stats_line_fn resolve,
                          void *ctx)
{
	for (size_t i = 0; i < n; i++) {
		struct pair *x = &list[i];
		unsigned long line;
		const char *file;
		if (x->check_via_ring && !x->check_line &&
		    resolve(ctx, x->check_pid, x->check_key, &line, &file)) {
			x->check_line = line;
			x->check_file = pairs_trace_file_id(s, file);
		}
		if (x->use_via_ring && !x->use_line &&
		    resolve(ctx, x->pid, x->use_key, &line, &file)) {
			x->use_line = line;
			x->use_file = pairs_trace_file_id(s, file);
		}
	}
}

void pairs_lines(struct stats *s, stats_line_fn resolve, void *ctx)
{
	resolve_lines(s, s->pairs.list, s->pairs.n, resolve, ctx);
	resolve_lines(s, s->pairs.excluded.v, s->pairs.excluded.n, resolve, ctx);
}

static const char *const scope_names[PAIR__COUNT] = {
    [PAIR_SCORED] = "scored",
    [PAIR_OUTSIDE_TREES] = "outside_trees",
    [PAIR_STARTUP] = "startup",
    [PAIR_FAILED] = "failed",
};

static json_t *pair_json(const struct stats *s, const struct pair *p)
{
	json_t *o = json_pack(
	    "{s:s,s:s,s:s,s:o,s:o,s:i,s:i,s:s}", "check", strpool_str(s->names, p->check), "use",
	    strpool_str(s->names, p->use), "path", strpool_str(s->paths, p->path), "check_line",
	    line_json(p->check_line), "use_line", line_json(p->use_line), "pid", p->pid,
	    "check_pid", p->check_pid, "named_by", p->path_named ? "path" : "dirfd");
	json_object_set_new(o, "check_file", file_json(s, p->check_file));
	json_object_set_new(o, "use_file", file_json(s, p->use_file));
	json_object_set_new(o, "check_via_ring", json_boolean(p->check_via_ring));
	json_object_set_new(o, "use_via_ring", json_boolean(p->use_via_ring));
	if (p->scope != PAIR_SCORED)
		json_object_set_new(o, "reason", json_string(scope_names[p->scope]));
	return o;
}

/* The names of the table's rows with role T, in table order. */
static json_t *role_names(enum sc_toctou t)
{
	int n = 0;
	const struct sc_info *rows = sc_all(&n);
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		if (rows[i].toctou == t)
			json_array_append_new(a, json_string(rows[i].name));
	return a;
}

static json_t *excluded_json(const struct stats *s)
{
	const struct pairs *p = &s->pairs;
	json_t *o = json_object(), *by = json_object(), *list = json_array();
	uint64_t total = 0;
	for (int k = PAIR_SCORED + 1; k < PAIR__COUNT; k++) {
		json_object_set_new(by, scope_names[k],
		                    json_integer((json_int_t)p->excluded_count[k]));
		total += p->excluded_count[k];
	}
	for (size_t i = 0; i < p->excluded.n; i++)
		json_array_append_new(list, pair_json(s, &p->excluded.v[i]));
	json_object_set_new(o, "count", json_integer((json_int_t)total));
	json_object_set_new(o, "by_reason", by);
	json_object_set_new(o, "unique_pairs", json_integer((json_int_t)p->excluded.triples.n));
	json_object_set_new(o, "listed", json_integer((json_int_t)p->excluded.n));
	json_object_set_new(o, "pairs", list);
	return o;
}

json_t *pairs_json(const struct stats *s, const struct stats_figures *f)
{
	json_t *tt = json_object(), *pairs = json_array();
	for (size_t i = 0; i < s->pairs.n; i++)
		json_array_append_new(pairs, pair_json(s, &s->pairs.list[i]));
	json_object_set_new(tt, "pairs", pairs);
	json_object_set_new(tt, "pair_count", json_integer((json_int_t)s->pairs.count));
	json_object_set_new(tt, "pair_count_path", json_integer((json_int_t)s->pairs.count_path));
	json_object_set_new(tt, "pair_count_dirfd",
	                    json_integer((json_int_t)(s->pairs.count - s->pairs.count_path)));
	json_object_set_new(tt, "unique_pairs", json_integer((json_int_t)s->pairs.triples.n));
	json_object_set_new(tt, "listed", json_integer((json_int_t)s->pairs.n));
	json_object_set_new(tt, "excluded", excluded_json(s));
	json_object_set_new(tt, "check_syscalls", role_names(SC_TOCTOU_CHECK));
	json_object_set_new(tt, "use_syscalls", role_names(SC_TOCTOU_USE));
	json_t *trees = json_array();
	for (size_t i = 0; s->esc.known && i < s->esc.ntrees; i++)
		json_array_append_new(trees, json_string(s->esc.trees[i]));
	json_object_set_new(tt, "trees", trees);
	json_object_set_new(tt, "trees_known", json_boolean(s->esc.known));
	json_object_set_new(tt, "path_based_calls", json_integer((json_int_t)f->path_based));
	json_object_set_new(tt, "root_operand_calls", json_integer((json_int_t)f->root_path_calls));
	json_object_set_new(tt, "path_based_scored",
	                    json_integer((json_int_t)(f->path_based - f->root_path_calls)));
	json_object_set_new(tt, "cwd_relative_calls", json_integer((json_int_t)f->cwd_relative));
	json_object_set_new(
	    tt, "rule",
	    json_sprintf("a check of a path pairs with every later use of the same path, in "
	                 "any process of the traced tree, until the next check of that path; "
	                 "only pairs %s, with check and use both in the copy phase and not "
	                 "both failed, are counted and scored, the others are listed apart "
	                 "as excluded.",
	                 s->esc.known ? "on a path under SRC or DST"
	                              : "on any path (SRC and DST are unknown)"));
	json_object_set_new(
	    tt, "rule_notes",
	    json_sprintf("Checks and uses are the syscalls listed in check_syscalls and "
	                 "use_syscalls (the syscall table's TOCTOU roles). A dirfd + name is "
	                 "resolved to a full path through the fd table. Every pair is counted; "
	                 "each list holds the first %zu distinct (path, check, use) triples. An "
	                 "io_uring request is a check or a use as the syscall that does its work "
	                 "(STATX as statx, OPENAT as openat, RENAMEAT as renameat2, ...), at "
	                 "its place in time; its line is that of the io_uring_enter that "
	                 "submitted it (null when none was found).",
	                 s->cfg.max_pairs));
	return tt;
}
