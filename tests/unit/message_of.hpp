// The unit tests' helper for errors: what scxx::Error F raised said, or "no error".
#pragma once
#include <scxx/error.hpp>

#include <string>

template <class F>
std::string message_of(F f)
{
    try {
        f();
    } catch (const scxx::Error& e) {
        return e.what();
    }
    return "no error";
}
