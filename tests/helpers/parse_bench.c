/* parse_bench: streams a trace through the parser the way an analysis
 * does (arguments split only for the calls that need them) and prints
 * counts. Used by tests/bench/bench_parse.sh and to compare a trace with
 * strace -c by hand:
 *
 *   parse_bench [--counts | --parse-only] TRACE   (TRACE or TRACE.<pid> files of -ff)
 *
 * --counts prints "name calls returned errors" per syscall, sorted by name.
 * --parse-only only reads events (no lookup, no argument work): the
 * parser's own cost.
 */
#include "strace_parse.h"
#include "syscall_table.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

struct count {
	unsigned long calls, returned, errors;
};

static int by_name(const void *a, const void *b)
{
	const struct sc_info *x = *(const struct sc_info *const *)a, *y = *(const struct sc_info *const *)b;
	return strcmp(x->name, y->name);
}

int main(int argc, char **argv)
{
	bool counts = false, parse_only = false;
	int i = 1;
	if (i < argc && strcmp(argv[i], "--counts") == 0) {
		counts = true;
		i++;
	} else if (i < argc && strcmp(argv[i], "--parse-only") == 0) {
		parse_only = true;
		i++;
	}
	if (i != argc - 1) {
		fprintf(stderr, "usage: parse_bench [--counts | --parse-only] TRACE\n");
		return 2;
	}
	struct sp_parser *p = sp_open_path(argv[i]);
	if (!p) {
		fprintf(stderr, "parse_bench: cannot open trace %s: %s\n", argv[i], strerror(errno));
		return 1;
	}
	int nrows;
	const struct sc_info *rows = sc_all(&nrows);
	const struct sc_info *uring_enter = sc_lookup("io_uring_enter");
	struct count *cnt = calloc((size_t)nrows + 1, sizeof(*cnt)); /* last: unknown names */
	if (!cnt) {
		fprintf(stderr, "parse_bench: out of memory\n");
		sp_free(p);
		return 1;
	}
	struct sp_event ev;
	struct sp_arg a[8];
	char decor[512], str[512];
	unsigned long split = 0, fds = 0, strings = 0, sqes = 0;
	int r;
	while ((r = sp_next(p, &ev)) > 0) {
		if (ev.kind != SP_SYSCALL || parse_only)
			continue;
		const struct sc_info *si = sc_lookup_len(ev.name, ev.name_len);
		struct count *c = si ? &cnt[si - rows] : &cnt[nrows];
		c->calls++;
		if (ev.result_kind == SP_RES_NUMBER) {
			c->returned++;
			if (ev.err_name)
				c->errors++;
		}
		if (!si || !(si->path_arg >= 0 || si->category == SC_IO_URING || si->data_io))
			continue;
		int want = 1; /* only as many leading arguments as the figures need */
		if (si->path_arg + 1 > want)
			want = si->path_arg + 1;
		if (si->dirfd_arg + 1 > want)
			want = si->dirfd_arg + 1;
		if (si->fd_arg + 1 > want)
			want = si->fd_arg + 1;
		if (si->category == SC_IO_URING)
			want = 3;
		int n = sp_split_first_args(ev.args, ev.args_len, a, want);
		split++;
		int fd;
		long long v;
		bool tr;
		if (si->dirfd_arg >= 0 && si->dirfd_arg < n && sp_arg_fd(&a[si->dirfd_arg], &fd, decor, sizeof(decor)))
			fds++;
		if (si->fd_arg >= 0 && si->fd_arg < n && sp_arg_fd(&a[si->fd_arg], &fd, decor, sizeof(decor)))
			fds++;
		if (si->path_arg >= 0 && si->path_arg < n && sp_arg_string(&a[si->path_arg], str, sizeof(str), &tr) >= 0)
			strings++;
		if (si == uring_enter && n > 1 && sp_arg_number(&a[1], &v))
			sqes += (unsigned long long)v;
	}
	if (r < 0) {
		fprintf(stderr, "parse_bench: reading %s: %s\n", argv[i], strerror(errno));
		sp_free(p);
		free(cnt);
		return 1;
	}
	const struct sp_stats *st = sp_get_stats(p);
	printf("lines %lu bytes %llu events %lu syscalls %lu resumed %lu orphan %lu unfinished_eof %lu "
	       "malformed %lu signals %lu exits %lu pids %lu long_lines %lu summary_lines %lu\n",
	       st->lines, st->bytes, st->events, st->syscalls, st->resumed_pairs, st->orphan_resumed,
	       st->unfinished_eof, st->malformed_lines, st->signals, st->exits, st->pids, st->long_lines,
	       st->summary_lines);
	struct rusage ru;
	long maxrss = getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
	printf("split %lu fds %lu paths %lu uring_to_submit %lu maxrss_kb %ld\n", split, fds, strings, sqes, maxrss);
	if (counts) {
		const struct sc_info **order = malloc(sizeof(*order) * (size_t)nrows);
		if (order) {
			for (int k = 0; k < nrows; k++)
				order[k] = &rows[k];
			qsort(order, (size_t)nrows, sizeof(*order), by_name);
			for (int k = 0; k < nrows; k++) {
				struct count *c = &cnt[order[k] - rows];
				if (c->calls)
					printf("%s %lu %lu %lu\n", order[k]->name, c->calls, c->returned, c->errors);
			}
			free(order);
		}
		if (cnt[nrows].calls)
			printf("(unknown) %lu %lu %lu\n", cnt[nrows].calls, cnt[nrows].returned, cnt[nrows].errors);
	}
	sp_free(p);
	free(cnt);
	return 0;
}
