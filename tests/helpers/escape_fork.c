/* escape_fork: a copier whose forked child does the writing outside the
 * trees: the parent copies, a child it forks then creates a file in the
 * directory that holds DST and removes it. The escapes carry the child's
 * pid.
 *
 *   escape_fork [ANY...] SRC DST */
#include "escape_common.h"

#include <fcntl.h>
#include <libgen.h>
#include <string.h>
#include <sys/stat.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: escape_fork [ANY...] SRC DST\n");
		return 2;
	}
	int rc = escape_copy(argv[argc - 2], argv[argc - 1]);
	pid_t p = fork();
	if (p < 0)
		return 1;
	if (p == 0) {
		char parent[4096], path[4096];
		snprintf(parent, sizeof(parent), "%s", argv[argc - 1]);
		snprintf(path, sizeof(path), "%s/escape-fork.%ld", dirname(parent), (long)getpid());
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0)
			_exit(1);
		if (fchmod(fd, 0644) != 0 || write(fd, "escaped\n", 8) != 8)
			_exit(1);
		close(fd);
		_exit(unlink(path) == 0 ? 0 : 1);
	}
	int st;
	if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return 1;
	return rc;
}
