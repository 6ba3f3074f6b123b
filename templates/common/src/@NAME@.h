/* Shared by the BPF side and the loader: @NAME@'s stats, declared once (scxx/stats.h). Add a line
 * to add a stat: the BPF storage, --stats, JSON, the stats socket and Prometheus all follow. */
#ifndef @NAME_UPPER@_H
#define @NAME_UPPER@_H

#include <scxx/stats.h>

#define @NAME_UPPER@_STATS(X)                                          \
	X(counter, enqueued, "tasks queued on the shared queue")       \
	X(counter, dispatched, "tasks moved from the shared queue to a CPU")
SCXX_STATS(@NAME@_stats, @NAME_UPPER@_STATS)

#endif
