/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Shared by sdk.bpf.c and sdk_test.cpp: the records the map views carry. */
#ifndef SDK_H
#define SDK_H

struct sdk_cmd {
	unsigned int key;
	unsigned int pad;
	unsigned long long value;
};

struct sdk_config {
	unsigned long long records;
	unsigned long long total;
};

enum { SDK_STAT_ENQUEUED, SDK_STAT_DISPATCHED, SDK_STAT_IDLE_UPDATES, SDK_NR_STATS };

#endif
