// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// libbpf's messages, routed to a sink the application chooses. While scxx opens, loads or attaches
// an object, the messages libbpf prints on that thread are also captured, so that an Error can carry
// the lines that explain it (the verifier log above all).

#include <bpf/libbpf.h>

#include <cstdarg>
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace scxx {

enum class LogLevel { debug, info, warn };

// Receives every libbpf message; object is the scxx object being worked on ("" if none).
using LogSink = std::function<void(LogLevel level, std::string_view object, std::string_view message)>;

namespace detail {

struct LogState {
    std::mutex mutex;
    LogSink sink;
    LogLevel threshold = LogLevel::warn;
};

inline LogState& log_state()
{
    static LogState state;
    return state;
}

// The capture active on this thread (innermost), if any.
struct LogCaptureFrame {
    std::string object;
    std::string text;
    LogCaptureFrame* outer;
};

inline thread_local LogCaptureFrame* current_capture = nullptr;

inline int libbpf_print(enum libbpf_print_level level, const char* format, va_list args)
{
    va_list copy;
    va_copy(copy, args);
    int n = std::vsnprintf(nullptr, 0, format, copy);
    va_end(copy);
    if (n <= 0)
        return n;
    std::string message(static_cast<std::size_t>(n) + 1, '\0');
    std::vsnprintf(message.data(), message.size(), format, args);
    message.resize(static_cast<std::size_t>(n));

    LogLevel lvl = level == LIBBPF_WARN ? LogLevel::warn : level == LIBBPF_INFO ? LogLevel::info : LogLevel::debug;
    std::string_view object;
    if (current_capture) {
        current_capture->text += message;
        object = current_capture->object;
    }
    auto& state = log_state();
    std::lock_guard lock(state.mutex);
    if (state.sink)
        state.sink(lvl, object, message);
    else if (lvl >= state.threshold)
        std::fputs(message.c_str(), stderr);
    return n;
}

inline void install_libbpf_print()
{
    static std::once_flag once;
    std::call_once(once, [] { libbpf_set_print(libbpf_print); });
}

// Captures libbpf's output on this thread for the duration of one operation on one object.
class LogCapture {
public:
    explicit LogCapture(std::string object) : frame_{std::move(object), {}, current_capture}
    {
        install_libbpf_print();
        current_capture = &frame_;
    }
    ~LogCapture() { current_capture = frame_.outer; }
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;

    const std::string& text() const noexcept { return frame_.text; }

    // The verifier's log if libbpf printed one, else libbpf's own lines; trimmed to what matters.
    std::string explanation() const
    {
        constexpr std::string_view begin = "-- BEGIN PROG LOAD LOG --";
        constexpr std::string_view end = "-- END PROG LOAD LOG --";
        const std::string& t = frame_.text;
        auto b = t.find(begin);
        if (b != std::string::npos) {
            auto e = t.find(end, b);
            std::string log = t.substr(b + begin.size(), e == std::string::npos ? std::string::npos : e - b - begin.size());
            // The verifier's reason is at the end; keep the tail of a long log.
            constexpr std::size_t keep = 4000;
            if (log.size() > keep)
                log = "...\n" + log.substr(log.size() - keep);
            // The line that names the failing program precedes the log.
            auto line_start = t.rfind('\n', b == 0 ? 0 : b - 1);
            std::string head = t.substr(line_start == std::string::npos ? 0 : line_start + 1,
                                        b - (line_start == std::string::npos ? 0 : line_start + 1));
            return head + "verifier log:" + log;
        }
        return t;
    }

private:
    LogCaptureFrame frame_;
};

} // namespace detail

// Sends libbpf's messages (all levels) to sink instead of stderr. Pass nullptr to go back to stderr.
inline void set_log_sink(LogSink sink)
{
    detail::install_libbpf_print();
    auto& state = detail::log_state();
    std::lock_guard lock(state.mutex);
    state.sink = std::move(sink);
}

// Without a sink, messages at or above this level go to stderr (default: warn).
inline void set_log_level(LogLevel level)
{
    detail::install_libbpf_print();
    auto& state = detail::log_state();
    std::lock_guard lock(state.mutex);
    state.threshold = level;
}

} // namespace scxx
