/* fd_track: what one event does to the fd table of its process. Opens,
 * dups, closes, pipes, sockets and other fd-making calls, clone (shared or
 * copied tables), execve (O_CLOEXEC fds), chdir/fchdir; io_uring calls go
 * to ring_stats. Regular files created by the trace are noted for the
 * per-file basis. */
#include "stats_internal.h"

#include <fcntl.h>
#include <limits.h>
#include <string.h>

static void on_fd_result(struct evctx *c)
{
	const struct sp_event *ev = c->ev;
	struct sc_acc *acc = c->acc;
	if (ev->result_kind != SP_RES_NUMBER || ev->err_name || ev->result < 0)
		return;
	int fd = (int)ev->result;
	struct stats *s = c->s;
	switch (acc->spc) {
	case SPC_OPEN: {
		const struct sc_info *in = acc->info;
		/* open/openat/creat carry O_ flags in the argument after the path */
		int flags_i = in && in->path_arg != SC_NO_ARG ? in->path_arg + 1 : -1;
		bool odir = arg_contains(c, flags_i, "O_DIRECTORY");
		bool cloexec = arg_contains(c, flags_i, "O_CLOEXEC");
		bool creat = arg_contains(c, flags_i, "O_CREAT") || acc->is_creat;
		const char *path = NULL;
		enum fd_kind k;
		if (ev->result_decor && ev->result_decor[0]) {
			path = ev->result_decor[0] == '/' ? ev->result_decor : NULL;
			k = classify_fd_decoration(ev->result_decor);
			if (odir && k == FDK_REGULAR)
				k = FDK_DIR;
		} else {
			path = c->nrefs > 0 && c->refs[0].str[0] ? c->refs[0].str : NULL;
			k = classify_opened_path(path, odir);
			if (k == FDK_UNKNOWN)
				k = FDK_REGULAR;
		}
		uint32_t id = path ? stats_intern_path(s, path, strlen(path)) : FD_NO_PATH;
		fdt_open(c->tab, fd, id, k, cloexec);
		if (creat && id != FD_NO_PATH && k == FDK_REGULAR)
			stats_note_created(s, id);
		break;
	}
	case SPC_DUP: {
		int oldfd;
		char d[PATH_BUF];
		if (c->nargs >= 1 && arg_fd(&c->args[0], &oldfd, d, sizeof(d)))
			fdt_dup(c->tab, oldfd, fd, arg_contains(c, 2, "O_CLOEXEC"));
		break;
	}
	case SPC_FCNTL: {
		int oldfd;
		char d[PATH_BUF];
		if (arg_contains(c, 1, "F_DUPFD") && c->nargs >= 1 &&
		    arg_fd(&c->args[0], &oldfd, d, sizeof(d)))
			fdt_dup(c->tab, oldfd, fd, arg_contains(c, 1, "F_DUPFD_CLOEXEC"));
		break;
	}
	case SPC_SOCKET:
		fdt_open(c->tab, fd, FD_NO_PATH, FDK_SOCKET,
		         arg_contains(c, 1, "SOCK_CLOEXEC") || arg_contains(c, 3, "SOCK_CLOEXEC"));
		break;
	case SPC_EVENTFD:
		fdt_open(c->tab, fd, FD_NO_PATH, FDK_EVENTFD, arg_contains(c, 1, "EFD_CLOEXEC"));
		break;
	case SPC_OTHERFD:
		fdt_open(c->tab, fd, FD_NO_PATH, FDK_OTHER, false);
		break;
	default:
		break;
	}
}

/* "[3, 4]" / "[3<pipe:[1]>, 4<pipe:[1]>]" */
static void on_fd_pair(struct evctx *c, int ai, enum fd_kind kind)
{
	if (ai >= c->nargs || c->ev->result_kind != SP_RES_NUMBER || c->ev->err_name)
		return;
	const struct sp_arg *a = &c->args[ai];
	if (a->len < 2 || a->s[0] != '[')
		return;
	struct sp_arg two[2];
	int n = sp_split_args(a->s + 1, a->len - 2, two, 2);
	bool cloexec = arg_contains(c, ai + 1, "O_CLOEXEC") || arg_contains(c, 1, "SOCK_CLOEXEC");
	for (int i = 0; i < n && i < 2; i++) {
		int fd;
		char d[64];
		if (arg_fd(&two[i], &fd, d, sizeof(d)) && fd >= 0)
			fdt_open(c->tab, fd, FD_NO_PATH, kind, cloexec);
	}
}

/* The event's process stops sharing its fd table (execve,
 * CLOSE_RANGE_UNSHARE): it acts on a copy from now on. */
static void unshare(struct evctx *c)
{
	struct fd_table *tab = fdt_unshare(c->s->fdt, c->ev->pid);
	if (!tab) {
		c->s->oom = true;
		return;
	}
	c->tab = tab;
	c->s->last_tab_valid = false;
}

void fd_track_event(struct evctx *c)
{
	struct stats *s = c->s;
	const struct sp_event *ev = c->ev;
	const struct sc_info *in = c->acc->info;
	switch (c->acc->spc) {
	case SPC_URING_SETUP:
	case SPC_URING_ENTER:
	case SPC_URING_REGISTER:
		ring_stats_event(c);
		break;
	case SPC_CLOSE: {
		int fd;
		char d[PATH_BUF];
		if (c->nargs >= 1 && arg_fd(&c->args[0], &fd, d, sizeof(d)))
			fdt_close(c->tab, fd);
		break;
	}
	case SPC_CLOSE_RANGE: {
		long long first, last = INT_MAX;
		if (ev->result_kind == SP_RES_NUMBER && !ev->err_name && arg_number(c, 0, &first)) {
			if (!arg_number(c, 1, &last) || last > INT_MAX || last < 0)
				last = INT_MAX;
			if (arg_contains(c, 2, "CLOSE_RANGE_UNSHARE"))
				unshare(c);
			fdt_close_range(c->tab, (int)first, (int)last,
			                arg_contains(c, 2, "CLOSE_RANGE_CLOEXEC"));
		}
		break;
	}
	case SPC_PIPE:
		on_fd_pair(c, 0, FDK_PIPE);
		break;
	case SPC_SOCKETPAIR:
		on_fd_pair(c, 3, FDK_SOCKET);
		break;
	case SPC_CLONE:
		/* a trace without pids (strace without -f -o) can name the child
		 * as the caller: nothing to link then */
		if (ev->result_kind == SP_RES_NUMBER && !ev->err_name && ev->result > 0 &&
		    ev->result <= INT_MAX && ev->result != ev->pid) {
			bool share = ev->args && memmem(ev->args, ev->args_len, "CLONE_FILES", 11);
			bool share_fs = ev->args && memmem(ev->args, ev->args_len, "CLONE_FS", 8);
			s->last_tab_valid = false;
			if (fdt_clone(s->fdt, ev->pid, (int)ev->result, share) < 0 ||
			    fdt_clone_fs(s->fdt, ev->pid, (int)ev->result, share_fs) < 0)
				s->oom = true;
		}
		break;
	case SPC_EXECVE:
		if (ev->result_kind == SP_RES_NUMBER && !ev->err_name && ev->result == 0) {
			unshare(c);
			fdt_exec(c->tab);
		}
		break;
	case SPC_CHDIR:
		if (ev->result_kind == SP_RES_NUMBER && !ev->err_name && c->nrefs > 0 &&
		    c->refs[0].str[0] == '/')
			refs_note_cwd(c, c->refs[0].str);
		break;
	case SPC_FCHDIR:
		if (ev->result_kind == SP_RES_NUMBER && !ev->err_name && c->nrefs > 0 &&
		    c->refs[0].str[0] == '/')
			refs_note_cwd(c, c->refs[0].str);
		break;
	case SPC_MKNOD:
		if (ev->result_kind == SP_RES_NUMBER && !ev->err_name && c->nrefs > 0 &&
		    c->refs[0].str[0] && arg_contains(c, in ? in->path_arg + 1 : -1, "S_IFREG")) {
			uint32_t id = stats_intern_path(s, c->refs[0].str, strlen(c->refs[0].str));
			if (id != STRPOOL_NONE)
				stats_note_created(s, id);
		}
		break;
	default:
		on_fd_result(c);
		break;
	}
}

/* Ring request I completed successfully (RES >= 0): an OPENAT's fd (or
 * registered slot) now names what it opened, a CLOSE's is gone, a
 * FIXED_FD_INSTALL makes a registered file an fd. */
void fd_track_ring_complete(struct stats *s, struct fd_table *tab, size_t i)
{
	struct ring_stats *rs = &s->ring;
	const struct uring_req *rq = &rs->reqs[i];
	switch (rq->opcode) {
	case UOP_OPENAT:
	case UOP_OPENAT2: {
		uint32_t id = rs->open_path[i];
		uint64_t fl = rq->open_flags;
		bool tmpfile = (fl & O_TMPFILE) == O_TMPFILE; /* DIR/#ring-tmpfile-I */
		enum fd_kind k = classify_opened_path(id != FD_NO_PATH ? strpool_str(s->paths, id) : NULL,
		                                      !tmpfile && (fl & O_DIRECTORY));
		if (k == FDK_UNKNOWN)
			k = FDK_REGULAR;
		if (rq->file_slot) { /* into the registered file table */
			uint32_t slot = rq->file_slot == UINT32_MAX ? (uint32_t)rq->res : rq->file_slot - 1;
			ring_slot_set(s, rq->ring, slot, id);
		} else {
			fdt_open(tab, (int)rq->res, id, k, (fl & O_CLOEXEC) != 0);
		}
		if ((fl & O_CREAT) && !tmpfile && id != FD_NO_PATH && k == FDK_REGULAR)
			stats_note_created(s, id);
		break;
	}
	case UOP_CLOSE:
		if (rq->file_slot)
			ring_slot_clear(rs, rq->ring, rq->file_slot - 1);
		else if (rq->fd >= 0 && !rq->fixed_file)
			fdt_close(tab, (int)rq->fd);
		break;
	case UOP_FIXED_FD_INSTALL:
		if (rq->fd >= 0) {
			bool found = false;
			uint32_t id = ring_slot_get(rs, rq->ring, (uint32_t)rq->fd, &found);
			fdt_open(tab, (int)rq->res, id, FDK_REGULAR, false);
		}
		break;
	default:
		break;
	}
}
