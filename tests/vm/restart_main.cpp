// Runs restart.bpf.c with scxx::run_with_restarts, printing each generation and scxx's own messages
// (debug level included) so the test can follow what happened. With --sigint-in-generation N it
// sends itself SIGINT while generation N is being set up, i.e. between two runs.
#include <scxx/scxx.hpp>

#include "restart.skel.hpp"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

int main(int argc, char** argv)
{
    int sigint_generation = 0;
    if (argc == 3 && std::strcmp(argv[1], "--sigint-in-generation") == 0)
        sigint_generation = std::atoi(argv[2]);
    int configured = 0;
    scxx::set_log_sink([](scxx::LogLevel, std::string_view object, std::string_view message) {
        if (object.empty() || message.starts_with("libbpf:"))
            return; // libbpf's own chatter
        std::printf("log: %.*s: %.*s", static_cast<int>(object.size()), object.data(),
                    static_cast<int>(message.size()), message.data());
        std::fflush(stdout);
    });
    try {
        scxx::ExitInfo exit = scxx::run_with_restarts<restart_bpf>(
            [&](scxx::OpenScheduler<restart_bpf>&) {
                if (++configured == sigint_generation)
                    std::raise(SIGINT);
            },
            [](scxx::AttachedScheduler<restart_bpf>&, int generation) {
                std::printf("attached generation %d\n", generation);
                std::fflush(stdout);
            });
        std::printf("exit: %s\n", exit.to_string().c_str());
        return 0;
    } catch (const scxx::Error& e) {
        std::printf("error: %s\n", e.what());
        return 2;
    }
}
