/* corrupt_copier: copies like `cp -a SRC DST`, then flips one bit of one
 * byte in the middle of the largest regular file of DST, keeping its mtime,
 * so only a byte-for-byte comparison can tell. Exits 0 like a copier that
 * believes it succeeded. Options (-a, -v...) are accepted and ignored.
 *
 *   corrupt_copier [-a] SRC DST */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char victim[PATH_MAX];
static off_t victim_size = -1;

static int pick(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)ftw;
	if (type == FTW_F && S_ISREG(st->st_mode) &&
	    (st->st_size > victim_size ||
	     (st->st_size == victim_size && strcmp(path, victim) < 0))) {
		victim_size = st->st_size;
		snprintf(victim, sizeof(victim), "%s", path);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *ops[2];
	int n = 0;
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1])
			continue;
		if (n == 2) {
			fprintf(stderr, "corrupt_copier: too many operands\n");
			return 2;
		}
		ops[n++] = argv[i];
	}
	if (n != 2) {
		fprintf(stderr, "usage: corrupt_copier [-a] SRC DST\n");
		return 2;
	}
	pid_t pid = fork();
	if (pid == 0) {
		execlp("cp", "cp", "-a", "--", ops[0], ops[1], (char *)NULL);
		_exit(127);
	}
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "corrupt_copier: cp -a %s %s failed\n", ops[0], ops[1]);
		return 1;
	}
	if (nftw(ops[1], pick, 16, FTW_PHYS) != 0 || victim_size <= 0)
		return 0; /* nothing to corrupt */
	int fd = open(victim, O_RDWR);
	struct stat st;
	unsigned char b;
	off_t off = victim_size / 2;
	if (fd < 0 || fstat(fd, &st) != 0 || pread(fd, &b, 1, off) != 1) {
		fprintf(stderr, "corrupt_copier: %s: %s\n", victim, strerror(errno));
		return 1;
	}
	b ^= 0x01;
	struct timespec ts[2] = {st.st_atim, st.st_mtim};
	if (pwrite(fd, &b, 1, off) != 1 || futimens(fd, ts) != 0) {
		fprintf(stderr, "corrupt_copier: %s: %s\n", victim, strerror(errno));
		return 1;
	}
	close(fd);
	return 0;
}
