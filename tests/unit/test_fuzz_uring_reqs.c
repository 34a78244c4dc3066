/* Every input kept for the fuzz_uring_reqs target (seeds and findings), replayed. */
#include "../fuzz/fuzz_uring_reqs.c"
#include "fuzz_replay.h"

FUZZ_REPLAY_MAIN("fuzz_uring_reqs")
