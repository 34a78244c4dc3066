/* runner: fill the command template, split it, run it under strace or
 * timed. A child that fails to exec reports its errno through a
 * close-on-exec pipe, so "strace not found" is told apart from "the copier
 * exited 1". */
#include "runner.h"
#include "proctree.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

volatile sig_atomic_t runner_interrupted;

static void on_signal(int sig) { runner_interrupted = sig; }

void runner_catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: waitpid returns EINTR and the run loop reacts. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

char *shell_quote(const char *s)
{
	size_t n = 2;
	for (const char *p = s; *p; p++)
		n += *p == '\'' ? 4 : 1;
	char *out = malloc(n + 1), *o = out;
	if (!out)
		return NULL;
	*o++ = '\'';
	for (const char *p = s; *p; p++) {
		if (*p == '\'') {
			memcpy(o, "'\\''", 4);
			o += 4;
		} else {
			*o++ = *p;
		}
	}
	*o++ = '\'';
	*o = '\0';
	return out;
}

/* A growing byte string. */
struct buf {
	char *s;
	size_t len, cap;
	bool oom;
};

static void buf_add(struct buf *b, const char *p, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *s = realloc(b->s, cap);
		if (!s) {
			b->oom = true;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void buf_str(struct buf *b, const char *s) { buf_add(b, s, strlen(s)); }

/* A list of malloc'd words, NULL-terminated. */
struct words {
	char **v;
	size_t n, cap;
	bool oom;
};

static void words_add(struct words *w, char *word)
{
	if (!word || w->oom) {
		free(word);
		w->oom = true;
		return;
	}
	if (w->n + 2 > w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 8;
		char **v = realloc(w->v, cap * sizeof(char *));
		if (!v) {
			free(word);
			w->oom = true;
			return;
		}
		w->v = v;
		w->cap = cap;
	}
	w->v[w->n++] = word;
	w->v[w->n] = NULL;
}

static void words_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static const char *const placeholder_names[] = {"{bin}", "{src}", "{dst}"};

/* Which placeholder starts at P, or -1. */
static int placeholder_at(const char *p)
{
	for (int i = 0; i < 3; i++)
		if (strncmp(p, placeholder_names[i], 5) == 0)
			return i;
	return -1;
}

/* Characters that make a template a shell script, outside quotes. */
static bool shell_special(char ch) { return strchr("|&;<>()$`*?[", ch) != NULL; }

/* The template's words, each placeholder replaced by its value as data
 * (whatever bytes the value holds), and the same template as a script for
 * /bin/sh -c in which each placeholder is a positional parameter ("$1" for
 * {bin}, "$2" {src}, "$3" {dst}), quoted for the context it stands in.
 * *NEEDS_SHELL: the template uses pipes, redirections, ';', '&', '$',
 * backquotes, globs, '~' or '#' outside single quotes. */
static int split_template(const char *t, const char *const values[3], struct words *out,
                          struct buf *script, bool *needs_shell, char *err, size_t errlen)
{
	static const char *const plain[] = {"\"${1}\"", "\"${2}\"", "\"${3}\""};
	static const char *const in_dq[] = {"${1}", "${2}", "${3}"};
	static const char *const in_sq[] = {"'\"${1}\"'", "'\"${2}\"'", "'\"${3}\"'"};
	enum { NONE, SINGLE, DOUBLE } q = NONE;
	struct buf word = {0};
	bool in_word = false;
	*needs_shell = false;
	for (const char *p = t; *p;) {
		int ph = placeholder_at(p);
		if (ph >= 0) {
			buf_str(&word, values[ph] ? values[ph] : "");
			buf_str(script, q == NONE ? plain[ph] : q == DOUBLE ? in_dq[ph] : in_sq[ph]);
			in_word = true;
			p += 5;
			continue;
		}
		char ch = *p;
		if (ch == '{' && q != SINGLE && (p == t || p[-1] != '$')) {
			size_t k = strspn(p + 1, "abcdefghijklmnopqrstuvwxyz_");
			if (k > 0 && p[1 + k] == '}') {
				snprintf(err, errlen,
				         "--cmd: unknown placeholder '%.*s' (known: {bin} {src} {dst})",
				         (int)k + 2, p);
				free(word.s);
				return -1;
			}
		}
		buf_add(script, p, 1);
		p++;
		if (q == SINGLE) {
			if (ch == '\'')
				q = NONE;
			else
				buf_add(&word, &ch, 1);
			continue;
		}
		if (q == DOUBLE) {
			if (ch == '"') {
				q = NONE;
			} else if (ch == '\\' && *p && strchr("$`\"\\\n", *p)) {
				buf_add(script, p, 1);
				if (*p != '\n')
					buf_add(&word, p, 1);
				p++;
			} else {
				if (ch == '$' || ch == '`')
					*needs_shell = true;
				buf_add(&word, &ch, 1);
			}
			continue;
		}
		if (ch == ' ' || ch == '\t' || ch == '\n') {
			if (in_word) {
				words_add(out, word.oom ? NULL : strdup(word.s ? word.s : ""));
				word.len = 0;
				if (word.s)
					word.s[0] = '\0';
				in_word = false;
			}
			continue;
		}
		if (ch == '\'') {
			q = SINGLE;
		} else if (ch == '"') {
			q = DOUBLE;
		} else if (ch == '\\') {
			if (*p == '\n') { /* line continuation */
				buf_add(script, p, 1);
				p++;
				continue;
			}
			if (*p) {
				buf_add(script, p, 1);
				buf_add(&word, p, 1);
				p++;
			}
		} else {
			if (shell_special(ch) || (!in_word && (ch == '~' || ch == '#')))
				*needs_shell = true;
			buf_add(&word, &ch, 1);
		}
		in_word = true;
	}
	if (q != NONE) {
		snprintf(err, errlen, "--cmd: unbalanced %s quote in '%s'",
		         q == SINGLE ? "single" : "double", t);
		free(word.s);
		return -1;
	}
	if (in_word)
		words_add(out, word.oom ? NULL : strdup(word.s ? word.s : ""));
	free(word.s);
	if (out->oom || script->oom) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (out->n == 0) {
		snprintf(err, errlen, "--cmd: the command is empty");
		return -1;
	}
	return 0;
}

/* WORD as the shell would need it typed: as is when that is safe. */
static void add_shown(struct buf *b, const char *word)
{
	if (b->len)
		buf_add(b, " ", 1);
	if (*word && strspn(word, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                          "0123456789-_./=:,+@%") == strlen(word)) {
		buf_str(b, word);
		return;
	}
	char *q = shell_quote(word);
	if (!q) {
		b->oom = true;
		return;
	}
	buf_str(b, q);
	free(q);
}

int runner_cmd_build(const char *tmpl, const char *bin, const char *src, const char *dst,
                     struct runner_cmd *c, char *err, size_t errlen)
{
	memset(c, 0, sizeof(*c));
	const char *values[3] = {bin, src, dst};
	struct words w = {0};
	struct buf script = {0}, shown = {0};
	bool needs_shell;
	if (split_template(tmpl, values, &w, &script, &needs_shell, err, errlen) != 0) {
		words_free(w.v);
		free(script.s);
		return -1;
	}
	c->words = w.v;
	if (!needs_shell) {
		c->argv = c->words;
		for (size_t i = 0; c->words[i]; i++)
			add_shown(&shown, c->words[i]);
		free(script.s);
	} else {
		/* /bin/sh -c SCRIPT sh BIN SRC DST: the values reach the shell
		 * as its positional parameters, never as script text. */
		struct words a = {0};
		words_add(&a, strdup("/bin/sh"));
		words_add(&a, strdup("-c"));
		words_add(&a, script.s ? script.s : strdup(""));
		words_add(&a, strdup("sh"));
		for (int i = 0; i < 3; i++)
			words_add(&a, strdup(values[i] ? values[i] : ""));
		c->shell_argv = a.v;
		c->argv = a.v;
		c->via_shell = true;
		if (a.oom) {
			runner_cmd_free(c);
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		for (size_t i = 0; a.v[i]; i++)
			add_shown(&shown, a.v[i]);
	}
	c->text = shown.s;
	if (shown.oom || !c->text) {
		runner_cmd_free(c);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

void runner_cmd_free(struct runner_cmd *c)
{
	words_free(c->words);
	words_free(c->shell_argv);
	free(c->text);
	memset(c, 0, sizeof(*c));
}

static bool is_executable_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
}

char *runner_find_program(const char *name)
{
	if (!*name) {
		errno = ENOENT;
		return NULL;
	}
	if (strchr(name, '/')) {
		struct stat st;
		if (stat(name, &st) != 0)
			return NULL;
		if (S_ISDIR(st.st_mode)) {
			errno = EISDIR;
			return NULL;
		}
		if (!S_ISREG(st.st_mode) || access(name, X_OK) != 0) {
			errno = EACCES;
			return NULL;
		}
		return strdup(name);
	}
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	int saw_eacces = 0;
	for (const char *p = path;;) {
		const char *e = strchr(p, ':');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char *cand;
		if (asprintf(&cand, "%.*s/%s", (int)n, n ? p : ".", name) < 0)
			return NULL;
		if (is_executable_file(cand))
			return cand;
		if (access(cand, F_OK) == 0)
			saw_eacces = 1;
		free(cand);
		if (!e)
			break;
		p = e + 1;
	}
	errno = saw_eacces ? EACCES : ENOENT;
	return NULL;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Child side: wait for the go byte (if any), set up stdout, exec. */
static void child_exec(const struct proctree *tree, char *const *argv, int go_fd, int err_fd,
                       bool quiet)
{
	/* Its own process group and cgroup, so the run can be ended whole
	 * (strace and every process it traces); stdin is not the terminal. */
	proctree_child_enter(tree);
	int in = open("/dev/null", O_RDONLY);
	if (in >= 0) {
		dup2(in, STDIN_FILENO);
		close(in);
	}
	if (go_fd >= 0) {
		char b;
		while (read(go_fd, &b, 1) < 0 && errno == EINTR)
			;
		close(go_fd);
	}
	int out = quiet ? open("/dev/null", O_WRONLY) : dup(STDERR_FILENO);
	if (out >= 0) {
		dup2(out, STDOUT_FILENO);
		close(out);
	}
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	execvp(argv[0], argv);
	int e = errno;
	ssize_t w = write(err_fd, &e, sizeof(e));
	(void)w;
	_exit(127);
}

int runner_run(const struct runner_cmd *c, const char *trace_path, struct uring_capture *cap,
               bool quiet, struct run_result *r, char *err, size_t errlen)
{
	memset(r, 0, sizeof(*r));
	size_t n = 0;
	while (c->argv[n])
		n++;
	char **argv = calloc(n + 10, sizeof(char *));
	if (!argv) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	size_t k = 0;
	if (trace_path) {
		/* RUNNER_TRACE_FLAGS, one word each. */
		argv[k++] = "strace";
		argv[k++] = "-f";
		argv[k++] = "-y";
		argv[k++] = "-tt";
		argv[k++] = "-T";
		argv[k++] = "-o";
		argv[k++] = (char *)trace_path;
		argv[k++] = "--";
	}
	for (size_t i = 0; i < n; i++)
		argv[k++] = c->argv[i];
	argv[k] = NULL;

	int errpipe[2], gopipe[2] = {-1, -1};
	if (pipe2(errpipe, O_CLOEXEC) != 0 || (cap && pipe2(gopipe, O_CLOEXEC) != 0)) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		free(argv);
		return -1;
	}
	struct proctree tree;
	proctree_init(&tree);
	double t0 = now();
	pid_t pid = fork();
	if (pid < 0) {
		proctree_end(&tree);
		snprintf(err, errlen, "fork: %s", strerror(errno));
		free(argv);
		close(errpipe[0]);
		close(errpipe[1]);
		if (cap) {
			close(gopipe[0]);
			close(gopipe[1]);
		}
		return -1;
	}
	if (pid == 0) {
		close(errpipe[0]);
		if (cap)
			close(gopipe[1]);
		child_exec(&tree, argv, cap ? gopipe[0] : -1, errpipe[1], quiet);
	}
	proctree_adopt(&tree, pid);
	close(errpipe[1]);
	int rc = 0;
	if (cap) {
		close(gopipe[0]);
		if (uring_capture_follow(cap, pid, err, errlen) != 0)
			rc = -1; /* still let the child go and reap it */
		ssize_t w = write(gopipe[1], "g", 1);
		(void)w;
		close(gopipe[1]);
	}
	int status = 0;
	double killed_at = 0;
	bool sent_kill = false;
	/* A pidfd becomes readable when the child exits: the wait can end on a
	 * deadline without polling waitpid (which would add its period to
	 * every timed run). Signals to us interrupt poll() as they do waitpid. */
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	for (;;) {
		if (killed_at == 0 && c->timeout > 0 && now() - t0 >= c->timeout) {
			r->timed_out = true;
			proctree_signal(&tree, SIGKILL);
			killed_at = now();
			sent_kill = true;
		}
		if (runner_interrupted && killed_at == 0) {
			/* strace alone would wait for its tracees: end the tree. */
			proctree_signal(&tree, SIGTERM);
			killed_at = now();
		} else if (killed_at > 0 && !sent_kill && now() - killed_at > 0.5) {
			proctree_signal(&tree, SIGKILL);
			sent_kill = true;
		}
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			snprintf(err, errlen, "wait for %s: %s", argv[0], strerror(errno));
			rc = -1;
			break;
		}
		int ms = killed_at > 0 ? 20 : -1;
		if (c->timeout > 0 && killed_at == 0) {
			double left = c->timeout - (now() - t0);
			ms = left <= 0 ? 0 : left > 1e6 ? 1000000000 : (int)(left * 1000) + 1;
		}
		if (pidfd >= 0) {
			struct pollfd pfd = {pidfd, POLLIN, 0};
			poll(&pfd, 1, ms);
		} else {
			usleep(ms < 0 || ms > 20 ? 20000 : (useconds_t)ms * 1000);
		}
	}
	if (pidfd >= 0)
		close(pidfd);
	/* Whatever the program left running (daemons, setsid children) ends
	 * with it. */
	r->left_running = proctree_end(&tree);
	if (killed_at > 0)
		r->left_running = 0;
	r->wall_seconds = now() - t0;
	int child_errno = 0;
	ssize_t got;
	while ((got = read(errpipe[0], &child_errno, sizeof(child_errno))) < 0 && errno == EINTR)
		;
	close(errpipe[0]);
	if (rc == 0 && got == (ssize_t)sizeof(child_errno)) {
		if (trace_path && child_errno == ENOENT)
			snprintf(err, errlen,
			         "cannot run strace: %s; install strace (apt-get install strace)",
			         strerror(child_errno));
		else
			snprintf(err, errlen, "cannot run %s: %s", argv[0], strerror(child_errno));
		rc = -1;
	}
	if (rc == 0 && runner_interrupted) {
		snprintf(err, errlen, "interrupted by signal %d while running %s",
		         (int)runner_interrupted, argv[0]);
		rc = -1;
	}
	if (WIFEXITED(status)) {
		r->status = WEXITSTATUS(status);
	} else if (WIFSIGNALED(status)) {
		r->signal = WTERMSIG(status);
		r->status = 128 + r->signal;
	}
	free(argv);
	return rc;
}

char *runner_copier_version(const char *bin)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) != 0)
		return NULL;
	struct proctree tree;
	proctree_init(&tree);
	pid_t pid = fork();
	if (pid < 0) {
		proctree_end(&tree);
		close(p[0]);
		close(p[1]);
		return NULL;
	}
	if (pid == 0) {
		proctree_child_enter(&tree);
		dup2(p[1], STDOUT_FILENO);
		int devnull = open("/dev/null", O_RDWR);
		if (devnull >= 0) {
			dup2(devnull, STDIN_FILENO);
			dup2(devnull, STDERR_FILENO);
		}
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		execl(bin, bin, "--version", (char *)NULL);
		_exit(127);
	}
	proctree_adopt(&tree, pid);
	close(p[1]);
	/* Keep the start, but read to the end: a program that writes its
	 * --version text in several writes (rsync) dies of SIGPIPE if the pipe
	 * is closed after the first line. A signal to us ends the wait. */
	char buf[512], rest[4096];
	size_t len = 0;
	double deadline = now() + 5.0;
	while (!runner_interrupted) {
		int left = (int)((deadline - now()) * 1000);
		if (left <= 0)
			break;
		struct pollfd pfd = {p[0], POLLIN, 0};
		int pr = poll(&pfd, 1, left < 100 ? left : 100);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr == 0)
			continue;
		if (pr < 0)
			break;
		ssize_t n = len < sizeof(buf) - 1 ? read(p[0], buf + len, sizeof(buf) - 1 - len)
		                                  : read(p[0], rest, sizeof rest);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (len < sizeof(buf) - 1)
			len += (size_t)n;
	}
	close(p[0]);
	int status = 0;
	bool done = false;
	/* Give it the rest of the deadline to finish after its output. */
	while (!runner_interrupted && now() < deadline) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid || (w < 0 && errno != EINTR)) {
			done = w == pid;
			break;
		}
		usleep(10000);
	}
	proctree_end(&tree); /* what is left, --version hung or its children */
	if (!done) {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		return NULL;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return NULL;
	buf[len] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	size_t l = strlen(buf);
	while (l > 0 && (buf[l - 1] == ' ' || buf[l - 1] == '\t'))
		buf[--l] = '\0';
	return l ? strdup(buf) : NULL;
}
