/* escape_tmp: a copier that writes a file in the temporary directory
 * ($TMPDIR, else /tmp) beside the copy, then removes it: two escapes,
 * the openat that creates it and the unlink.
 *
 *   escape_tmp [ANY...] SRC DST */
#include "escape_common.h"

#include <fcntl.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: escape_tmp [ANY...] SRC DST\n");
		return 2;
	}
	int rc = escape_copy(argv[argc - 2], argv[argc - 1]);
	const char *tmp = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof(path), "%s/arsync-escape-tmp.%ld", tmp && *tmp ? tmp : "/tmp",
	         (long)getpid());
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0) {
		if (write(fd, "escaped\n", 8) != 8)
			rc = rc ? rc : 1;
		close(fd);
		unlink(path);
	}
	return rc;
}
