/* Every input kept for the fuzz_rules target (seeds and findings), replayed. */
#include "../fuzz/fuzz_rules.c"
#include "fuzz_replay.h"

FUZZ_REPLAY_MAIN("fuzz_rules")
