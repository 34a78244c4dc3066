/* arsync-analyze: the command line. Parses options, then one of three
 * modes: run a copier on a dataset under strace (run mode), analyze a
 * recorded trace (--trace), or compare two models (compare). Everything
 * else lives in the modules; this file decides, reports progress and maps
 * failures to exit status 3 with a message that says what to do. */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "analysis.h"
#include "checks.h"
#include "ci_out.h"
#include "classify.h"
#include "compare.h"
#include "dataset.h"
#include "model.h"
#include "report.h"
#include "runner.h"
#include "strace_parse.h"
#include "trend.h"
#include "uring_capture.h"
#include "verify.h"

#define EXIT_ERROR 3
#define DEFAULT_CMD "{bin} -a {src} {dst}"
#define DEFAULT_REPORT "syscall-report.md"
#define DEFAULT_REPEAT 3

static const char usage_text[] =
    "Usage:\n"
    "  arsync-analyze [OPTIONS] BINARY              run BINARY on a generated dataset under "
    "strace\n"
    "  arsync-analyze [OPTIONS] --trace FILE        analyze a recorded `strace -f -o FILE` trace\n"
    "  arsync-analyze compare BASE.json NEW.json    regression report between two --json models\n"
    "  arsync-analyze trend A.json B.json ...       headline figures over several runs, oldest\n"
    "                                               first, with each step past a threshold\n"
    "\n"
    "Run mode: makes a dataset in a private work directory, runs the copier once under\n"
    "`strace " RUNNER_TRACE_FLAGS "` (the command is split into words and executed\n"
    "directly, so the trace holds the copier's syscalls, not a shell's; a --cmd with\n"
    "pipes or redirections runs through /bin/sh -c and the report says so), verifies\n"
    "the copy against the source, runs it once more untraced to time it, and analyzes.\n"
    "The copy is checked for what the command's flags promise: always every entry,\n"
    "its type, file contents byte for byte and symlink targets; with -a also modes and\n"
    "mtimes to the nanosecond (owner and group when root); hardlinks only with -H\n"
    "(rsync -a alone does not keep them; cp -a does). A copier that exits non-zero or\n"
    "makes a wrong copy FAILs. Options may come before or after BINARY. BINARY may be\n"
    "left out when --cmd does not use {bin}: the command's first word is the copier.\n"
    "\n"
    "Options:\n"
    "  --cmd 'TEMPLATE'    how to call the copier (default '" DEFAULT_CMD "'). The\n"
    "                      template is split into words with the shell's quoting rules,\n"
    "                      then {bin} {src} {dst} are replaced inside their words by the\n"
    "                      paths as data: {src}, \"{src}\", '{src}' and --to={dst} all pass\n"
    "                      the path exactly, whatever it holds; no value is ever parsed\n"
    "                      by a shell. A template with pipes, redirections, ';', '&', '$',\n"
    "                      backquotes or globs runs as /bin/sh -c 'TEMPLATE' sh BIN SRC DST\n"
    "                      with the placeholders read as \"$1\" \"$2\" \"$3\"\n"
    "  --files N           random files in the generated dataset (default 5)\n"
    "  --size-mb M         size of each, MiB (default 10)\n"
    "  --dataset DIR       copy DIR into the work directory and use it instead; with\n"
    "                      --trace: the tree the recorded command copied, scanned (not\n"
    "                      copied) for the per-file and per-MiB figures and files[]\n"
    "  --work DIR          where the private work directory is made (default $TMPDIR or /tmp)\n"
    "  --keep              keep the work directory (dataset, copies, trace); its path is printed\n"
    "  -o, --output FILE   Markdown report (default " DEFAULT_REPORT " in the current directory;\n"
    "                      with --trace it is written only when -o is given or neither --json\n"
    "                      nor --html is)\n"
    "  --json FILE         the analysis model as JSON (the source of every figure)\n"
    "  --html FILE         the report as a standalone HTML page\n"
    "  --baseline FILE     compare with an earlier --json model: the model gets a \"baseline\"\n"
    "                      key, the report a comparison section, and the exit status counts\n"
    "                      its regressions as with `compare`\n"
    "  --rules FILE        thresholds (JSON), merged over the built-in rules.json\n"
    "  --templates DIR     report templates from DIR (any missing one: the built-in)\n"
    "  --keep-trace FILE   write the strace output to FILE and keep it (io_uring\n"
    "                      tracepoints, when captured, go to FILE.uring, the whole command\n"
    "                      with SRC and DST, which strace cuts short, to FILE.run.json;\n"
    "                      --trace FILE reads them back)\n"
    "  --fail-on warn|fail exit 1 on WARN (warn) or only 2 on FAIL (fail, the default)\n"
    "  --summary FILE      the short Markdown report for a pull-request comment or a CI\n"
    "                      step summary (under 60,000 characters whatever the dataset);\n"
    "                      with $GITHUB_STEP_SUMMARY set it is also appended there\n"
    "  --annotations github  one ::error:: / ::warning:: line on stdout per FAIL / WARN\n"
    "                      check and per regression against --baseline\n"
    "  --junit FILE        JUnit XML, one testcase per check (WARN fails only with\n"
    "                      --fail-on warn)\n"
    "  --bench-json FILE   headline figures for the GitHub benchmark action: FILE holds\n"
    "                      the smaller-is-better ones, FILE-bigger.json the others\n"
    "  --uring-ops auto|on|off  capture each io_uring request (opcode, dirfds, paths, flags,\n"
    "                      result) with a BPF program on the kernel's io_uring tracepoints\n"
    "                      (needs root and kernel BTF; auto: when possible, else the report\n"
    "                      says why)\n"
    "  --repeat N          copy N times traced and N times untraced, each into a fresh\n"
    "                      destination (default 3): the figures that depend on timing\n"
    "                      (throughput, wall time, io_uring_enter and batch sizes, syscall\n"
    "                      totals) become medians with their spread, and compare tells a\n"
    "                      change from noise with them\n"
    "  --timeout SECONDS   kill a copier run (and everything it started) that takes\n"
    "                      longer: the verdict is FAIL and the report shows where the\n"
    "                      trace stopped (default 600 s plus 1 s per 20 MiB and 5 ms per\n"
    "                      file of the dataset; 0: no limit)\n"
    "  -q, --quiet         no progress lines on stderr\n"
    "  --version           print the version\n"
    "  -h, --help          this help\n"
    "\n"
    "compare takes -o FILE (default: stdout), --json FILE (the comparison as JSON),\n"
    "--fail-on, --templates, --junit FILE and --annotations github. trend takes -o FILE\n"
    "(default: stdout), --html FILE (with a line chart per figure), --json FILE and\n"
    "--templates; a step is what compare would call a regression or an improvement.\n"
    "\n"
    "Exit status: 0 pass (or only findings below --fail-on), 1 WARN with --fail-on warn\n"
    "(compare: a regression), 2 FAIL (compare: a check went to FAIL), 3 usage or runtime error,\n"
    "or interrupted by SIGINT/SIGTERM/SIGHUP: every process it started (the copier's own\n"
    "children too: each run is held in a cgroup where the machine allows, else a process\n"
    "group) is ended within a second and the work directory removed (unless --keep).\n"
    "\n"
    "Examples:\n"
    "  arsync-analyze ./build/arsync\n"
    "  arsync-analyze --cmd 'cp -a {src} {dst}' --json cp.json\n"
    "  arsync-analyze --cmd 'rsync -a {src}/ {dst}' --files 20 --size-mb 1\n"
    "  arsync-analyze ./build/arsync --dataset ~/photos --html report.html --fail-on warn\n"
    "  strace -f -y -tt -T -o t.txt cp -a a b && arsync-analyze --trace t.txt --dataset a\n"
    "  arsync-analyze compare before.json after.json -o regressions.md\n";

enum {
	OPT_CMD = 1000,
	OPT_FILES,
	OPT_SIZE_MB,
	OPT_DATASET,
	OPT_WORK,
	OPT_KEEP,
	OPT_JSON,
	OPT_HTML,
	OPT_BASELINE,
	OPT_RULES,
	OPT_TEMPLATES,
	OPT_KEEP_TRACE,
	OPT_FAIL_ON,
	OPT_URING_OPS,
	OPT_TIMEOUT,
	OPT_REPEAT,
	OPT_SUMMARY,
	OPT_ANNOTATIONS,
	OPT_JUNIT,
	OPT_BENCH_JSON,
	OPT_TRACE,
	OPT_VERSION,
};

struct opts {
	const char *cmd;
	unsigned files, size_mb;
	const char *dataset, *work;
	bool keep;
	const char *output, *json, *html, *baseline, *rules, *templates, *keep_trace, *trace;
	bool fail_on_warn;
	enum uring_mode uring;
	bool quiet;
	double timeout; /* --timeout SECONDS; < 0: not given (scaled default) */
	const char *summary, *junit, *bench_json;
	unsigned repeat; /* --repeat N: copies per kind of run (traced, untimed) */
	bool annotations; /* --annotations github */
	/* Which run-mode-only options were given (compare rejects them). */
	const char *run_only_given;
	char **pos;
	int npos;
};

static bool quiet;

static void progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void progress(const char *fmt, ...)
{
	if (quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	fputs("arsync-analyze: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("arsync-analyze: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputs("\nTry 'arsync-analyze --help' for usage and examples.\n", stderr);
	va_end(ap);
	return EXIT_ERROR;
}

static int runtime_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int runtime_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("arsync-analyze: error: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return EXIT_ERROR;
}

static bool parse_uint(const char *s, unsigned long max, unsigned *out)
{
	if (!*s || *s == '-' || *s == '+')
		return false;
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return false;
	*out = (unsigned)v;
	return true;
}

/* 0 parsed, 1 --help/--version printed (exit 0), EXIT_ERROR usage error. */
static int parse_options(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
	    {"cmd", required_argument, 0, OPT_CMD},
	    {"files", required_argument, 0, OPT_FILES},
	    {"size-mb", required_argument, 0, OPT_SIZE_MB},
	    {"dataset", required_argument, 0, OPT_DATASET},
	    {"work", required_argument, 0, OPT_WORK},
	    {"keep", no_argument, 0, OPT_KEEP},
	    {"output", required_argument, 0, 'o'},
	    {"json", required_argument, 0, OPT_JSON},
	    {"html", required_argument, 0, OPT_HTML},
	    {"baseline", required_argument, 0, OPT_BASELINE},
	    {"rules", required_argument, 0, OPT_RULES},
	    {"templates", required_argument, 0, OPT_TEMPLATES},
	    {"keep-trace", required_argument, 0, OPT_KEEP_TRACE},
	    {"fail-on", required_argument, 0, OPT_FAIL_ON},
	    {"uring-ops", required_argument, 0, OPT_URING_OPS},
	    {"timeout", required_argument, 0, OPT_TIMEOUT},
	    {"repeat", required_argument, 0, OPT_REPEAT},
	    {"summary", required_argument, 0, OPT_SUMMARY},
	    {"annotations", required_argument, 0, OPT_ANNOTATIONS},
	    {"junit", required_argument, 0, OPT_JUNIT},
	    {"bench-json", required_argument, 0, OPT_BENCH_JSON},
	    {"trace", required_argument, 0, OPT_TRACE},
	    {"quiet", no_argument, 0, 'q'},
	    {"version", no_argument, 0, OPT_VERSION},
	    {"help", no_argument, 0, 'h'},
	    {0, 0, 0, 0},
	};
	memset(o, 0, sizeof(*o));
	o->cmd = DEFAULT_CMD;
	o->files = 5;
	o->size_mb = 10;
	o->uring = URING_AUTO;
	o->timeout = -1;
	o->repeat = DEFAULT_REPEAT;
	opterr = 0;
	int c, idx;
	while ((c = getopt_long(argc, argv, ":o:qh", longopts, &idx)) != -1) {
		switch (c) {
		case OPT_CMD:
			o->cmd = optarg;
			o->run_only_given = "--cmd";
			break;
		case OPT_FILES:
			if (!parse_uint(optarg, 1000000, &o->files))
				return usage_error(
				    "--files wants a whole number from 0 to 1000000, not '%s'",
				    optarg);
			o->run_only_given = "--files";
			break;
		case OPT_SIZE_MB:
			if (!parse_uint(optarg, 1048576, &o->size_mb))
				return usage_error("--size-mb wants a whole number of MiB from 0 "
				                   "to 1048576, not '%s'",
				                   optarg);
			o->run_only_given = "--size-mb";
			break;
		case OPT_DATASET: /* run mode: copied and used; --trace: scanned for the basis */
			o->dataset = optarg;
			break;
		case OPT_WORK:
			o->work = optarg;
			o->run_only_given = "--work";
			break;
		case OPT_KEEP:
			o->keep = true;
			o->run_only_given = "--keep";
			break;
		case 'o':
			o->output = optarg;
			break;
		case OPT_JSON:
			o->json = optarg;
			break;
		case OPT_HTML:
			o->html = optarg;
			break;
		case OPT_BASELINE:
			o->baseline = optarg;
			break;
		case OPT_RULES:
			o->rules = optarg;
			break;
		case OPT_TEMPLATES:
			o->templates = optarg;
			break;
		case OPT_KEEP_TRACE:
			o->keep_trace = optarg;
			o->run_only_given = "--keep-trace";
			break;
		case OPT_FAIL_ON:
			if (strcmp(optarg, "warn") == 0)
				o->fail_on_warn = true;
			else if (strcmp(optarg, "fail") == 0)
				o->fail_on_warn = false;
			else
				return usage_error("--fail-on wants 'warn' or 'fail', not '%s'",
				                   optarg);
			break;
		case OPT_URING_OPS:
			if (uring_mode_parse(optarg, &o->uring) != 0)
				return usage_error(
				    "--uring-ops wants 'auto', 'on' or 'off', not '%s'", optarg);
			o->run_only_given = "--uring-ops";
			break;
		case OPT_TIMEOUT: {
			char *end;
			errno = 0;
			double v = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(v >= 0) || v > 1e7)
				return usage_error("--timeout wants a number of seconds from 0 (no "
				                   "limit) to 10000000, not '%s'",
				                   optarg);
			o->timeout = v;
			o->run_only_given = "--timeout";
			break;
		}
		case OPT_REPEAT:
			if (!parse_uint(optarg, 100, &o->repeat) || o->repeat == 0)
				return usage_error("--repeat wants a whole number from 1 to 100, not '%s'",
				                   optarg);
			o->run_only_given = "--repeat";
			break;
		case OPT_SUMMARY:
			o->summary = optarg;
			break;
		case OPT_ANNOTATIONS:
			if (strcmp(optarg, "github") != 0)
				return usage_error("--annotations wants 'github' (GitHub Actions "
				                   "workflow commands), not '%s'",
				                   optarg);
			o->annotations = true;
			break;
		case OPT_JUNIT:
			o->junit = optarg;
			break;
		case OPT_BENCH_JSON:
			o->bench_json = optarg;
			break;
		case OPT_TRACE:
			o->trace = optarg;
			break;
		case 'q':
			o->quiet = true;
			break;
		case OPT_VERSION:
			printf("arsync-analyze %s\n", ARSYNC_VERSION);
			return 1;
		case 'h':
			fputs(usage_text, stdout);
			return 1;
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			if (optopt)
				return usage_error("unknown option '-%c'", optopt);
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	o->pos = argv + optind;
	o->npos = argc - optind;
	return 0;
}

/* ISO 8601 local time with the UTC offset: 2026-11-25T21:04:05+01:00. */
static void iso_date(char *buf, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	char z[8];
	strftime(buf, n, "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(z, sizeof(z), "%z", &tm);
	size_t l = strlen(buf);
	if (strlen(z) == 5)
		snprintf(buf + l, n - l, "%.3s:%.2s", z, z + 3);
}

static bool want_color(void)
{
	const char *nc = getenv("NO_COLOR");
	return isatty(STDOUT_FILENO) && !(nc && *nc);
}

static int write_text(const char *path, const char *text, char *err, size_t errlen)
{
	FILE *f = fopen(path, "we");
	if (!f) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	size_t n = strlen(text);
	bool ok = fwrite(text, 1, n, f) == n;
	if (fclose(f) != 0)
		ok = false;
	if (!ok) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int write_json(const char *path, json_t *j, char *err, size_t errlen)
{
	/* into memory, then one write: json_dump_file calls fwrite per token */
	char *text = json_dumps(j, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
	if (!text) {
		snprintf(err, errlen, "cannot write %s: out of memory formatting the JSON", path);
		return -1;
	}
	int rc = write_text(path, text, err, errlen);
	free(text);
	return rc;
}

/* The flags a recorded trace was made with, from its first lines: "-f -tt
 * -T -y (detected)". NULL when the file cannot be read. */
static char *sniff_trace_flags(const char *path)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return NULL;
	bool pid = false, tt = false, ttt = false, t = false, dur = false, y = false;
	char line[4096];
	for (int i = 0; i < 400 && fgets(line, sizeof(line), f); i++) {
		const char *p = line;
		if (strncmp(p, "[pid", 4) == 0)
			pid = true;
		if (*p >= '0' && *p <= '9') {
			const char *q = p + strspn(p, "0123456789");
			const char *r = q + strspn(q, " ");
			if (r > q && *r >= '0' && *r <= '9') {
				pid = true;
				p = r;
			}
		}
		if (p[0] >= '0' && p[0] <= '9' && p[2] == ':' && p[5] == ':')
			*(p[8] == '.' ? &tt : &t) = true;
		else if (p[0] >= '0' && p[0] <= '9' && p[strspn(p, "0123456789")] == '.' &&
		         strspn(p, "0123456789") >= 9)
			ttt = true;
		line[strcspn(line, "\n")] = '\0';
		size_t l = strlen(line);
		const char *lt = strrchr(line, '<');
		if (l > 2 && line[l - 1] == '>' && lt && lt[1] >= '0' && lt[1] <= '9' &&
		    strspn(lt + 1, "0123456789.") == (size_t)(line + l - 1 - (lt + 1)))
			dur = true;
		if (strstr(line, "</") || strstr(line, "<pipe:") || strstr(line, "<socket:") ||
		    strstr(line, "<anon_inode:"))
			y = true;
	}
	fclose(f);
	char *s;
	if (asprintf(&s, "%s%s%s%s%s(detected from the trace)", pid ? "-f " : "",
	             ttt  ? "-ttt "
	             : tt ? "-tt "
	             : t  ? "-t "
	                  : "",
	             dur ? "-T " : "", y ? "-y " : "",
	             !pid && !tt && !ttt && !t && !dur && !y ? "no -f/-t/-T/-y " : "") < 0)
		return NULL;
	return s;
}

#define MAX_OPERANDS 16

/* The command a recorded trace ran: the argv of its first successful
 * execve, shell-quoted where needed ("cp -a /tmp/src /tmp/dst"), the
 * program path in *BINARY, and its absolute-path arguments in OPS (at most
 * MAX_OPERANDS, *NOPS of them). NULL when the trace shows none (a trace
 * that began after the exec, or -e trace=... without execve). */
static char *traced_command(const char *path, char **binary, char **ops, size_t *nops, char **words,
                            size_t *nwords)
{
	*binary = NULL;
	*nops = 0;
	*nwords = 0;
	struct sp_parser *p = sp_open_path(path);
	if (!p)
		return NULL;
	char *out = NULL;
	struct sp_event ev;
	for (int n = 0; !out && n < 100000 && sp_next(p, &ev) == 1; n++) {
		if (ev.kind != SP_SYSCALL || strcmp(ev.name, "execve") != 0 ||
		    ev.result_kind != SP_RES_NUMBER || ev.result != 0)
			continue;
		struct sp_arg a[3], items[256];
		if (sp_split_args(ev.args, ev.args_len, a, 3) < 2 || a[1].len < 2 ||
		    a[1].s[0] != '[')
			break;
		char buf[4096];
		bool trunc;
		if (sp_arg_string(&a[0], buf, sizeof(buf), &trunc) >= 0)
			*binary = strdup(buf);
		int k = sp_split_args(a[1].s + 1, a[1].len - 2, items, 256);
		size_t len = 0;
		FILE *m = open_memstream(&out, &len);
		if (!m)
			break;
		for (int i = 0; i < k && i < 256; i++) {
			if (sp_arg_string(&items[i], buf, sizeof(buf), &trunc) < 0) {
				/* strace's "..." for argv it did not print */
				fprintf(m, "%s...", i ? " " : "");
				break;
			}
			bool plain =
			    buf[0] &&
			    strspn(buf, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			                "0123456789-_./=:,+@%") == strlen(buf);
			char *q = plain ? NULL : shell_quote(buf);
			fprintf(m, "%s%s%s", i ? " " : "", q ? q : buf, trunc ? "..." : "");
			free(q);
			if (i > 0 && buf[0] == '/' && !trunc && *nops < MAX_OPERANDS &&
			    (ops[*nops] = strdup(buf)) != NULL)
				(*nops)++;
			if (i > 0 && buf[0] && buf[0] != '-' && !trunc && *nwords < MAX_OPERANDS &&
			    (words[*nwords] = strdup(buf)) != NULL)
				(*nwords)++;
		}
		fclose(m);
	}
	sp_free(p);
	return out;
}

/* The traced command's current directory: the first AT_FDCWD</dir>
 * decoration after its execve, in OUT (size OUTSZ); false if none. */
static bool trace_cwd(const char *path, char *out, size_t outsz)
{
	struct sp_parser *p = sp_open_path(path);
	if (!p)
		return false;
	bool found = false, exec = false;
	struct sp_event ev;
	for (int n = 0; !found && n < 100000 && sp_next(p, &ev) == 1; n++) {
		if (ev.kind != SP_SYSCALL || !ev.args)
			continue;
		if (!strcmp(ev.name, "execve") && ev.result_kind == SP_RES_NUMBER && ev.result == 0)
			exec = true;
		if (!exec || !memmem(ev.args, ev.args_len, "AT_FDCWD</", 10))
			continue;
		struct sp_arg a[6];
		int k = sp_split_first_args(ev.args, ev.args_len, a, 6);
		for (int i = 0; i < k && !found; i++) {
			int fd;
			if (a[i].len > 10 && !memcmp(a[i].s, "AT_FDCWD</", 10) &&
			    sp_arg_fd(&a[i], &fd, out, outsz) && out[0] == '/')
				found = true;
		}
	}
	sp_free(p);
	return found;
}

/* --trace --dataset DIR: the roots the traced command saw. SRC is DIR
 * (its real path: -y decorations are real paths); DST is the last word of
 * the command after the one that names DIR (relative words resolved in
 * the traced command's directory), or none when no word names DIR. */
static void trace_roots(const char *trace, const char *dataset, char *const *words, size_t nwords,
                        char *src, char *dst, size_t size)
{
	src[0] = dst[0] = '\0';
	char *real = realpath(dataset, NULL);
	if (!real)
		return;
	snprintf(src, size, "%s", real);
	free(real);
	char cwd[PATH_MAX] = "";
	if (!trace_cwd(trace, cwd, sizeof(cwd)) && !getcwd(cwd, sizeof(cwd)))
		cwd[0] = '\0';
	bool after_src = false;
	for (size_t i = 0; i < nwords; i++) {
		char norm[PATH_MAX];
		if (!path_join(cwd, words[i], norm, sizeof(norm)))
			continue;
		char *r = realpath(norm, NULL);
		bool is_src = !strcmp(norm, src) || (r && !strcmp(r, src));
		free(r);
		if (is_src)
			after_src = true;
		else if (after_src)
			snprintf(dst, size, "%s", norm);
	}
}

/* Is PATH, or the -ff files PATH.<pid>, readable? */
static bool trace_readable(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "re");
	if (f) {
		fclose(f);
		struct stat st;
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "cannot read trace %s: it is a directory", path);
			return false;
		}
		return true;
	}
	int e = errno;
	char *probe;
	if (e == ENOENT && asprintf(&probe, "%s.", path) >= 0) {
		/* strace -ff -o PATH writes PATH.<pid> files. */
		char *dir = strdup(path);
		char *slash = dir ? strrchr(dir, '/') : NULL;
		const char *dname = slash ? (slash == dir ? "/" : (*slash = '\0', dir)) : ".";
		const char *base = strrchr(probe, '/') ? strrchr(probe, '/') + 1 : probe;
		bool found = false;
		DIR *d = opendir(dname);
		if (d) {
			struct dirent *de;
			while ((de = readdir(d)))
				if (strncmp(de->d_name, base, strlen(base)) == 0 &&
				    de->d_name[strlen(base)] >= '0' &&
				    de->d_name[strlen(base)] <= '9')
					found = true;
			closedir(d);
		}
		free(dir);
		free(probe);
		if (found)
			return true;
	}
	snprintf(err, errlen,
	         "cannot read trace %s: %s; record one with `strace -f -y -tt -T -o %s COMMAND`",
	         path, strerror(e), path);
	return false;
}

/* Writes what was asked for (Markdown, JSON, HTML), then the terminal
 * summary. WRITE_MD: whether the Markdown report goes to a file. 0, or
 * EXIT_ERROR after printing why. */
static int emit_outputs(json_t *model, const struct opts *o, bool write_md)
{
	char err[1024] = "";
	const char *md_path = write_md ? (o->output ? o->output : DEFAULT_REPORT) : NULL;
	char *md = NULL;
	if (md_path || o->html) {
		md = report_markdown(model, o->templates, err, sizeof(err));
		if (!md)
			return runtime_error("cannot render the report: %s%s", err,
			                     o->templates ? " (check the templates in --templates)"
			                                  : "");
	}
	int rc = 0;
	if (md_path && write_text(md_path, md, err, sizeof(err)) != 0)
		rc = runtime_error("%s; choose another path with -o", err);
	if (rc == 0 && o->json && write_json(o->json, model, err, sizeof(err)) != 0)
		rc = runtime_error("%s; choose another path with --json", err);
	if (rc == 0 && o->html && report_write_html(md, model, o->html, err, sizeof(err)) != 0)
		rc = runtime_error("cannot write the HTML report %s: %s", o->html, err);
	free(md);
	if (rc == 0 && (o->summary || getenv("GITHUB_STEP_SUMMARY"))) {
		char *sum = report_summary_markdown(model, o->templates, md_path, err, sizeof(err));
		if (!sum)
			rc = runtime_error("cannot render the summary: %s", err);
		else if (o->summary && write_text(o->summary, sum, err, sizeof(err)) != 0)
			rc = runtime_error("%s; choose another path with --summary", err);
		else if (ci_step_summary(sum, err, sizeof(err)) < 0)
			rc = runtime_error("%s", err);
		free(sum);
	}
	if (rc == 0 && o->junit &&
	    ci_junit_model(o->junit, model, o->fail_on_warn, err, sizeof(err)) != 0)
		rc = runtime_error("%s; choose another path with --junit", err);
	if (rc == 0 && o->bench_json) {
		char *bigger = ci_bench_bigger_path(o->bench_json);
		if (!bigger || ci_bench_json(o->bench_json, bigger, model, err, sizeof(err)) != 0)
			rc = runtime_error("%s", bigger ? err : "out of memory");
		free(bigger);
	}
	if (rc != 0)
		return rc;
	if (o->annotations)
		ci_annotations_model(stdout, model);
	report_print_summary(stdout, model, md_path, want_color());
	if (o->json)
		printf("JSON model: %s\n", o->json);
	if (o->html)
		printf("HTML report: %s\n", o->html);
	fflush(stdout);
	return 0;
}

/* Can PATH be written (its directory exists and is writable, and PATH is
 * not a directory)? Checked before the run, so a typo in -o does not cost
 * a whole analysis. */
static int check_writable(const char *path, const char *option)
{
	if (!path)
		return 0;
	struct stat st;
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return runtime_error("%s %s: is a directory; give a file name", option,
			                     path);
		/* An existing file (or /dev/null): it is enough that it can be written. */
		if (access(path, W_OK) != 0)
			return runtime_error("%s %s: cannot write: %s", option, path,
			                     strerror(errno));
		return 0;
	}
	char *copy = strdup(path);
	if (!copy)
		return runtime_error("out of memory");
	char *slash = strrchr(copy, '/');
	const char *dir = slash ? (slash == copy ? "/" : (*slash = '\0', copy)) : ".";
	int rc = 0;
	if (access(dir, W_OK) != 0)
		rc = runtime_error("%s %s: cannot write in %s: %s", option, path, dir,
		                   strerror(errno));
	free(copy);
	return rc;
}

static int check_outputs(const struct opts *o, bool write_md)
{
	int rc = 0;
	if (write_md)
		rc = check_writable(o->output ? o->output : DEFAULT_REPORT, "-o");
	if (!rc)
		rc = check_writable(o->json, "--json");
	if (!rc)
		rc = check_writable(o->html, "--html");
	if (!rc)
		rc = check_writable(o->keep_trace, "--keep-trace");
	if (!rc)
		rc = check_writable(o->summary, "--summary");
	if (!rc)
		rc = check_writable(o->junit, "--junit");
	if (!rc)
		rc = check_writable(o->bench_json, "--bench-json");
	return rc;
}

/* Loads --rules (or the built-in rules) and --baseline before any work,
 * so a typo fails in a second, not after the copy. */
static int load_inputs(const struct opts *o, json_t **rules, json_t **baseline)
{
	char err[1024] = "";
	*baseline = NULL;
	*rules = rules_load(o->rules, err, sizeof(err));
	if (!*rules)
		return runtime_error("cannot load the rules%s%s: %s", o->rules ? " " : "",
		                     o->rules ? o->rules : "", err);
	if (o->baseline) {
		*baseline = compare_load_model(o->baseline, err, sizeof(err));
		if (!*baseline) {
			json_decref(*rules);
			*rules = NULL;
			return runtime_error("--baseline: %s", err);
		}
	}
	return 0;
}

/* Builds the model, adds the baseline comparison, writes the outputs;
 * returns the exit status. */
static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* {samples, median, min, max, spread_percent} of the numbers in SAMPLES. */
static json_t *sample_stats(json_t *samples)
{
	size_t n = 0, i;
	double v[128];
	json_t *x;
	json_array_foreach(samples, i, x)
	{
		if (json_is_number(x) && n < sizeof(v) / sizeof(v[0]))
			v[n++] = json_number_value(x);
	}
	json_t *o = json_pack("{s:O}", "samples", samples);
	if (n == 0)
		return o;
	qsort(v, n, sizeof(double), cmp_double);
	double med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	json_object_set_new(o, "median", json_real(med));
	json_object_set_new(o, "min", json_real(v[0]));
	json_object_set_new(o, "max", json_real(v[n - 1]));
	json_object_set_new(o, "spread_percent",
	                    med != 0 ? json_real(100.0 * (v[n - 1] - v[0]) / fabs(med)) : json_null());
	return o;
}

/* model.repeat: per headline figure, the samples of every run. The traced
 * figures' first sample is MODEL's own; EXTRA holds the headline figures
 * of the other traced runs ("traced": [[...]]) and the untimed runs'
 * "wall_seconds" and "mb_per_s". run.wall_seconds and run.mb_per_s become
 * the medians. */
static void add_repeat(json_t *model, json_t *extra)
{
	json_int_t n = json_integer_value(json_object_get(extra, "n"));
	json_t *figs = json_object(), *deterministic = json_array(), *varied = json_array();
	json_t *head = compare_headline(model);
	json_t *traced = json_object_get(extra, "traced");
	size_t i, j;
	json_t *f;
	json_array_foreach(head, i, f)
	{
		const char *id = json_string_value(json_object_get(f, "id"));
		json_t *samples = json_object_get(extra, id);
		if (samples) {
			json_incref(samples);
		} else {
			samples = json_array();
			json_array_append(samples, json_object_get(f, "value"));
			json_t *other;
			json_array_foreach(traced, j, other)
			{
				json_array_append(samples,
				                  json_object_get(json_array_get(other, i), "value"));
			}
		}
		json_t *st = sample_stats(samples);
		json_decref(samples);
		if (!json_is_true(json_object_get(f, "timing"))) {
			json_array_append_new(deterministic, json_string(id));
			if (json_object_get(st, "min") &&
			    json_real_value(json_object_get(st, "min")) !=
			        json_real_value(json_object_get(st, "max")))
				json_array_append_new(varied, json_string(id));
		}
		json_object_set_new(figs, id, st);
	}
	json_decref(head);
	json_t *run = json_object_get(model, "run");
	json_t *w = json_object_get(json_object_get(figs, "wall_seconds"), "median");
	json_t *m = json_object_get(json_object_get(figs, "mb_per_s"), "median");
	if (run && w && m) {
		json_object_set(run, "wall_seconds", w);
		json_object_set(run, "mb_per_s", m);
	}
	json_object_set_new(
	    model, "repeat",
	    json_pack("{s:I, s:o, s:o, s:o, s:s}", "n", n, "figures", figs, "deterministic",
	              deterministic, "varied", varied, "rule",
	              "each figure that depends on timing is the median of the runs, and compare "
	              "calls its change a regression only past the threshold, when the two runs' "
	              "ranges (min-max) do not overlap and the medians lie further apart than "
	              "twice the wider range"));
}

static int analyze_and_report(struct analysis_input *in, const struct opts *o, json_t *baseline,
                              bool write_md, json_t *repeat)
{
	char err[1024] = "";
	progress("analyzing %s", in->trace_path);
	json_t *model = analysis_build_model(in, err, sizeof(err));
	if (!model)
		return runtime_error("analysis failed: %s", err);
	json_t *tr = json_object_get(model, "trace");
	json_int_t lines = json_integer_value(json_object_get(tr, "lines")),
	           bad = json_integer_value(json_object_get(tr, "malformed_lines")),
	           first = json_integer_value(json_object_get(tr, "first_malformed_line"));
	if (json_integer_value(json_object_get(tr, "syscalls")) == 0) {
		json_decref(model);
		/* nothing to judge: a report of zeros would look like a clean copier */
		if (lines == 0)
			return runtime_error("%s is empty: no syscalls to analyze; record a trace "
			                     "with strace -f -o FILE COMMAND",
			                     in->trace_path);
		return runtime_error("%s has no syscall lines (%lld line(s), %lld unreadable, "
		                     "the first at line %lld): is it the output of strace -f -o "
		                     "FILE?",
		                     in->trace_path, (long long)lines, (long long)bad,
		                     (long long)first);
	}
	if (bad > 0)
		fprintf(stderr,
		        "arsync-analyze: warning: %s: %lld of %lld line(s) could not be read and "
		        "were skipped (the first at line %lld); the figures leave them out\n",
		        in->trace_path, (long long)bad, (long long)lines, (long long)first);
	if (repeat)
		add_repeat(model, repeat);
	int status = analysis_exit_status(model, o->fail_on_warn);
	if (baseline) {
		json_t *entry = compare_baseline_entry(baseline, model, o->baseline);
		int cs = compare_exit_status(json_object_get(entry, "comparison"), o->fail_on_warn);
		if (cs > status)
			status = cs;
		json_object_set_new(model, "baseline", entry);
	}
	int rc = emit_outputs(model, o, write_md);
	json_decref(model);
	return rc ? rc : status;
}

/* 0 when --dataset DIR names a directory, else the error's exit status. */
static int dataset_dir_check(const char *dir)
{
	struct stat st;
	if (stat(dir, &st) != 0)
		return runtime_error("--dataset %s: %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return runtime_error("--dataset %s: not a directory", dir);
	return 0;
}

static int trace_mode(const struct opts *o)
{
	char err[1024] = "";
	if (o->npos > 0)
		return usage_error(
		    "--trace FILE analyzes a recorded trace; do not also give a BINARY ('%s')",
		    o->pos[0]);
	if (o->run_only_given)
		return usage_error("%s applies to run mode only, not to --trace",
		                   o->run_only_given);
	if (!trace_readable(o->trace, err, sizeof(err)))
		return runtime_error("%s", err);
	bool write_md = o->output || (!o->json && !o->html);
	int rc = check_outputs(o, write_md);
	if (rc)
		return rc;
	/* --dataset DIR: the tree the recorded command copied; its files and
	 * bytes are what the per-file and per-MiB figures divide by */
	json_t *dataset = NULL;
	struct dataset_info info = {0};
	if (o->dataset) {
		if ((rc = dataset_dir_check(o->dataset)) != 0)
			return rc;
		if (dataset_scan(o->dataset, &info, err, sizeof(err)) != 0)
			return runtime_error("cannot list --dataset %s: %s", o->dataset, err);
		char *desc = NULL;
		if (asprintf(&desc,
		             "directory %s: the tree the recorded command copied, as it is now "
		             "(scanned for the per-file figures, not copied)",
		             o->dataset) < 0)
			desc = NULL;
		dataset = dataset_describe(&info, "directory", desc, o->dataset, o->dataset);
		free(desc);
	}
	json_t *rules, *baseline;
	rc = load_inputs(o, &rules, &baseline);
	if (rc) {
		json_decref(dataset);
		dataset_info_free(&info);
		return rc;
	}
	char date[64];
	iso_date(date, sizeof(date));
	char *flags = sniff_trace_flags(o->trace);
	char *binary = NULL, *ops[MAX_OPERANDS], *words[MAX_OPERANDS];
	size_t nops = 0, nwords = 0;
	char *command = traced_command(o->trace, &binary, ops, &nops, words, &nwords);
	/* the per-file stage needs the dataset's files and where the command
	 * saw them: SRC and DST as run mode kept them, else from the command */
	char src_root[PATH_MAX] = "", dst_root[PATH_MAX] = "";
	/* strace prints at most 32 bytes of a string: a kept trace's
	 * operands are often cut. Run mode's --keep-trace leaves them whole
	 * in FILE.run.json. */
	char *run_json = NULL;
	if (asprintf(&run_json, "%s.run.json", o->trace) < 0)
		run_json = NULL;
	json_t *kept = run_json && access(run_json, R_OK) == 0
	                   ? json_load_file(run_json, JSON_REJECT_DUPLICATES, NULL)
	                   : NULL;
	const char *ksrc = json_string_value(json_object_get(kept, "src"));
	const char *kdst = json_string_value(json_object_get(kept, "dst"));
	const char *kcmd = json_string_value(json_object_get(kept, "command"));
	if (ksrc && kdst && ksrc[0] == '/' && kdst[0] == '/') {
		for (size_t i = 0; i < nops; i++)
			free(ops[i]);
		nops = 0;
		if ((ops[0] = strdup(ksrc)) && (ops[1] = strdup(kdst)))
			nops = 2;
		else
			free(ops[0]);
		if (kcmd) {
			free(command);
			command = strdup(kcmd);
		}
		progress("the command and its SRC and DST from %s", run_json);
		if (o->dataset) {
			snprintf(src_root, sizeof(src_root), "%s", ksrc);
			snprintf(dst_root, sizeof(dst_root), "%s", kdst);
		}
	} else if (kept) {
		progress("%s has no absolute src and dst: ignored", run_json);
	}
	json_decref(kept);
	free(run_json);
	if (o->dataset && !src_root[0])
		trace_roots(o->trace, o->dataset, words, nwords, src_root, dst_root, PATH_MAX);
	json_t *operands = json_array();
	for (size_t i = 0; i < nops; i++)
		json_array_append_new(operands, json_string(ops[i]));
	json_t *header = json_pack(
	    "{s:s, s:s, s:s?, s:s?, s:n, s:s?, s:s, s:n, s:{s:s, s:s, s:n, s:n, s:n, s:n, s:n, "
	    "s:n}}",
	    "date", date, "mode", "trace", "command", command, "binary", binary, "copier_version",
	    "trace_flags", flags, "trace_path", o->trace, "exec", "dataset", "kind", "none",
	    "description", "recorded trace (--trace): no dataset, no verification, no timing",
	    /* unknown, not zero: the trace does not say what was copied */
	    "files", "dirs", "symlinks", "hardlinks", "bytes", "mib");
	/* named by path without being scored, as the roots are in run mode */
	json_object_set_new(header, "operands", operands);
	if (dataset)
		json_object_set_new(header, "dataset", dataset);
	free(flags);
	free(command);
	free(binary);
	json_t *verification = verify_not_performed("--trace mode: there is no copy to verify");
	/* the tracepoint capture that --keep-trace FILE leaves beside the trace */
	char *uring = NULL;
	if (asprintf(&uring, "%s.uring", o->trace) < 0)
		uring = NULL;
	if (uring && access(uring, R_OK) != 0) {
		free(uring);
		uring = NULL;
	}
	if (uring)
		progress("io_uring tracepoints from %s", uring);
	struct analysis_input in = {
	    .trace_path = o->trace,
	    .src_root = o->dataset && src_root[0] ? src_root : NULL,
	    .dst_root = o->dataset && src_root[0] && dst_root[0] ? dst_root : NULL,
	    .operands = (const char *const *)ops,
	    .n_operands = nops,
	    .dataset_files = o->dataset ? (const char *const *)info.files : NULL,
	    .n_dataset_files = o->dataset ? info.n_files : 0,
	    .uring_events_path = uring,
	    .uring_ops_reason = "--trace mode: no FILE.uring beside the trace (run mode captures "
	                        "the io_uring tracepoints as root and --keep-trace FILE keeps "
	                        "them there)",
	    .rules = rules,
	    .header = header,
	    .verification = verification,
	    .quiet = o->quiet,
	};
	rc = analyze_and_report(&in, o, baseline, write_md, NULL);
	free(uring);
	for (size_t i = 0; i < nops; i++)
		free(ops[i]);
	for (size_t i = 0; i < nwords; i++)
		free(words[i]);
	dataset_info_free(&info);
	json_decref(header);
	json_decref(verification);
	json_decref(rules);
	json_decref(baseline);
	return rc;
}

/* arsync-analyze trend A.json B.json ...: headline figures over the runs. */
static int trend_mode(const struct opts *o)
{
	if (o->npos < 3)
		return usage_error("trend wants two models or more, oldest first: trend A.json "
		                   "B.json [C.json ...]");
	if (o->run_only_given || o->dataset)
		return usage_error("%s does not apply to trend",
		                   o->run_only_given ? o->run_only_given : "--dataset");
	if (o->trace || o->baseline || o->rules || o->summary || o->bench_json || o->junit ||
	    o->annotations)
		return usage_error("trend takes only -o, --html, --json, --templates and -q");
	size_t n = (size_t)o->npos - 1;
	json_t **models = calloc(n, sizeof(json_t *));
	if (!models)
		return runtime_error("out of memory");
	char err[1024] = "";
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		models[i] = compare_load_model(o->pos[i + 1], err, sizeof(err));
		if (!models[i])
			rc = runtime_error("%s", err);
	}
	json_t *t = rc == 0 ? trend_build(models, (const char *const *)o->pos + 1, n) : NULL;
	char *md = t ? trend_markdown(t, o->templates, err, sizeof(err)) : NULL;
	if (rc == 0 && !md)
		rc = runtime_error("cannot render the trend: %s", err);
	if (rc == 0) {
		if (o->output) {
			if (write_text(o->output, md, err, sizeof(err)) != 0)
				rc = runtime_error("%s; choose another path with -o", err);
		} else if (!o->html && !o->json) {
			fputs(md, stdout);
		}
	}
	if (rc == 0 && o->json && write_json(o->json, t, err, sizeof(err)) != 0)
		rc = runtime_error("%s; choose another path with --json", err);
	if (rc == 0 && o->html && report_write_html(md, t, o->html, err, sizeof(err)) != 0)
		rc = runtime_error("cannot write the HTML trend %s: %s", o->html, err);
	if (rc == 0)
		fprintf(o->output || o->html || o->json ? stdout : stderr,
		        "trend: %zu runs, %lld regression step(s), %lld improvement step(s)\n", n,
		        (long long)json_integer_value(json_object_get(t, "regressions")),
		        (long long)json_integer_value(json_object_get(t, "improvements")));
	free(md);
	json_decref(t);
	for (size_t i = 0; i < n; i++)
		json_decref(models[i]);
	free(models);
	return rc;
}

static int compare_mode(const struct opts *o)
{
	if (o->npos != 3)
		return usage_error("compare wants two models: compare BASE.json NEW.json");
	if (o->run_only_given || o->dataset)
		return usage_error("%s does not apply to compare",
		                   o->run_only_given ? o->run_only_given : "--dataset");
	if (o->trace || o->html || o->baseline || o->rules || o->summary || o->bench_json)
		return usage_error("compare takes only -o, --json, --fail-on, --templates, --junit, "
		                   "--annotations and -q");
	char err[1024] = "";
	json_t *base = compare_load_model(o->pos[1], err, sizeof(err));
	if (!base)
		return runtime_error("%s", err);
	json_t *nw = compare_load_model(o->pos[2], err, sizeof(err));
	if (!nw) {
		json_decref(base);
		return runtime_error("%s", err);
	}
	json_t *cmp = compare_models(base, nw, o->pos[1], o->pos[2]);
	json_decref(base);
	json_decref(nw);
	int rc = 0;
	char *md = compare_markdown(cmp, o->templates, err, sizeof(err));
	if (!md) {
		rc = runtime_error("cannot render the comparison: %s", err);
	} else if (o->output) {
		if (write_text(o->output, md, err, sizeof(err)) != 0)
			rc = runtime_error("%s; choose another path with -o", err);
	} else {
		fputs(md, stdout);
	}
	if (rc == 0 && o->json && write_json(o->json, cmp, err, sizeof(err)) != 0)
		rc = runtime_error("%s; choose another path with --json", err);
	if (rc == 0 && o->junit && ci_junit_compare(o->junit, cmp, o->fail_on_warn, err,
	                                            sizeof(err)) != 0)
		rc = runtime_error("%s", err);
	if (rc == 0 && o->annotations)
		ci_annotations_compare(stdout, cmp);
	if (rc == 0) {
		rc = compare_exit_status(cmp, o->fail_on_warn);
		FILE *out = o->output ? stdout : stderr;
		fprintf(
		    out,
		    "compare: %s: %lld regression(s), %lld check(s) worse, %lld went to FAIL%s%s\n",
		    json_string_value(json_object_get(cmp, "verdict")),
		    (long long)json_integer_value(json_object_get(cmp, "regressions")),
		    (long long)json_integer_value(json_object_get(cmp, "checks_worse")),
		    (long long)json_integer_value(json_object_get(cmp, "checks_to_fail")),
		    o->output ? "; report: " : "", o->output ? o->output : "");
	}
	free(md);
	json_decref(cmp);
	return rc;
}

static char *work_file(const char *a, const char *b)
{
	char *s;
	return asprintf(&s, "%s/%s", a, b) < 0 ? NULL : s;
}

/* "the copier exited with status N": first in the list, and not ok. */
static void note_exit_status(json_t *verification, const struct run_result *r, const char *which)
{
	char msg[256];
	if (r->timed_out)
		snprintf(msg, sizeof(msg),
		         "the copier did not finish in the %s run within the time limit (--timeout) "
		         "and was killed",
		         which);
	else if (r->signal)
		snprintf(msg, sizeof(msg), "the copier was killed by signal %d (%s) in the %s run",
		         r->signal, strsignal(r->signal), which);
	else
		snprintf(
		    msg, sizeof(msg),
		    "the copier exited with status %d in the %s run (a copier that fails has not "
		    "copied, whatever the tree looks like)",
		    r->status, which);
	json_array_insert_new(json_object_get(verification, "differences"), 0, json_string(msg));
	json_object_set_new(verification, "ok", json_false());
	json_t *t = json_object_get(verification, "differences_total");
	json_object_set_new(verification, "differences_total",
	                    json_integer(json_integer_value(t) + 1));
}

/* The last N lines of the trace at PATH with their line numbers, for a
 * copier that was killed or timed out: where it stopped. */
static json_t *trace_tail(const char *path, int n, unsigned long *total)
{
	json_t *out = json_array();
	FILE *f = fopen(path, "re");
	*total = 0;
	if (!f || !out) {
		if (f)
			fclose(f);
		return out;
	}
	char **ring = calloc((size_t)n, sizeof(char *));
	unsigned long *nums = calloc((size_t)n, sizeof(unsigned long));
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	while (ring && nums && (len = getline(&line, &cap, f)) >= 0) {
		(*total)++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len > 400) /* the start of a long line says enough */
			strcpy(line + 397, "...");
		int slot = (int)((*total - 1) % (unsigned long)n);
		free(ring[slot]);
		ring[slot] = strdup(line);
		nums[slot] = *total;
	}
	free(line);
	fclose(f);
	unsigned long first = *total > (unsigned long)n ? *total - (unsigned long)n : 0;
	for (unsigned long i = first; ring && nums && i < *total; i++) {
		int slot = (int)(i % (unsigned long)n);
		if (ring[slot])
			json_array_append_new(out, json_pack("{s:I, s:s}", "line", (json_int_t)nums[slot],
			                                     "text", ring[slot]));
	}
	for (int i = 0; ring && i < n; i++)
		free(ring[i]);
	free(ring);
	free(nums);
	return out;
}

/* verification.stopped: how the traced run ended early, and its last lines. */
static void note_stopped(json_t *verification, const struct run_result *r, double limit,
                         const char *trace)
{
	unsigned long total = 0;
	json_t *tail = trace_tail(trace, 12, &total);
	char how[160];
	if (r->timed_out)
		snprintf(how, sizeof(how), "did not finish within the --timeout of %.0f s and was killed",
		         limit);
	else
		snprintf(how, sizeof(how), "was killed by signal %d (%s)", r->signal,
		         strsignal(r->signal));
	json_object_set_new(verification, "stopped",
	                    json_pack("{s:s, s:s, s:i, s:f, s:I, s:o}", "reason",
	                              r->timed_out ? "timeout" : "signal", "how", how, "signal",
	                              r->signal, "after_seconds", r->wall_seconds, "trace_lines",
	                              (json_int_t)total, "last_lines", tail));
}

struct run_ctx {
	char *bin, *strace, *work, *src, *dst, *dst_timed, *trace, *uring_path, *version;
	char *cmd_text, *timed_text;
	struct runner_cmd cmd, timed;
	bool have_cmd, have_timed;
	struct dataset_info info;
	struct uring_capture *cap;
	json_t *rules, *baseline, *header, *run, *verification;
	json_t *repeat; /* samples of the repeated runs (--repeat) */
};

/* --keep-trace FILE: FILE.run.json holds what the trace cuts short (strace
 * prints 32 bytes of a string): the whole command and its SRC and DST, so
 * --trace FILE later judges escapes against the right trees. */
static void keep_run_json(const char *keep, const struct run_ctx *c)
{
	char *path = NULL;
	if (asprintf(&path, "%s.run.json", keep) < 0)
		return;
	json_t *argv = json_array();
	for (size_t i = 0; c->cmd.argv && c->cmd.argv[i]; i++)
		json_array_append_new(argv, json_string(c->cmd.argv[i]));
	json_t *j = json_pack("{s:s, s:s?, s:o, s:s, s:s}", "about",
	                      "the traced command of this trace, whole (strace cuts strings); "
	                      "arsync-analyze --trace reads it",
	                      "command", c->cmd_text, "argv", argv, "src", c->src, "dst", c->dst);
	if (!j || json_dump_file(j, path, JSON_INDENT(2)) != 0)
		fprintf(stderr, "arsync-analyze: warning: cannot write %s: %s\n", path,
		        strerror(errno));
	json_decref(j);
	free(path);
}

static void run_ctx_free(struct run_ctx *c, bool keep)
{
	uring_capture_free(c->cap);
	if (c->work) {
		if (keep) {
			fprintf(stderr, "arsync-analyze: work directory kept: %s\n", c->work);
		} else {
			char err[512];
			if (remove_tree(c->work, err, sizeof(err)) != 0)
				fprintf(stderr,
				        "arsync-analyze: warning: could not remove the work "
				        "directory: %s\n",
				        err);
		}
	}
	if (c->have_cmd)
		runner_cmd_free(&c->cmd);
	if (c->have_timed)
		runner_cmd_free(&c->timed);
	dataset_info_free(&c->info);
	char **strs[] = {&c->bin,     &c->strace,    &c->work,      &c->src,
	                 &c->dst,     &c->dst_timed, &c->trace,     &c->uring_path,
	                 &c->version, &c->cmd_text,  &c->timed_text};
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		free(*strs[i]);
	json_decref(c->rules);
	json_decref(c->baseline);
	json_decref(c->header);
	json_decref(c->run);
	json_decref(c->verification);
	json_decref(c->repeat);
}

static int interrupted(void)
{
	return runtime_error("interrupted by signal %d; cleaned up", (int)runner_interrupted);
}

/* The dataset lives three times in the work directory (source, traced
 * copy, timed copy): refuse at once, saying how much is needed, rather than
 * fill the disk halfway through. */
static int check_room(const struct opts *o, const char *work)
{
	unsigned long long need;
	if (o->dataset) {
		struct dataset_info info;
		char err[512];
		if (dataset_scan(o->dataset, &info, err, sizeof(err)) != 0)
			return runtime_error("cannot list the dataset: %s", err);
		need = info.bytes;
		dataset_info_free(&info);
	} else {
		need = (unsigned long long)o->files * o->size_mb * 1048576ULL + 200000ULL;
	}
	need = need * 3 + 64ULL * 1048576ULL; /* and room for the trace */
	struct statvfs sv;
	if (statvfs(work, &sv) != 0)
		return 0; /* cannot tell: the writes will say */
	unsigned long long avail = (unsigned long long)sv.f_bavail * sv.f_frsize;
	if (need <= avail)
		return 0;
	return runtime_error("the run needs about %.1f GB in %s (the dataset three times: source, "
	                     "traced copy, timed copy) but only %.1f GB are free there; use fewer "
	                     "or smaller files (--files, --size-mb) or --work DIR on a larger disk",
	                     (double)need / 1e9, work, (double)avail / 1e9);
}

/* Makes the dataset in C->src: generated, or copied from --dataset. */
static int make_dataset(struct run_ctx *c, const struct opts *o, json_t **desc)
{
	char err[1024] = "";
	char *description = NULL;
	if (o->dataset) {
		progress("copying dataset %s into %s", o->dataset, c->src);
		if (dataset_copy_from(o->dataset, c->src, err, sizeof(err)) != 0)
			return runner_interrupted ? interrupted() : runtime_error("%s", err);
		if (asprintf(&description, "directory %s (copied into the work directory)",
		             o->dataset) < 0)
			description = NULL;
	} else {
		progress("generating dataset: %u file(s) of %u MiB and the special cases, in %s",
		         o->files, o->size_mb, c->src);
		if (dataset_generate(c->src, o->files, o->size_mb, (unsigned long long)time(NULL),
		                     err, sizeof(err)) != 0)
			return runner_interrupted ? interrupted() : runtime_error(
			    "cannot generate the dataset: %s (is there room in %s? use --work DIR)",
			    err, c->work);
		description = dataset_generated_description(o->files, o->size_mb);
	}
	if (dataset_scan(c->src, &c->info, err, sizeof(err)) != 0) {
		free(description);
		return runtime_error("cannot list the dataset: %s", err);
	}
	*desc = dataset_describe(&c->info, o->dataset ? "directory" : "generated", description,
	                         c->src, o->dataset);
	free(description);
	return 0;
}

/* Splits the template and puts the values of DST and the others in. */
static int prepare_command(struct run_ctx *c, const struct opts *o, const char *dst, char **text,
                           struct runner_cmd *cmd, bool *have)
{
	char err[1024] = "";
	if (runner_cmd_build(o->cmd, c->bin, c->src, dst, cmd, err, sizeof(err)) != 0)
		return usage_error("%s", err);
	*have = true;
	*text = strdup(cmd->text);
	if (!*text)
		return runtime_error("out of memory");
	if (!cmd->via_shell) {
		char *prog = runner_find_program(cmd->argv[0]);
		if (!prog)
			return runtime_error(
			    "the command '%s' (from --cmd) cannot be run: %s: %s; check --cmd",
			    *text, cmd->argv[0], strerror(errno));
		free(prog);
	}
	return 0;
}

/* The first word of a --cmd template (quotes removed), or NULL. */
static char *cmd_first_word(const char *cmd)
{
	while (*cmd == ' ' || *cmd == '\t')
		cmd++;
	const char *b = cmd, *e;
	if (*cmd == '\'' || *cmd == '"') {
		b = cmd + 1;
		e = strchr(b, *cmd);
		if (!e)
			return NULL;
	} else {
		e = b + strcspn(b, " \t\n");
	}
	return e > b ? strndup(b, (size_t)(e - b)) : NULL;
}

/* Traced run I of N for --repeat: into dst-timed (fresh), analyzed for its
 * headline figures only, which go to C->repeat.traced. */
static int repeat_traced_run(struct run_ctx *c, enum uring_mode mode, unsigned i, unsigned n)
{
	char err[1024] = "";
	if (runner_interrupted)
		return interrupted();
	remove_tree(c->dst_timed, err, sizeof(err));
	char *tp = work_file(c->work, "strace-repeat.txt");
	if (!tp)
		return runtime_error("out of memory");
	/* Captured like the first run, so that every figure is counted the
	 * same way in every run. */
	char *up = work_file(c->work, "uring-repeat");
	char reason[512] = "";
	struct uring_capture *cap = up ? uring_capture_prepare(mode, up, reason, sizeof(reason)) : NULL;
	progress("traced run %u of %u", i, n);
	struct run_result r;
	if (runner_run(&c->timed, tp, cap, true, &r, err, sizeof(err)) != 0) {
		uring_capture_free(cap);
		free(tp);
		free(up);
		return runner_interrupted ? interrupted() : runtime_error("%s", err);
	}
	unsigned long records = 0, lost = 0;
	bool captured = cap && uring_capture_save(cap, &records, &lost, reason, sizeof(reason)) == 0;
	uring_capture_free(cap);
	json_t *header = json_pack("{s:s}", "mode", "run");
	json_t *run = json_pack("{s:I, s:I}", "files", (json_int_t)c->info.n_files, "bytes",
	                        (json_int_t)c->info.bytes);
	struct analysis_input in = {
	    .trace_path = tp,
	    .src_root = c->src,
	    .dst_root = c->dst_timed,
	    .dataset_files = (const char *const *)c->info.files,
	    .n_dataset_files = c->info.n_files,
	    .uring_events_path = captured ? up : NULL,
	    .uring_ops_reason = captured ? NULL : reason[0] ? reason : "not captured",
	    .rules = c->rules,
	    .header = header,
	    .run = run,
	    .quiet = 1,
	};
	json_t *m = analysis_build_model(&in, err, sizeof(err));
	json_decref(header);
	json_decref(run);
	unlink(tp);
	free(tp);
	if (up)
		unlink(up);
	free(up);
	remove_tree(c->dst_timed, err, sizeof(err));
	if (!m)
		return runtime_error("analysis of traced run %u failed: %s", i, err);
	if (r.status != 0)
		fprintf(stderr, "arsync-analyze: the copier %s %d in traced run %u\n",
		        r.signal ? "was killed by signal" : "exited with status",
		        r.signal ? r.signal : r.status, i);
	json_array_append_new(json_object_get(c->repeat, "traced"), compare_headline(m));
	json_decref(m);
	return 0;
}

static int run_mode(const struct opts *o)
{
	/* a --cmd without {bin} names its program itself: cp, rsync, ... */
	char *from_cmd = NULL;
	if (o->npos == 0 && o->cmd && !strstr(o->cmd, "{bin}"))
		from_cmd = cmd_first_word(o->cmd);
	if (o->npos == 0 && !from_cmd)
		return usage_error("no BINARY given: arsync-analyze [OPTIONS] BINARY, or --trace "
		                   "FILE, or compare BASE.json NEW.json (BINARY may be left out "
		                   "when --cmd names the program without {bin})");
	if (o->npos > 1)
		return usage_error(
		    "one BINARY only, but also got '%s' (put the whole command in --cmd '...')",
		    o->pos[1]);
	struct run_ctx c;
	memset(&c, 0, sizeof(c));
	char err[1024] = "";
	int rc = 0;
	const char *binary = from_cmd ? from_cmd : o->pos[0];

	c.bin = runner_find_program(binary);
	if (!c.bin) {
		int e = errno;
		if (e == ENOENT && from_cmd)
			rc = runtime_error("the program of --cmd '%s', %s: not found%s; install it "
			                   "or give its path in --cmd",
			                   o->cmd, binary, strchr(binary, '/') ? "" : " in $PATH");
		else if (e == ENOENT)
			rc = runtime_error(
			    "BINARY %s: not found%s; build it (make) or give its path", binary,
			    strchr(binary, '/') ? "" : " in $PATH");
		else
			rc = runtime_error("BINARY %s is not an executable file: %s; check the "
			                   "path, or chmod +x %s",
			                   binary, strerror(e), binary);
		goto out;
	}
	c.strace = runner_find_program("strace");
	if (!c.strace) {
		rc = runtime_error(
		    "strace not found in $PATH: install strace (apt-get install strace)");
		goto out;
	}
	struct stat st;
	if (o->templates && (stat(o->templates, &st) != 0 || !S_ISDIR(st.st_mode))) {
		rc = runtime_error("--templates %s: %s", o->templates,
		                   errno && stat(o->templates, &st) != 0 ? strerror(errno)
		                                                         : "not a directory");
		goto out;
	}
	if (o->dataset && (rc = dataset_dir_check(o->dataset)) != 0)
		goto out;
	if ((rc = check_outputs(o, true)) != 0 || (rc = load_inputs(o, &c.rules, &c.baseline)) != 0)
		goto out;

	c.work = workdir_create(o->work, err, sizeof(err));
	if (!c.work) {
		rc = runtime_error("%s; choose another place with --work DIR", err);
		goto out;
	}
	if ((rc = check_room(o, c.work)) != 0)
		goto out;
	c.src = work_file(c.work, "src");
	c.dst = work_file(c.work, "dst");
	c.dst_timed = work_file(c.work, "dst-timed");
	c.trace = o->keep_trace ? strdup(o->keep_trace) : work_file(c.work, "strace.txt");
	if (o->keep_trace) {
		if (asprintf(&c.uring_path, "%s.uring", o->keep_trace) < 0)
			c.uring_path = NULL;
	} else {
		c.uring_path = work_file(c.work, "uring-capture.bin");
	}
	if (!c.src || !c.dst || !c.dst_timed || !c.trace || !c.uring_path) {
		rc = runtime_error("out of memory");
		goto out;
	}
	progress("work directory %s", c.work);

	json_t *desc = NULL;
	if ((rc = make_dataset(&c, o, &desc)) != 0)
		goto out;
	if (runner_interrupted) {
		json_decref(desc);
		rc = interrupted();
		goto out;
	}
	if ((rc = prepare_command(&c, o, c.dst, &c.cmd_text, &c.cmd, &c.have_cmd)) != 0 ||
	    (rc = prepare_command(&c, o, c.dst_timed, &c.timed_text, &c.timed, &c.have_timed)) !=
	        0) {
		json_decref(desc);
		goto out;
	}
	/* Generous, and more for a bigger dataset: only a copier that hangs
	 * should reach it. */
	double limit = o->timeout >= 0 ? o->timeout
	                               : 600.0 + (double)c.info.bytes / (20.0 * 1048576.0) +
	                                     0.005 * (double)c.info.n_files;
	c.cmd.timeout = c.timed.timeout = limit;
	c.version = runner_copier_version(c.bin);
	if (runner_interrupted) {
		json_decref(desc);
		rc = interrupted();
		goto out;
	}

	char reason[1200] = "";
	c.cap = uring_capture_prepare(o->uring, c.uring_path, reason, sizeof(reason));
	if (!c.cap && o->uring == URING_ON) {
		json_decref(desc);
		rc = runtime_error("--uring-ops on: cannot capture io_uring tracepoints: %s",
		                   reason);
		goto out;
	}
	if (!c.cap)
		progress("io_uring operations will not be captured: %s", reason);

	/* 1. The traced run. */
	progress("traced run: strace " RUNNER_TRACE_FLAGS " -o %s -- %s", c.trace, c.cmd_text);
	struct run_result traced;
	if (runner_run(&c.cmd, c.trace, c.cap, o->quiet, &traced, err, sizeof(err)) != 0) {
		json_decref(desc);
		rc = runner_interrupted ? interrupted() : runtime_error("%s", err);
		goto out;
	}
	const char *uring_events = NULL;
	if (c.cap) {
		unsigned long events = 0, lost = 0;
		if (uring_capture_save(c.cap, &events, &lost, err, sizeof(err)) != 0) {
			snprintf(reason, sizeof(reason), "capture failed: %s", err);
			if (o->uring == URING_ON) {
				json_decref(desc);
				rc = runtime_error("--uring-ops on: %s", reason);
				goto out;
			}
			progress("io_uring operations not captured: %s", reason);
		} else {
			uring_events = c.uring_path;
			progress("io_uring capture: %lu record(s) in %s", events, c.uring_path);
			if (lost)
				fprintf(stderr,
				        "arsync-analyze: warning: the io_uring capture lost %lu "
				        "record(s) (BPF ring buffer full): the opcode counts are "
				        "short\n",
				        lost);
		}
		uring_capture_free(c.cap);
		c.cap = NULL;
	}
	if (stat(c.trace, &st) != 0 || st.st_size == 0) {
		json_decref(desc);
		rc = runtime_error(
		    "strace wrote no trace to %s (exit status %d); try the command by hand: "
		    "strace -f -o /tmp/t.txt %s",
		    c.trace, traced.status, c.cmd_text);
		goto out;
	}
	if (traced.timed_out)
		fprintf(stderr,
		        "arsync-analyze: the copier did not finish within %.0f s (--timeout) in the "
		        "traced run: killed; the verification fails\n",
		        limit);
	else if (traced.status != 0)
		fprintf(
		    stderr,
		    "arsync-analyze: the copier %s %d in the traced run; the verification fails\n",
		    traced.signal ? "was killed by signal" : "exited with status",
		    traced.signal ? traced.signal : traced.status);

	/* 2. Is the copy right? */
	struct verify_opts vo;
	verify_opts_from_argv(c.cmd.words, geteuid() == 0, &vo);
	progress("verifying %s against %s", c.dst, c.src);
	c.verification = verify_tree(c.src, c.dst, &vo, err, sizeof(err));
	if (!c.verification) {
		json_decref(desc);
		rc = runner_interrupted ? interrupted()
		                        : runtime_error("cannot verify the copy: %s", err);
		goto out;
	}
	if (traced.status != 0 || traced.timed_out)
		note_exit_status(c.verification, &traced, "traced");
	if (traced.timed_out || traced.signal)
		note_stopped(c.verification, &traced, limit, c.trace);
	json_int_t ndiff = json_integer_value(json_object_get(c.verification, "differences_total"));
	progress("verification: %s (%lld entries checked, %lld difference(s))",
	         json_is_true(json_object_get(c.verification, "ok")) ? "the copy is right"
	                                                             : "FAILED",
	         (long long)json_integer_value(json_object_get(c.verification, "checked")),
	         (long long)ndiff);
	if (runner_interrupted) {
		json_decref(desc);
		rc = interrupted();
		goto out;
	}

	/* 2b. --repeat: more traced runs, each into a fresh destination, for
	 * the figures that depend on timing (the first run's model holds the
	 * rest: they are the same in every run). */
	unsigned reps = traced.timed_out ? 1 : o->repeat;
	c.repeat = json_pack("{s:i, s:[], s:[], s:[]}", "n", (int)reps, "traced", "wall_seconds",
	                     "mb_per_s");
	for (unsigned i = 2; c.repeat && i <= reps; i++) {
		if ((rc = repeat_traced_run(&c, uring_events ? o->uring : URING_OFF, i, reps)) != 0) {
			json_decref(desc);
			goto out;
		}
	}

	/* 3. The untraced runs, for the time (not after a traced run that hung:
	 * it would hang again, and its time would mean nothing). */
	struct run_result timed;
	memset(&timed, 0, sizeof(timed));
	bool timed_ran = !traced.timed_out;
	double mbps = 0;
	for (unsigned i = 1; timed_ran && i <= reps; i++) {
		if (i == 1)
			progress("timed run%s (no strace): %s", reps > 1 ? "s" : "", c.timed_text);
		struct run_result t1;
		if (runner_run(&c.timed, NULL, NULL, o->quiet, &t1, err, sizeof(err)) != 0) {
			json_decref(desc);
			rc = runner_interrupted ? interrupted() : runtime_error("%s", err);
			goto out;
		}
		if (remove_tree(c.dst_timed, err, sizeof(err)) != 0)
			fprintf(stderr, "arsync-analyze: warning: %s\n", err);
		double m1 = t1.wall_seconds > 0 ? (double)c.info.bytes / 1e6 / t1.wall_seconds : 0;
		progress("timed run %u of %u: %.3f s, %.1f MB/s%s", i, reps, t1.wall_seconds, m1,
		         t1.status ? " (the copier failed)" : "");
		json_array_append_new(json_object_get(c.repeat, "wall_seconds"),
		                      json_real(t1.wall_seconds));
		json_array_append_new(json_object_get(c.repeat, "mb_per_s"), json_real(m1));
		/* The first failure (or else the first run) stands for all. */
		if (i == 1 || (timed.status == 0 && (t1.status != 0 || t1.timed_out))) {
			int left = timed.left_running;
			timed = t1;
			timed.left_running += left;
			mbps = m1;
		} else {
			timed.left_running += t1.left_running;
		}
	}
	if (!timed_ran)
		progress("timed run: not made (the traced run timed out); throughput unknown");
	/* Under strace -f, strace waits for every process the copier started;
	 * untraced, what it leaves behind is found in its cgroup. */
	int left_running = traced.left_running + timed.left_running;
	if (left_running)
		fprintf(stderr,
		        "arsync-analyze: the copier left %d process(es) running after it exited; "
		        "they were killed\n",
		        left_running);
	/* A copier that fails one run of two is not a working copier. */
	if ((timed.status != 0 || timed.timed_out) && traced.status == 0)
		note_exit_status(c.verification, &timed, "timed (untraced)");

	c.run = json_pack("{s:I, s:I, s:o, s:o, s:i, s:o, s:f, s:s, s:i, s:f, s:b}", "files",
	                  (json_int_t)c.info.n_files, "bytes", (json_int_t)c.info.bytes,
	                  "wall_seconds", timed_ran ? json_real(timed.wall_seconds) : json_null(),
	                  "mb_per_s", timed_ran ? json_real(mbps) : json_null(), "exit_status",
	                  traced.status, "timed_exit_status",
	                  timed_ran ? json_integer(timed.status) : json_null(),
	                  "traced_wall_seconds", traced.wall_seconds, "mb_unit", "MB = 10^6 bytes",
	                  "left_running", left_running, "timeout_seconds", limit, "timed_out",
	                  traced.timed_out || timed.timed_out);
	char date[64];
	iso_date(date, sizeof(date));
	/* What was executed: through a shell, the shell is part of the command
	 * (and of the trace), so the report's command line shows it. */
	c.header = json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s, s:s, s:b, s:s, s:o}", "date", date,
	                     "mode", "run", "command", c.cmd_text, "binary", c.bin,
	                     "copier_version", c.version, "trace_flags", RUNNER_TRACE_FLAGS,
	                     "trace_path", c.trace, "trace_kept", o->keep_trace || o->keep, "exec",
	                     c.cmd.via_shell ? "shell" : "direct", "dataset", desc);
	if (!c.run || !c.header) {
		rc = runtime_error("out of memory");
		goto out;
	}
	struct analysis_input in = {
	    .trace_path = c.trace,
	    .src_root = c.src,
	    .dst_root = c.dst,
	    .dataset_files = (const char *const *)c.info.files,
	    .n_dataset_files = c.info.n_files,
	    .uring_events_path = uring_events,
	    .uring_ops_reason = uring_events ? NULL : reason,
	    .rules = c.rules,
	    .header = c.header,
	    .run = c.run,
	    .verification = c.verification,
	    .quiet = o->quiet,
	};
	rc = analyze_and_report(&in, o, c.baseline, true, c.repeat);
	if (runner_interrupted)
		rc = interrupted();
	if (o->keep_trace) {
		progress("trace kept: %s%s%s", c.trace, uring_events ? ", io_uring events: " : "",
		         uring_events ? uring_events : "");
		keep_run_json(o->keep_trace, &c);
	}
out:
	run_ctx_free(&c, o->keep);
	free(from_cmd);
	return rc;
}

int main(int argc, char **argv)
{
	struct opts o;
	int rc = parse_options(argc, argv, &o);
	if (rc == 1)
		return 0;
	if (rc != 0)
		return rc;
	quiet = o.quiet;
	if (!o.trace && o.npos >= 1 && strcmp(o.pos[0], "compare") == 0)
		return compare_mode(&o);
	if (!o.trace && o.npos >= 1 && strcmp(o.pos[0], "trend") == 0)
		return trend_mode(&o);
	runner_catch_signals();
	if (o.trace)
		return trace_mode(&o);
	return run_mode(&o);
}
