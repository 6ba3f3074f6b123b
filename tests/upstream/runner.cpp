// Runs one scheduler object built from the kernel's own sources (selftests and examples) through
// scxx's C++ API and checks the outcome its upstream test expects. Built once per object by
// project/CMakeLists.txt (UPSTREAM_SKEL, UPSTREAM_SKEL_HPP); the cases are in cases.sh.
//
// usage: runner [options]
//   --ops NAME            the struct_ops map to attach (objects that define several)
//   --rodata NAME=VALUE   set a read-only global before load (integers, by the object's BTF;
//                         NAME may name a struct member, a.b, or an array element, a[2])
//   --bss NAME=VALUE      set a zero-initialized global before attach
//   --resize NAME=N       resize the RESIZABLE_ARRAY NAME to N elements before load
//   --max-entries MAP=N   set MAP's max_entries before load
//   --fill-inner-maps MAP put a new map, shaped as its declared inner map, in every slot of the
//                         array of maps MAP once loaded (as scx_pair's loader does)
//   --expect WHAT         open-fails | load-fails | attach-fails | exits | runs (default)
//   --kind KIND           the exit kind "exits" expects (ERROR, ERROR_BPF, UNREG_BPF ...)
//   --message TEXT        text the error (for *-fails) or the exit message must contain
//   --exit-code N         the exit code "exits" expects
//   --duration S          how long "runs" runs, and "exits" waits at most (default 3)
//   --until-signal        "runs" runs until SIGINT or SIGTERM instead (as the kernel's example
//                         loaders do; the benchmarks use it)
//   --workload CMD        a shell command run while attached (runs: it must exit 0)
//   --prog-run NAME[:pid] run the object's syscall program NAME once attached, with the runner's
//                         pid as its one u64 argument if asked
//   --ops-flags N         set sched_ext_ops.flags to N before load (as a loader's ops->flags = ...)
//   --attach-cpu N        attach from CPU N (scx_central's loader pins itself to the central CPU)
//   --before CMD          a shell command started before attach: the runner attaches once CMD has
//                         printed a line (or closed its output), closes CMD's input once
//                         attached, and requires CMD to exit 0 by the end of the run
//   --max-wakeups N       the run loop may block (voluntary context switches) at most N times
//   --check EXPR          after the run: A>=B, A>B, A==B, A!=B, A<=B or A<B, each side an integer
//                         or a global (NAME, or NAME.member for a struct)
// Prints "PASS: ..." and exits 0, or "FAIL: ..." and exits 1.
#include <scxx/scxx.hpp>

#include UPSTREAM_SKEL_HPP

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

struct Options {
    std::string ops;
    std::vector<std::pair<std::string, std::string>> rodata, bss, resize, max_entries;
    std::vector<std::string> fill_inner_maps;
    std::string expect = "runs";
    std::string kind, message, workload, prog_run, before;
    std::optional<long long> ops_flags;
    std::optional<long long> attach_cpu;
    std::optional<long long> exit_code;
    std::optional<long long> max_wakeups;
    double duration = 3;
    bool until_signal = false;
    std::vector<std::string> checks;
};

[[noreturn]] void fail(const std::string& why)
{
    std::printf("FAIL: %s\n", why.c_str());
    std::exit(1);
}

long long number(const std::string& text, const std::string& what)
{
    long long v = 0;
    int base = text.starts_with("0x") ? 16 : 10;
    std::string_view digits = base == 16 ? std::string_view(text).substr(2) : std::string_view(text);
    bool negative = !digits.empty() && digits.front() == '-';
    if (negative)
        digits.remove_prefix(1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v, base);
    if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty())
        fail(what + ": '" + text + "' is not an integer");
    return negative ? -v : v;
}

// The bytes of global NAME in one of the object's data sections (.rodata, .bss, .data, the arena),
// through the section map's initial value (before load) or its memory mapping (after). NAME may
// name a member of a struct global: "qa.nr_enqueued".
struct Global {
    unsigned char* data = nullptr;
    std::size_t size = 0;
    bpf_map* map = nullptr;
    std::size_t offset = 0;
    __u32 type = 0;
    std::size_t room = 0; // bytes from data on that it may index: a RESIZABLE_ARRAY's whole section
};

// The BTF data section behind MAP: "<object>.<section>" (".data.cpu_started_at" keeps its dots),
// or the arena's globals.
const char* section_of(bpf_map* map)
{
    if (bpf_map__type(map) == BPF_MAP_TYPE_ARENA)
        return ".addr_space.1";
    return std::strchr(bpf_map__name(map), '.');
}

// Descends from G into its member MEMBER (G's type a struct or union).
void descend(const btf* b, Global& g, const std::string& path, const std::string& member)
{
    const btf_type* t = btf__type_by_id(b, btf__resolve_type(b, g.type));
    if (!t || !(btf_is_struct(t) || btf_is_union(t)))
        fail("'" + path + "': the part before '" + member + "' is not a struct");
    const btf_member* m = btf_members(t);
    for (int i = 0; i < btf_vlen(t); ++i, ++m) {
        if (member != btf__name_by_offset(b, m->name_off))
            continue;
        if (btf_member_bitfield_size(t, i) != 0 || btf_member_bit_offset(t, i) % 8 != 0)
            fail("'" + path + "': member '" + member + "' is a bit field");
        std::size_t at = btf_member_bit_offset(t, i) / 8;
        __s64 size = btf__resolve_size(b, m->type);
        if (size <= 0 || at + static_cast<std::size_t>(size) > g.size)
            fail("'" + path + "': member '" + member + "' has no size");
        g = Global{g.data + at, static_cast<std::size_t>(size), g.map, g.offset + at, m->type,
                   static_cast<std::size_t>(size)};
        return;
    }
    fail("'" + path + "': no member '" + member + "'");
}

// Descends from G into element INDEX (G's type an array).
void element(const btf* b, Global& g, const std::string& path, const std::string& index)
{
    const btf_type* t = btf__type_by_id(b, btf__resolve_type(b, g.type));
    if (!t || !btf_is_array(t))
        fail("'" + path + "': the part before '[" + index + "]' is not an array");
    __s64 size = btf__resolve_size(b, btf_array(t)->type);
    long long i = number(index, path);
    // A RESIZABLE_ARRAY's BTF says one element: the section's size bounds it.
    if (size <= 0 || i < 0 || static_cast<std::size_t>(i + 1) * static_cast<std::size_t>(size) > g.room)
        fail("'" + path + "': element " + index + " is past the array's end");
    std::size_t at = static_cast<std::size_t>(i * size);
    g = Global{g.data + at, static_cast<std::size_t>(size), g.map, g.offset + at, btf_array(t)->type,
               static_cast<std::size_t>(size)};
}

Global find_global(bpf_object* obj, const std::string& path)
{
    std::string name = path.substr(0, path.find_first_of(".["));
    const btf* b = bpf_object__btf(obj);
    bpf_map* map;
    bpf_object__for_each_map(map, obj)
    {
        const char* section = section_of(map);
        if (!b || !section)
            continue;
        __s32 id = btf__find_by_name_kind(b, section, BTF_KIND_DATASEC);
        if (id < 0)
            continue;
        const btf_type* sec = btf__type_by_id(b, static_cast<__u32>(id));
        const btf_var_secinfo* vars = btf_var_secinfos(sec);
        for (int i = 0; i < btf_vlen(sec); ++i) {
            const btf_type* var = btf__type_by_id(b, vars[i].type);
            if (name != btf__name_by_offset(b, var->name_off))
                continue;
            std::size_t size = 0;
            auto* base = static_cast<unsigned char*>(bpf_map__initial_value(map, &size));
            if (!base || vars[i].offset + vars[i].size > size)
                fail("global '" + name + "' is not accessible in " + section);
            // A RESIZABLE_ARRAY (the last variable of its section) extends to the section's end.
            std::size_t room = i + 1 == btf_vlen(sec) ? size - vars[i].offset : vars[i].size;
            Global g{base + vars[i].offset, vars[i].size, map, vars[i].offset, var->type, room};
            for (std::size_t at = name.size(); at < path.size();) {
                std::size_t next = path.find_first_of(".[", at + 1);
                std::string part = path.substr(at + 1, next == std::string::npos ? next : next - at - 1);
                if (path[at] == '.') {
                    descend(b, g, path, part);
                } else {
                    if (!part.ends_with(']'))
                        fail("'" + path + "': '[" + part + "' has no ']'");
                    part.pop_back();
                    element(b, g, path, part);
                }
                at = next == std::string::npos ? path.size() : next;
            }
            return g;
        }
    }
    fail("the object has no global '" + name + "'");
}

// RESIZABLE_ARRAY NAME (the last global of its own data section) to N elements, as upstream's
// RESIZE_ARRAY() does: the section's map grows, and libbpf resizes the array in the BTF with it.
void resize_array(bpf_object* obj, const std::string& name, const std::string& count)
{
    Global g = find_global(obj, name);
    const btf* b = bpf_object__btf(obj);
    const btf_type* t = btf__type_by_id(b, btf__resolve_type(b, g.type));
    if (!t || !btf_is_array(t))
        fail("global '" + name + "' is not an array");
    __s64 elem = btf__resolve_size(b, btf_array(t)->type);
    long long n = number(count, name);
    if (elem <= 0 || n <= 0)
        fail("cannot resize '" + name + "' to " + count);
    if (int err = bpf_map__set_value_size(g.map, static_cast<__u32>(g.offset + elem * n)); err != 0)
        fail("resizing " + name + " failed: " + std::strerror(-err));
}

// An array of maps' declared inner map (libbpf drops it once the outer map is created).
struct InnerShape {
    std::string outer;
    bpf_map_type type;
    __u32 key_size, value_size, max_entries, slots;
};

InnerShape inner_shape(bpf_object* obj, const std::string& name)
{
    bpf_map* outer = bpf_object__find_map_by_name(obj, name.c_str());
    if (!outer)
        fail("the object has no map '" + name + "'");
    bpf_map* inner = bpf_map__inner_map(outer);
    if (!inner || bpf_map__type(outer) != BPF_MAP_TYPE_ARRAY_OF_MAPS)
        fail("map '" + name + "' is not an array of maps with a declared inner map");
    return {name, bpf_map__type(inner), bpf_map__key_size(inner), bpf_map__value_size(inner),
            bpf_map__max_entries(inner), bpf_map__max_entries(outer)};
}

void fill_inner_maps(bpf_object* obj, const InnerShape& shape)
{
    int outer = bpf_map__fd(bpf_object__find_map_by_name(obj, shape.outer.c_str()));
    for (__u32 slot = 0; slot < shape.slots; ++slot) {
        int fd = bpf_map_create(shape.type, nullptr, shape.key_size, shape.value_size, shape.max_entries, nullptr);
        if (fd < 0)
            fail("creating inner map " + std::to_string(slot) + " of " + shape.outer + " failed: " + std::strerror(errno));
        int err = bpf_map_update_elem(outer, &slot, &fd, BPF_ANY);
        close(fd);
        if (err != 0)
            fail("setting inner map " + std::to_string(slot) + " of " + shape.outer + " failed: " + std::strerror(errno));
    }
    std::printf("filled %u slots of %s\n", shape.slots, shape.outer.c_str());
}

void set_global(bpf_object* obj, const std::string& name, const std::string& value)
{
    Global g = find_global(obj, name);
    long long v = number(value, name);
    if (g.size != 1 && g.size != 2 && g.size != 4 && g.size != 8)
        fail("global '" + name + "' is " + std::to_string(g.size) + " bytes, not an integer");
    std::memcpy(g.data, &v, g.size); // little-endian: the low bytes
}

long long get_global(bpf_object* obj, const std::string& name)
{
    Global g = find_global(obj, name);
    long long v = 0;
    std::memcpy(&v, g.data, g.size < sizeof(v) ? g.size : sizeof(v));
    if (g.size < sizeof(v) && (v >> (8 * g.size - 1)) & 1 && g.size != 1) // sign-extend narrower ints
        v |= -1LL << (8 * g.size);
    return v;
}

// A --check operand: an integer, or the value of a global (or a member of one).
long long operand(bpf_object* obj, const std::string& text)
{
    bool numeric = !text.empty() && (std::isdigit(static_cast<unsigned char>(text[0])) || text[0] == '-');
    return numeric ? number(text, text) : get_global(obj, text);
}

std::string check(bpf_object* obj, const std::string& expr)
{
    static const char* ops[] = {">=", "==", "!=", "<=", ">", "<"};
    for (const char* op : ops) {
        auto at = expr.find(op);
        if (at == std::string::npos)
            continue;
        std::string left = expr.substr(0, at), right = expr.substr(at + std::strlen(op));
        long long got = operand(obj, left), want = operand(obj, right);
        std::string o = op;
        bool ok = o == ">=" ? got >= want : o == "==" ? got == want : o == "!=" ? got != want
                : o == "<=" ? got <= want : o == ">" ? got > want : got < want;
        if (!ok)
            return expr + " does not hold: " + left + "=" + std::to_string(got) +
                   (right == std::to_string(want) ? "" : ", " + right + "=" + std::to_string(want));
        return {};
    }
    fail("--check '" + expr + "' has no comparison");
}

Options parse(int argc, char** argv)
{
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--until-signal") {
            o.until_signal = true;
            continue;
        }
        if (i + 1 >= argc)
            fail("option " + a + " needs a value");
        std::string v = argv[++i];
        auto pair = [&](auto& list) {
            auto eq = v.find('=');
            if (eq == std::string::npos)
                fail(a + " takes NAME=VALUE, not '" + v + "'");
            list.emplace_back(v.substr(0, eq), v.substr(eq + 1));
        };
        if (a == "--ops") o.ops = v;
        else if (a == "--rodata") pair(o.rodata);
        else if (a == "--bss") pair(o.bss);
        else if (a == "--resize") pair(o.resize);
        else if (a == "--max-entries") pair(o.max_entries);
        else if (a == "--fill-inner-maps") o.fill_inner_maps.push_back(v);
        else if (a == "--expect") o.expect = v;
        else if (a == "--kind") o.kind = v;
        else if (a == "--message") o.message = v;
        else if (a == "--exit-code") o.exit_code = number(v, a);
        else if (a == "--ops-flags") o.ops_flags = number(v, a);
        else if (a == "--attach-cpu") o.attach_cpu = number(v, a);
        else if (a == "--max-wakeups") o.max_wakeups = number(v, a);
        else if (a == "--duration") o.duration = std::atof(v.c_str());
        else if (a == "--workload") o.workload = v;
        else if (a == "--before") o.before = v;
        else if (a == "--prog-run") o.prog_run = v;
        else if (a == "--check") o.checks.push_back(v);
        else fail("unknown option " + a);
    }
    return o;
}

// Fails unless the scxx error E (of a step expected to fail) says what --message asks.
void expect_refusal(const Options& o, const scxx::Error& e, const std::string& step)
{
    if (o.expect != step + "-fails")
        fail(step + " failed: " + e.what());
    if (!o.message.empty() && std::string(e.what()).find(o.message) == std::string::npos)
        fail(step + " failed, but without '" + o.message + "': " + e.what());
    std::printf("PASS: %s refused: %s\n", step.c_str(), e.what());
    std::exit(0);
}

// How often this process has blocked so far (each sleep of the run loop is one).
long voluntary_switches()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_nvcsw;
}

int run_workload(const std::string& cmd)
{
    int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

// The --before command: running, its input still open, its first line read.
struct Before {
    pid_t pid = -1;
    int input = -1, output = -1;
};

Before start_before(const std::string& cmd)
{
    int in[2], out[2];
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0)
        fail(std::string("pipe: ") + std::strerror(errno));
    pid_t pid = fork();
    if (pid < 0)
        fail(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
        dup2(in[0], STDIN_FILENO);
        dup2(out[1], STDOUT_FILENO);
        execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    char c;
    while (read(out[0], &c, 1) == 1 && c != '\n') {
    }
    return Before{pid, in[1], out[0]};
}

int finish_before(Before& b)
{
    if (b.input >= 0)
        close(b.input);
    int status = 0;
    if (waitpid(b.pid, &status, 0) != b.pid)
        return 128;
    close(b.output);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

} // namespace

int main(int argc, char** argv)
{
    Options o = parse(argc, argv);
    std::optional<scxx::OpenScheduler<UPSTREAM_SKEL>> opened;
    try {
        opened.emplace(scxx::open<UPSTREAM_SKEL>(o.ops));
    } catch (const scxx::Error& e) {
        expect_refusal(o, e, "open");
    }
    if (o.ops_flags)
        opened->flags(static_cast<scxx::OpsFlags>(*o.ops_flags));
    for (const auto& [name, count] : o.resize)
        resize_array(opened->skel().obj, name, count);
    for (const auto& [name, value] : o.rodata)
        set_global(opened->skel().obj, name, value);
    for (const auto& [name, value] : o.max_entries) {
        bpf_map* map = bpf_object__find_map_by_name(opened->skel().obj, name.c_str());
        if (!map)
            fail("the object has no map '" + name + "'");
        if (int err = bpf_map__set_max_entries(map, static_cast<__u32>(number(value, name))); err != 0)
            fail("setting max_entries of " + name + " failed: " + std::strerror(-err));
    }
    std::vector<InnerShape> inner_maps;
    for (const std::string& name : o.fill_inner_maps)
        inner_maps.push_back(inner_shape(opened->skel().obj, name));
    std::optional<scxx::LoadedScheduler<UPSTREAM_SKEL>> loaded;
    try {
        loaded.emplace(std::move(*opened).load());
    } catch (const scxx::Error& e) {
        expect_refusal(o, e, "load");
    }
    for (const auto& [name, value] : o.bss)
        set_global(loaded->object(), name, value);
    for (const InnerShape& shape : inner_maps)
        fill_inner_maps(loaded->object(), shape);
    cpu_set_t all;
    sched_getaffinity(0, sizeof(all), &all);
    if (o.attach_cpu) {
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(static_cast<int>(*o.attach_cpu), &one);
        if (sched_setaffinity(0, sizeof(one), &one) != 0)
            fail("cannot run on CPU " + std::to_string(*o.attach_cpu) + ": " + std::strerror(errno));
    }
    std::optional<Before> before;
    if (!o.before.empty())
        before = start_before(o.before);
    std::optional<scxx::AttachedScheduler<UPSTREAM_SKEL>> sched;
    try {
        sched.emplace(std::move(*loaded).attach());
    } catch (const scxx::Error& e) {
        expect_refusal(o, e, "attach");
    }
    if (before) {
        close(before->input);
        before->input = -1;
    }
    sched_setaffinity(0, sizeof(all), &all);
    if (o.expect.ends_with("-fails"))
        fail("expected " + o.expect + ", but the scheduler attached");
    std::string state = scxx::system::state().value_or("?");
    std::printf("attached: state=%s root/ops=%s\n", state.c_str(), scxx::system::root_ops().value_or("?").c_str());

    if (!o.prog_run.empty()) {
        std::string prog_name = o.prog_run.substr(0, o.prog_run.find(':'));
        bpf_program* prog = bpf_object__find_program_by_name(sched->object(), prog_name.c_str());
        if (!prog)
            fail("the object has no program '" + prog_name + "'");
        std::uint64_t args[1] = {static_cast<std::uint64_t>(getpid())};
        LIBBPF_OPTS(bpf_test_run_opts, run);
        if (o.prog_run.ends_with(":pid")) {
            run.ctx_in = args;
            run.ctx_size_in = sizeof(args);
        }
        if (bpf_prog_test_run_opts(bpf_program__fd(prog), &run) != 0)
            fail("BPF_PROG_RUN of " + prog_name + " failed: " + std::strerror(errno));
        std::printf("%s returned %d\n", prog_name.c_str(), static_cast<int>(run.retval));
    }

    int workload_status = 0;
    if (!o.workload.empty() && o.expect == "runs")
        workload_status = run_workload(o.workload);
    scxx::RunOptions run;
    run.handle_signals = o.until_signal;
    if (!o.until_signal)
        run.duration = std::chrono::milliseconds(static_cast<long long>(o.duration * 1000));
    // Waiting for an exit, the workload runs again and again, and the exit is looked for often;
    // otherwise the loop runs as a scxx loader's does (RunOptions' default interval).
    if (o.expect == "exits") {
        if (!o.workload.empty())
            run.on_interval = [&] { run_workload(o.workload); };
        run.interval = std::chrono::milliseconds(100);
    }
    long wakeups = voluntary_switches();
    scxx::ExitInfo exit = sched->run(run);
    wakeups = voluntary_switches() - wakeups;
    std::printf("the run loop blocked %ld times\n", wakeups);
    if (o.max_wakeups && wakeups > *o.max_wakeups)
        fail("the run loop blocked " + std::to_string(wakeups) + " times, more than " + std::to_string(*o.max_wakeups));
    std::printf("exit: %s\n", exit.to_string().c_str());
    if (before)
        if (int status = finish_before(*before); status != 0)
            fail("the --before command '" + o.before + "' exited " + std::to_string(status));

    if (o.expect == "runs") {
        if (exit.kind != scxx::ExitKind::unreg)
            fail("expected the scheduler to run until detached, but: " + exit.to_string());
        if (workload_status != 0)
            fail("the workload '" + o.workload + "' exited " + std::to_string(workload_status));
    } else if (o.expect == "exits") {
        if (!o.kind.empty() && scxx::to_string(exit.kind) != o.kind)
            fail("expected exit kind " + o.kind + ", got " + exit.to_string());
        if (o.kind.empty() && (exit.kind == scxx::ExitKind::unreg || !exit.exited()))
            fail("expected the kernel to stop the scheduler, but: " + exit.to_string());
        if (o.exit_code && exit.exit_code != *o.exit_code)
            fail("expected exit code " + std::to_string(*o.exit_code) + ", got " + exit.to_string());
        if (!o.message.empty() && (exit.message + " " + exit.reason).find(o.message) == std::string::npos)
            fail("the exit does not mention '" + o.message + "': " + exit.to_string());
    } else {
        fail("unknown --expect '" + o.expect + "'");
    }
    for (const std::string& c : o.checks)
        if (std::string why = check(sched->object(), c); !why.empty())
            fail(why);
    std::printf("PASS: %s\n", exit.to_string().c_str());
    return 0;
}
