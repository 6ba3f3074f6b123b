// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// What a Snapshot (scxx/stats.hpp) looks like to people, scripts and Prometheus:
//   format_text        aligned lines, each counter with its rate since the previous snapshot
//   format_json        one JSON object: {"time":..., "scheduler":..., "stats":{name: value, ...}},
//                      a breakdown as {label value: value}; one line per snapshot for --stats-format json
//   format_prometheus  Prometheus' text exposition format (what node_exporter's textfile collector
//                      reads): scx_<name>_total for counters, scx_<name> for gauges, with # HELP and
//                      # TYPE, and the labels scheduler="<program>" and the breakdown's own
//   format_stats_help  what --help-stats prints: each stat's name, kind, metric and description
//   write_file_atomically  a file replaced in one rename, never written through a symlink

#include <scxx/error.hpp>
#include <scxx/stats.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace scxx {

namespace detail {

// TEXT as a JSON string, quoted.
inline std::string json_string(std::string_view text)
{
    std::string out = "\"";
    for (char c : text) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof(buf), "\\u%04x", static_cast<unsigned>(c));
                out += buf;
            } else {
                out += c;
            }
        }
    }
    return out + "\"";
}

// A value as JSON (a non-finite gauge is null: JSON has no NaN) or Prometheus writes it.
inline std::string number_text(const Stat& s, bool json)
{
    if (const auto* u = std::get_if<std::uint64_t>(&s.value))
        return std::to_string(*u);
    double d = std::get<double>(s.value);
    if (!std::isfinite(d))
        return json ? "null" : std::isnan(d) ? "NaN" : d > 0 ? "+Inf" : "-Inf";
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), d); // the shortest text that reads back as D
    return std::string(buf, ec == std::errc() ? end : buf);
}

// A value as a person reads it: whole numbers in full, fractions to three significant digits
// (all the integer digits from 1000 up): 5.95, 0.125, 5310.
inline std::string text_number(const Stat& s)
{
    const double* d = std::get_if<double>(&s.value);
    if (!d || !std::isfinite(*d))
        return number_text(s, false);
    char buf[48];
    std::snprintf(buf, sizeof(buf), std::fabs(*d) >= 1000 ? "%.0f" : "%.3g", *d);
    return buf;
}

// The stats grouped by name, in the order they were added: a name and its breakdown together.
inline std::vector<std::vector<const Stat*>> by_name(const Snapshot& s)
{
    std::vector<std::vector<const Stat*>> groups;
    for (const Stat& stat : s.stats()) {
        auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.front()->name == stat.name; });
        if (it == groups.end())
            groups.push_back({&stat});
        else
            it->push_back(&stat);
    }
    return groups;
}

inline std::string prometheus_escape(std::string_view text, bool label_value)
{
    std::string out;
    for (char c : text) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else if (c == '"' && label_value)
            out += "\\\"";
        else
            out += c;
    }
    return out;
}

} // namespace detail

// The stats of NOW as aligned lines, a counter's rate per second since PREVIOUS if given:
//   "  enqueued            1234   512.0/s  tasks queued on the shared queue"
inline std::string format_text(const Snapshot& now, const Snapshot* previous = nullptr)
{
    struct Row {
        std::string name, value, rate, description;
    };
    std::vector<Row> rows;
    const double seconds =
        previous ? std::chrono::duration<double>(now.at() - previous->at()).count() : 0;
    // A breakdown's rows together (in the order its name first came), its description on the first.
    for (const auto& group : detail::by_name(now))
        for (const Stat* st : group) {
            const Stat& s = *st;
            Row r{s.name + (s.label ? "{" + s.label->key + "=" + s.label->value + "}" : ""), detail::text_number(s),
                  "", st == group.front() ? s.description : ""};
            if (s.kind == StatKind::counter && previous && seconds > 0)
                if (const Stat* before = previous->find(s.name, s.label)) {
                    char buf[32];
                    std::snprintf(buf, sizeof(buf), "%.1f/s", (s.as_double() - before->as_double()) / seconds);
                    r.rate = buf;
                }
            rows.push_back(std::move(r));
        }
    std::size_t name_w = 0, value_w = 0, rate_w = 0;
    for (const Row& r : rows) {
        name_w = std::max(name_w, r.name.size());
        value_w = std::max(value_w, r.value.size());
        rate_w = std::max(rate_w, r.rate.size());
    }
    std::string out;
    for (const Row& r : rows) {
        std::string line = "  " + r.name + std::string(name_w - r.name.size() + 2, ' ') +
                           std::string(value_w - r.value.size(), ' ') + r.value;
        if (rate_w)
            line += std::string(rate_w - r.rate.size() + 2, ' ') + r.rate;
        line += r.description.empty() ? "" : "  " + r.description;
        line.erase(line.find_last_not_of(' ') + 1); // no padding after the last column
        out += line + "\n";
    }
    return out;
}

// The stats object alone: {"enqueued": 1234, "kernel_events": {"dispatch_keep_last": 3}}.
inline std::string format_json_stats(const Snapshot& s)
{
    std::string out = "{";
    bool first = true;
    for (const auto& group : detail::by_name(s)) {
        out += (first ? "" : ",") + detail::json_string(group.front()->name) + ":";
        first = false;
        if (!group.front()->label) {
            out += detail::number_text(*group.front(), true);
            continue;
        }
        out += "{";
        for (std::size_t i = 0; i < group.size(); ++i)
            out += (i ? "," : "") + detail::json_string(group[i]->label->value) + ":" + detail::number_text(*group[i], true);
        out += "}";
    }
    return out + "}";
}

// One JSON line: {"time": <Unix time, s>, "scheduler": PROGRAM, "stats": {...}}.
inline std::string format_json(const Snapshot& s, std::string_view program)
{
    char time[32];
    std::snprintf(time, sizeof(time), "%.3f",
                  std::chrono::duration<double>(s.wall_time().time_since_epoch()).count());
    return std::string("{\"time\":") + time + ",\"scheduler\":" + detail::json_string(program) +
           ",\"stats\":" + format_json_stats(s) + "}\n";
}

// Prometheus' text exposition format (version 0.0.4), every sample labelled scheduler=PROGRAM.
inline std::string format_prometheus(const Snapshot& s, std::string_view program)
{
    std::string out;
    const std::string scheduler = "scheduler=\"" + detail::prometheus_escape(program, true) + "\"";
    for (const auto& group : detail::by_name(s)) {
        const Stat& head = *group.front();
        const bool counter = head.kind == StatKind::counter;
        const std::string metric = "scx_" + head.name + (counter ? "_total" : "");
        out += "# HELP " + metric + " " + detail::prometheus_escape(head.description, false) + "\n";
        out += "# TYPE " + metric + (counter ? " counter\n" : " gauge\n");
        for (const Stat* st : group) {
            std::string labels = scheduler;
            if (st->label)
                labels += "," + st->label->key + "=\"" + detail::prometheus_escape(st->label->value, true) + "\"";
            out += metric + "{" + labels + "} " + detail::number_text(*st, false) + "\n";
        }
    }
    return out;
}

// The stats INFOS describe, as --help-stats shows them: one line each with the kind (and the
// breakdown's label), the Prometheus metric and the description.
inline std::string format_stats_help(std::string_view program, std::span<const StatInfo> infos)
{
    if (infos.empty())
        return std::string(program) +
               " does not describe its stats (its loader calls no Cli::describe_stats); --stats shows them\n";
    struct Row {
        std::string name, kind, metric, description;
    };
    std::vector<Row> rows;
    for (const StatInfo& i : infos) {
        const bool counter = i.kind == StatKind::counter;
        std::string kind = counter ? "counter" : "gauge";
        if (!i.label_key.empty())
            kind += " by " + std::string(i.label_key);
        rows.push_back({std::string(i.name), std::move(kind), "scx_" + std::string(i.name) + (counter ? "_total" : ""),
                        std::string(i.description)});
    }
    std::size_t name_w = 4, kind_w = 4, metric_w = 10;
    for (const Row& r : rows) {
        name_w = std::max(name_w, r.name.size());
        kind_w = std::max(kind_w, r.kind.size());
        metric_w = std::max(metric_w, r.metric.size());
    }
    auto line = [&](const std::string& a, const std::string& b, const std::string& c, const std::string& d) {
        return "  " + a + std::string(name_w - a.size() + 2, ' ') + b + std::string(kind_w - b.size() + 2, ' ') + c +
               std::string(metric_w - c.size() + 2, ' ') + d + "\n";
    };
    std::string out = std::string(program) +
                      "'s stats (a counter only grows: --stats shows its rate too; a gauge is a level):\n" +
                      line("name", "kind", "Prometheus", "description");
    for (const Row& r : rows)
        out += line(r.name, r.kind, r.metric, r.description);
    return out;
}

// Replaces PATH with TEXT in one rename: readers see the old file or the new one, never part of
// either. The temporary file is created next to PATH (same directory, so the rename is atomic)
// with O_EXCL and O_NOFOLLOW, and rename replaces a symlink at PATH instead of writing through it.
// The directory itself is opened with O_NOFOLLOW: a symlink there is refused.
inline void write_file_atomically(const std::filesystem::path& path, std::string_view text, mode_t mode = 0644)
{
    const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
    const std::string name = path.filename().string();
    if (name.empty() || name == "." || name == "..")
        throw Error("write", path.string(), EINVAL, "the path names no file");
    int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0)
        throw Error("write", path.string(), errno,
                    errno == ELOOP || errno == ENOTDIR
                        ? "its directory " + dir.string() + " is a symlink or not a directory; give a real directory"
                        : "cannot open its directory " + dir.string());
    std::string tmp;
    int fd = -1;
    for (unsigned attempt = 0; fd < 0 && attempt < 100; ++attempt) {
        tmp = "." + name + ".tmp." + std::to_string(getpid()) + "." + std::to_string(attempt);
        fd = ::openat(dfd, tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        int err = errno;
        ::close(dfd);
        throw Error("write", path.string(), err, "cannot create a temporary file in " + dir.string());
    }
    std::size_t done = 0;
    int err = 0;
    while (done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            err = n < 0 ? errno : EIO;
            break;
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fchmod(fd, mode) != 0 && !err) // the umask narrowed the mode openat gave
        err = errno;
    if (::close(fd) != 0 && !err)
        err = errno;
    if (!err && ::renameat(dfd, tmp.c_str(), dfd, name.c_str()) != 0)
        err = errno;
    if (err)
        ::unlinkat(dfd, tmp.c_str(), 0);
    ::close(dfd);
    if (err)
        throw Error("write", path.string(), err, "could not replace the file");
}

} // namespace scxx
