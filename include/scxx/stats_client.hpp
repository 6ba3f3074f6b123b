// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// The other end of the stats socket (scxx/stats_server.hpp): StatsClient asks a running
// scheduler for its stats in scx_stats' protocol and turns them back into a Snapshot, and
// monitor() is what `--monitor [SECONDS]` runs: the running scheduler's stats every SECONDS, as
// the table (with rates) or JSON lines, until a signal, --duration, or the scheduler goes away.

#include <scxx/error.hpp>
#include <scxx/json.hpp>
#include <scxx/run_options.hpp>
#include <scxx/stats.hpp>
#include <scxx/stats_output.hpp>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>

namespace scxx {

class StatsClient {
public:
    explicit StatsClient(std::string path) : path_(std::move(path))
    {
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        if (path_.size() >= sizeof(addr.sun_path))
            throw Error("connect", path_, ENAMETOOLONG, "the socket path is too long");
        std::memcpy(addr.sun_path, path_.c_str(), path_.size() + 1);
        fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd_ < 0 || ::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0) {
            int err = errno;
            if (fd_ >= 0)
                ::close(fd_);
            throw Error("connect", path_, err,
                        err == ENOENT || err == ECONNREFUSED
                            ? "no scheduler serves its stats there: is it running with --stats-socket?"
                            : "cannot reach the stats socket");
        }
        timeval tv{10, 0}; // a server that stops answering is an error, not a hang
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    }
    StatsClient(const StatsClient&) = delete;
    StatsClient& operator=(const StatsClient&) = delete;
    ~StatsClient() { ::close(fd_); }

    // Sends REQUEST (one JSON object) and returns the "resp" of a successful response.
    Json request(const std::string& request) { return *exchange(request).member("resp"); }

    // The stats now, described by what stats_meta said (the first call asks for it), taken when
    // the scheduler took them if it says so.
    Snapshot stats()
    {
        if (!meta_)
            meta_ = request(R"({"req":"stats_meta","args":{}})");
        Json args = exchange(R"({"req":"stats","args":{"target":"top"}})");
        const Json& values = *args.member("resp");
        const Json* time = args.member("time");
        // Unix seconds; anything but a plausible time (to the year 5138) is ignored, not converted.
        const bool timed = time && time->number() && *time->number() >= 0 && *time->number() < 1e11;
        Snapshot out = timed ? Snapshot(std::chrono::system_clock::time_point(
                                   std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                       std::chrono::duration<double>(*time->number()))))
                             : Snapshot();
        const Json::Object* structs = meta_->object();
        if (!structs || !values.object())
            throw Error("ask for stats", path_, EPROTO, "the stats or their description are not objects");
        for (const auto& [name, meta] : *structs) {
            const Json* top = meta.member("top");
            const Json* fields = meta.member("fields");
            if (!top || !fields || !fields->object())
                continue;
            for (const auto& [field, info] : *fields->object())
                if (const Json* v = values.member(field))
                    add(out, field, info, *v);
        }
        return out;
    }

    const std::string& path() const noexcept { return path_; }

private:
    // Sends REQUEST and returns the "args" of a successful response (it has "resp").
    Json exchange(const std::string& request)
    {
        std::string line = request + "\n";
        if (::send(fd_, line.data(), line.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(line.size()))
            throw Error("ask for stats", path_, errno ? errno : EIO, "the scheduler closed its stats socket");
        std::string reply;
        for (char c;;) {
            ssize_t n = ::recv(fd_, &c, 1, 0);
            if (n <= 0)
                throw Error("ask for stats", path_, n == 0 ? ECONNRESET : errno, "the scheduler closed its stats socket");
            if (c == '\n')
                break;
            reply += c;
        }
        Json j;
        try {
            j = Json::parse(reply);
        } catch (const std::invalid_argument& e) {
            throw Error("ask for stats", path_, EPROTO, std::string("the reply is not JSON (") + e.what() + "): " + reply);
        }
        const Json* err = j.member("errno");
        const Json* resp = j.member("args") ? j.member("args")->member("resp") : nullptr;
        if (!err || !err->uint64() || !resp)
            throw Error("ask for stats", path_, EPROTO, "not an scx_stats response: " + reply);
        if (*err->uint64() != 0)
            throw Error("ask for stats", path_, static_cast<int>(*err->uint64()),
                        resp->string() ? *resp->string() : reply);
        return *j.member("args");
    }

    static void add(Snapshot& out, const std::string& name, const Json& info, const Json& value)
    {
        const Json* desc = info.member("desc");
        const Json* user = info.member("user");
        const Json* kind = user ? user->member("_kind") : nullptr;
        const bool counter = kind && kind->string() && *kind->string() == "counter";
        const std::string description = desc && desc->string() ? *desc->string() : "";
        auto one = [&](const Json& v, std::optional<StatLabel> label) {
            if (counter && v.uint64())
                out.counter(name, description, *v.uint64(), std::move(label));
            else if (v.uint64())
                out.gauge(name, description, *v.uint64(), std::move(label));
            else if (v.number())
                out.gauge(name, description, *v.number(), std::move(label));
        };
        if (const Json::Object* dict = value.object()) {
            // scx_stats' dicts name no key; scxx's server says it in "_label".
            const Json* label = user ? user->member("_label") : nullptr;
            const std::string key = label && label->string() ? *label->string() : "key";
            for (const auto& [k, v] : *dict)
                one(v, StatLabel{key, k});
        } else {
            one(value, std::nullopt);
        }
    }

    std::string path_;
    int fd_ = -1;
    std::optional<Json> meta_;
};

// --monitor: prints the stats of the scheduler serving them at SOCKET every INTERVAL, as text
// (with rates) or JSON lines, until SIGINT/SIGTERM, DURATION (if not zero) or the scheduler
// stops serving. Returns the exit status: 0, or 1 with the reason on stderr.
inline int monitor(const std::string& program, const std::string& socket, std::chrono::milliseconds interval,
                   std::chrono::milliseconds duration, bool json)
{
    try {
        StatsClient client(socket);
        detail::StopSignals signals;
        detail::Wakeup wakeup;
        detail::SignalWakeup wake_on_signal(wakeup);
        const auto end = std::chrono::steady_clock::now() + duration;
        std::optional<Snapshot> previous;
        for (;;) {
            Snapshot now = client.stats();
            // The scheduler publishes once per its own interval: a snapshot seen already is not
            // shown again; ask again shortly instead (up to this interval).
            const bool seen = previous && now.wall_time() == previous->wall_time();
            if (!seen) {
                if (json)
                    std::fputs(format_json(now, program).c_str(), stdout);
                else
                    std::printf("%s stats (from %s):\n%s", program.c_str(), socket.c_str(),
                                format_text(now, previous ? &*previous : nullptr).c_str());
                std::fflush(stdout);
                previous = std::move(now);
            }
            auto wait = seen ? std::max(interval / 10, std::chrono::milliseconds(50)) : interval;
            if (duration.count() > 0) {
                auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
                if (left.count() <= 0)
                    return 0;
                wait = std::min(wait, left);
            }
            pollfd p{wakeup.fd(), POLLIN, 0};
            ::poll(&p, 1, static_cast<int>(wait.count()));
            if (detail::StopSignals::caught())
                return 0;
        }
    } catch (const Error& e) {
        std::fflush(stdout);
        std::fprintf(stderr, "%s: %s\n", program.c_str(), e.what());
        return 1;
    }
}

} // namespace scxx
