/* Every input kept for the fuzz_compare target (seeds and findings), replayed. */
#include "../fuzz/fuzz_compare.c"
#include "fuzz_replay.h"

FUZZ_REPLAY_MAIN("fuzz_compare")
