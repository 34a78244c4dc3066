/* event_refs: what one event names. Its path arguments (with their dirfd),
 * and the fds of data and metadata calls, resolved to full paths through
 * the -y decorations and the fd table, each classified path-based,
 * fd-based or cwd-relative (classify.c). The other parts read c->refs. */
#include "stats_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first argument when it is a plain fd ("3", "3</path>") followed by
 * a comma or the end of the text: the token sp_split_first_args(.., 1)
 * gives, found without its general scan. False for anything else, which
 * is left to the splitter. */
static bool first_fd_token(const char *a, size_t len, struct sp_arg *out)
{
	size_t i = 0;
	while (i < len && a[i] == ' ')
		i++;
	size_t begin = i;
	while (i < len && a[i] >= '0' && a[i] <= '9')
		i++;
	if (i == begin)
		return false;
	if (i < len && a[i] == '<') {
		if (i + 1 >= len || a[i + 1] == '<')
			return false;
		const char *gt = memchr(a + i + 1, '>', len - i - 1);
		if (!gt)
			return false;
		size_t n = (size_t)(gt - (a + i + 1));
		if (memchr(a + i + 1, '<', n) || memchr(a + i + 1, '[', n))
			return false;
		i = (size_t)(gt - a) + 1;
	}
	if (i < len && a[i] != ',')
		return false;
	out->s = a + begin;
	out->len = i - begin;
	return true;
}

/* The path of fd FD: its -y decoration, else the fd table. */
static const char *fd_path(struct evctx *c, int fd, const char *decor, enum fd_kind *kind)
{
	if (decor && *decor) {
		c->s->fig.has_fd_paths = true;
		enum fd_kind k = classify_fd_decoration(decor);
		if (kind)
			*kind = k;
		const struct fd_info *fi = fdt_get(c->tab, fd);
		if (k == FDK_REGULAR && fi && fi->kind == FDK_DIR && kind)
			*kind = FDK_DIR;
		if (fd >= 0 &&
		    (k == FDK_REGULAR || k == FDK_DIR || k == FDK_TTY || k == FDK_OTHER) &&
		    decor[0] == '/') {
			/* the table already names this path: nothing to learn (pool
			 * strings are unique, so equal text is the same id) */
			size_t dl = strlen(decor);
			if (!fi || fi->path == FD_NO_PATH || strpool_len(c->s->paths, fi->path) != dl ||
			    memcmp(strpool_str(c->s->paths, fi->path), decor, dl) != 0) {
				uint32_t id = stats_intern_path(c->s, decor, dl);
				fdt_learn(c->tab, fd, id, k);
			}
		} else if (fd >= 0 && !fi) {
			fdt_learn(c->tab, fd, FD_NO_PATH, k);
		}
		return decor[0] == '/' ? decor : NULL;
	}
	const struct fd_info *fi = fdt_get(c->tab, fd);
	if (kind)
		*kind = fi ? (enum fd_kind)fi->kind : FDK_UNKNOWN;
	if (fi && fi->path != FD_NO_PATH)
		return strpool_str(c->s->paths, fi->path);
	return NULL;
}

void refs_note_cwd(struct evctx *c, const char *decor)
{
	if (!decor || decor[0] != '/')
		return;
	uint32_t cur = fdt_cwd(c->s->fdt, c->ev->pid);
	if (cur != FD_NO_PATH && strcmp(strpool_str(c->s->paths, cur), decor) == 0)
		return;
	uint32_t id = stats_intern_path(c->s, decor, strlen(decor));
	if (id != STRPOOL_NONE)
		fdt_set_cwd(c->s->fdt, c->ev->pid, id);
}

/* Whether a reference's resolved text (ref.str) can be read after it is
 * made: by the phase anchor while it is looked for, per-file attribution,
 * the fd/cwd bookkeeping of open, chdir, fchdir and mknod, and, for a path
 * the call names (NAMED), the check-then-use pairs, and the escapes
 * (calls that write, when the trees are known). Otherwise the text is
 * left empty and its copy or normalization is saved. */
static bool ref_text_needed(const struct evctx *c, bool named)
{
	const struct stats *s = c->s;
	if (!s->phase.anchor_found || s->cfg.n_files || (c->acc->writes && s->esc.known))
		return true;
	switch (c->acc->spc) {
	case SPC_OPEN:
	case SPC_CHDIR:
	case SPC_FCHDIR:
	case SPC_MKNOD:
		return true;
	default:
		return named && c->acc->info && c->acc->info->toctou != SC_TOCTOU_NONE;
	}
}

/* Adds a reference for path argument PI with dirfd argument DI (or
 * SC_NO_ARG), flags argument FI. */
static void add_ref(struct evctx *c, int dirfd, const char *decor, const char *path, bool trunc,
                    bool empty_flag);

static void add_path_ref(struct evctx *c, int pi, int di, int fi)
{
	if (c->nrefs >= MAX_REFS || pi < 0 || pi >= c->nargs || pi >= MAX_ARGS)
		return;
	char name[PATH_BUF];
	bool trunc = false;
	long n = sp_arg_string(&c->args[pi], name, sizeof(name), &trunc);
	const char *path = n >= 0 ? name : NULL;
	int dirfd = CL_NO_DIRFD;
	char decor[PATH_BUF];
	decor[0] = '\0';
	if (di != SC_NO_ARG) {
		if (di >= c->nargs || di >= MAX_ARGS ||
		    !arg_fd(&c->args[di], &dirfd, decor, sizeof(decor)))
			dirfd = CL_AT_FDCWD; /* undecodable dirfd: treat as the cwd */
		if (dirfd < 0 && dirfd != CL_AT_FDCWD)
			dirfd = CL_AT_FDCWD;
	}
	bool empty_flag = fi != SC_NO_ARG && arg_contains(c, fi, "AT_EMPTY_PATH");
	add_ref(c, dirfd, decor, path, trunc, empty_flag);
}

/* Adds a reference for PATH (NULL: not decodable) relative to DIRFD (an
 * fd, CL_AT_FDCWD or CL_NO_DIRFD) whose -y decoration is DECOR ("" if
 * none). TRUNC: the path text was cut. */
static void add_ref(struct evctx *c, int dirfd, const char *decor, const char *path, bool trunc,
                    bool empty_flag)
{
	struct ref *r = &c->refs[c->nrefs];
	char *out = c->bufs[c->nrefs];
	*r = (struct ref){.path = STRPOOL_NONE, .str = out, .cls = AC_NONE};
	r->cls = classify_access(dirfd, path, empty_flag);
	out[0] = '\0';
	const char *base = NULL;
	if (dirfd == CL_AT_FDCWD || dirfd == CL_NO_DIRFD) {
		if (decor[0] == '/') {
			c->s->fig.has_fd_paths = true;
			refs_note_cwd(c, decor);
			base = decor;
		} else {
			uint32_t cwd = fdt_cwd(c->s->fdt, c->ev->pid);
			base = cwd != FD_NO_PATH ? strpool_str(c->s->paths, cwd) : NULL;
		}
	} else {
		base = fd_path(c, dirfd, decor, NULL);
	}
	if (path && *path) {
		r->named = !trunc;
		/* read only by the phase anchor, while it is not found */
		r->raw_startup = !c->s->phase.anchor_found && !c->s->have_roots &&
		                 classify_is_startup_path(path);
		if (ref_text_needed(c, r->named) || (r->cls == AC_PATH_BASED && c->s->n_operands)) {
			if (path[0] == '/' || base)
				path_join(base, path, out, PATH_BUF);
			else
				path_normalize(path, strlen(path), out, PATH_BUF);
		}
	} else if (base && dirfd >= 0 && ref_text_needed(c, false)) {
		path_normalize(base, strlen(base), out, PATH_BUF);
	}
	c->nrefs++;
}

static void add_fd_ref(struct evctx *c, int ai, enum fd_kind *kind_out)
{
	if (ai < 0 || ai >= c->nargs || ai >= MAX_ARGS)
		return;
	int fd;
	char decor[PATH_BUF];
	if (!arg_fd(&c->args[ai], &fd, decor, sizeof(decor)) || fd < 0)
		return;
	enum fd_kind k = FDK_UNKNOWN;
	const char *p = fd_path(c, fd, decor, &k);
	if (kind_out)
		*kind_out = k;
	if (c->nrefs >= MAX_REFS)
		return;
	struct ref *r = &c->refs[c->nrefs];
	*r = (struct ref){.path = STRPOOL_NONE, .str = c->bufs[c->nrefs], .cls = AC_FD_BASED};
	r->str[0] = '\0';
	if (p && ref_text_needed(c, false)) {
		size_t n = strnlen(p, PATH_BUF - 1);
		memcpy(r->str, p, n);
		r->str[n] = '\0';
	}
	c->nrefs++;
}

void refs_resolve(struct evctx *c)
{
	struct stats *s = c->s;
	const struct sp_event *ev = c->ev;
	struct sc_acc *acc = c->acc;
	const struct sc_info *in = acc->info;
	if (acc->needs_args && ev->args) {
		/* only the leading arguments read below: not a write's data buffer */
		if (acc->want_args == 1 && first_fd_token(ev->args, ev->args_len, &c->args[0]))
			c->nargs = 1;
		else
			c->nargs =
			    sp_split_first_args(ev->args, ev->args_len, c->args, acc->want_args);
	}
	if (c->nargs > 0 && in) {
		/* symlink/symlinkat: the second path is the link's content, not a path
		 * this call resolves */
		bool symlink = acc->is_symlink;
		if (in->path_arg != SC_NO_ARG)
			add_path_ref(c, in->path_arg, in->dirfd_arg, in->flags_arg);
		if (in->path2_arg != SC_NO_ARG && !symlink)
			add_path_ref(c, in->path2_arg, in->dirfd2_arg, SC_NO_ARG);
		if (in->path_arg != SC_NO_ARG) {
			c->classified = true;
			for (int i = 0; i < c->nrefs; i++) {
				enum access_class k = c->refs[i].cls;
				if (k == AC_PATH_BASED ||
				    (k == AC_CWD_RELATIVE && c->cls != AC_PATH_BASED) ||
				    (k == AC_FD_BASED && c->cls == AC_NONE))
					c->cls = k;
			}
		}
		if (in->data_io && acc->dio_in >= 0) {
			enum fd_kind k1 = FDK_UNKNOWN, k2 = FDK_UNKNOWN;
			add_fd_ref(c, acc->dio_in, &k1);
			if (acc->dio_out >= 0)
				add_fd_ref(c, acc->dio_out, &k2);
			c->dio_kind =
			    (k1 == FDK_REGULAR || k2 == FDK_REGULAR) ? FDK_REGULAR : (int)k1;
			if (acc->dio_out >= 0 && k2 == FDK_REGULAR &&
			    ev->result_kind == SP_RES_NUMBER && !ev->err_name && ev->result > 0)
				s->fig.bytes_written_regular += (uint64_t)ev->result;
		} else if (in->data_io && acc->dio_out >= 0) {
			enum fd_kind k = FDK_UNKNOWN;
			add_fd_ref(c, acc->dio_out, &k);
			c->dio_kind = (int)k;
			if (k == FDK_REGULAR && ev->result_kind == SP_RES_NUMBER && !ev->err_name &&
			    ev->result > 0)
				s->fig.bytes_written_regular += (uint64_t)ev->result;
		} else if (in->fd_arg != SC_NO_ARG && in->path_arg == SC_NO_ARG &&
		           acc->spc != SPC_CLOSE_RANGE && acc->spc != SPC_URING_ENTER &&
		           acc->spc != SPC_URING_REGISTER) {
			add_fd_ref(c, in->fd_arg, NULL);
			if (acc->fd_meta) {
				c->classified = true;
				c->cls = AC_FD_BASED;
			}
		}
	}
}

/* --- ring requests ------------------------------------------------------ */

/* A ring request's dirfd as classify_access takes it. */
static int ring_dirfd(int32_t dfd)
{
	if (dfd == UREQ_NO_FD)
		return CL_AT_FDCWD; /* the kernel resolves it from the cwd */
	return dfd >= 0 || dfd == CL_AT_FDCWD ? dfd : CL_AT_FDCWD;
}

/* The path a request's fd names: through the fd table, or, for a
 * registered file, through the files the ring opened into its slots. */
static void add_ring_fd_ref(struct evctx *c, enum fd_kind *kind_out)
{
	const struct uring_req *rq = c->rq;
	struct stats *s = c->s;
	if (rq->fd == UREQ_NO_FD || rq->fd < 0 || c->nrefs >= MAX_REFS)
		return;
	const char *p = NULL;
	enum fd_kind k = FDK_UNKNOWN;
	if (rq->fixed_file) {
		s->ring.fixed_ops++;
		bool found = false;
		uint32_t id = ring_slot_get(&s->ring, rq->ring, (uint32_t)rq->fd, &found);
		if (id != FD_NO_PATH) {
			p = strpool_str(s->paths, id);
			k = FDK_REGULAR;
		} else {
			s->ring.unattributed_fixed++;
		}
	} else {
		p = fd_path(c, rq->fd, NULL, &k);
	}
	if (kind_out)
		*kind_out = k;
	struct ref *r = &c->refs[c->nrefs];
	*r = (struct ref){.path = STRPOOL_NONE, .str = c->bufs[c->nrefs], .cls = AC_FD_BASED};
	r->str[0] = '\0';
	if (p && ref_text_needed(c, false)) {
		size_t n = strnlen(p, PATH_BUF - 1);
		memcpy(r->str, p, n);
		r->str[n] = '\0';
	}
	c->nrefs++;
}

void refs_resolve_ring(struct evctx *c)
{
	const struct uring_req *rq = c->rq;
	const struct sc_acc *acc = c->acc;
	const struct sc_info *in = acc->info;
	struct ring_stats *rs = &c->s->ring;
	if (!in)
		return;
	if (in->path_arg != SC_NO_ARG) {
		rs->path_taking++;
		/* symlinkat: PATH is the link's content, PATH2 (in DFD2) the link */
		const char *p1 = acc->is_symlink ? rq->path2 : rq->path;
		int32_t d1 = acc->is_symlink ? rq->dfd2 : rq->dfd;
		if (!p1) { /* the capture has no arguments for it */
			rs->unclassified++;
			return;
		}
		bool empty = (rq->at_flags & 0x1000) != 0; /* AT_EMPTY_PATH */
		add_ref(c, ring_dirfd(d1), "", p1, rq->path_truncated, empty);
		if (in->path2_arg != SC_NO_ARG && !acc->is_symlink && rq->path &&
		    c->nrefs < MAX_REFS && rq->path2)
			add_ref(c, ring_dirfd(rq->dfd2), "", rq->path2, rq->path_truncated, false);
		c->classified = true;
		for (int i = 0; i < c->nrefs; i++) {
			enum access_class k = c->refs[i].cls;
			if (k == AC_PATH_BASED || (k == AC_CWD_RELATIVE && c->cls != AC_PATH_BASED) ||
			    (k == AC_FD_BASED && c->cls == AC_NONE))
				c->cls = k;
		}
		return;
	}
	enum fd_kind k = FDK_UNKNOWN;
	add_ring_fd_ref(c, &k);
	if (in->data_io)
		c->dio_kind = (int)k;
	else if (acc->fd_meta) {
		c->classified = true;
		c->cls = AC_FD_BASED;
	}
}
