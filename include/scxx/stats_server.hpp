// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// The scx_stats protocol on a UNIX socket, so that the sched_ext ecosystem's clients can read an
// scxx scheduler: one JSON request per line, one JSON response per line.
//   {"req": "stats", "args": {"target": "top"}}   -> {"errno": 0, "args": {"resp": {<stats>}, "time": <t>}}
//   {"req": "stats_meta", "args": {}}             -> {"errno": 0, "args": {"resp": {<meta>}}}
//   anything else, or malformed                   -> {"errno": 22, "args": {"resp": "<why>"}}
// <stats> is format_json_stats() of the latest snapshot the program published (its run loop takes
// one every interval) and <t> the Unix time it was taken (a client tells a new snapshot from one
// it has seen, and takes rates over the right span; scx_stats' clients ignore it); <meta> describes each field as scx_stats does: {"<program>": {"name":
// "<program>", "top": "true", "desc": ..., "fields": {"enqueued": {"datum": "u64", "desc": ...},
// "kernel_events": {"dict": {"key": "string", "datum": "u64"}, "desc": ...}}}}, each field's
// "user" attributes saying scxx's kind ("_kind": counter or gauge) and a breakdown's label key
// ("_label"), which scx_stats' own clients ignore.
//
// The server runs on its own thread and never touches the scheduler: a slow, silent or hostile
// client cannot delay scheduling. Requests are at most 4 KiB and 100 a second per client, at most
// 16 clients at once; a client that stops reading is dropped once its replies fill the socket.
// The socket is created safely: its directory is made (mode 0700, or 0750 with a group) without
// following a symlink and refused if another user owns it or others may write it; a stale socket
// of a dead instance is replaced, a live one is never taken over (the error names its PID).

#include <scxx/error.hpp>
#include <scxx/json.hpp>
#include <scxx/stats.hpp>
#include <scxx/stats_output.hpp>

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace scxx {

class StatsServer {
public:
    static constexpr std::size_t max_request = 4096;
    static constexpr unsigned max_clients = 16;
    static constexpr unsigned max_requests_per_second = 100;

    // Serves the stats of PROGRAM on a socket at PATH (mode 0600; with GROUP, 0660 and that group).
    StatsServer(std::filesystem::path path, std::string program, std::optional<gid_t> group = {})
        : path_(std::move(path)), program_(std::move(program))
    {
        listen_fd_ = listen_safely(path_, group);
        wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (wake_fd_ < 0) {
            int err = errno;
            close_listener();
            throw Error("serve stats", path_.string(), err, "eventfd");
        }
        thread_ = std::thread([this] { serve(); });
    }
    StatsServer(const StatsServer&) = delete;
    StatsServer& operator=(const StatsServer&) = delete;
    ~StatsServer()
    {
        std::uint64_t one = 1;
        if (write(wake_fd_, &one, sizeof(one)) < 0) {
        } // the thread also polls; a failed wake-up only delays the join
        thread_.join();
        ::close(wake_fd_);
        close_listener();
    }

    // What the next "stats" request gets.
    void publish(const Snapshot& s)
    {
        std::string stats = format_json_stats(s), meta = meta_of(s);
        char time[32];
        std::snprintf(time, sizeof(time), "%.6f",
                      std::chrono::duration<double>(s.wall_time().time_since_epoch()).count());
        std::lock_guard lock(mutex_);
        stats_ = std::move(stats);
        meta_ = std::move(meta);
        time_ = time;
    }

    const std::filesystem::path& path() const noexcept { return path_; }

    // The response to one request line (exposed for tests).
    std::string respond(std::string_view line)
    {
        std::string req;
        try {
            Json j = Json::parse(line);
            const Json* r = j.member("req");
            if (!j.object() || !r || !r->string())
                return error_response("a request is an object with a string \"req\"");
            req = *r->string();
            const Json* args = j.member("args");
            if (args && !args->object())
                return error_response("\"args\" must be an object");
            if (req == "stats") {
                const Json* target = args ? args->member("target") : nullptr;
                if (target && (!target->string() || *target->string() != "top"))
                    return error_response("unknown stat target: this server has only \"top\"");
                std::lock_guard lock(mutex_);
                if (stats_.empty())
                    return "{\"errno\":0,\"args\":{\"resp\":{}}}\n"; // nothing published yet
                return "{\"errno\":0,\"args\":{\"resp\":" + stats_ + ",\"time\":" + time_ + "}}\n";
            }
            if (req == "stats_meta") {
                std::lock_guard lock(mutex_);
                return "{\"errno\":0,\"args\":{\"resp\":" + (meta_.empty() ? std::string("{}") : meta_) + "}}\n";
            }
        } catch (const std::exception& e) {
            return error_response(std::string("malformed request: ") + e.what());
        }
        return error_response("unknown request " + detail::json_string(req) + ": this server answers \"stats\" and \"stats_meta\"");
    }

private:
    struct Client {
        int fd = -1;
        std::string in, out;
        std::chrono::steady_clock::time_point second;
        unsigned requests = 0;
        bool closing = false; // close once OUT is sent
    };

    static std::string error_response(const std::string& why, int err = EINVAL)
    {
        return "{\"errno\":" + std::to_string(err) + ",\"args\":{\"resp\":" + detail::json_string(why) + "}}\n";
    }

    std::string meta_of(const Snapshot& s) const
    {
        std::string fields;
        for (const auto& group : detail::by_name(s)) {
            const Stat& head = *group.front();
            const char* datum = std::holds_alternative<double>(head.value) ? "float" : "u64";
            fields += (fields.empty() ? "" : ",") + detail::json_string(head.name) + ":{" +
                      (head.label ? std::string("\"dict\":{\"key\":\"string\",\"datum\":\"") + datum + "\"}"
                                  : std::string("\"datum\":\"") + datum + "\"") +
                      ",\"desc\":" + detail::json_string(head.description) + ",\"user\":{\"_kind\":\"" +
                      (head.kind == StatKind::counter ? "counter" : "gauge") + "\"" +
                      (head.label ? ",\"_label\":" + detail::json_string(head.label->key) : std::string()) + "}}";
        }
        const std::string name = detail::json_string(program_);
        return "{" + name + ":{\"name\":" + name + ",\"top\":\"true\",\"desc\":" +
               detail::json_string(program_ + "'s statistics") + ",\"fields\":{" + fields + "}}}";
    }

    // Makes DIR if missing (and its missing parents, mode 0755), opens it without following a
    // symlink, and checks it is ours and private: owned by this user, writable by no one else.
    static int private_directory(const std::filesystem::path& dir, std::optional<gid_t> group)
    {
        const mode_t mode = group ? 0750 : 0700;
        std::filesystem::path parent;
        for (const auto& part : dir.parent_path()) {
            parent /= part;
            ::mkdir(parent.c_str(), 0755); // EEXIST for what is there
        }
        if (::mkdir(dir.c_str(), mode) == 0 && group && ::chown(dir.c_str(), static_cast<uid_t>(-1), *group) != 0)
            throw Error("serve stats", dir.string(), errno, "cannot give the directory to the stats group");
        int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dfd < 0)
            throw Error("serve stats", dir.string(), errno,
                        errno == ELOOP || errno == ENOTDIR
                            ? "the socket's directory is a symlink or not a directory; give a real directory"
                            : "cannot make or open the socket's directory");
        struct stat st {};
        if (::fstat(dfd, &st) != 0 || st.st_uid != ::geteuid() || (st.st_mode & 0022) != 0) {
            ::close(dfd);
            throw Error("serve stats", dir.string(), EPERM,
                        "the socket's directory belongs to another user or others may write to it (owner " +
                            std::to_string(st.st_uid) + ", mode " + std::to_string(st.st_mode & 07777) +
                            "); use a directory only this user can write");
        }
        return dfd;
    }

    // The PID of the process serving a live socket at PATH, or nullopt if nothing answers there.
    static std::optional<pid_t> live_owner(const sockaddr_un& addr)
    {
        int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            return std::nullopt;
        std::optional<pid_t> pid;
        if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) == 0) {
            ucred cred{};
            socklen_t len = sizeof(cred);
            pid = ::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 ? cred.pid : 0;
        }
        ::close(fd);
        return pid;
    }

    static int listen_safely(const std::filesystem::path& path, std::optional<gid_t> group)
    {
        const std::string where = path.string();
        if (!path.has_filename() || !path.has_parent_path())
            throw Error("serve stats", where, EINVAL, "the socket path needs a directory and a file name");
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        if (where.size() >= sizeof(addr.sun_path))
            throw Error("serve stats", where, ENAMETOOLONG,
                        "a UNIX socket path has at most " + std::to_string(sizeof(addr.sun_path) - 1) + " bytes");
        std::memcpy(addr.sun_path, where.c_str(), where.size() + 1);
        int dfd = private_directory(path.parent_path(), group);
        const std::string name = path.filename().string();
        struct stat st {};
        if (::fstatat(dfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
            if (!S_ISSOCK(st.st_mode)) {
                ::close(dfd);
                throw Error("serve stats", where, EEXIST, "something that is not a socket is in the way; remove it");
            }
            if (std::optional<pid_t> pid = live_owner(addr)) {
                ::close(dfd);
                throw Error("serve stats", where, EADDRINUSE,
                            "another instance (PID " + std::to_string(*pid) + ") serves its stats there; stop it or give "
                            "another --stats-socket");
            }
            ::unlinkat(dfd, name.c_str(), 0); // a dead instance's socket
        }
        int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        int err = fd < 0 ? errno : 0;
        if (!err && ::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0)
            err = errno;
        if (!err && group && ::fchownat(dfd, name.c_str(), static_cast<uid_t>(-1), *group, AT_SYMLINK_NOFOLLOW) != 0)
            err = errno;
        if (!err && ::fchmodat(dfd, name.c_str(), group ? 0660 : 0600, 0) != 0)
            err = errno;
        if (!err && ::listen(fd, 16) != 0)
            err = errno;
        ::close(dfd);
        if (err) {
            if (fd >= 0)
                ::close(fd);
            throw Error("serve stats", where, err, "cannot create the socket");
        }
        return fd;
    }

    void close_listener()
    {
        if (listen_fd_ >= 0) {
            ::close(listen_fd_);
            ::unlink(path_.c_str());
            listen_fd_ = -1;
        }
    }

    // Takes complete lines from C's input and queues their responses.
    void handle_input(Client& c)
    {
        for (std::size_t nl; (nl = c.in.find('\n')) != std::string::npos;) {
            std::string line = c.in.substr(0, nl);
            c.in.erase(0, nl + 1);
            auto now = std::chrono::steady_clock::now();
            if (now - c.second >= std::chrono::seconds(1)) {
                c.second = now;
                c.requests = 0;
            }
            if (++c.requests > max_requests_per_second) {
                c.out += error_response("more than " + std::to_string(max_requests_per_second) +
                                            " requests in a second; closing",
                                        EBUSY);
                c.closing = true;
                return;
            }
            c.out += respond(line);
        }
        if (c.in.size() > max_request) {
            c.out += error_response("a request is at most " + std::to_string(max_request) + " bytes; closing", E2BIG);
            c.closing = true;
        }
    }

    void serve()
    {
        std::vector<Client> clients;
        for (;;) {
            std::vector<pollfd> fds{{wake_fd_, POLLIN, 0}, {listen_fd_, POLLIN, 0}};
            for (const Client& c : clients)
                fds.push_back({c.fd, static_cast<short>((c.closing ? 0 : POLLIN) | (c.out.empty() ? 0 : POLLOUT)), 0});
            if (::poll(fds.data(), fds.size(), 1000) < 0 && errno != EINTR)
                return;
            if (fds[0].revents)
                break;
            for (std::size_t i = 0; i < clients.size(); ++i) {
                Client& c = clients[i];
                short ev = fds[i + 2].revents;
                bool drop = (ev & (POLLERR | POLLNVAL)) != 0;
                if (!drop && (ev & (POLLIN | POLLHUP)) && !c.closing) {
                    char buf[4096];
                    ssize_t n = ::recv(c.fd, buf, sizeof(buf), 0);
                    if (n > 0) {
                        c.in.append(buf, static_cast<std::size_t>(n));
                        handle_input(c);
                    } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
                        drop = true;
                    }
                }
                if (!drop && !c.out.empty()) {
                    ssize_t n = ::send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
                    if (n > 0)
                        c.out.erase(0, static_cast<std::size_t>(n));
                    else if (n < 0 && errno != EAGAIN && errno != EINTR)
                        drop = true;
                    // A client that does not read: its replies pile up; past a bound it is dropped.
                    if (c.out.size() > 64 * max_request)
                        drop = true;
                }
                if (!drop && c.closing && c.out.empty())
                    drop = true;
                if (drop) {
                    ::close(c.fd);
                    c.fd = -1;
                }
            }
            std::erase_if(clients, [](const Client& c) { return c.fd < 0; });
            if (fds[1].revents & POLLIN) {
                int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
                if (fd >= 0 && clients.size() >= max_clients) {
                    std::string full = error_response("too many clients (at most " + std::to_string(max_clients) + ")", EBUSY);
                    ssize_t ignored = ::send(fd, full.data(), full.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
                    (void)ignored;
                    ::close(fd);
                } else if (fd >= 0) {
                    clients.push_back({fd, {}, {}, std::chrono::steady_clock::now(), 0, false});
                }
            }
        }
        for (Client& c : clients)
            ::close(c.fd);
    }

    std::filesystem::path path_;
    std::string program_;
    int listen_fd_ = -1;
    int wake_fd_ = -1;
    std::mutex mutex_;
    std::string stats_, meta_, time_;
    std::thread thread_;
};

} // namespace scxx
