/* ring_merge: the io_uring requests of a capture merged, in time order,
 * into the stream of parsed strace events on its way to the aggregation.
 *
 * Before each event goes to stats_event, ring_merge_before hands stats
 * every request submitted (stats_ring_submit) and every completion that
 * opens an fd (stats_ring_complete) that happened before it. The
 * two clocks are matched first: strace -tt/-t prints the local time of
 * day, -ttt seconds since the epoch; the requests carry CLOCK_REALTIME
 * nanoseconds, converted with the local time zone (localtime_r) to the
 * trace's clock and compared at the trace's microsecond. Ties: at the
 * same microsecond the request goes first, unless the event is an
 * io_uring_enter of the submitting thread (the call that submitted it).
 * A trace without absolute times, or whose clock is more than an hour
 * from the capture's, cannot be matched: the requests then follow the
 * trace, in their own order, and the model says so.
 */
#ifndef ARSYNC_RING_MERGE_H
#define ARSYNC_RING_MERGE_H

#include "stats.h"
#include "strace_parse.h"
#include "uring_reqs.h"

#include <stddef.h>

struct ring_merge;

/* A merge of REQS (N, in submission order as uring_reqs_list gives them,
 * borrowed) into the events going to ST; stats_ring_begin must have been
 * called with the same requests. NULL when out of memory. */
struct ring_merge *ring_merge_new(struct stats *st, const struct uring_req *reqs, size_t n);

/* Hands ST every request due before EV. 0, or -1 when out of memory. */
int ring_merge_before(struct ring_merge *m, const struct sp_event *ev);

/* The requests left after the last event, then the lines of ring-side
 * figures (stats_ring_lines) and the order's description
 * (stats_ring_order). 0, or -1 when out of memory. */
int ring_merge_finish(struct ring_merge *m);

void ring_merge_free(struct ring_merge *m);

/* The tie rule, as the model states it. */
extern const char ring_merge_tie_rule[];

#endif
