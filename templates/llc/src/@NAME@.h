/* Shared by the BPF side and the loader: @NAME@'s stats, declared once (scxx/stats.h). Add a line
 * to add a stat: the BPF storage, --stats, JSON, the stats socket and Prometheus all follow. */
#ifndef @NAME_UPPER@_H
#define @NAME_UPPER@_H

#include <scxx/stats.h>

#define @NAME_UPPER@_STATS(X)                                                                 \
	X(counter, woke_in_llc, "wakeups placed on an idle CPU sharing the previous CPU's LLC")   \
	X(counter, woke_elsewhere, "wakeups placed on an idle CPU of another LLC")               \
	X(counter, enqueued, "tasks queued on their LLC's queue")                                \
	X(counter, dispatched, "tasks a CPU took from its own LLC's queue")                      \
	X(counter, stolen, "tasks a CPU took from another LLC's queue, its own being empty")
SCXX_STATS(@NAME@_stats, @NAME_UPPER@_STATS)

#endif
