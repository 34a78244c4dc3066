/* escape_common: what the escape helpers share. Each helper copies like
 * `cp -a -T SRC DST` (SRC and DST its last two arguments, so the run
 * verifies) and, once it has touched SRC (the copy phase has begun),
 * writes somewhere outside both trees. */
#ifndef ESCAPE_COMMON_H
#define ESCAPE_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs cp -a -T SRC DST; its exit status, or 1. */
static inline int escape_copy(const char *src, const char *dst)
{
	pid_t p = fork();
	if (p < 0)
		return 1;
	if (p == 0) {
		execlp("cp", "cp", "-a", "-T", src, dst, (char *)NULL);
		_exit(127);
	}
	int st;
	if (waitpid(p, &st, 0) != p)
		return 1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

#endif
