/* forker N FILE: makes N child processes one after another; each opens
 * FILE, reads it, closes it and exits. Traced with strace -f it gives a
 * trace with N + 1 processes (tests/bench/bench_scale.sh). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: forker N FILE\n");
		return 2;
	}
	long n = strtol(argv[1], NULL, 10);
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("forker: fork");
			return 1;
		}
		if (pid == 0) {
			char buf[512];
			int fd = open(argv[2], O_RDONLY | O_CLOEXEC);
			if (fd >= 0) {
				while (read(fd, buf, sizeof(buf)) > 0)
					;
				close(fd);
			}
			_exit(0);
		}
		int status;
		while (waitpid(pid, &status, 0) < 0)
			;
	}
	return 0;
}
