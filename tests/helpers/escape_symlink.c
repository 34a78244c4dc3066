/* escape_symlink: a copier that follows a symlink out of SRC. It plants
 * SRC/.escape-link pointing at the directory that holds SRC, creates a
 * file through it (the path names SRC, the file is outside: strace -y
 * shows where), removes that file by its real path and the link, then
 * copies. Escapes: the openat through the link and the unlink.
 *
 *   escape_symlink [ANY...] SRC DST */
#include "escape_common.h"

#include <fcntl.h>
#include <libgen.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: escape_symlink [ANY...] SRC DST\n");
		return 2;
	}
	const char *src = argv[argc - 2];
	char parent[4096], link[4200], through[4400], real[4400];
	snprintf(parent, sizeof(parent), "%s", src);
	char *dir = dirname(parent);
	snprintf(link, sizeof(link), "%s/.escape-link", src);
	snprintf(through, sizeof(through), "%s/escape-symlink.%ld", link, (long)getpid());
	snprintf(real, sizeof(real), "%s/escape-symlink.%ld", dir, (long)getpid());
	int rc = 0;
	if (symlink(dir, link) == 0) {
		int fd = open(through, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd >= 0) {
			if (write(fd, "escaped\n", 8) != 8)
				rc = 1;
			close(fd);
			unlink(real);
		}
		unlink(link);
	}
	int c = escape_copy(src, argv[argc - 1]);
	return rc ? rc : c;
}
