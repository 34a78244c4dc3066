/* interrupt.c - the only thing a signal does is set a flag.
 *
 * Workers check the flag between steps: they stop starting new entries,
 * let the operations already in the kernel complete, close what they
 * opened and unlink their temporary files, so no partial file is ever
 * left under a final name.
 *
 * SIGPIPE is ignored: output to a closed pipe (arsync -v ... | head) is
 * not a reason to stop a copy half way; the writers see EPIPE and stop
 * writing instead. */
#include "interrupt.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t stop_sig;

static void on_stop(int sig)
{
	stop_sig = sig;
}

int interrupt_install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) < 0 || sigaction(SIGTERM, &sa, NULL) < 0 ||
	    sigaction(SIGHUP, &sa, NULL) < 0)
		return -1;
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGPIPE, &sa, NULL) < 0)
		return -1;
	return 0;
}

bool stop_requested(void)
{
	return stop_sig != 0;
}

int stop_signal(void)
{
	return stop_sig;
}
