/* pairs: check-then-use. A check (stat, access, readlink, ...) of a path
 * followed, anywhere in the traced process tree, by a use (open, chmod,
 * rename, ...) of the same path: the window in which the file can be
 * swapped. Each check is remembered per path until a use pairs with it. */
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
	return s->pairs.list ? 0 : -1;
}

void pairs_free(struct pairs *p)
{
	free(p->checks);
	free(p->list);
	free(p->triples.v);
}

void pairs_figures(const struct pairs *p, struct stats_figures *f)
{
	f->pairs = p->count;
	f->pairs_path = p->count_path;
	f->pairs_unique = p->triples.n;
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
			    .key = c->ring_key};
			continue;
		}
		if (r->path == STRPOOL_NONE)
			r->path = strpool_find(s->paths, r->str, strlen(r->str));
		if (r->path == STRPOOL_NONE || r->path >= p->checks_cap)
			continue;
		struct check_rec *cr = &p->checks[r->path];
		if (!cr->line)
			continue;
		bool pn = path_named || cr->path_named;
		p->count++;
		if (pn)
			p->count_path++;
		if (cr->name < s->naccs)
			s->accs[cr->name].pairs_as_check++;
		c->acc->pairs_as_use++;
		bool oom = false;
		uint64_t key = (uint64_t)r->path << 24 ^ (uint64_t)cr->name << 12 ^ name_id;
		bool fresh = intset_add(&p->triples, key, &oom);
		if (oom)
			s->oom = true;
		bool ring = c->rq != NULL;
		if (fresh && p->n < s->cfg.max_pairs)
			p->list[p->n++] = (struct pair){
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
			    .use_key = c->ring_key};
		cr->line = 0; /* a check pairs with the first use after it */
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

void pairs_lines(struct stats *s, stats_line_fn resolve, void *ctx)
{
	struct pairs *p = &s->pairs;
	for (size_t i = 0; i < p->n; i++) {
		struct pair *x = &p->list[i];
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

json_t *pairs_json(const struct stats *s, const struct stats_figures *f)
{
	json_t *tt = json_object(), *pairs = json_array();
	for (size_t i = 0; i < s->pairs.n; i++) {
		const struct pair *p = &s->pairs.list[i];
		json_array_append_new(
		    pairs,
		    json_pack("{s:s,s:s,s:s,s:o,s:o,s:i,s:i,s:s}", "check",
		              strpool_str(s->names, p->check), "use", strpool_str(s->names, p->use),
		              "path", strpool_str(s->paths, p->path), "check_line",
		              line_json(p->check_line), "use_line", line_json(p->use_line), "pid",
		              p->pid, "check_pid", p->check_pid, "named_by",
		              p->path_named ? "path" : "dirfd"));
		json_t *last = json_array_get(pairs, json_array_size(pairs) - 1);
		json_object_set_new(last, "check_file", file_json(s, p->check_file));
		json_object_set_new(last, "use_file", file_json(s, p->use_file));
		json_object_set_new(last, "check_via_ring", json_boolean(p->check_via_ring));
		json_object_set_new(last, "use_via_ring", json_boolean(p->use_via_ring));
	}
	json_object_set_new(tt, "pairs", pairs);
	json_object_set_new(tt, "pair_count", json_integer((json_int_t)s->pairs.count));
	json_object_set_new(tt, "pair_count_path", json_integer((json_int_t)s->pairs.count_path));
	json_object_set_new(tt, "pair_count_dirfd",
	                    json_integer((json_int_t)(s->pairs.count - s->pairs.count_path)));
	json_object_set_new(tt, "unique_pairs", json_integer((json_int_t)s->pairs.triples.n));
	json_object_set_new(tt, "listed", json_integer((json_int_t)s->pairs.n));
	json_object_set_new(tt, "path_based_calls", json_integer((json_int_t)f->path_based));
	json_object_set_new(tt, "root_operand_calls", json_integer((json_int_t)f->root_path_calls));
	json_object_set_new(tt, "path_based_scored",
	                    json_integer((json_int_t)(f->path_based - f->root_path_calls)));
	json_object_set_new(tt, "cwd_relative_calls", json_integer((json_int_t)f->cwd_relative));
	json_object_set_new(
	    tt, "rule",
	    json_sprintf("a check (stat, lstat, newfstatat, statx, access, faccessat*, readlink*) "
	                 "on a path followed, anywhere in the traced process tree, by a use "
	                 "(open*, creat, chmod*, chown*, utimensat, truncate, unlink*, rename*, "
	                 "link*, symlink*, mkdir*, rmdir, execve, ...) of the same path string; "
	                 "dirfd + name is resolved to a full path through the fd table. A check "
	                 "pairs with the first use after it. Every pair is counted; the list "
	                 "holds the first %zu distinct (path, check, use) triples. An io_uring "
	                 "request is a check or a use as the syscall that does its work "
	                 "(STATX as statx, OPENAT as openat, RENAMEAT as renameat2, ...), at "
	                 "its place in time; its line is that of the io_uring_enter that "
	                 "submitted it (null when none was found).",
	                 s->cfg.max_pairs));
	return tt;
}
