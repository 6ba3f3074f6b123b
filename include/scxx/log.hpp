// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// libbpf's messages, routed to a sink the application chooses. While scxx opens, loads or attaches
// an object, the messages libbpf prints on that thread are also captured, so that an Error can carry
// the lines that explain it (the verifier log above all).

#include <bpf/libbpf.h>

#include <algorithm>
#include <cstdarg>
#include <cstddef>
#include <cstdio>
#include <functional>
#include <mutex>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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


    // All libbpf said, for an Error (which then carries it instead of stderr).
    std::string take()
    {
        consumed_ = true;
        return frame_.text;
    }

private:
    LogCaptureFrame frame_;
    bool consumed_ = false;
};

// The verifier's log of the program a load fails on, through libbpf's own per-program log buffers
// (bpf_program__set_log_buf): libbpf loads without a log, and on a failure loads that program
// again into its buffer (the kernel keeps the log's end if it is longer). So the refused program
// is the one whose buffer has text; nothing is parsed out of libbpf's messages. Lives for the
// duration of one load.
class VerifierLog {
public:
    static constexpr std::size_t per_program = 64 * 1024; // the error and the 7.x report fit well

    explicit VerifierLog(bpf_object* obj)
    {
        bpf_program* prog;
        bpf_object__for_each_program(prog, obj)
        {
            if (bpf_program__autoload(prog))
                programs_.push_back(prog);
        }
        buf_.assign(programs_.size() * per_program, '\0');
        for (std::size_t i = 0; i < programs_.size(); ++i)
            bpf_program__set_log_buf(programs_[i], buf_.data() + i * per_program, per_program);
    }
    VerifierLog(const VerifierLog&) = delete;
    VerifierLog& operator=(const VerifierLog&) = delete;

    // The program the verifier refused, or null (the load failed elsewhere, e.g. on a kfunc).
    const bpf_program* refused() const noexcept
    {
        for (std::size_t i = 0; i < programs_.size(); ++i)
            if (buf_[i * per_program] != '\0')
                return programs_[i];
        return nullptr;
    }
    // Its log; empty if none was refused.
    std::string_view text() const noexcept
    {
        for (std::size_t i = 0; i < programs_.size(); ++i)
            if (buf_[i * per_program] != '\0')
                return std::string_view(buf_.data() + i * per_program, strnlen(buf_.data() + i * per_program, per_program));
        return {};
    }

private:
    std::vector<bpf_program*> programs_;
    std::string buf_;
};

// A line's shape: its text with every run of digits as one '#' ("12: (71) r1 = *(u8 *)(r2 +3)" and
// "13: (71) r1 = *(u8 *)(r2 +4)" have the same).
inline std::string line_shape(std::string_view line)
{
    std::string shape;
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] >= '0' && line[i] <= '9') {
            if (shape.empty() || shape.back() != '#')
                shape += '#';
        } else {
            shape += line[i];
        }
    }
    return shape;
}

// LOG with each run of more than three consecutive lines of one shape (or of two alternating
// shapes, as a copy's load/store pairs) cut to its first two lines and a count.
inline std::string fold_repeated_lines(std::string_view log)
{
    std::vector<std::string_view> lines;
    for (std::size_t at = 0; at < log.size();) {
        std::size_t eol = log.find('\n', at);
        std::size_t end = eol == std::string_view::npos ? log.size() : eol + 1;
        lines.push_back(log.substr(at, end - at));
        at = end;
    }
    std::vector<std::string> shapes;
    shapes.reserve(lines.size());
    for (std::string_view l : lines)
        shapes.push_back(line_shape(l));
    std::string out;
    for (std::size_t i = 0; i < lines.size();) {
        // A run repeating with period 1 or 2 from line i.
        std::size_t best = 0, period = 1;
        for (std::size_t p : {std::size_t{1}, std::size_t{2}}) {
            std::size_t n = p;
            while (i + n < lines.size() && shapes[i + n] == shapes[i + n - p])
                ++n;
            if (n > best)
                best = n, period = p;
        }
        if (best > 3 + period) {
            for (std::size_t k = 0; k < period; ++k)
                out += lines[i + k];
            out += "[... " + std::to_string(best - period) + " more lines like " + (period == 1 ? "it" : "these") + "]\n";
            i += best;
        } else {
            out += lines[i++];
        }
    }
    return out;
}

// What explains a verifier rejection, for an Error: the end of the log, or, where the kernel (7.x)
// writes a report after the error ("Verification failed: ..."), the error line and the report.
inline std::string verifier_excerpt(std::string_view prog, std::string_view log)
{
    constexpr std::size_t tail_lines = 40, report_lines = 60;
    const std::string head = "verifier log of '" + std::string(prog) + "'";
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
        std::string out = head + " (the error and the kernel's report):\n";
        out += log.substr(cut, stop - cut);
        if (stop < log.size())
            out += "[... " + std::to_string(std::count(log.begin() + static_cast<std::ptrdiff_t>(stop), log.end(), '\n')) +
                   " more lines]\n";
        return out;
    }
    // The tail, with runs of same-shape instruction lines (a byte-by-byte copy, an unrolled loop)
    // folded, so that the source lines and the state before them stay in view.
    std::string folded = fold_repeated_lines(log);
    std::string_view tail = folded;
    cut = tail.size();
    while (cut > 0 && !(tail[cut - 1] == '\n' && ++lines > tail_lines))
        --cut;
    return head + (cut > 0 ? " (last lines):\n" : ":\n") + std::string(tail.substr(cut));
}

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
