/* runner: fill the command template, split it, run it under strace or
 * timed. A child that fails to exec reports its errno through a
 * close-on-exec pipe, so "strace not found" is told apart from "the copier
 * exited 1". */
#include "runner.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

char *cmd_expand(const char *tmpl, const char *bin, const char *src, const char *dst, char *err,
                 size_t errlen)
{
	static const char *const names[] = {"{bin}", "{src}", "{dst}"};
	const char *values[] = {bin, src, dst};
	char *q[3] = {0};
	char *out = NULL;
	size_t len = 0, cap = strlen(tmpl) + 1;
	for (int i = 0; i < 3; i++) {
		q[i] = shell_quote(values[i] ? values[i] : "");
		if (!q[i])
			goto oom;
		cap += 3 * strlen(q[i]);
	}
	/* Each placeholder may appear more than once: grow as needed. */
	out = malloc(cap);
	if (!out)
		goto oom;
	bool in_single = false; /* an unknown {word} inside '...' is text (awk '{print}') */
	for (const char *p = tmpl; *p;) {
		if (*p == '\'')
			in_single = !in_single;
		int hit = -1;
		for (int i = 0; i < 3; i++)
			if (strncmp(p, names[i], strlen(names[i])) == 0)
				hit = i;
		const char *piece = p;
		size_t plen = 1;
		if (hit >= 0) {
			piece = q[hit];
			plen = strlen(q[hit]);
			p += strlen(names[hit]);
		} else {
			if (*p == '{' && !in_single) {
				size_t k = strspn(p + 1, "abcdefghijklmnopqrstuvwxyz_");
				if (k > 0 && p[1 + k] == '}') {
					snprintf(err, errlen,
					         "--cmd: unknown placeholder '%.*s' (known: {bin} "
					         "{src} {dst})",
					         (int)k + 2, p);
					goto fail;
				}
			}
			p++;
		}
		if (len + plen + 1 > cap) {
			cap = 2 * (len + plen + 1);
			char *n = realloc(out, cap);
			if (!n)
				goto oom;
			out = n;
		}
		memcpy(out + len, piece, plen);
		len += plen;
	}
	out[len] = '\0';
	for (int i = 0; i < 3; i++)
		free(q[i]);
	return out;
oom:
	snprintf(err, errlen, "out of memory");
fail:
	for (int i = 0; i < 3; i++)
		free(q[i]);
	free(out);
	return NULL;
}

int runner_cmd_prepare(const char *text, struct runner_cmd *c, char *err, size_t errlen)
{
	memset(c, 0, sizeof(*c));
	c->text = strdup(text);
	if (!c->text) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int rc = wordexp(text, &c->we, WRDE_NOCMD);
	if (rc == 0) {
		c->we_used = true;
		if (c->we.we_wordc == 0) {
			snprintf(err, errlen, "--cmd: the command is empty");
			runner_cmd_free(c);
			return -1;
		}
		c->argv = c->we.we_wordv;
		return 0;
	}
	if (rc == WRDE_BADCHAR || rc == WRDE_CMDSUB) {
		/* Pipes, ';', redirections, $(...): a shell must run it. */
		c->shell_argv[0] = "/bin/sh";
		c->shell_argv[1] = "-c";
		c->shell_argv[2] = c->text;
		c->shell_argv[3] = NULL;
		c->argv = c->shell_argv;
		c->via_shell = true;
		return 0;
	}
	snprintf(err, errlen, "--cmd: cannot split '%s' into words: %s", text,
	         rc == WRDE_SYNTAX    ? "unbalanced quotes or a syntax error"
	         : rc == WRDE_NOSPACE ? "out of memory"
	                              : "wordexp failed");
	if (rc == WRDE_NOSPACE)
		wordfree(&c->we);
	free(c->text);
	c->text = NULL;
	return -1;
}

void runner_cmd_free(struct runner_cmd *c)
{
	if (c->we_used)
		wordfree(&c->we);
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
static void child_exec(char *const *argv, int go_fd, int err_fd, bool quiet)
{
	/* Its own process group, so an interrupted run can be ended whole
	 * (strace and every process it traces); stdin is not the terminal. */
	setpgid(0, 0);
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
	double t0 = now();
	pid_t pid = fork();
	if (pid < 0) {
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
		child_exec(argv, cap ? gopipe[0] : -1, errpipe[1], quiet);
	}
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
	setpgid(pid, pid); /* also here: no race with the child's own call */
	int status = 0;
	double killed_at = 0;
	bool sent_kill = false;
	for (;;) {
		pid_t w = waitpid(pid, &status, killed_at > 0 ? WNOHANG : 0);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			snprintf(err, errlen, "wait for %s: %s", argv[0], strerror(errno));
			rc = -1;
			break;
		}
		if (runner_interrupted && killed_at == 0) {
			/* strace alone would wait for its tracees: end the group. */
			kill(-pid, SIGTERM);
			killed_at = now();
		} else if (killed_at > 0) {
			if (!sent_kill && now() - killed_at > 2.0) {
				kill(-pid, SIGKILL);
				sent_kill = true;
			}
			usleep(20000);
		}
	}
	if (killed_at > 0)
		kill(-pid, SIGKILL); /* anything strace left detached */
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
	pid_t pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return NULL;
	}
	if (pid == 0) {
		dup2(p[1], STDOUT_FILENO);
		int devnull = open("/dev/null", O_RDWR);
		if (devnull >= 0) {
			dup2(devnull, STDIN_FILENO);
			dup2(devnull, STDERR_FILENO);
		}
		execl(bin, bin, "--version", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	/* Keep the start, but read to the end: a program that writes its
	 * --version text in several writes (rsync) dies of SIGPIPE if the pipe
	 * is closed after the first line. */
	char buf[512], rest[4096];
	size_t len = 0;
	double deadline = now() + 5.0;
	for (;;) {
		int left = (int)((deadline - now()) * 1000);
		if (left <= 0)
			break;
		struct pollfd pfd = {p[0], POLLIN, 0};
		int pr = poll(&pfd, 1, left);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
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
	int status;
	if (waitpid(pid, &status, WNOHANG) == 0) {
		/* Give it the rest of the deadline to finish after its first line. */
		while (now() < deadline && waitpid(pid, &status, WNOHANG) == 0)
			usleep(10000);
		if (waitpid(pid, &status, WNOHANG) == 0) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return NULL;
		}
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
