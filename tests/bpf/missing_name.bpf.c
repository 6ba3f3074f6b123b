/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* A source using a name of the kernel's headers that scxx does not give: it must not compile, and
 * the error must say what to use instead (bpf.missing_upstream_name). */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

SEC("syscall")
int uses_get_current_rq(void *ctx)
{
	return get_current_rq(0) != NULL;
}
