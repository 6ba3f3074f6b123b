/* Shared by the BPF side and the loader: the counters' indices. */
#ifndef @NAME_UPPER@_H
#define @NAME_UPPER@_H

enum { @NAME_UPPER@_STAT_ENQUEUED, @NAME_UPPER@_STAT_DISPATCHED, @NAME_UPPER@_NR_STATS };

#endif
