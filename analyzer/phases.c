/* phases: start-up vs copy. The copy phase starts at the first call
 * (execve excluded) that names something under the source or destination
 * root, or, without roots (--trace), a path outside the loader and libc
 * start-up set; the checks count the copy phase. */
#include "stats_internal.h"

#include <stdio.h>
#include <string.h>

static bool ref_under_roots(const struct stats *s, const struct ref *r)
{
	return r->str[0] && ((s->src_root[0] && path_under(r->str, s->src_root)) ||
	                     (s->dst_root[0] && path_under(r->str, s->dst_root)));
}

void phases_event(struct stats *s, const struct evctx *c)
{
	if (!s->phase.anchor_found && c->acc->spc != SPC_EXECVE) {
		for (int i = 0; i < c->nrefs && !s->phase.anchor_found; i++) {
			const struct ref *r = &c->refs[i];
			bool hit;
			if (s->have_roots)
				hit = ref_under_roots(s, r);
			else
				hit = r->named && !r->raw_startup &&
				      !classify_is_startup_path(r->str);
			if (hit) {
				s->phase.anchor_found = true;
				snprintf(s->phase.anchor_name, sizeof(s->phase.anchor_name), "%s", c->ev->name);
				snprintf(s->phase.anchor_path, sizeof(s->phase.anchor_path), "%s", r->str);
				s->phase.anchor_line = c->rq ? 0 : c->ev->start_line;
				s->phase.anchor_pid = c->ev->pid;
				s->phase.anchor_via_ring = c->rq != NULL;
				s->phase.anchor_key = c->ring_key;
				s->phase.anchor_file = STRPOOL_NONE;
			}
		}
	}
}

static uint64_t get_startup(const struct sc_acc *a) { return a->startup; }

/* NC: room for every syscall name. */
void phases_to_model(const struct stats *s, const struct stats_figures *f,
                     struct name_count *nc, json_t *model)
{
	json_t *ph = json_object();
	if (s->have_roots)
		json_object_set_new(
		    ph, "rule",
		    json_sprintf(
		        "the copy phase starts at the first syscall (execve excluded) whose "
		        "path argument, dirfd + name, or fd path (-y) lies under the source "
		        "root (%s) or the destination root (%s); everything before it is "
		        "start-up (dynamic loader, libc initialisation, option parsing). "
		        "Checks and per-file figures use the copy phase.",
		        s->src_root[0] ? s->src_root : "unknown",
		        s->dst_root[0] ? s->dst_root : "unknown"));
	else
		json_object_set_new(
		    ph, "rule",
		    json_sprintf(
		        "no roots known (--trace): the copy phase starts at the first syscall "
		        "(execve excluded) that names a path outside the loader and libc "
		        "start-up set (%s). If no call qualifies, the whole trace counts "
		        "as the copy phase. Checks use the copy phase.",
		        classify_startup_paths_text()));
	json_object_set_new(ph, "anchor",
	                    s->phase.anchor_found ? json_sprintf("%s(%s)", s->phase.anchor_name, s->phase.anchor_path)
	                                    : json_null());
	json_object_set_new(ph, "anchor_line",
	                    s->phase.anchor_found && s->phase.anchor_line
	                        ? json_integer((json_int_t)s->phase.anchor_line)
	                        : json_null());
	json_object_set_new(ph, "anchor_via_ring",
	                    json_boolean(s->phase.anchor_found && s->phase.anchor_via_ring));
	json_object_set_new(ph, "anchor_syscall",
	                    s->phase.anchor_found ? json_string(s->phase.anchor_name) : json_null());
	json_object_set_new(ph, "anchor_path",
	                    s->phase.anchor_found ? json_string(s->phase.anchor_path) : json_null());
	json_object_set_new(ph, "anchor_pid",
	                    s->phase.anchor_found ? json_integer(s->phase.anchor_pid) : json_null());
	json_t *st = json_object(), *stl = json_array();
	size_t ns = stats_collect(s, nc, get_startup);
	for (size_t i = 0; i < ns; i++)
		json_array_append_new(
		    stl, json_pack("{s:s,s:I}", "name", nc[i].name, "calls", (json_int_t)nc[i].n));
	uint64_t startup = s->phase.anchor_found ? f->startup_syscalls : 0;
	uint64_t copyn = s->phase.anchor_found ? f->copy_syscalls : f->syscalls;
	json_object_set_new(st, "syscalls", json_integer((json_int_t)startup));
	json_object_set_new(st, "list", s->phase.anchor_found ? stl : (json_decref(stl), json_array()));
	json_object_set_new(ph, "startup", st);
	json_object_set_new(ph, "copy", json_pack("{s:I}", "syscalls", (json_int_t)copyn));
	json_object_set_new(model, "phases", ph);
}
