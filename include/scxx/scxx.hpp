// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// Everything scxx offers userspace.
#include <scxx/abi.hpp>
#include <scxx/cli.hpp>
#include <scxx/control.hpp>
#include <scxx/dsq.hpp>
#include <scxx/error.hpp>
#include <scxx/exit_info.hpp>
#include <scxx/flags.hpp>
#include <scxx/kernel.hpp>
#include <scxx/log.hpp>
#include <scxx/main_loop.hpp>
#include <scxx/maps.hpp>
#include <scxx/number.hpp>
#include <scxx/restarts.hpp>
#include <scxx/run_options.hpp>
#include <scxx/scheduler.hpp>
#include <scxx/stats.hpp>
#include <scxx/stats_client.hpp>
#include <scxx/stats_output.hpp>
#include <scxx/stats_server.hpp>
#include <scxx/json.hpp>
#include <scxx/system.hpp>
#include <scxx/topology.hpp>
#include <scxx/version.hpp>
