// Runs restart.bpf.c with scxx::run_with_restarts, printing each generation and scxx's own messages
// (debug level included) so the test can follow what happened.
#include <scxx/scxx.hpp>

#include "restart.skel.hpp"

#include <cstdio>
#include <string>

int main()
{
    scxx::set_log_sink([](scxx::LogLevel, std::string_view object, std::string_view message) {
        if (object.empty() || message.starts_with("libbpf:"))
            return; // libbpf's own chatter
        std::printf("log: %.*s: %.*s", static_cast<int>(object.size()), object.data(),
                    static_cast<int>(message.size()), message.data());
        std::fflush(stdout);
    });
    try {
        scxx::ExitInfo exit = scxx::run_with_restarts<restart_bpf>(
            [](scxx::OpenScheduler<restart_bpf>&) {},
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
