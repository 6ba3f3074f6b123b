// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// The one error type of scxx: every failing operation throws scxx::Error, which carries the
// operation, the object it acted on, the (positive) errno and, for loads, the verifier's log.
// Owners are never half-built: a constructor either returns a working object or throws.
// Destructors never throw. A scheduler that the kernel ejected is not an error of the SDK: it is
// reported as an ExitInfo value.

#include <cxxabi.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <typeinfo>
#include <utility>

namespace scxx {

class Error : public std::runtime_error {
public:
    // err is a positive errno (0 when the failure has none); hint says what to do about it.
    Error(std::string operation, std::string object, int err, std::string hint = {}, std::string log = {})
        : std::runtime_error(format(operation, object, err, hint, log)),
          operation_(std::move(operation)),
          object_(std::move(object)),
          errno_(err),
          hint_(std::move(hint)),
          log_(std::move(log))
    {
    }

    const std::string& operation() const noexcept { return operation_; }
    const std::string& object() const noexcept { return object_; }
    int errnum() const noexcept { return errno_; }
    std::error_code code() const noexcept { return {errno_, std::generic_category()}; }
    const std::string& hint() const noexcept { return hint_; }
    // The part of libbpf's and the verifier's output that explains the failure (may be empty).
    const std::string& log() const noexcept { return log_; }

private:
    static std::string format(std::string_view operation, std::string_view object, int err, std::string_view hint,
                              std::string_view log)
    {
        std::string s = "scxx: ";
        s += operation;
        if (!object.empty()) {
            s += " '";
            s += object;
            s += "'";
        }
        s += " failed";
        if (err != 0) {
            s += ": ";
            s += std::strerror(err);
            s += " (errno ";
            s += std::to_string(err);
            s += ")";
        }
        if (!hint.empty()) {
            s += ": ";
            s += hint;
        }
        if (!log.empty()) {
            s += "\n";
            s += log;
        }
        return s;
    }

    std::string operation_;
    std::string object_;
    int errno_;
    std::string hint_;
    std::string log_;
};

namespace detail {
// libbpf reports failures as negative errno values (and sets errno); normalise to positive.
inline int positive_errno(long ret) noexcept
{
    if (ret < 0)
        return static_cast<int>(-ret);
    return errno != 0 ? errno : EINVAL;
}

// "std::runtime_error: what it said", for messages about an exception scxx did not throw.
inline std::string describe_exception(const std::exception& e)
{
    int status = 0;
    std::unique_ptr<char, decltype(&std::free)> name(abi::__cxa_demangle(typeid(e).name(), nullptr, nullptr, &status),
                                                     &std::free);
    return std::string(status == 0 && name ? name.get() : typeid(e).name()) + ": " + e.what();
}
} // namespace detail

} // namespace scxx
