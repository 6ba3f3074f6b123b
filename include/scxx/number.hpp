// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// Numbers from text (command lines, sysfs): the whole text, decimal, inside a stated range, or a
// std::invalid_argument whose message says what was wrong and what is accepted. std::from_chars
// does the parsing, so "8abc", " 8", "nan", "inf" and values beyond the type are refused rather
// than truncated or converted with undefined behaviour (as atol/strtod casts would).

#include <charconv>
#include <chrono>
#include <cmath>
#include <concepts>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

namespace scxx {

namespace detail {
inline std::string shown_value(std::string_view text)
{
    return "'" + std::string(text) + "'";
}
inline std::string decimal(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.15g", v);
    return buf;
}
} // namespace detail

// TEXT as an integer in [MIN, MAX].
template <std::integral T>
T parse_integer(std::string_view text, T min, T max)
{
    const std::string range = "needs " + std::to_string(min) + " to " + std::to_string(max);
    T value{};
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec == std::errc::result_out_of_range || (ec == std::errc() && ptr == end && (value < min || value > max)))
        throw std::invalid_argument(detail::shown_value(text) + " is out of range: " + range);
    if (ec != std::errc() || ptr != end || text.empty())
        throw std::invalid_argument(detail::shown_value(text) + " is not a whole number: " + range);
    return value;
}

// TEXT as a number of seconds in [MIN_SECONDS, MAX_SECONDS] (fractions allowed), in milliseconds
// rounded to the nearest one. MIN_SECONDS should be at least 0.001 so that no accepted value
// rounds to 0.
inline std::chrono::milliseconds parse_seconds(std::string_view text, double min_seconds, double max_seconds)
{
    const std::string range = "needs " + detail::decimal(min_seconds) + " to " + detail::decimal(max_seconds) +
                              " seconds";
    double value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value, std::chars_format::general);
    if (ec == std::errc() && ptr == end && !std::isfinite(value))
        ec = std::errc::invalid_argument; // "inf", "nan": not an amount of time
    if (ec == std::errc::result_out_of_range ||
        (ec == std::errc() && ptr == end && (value < min_seconds || value > max_seconds)))
        throw std::invalid_argument(detail::shown_value(text) + " is out of range: " + range);
    if (ec != std::errc() || ptr != end || text.empty())
        throw std::invalid_argument(detail::shown_value(text) + " is not a number of seconds: " + range);
    return std::chrono::milliseconds(std::llround(value * 1000));
}

} // namespace scxx
