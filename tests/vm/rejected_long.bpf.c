/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* rejected.bpf.c with a verifier log far longer than the loader keeps. */
#define REJECTED_LONG_LOG
#include "rejected.bpf.c"
