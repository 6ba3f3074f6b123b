#include <doctest/doctest.h>
#include "message_of.hpp"
#include <scxx/stats_client.hpp>
#include <scxx/stats_server.hpp>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>

namespace fs = std::filesystem;

namespace {
fs::path fresh_dir(const char* what)
{
    fs::path d = fs::temp_directory_path() / ("scxx-" + std::string(what) + "-" + std::to_string(getpid()));
    fs::remove_all(d);
    return d;
}

int connect_to(const fs::path& p)
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strncpy(a.sun_path, p.c_str(), sizeof(a.sun_path) - 1);
    if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
        close(fd);
        return -1;
    }
    timeval tv{5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    return fd;
}

// One line from FD ("" if the server closed first).
std::string read_line(int fd)
{
    std::string line;
    char c;
    while (recv(fd, &c, 1, 0) == 1 && c != '\n')
        line += c;
    return line;
}

// Sends TEXT and reads one line back.
std::string ask(int fd, const std::string& text)
{
    if (send(fd, text.data(), text.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(text.size()))
        return "<send failed>";
    return read_line(fd);
}


scxx::Snapshot sample()
{
    scxx::Snapshot s;
    s.counter("enqueued", "tasks queued", 42).gauge("load", "a level", 0.5);
    s.counter("kernel_events", "events", 3, scxx::StatLabel{"event", "dispatch_keep_last"});
    return s;
}
} // namespace

TEST_CASE("JSON: strict parsing with clear errors")
{
    scxx::Json j = scxx::Json::parse(R"( {"req": "stats", "args": {"target": "top", "n": [1, -2.5e3, true, null]}, "u": "\u00e9\ud83d\ude00"} )");
    CHECK(*j.member("req")->string() == "stats");
    CHECK(*j.member("args")->member("target")->string() == "top");
    CHECK(*j.member("u")->string() == "\xc3\xa9\xf0\x9f\x98\x80");
    auto refused = [](const char* text) {
        try {
            scxx::Json::parse(text);
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    CHECK(refused("{\"a\": 1,}") == "at byte 8: an object's key must be a string");
    CHECK(refused("{\"a\" 1}") == "at byte 5: ':' expected after a key");
    CHECK(refused("[1 2]") == "at byte 3: ',' or ']' expected in an array");
    CHECK(refused("\"abc") == "at byte 4: a string is not closed");
    CHECK(refused("01") == "at byte 1: text after the value");
    CHECK(refused(R"({"a": 1, "a": 2})") == "at byte 12: the key \"a\" appears twice");
    CHECK(refused("{} x") == "at byte 3: text after the value");
    CHECK(refused("\"\\ud800\"") == "at byte 7: a lone high surrogate");
    CHECK(refused(std::string(100, '[').c_str()) == "at byte 33: nested deeper than 32");
    CHECK(refused("") == "at byte 0: the text ends where a value should be");
}

TEST_CASE("the stats socket answers scx_stats' requests")
{
    fs::path dir = fresh_dir("server");
    scxx::StatsServer server(dir / "run" / "stats", "simple");
    CHECK((fs::status(dir / "run").permissions() & fs::perms::all) == fs::perms::owner_all);
    CHECK((fs::status(dir / "run" / "stats").permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write));
    CHECK(fs::is_socket(dir / "run" / "stats"));
    CHECK(server.respond(R"({"req":"stats","args":{"target":"top"}})") == "{\"errno\":0,\"args\":{\"resp\":{}}}\n");
    server.publish(sample());
    // The stats, and when the scheduler took them (Unix time, to the microsecond).
    const std::string reply = server.respond(R"({"req":"stats","args":{"target":"top"}})");
    CHECK(reply.starts_with(
        R"({"errno":0,"args":{"resp":{"enqueued":42,"load":0.5,"kernel_events":{"dispatch_keep_last":3}},"time":)"));
    const double time = std::stod(reply.substr(reply.find("\"time\":") + 7));
    const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    CHECK(time > now - 60);
    CHECK(time <= now);
    CHECK(reply.ends_with("}}\n"));
    CHECK(server.respond(R"({"req":"stats"})").starts_with(R"({"errno":0,)"));
    CHECK(server.respond(R"({"req":"stats_meta","args":{}})") ==
          R"({"errno":0,"args":{"resp":{"simple":{"name":"simple","top":"true","desc":"simple's statistics","fields":{)"
          R"("enqueued":{"datum":"u64","desc":"tasks queued","user":{"_kind":"counter"}},)"
          R"("load":{"datum":"float","desc":"a level","user":{"_kind":"gauge"}},)"
          R"("kernel_events":{"dict":{"key":"string","datum":"u64"},"desc":"events","user":{"_kind":"counter","_label":"event"}}}}}}})" "\n");
    CHECK(server.respond(R"({"req":"stats","args":{"target":"dom"}})") ==
          R"({"errno":22,"args":{"resp":"unknown stat target: this server has only \"top\""}})" "\n");
    CHECK(server.respond(R"({"req":"bogus"})") ==
          R"({"errno":22,"args":{"resp":"unknown request \"bogus\": this server answers \"stats\" and \"stats_meta\""}})" "\n");
    CHECK(server.respond("{\"req\": ") ==
          R"({"errno":22,"args":{"resp":"malformed request: at byte 8: the text ends where a value should be"}})" "\n");
    CHECK(server.respond("[1]") == R"({"errno":22,"args":{"resp":"a request is an object with a string \"req\""}})" "\n");

    // Over the socket: a malformed request gets an error and the same connection keeps working.
    int fd = connect_to(dir / "run" / "stats");
    REQUIRE(fd >= 0);
    CHECK(ask(fd, "nonsense\n").starts_with(R"({"errno":22,"args":{"resp":"malformed request)"));
    CHECK(ask(fd, "{\"req\":\"stats\"}\n").starts_with(R"({"errno":0,"args":{"resp":{"enqueued":42)"));
    close(fd);

    // An oversized request is cut off with an error, and the connection closed.
    fd = connect_to(dir / "run" / "stats");
    CHECK(ask(fd, std::string(10000, 'x')) == R"({"errno":7,"args":{"resp":"a request is at most 4096 bytes; closing"}})");
    char c;
    CHECK(recv(fd, &c, 1, 0) <= 0); // closed (reset: the rest of the request was never read)
    close(fd);

    // Requests beyond the rate are refused and the client dropped.
    fd = connect_to(dir / "run" / "stats");
    std::string burst;
    for (int i = 0; i < 150; ++i)
        burst += "{\"req\":\"stats\"}\n";
    REQUIRE(send(fd, burst.data(), burst.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(burst.size()));
    int answered = 0;
    std::string last;
    for (std::string line; !(line = read_line(fd)).empty(); last = line)
        answered += line.starts_with(R"({"errno":0,)");
    CHECK(answered == 100);
    CHECK(last == R"({"errno":16,"args":{"resp":"more than 100 requests in a second; closing"}})");
    close(fd);

    fs::remove_all(dir);
}

TEST_CASE("a client that asks and never reads is dropped once its replies pile up; the others are served")
{
    fs::path dir = fresh_dir("silent");
    scxx::StatsServer server(dir / "stats", "big");
    // Replies of about 60 KB: 90 of them are far more than the socket buffers and the server's bound.
    scxx::Snapshot big;
    for (int i = 0; i < 3000; ++i)
        big.counter("stat_number_" + std::to_string(i), "one of many", static_cast<std::uint64_t>(i));
    server.publish(big);
    int silent = connect_to(dir / "stats");
    REQUIRE(silent >= 0);
    std::string many;
    for (int i = 0; i < 90; ++i)
        many += "{\"req\":\"stats\"}\n";
    REQUIRE(send(silent, many.data(), many.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(many.size()));
    // The server hangs up on it (its unread replies stay in our receive buffer) within seconds.
    pollfd p{silent, POLLRDHUP, 0};
    bool hung_up = false;
    for (int i = 0; i < 50 && !hung_up; ++i)
        hung_up = ::poll(&p, 1, 100) == 1 && (p.revents & (POLLRDHUP | POLLHUP));
    CHECK_MESSAGE(hung_up, "the server kept a client that reads nothing");
    // Meanwhile, and after, the others are served.
    int fd = connect_to(dir / "stats");
    CHECK(ask(fd, "{\"req\":\"stats\"}\n").starts_with(R"({"errno":0,"args":{"resp":{"stat_number_0":0,)"));
    close(fd);
    close(silent);
    fs::remove_all(dir);
}

TEST_CASE("the stats socket is never hijacked, nor created where it is unsafe")
{
    fs::path dir = fresh_dir("sock");
    fs::path path = dir / "d" / "stats";
    {
        scxx::StatsServer first(path, "a");
        CHECK(message_of([&] { scxx::StatsServer second(path, "b"); })
                  .find("another instance (PID " + std::to_string(getpid()) + ") serves its stats there") != std::string::npos);
        int fd = connect_to(path);
        CHECK(fd >= 0); // the first still serves
        close(fd);
    }
    CHECK(!fs::exists(path)); // removed with its server

    // A dead instance's socket is replaced.
    int stale = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strncpy(a.sun_path, path.c_str(), sizeof(a.sun_path) - 1);
    REQUIRE(bind(stale, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0);
    close(stale);
    CHECK(fs::is_socket(path));
    { scxx::StatsServer replaced(path, "a"); }

    // Something else in the way, a symlinked directory, a directory others may write.
    { std::ofstream(path) << "x"; }
    CHECK(message_of([&] { scxx::StatsServer s(path, "a"); }).find("something that is not a socket is in the way") !=
          std::string::npos);
    fs::remove(path);
    fs::create_directory_symlink(dir / "d", dir / "link");
    CHECK(message_of([&] { scxx::StatsServer s(dir / "link" / "stats", "a"); })
              .find("the socket's directory is a symlink or not a directory") != std::string::npos);
    // A directory that cannot be made (under /proc nothing can) is a clear error, not a crash.
    CHECK(message_of([&] { scxx::StatsServer s("/proc/scxx-no-such-dir/run/stats", "a"); })
              .find("cannot make or open the socket's directory") != std::string::npos);
    fs::permissions(dir / "d", fs::perms::others_write, fs::perm_options::add);
    CHECK(message_of([&] { scxx::StatsServer s(path, "a"); })
              .find("belongs to another user or others may write to it") != std::string::npos);
    if (geteuid() == 0) {
        fs::permissions(dir / "d", fs::perms::others_write, fs::perm_options::remove);
        REQUIRE(chown((dir / "d").c_str(), 65534, 65534) == 0);
        CHECK(message_of([&] { scxx::StatsServer s(path, "a"); })
                  .find("belongs to another user or others may write to it (owner 65534") != std::string::npos);
    }
    fs::remove_all(dir);
}

TEST_CASE("StatsClient reads a server's snapshot back, kinds and labels included")
{
    fs::path dir = fresh_dir("client");
    scxx::StatsServer server(dir / "stats", "simple");
    scxx::StatsClient client((dir / "stats").string());
    const scxx::Snapshot published = sample();
    server.publish(published);
    scxx::Snapshot s = client.stats();
    CHECK(scxx::format_json_stats(s) == scxx::format_json_stats(sample()));
    // Taken when the server's snapshot was (to the microsecond the protocol carries), not on arrival.
    CHECK(std::chrono::abs(s.wall_time() - published.wall_time()) < std::chrono::microseconds(2));
    CHECK(scxx::format_prometheus(s, "simple") == scxx::format_prometheus(sample(), "simple"));
    CHECK(message_of([&] { scxx::StatsClient c((dir / "none").string()); })
              .find("no scheduler serves its stats there: is it running with --stats-socket?") != std::string::npos);
    fs::remove_all(dir);
}

TEST_CASE("JSON numbers keep every digit of a 64-bit counter")
{
    scxx::Json j = scxx::Json::parse("[18446744073709551615, 1.5, -3]");
    const auto& a = *std::get<std::shared_ptr<scxx::Json::Array>>(j.value);
    CHECK(a[0].uint64() == 18446744073709551615ULL);
    CHECK(!a[1].uint64());
    CHECK(a[1].number() == 1.5);
    CHECK(!a[2].uint64());
}

TEST_CASE("--monitor shows each snapshot the scheduler published once, with rates over its times")
{
    fs::path dir = fresh_dir("monitor");
    scxx::StatsServer server(dir / "stats", "simple");
    scxx::Snapshot first;
    first.counter("enqueued", "tasks queued", 100);
    server.publish(first);
    // One more snapshot 200 ms later; the monitor asks every 100 ms for 2 s.
    std::thread publisher([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        scxx::Snapshot second(first.wall_time() + std::chrono::milliseconds(200));
        second.counter("enqueued", "tasks queued", 300);
        server.publish(second);
    });
    fs::path out = dir / "monitor.out";
    std::fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    int fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    REQUIRE(fd >= 0);
    dup2(fd, STDOUT_FILENO);
    int status = scxx::monitor("simple", (dir / "stats").string(), std::chrono::milliseconds(100),
                               std::chrono::milliseconds(2000), false);
    std::fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    close(fd);
    publisher.join();
    CHECK(status == 0);
    std::ifstream in(out);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::size_t tables = 0;
    for (std::size_t at = 0; (at = text.find("simple stats (from ", at)) != std::string::npos; ++at)
        ++tables;
    CHECK_MESSAGE(tables == 2, text); // not one per request: the same snapshot is shown once
    // 200 more in the 200 ms between the scheduler's two snapshots, whenever the monitor got them.
    CHECK_MESSAGE(text.find("  enqueued  300  1000.0/s  tasks queued\n") != std::string::npos, text);
    fs::remove_all(dir);
}

TEST_CASE("StatsClient ignores a time that is no plausible Unix time instead of converting it")
{
    fs::path dir = fresh_dir("badtime");
    fs::create_directories(dir);
    const fs::path path = dir / "stats";
    int listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strncpy(a.sun_path, path.c_str(), sizeof(a.sun_path) - 1);
    REQUIRE(bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0);
    REQUIRE(listen(listener, 1) == 0);
    // A server of our own making: one field, and a "time" of 1e300 seconds.
    std::thread server([&] {
        int c = accept(listener, nullptr, nullptr);
        const std::string meta =
            R"({"errno":0,"args":{"resp":{"x":{"name":"x","top":"true","fields":{"n":{"datum":"u64","desc":"n"}}}}}})" "\n";
        const std::string stats = R"({"errno":0,"args":{"resp":{"n":7},"time":1e300}})" "\n";
        for (const std::string* reply : {&meta, &stats}) {
            read_line(c);
            send(c, reply->data(), reply->size(), MSG_NOSIGNAL);
        }
        close(c);
    });
    scxx::StatsClient client(path.string());
    const auto before = std::chrono::system_clock::now();
    scxx::Snapshot s = client.stats();
    server.join();
    close(listener);
    CHECK(std::get<std::uint64_t>(s.find("n")->value) == 7);
    CHECK(s.wall_time() >= before); // taken on arrival: the time was refused
    fs::remove_all(dir);
}
