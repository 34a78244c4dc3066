/* attribution: calls per regular file of the dataset. A call counts for
 * a file when a path argument, dirfd + name or fd names it under the
 * source or the destination root; temporary names renamed into place and
 * unlinked O_TMPFILEs are followed to the file they become. */
#include "stats_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* path id -> file index table, large enough for ID. */
static int grow_path_file(struct stats *s, uint32_t id)
{
	struct attribution *a = &s->attr;
	if (id < a->path_cap)
		return 0;
	size_t cap = a->path_cap ? a->path_cap : 1024;
	while (cap <= id)
		cap *= 2;
	int32_t *pf = realloc(a->path_file, cap * sizeof(*pf));
	if (!pf) {
		s->oom = true;
		return -1;
	}
	for (size_t i = a->path_cap; i < cap; i++)
		pf[i] = -1;
	a->path_file = pf;
	a->path_cap = cap;
	return 0;
}

static int32_t new_file_acc(struct stats *s, uint32_t path)
{
	struct attribution *at = &s->attr;
	if (at->nfiles == at->files_cap) {
		size_t cap = at->files_cap ? at->files_cap * 2 : 64;
		struct file_acc *f = realloc(at->files, cap * sizeof(*f));
		if (!f) {
			s->oom = true;
			return -1;
		}
		at->files = f;
		at->files_cap = cap;
	}
	at->files[at->nfiles] = (struct file_acc){.merged_into = -1, .path = path};
	return (int32_t)at->nfiles++;
}

static void map_file_path(struct stats *s, const char *a, const char *b, const char *c, int32_t idx)
{
	char buf[PATH_BUF], tmp[PATH_BUF];
	int k = snprintf(tmp, sizeof(tmp), "%s/%s%s%s", a, b, c ? "/" : "", c ? c : "");
	if (k < 0 || (size_t)k >= sizeof(tmp))
		return; /* longer than any path a trace line can name here */
	size_t len = path_normalize(tmp, strlen(tmp), buf, sizeof(buf));
	if (!len)
		return;
	uint32_t id = stats_intern_path(s, buf, len);
	if (id != STRPOOL_NONE && grow_path_file(s, id) == 0 && s->attr.path_file[id] < 0)
		s->attr.path_file[id] = idx;
}

static int cmp_ino(const void *a, const void *b)
{
	const struct ino_file *x = a, *y = b;
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/* Copiers that write through O_TMPFILE show the new file as "DIR/#INODE
 * (deleted)" until it is linked in, often by IORING_OP_LINKAT where
 * strace cannot see it. When the copy is still on disk, the inode of each
 * destination file names the file those calls belong to. */
static int index_dst_inodes(struct stats *s, const char *base)
{
	if (!s->dst_root[0] || !s->cfg.n_files)
		return 0;
	struct attribution *a = &s->attr;
	a->inos = calloc(s->cfg.n_files, sizeof(*a->inos));
	if (!a->inos)
		return -1;
	for (size_t i = 0; i < s->cfg.n_files; i++) {
		const char *rel = s->cfg.files[i] ? s->cfg.files[i] : "";
		char p[PATH_BUF];
		struct stat st;
		int n = snprintf(p, sizeof(p), "%s/%s", s->dst_root, rel);
		bool found =
		    n > 0 && (size_t)n < sizeof(p) && lstat(p, &st) == 0 && S_ISREG(st.st_mode);
		if (!found && *base) {
			n = snprintf(p, sizeof(p), "%s/%s/%s", s->dst_root, base, rel);
			found = n > 0 && (size_t)n < sizeof(p) && lstat(p, &st) == 0 &&
			        S_ISREG(st.st_mode);
		}
		if (found)
			a->inos[a->ninos++] =
			    (struct ino_file){(unsigned long long)st.st_ino, (int32_t)i};
	}
	qsort(a->inos, a->ninos, sizeof(*a->inos), cmp_ino);
	return 0;
}

/* ".../#12345" (an O_TMPFILE not linked yet) -> the dataset file with that
 * destination inode, or -1. */
static int32_t tmpfile_inode_file(const struct stats *s, const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!s->attr.ninos || !slash || slash[1] != '#' || slash[2] < '0' || slash[2] > '9')
		return -1;
	char *end;
	unsigned long long ino = strtoull(slash + 2, &end, 10);
	if (*end && *end != ' ' && *end != '(')
		return -1;
	struct ino_file key = {ino, 0};
	const struct ino_file *hit = bsearch(&key, s->attr.inos, s->attr.ninos, sizeof(*s->attr.inos), cmp_ino);
	return hit ? hit->file : -1;
}

/* The dataset's files under each root, and the inodes of their copies. */
int attribution_init(struct stats *s)
{
	const struct stats_config *cfg = &s->cfg;
	const char *base = strrchr(s->src_root, '/');
	base = base ? base + 1 : s->src_root;
	for (size_t i = 0; i < cfg->n_files; i++) {
		const char *rel = cfg->files[i] ? cfg->files[i] : "";
		char buf[PATH_BUF];
		size_t len = path_normalize(rel, strlen(rel), buf, sizeof(buf));
		uint32_t id = stats_intern_path(s, buf, len);
		int32_t idx = new_file_acc(s, id);
		if (idx < 0 || id == STRPOOL_NONE)
			return -1;
		if (s->src_root[0])
			map_file_path(s, s->src_root, buf, NULL, idx);
		if (s->dst_root[0]) {
			map_file_path(s, s->dst_root, buf, NULL, idx);
			/* "cp -a SRC DST" into an existing DST puts the tree at DST/basename(SRC)
			 */
			if (*base)
				map_file_path(s, s->dst_root, base, buf, idx);
		}
	}
	if (s->oom)
		return -1;
	return index_dst_inodes(s, base);
}

void attribution_free(struct attribution *a)
{
	free(a->files);
	free(a->path_file);
	free(a->inos);
}

/* DIR/.NAME.suffix (rsync's ".f1.bin.O6MaKD", arsync's ".f1.bin.39b8.3"):
 * the dataset file DIR/NAME written under a temporary name, for copiers
 * that rename it into place where strace cannot see (IORING_OP_RENAMEAT).
 * The longest NAME that is a dataset file wins. */
static int32_t temp_name_file(struct stats *s, const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash || slash[1] != '.' || !slash[2])
		return -1;
	size_t dirlen = (size_t)(slash - path);
	const char *name = slash + 2;
	char cand[PATH_BUF];
	size_t nlen = strlen(name);
	if (dirlen + 1 + nlen >= sizeof(cand))
		return -1;
	memcpy(cand, path, dirlen + 1);
	for (size_t end = nlen; end > 0; end--) {
		if (name[end - 1] == '.' || end == nlen)
			continue;
		if (name[end] != '.')
			continue;
		memcpy(cand + dirlen + 1, name, end);
		cand[dirlen + 1 + end] = '\0';
		uint32_t id = strpool_find(s->paths, cand, dirlen + 1 + end);
		if (id != STRPOOL_NONE && id < s->attr.path_cap && s->attr.path_file[id] >= 0 &&
		    (size_t)s->attr.path_file[id] < s->cfg.n_files)
			return s->attr.path_file[id];
	}
	return -1;
}

static int32_t file_of(struct stats *s, struct ref *r, bool may_create)
{
	if (!r->str[0])
		return -1;
	if (r->path == STRPOOL_NONE)
		r->path = strpool_find(s->paths, r->str, strlen(r->str));
	struct attribution *a = &s->attr;
	if (r->path == STRPOOL_NONE || r->path >= a->path_cap || a->path_file[r->path] < 0) {
		if (!may_create || !s->dst_root[0] || !s->cfg.n_files ||
		    !path_under(r->str, s->dst_root))
			return -1;
		if (r->path == STRPOOL_NONE)
			r->path = stats_intern_path(s, r->str, strlen(r->str));
		if (r->path == STRPOOL_NONE || grow_path_file(s, r->path) < 0)
			return -1;
		int32_t idx = temp_name_file(s, r->str);
		if (idx < 0)
			idx = tmpfile_inode_file(s, r->str);
		if (idx < 0)
			idx = new_file_acc(s, r->path);
		a->path_file[r->path] = idx;
	}
	int32_t idx = a->path_file[r->path];
	while (idx >= 0 && a->files[idx].merged_into >= 0)
		idx = a->files[idx].merged_into;
	return idx;
}

static void merge_file(struct file_acc *dst, const struct file_acc *src)
{
	dst->syscalls += src->syscalls;
	dst->ring_ops += src->ring_ops;
	dst->path_based += src->path_based;
	dst->fd_based += src->fd_based;
	dst->cwd_relative += src->cwd_relative;
	dst->statx += src->statx;
	dst->opens += src->opens;
	dst->direct_io += src->direct_io;
}

void attribution_event(struct evctx *c)
{
	struct stats *s = c->s;
	if (!s->cfg.n_files)
		return;
	int32_t idx[MAX_REFS];
	int n = 0;
	bool is_rename = c->acc->info && c->acc->info->path2_arg != SC_NO_ARG && c->acc->is_rename;
	/* a ring LINKAT of an fd (AT_EMPTY_PATH: an O_TMPFILE) names that file */
	if (c->rq && c->rq->opcode == UOP_LINKAT && (c->rq->at_flags & 0x1000))
		is_rename = true;
	for (int i = 0; i < c->nrefs; i++)
		idx[i] = file_of(s, &c->refs[i], true);
	if (is_rename && c->nrefs >= 2 && idx[0] >= 0 && idx[1] >= 0 && idx[0] != idx[1] &&
	    (size_t)idx[1] < s->cfg.n_files && (size_t)idx[0] >= s->cfg.n_files) {
		/* a temporary name renamed into place: its calls belong to the file */
		merge_file(&s->attr.files[idx[1]], &s->attr.files[idx[0]]);
		memset(&s->attr.files[idx[0]], 0, sizeof(s->attr.files[idx[0]]));
		s->attr.files[idx[0]].merged_into = idx[1];
		idx[0] = idx[1];
	}
	for (int i = 0; i < c->nrefs; i++) {
		if (idx[i] < 0)
			continue;
		bool dup = false;
		for (int j = 0; j < i; j++)
			if (idx[j] == idx[i])
				dup = true;
		if (dup)
			continue;
		n++;
		struct file_acc *f = &s->attr.files[idx[i]];
		if (c->rq)
			f->ring_ops++;
		else
			f->syscalls++;
		switch (c->refs[i].cls) {
		case AC_PATH_BASED:
			f->path_based++;
			break;
		case AC_CWD_RELATIVE:
			f->cwd_relative++;
			break;
		default:
			f->fd_based++;
			break;
		}
		if (c->acc->is_stat)
			f->statx++;
		if (c->acc->is_open)
			f->opens++;
		if (c->acc->info && c->acc->info->data_io && !c->rq)
			f->direct_io++;
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

int attribution_to_model(const struct stats *s, json_t *model)
{
	size_t n = s->cfg.n_files;
	json_t *files = json_array();
	uint64_t *v = malloc((n + 1) * sizeof(*v));
	if (!files || !v) {
		free(v);
		json_decref(files);
		return -1;
	}
	size_t attributed = 0;
	for (size_t i = 0; i < n; i++) {
		const struct file_acc *f = &s->attr.files[i];
		json_array_append_new(
		    files,
		    json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "path",
		              s->cfg.files[i] ? s->cfg.files[i] : "", "syscalls",
		              (json_int_t)f->syscalls, "path_based", (json_int_t)f->path_based,
		              "fd_based", (json_int_t)f->fd_based, "cwd_relative",
		              (json_int_t)f->cwd_relative, "statx", (json_int_t)f->statx, "opens",
		              (json_int_t)f->opens, "direct_io", (json_int_t)f->direct_io));
		json_t *last = json_array_get(files, i);
		json_object_set_new(last, "ring_ops", json_integer((json_int_t)f->ring_ops));
		json_object_set_new(last, "logical",
		                    json_integer((json_int_t)(f->syscalls + f->ring_ops)));
		v[i] = f->syscalls;
		if (f->syscalls || f->ring_ops)
			attributed++;
	}
	json_object_set_new(model, "files", files);
	json_t *sum = json_object();
	json_object_set_new(sum, "count", json_integer((json_int_t)n));
	json_object_set_new(sum, "attributed", json_integer((json_int_t)attributed));
	json_t *outliers = json_array();
	if (n) {
		qsort(v, n, sizeof(*v), cmp_u64);
		double median =
		    n % 2 ? (double)v[n / 2] : ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2;
		json_object_set_new(sum, "min", json_integer((json_int_t)v[0]));
		json_object_set_new(sum, "median", json_real(median));
		json_object_set_new(sum, "max", json_integer((json_int_t)v[n - 1]));
		double limit = median * s->cfg.outlier_factor;
		if (limit < median + s->cfg.outlier_min_excess)
			limit = median + s->cfg.outlier_min_excess;
		/* the largest first, at most outlier_max */
		struct name_count *nc = malloc(n * sizeof(*nc));
		size_t k = 0;
		if (nc) {
			for (size_t i = 0; i < n; i++)
				if ((double)s->attr.files[i].syscalls > limit)
					nc[k++] = (struct name_count){
					    s->cfg.files[i] ? s->cfg.files[i] : "",
					    s->attr.files[i].syscalls};
			qsort(nc, k, sizeof(*nc), stats_cmp_name_count);
			for (size_t i = 0; i < k && i < s->cfg.outlier_max; i++)
				json_array_append_new(outliers,
				                      json_pack("{s:s,s:I}", "path", nc[i].name,
				                                "syscalls", (json_int_t)nc[i].n));
			free(nc);
		}
		json_object_set_new(
		    sum, "rule",
		    json_string(
		        "a call counts for a file when a path argument, dirfd + name or fd "
		        "(-y path or the fd table) names the file under the source or the "
		        "destination root; a destination name .NAME.suffix in the same "
		        "directory counts for NAME (temporary names renamed into place), "
		        "an unlinked O_TMPFILE DIR/#INODE counts for the file that has "
		        "that inode in the destination when the analysis runs, "
		        "and calls on any other name renamed onto a file are added to it at "
		        "the rename; a call naming a file twice counts once. syscalls counts "
		        "direct calls, ring_ops the io_uring requests (classified as the "
		        "syscall that does the same work; a registered file through what the "
		        "ring opened into its slot), logical both"));
		json_object_set_new(
		    sum, "outlier_rule",
		    json_sprintf("more than %g x the median and more than median + %g syscalls",
		                 s->cfg.outlier_factor, s->cfg.outlier_min_excess));
		json_object_set_new(sum, "outlier_count", json_integer((json_int_t)k));
	} else {
		json_object_set_new(sum, "min", json_null());
		json_object_set_new(sum, "median", json_null());
		json_object_set_new(sum, "max", json_null());
		json_object_set_new(sum, "outlier_count", json_integer(0));
	}
	json_object_set_new(sum, "outliers", outliers);
	json_object_set_new(model, "files_summary", sum);
	free(v);
	return 0;
}
