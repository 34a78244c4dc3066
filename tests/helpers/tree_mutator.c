/* tree_mutator: changes a source and a destination tree as fast as it can
 * while a copier runs, to hit the windows between a copier's checks and
 * its uses (tests/integration/copier_races.sh).
 *
 * Usage: tree_mutator SRC DST OUTSIDE SECONDS SEED
 *
 * SRC holds directories d00..dNN, each with files f000..fMMM (the test
 * makes them); OUTSIDE is a directory outside both trees holding the file
 * "secret". Until SECONDS have passed, over and over, one of (chosen by a
 * generator seeded with SEED, printed first):
 *   - a source directory swapped for a symlink to OUTSIDE, then back
 *   - a source file swapped for a symlink to OUTSIDE/secret, then back
 *   - a source file renamed away and back (it vanishes for a moment)
 *   - a source file truncated or grown (its content changes)
 *   - a destination directory swapped for a symlink to OUTSIDE, then back
 * Every swap is undone before the next one, so when it stops SRC and DST
 * hold what they held, apart from the contents it changed. Prints how
 * many of each it made.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static unsigned long long rng;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void pause_a_little(void)
{
	/* Most swaps last a few microseconds, some much longer. */
	if (rnd(8) == 0)
		usleep(200 + rnd(2000));
}

/* Swaps PATH for a symlink to TARGET, waits a little, swaps it back. */
static int swap_for_link(const char *path, const char *target)
{
	char away[4200];
	snprintf(away, sizeof(away), "%s.away", path);
	if (rename(path, away) != 0)
		return 0; /* not there (yet, or a copier's rename won) */
	int made = symlink(target, path) == 0;
	pause_a_little();
	if (made)
		unlink(path);
	rename(away, path);
	return made;
}

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: tree_mutator SRC DST OUTSIDE SECONDS SEED\n");
		return 2;
	}
	const char *src = argv[1], *dst = argv[2], *out = argv[3];
	double secs = strtod(argv[4], NULL);
	rng = strtoull(argv[5], NULL, 10) * 2654435761ULL + 88172645463325252ULL;
	printf("tree_mutator: seed %s\n", argv[5]);
	fflush(stdout);

	unsigned ndirs = 0, nfiles = 0;
	char path[4096], secret[4096], target[4200];
	for (;; ndirs++) {
		snprintf(path, sizeof(path), "%s/d%02u", src, ndirs);
		if (access(path, F_OK) != 0)
			break;
	}
	for (;; nfiles++) {
		snprintf(path, sizeof(path), "%s/d00/f%03u", src, nfiles);
		if (access(path, F_OK) != 0)
			break;
	}
	if (!ndirs || !nfiles) {
		fprintf(stderr, "tree_mutator: %s has no d00/f000\n", src);
		return 2;
	}
	snprintf(secret, sizeof(secret), "%s/secret", out);

	unsigned long n_dir = 0, n_file = 0, n_vanish = 0, n_size = 0, n_dst = 0;
	double end = now() + secs;
	while (now() < end) {
		unsigned d = rnd(ndirs), f = rnd(nfiles);
		switch (rnd(5)) {
		case 0:
			snprintf(path, sizeof(path), "%s/d%02u", src, d);
			n_dir += swap_for_link(path, out);
			break;
		case 1:
			snprintf(path, sizeof(path), "%s/d%02u/f%03u", src, d, f);
			n_file += swap_for_link(path, secret);
			break;
		case 2: {
			snprintf(path, sizeof(path), "%s/d%02u/f%03u", src, d, f);
			snprintf(target, sizeof(target), "%s.gone", path);
			if (rename(path, target) == 0) {
				pause_a_little();
				rename(target, path);
				n_vanish++;
			}
			break;
		}
		case 3: {
			snprintf(path, sizeof(path), "%s/d%02u/f%03u", src, d, f);
			int fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
			if (fd >= 0) {
				if (rnd(2) && ftruncate(fd, rnd(4096)) == 0)
					n_size++;
				else if (pwrite(fd, "grown", 5, 4096 + rnd(65536)) == 5)
					n_size++;
				close(fd);
			}
			break;
		}
		default:
			snprintf(path, sizeof(path), "%s/d%02u", dst, d);
			n_dst += swap_for_link(path, out);
		}
	}
	printf("tree_mutator: %lu source dirs and %lu source files swapped for symlinks out, "
	       "%lu files vanished for a moment, %lu resized, %lu destination dirs swapped\n",
	       n_dir, n_file, n_vanish, n_size, n_dst);
	return 0;
}
