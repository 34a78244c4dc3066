/* argv_copier: a copier that says what it was given. Appends its last two
 * arguments to the file named by $ARGV_COPIER_LOG, hex-encoded, one line a
 * run ("SRC-HEX DST-HEX"), so any byte survives; then copies like `cp -a -T SRC DST` with SRC and DST its
 * last two arguments, so the run verifies.
 *
 * To test how the analyzer ends what it started, each of these makes it
 * start a grandchild `sleep N` in a session of its own (out of the process
 * group) and then sleep N seconds itself: $ARGV_COPIER_SLEEP_VERSION=N for
 * `argv_copier --version`, $ARGV_COPIER_SLEEP=N for a copy into a DST not
 * ending in "-timed", $ARGV_COPIER_SLEEP_TIMED=N for one that does.
 * $ARGV_COPIER_LEAVE=N leaves such a grandchild behind after a copy into
 * a "-timed" DST (under strace -f the tracer would wait for it).
 * $ARGV_COPIER_CRASH=1 makes a copy die of SIGSEGV after it opened SRC.
 * $ARGV_COPIER_MARK=FILE: FILE is created when a nap begins (a test waits
 * for it instead of scanning /proc).
 *
 *   argv_copier [ANY...] SRC DST */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* A grandchild `sleep SECS` in its own session; and as long a nap here. */
static void nap(const char *secs, bool also_here)
{
	if (!secs)
		return;
	pid_t g = fork();
	if (g == 0) {
		setsid();
		execlp("sleep", "sleep", secs, (char *)NULL);
		_exit(127);
	}
	const char *mark = getenv("ARGV_COPIER_MARK");
	if (mark) {
		int fd = open(mark, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		if (fd >= 0)
			close(fd);
	}
	if (also_here)
		sleep((unsigned)atoi(secs));
}

int main(int argc, char **argv)
{
	const char *log = getenv("ARGV_COPIER_LOG");
	if (log && argc >= 3) {
		FILE *f = fopen(log, "a");
		if (!f) {
			fprintf(stderr, "argv_copier: %s: %s\n", log, strerror(errno));
			return 1;
		}
		for (int i = argc - 2; i < argc; i++) {
			for (const unsigned char *c = (const unsigned char *)argv[i]; *c; c++)
				fprintf(f, "%02x", *c);
			fputc(i == argc - 1 ? '\n' : ' ', f);
		}
		fclose(f);
	}
	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		nap(getenv("ARGV_COPIER_SLEEP_VERSION"), true);
		puts("argv_copier 1.0");
		return 0;
	}
	if (argc >= 3) {
		size_t n = strlen(argv[argc - 1]);
		bool timed = n >= 6 && strcmp(argv[argc - 1] + n - 6, "-timed") == 0;
		nap(getenv(timed ? "ARGV_COPIER_SLEEP_TIMED" : "ARGV_COPIER_SLEEP"), true);
		if (timed)
			nap(getenv("ARGV_COPIER_LEAVE"), false);
	}
	if (argc >= 3 && getenv("ARGV_COPIER_CRASH")) {
		int fd = open(argv[argc - 2], O_RDONLY | O_DIRECTORY);
		(void)fd;
		signal(SIGSEGV, SIG_DFL); /* a sanitizer's handler would turn it into SIGABRT */
		raise(SIGSEGV);
	}
	if (argc < 3) {
		fprintf(stderr, "usage: argv_copier [ANY...] SRC DST\n");
		return 1;
	}
	pid_t pid = fork();
	if (pid == 0) {
		execlp("cp", "cp", "-a", "-T", "--", argv[argc - 2], argv[argc - 1], (char *)NULL);
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
