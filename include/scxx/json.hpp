// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#pragma once
// A small, strict JSON reader for what scxx reads from outside: requests on the stats socket
// (scxx/stats_server.hpp). It parses RFC 8259 text into a Json value and throws
// std::invalid_argument with the offset and what was wrong; nesting is bounded, so hostile input
// cannot exhaust the stack.

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace scxx {

struct Json {
    using Object = std::vector<std::pair<std::string, Json>>; // in the text's order
    using Array = std::vector<Json>;
    // A number as written, so that a 64-bit counter keeps every digit.
    struct Number {
        std::string text;
    };
    std::variant<std::nullptr_t, bool, Number, std::string, std::shared_ptr<Array>, std::shared_ptr<Object>> value;

    const std::string* string() const { return std::get_if<std::string>(&value); }
    std::optional<double> number() const
    {
        const Number* n = std::get_if<Number>(&value);
        return n ? std::optional<double>(std::strtod(n->text.c_str(), nullptr)) : std::nullopt;
    }
    // The number if it is a whole one that fits in 64 bits unsigned.
    std::optional<std::uint64_t> uint64() const
    {
        const Number* n = std::get_if<Number>(&value);
        std::uint64_t v = 0;
        if (!n)
            return std::nullopt;
        auto [end, ec] = std::from_chars(n->text.data(), n->text.data() + n->text.size(), v);
        if (ec != std::errc() || end != n->text.data() + n->text.size())
            return std::nullopt;
        return v;
    }
    const Object* object() const
    {
        auto* o = std::get_if<std::shared_ptr<Object>>(&value);
        return o ? o->get() : nullptr;
    }
    // The member NAME of an object, or nullptr.
    const Json* member(const std::string& name) const
    {
        if (const Object* o = object())
            for (const auto& [key, v] : *o)
                if (key == name)
                    return &v;
        return nullptr;
    }

    static Json parse(std::string_view text)
    {
        Reader r{text};
        r.space();
        Json v = r.value(0);
        r.space();
        if (r.at != text.size())
            r.fail("text after the value");
        return v;
    }

private:
    struct Reader {
        std::string_view text;
        std::size_t at = 0;
        static constexpr int max_depth = 32;

        [[noreturn]] void fail(const std::string& why) const
        {
            throw std::invalid_argument("at byte " + std::to_string(at) + ": " + why);
        }
        void space()
        {
            while (at < text.size() && (text[at] == ' ' || text[at] == '\t' || text[at] == '\n' || text[at] == '\r'))
                ++at;
        }
        bool eat(char c)
        {
            if (at < text.size() && text[at] == c) {
                ++at;
                return true;
            }
            return false;
        }
        void word(std::string_view w)
        {
            if (text.substr(at, w.size()) != w)
                fail("not a JSON value");
            at += w.size();
        }
        Json value(int depth)
        {
            if (depth > max_depth)
                fail("nested deeper than " + std::to_string(max_depth));
            if (at >= text.size())
                fail("the text ends where a value should be");
            switch (text[at]) {
            case '{': return Json{object(depth)};
            case '[': return Json{array(depth)};
            case '"': return Json{string()};
            case 't': word("true"); return Json{true};
            case 'f': word("false"); return Json{false};
            case 'n': word("null"); return Json{nullptr};
            default: return Json{number()};
            }
        }
        std::shared_ptr<Object> object(int depth)
        {
            auto out = std::make_shared<Object>();
            ++at;
            space();
            if (eat('}'))
                return out;
            for (;;) {
                space();
                if (at >= text.size() || text[at] != '"')
                    fail("an object's key must be a string");
                std::string key = string();
                for (const auto& [k, v] : *out)
                    if (k == key)
                        fail("the key \"" + key + "\" appears twice");
                space();
                if (!eat(':'))
                    fail("':' expected after a key");
                space();
                out->emplace_back(std::move(key), value(depth + 1));
                space();
                if (eat('}'))
                    return out;
                if (!eat(','))
                    fail("',' or '}' expected in an object");
            }
        }
        std::shared_ptr<Array> array(int depth)
        {
            auto out = std::make_shared<Array>();
            ++at;
            space();
            if (eat(']'))
                return out;
            for (;;) {
                space();
                out->push_back(value(depth + 1));
                space();
                if (eat(']'))
                    return out;
                if (!eat(','))
                    fail("',' or ']' expected in an array");
            }
        }
        unsigned hex4()
        {
            if (at + 4 > text.size())
                fail("a \\u escape needs four hex digits");
            unsigned v = 0;
            for (int i = 0; i < 4; ++i) {
                char c = text[at++];
                v = v * 16 + static_cast<unsigned>(c >= '0' && c <= '9'   ? c - '0'
                                                   : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                                   : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                                          : (fail("a \\u escape needs four hex digits"), 0));
            }
            return v;
        }
        static void utf8(std::string& out, unsigned cp)
        {
            if (cp < 0x80) {
                out += static_cast<char>(cp);
            } else if (cp < 0x800) {
                out += static_cast<char>(0xc0 | (cp >> 6));
                out += static_cast<char>(0x80 | (cp & 0x3f));
            } else if (cp < 0x10000) {
                out += static_cast<char>(0xe0 | (cp >> 12));
                out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
                out += static_cast<char>(0x80 | (cp & 0x3f));
            } else {
                out += static_cast<char>(0xf0 | (cp >> 18));
                out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
                out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
                out += static_cast<char>(0x80 | (cp & 0x3f));
            }
        }
        std::string string()
        {
            std::string out;
            ++at; // the opening quote
            for (;;) {
                if (at >= text.size())
                    fail("a string is not closed");
                char c = text[at++];
                if (c == '"')
                    return out;
                if (static_cast<unsigned char>(c) < 0x20)
                    fail("a control character in a string");
                if (c != '\\') {
                    out += c;
                    continue;
                }
                if (at >= text.size())
                    fail("a string is not closed");
                switch (char e = text[at++]) {
                case '"': case '\\': case '/': out += e; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    unsigned cp = hex4();
                    if (cp >= 0xd800 && cp < 0xdc00) { // a surrogate pair
                        if (!eat('\\') || !eat('u'))
                            fail("a lone high surrogate");
                        unsigned low = hex4();
                        if (low < 0xdc00 || low >= 0xe000)
                            fail("a high surrogate without its low half");
                        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
                    } else if (cp >= 0xdc00 && cp < 0xe000) {
                        fail("a lone low surrogate");
                    }
                    utf8(out, cp);
                    break;
                }
                default: fail("an unknown escape in a string");
                }
            }
        }
        Number number()
        {
            const std::size_t start = at;
            eat('-');
            if (eat('0')) {
            } else if (at < text.size() && text[at] >= '1' && text[at] <= '9') {
                while (at < text.size() && text[at] >= '0' && text[at] <= '9')
                    ++at;
            } else {
                fail("not a JSON value");
            }
            if (eat('.')) {
                if (at >= text.size() || text[at] < '0' || text[at] > '9')
                    fail("a digit must follow '.'");
                while (at < text.size() && text[at] >= '0' && text[at] <= '9')
                    ++at;
            }
            if (at < text.size() && (text[at] == 'e' || text[at] == 'E')) {
                ++at;
                if (!eat('+'))
                    eat('-');
                if (at >= text.size() || text[at] < '0' || text[at] > '9')
                    fail("a digit must follow the exponent");
                while (at < text.size() && text[at] >= '0' && text[at] <= '9')
                    ++at;
            }
            return Number{std::string(text.substr(start, at - start))};
        }
    };
};

} // namespace scxx
