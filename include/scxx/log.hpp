// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// libbpf's messages, routed to a sink the application chooses. While scxx opens, loads or attaches
// an object, the messages libbpf prints on that thread are also captured, so that an Error can carry
// the lines that explain it (the verifier log above all).

#include <bpf/libbpf.h>

#include <algorithm>
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
    std::string text;      // everything libbpf printed
    std::string warnings;  // its warn-level lines, shown if no error carries them
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
    auto& state = log_state();
    std::lock_guard lock(state.mutex);
    if (state.sink) {
        state.sink(lvl, current_capture ? std::string_view(current_capture->object) : std::string_view(), message);
        if (current_capture)
            current_capture->text += message;
    } else if (current_capture) {
        // Held back: a failure puts it into the Error; success prints the warnings afterwards.
        current_capture->text += message;
        if (lvl >= state.threshold)
            current_capture->warnings += message;
    } else if (lvl >= state.threshold) {
        std::fputs(message.c_str(), stderr);
    }
    return n;
}

inline void install_libbpf_print()
{
    static std::once_flag once;
    std::call_once(once, [] { libbpf_set_print(libbpf_print); });
}

// A message of scxx's own, delivered like libbpf's: to the sink, or to stderr at or above the threshold.
inline void emit(LogLevel level, std::string_view object, const std::string& message)
{
    auto& state = log_state();
    std::lock_guard lock(state.mutex);
    if (state.sink)
        state.sink(level, object, message);
    else if (level >= state.threshold)
        std::fprintf(stderr, "scxx: %.*s: %s", static_cast<int>(object.size()), object.data(), message.c_str());
}

// Captures libbpf's output on this thread for the duration of one operation on one object.
class LogCapture {
public:
    explicit LogCapture(std::string object) : frame_{std::move(object), {}, {}, current_capture}
    {
        install_libbpf_print();
        current_capture = &frame_;
    }
    ~LogCapture()
    {
        current_capture = frame_.outer;
        if (!consumed_ && !frame_.warnings.empty())
            std::fputs(frame_.warnings.c_str(), stderr);
    }
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;

    const std::string& text() const noexcept { return frame_.text; }

    // What explains a failure, for an Error (which then carries it instead of stderr): the lines
    // naming the failing program and the verifier's reason: the end of its log, or, where the
    // kernel (7.x) writes a report after the error ("Verification failed: ..."), the error line and
    // the report; otherwise all libbpf said.
    std::string take()
    {
        consumed_ = true;
        constexpr std::string_view begin = "-- BEGIN PROG LOAD LOG --\n";
        constexpr std::string_view end = "-- END PROG LOAD LOG --";
        constexpr std::size_t tail_lines = 40, report_lines = 60;
        const std::string& t = frame_.text;
        auto b = t.find(begin);
        if (b == std::string::npos)
            return t;
        std::string out;
        // libbpf's "prog 'NAME': BPF program load failed: ..." line names the program.
        if (auto f = t.rfind("BPF program load failed", b); f != std::string::npos) {
            auto ls = t.rfind('\n', f);
            ls = ls == std::string::npos ? 0 : ls + 1;
            out = t.substr(ls, t.find('\n', f) + 1 - ls);
        }
        auto e = t.find(end, b);
        std::string_view log(t.data() + b + begin.size(), (e == std::string::npos ? t.size() : e) - b - begin.size());
        std::size_t cut = log.size(), lines = 0;
        if (auto report = log.find("\nVerification failed:"); report != std::string_view::npos) {
            // Back over the blank line to the start of the error line before the report.
            std::size_t at = log.find_last_not_of('\n', report);
            at = at == std::string_view::npos ? 0 : log.rfind('\n', at);
            cut = at == std::string_view::npos ? 0 : at + 1;
            std::size_t stop = cut;
            for (lines = 0; stop < log.size() && lines < report_lines; ++lines) {
                auto eol = log.find('\n', stop);
                stop = eol == std::string_view::npos ? log.size() : eol + 1;
            }
            out += "verifier log (the error and the kernel's report):\n";
            out += log.substr(cut, stop - cut);
            if (stop < log.size())
                out += "[... " + std::to_string(std::count(log.begin() + static_cast<std::ptrdiff_t>(stop), log.end(), '\n')) +
                       " more lines]\n";
            return out;
        }
        while (cut > 0 && !(log[cut - 1] == '\n' && ++lines > tail_lines))
            --cut;
        out += cut > 0 ? "verifier log (last lines):\n" : "verifier log:\n";
        out += log.substr(cut);
        return out;
    }

private:
    LogCaptureFrame frame_;
    bool consumed_ = false;
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
