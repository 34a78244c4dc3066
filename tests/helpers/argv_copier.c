/* argv_copier: a copier that says what it was given. Appends its last two
 * arguments to the file named by $ARGV_COPIER_LOG, hex-encoded, one line a
 * run ("SRC-HEX DST-HEX"), so any byte survives; then copies like `cp -a -T SRC DST` with SRC and DST its
 * last two arguments, so the run verifies. With $ARGV_COPIER_SLEEP=N it
 * first starts a grandchild that sleeps N seconds in its own session (a
 * process that escapes a process group) and sleeps N seconds itself.
 *
 *   argv_copier [ANY...] SRC DST */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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
	const char *nap = getenv("ARGV_COPIER_SLEEP");
	if (nap) {
		pid_t g = fork();
		if (g == 0) {
			setsid();
			execlp("sleep", "sleep", nap, (char *)NULL);
			_exit(127);
		}
		sleep((unsigned)atoi(nap));
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
