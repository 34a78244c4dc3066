/* stats: one pass over the events. Syscall names and paths are interned
 * (strpool) so per-name and per-path data live in arrays indexed by id;
 * the fd table resolves fds without -y and dirfds to directories. */
#include "stats.h"

#include "classify.h"
#include "fd_table.h"
#include "strpool.h"
#include "syscall_table.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PATH_BUF 8192
#define MAX_ARGS 8
#define MAX_REFS 3

enum special {
	SPC_NONE = 0,
	SPC_OPEN,
	SPC_DUP,
	SPC_FCNTL,
	SPC_CLOSE,
	SPC_CLOSE_RANGE,
	SPC_PIPE,
	SPC_SOCKETPAIR,
	SPC_SOCKET,
	SPC_EVENTFD,
	SPC_OTHERFD,
	SPC_URING_SETUP,
	SPC_URING_ENTER,
	SPC_URING_REGISTER,
	SPC_CLONE,
	SPC_EXECVE,
	SPC_CHDIR,
	SPC_FCHDIR,
	SPC_MKNOD,
};

static const struct {
	const char *name;
	enum special spc;
} special_names[] = {
    {"open", SPC_OPEN},
    {"openat", SPC_OPEN},
    {"openat2", SPC_OPEN},
    {"creat", SPC_OPEN},
    {"dup", SPC_DUP},
    {"dup2", SPC_DUP},
    {"dup3", SPC_DUP},
    {"fcntl", SPC_FCNTL},
    {"close", SPC_CLOSE},
    {"close_range", SPC_CLOSE_RANGE},
    {"pipe", SPC_PIPE},
    {"pipe2", SPC_PIPE},
    {"socketpair", SPC_SOCKETPAIR},
    {"socket", SPC_SOCKET},
    {"accept", SPC_SOCKET},
    {"accept4", SPC_SOCKET},
    {"eventfd", SPC_EVENTFD},
    {"eventfd2", SPC_EVENTFD},
    {"epoll_create", SPC_OTHERFD},
    {"epoll_create1", SPC_OTHERFD},
    {"signalfd", SPC_OTHERFD},
    {"signalfd4", SPC_OTHERFD},
    {"timerfd_create", SPC_OTHERFD},
    {"inotify_init", SPC_OTHERFD},
    {"inotify_init1", SPC_OTHERFD},
    {"fanotify_init", SPC_OTHERFD},
    {"pidfd_open", SPC_OTHERFD},
    {"pidfd_getfd", SPC_OTHERFD},
    {"memfd_create", SPC_OTHERFD},
    {"memfd_secret", SPC_OTHERFD},
    {"userfaultfd", SPC_OTHERFD},
    {"perf_event_open", SPC_OTHERFD},
    {"io_uring_setup", SPC_URING_SETUP},
    {"io_uring_enter", SPC_URING_ENTER},
    {"io_uring_register", SPC_URING_REGISTER},
    {"clone", SPC_CLONE},
    {"clone3", SPC_CLONE},
    {"fork", SPC_CLONE},
    {"vfork", SPC_CLONE},
    {"execve", SPC_EXECVE},
    {"execveat", SPC_EXECVE},
    {"chdir", SPC_CHDIR},
    {"fchdir", SPC_FCHDIR},
    {"mknod", SPC_MKNOD},
    {"mknodat", SPC_MKNOD},
};

static const char *const stat_names[] = {"statx",   "newfstatat", "fstat",    "stat",
                                         "lstat",   "fstatat64",  "stat64",   "lstat64",
                                         "fstat64", "oldstat",    "oldlstat", "oldfstat"};

/* calls that change metadata: the fd_metadata_share figure */
static const char *const meta_set_names[] = {
    "chmod",       "fchmod",       "fchmodat",     "fchmodat2",  "chown",
    "fchown",      "lchown",       "fchownat",     "utime",      "utimes",
    "futimesat",   "utimensat",    "setxattr",     "lsetxattr",  "fsetxattr",
    "removexattr", "lremovexattr", "fremovexattr", "setxattrat", "removexattrat",
};

/* direct data calls with two fds: input and output argument */
static const struct {
	const char *name;
	int in, out;
} two_fd[] = {
    {"copy_file_range", 0, 2}, {"splice", 0, 2}, {"sendfile", 1, 0},
    {"sendfile64", 1, 0},      {"tee", 0, 1},
};

static const char *const write_names[] = {"write", "pwrite64", "writev", "pwritev", "pwritev2"};

static bool in_list(const char *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(name, list[i]) == 0)
			return true;
	return false;
}

#define IN_LIST(name, list) in_list(name, list, sizeof(list) / sizeof(list[0]))

struct sc_acc {
	const struct sc_info *info;
	uint64_t calls, returned, errors, startup, copy;
	double seconds;
	uint64_t access[AC__COUNT], access_copy[AC__COUNT];
	uint64_t root_copy; /* copy-phase path-based calls on exactly the SRC/DST operand */
	uint64_t dio[FDK__COUNT], dio_copy_regular, dio_copy_other;
	uint64_t meta_fd, meta_path; /* copy phase */
	uint64_t pairs_as_check, pairs_as_use;
	enum special spc;
	int dio_in, dio_out; /* data fd args, -1 if none */
	bool is_stat, is_open, is_meta_set, is_write, needs_args, fd_meta, ready;
	bool is_utimensat, is_symlink, is_rename, is_creat;
	int want_args; /* leading arguments the analysis reads (split only those) */
};

struct file_acc {
	uint64_t syscalls, path_based, fd_based, cwd_relative, statx, opens, direct_io;
	int32_t merged_into; /* pending entry renamed onto a dataset file, else -1 */
	uint32_t path;
};

struct ring {
	int pid, fd;
	long long entries; /* -1: setup not in the trace */
	char flags[160];
	bool sqpoll;
	uint64_t enter, submit, wait, sqes, batch_max;
};

struct pair {
	uint32_t check, use; /* name ids */
	uint32_t path;
	unsigned long check_line, use_line;
	int pid, check_pid;
	bool path_named;               /* a side was path_based or cwd_relative */
	uint32_t check_file, use_file; /* trace files (strace -ff writes one per pid) */
};

struct check_rec {
	unsigned long line; /* 0 = none */
	uint32_t name;
	uint32_t file;
	int pid;
	bool path_named;
};

struct intset {
	uint64_t *v; /* key + 1, 0 = empty */
	size_t n, cap;
};

struct evctx;

struct ino_file {
	unsigned long long ino;
	int32_t file;
};

struct stats {
	struct stats_config cfg;
	char src_root[PATH_BUF], dst_root[PATH_BUF];
	bool have_roots;
	char **operands; /* normalized cfg->operands */
	size_t n_operands;
	struct strpool *names, *paths;
	struct sc_acc *accs;
	size_t naccs;
	struct fd_tables *fdt;

	/* per path id */
	int32_t *path_file; /* file_acc index, -1 */
	struct check_rec *checks;
	uint8_t *path_flags;
	size_t path_cap;

	struct file_acc *files;
	size_t nfiles, files_cap; /* first cfg.n_files are the dataset */

	struct ring *rings;
	size_t nrings, rings_cap;
	uint64_t hist[5];
	uint64_t submit_failed;
	json_t *uring_errors;
	struct intset uring_pids, pair_triples;

	struct pair *pairs;
	size_t npairs;
	uint64_t pair_count, pair_count_path;

	/* phase */
	bool anchor_found;
	char anchor_name[64];
	char anchor_path[PATH_BUF];
	unsigned long anchor_line;
	int anchor_pid;

	struct stats_figures fig;
	uint64_t ut_fd_null, ut_dirfd, ut_path; /* utimensat forms, copy phase */
	uint64_t meta_fd_all, meta_path_all;
	struct ino_file *inos; /* destination inodes of the dataset files, sorted */
	size_t ninos;
	struct evctx *ctx; /* per-event scratch, allocated once */
	uint32_t *row_name;   /* syscall table row -> names-pool id, STRPOOL_NONE */
	struct name_slot {    /* direct-mapped cache: name -> names-pool id */
		uint64_t w0, w1; /* its first 16 bytes, zero padded */
		uint32_t len, id; /* len 0: empty slot */
	} name_cache[256];
	int nrows;
	const struct sc_info *rows;
	int last_pid;        /* fdt_for_pid cache: valid until a clone or exit */
	struct fd_table *last_tab;
	bool last_tab_valid;
	const char *last_file;
	uint32_t last_file_id;
	bool oom;
};

struct ref {
	uint32_t path; /* resolved path id (interned lazily), STRPOOL_NONE */
	char *str;     /* resolved path text ("" if unknown) */
	enum access_class cls;
	bool named;       /* a path string named the target (TOCTOU-relevant) */
	bool raw_startup; /* path string is a loader/libc path */
};

struct evctx {
	struct stats *s;
	const struct sp_event *ev;
	struct sc_acc *acc;
	struct fd_table *tab;
	struct sp_arg args[MAX_ARGS];
	int nargs;
	struct ref refs[MAX_REFS];
	int nrefs;
	char bufs[MAX_REFS][PATH_BUF];
	enum access_class cls; /* of the call */
	bool classified;
	int dio_kind;
	uint32_t name_id;
};

enum { PF_CREATED = 1 };

/* --- small containers --------------------------------------------------- */

static bool intset_add(struct intset *s, uint64_t key, bool *oom)
{
	if ((s->n + 1) * 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		uint64_t *v = calloc(cap, sizeof(*v));
		if (!v) {
			*oom = true;
			return false;
		}
		for (size_t i = 0; i < s->cap; i++) {
			if (!s->v[i])
				continue;
			size_t j = (s->v[i] * 0x9E3779B97F4A7C15ull) >> 40 & (cap - 1);
			while (v[j])
				j = (j + 1) & (cap - 1);
			v[j] = s->v[i];
		}
		free(s->v);
		s->v = v;
		s->cap = cap;
	}
	uint64_t k = key + 1;
	size_t j = (k * 0x9E3779B97F4A7C15ull) >> 40 & (s->cap - 1);
	while (s->v[j]) {
		if (s->v[j] == k)
			return false;
		j = (j + 1) & (s->cap - 1);
	}
	s->v[j] = k;
	s->n++;
	return true;
}

static int grow_paths(struct stats *s, uint32_t id)
{
	if (id < s->path_cap)
		return 0;
	size_t cap = s->path_cap ? s->path_cap : 1024;
	while (cap <= id)
		cap *= 2;
	int32_t *pf = realloc(s->path_file, cap * sizeof(*pf));
	if (!pf)
		return -1;
	s->path_file = pf;
	struct check_rec *cr = realloc(s->checks, cap * sizeof(*cr));
	if (!cr)
		return -1;
	s->checks = cr;
	uint8_t *fl = realloc(s->path_flags, cap);
	if (!fl)
		return -1;
	s->path_flags = fl;
	for (size_t i = s->path_cap; i < cap; i++) {
		pf[i] = -1;
		cr[i] = (struct check_rec){0};
		fl[i] = 0;
	}
	s->path_cap = cap;
	return 0;
}

static uint32_t intern_path(struct stats *s, const char *p, size_t len)
{
	uint32_t id = strpool_intern(s->paths, p, len);
	if (id == STRPOOL_NONE || grow_paths(s, id) < 0) {
		s->oom = true;
		return STRPOOL_NONE;
	}
	return id;
}

static int32_t new_file_acc(struct stats *s, uint32_t path)
{
	if (s->nfiles == s->files_cap) {
		size_t cap = s->files_cap ? s->files_cap * 2 : 64;
		struct file_acc *f = realloc(s->files, cap * sizeof(*f));
		if (!f) {
			s->oom = true;
			return -1;
		}
		s->files = f;
		s->files_cap = cap;
	}
	s->files[s->nfiles] = (struct file_acc){.merged_into = -1, .path = path};
	return (int32_t)s->nfiles++;
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
	uint32_t id = intern_path(s, buf, len);
	if (id != STRPOOL_NONE && s->path_file[id] < 0)
		s->path_file[id] = idx;
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
	s->inos = calloc(s->cfg.n_files, sizeof(*s->inos));
	if (!s->inos)
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
			s->inos[s->ninos++] =
			    (struct ino_file){(unsigned long long)st.st_ino, (int32_t)i};
	}
	qsort(s->inos, s->ninos, sizeof(*s->inos), cmp_ino);
	return 0;
}

/* ".../#12345" (an O_TMPFILE not linked yet) -> the dataset file with that
 * destination inode, or -1. */
static int32_t tmpfile_inode_file(const struct stats *s, const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!s->ninos || !slash || slash[1] != '#' || slash[2] < '0' || slash[2] > '9')
		return -1;
	char *end;
	unsigned long long ino = strtoull(slash + 2, &end, 10);
	if (*end && *end != ' ' && *end != '(')
		return -1;
	struct ino_file key = {ino, 0};
	const struct ino_file *hit = bsearch(&key, s->inos, s->ninos, sizeof(*s->inos), cmp_ino);
	return hit ? hit->file : -1;
}

struct stats *stats_new(const struct stats_config *cfg, char *err, size_t errlen)
{
	struct stats *s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->cfg = *cfg;
	if (!s->cfg.max_pairs)
		s->cfg.max_pairs = 100;
	if (s->cfg.outlier_factor <= 0)
		s->cfg.outlier_factor = 2;
	if (!s->cfg.outlier_max)
		s->cfg.outlier_max = 10;
	s->names = strpool_new();
	s->paths = strpool_new();
	s->fdt = fdt_new();
	s->uring_errors = json_object();
	s->pairs = calloc(s->cfg.max_pairs, sizeof(*s->pairs));
	s->ctx = malloc(sizeof(*s->ctx));
	s->rows = sc_all(&s->nrows);
	s->row_name = malloc(((size_t)s->nrows + 1) * sizeof(*s->row_name));
	if (!s->names || !s->paths || !s->fdt || !s->uring_errors || !s->pairs || !s->ctx ||
	    !s->row_name)
		goto oom;
	for (int i = 0; i <= s->nrows; i++)
		s->row_name[i] = STRPOOL_NONE;
	if (cfg->src_root && *cfg->src_root)
		path_normalize(cfg->src_root, strlen(cfg->src_root), s->src_root,
		               sizeof(s->src_root));
	if (cfg->dst_root && *cfg->dst_root)
		path_normalize(cfg->dst_root, strlen(cfg->dst_root), s->dst_root,
		               sizeof(s->dst_root));
	s->have_roots = s->src_root[0] || s->dst_root[0];
	if (cfg->n_operands) {
		s->operands = calloc(cfg->n_operands, sizeof(*s->operands));
		if (!s->operands)
			goto oom;
		for (size_t i = 0; i < cfg->n_operands; i++) {
			char buf[PATH_BUF];
			const char *o = cfg->operands[i] ? cfg->operands[i] : "";
			if (o[0] != '/' || !path_normalize(o, strlen(o), buf, sizeof(buf)))
				continue;
			if (!(s->operands[s->n_operands] = strdup(buf)))
				goto oom;
			s->n_operands++;
		}
	}
	const char *base = strrchr(s->src_root, '/');
	base = base ? base + 1 : s->src_root;
	for (size_t i = 0; i < cfg->n_files; i++) {
		const char *rel = cfg->files[i] ? cfg->files[i] : "";
		char buf[PATH_BUF];
		size_t len = path_normalize(rel, strlen(rel), buf, sizeof(buf));
		uint32_t id = intern_path(s, buf, len);
		int32_t idx = new_file_acc(s, id);
		if (idx < 0 || id == STRPOOL_NONE)
			goto oom;
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
		goto oom;
	if (index_dst_inodes(s, base) < 0)
		goto oom;
	return s;
oom:
	snprintf(err, errlen, "out of memory setting up the analysis");
	stats_free(s);
	return NULL;
}

void stats_free(struct stats *s)
{
	if (!s)
		return;
	strpool_free(s->names);
	strpool_free(s->paths);
	fdt_free(s->fdt);
	free(s->accs);
	free(s->path_file);
	free(s->checks);
	free(s->path_flags);
	free(s->files);
	free(s->rings);
	free(s->pairs);
	free(s->ctx);
	free(s->row_name);
	free(s->inos);
	free(s->uring_pids.v);
	free(s->pair_triples.v);
	json_decref(s->uring_errors);
	for (size_t i = 0; i < s->n_operands; i++)
		free(s->operands[i]);
	free(s->operands);
	free(s);
}

/* --- per-syscall accumulator -------------------------------------------- */

static int max_int(int a, int b) { return a > b ? a : b; }

/* How many leading arguments the analysis of ACC reads: every index used
 * by add_path_ref, add_fd_ref, on_fd_result, on_fd_pair, on_uring and the
 * close/close_range/mknod cases below, plus one. */
static int wanted_args(const struct sc_acc *acc)
{
	const struct sc_info *in = acc->info;
	int m = -1;
	if (in) {
		m = max_int(m, max_int(in->path_arg, in->dirfd_arg));
		m = max_int(m, max_int(in->path2_arg, in->dirfd2_arg));
		m = max_int(m, in->fd_arg);
		/* open flags, mknod mode. The AT_ flags argument is not split:
		 * classify_access gives the same class with or without
		 * AT_EMPTY_PATH, so add_path_ref reads it only when it is there. */
		if (in->path_arg != SC_NO_ARG && (acc->spc == SPC_OPEN || acc->spc == SPC_MKNOD))
			m = max_int(m, in->path_arg + 1);
	}
	m = max_int(m, max_int(acc->dio_in, acc->dio_out));
	static const int spc_max[] = {
	    [SPC_DUP] = 2,           [SPC_FCNTL] = 1,         [SPC_CLOSE] = 0,
	    [SPC_CLOSE_RANGE] = 2,   [SPC_PIPE] = 1,          [SPC_SOCKETPAIR] = 4,
	    [SPC_SOCKET] = 3,        [SPC_EVENTFD] = 1,       [SPC_URING_SETUP] = 1,
	    [SPC_URING_ENTER] = 1,   [SPC_URING_REGISTER] = 1,
	};
	if ((size_t)acc->spc < sizeof(spc_max) / sizeof(spc_max[0]))
		m = max_int(m, spc_max[acc->spc]);
	m++;
	return m < 1 ? 1 : m > MAX_ARGS ? MAX_ARGS : m;
}

/* The names-pool id of NAME: through the syscall table's row, so a known
 * name is hashed once per event by sc_lookup_len and interned only once. */
static uint32_t name_id_lookup(struct stats *s, const char *name, size_t len)
{
	const struct sc_info *row = sc_lookup_len(name, len);
	if (row) {
		size_t r = (size_t)(row - s->rows);
		if (s->row_name[r] == STRPOOL_NONE)
			s->row_name[r] = strpool_intern(s->names, name, len);
		return s->row_name[r];
	}
	return strpool_intern(s->names, name, len);
}

/* name_id_lookup behind a 256-slot cache keyed by the name's first 16
 * bytes and length (names of 16 bytes or less are compared whole here,
 * longer ones are checked against the pool). */
static uint32_t name_id_of(struct stats *s, const char *name, size_t len)
{
	/* Two words that, with the length, determine a name of up to 16
	 * bytes (overlapping loads inside the name: no copy through memory,
	 * which would stall the loads behind it, and no byte past its end). */
	uint64_t w0 = 0, w1 = 0;
	if (len >= 16) {
		memcpy(&w0, name, 8);
		memcpy(&w1, name + 8, 8);
	} else if (len >= 8) {
		memcpy(&w0, name, 8);
		memcpy(&w1, name + len - 8, 8);
	} else if (len >= 4) {
		uint32_t a, b;
		memcpy(&a, name, 4);
		memcpy(&b, name + len - 4, 4);
		w0 = a | (uint64_t)b << 32;
	} else if (len > 0) {
		w0 = (uint64_t)(unsigned char)name[0] | (uint64_t)(unsigned char)name[len / 2] << 8 |
		     (uint64_t)(unsigned char)name[len - 1] << 16;
	}
	uint64_t h = (w0 ^ (w1 * 0x9E3779B97F4A7C15ull) ^ len) * 0x9E3779B97F4A7C15ull;
	struct name_slot *ns = &s->name_cache[h >> 56];
	if (ns->len == len && ns->w0 == w0 && ns->w1 == w1 &&
	    (len <= 16 || memcmp(strpool_str(s->names, ns->id), name, len) == 0))
		return ns->id;
	uint32_t id = name_id_lookup(s, name, len);
	if (id != STRPOOL_NONE && len > 0 && len < UINT32_MAX)
		*ns = (struct name_slot){w0, w1, (uint32_t)len, id};
	return id;
}

static struct sc_acc *acc_for(struct stats *s, const char *name, size_t len, uint32_t *id_out)
{
	uint32_t id = name_id_of(s, name, len);
	if (id == STRPOOL_NONE) {
		s->oom = true;
		return NULL;
	}
	*id_out = id;
	if (id >= s->naccs) {
		size_t n = s->naccs ? s->naccs * 2 : 128;
		while (n <= id)
			n *= 2;
		struct sc_acc *a = realloc(s->accs, n * sizeof(*a));
		if (!a) {
			s->oom = true;
			return NULL;
		}
		memset(a + s->naccs, 0, (n - s->naccs) * sizeof(*a));
		s->accs = a;
		s->naccs = n;
	}
	struct sc_acc *acc = &s->accs[id];
	if (!acc->ready) {
		acc->ready = true;
		acc->info = sc_lookup(name);
		acc->dio_in = acc->dio_out = -1;
		for (size_t i = 0; i < sizeof(special_names) / sizeof(special_names[0]); i++)
			if (strcmp(name, special_names[i].name) == 0)
				acc->spc = special_names[i].spc;
		acc->is_stat = IN_LIST(name, stat_names);
		acc->is_open = acc->spc == SPC_OPEN;
		acc->is_meta_set = IN_LIST(name, meta_set_names);
		acc->is_write = IN_LIST(name, write_names);
		const struct sc_info *in = acc->info;
		if (in && in->data_io) {
			acc->dio_in = in->fd_arg;
			for (size_t i = 0; i < sizeof(two_fd) / sizeof(two_fd[0]); i++)
				if (strcmp(name, two_fd[i].name) == 0) {
					acc->dio_in = two_fd[i].in;
					acc->dio_out = two_fd[i].out;
				}
			if (acc->is_write) {
				acc->dio_out = in->fd_arg;
				acc->dio_in = -1;
			}
		}
		acc->fd_meta = in && in->category == SC_METADATA && in->fd_arg != SC_NO_ARG &&
		               in->path_arg == SC_NO_ARG;
		acc->needs_args = acc->spc != SPC_NONE ||
		                  (in && (in->path_arg != SC_NO_ARG || in->fd_arg != SC_NO_ARG ||
		                          in->dirfd_arg != SC_NO_ARG || in->data_io));
		acc->want_args = wanted_args(acc);
		acc->is_utimensat = strcmp(name, "utimensat") == 0;
		acc->is_symlink = strncmp(name, "symlink", 7) == 0;
		acc->is_rename = strstr(name, "rename") != NULL;
		acc->is_creat = strcmp(name, "creat") == 0;
	}
	return acc;
}

/* --- argument helpers ----------------------------------------------------- */

/* sp_arg_fd, also for the decoration of a file that is unlinked (an
 * O_TMPFILE not linked in yet): "21</dst/#11010027>(deleted)". */
static bool arg_fd(const struct sp_arg *a, int *fd, char *decor, size_t decor_size)
{
	if (sp_arg_fd(a, fd, decor, decor_size))
		return true;
	static const char deleted[] = "(deleted)";
	size_t dl = sizeof(deleted) - 1;
	if (a->len > dl && !memcmp(a->s + a->len - dl, deleted, dl)) {
		struct sp_arg cut = {a->s, a->len - dl};
		return sp_arg_fd(&cut, fd, decor, decor_size);
	}
	return false;
}

static bool arg_number(const struct evctx *c, int i, long long *v)
{
	if (i < 0 || i >= c->nargs || i >= MAX_ARGS)
		return false;
	return sp_arg_number(&c->args[i], v);
}

/* memmem for the short haystacks and needles of flag arguments, without
 * its setup cost: a position is compared whole only when its first and
 * last bytes match (flags all begin with the same "O_", "SOCK_"...). */
static bool contains(const char *h, size_t hl, const char *n, size_t nl)
{
	if (nl == 0)
		return true;
	if (hl < nl)
		return false;
	const char first = n[0], last = n[nl - 1];
	for (size_t i = 0; i + nl <= hl; i++)
		if (h[i] == first && h[i + nl - 1] == last && memcmp(h + i, n, nl) == 0)
			return true;
	return false;
}

static bool arg_contains(const struct evctx *c, int i, const char *needle)
{
	if (i < 0 || i >= c->nargs || i >= MAX_ARGS)
		return false;
	return contains(c->args[i].s, c->args[i].len, needle, strlen(needle));
}

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
				uint32_t id = intern_path(c->s, decor, dl);
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

static void note_cwd(struct evctx *c, const char *decor)
{
	if (!decor || decor[0] != '/')
		return;
	uint32_t cur = fdt_cwd(c->tab);
	if (cur != FD_NO_PATH && strcmp(strpool_str(c->s->paths, cur), decor) == 0)
		return;
	uint32_t id = intern_path(c->s, decor, strlen(decor));
	if (id != STRPOOL_NONE)
		fdt_set_cwd(c->tab, id);
}

/* Whether a reference's resolved text (ref.str) can be read after it is
 * made: by the phase anchor while it is looked for, per-file attribution,
 * the fd/cwd bookkeeping of open, chdir, fchdir and mknod, and, for a path
 * the call names (NAMED), the check-then-use pairs. Otherwise the text is
 * left empty and its copy or normalization is saved. */
static bool ref_text_needed(const struct evctx *c, bool named)
{
	const struct stats *s = c->s;
	if (!s->anchor_found || s->cfg.n_files)
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
static void add_path_ref(struct evctx *c, int pi, int di, int fi)
{
	if (c->nrefs >= MAX_REFS || pi < 0 || pi >= c->nargs || pi >= MAX_ARGS)
		return;
	struct ref *r = &c->refs[c->nrefs];
	char *out = c->bufs[c->nrefs];
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
	*r = (struct ref){.path = STRPOOL_NONE, .str = out, .cls = AC_NONE};
	r->cls = classify_access(dirfd, path, empty_flag);
	out[0] = '\0';
	const char *base = NULL;
	if (dirfd == CL_AT_FDCWD || dirfd == CL_NO_DIRFD) {
		if (decor[0] == '/') {
			c->s->fig.has_fd_paths = true;
			note_cwd(c, decor);
			base = decor;
		} else {
			uint32_t cwd = fdt_cwd(c->tab);
			base = cwd != FD_NO_PATH ? strpool_str(c->s->paths, cwd) : NULL;
		}
	} else {
		base = fd_path(c, dirfd, decor, NULL);
	}
	if (path && *path) {
		r->named = !trunc;
		/* read only by the phase anchor, while it is not found */
		r->raw_startup = !c->s->anchor_found && !c->s->have_roots &&
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

/* --- the event -------------------------------------------------------- */

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
		uint32_t id = path ? intern_path(s, path, strlen(path)) : FD_NO_PATH;
		fdt_open(c->tab, fd, id, k, cloexec);
		if (creat && id != FD_NO_PATH && k == FDK_REGULAR &&
		    !(s->path_flags[id] & PF_CREATED)) {
			s->path_flags[id] |= PF_CREATED;
			s->fig.files_created++;
		}
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

/* io_uring_setup flag bits by name, for the bits strace 6.1 prints as a
 * hex remainder (it knows names only up to IORING_SETUP_CQE32) and for
 * -X raw traces (flags=0x3108). */
static const char *const setup_flag_names[] = {
    "IORING_SETUP_IOPOLL",        "IORING_SETUP_SQPOLL",        "IORING_SETUP_SQ_AFF",
    "IORING_SETUP_CQSIZE",        "IORING_SETUP_CLAMP",         "IORING_SETUP_ATTACH_WQ",
    "IORING_SETUP_R_DISABLED",    "IORING_SETUP_SUBMIT_ALL",    "IORING_SETUP_COOP_TASKRUN",
    "IORING_SETUP_TASKRUN_FLAG",  "IORING_SETUP_SQE128",        "IORING_SETUP_CQE32",
    "IORING_SETUP_SINGLE_ISSUER", "IORING_SETUP_DEFER_TASKRUN", "IORING_SETUP_NO_MMAP",
    "IORING_SETUP_REGISTERED_FD_ONLY", "IORING_SETUP_NO_SQARRAY", "IORING_SETUP_HYBRID_IOPOLL",
};

static void flags_append(char *out, size_t cap, size_t *n, const char *s, size_t len)
{
	size_t sep = *n > 0 ? 1 : 0;
	if (*n + sep + len + 1 > cap)
		return; /* keeps what fits; the names are short */
	if (sep)
		out[(*n)++] = '|';
	memcpy(out + *n, s, len);
	*n += len;
	out[*n] = '\0';
}

void stats_setup_flags(const char *text, size_t len, char *out, size_t cap)
{
	size_t n = 0;
	if (cap == 0)
		return;
	out[0] = '\0';
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *q = memchr(p, '|', (size_t)(end - p));
		if (!q)
			q = end;
		size_t tl = (size_t)(q - p);
		char num[24];
		unsigned long long v = 0;
		char *stop = NULL;
		bool numeric = tl > 0 && tl < sizeof(num) && p[0] >= '0' && p[0] <= '9';
		if (numeric) {
			memcpy(num, p, tl);
			num[tl] = '\0';
			errno = 0;
			v = strtoull(num, &stop, 0);
			numeric = errno == 0 && stop && *stop == '\0';
		}
		if (!numeric) {
			flags_append(out, cap, &n, p, tl);
		} else {
			const size_t known = sizeof(setup_flag_names) / sizeof(setup_flag_names[0]);
			const unsigned long long orig = v;
			for (size_t b = 0; b < known; b++) {
				if (v & (1ull << b)) {
					flags_append(out, cap, &n, setup_flag_names[b],
					             strlen(setup_flag_names[b]));
					v &= ~(1ull << b);
				}
			}
			if (v || orig == 0) { /* bits nobody named, or a plain 0 */
				char rest[24];
				int k = snprintf(rest, sizeof(rest), v ? "%#llx" : "0", v);
				if (k > 0)
					flags_append(out, cap, &n, rest, (size_t)k);
			}
		}
		p = q < end ? q + 1 : end;
	}
}

static struct ring *ring_new(struct stats *s, int pid, int fd)
{
	if (s->nrings == s->rings_cap) {
		size_t cap = s->rings_cap ? s->rings_cap * 2 : 8;
		struct ring *r = realloc(s->rings, cap * sizeof(*r));
		if (!r) {
			s->oom = true;
			return NULL;
		}
		s->rings = r;
		s->rings_cap = cap;
	}
	struct ring *r = &s->rings[s->nrings++];
	*r = (struct ring){.pid = pid, .fd = fd, .entries = -1};
	return r;
}

static int bucket(long long n)
{
	if (n <= 1)
		return 0;
	if (n <= 3)
		return 1;
	if (n <= 7)
		return 2;
	if (n <= 15)
		return 3;
	return 4;
}

static void on_uring(struct evctx *c)
{
	struct stats *s = c->s;
	const struct sp_event *ev = c->ev;
	bool oom = false;
	intset_add(&s->uring_pids, (uint64_t)(unsigned)ev->pid, &oom);
	if (oom)
		s->oom = true;
	if (c->acc->spc == SPC_URING_REGISTER) {
		s->fig.uring_register++;
		return;
	}
	if (c->acc->spc == SPC_URING_SETUP) {
		s->fig.uring_setup++;
		if (ev->result_kind != SP_RES_NUMBER || ev->err_name || ev->result < 0)
			return;
		struct ring *r = ring_new(s, ev->pid, (int)ev->result);
		if (!r)
			return;
		long long entries;
		if (arg_number(c, 0, &entries))
			r->entries = entries;
		if (c->nargs >= 2) {
			const char *p = memmem(c->args[1].s, c->args[1].len, "flags=", 6);
			if (p) {
				p += 6;
				size_t len = 0, max = c->args[1].len - (size_t)(p - c->args[1].s);
				while (len < max && p[len] != ',' && p[len] != '}')
					len++;
				stats_setup_flags(p, len, r->flags, sizeof(r->flags));
			}
		}
		r->sqpoll = strstr(r->flags, "IORING_SETUP_SQPOLL") != NULL;
		if (r->sqpoll)
			s->fig.sqpoll_rings++;
		fdt_open(c->tab, r->fd, FD_NO_PATH, FDK_IO_URING, true);
		fdt_set_ring(c->tab, r->fd, (int32_t)(r - s->rings));
		return;
	}
	/* io_uring_enter(fd, to_submit, min_complete, flags, ...) */
	s->fig.uring_enter++;
	int fd;
	char d[128];
	struct ring *r = NULL;
	if (c->nargs >= 1 && arg_fd(&c->args[0], &fd, d, sizeof(d)) && fd >= 0) {
		const struct fd_info *fi = fdt_get(c->tab, fd);
		if (fi && fi->ring >= 0 && (size_t)fi->ring < s->nrings) {
			r = &s->rings[fi->ring];
		} else {
			r = ring_new(s, ev->pid, fd);
			if (r)
				fdt_set_ring(c->tab, fd, (int32_t)(r - s->rings));
		}
	}
	long long to_submit = 0;
	arg_number(c, 1, &to_submit);
	if (r)
		r->enter++;
	if (ev->err_name) {
		json_t *v = json_object_get(s->uring_errors, ev->err_name);
		json_object_set_new(s->uring_errors, ev->err_name,
		                    json_integer((v ? json_integer_value(v) : 0) + 1));
	}
	if (to_submit > 0) {
		s->fig.submit_calls++;
		if (r)
			r->submit++;
		if (ev->result_kind == SP_RES_NUMBER && !ev->err_name && ev->result >= 1) {
			uint64_t n = (uint64_t)ev->result;
			s->fig.sqes_submitted += n;
			s->hist[bucket(ev->result)]++;
			if (n > s->fig.batch_max)
				s->fig.batch_max = n;
			if (r) {
				r->sqes += n;
				if (n > r->batch_max)
					r->batch_max = n;
			}
		} else {
			s->submit_failed++;
		}
	} else {
		s->fig.wait_calls++;
		if (r)
			r->wait++;
	}
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
		if (id != STRPOOL_NONE && id < s->path_cap && s->path_file[id] >= 0 &&
		    (size_t)s->path_file[id] < s->cfg.n_files)
			return s->path_file[id];
	}
	return -1;
}

static int32_t file_of(struct stats *s, struct ref *r, bool may_create)
{
	if (!r->str[0])
		return -1;
	if (r->path == STRPOOL_NONE)
		r->path = strpool_find(s->paths, r->str, strlen(r->str));
	if (r->path == STRPOOL_NONE || r->path >= s->path_cap || s->path_file[r->path] < 0) {
		if (!may_create || !s->dst_root[0] || !s->cfg.n_files ||
		    !path_under(r->str, s->dst_root))
			return -1;
		if (r->path == STRPOOL_NONE)
			r->path = intern_path(s, r->str, strlen(r->str));
		if (r->path == STRPOOL_NONE)
			return -1;
		int32_t idx = temp_name_file(s, r->str);
		if (idx < 0)
			idx = tmpfile_inode_file(s, r->str);
		if (idx < 0)
			idx = new_file_acc(s, r->path);
		s->path_file[r->path] = idx;
	}
	int32_t idx = s->path_file[r->path];
	while (idx >= 0 && s->files[idx].merged_into >= 0)
		idx = s->files[idx].merged_into;
	return idx;
}

static void merge_file(struct file_acc *dst, const struct file_acc *src)
{
	dst->syscalls += src->syscalls;
	dst->path_based += src->path_based;
	dst->fd_based += src->fd_based;
	dst->cwd_relative += src->cwd_relative;
	dst->statx += src->statx;
	dst->opens += src->opens;
	dst->direct_io += src->direct_io;
}

static void attribute(struct evctx *c)
{
	struct stats *s = c->s;
	if (!s->cfg.n_files)
		return;
	int32_t idx[MAX_REFS];
	int n = 0;
	bool is_rename = c->acc->info && c->acc->info->path2_arg != SC_NO_ARG && c->acc->is_rename;
	for (int i = 0; i < c->nrefs; i++)
		idx[i] = file_of(s, &c->refs[i], true);
	if (is_rename && c->nrefs >= 2 && idx[0] >= 0 && idx[1] >= 0 && idx[0] != idx[1] &&
	    (size_t)idx[1] < s->cfg.n_files && (size_t)idx[0] >= s->cfg.n_files) {
		/* a temporary name renamed into place: its calls belong to the file */
		merge_file(&s->files[idx[1]], &s->files[idx[0]]);
		memset(&s->files[idx[0]], 0, sizeof(s->files[idx[0]]));
		s->files[idx[0]].merged_into = idx[1];
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
		struct file_acc *f = &s->files[idx[i]];
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
		if (c->acc->info && c->acc->info->data_io)
			f->direct_io++;
	}
}

/* The trace file name as a paths-pool id (the parser's string does not
 * outlive it); cached for the common case of one file. */
static uint32_t trace_file_id(struct stats *s, const char *file)
{
	if (!file)
		file = "";
	if (file == s->last_file)
		return s->last_file_id;
	s->last_file = file;
	s->last_file_id = strpool_intern(s->paths, file, strlen(file));
	return s->last_file_id;
}

static void toctou(struct evctx *c)
{
	struct stats *s = c->s;
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
				r->path = intern_path(s, r->str, strlen(r->str));
			if (r->path == STRPOOL_NONE)
				return;
			s->checks[r->path] = (struct check_rec){
			    c->ev->start_line ? c->ev->start_line : 1, name_id,
			    trace_file_id(s, c->ev->file), c->ev->pid, path_named};
			continue;
		}
		if (r->path == STRPOOL_NONE)
			r->path = strpool_find(s->paths, r->str, strlen(r->str));
		if (r->path == STRPOOL_NONE || r->path >= s->path_cap)
			continue;
		struct check_rec *cr = &s->checks[r->path];
		if (!cr->line)
			continue;
		bool pn = path_named || cr->path_named;
		s->pair_count++;
		if (pn)
			s->pair_count_path++;
		if (cr->name < s->naccs)
			s->accs[cr->name].pairs_as_check++;
		c->acc->pairs_as_use++;
		bool oom = false;
		uint64_t key = (uint64_t)r->path << 24 ^ (uint64_t)cr->name << 12 ^ name_id;
		bool fresh = intset_add(&s->pair_triples, key, &oom);
		if (oom)
			s->oom = true;
		if (fresh && s->npairs < s->cfg.max_pairs)
			s->pairs[s->npairs++] = (struct pair){
			    cr->name,   name_id, r->path, cr->line, c->ev->start_line,
			    c->ev->pid, cr->pid, pn,      cr->file, trace_file_id(s, c->ev->file)};
		cr->line = 0; /* a check pairs with the first use after it */
	}
}

/* Every path-based reference of the event names the SRC or DST root itself
 * (or a command-line operand). */
static bool names_only_roots(const struct stats *s, const struct evctx *c)
{
	bool any = false;
	for (int i = 0; i < c->nrefs; i++) {
		const struct ref *r = &c->refs[i];
		if (r->cls != AC_PATH_BASED)
			continue;
		bool hit = r->str[0] && ((s->src_root[0] && strcmp(r->str, s->src_root) == 0) ||
		                         (s->dst_root[0] && strcmp(r->str, s->dst_root) == 0));
		for (size_t k = 0; !hit && r->str[0] && k < s->n_operands; k++)
			hit = strcmp(r->str, s->operands[k]) == 0;
		if (!hit)
			return false;
		any = true;
	}
	return any;
}

static bool ref_under_roots(const struct stats *s, const struct ref *r)
{
	return r->str[0] && ((s->src_root[0] && path_under(r->str, s->src_root)) ||
	                     (s->dst_root[0] && path_under(r->str, s->dst_root)));
}

int stats_event(struct stats *s, const struct sp_event *ev)
{
	s->fig.events++;
	if (ev->kind == SP_EXIT || ev->kind == SP_KILLED) {
		s->last_tab_valid = false;
		fdt_exit(s->fdt, ev->pid);
		return 0;
	}
	if (ev->kind != SP_SYSCALL)
		return 0;
	s->fig.syscalls++;
	if (ev->has_time)
		s->fig.has_time = true;
	if (ev->has_duration)
		s->fig.has_duration = true;
	if (ev->result_decor)
		s->fig.has_fd_paths = true;
	uint32_t name_id;
	struct sc_acc *acc =
	    acc_for(s, ev->name, ev->name_len ? ev->name_len : strlen(ev->name), &name_id);
	if (!acc)
		return -1;
	acc->calls++;
	if (ev->result_kind == SP_RES_NUMBER) {
		acc->returned++;
		if (ev->err_name)
			acc->errors++;
	}
	if (ev->has_duration)
		acc->seconds += ev->duration;

	struct evctx *c = s->ctx;
	c->s = s;
	c->name_id = name_id;
	c->ev = ev;
	c->acc = acc;
	c->nrefs = 0;
	c->nargs = 0;
	c->cls = AC_NONE;
	c->classified = false;
	c->dio_kind = -1;
	if (!s->last_tab_valid || s->last_pid != ev->pid) {
		s->last_tab = fdt_for_pid(s->fdt, ev->pid);
		s->last_pid = ev->pid;
		s->last_tab_valid = s->last_tab != NULL;
	}
	c->tab = s->last_tab;
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

	/* phase anchor */
	if (!s->anchor_found && acc->spc != SPC_EXECVE) {
		for (int i = 0; i < c->nrefs && !s->anchor_found; i++) {
			struct ref *r = &c->refs[i];
			bool hit;
			if (s->have_roots)
				hit = ref_under_roots(s, r);
			else
				hit = r->named && !r->raw_startup &&
				      !classify_is_startup_path(r->str);
			if (hit) {
				s->anchor_found = true;
				snprintf(s->anchor_name, sizeof(s->anchor_name), "%s", ev->name);
				snprintf(s->anchor_path, sizeof(s->anchor_path), "%s", r->str);
				s->anchor_line = ev->start_line;
				s->anchor_pid = ev->pid;
			}
		}
	}
	bool copy = s->anchor_found;
	if (copy) {
		acc->copy++;
		s->fig.copy_syscalls++;
	} else {
		acc->startup++;
		s->fig.startup_syscalls++;
	}
	if (c->classified && c->cls != AC_NONE) {
		acc->access[c->cls]++;
		if (copy) {
			acc->access_copy[c->cls]++;
			if (c->cls == AC_PATH_BASED && (s->have_roots || s->n_operands) &&
			    names_only_roots(s, c)) {
				s->fig.root_path_calls++;
				acc->root_copy++;
			}
			if (acc->is_meta_set) {
				if (c->cls == AC_FD_BASED)
					acc->meta_fd++;
				else
					acc->meta_path++;
			}
			if (acc->is_utimensat && c->nrefs > 0) {
				if (c->cls != AC_FD_BASED)
					s->ut_path++;
				else if (c->refs[0].named)
					s->ut_dirfd++;
				else
					s->ut_fd_null++;
			}
		}
		if (acc->is_meta_set) {
			if (c->cls == AC_FD_BASED)
				s->meta_fd_all++;
			else
				s->meta_path_all++;
		}
	}
	if (c->dio_kind >= 0) {
		acc->dio[c->dio_kind]++;
		if (copy) {
			if (c->dio_kind == FDK_REGULAR)
				acc->dio_copy_regular++;
			else
				acc->dio_copy_other++;
		}
	}

	switch (acc->spc) {
	case SPC_URING_SETUP:
	case SPC_URING_ENTER:
	case SPC_URING_REGISTER:
		on_uring(c);
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
			s->last_tab_valid = false;
			if (fdt_clone(s->fdt, ev->pid, (int)ev->result, share) < 0)
				s->oom = true;
		}
		break;
	case SPC_EXECVE:
		if (ev->result_kind == SP_RES_NUMBER && !ev->err_name && ev->result == 0)
			fdt_exec(c->tab);
		break;
	case SPC_CHDIR:
		if (ev->result_kind == SP_RES_NUMBER && !ev->err_name && c->nrefs > 0 &&
		    c->refs[0].str[0] == '/')
			note_cwd(c, c->refs[0].str);
		break;
	case SPC_FCHDIR:
		if (ev->result_kind == SP_RES_NUMBER && !ev->err_name && c->nrefs > 0 &&
		    c->refs[0].str[0] == '/')
			note_cwd(c, c->refs[0].str);
		break;
	case SPC_MKNOD:
		if (ev->result_kind == SP_RES_NUMBER && !ev->err_name && c->nrefs > 0 &&
		    c->refs[0].str[0] && arg_contains(c, in ? in->path_arg + 1 : -1, "S_IFREG")) {
			uint32_t id = intern_path(s, c->refs[0].str, strlen(c->refs[0].str));
			if (id != STRPOOL_NONE && !(s->path_flags[id] & PF_CREATED)) {
				s->path_flags[id] |= PF_CREATED;
				s->fig.files_created++;
			}
		}
		break;
	default:
		on_fd_result(c);
		break;
	}
	attribute(c);
	toctou(c);
	return s->oom ? -1 : 0;
}

/* --- results ---------------------------------------------------------------- */

void stats_figures(const struct stats *s, struct stats_figures *f)
{
	*f = s->fig;
	bool copy = s->anchor_found;
	f->path_based = f->fd_based = f->cwd_relative = 0;
	f->stat_calls = f->open_calls = f->legacy_calls = 0;
	f->data_calls_regular = f->data_calls_other = 0;
	for (size_t i = 0; i < s->naccs; i++) {
		const struct sc_acc *a = &s->accs[i];
		if (!a->calls)
			continue;
		const uint64_t *acc = copy ? a->access_copy : a->access;
		f->path_based += acc[AC_PATH_BASED];
		f->fd_based += acc[AC_FD_BASED];
		f->cwd_relative += acc[AC_CWD_RELATIVE];
		uint64_t n = copy ? a->copy : a->calls;
		if (a->is_stat)
			f->stat_calls += n;
		if (a->is_open)
			f->open_calls += n;
		if (a->info && a->info->legacy)
			f->legacy_calls += n;
		if (copy) {
			f->data_calls_regular += a->dio_copy_regular;
			f->data_calls_other += a->dio_copy_other;
		} else {
			f->data_calls_regular += a->dio[FDK_REGULAR];
			for (int k = 0; k < FDK__COUNT; k++)
				if (k != FDK_REGULAR)
					f->data_calls_other += a->dio[k];
		}
	}
	f->meta_fd = copy ? 0 : s->meta_fd_all;
	f->meta_path = copy ? 0 : s->meta_path_all;
	if (copy)
		for (size_t i = 0; i < s->naccs; i++) {
			f->meta_fd += s->accs[i].meta_fd;
			f->meta_path += s->accs[i].meta_path;
		}
	f->rings = s->nrings;
	f->uring_threads = s->uring_pids.n;
	f->pairs = s->pair_count;
	f->pairs_path = s->pair_count_path;
	f->pairs_unique = s->pair_triples.n;
}

static json_t *num_or_null(bool known, double v)
{
	return known ? json_real(round(v * 1000.0) / 1000.0) : json_null();
}

struct name_count {
	const char *name;
	uint64_t n;
};

static int cmp_nc(const void *a, const void *b)
{
	const struct name_count *x = a, *y = b;
	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->name, y->name);
}

/* Names with a non-zero figure, sorted by it. */
static size_t collect(const struct stats *s, struct name_count *out,
                      uint64_t (*get)(const struct sc_acc *))
{
	size_t n = 0;
	for (size_t i = 0; i < s->naccs && i < strpool_count(s->names); i++) {
		uint64_t v = get(&s->accs[i]);
		if (v)
			out[n++] = (struct name_count){strpool_str(s->names, (uint32_t)i), v};
	}
	qsort(out, n, sizeof(*out), cmp_nc);
	return n;
}

static uint64_t get_calls(const struct sc_acc *a) { return a->calls; }
static uint64_t get_startup(const struct sc_acc *a) { return a->startup; }
static uint64_t get_access(const struct sc_acc *a)
{
	return a->access[0] + a->access[1] + a->access[2];
}
static uint64_t get_path_copy(const struct sc_acc *a)
{
	/* as the check counts: without the calls on the SRC/DST operands */
	return a->access_copy[AC_PATH_BASED] - a->root_copy + a->access_copy[AC_CWD_RELATIVE];
}
static uint64_t get_path_all(const struct sc_acc *a)
{
	return a->access[AC_PATH_BASED] + a->access[AC_CWD_RELATIVE];
}
static uint64_t get_stat(const struct sc_acc *a) { return a->is_stat ? a->calls : 0; }
static uint64_t get_open(const struct sc_acc *a) { return a->is_open ? a->calls : 0; }
static uint64_t get_data(const struct sc_acc *a) { return a->dio[FDK_REGULAR]; }
static uint64_t get_dio_any(const struct sc_acc *a)
{
	uint64_t n = 0;
	for (int k = 0; k < FDK__COUNT; k++)
		n += a->dio[k];
	return n;
}
static uint64_t get_legacy(const struct sc_acc *a)
{
	return a->info && a->info->legacy ? a->calls : 0;
}
static uint64_t get_meta_path(const struct sc_acc *a)
{
	return a->is_meta_set ? a->access[AC_PATH_BASED] + a->access[AC_CWD_RELATIVE] : 0;
}
static uint64_t get_stat_copy(const struct sc_acc *a) { return a->is_stat ? a->copy : 0; }
static uint64_t get_open_copy(const struct sc_acc *a) { return a->is_open ? a->copy : 0; }
static uint64_t get_data_copy(const struct sc_acc *a) { return a->dio_copy_regular; }
static uint64_t get_legacy_copy(const struct sc_acc *a)
{
	return a->info && a->info->legacy ? a->copy : 0;
}
static uint64_t get_meta_path_copy(const struct sc_acc *a) { return a->meta_path; }
static uint64_t get_pairs(const struct sc_acc *a) { return a->pairs_as_check + a->pairs_as_use; }
static uint64_t get_uring(const struct sc_acc *a)
{
	return a->spc == SPC_URING_ENTER || a->spc == SPC_URING_SETUP ||
	               a->spc == SPC_URING_REGISTER
	           ? a->calls
	           : 0;
}
static uint64_t get_uncategorized(const struct sc_acc *a)
{
	return !a->info || a->info->category == SC_OTHER || a->info->category == SC_UNKNOWN
	           ? a->calls
	           : 0;
}

json_t *stats_calls_for(const struct stats *s, const char *what)
{
	json_t *arr = json_array();
	struct name_count *nc = malloc((s->naccs + 1) * sizeof(*nc));
	if (!arr || !nc) {
		free(nc);
		return arr;
	}
	uint64_t (*get)(const struct sc_acc *) = NULL;
	bool copy = s->anchor_found;
	/* the copy phase when there is one, as the checks count */
	if (!strcmp(what, "path_based"))
		get = copy ? get_path_copy : get_path_all;
	else if (!strcmp(what, "stat"))
		get = copy ? get_stat_copy : get_stat;
	else if (!strcmp(what, "open"))
		get = copy ? get_open_copy : get_open;
	else if (!strcmp(what, "data"))
		get = copy ? get_data_copy : get_data;
	else if (!strcmp(what, "legacy"))
		get = copy ? get_legacy_copy : get_legacy;
	else if (!strcmp(what, "meta_path"))
		get = copy ? get_meta_path_copy : get_meta_path;
	else if (!strcmp(what, "pairs"))
		get = get_pairs;
	else if (!strcmp(what, "uring"))
		get = get_uring;
	if (get) {
		size_t n = collect(s, nc, get);
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, json_string(nc[i].name));
	}
	free(nc);
	return arr;
}

static const char *category_of(const struct sc_acc *a)
{
	return sc_category_name(a->info ? a->info->category : SC_UNKNOWN);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int add_files(const struct stats *s, json_t *model)
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
		const struct file_acc *f = &s->files[i];
		json_array_append_new(
		    files,
		    json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "path",
		              s->cfg.files[i] ? s->cfg.files[i] : "", "syscalls",
		              (json_int_t)f->syscalls, "path_based", (json_int_t)f->path_based,
		              "fd_based", (json_int_t)f->fd_based, "cwd_relative",
		              (json_int_t)f->cwd_relative, "statx", (json_int_t)f->statx, "opens",
		              (json_int_t)f->opens, "direct_io", (json_int_t)f->direct_io));
		v[i] = f->syscalls;
		if (f->syscalls)
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
				if ((double)s->files[i].syscalls > limit)
					nc[k++] = (struct name_count){
					    s->cfg.files[i] ? s->cfg.files[i] : "",
					    s->files[i].syscalls};
			qsort(nc, k, sizeof(*nc), cmp_nc);
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
		        "the rename; a call naming a file twice counts once"));
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

static const char *const bucket_names[5] = {"1", "2-3", "4-7", "8-15", "16+"};

static json_t *uring_json(const struct stats *s)
{
	const struct stats_figures *f = &s->fig;
	json_t *u = json_object();
	json_object_set_new(u, "setup", json_integer((json_int_t)f->uring_setup));
	json_object_set_new(u, "enter", json_integer((json_int_t)f->uring_enter));
	json_object_set_new(u, "register", json_integer((json_int_t)f->uring_register));
	json_object_set_new(u, "submit_calls", json_integer((json_int_t)f->submit_calls));
	json_object_set_new(u, "wait_calls", json_integer((json_int_t)f->wait_calls));
	json_object_set_new(u, "sqes_submitted", json_integer((json_int_t)f->sqes_submitted));
	json_object_set_new(u, "submit_failed", json_integer((json_int_t)s->submit_failed));
	json_object_set_new(
	    u, "batch_avg",
	    num_or_null(f->submit_calls > 0, (double)f->sqes_submitted /
	                                         (double)(f->submit_calls ? f->submit_calls : 1)));
	json_object_set_new(u, "batch_max",
	                    f->submit_calls ? json_integer((json_int_t)f->batch_max) : json_null());
	json_t *h = json_object(), *hl = json_array();
	uint64_t total = 0;
	for (int i = 0; i < 5; i++)
		total += s->hist[i];
	for (int i = 0; i < 5; i++) {
		json_object_set_new(h, bucket_names[i], json_integer((json_int_t)s->hist[i]));
		json_array_append_new(
		    hl,
		    json_pack(
		        "{s:s,s:I,s:o}", "bucket", bucket_names[i], "count", (json_int_t)s->hist[i],
		        "percent",
		        json_real(total ? round(1000.0 * (double)s->hist[i] / (double)total) / 10.0
		                        : 0.0)));
	}
	json_object_set_new(u, "batch_histogram", h);
	json_object_set_new(u, "batch_histogram_list", hl);
	json_object_set_new(u, "errors", json_deep_copy(s->uring_errors));
	json_object_set_new(u, "sqpoll_rings", json_integer((json_int_t)f->sqpoll_rings));
	json_object_set_new(u, "threads", json_integer((json_int_t)s->uring_pids.n));
	json_t *rings = json_array();
	for (size_t i = 0; i < s->nrings; i++) {
		const struct ring *r = &s->rings[i];
		json_array_append_new(
		    rings,
		    json_pack("{s:i,s:i,s:o,s:o,s:b,s:I,s:I,s:I,s:I,s:o,s:o}", "pid", r->pid, "fd",
		              r->fd, "entries",
		              r->entries >= 0 ? json_integer(r->entries) : json_null(), "flags",
		              r->entries >= 0 ? json_string(r->flags) : json_null(), "sqpoll",
		              r->sqpoll, "enter", (json_int_t)r->enter, "submit_calls",
		              (json_int_t)r->submit, "wait_calls", (json_int_t)r->wait,
		              "sqes_submitted", (json_int_t)r->sqes, "batch_avg",
		              num_or_null(r->submit > 0,
		                          (double)r->sqes / (double)(r->submit ? r->submit : 1)),
		              "batch_max",
		              r->submit ? json_integer((json_int_t)r->batch_max) : json_null()));
	}
	json_object_set_new(u, "rings", rings);
	json_object_set_new(
	    u, "rule",
	    json_string("io_uring_enter(fd, to_submit, min_complete, flags, ...): a call with "
	                "to_submit > 0 is a submitting call and its result is the number of SQEs "
	                "submitted (a submitting call that failed, returned 0 or never returned "
	                "counts as a call with 0 SQEs, listed as submit_failed and left out "
	                "of the histogram); to_submit == 0 is a "
	                "wait-only call and never a batch. batch_avg = sqes_submitted / "
	                "submit_calls. Rings are told apart by process fd table and fd (from "
	                "io_uring_setup's result); on SQPOLL rings a kernel thread submits, so "
	                "enter counts mean less there."));
	return u;
}

int stats_to_model(const struct stats *s, json_t *model, json_t *legacy_modern)
{
	struct stats_figures f;
	stats_figures(s, &f);
	size_t nn = strpool_count(s->names);
	struct name_count *nc = malloc((nn + 1) * sizeof(*nc));
	if (!nc)
		return -1;

	/* syscalls and their sorted twin */
	json_t *sc = json_object(), *list = json_array();
	size_t n = collect(s, nc, get_calls);
	for (size_t i = 0; i < n; i++) {
		uint32_t id = strpool_find(s->names, nc[i].name, strlen(nc[i].name));
		const struct sc_acc *a = &s->accs[id];
		json_t *o =
		    json_pack("{s:I,s:I,s:I,s:o,s:s,s:I,s:I}", "calls", (json_int_t)a->calls,
		              "returned", (json_int_t)a->returned, "errors", (json_int_t)a->errors,
		              "seconds", json_null(), "category", category_of(a), "startup_calls",
		              (json_int_t)a->startup, "copy_calls", (json_int_t)a->copy);
		/* seconds with microsecond precision */
		json_object_set_new(o, "seconds",
		                    f.has_duration ? json_real(round(a->seconds * 1e6) / 1e6)
		                                   : json_null());
		json_object_set(sc, nc[i].name, o);
		json_t *l = json_deep_copy(o);
		json_object_set_new(l, "name", json_string(nc[i].name));
		json_array_append_new(list, l);
		json_decref(o);
	}
	json_object_set_new(model, "syscalls", sc);
	json_object_set_new(model, "syscall_list", list);

	/* categories */
	json_t *cats = json_array();
	for (int cat = 0; cat < SC__COUNT; cat++) {
		json_t *names = json_array();
		uint64_t total = 0;
		for (size_t i = 0; i < n; i++) {
			uint32_t id = strpool_find(s->names, nc[i].name, strlen(nc[i].name));
			const struct sc_acc *a = &s->accs[id];
			int ac = a->info ? (int)a->info->category : SC_UNKNOWN;
			if (ac != cat)
				continue;
			total += a->calls;
			json_array_append_new(names, json_pack("{s:s,s:I}", "name", nc[i].name,
			                                       "calls", (json_int_t)a->calls));
		}
		if (total)
			json_array_append_new(
			    cats, json_pack("{s:s,s:I,s:o}", "name",
			                    sc_category_name((enum sc_category)cat), "calls",
			                    (json_int_t)total, "syscalls", names));
		else
			json_decref(names);
	}
	/* by calls, descending */
	size_t ncat = json_array_size(cats);
	for (size_t i = 1; i < ncat; i++)
		for (size_t j = i; j > 0; j--) {
			json_int_t a = json_integer_value(
			    json_object_get(json_array_get(cats, j - 1), "calls"));
			json_int_t b =
			    json_integer_value(json_object_get(json_array_get(cats, j), "calls"));
			if (a >= b)
				break;
			json_t *x = json_incref(json_array_get(cats, j - 1));
			json_array_set(cats, j - 1, json_array_get(cats, j));
			json_array_set_new(cats, j, x);
		}
	json_object_set_new(model, "categories", cats);

	/* phases */
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
	                    s->anchor_found ? json_sprintf("%s(%s)", s->anchor_name, s->anchor_path)
	                                    : json_null());
	json_object_set_new(ph, "anchor_line",
	                    s->anchor_found ? json_integer((json_int_t)s->anchor_line)
	                                    : json_null());
	json_object_set_new(ph, "anchor_syscall",
	                    s->anchor_found ? json_string(s->anchor_name) : json_null());
	json_object_set_new(ph, "anchor_path",
	                    s->anchor_found ? json_string(s->anchor_path) : json_null());
	json_object_set_new(ph, "anchor_pid",
	                    s->anchor_found ? json_integer(s->anchor_pid) : json_null());
	json_t *st = json_object(), *stl = json_array();
	size_t ns = collect(s, nc, get_startup);
	for (size_t i = 0; i < ns; i++)
		json_array_append_new(
		    stl, json_pack("{s:s,s:I}", "name", nc[i].name, "calls", (json_int_t)nc[i].n));
	uint64_t startup = s->anchor_found ? f.startup_syscalls : 0;
	uint64_t copyn = s->anchor_found ? f.copy_syscalls : f.syscalls;
	json_object_set_new(st, "syscalls", json_integer((json_int_t)startup));
	json_object_set_new(st, "list", s->anchor_found ? stl : (json_decref(stl), json_array()));
	json_object_set_new(ph, "startup", st);
	json_object_set_new(ph, "copy", json_pack("{s:I}", "syscalls", (json_int_t)copyn));
	json_object_set_new(model, "phases", ph);

	json_object_set_new(model, "io_uring", uring_json(s));

	/* access */
	json_t *acc = json_object(), *accl = json_array();
	size_t na = collect(s, nc, get_access);
	for (size_t i = 0; i < na; i++) {
		uint32_t id = strpool_find(s->names, nc[i].name, strlen(nc[i].name));
		const struct sc_acc *a = &s->accs[id];
		json_t *o = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "path_based",
		                      (json_int_t)a->access[AC_PATH_BASED], "fd_based",
		                      (json_int_t)a->access[AC_FD_BASED], "cwd_relative",
		                      (json_int_t)a->access[AC_CWD_RELATIVE], "copy_path_based",
		                      (json_int_t)a->access_copy[AC_PATH_BASED], "copy_fd_based",
		                      (json_int_t)a->access_copy[AC_FD_BASED], "copy_cwd_relative",
		                      (json_int_t)a->access_copy[AC_CWD_RELATIVE], "copy_root_operand",
		                      (json_int_t)a->root_copy);
		json_object_set(acc, nc[i].name, o);
		json_t *l = json_deep_copy(o);
		json_object_set_new(l, "name", json_string(nc[i].name));
		json_object_set_new(l, "total", json_integer((json_int_t)nc[i].n));
		json_array_append_new(accl, l);
		json_decref(o);
	}
	json_object_set_new(model, "access", acc);
	json_object_set_new(model, "access_list", accl);
	json_object_set_new(model, "access_rules", classify_rules_json());

	/* direct I/O */
	json_t *dio = json_object();
	uint64_t dreg = 0, dother = 0, dunknown = 0;
	size_t nd = collect(s, nc, get_dio_any);
	for (size_t i = 0; i < nd; i++) {
		uint32_t id = strpool_find(s->names, nc[i].name, strlen(nc[i].name));
		const struct sc_acc *a = &s->accs[id];
		uint64_t other = a->dio[FDK_OTHER] + a->dio[FDK_DIR] + a->dio[FDK_IO_URING];
		json_object_set_new(
		    dio, nc[i].name,
		    json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "regular",
		              (json_int_t)a->dio[FDK_REGULAR], "pipe", (json_int_t)a->dio[FDK_PIPE],
		              "socket", (json_int_t)a->dio[FDK_SOCKET], "tty",
		              (json_int_t)a->dio[FDK_TTY], "eventfd",
		              (json_int_t)a->dio[FDK_EVENTFD], "other", (json_int_t)other,
		              "unknown", (json_int_t)a->dio[FDK_UNKNOWN]));
		dreg += a->dio[FDK_REGULAR];
		dunknown += a->dio[FDK_UNKNOWN];
		dother += nc[i].n - a->dio[FDK_REGULAR] - a->dio[FDK_UNKNOWN];
	}
	json_object_set_new(model, "direct_io", dio);
	json_object_set_new(model, "direct_io_totals",
	                    json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "data_calls", (json_int_t)dreg,
	                              "other_calls", (json_int_t)dother, "unknown_calls",
	                              (json_int_t)dunknown, "copy_data_calls",
	                              (json_int_t)f.data_calls_regular, "copy_other_calls",
	                              (json_int_t)f.data_calls_other, "bytes_written",
	                              (json_int_t)f.bytes_written_regular));

	/* TOCTOU */
	json_t *tt = json_object(), *pairs = json_array();
	for (size_t i = 0; i < s->npairs; i++) {
		const struct pair *p = &s->pairs[i];
		json_array_append_new(pairs, json_pack("{s:s,s:s,s:s,s:I,s:I,s:i,s:i,s:s}", "check",
		                                       strpool_str(s->names, p->check), "use",
		                                       strpool_str(s->names, p->use), "path",
		                                       strpool_str(s->paths, p->path), "check_line",
		                                       (json_int_t)p->check_line, "use_line",
		                                       (json_int_t)p->use_line, "pid", p->pid,
		                                       "check_pid", p->check_pid, "named_by",
		                                       p->path_named ? "path" : "dirfd"));
		json_t *last = json_array_get(pairs, json_array_size(pairs) - 1);
		json_object_set_new(last, "check_file",
		                    json_string(strpool_str(s->paths, p->check_file)));
		json_object_set_new(last, "use_file",
		                    json_string(strpool_str(s->paths, p->use_file)));
	}
	json_object_set_new(tt, "pairs", pairs);
	json_object_set_new(tt, "pair_count", json_integer((json_int_t)s->pair_count));
	json_object_set_new(tt, "pair_count_path", json_integer((json_int_t)s->pair_count_path));
	json_object_set_new(tt, "pair_count_dirfd",
	                    json_integer((json_int_t)(s->pair_count - s->pair_count_path)));
	json_object_set_new(tt, "unique_pairs", json_integer((json_int_t)s->pair_triples.n));
	json_object_set_new(tt, "listed", json_integer((json_int_t)s->npairs));
	json_object_set_new(tt, "path_based_calls", json_integer((json_int_t)f.path_based));
	json_object_set_new(tt, "root_operand_calls", json_integer((json_int_t)f.root_path_calls));
	json_object_set_new(tt, "path_based_scored",
	                    json_integer((json_int_t)(f.path_based - f.root_path_calls)));
	json_object_set_new(tt, "cwd_relative_calls", json_integer((json_int_t)f.cwd_relative));
	json_object_set_new(
	    tt, "rule",
	    json_sprintf("a check (stat, lstat, newfstatat, statx, access, faccessat*, readlink*) "
	                 "on a path followed, anywhere in the traced process tree, by a use "
	                 "(open*, creat, chmod*, chown*, utimensat, truncate, unlink*, rename*, "
	                 "link*, symlink*, mkdir*, rmdir, execve, ...) of the same path string; "
	                 "dirfd + name is resolved to a full path through the fd table. A check "
	                 "pairs with the first use after it. Every pair is counted; the list "
	                 "holds the first %zu distinct (path, check, use) triples.",
	                 s->cfg.max_pairs));
	json_object_set_new(model, "toctou", tt);

	if (add_files(s, model) < 0) {
		free(nc);
		return -1;
	}

	/* metadata */
	json_int_t fchmod_n = 0, fchown_n = 0;
	uint32_t id = strpool_find(s->names, "fchmod", 6);
	if (id != STRPOOL_NONE && id < s->naccs)
		fchmod_n = (json_int_t)(s->anchor_found ? s->accs[id].copy : s->accs[id].calls);
	id = strpool_find(s->names, "fchown", 6);
	if (id != STRPOOL_NONE && id < s->naccs)
		fchown_n = (json_int_t)(s->anchor_found ? s->accs[id].copy : s->accs[id].calls);
	uint64_t mt = f.meta_fd + f.meta_path;
	json_object_set_new(
	    model, "metadata",
	    json_pack("{s:I,s:I,s:I,s:I,s:I,s:o,s:I,s:I,s:s}", "fchmod", fchmod_n, "fchown",
	              fchown_n, "futimens_fd", (json_int_t)s->ut_fd_null, "utimensat_fd",
	              (json_int_t)s->ut_dirfd, "utimensat_path", (json_int_t)s->ut_path,
	              "fd_based_share",
	              num_or_null(mt > 0, (double)f.meta_fd / (double)(mt ? mt : 1)), "fd_calls",
	              (json_int_t)f.meta_fd, "path_calls", (json_int_t)f.meta_path, "rule",
	              "metadata changes in the copy phase (chmod, chown, utime/utimensat, "
	              "xattr set/remove families): fd_based_share = fd-based / all; "
	              "futimens_fd = utimensat(fd, NULL), utimensat_fd = utimensat(dirfd, name), "
	              "utimensat_path = utimensat(AT_FDCWD, path)"));

	/* legacy and uncategorized */
	json_t *leg = json_array();
	size_t nl = collect(s, nc, get_legacy);
	for (size_t i = 0; i < nl; i++) {
		json_t *m = legacy_modern ? json_object_get(legacy_modern, nc[i].name) : NULL;
		uint32_t lid = strpool_find(s->names, nc[i].name, strlen(nc[i].name));
		json_array_append_new(
		    leg, json_pack("{s:s,s:I,s:I,s:s}", "name", nc[i].name, "calls",
		                   (json_int_t)nc[i].n, "copy_calls", (json_int_t)s->accs[lid].copy,
		                   "modern", json_is_string(m) ? json_string_value(m) : ""));
	}
	json_object_set_new(model, "legacy", leg);
	json_t *unc = json_array();
	size_t nu = collect(s, nc, get_uncategorized);
	for (size_t i = 0; i < nu; i++)
		json_array_append_new(
		    unc, json_pack("{s:s,s:I}", "name", nc[i].name, "calls", (json_int_t)nc[i].n));
	json_object_set_new(model, "uncategorized", unc);
	free(nc);
	return 0;
}
