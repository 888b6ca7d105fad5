#pragma once
// Descriptor factories: one per kind of value. `field` is anything std::invoke can apply to
// the section struct to get the target (a member pointer, or std::identity for sub-tables
// that fill the same struct). The default shown in docs is read from a default-constructed
// struct, so config.h's initializers stay the only place a default is written.
#include <functional>
#include <optional>
#include <sstream>
#include <utility>

#include "config/values.h"

namespace impd::config::schema {

std::string showValue(const std::string& v);
std::string showValue(std::int64_t v);
std::string showValue(bool v);
std::string showValue(const std::vector<std::string>& v);
std::string showValue(const std::vector<ListenAddress>& v);
std::string showValue(const std::vector<SipAddress>& v);

template <typename S>
struct KeysOf {
  template <typename F>
  using Target = std::remove_reference_t<std::invoke_result_t<F, S&>>;

  static Key<S> make(std::string name, std::string type, std::string fallback, std::string doc,
                     bool required, decltype(Key<S>::read) read) {
    Key<S> key;
    key.name = std::move(name);
    key.type = std::move(type);
    key.fallback = std::move(fallback);
    key.doc = std::move(doc);
    key.required = required;
    key.read = std::move(read);
    return key;
  }

  template <typename F>
  static std::string fallbackOf(F field) {
    S defaults{};
    using T = Target<F>;
    if constexpr (std::is_same_v<T, bool>) {
      return showValue(std::invoke(field, defaults));
    } else if constexpr (std::is_integral_v<T>) {
      return showValue(static_cast<std::int64_t>(std::invoke(field, defaults)));
    } else {
      return showValue(std::invoke(field, defaults));
    }
  }

  // A free-form string; check (optional) returns a problem or nullopt.
  template <typename F>
  static Key<S> text(std::string name, F field, std::string doc,
                     std::function<std::optional<std::string>(const std::string&)> check = {}) {
    return make(name, "string", fallbackOf(field), std::move(doc), false,
                [=](const toml::node& n, S& s, const Context& ctx, const std::string& path) {
                  auto v = readString(n, ctx, path);
                  if (!v) return Result<void>(v.error());
                  if (check) {
                    if (auto problem = check(*v)) return Result<void>(ctx.error(path, *problem));
                  }
                  std::invoke(field, s) = std::move(*v);
                  return Result<void>();
                });
  }

  template <typename F>
  static Key<S> choice(std::string name, F field, std::vector<std::string> choices,
                       std::string doc) {
    std::string type = "string:";
    for (const auto& c : choices) type += (type.back() == ':' ? " " : " | ") + c;
    return make(name, type, fallbackOf(field), std::move(doc), false,
                [=](const toml::node& n, S& s, const Context& ctx, const std::string& path) {
                  auto v = readChoice(n, ctx, path, choices);
                  if (!v) return Result<void>(v.error());
                  std::invoke(field, s) = std::move(*v);
                  return Result<void>();
                });
  }

  template <typename F, typename E = Target<F>>
  static Key<S> enumeration(std::string name, F field, std::vector<std::pair<std::string, E>> names,
                            std::string doc) {
    std::vector<std::string> choices;
    std::string fallback;
    for (const auto& [text, value] : names) {
      choices.push_back(text);
      if (value == std::invoke(field, S{})) fallback = quote(text);
    }
    std::string type = "string:";
    for (const auto& c : choices) type += (type.back() == ':' ? " " : " | ") + c;
    Key<S> key = make(name, type, fallback, std::move(doc), false,
                      [=](const toml::node& n, S& s, const Context& ctx, const std::string& path) {
                        auto v = readChoice(n, ctx, path, choices);
                        if (!v) return Result<void>(v.error());
                        for (const auto& [text, value] : names) {
                          if (text == *v) std::invoke(field, s) = value;
                        }
                        return Result<void>();
                      });
    return key;
  }

  template <typename F>
  static Key<S> integer(std::string name, F field, std::int64_t min, std::int64_t max,
                        std::string doc) {
    using T = Target<F>;
    std::string type = "integer " + std::to_string(min) + ".." + std::to_string(max);
    return make(name, type, fallbackOf(field), std::move(doc), false,
                [=](const toml::node& n, S& s, const Context& ctx, const std::string& path) {
                  auto v = readInteger(n, ctx, path, min, max);
                  if (!v) return Result<void>(v.error());
                  std::invoke(field, s) = static_cast<T>(*v);
                  return Result<void>();
                });
  }

  template <typename F>
  static Key<S> boolean(std::string name, F field, std::string doc) {
    return make(name, "boolean", fallbackOf(field), std::move(doc), false,
                [=](const toml::node& n, S& s, const Context& ctx, const std::string& path) {
                  auto v = readBool(n, ctx, path);
                  if (!v) return Result<void>(v.error());
                  std::invoke(field, s) = *v;
                  return Result<void>();
                });
  }

  template <typename F>
  static Key<S> domain(std::string name, F field, std::string doc) {
    return make(name, "domain", "", std::move(doc), true,
                [=](const toml::node& n, S& s, const Context& ctx, const std::string& path) {
                  auto v = readDomain(n, ctx, path);
                  if (!v) return Result<void>(v.error());
                  std::invoke(field, s) = std::move(*v);
                  return Result<void>();
                });
  }

  template <typename F>
  static Key<S> domains(std::string name, F field, std::string doc) {
    return make(name, "array of domains", fallbackOf(field), std::move(doc), false,
                [=](const toml::node& n, S& s, const Context& ctx, const std::string& path) {
                  auto v = readDomainList(n, ctx, path);
                  if (!v) return Result<void>(v.error());
                  std::invoke(field, s) = std::move(*v);
                  return Result<void>();
                });
  }

  template <typename F>
  static Key<S> bareJids(std::string name, F field, std::string doc) {
    return make(name, "array of bare JIDs", fallbackOf(field), std::move(doc), false,
                [=](const toml::node& n, S& s, const Context& ctx, const std::string& path) {
                  auto v = readBareJidList(n, ctx, path);
                  if (!v) return Result<void>(v.error());
                  std::invoke(field, s) = std::move(*v);
                  return Result<void>();
                });
  }

  // One "host:port" (listener: port 0 allowed).
  template <typename F>
  static Key<S> hostPort(std::string name, F field, bool listener, std::string doc) {
    return make(name, "string: host:port", "", std::move(doc), true,
                [=](const toml::node& n, S& s, const Context& ctx, const std::string& path) {
                  auto v = readHostPort(n, ctx, path, listener);
                  if (!v) return Result<void>(v.error());
                  std::invoke(field, s) = std::move(*v);
                  return Result<void>();
                });
  }

  template <typename F>
  static Key<S> hostPorts(std::string name, F field, bool listener, std::string doc) {
    return make(name, "array of host:port", fallbackOf(field), std::move(doc), false,
                [=](const toml::node& n, S& s, const Context& ctx, const std::string& path) {
                  auto v = readList<ListenAddress>(
                      n, ctx, path,
                      [&](const toml::node& e, const Context& c, const std::string& p) {
                        return readHostPort(e, c, p, listener);
                      });
                  if (!v) return Result<void>(v.error());
                  std::invoke(field, s) = std::move(*v);
                  return Result<void>();
                });
  }

  template <typename F>
  static Key<S> sipListeners(std::string name, F field, std::string doc) {
    return make(name, "array of transport://host:port", fallbackOf(field), std::move(doc), false,
                [=](const toml::node& n, S& s, const Context& ctx, const std::string& path) {
                  auto v = readList<SipAddress>(
                      n, ctx, path,
                      [](const toml::node& e, const Context& c, const std::string& p) {
                        return readSipAddress(e, c, p, true);
                      });
                  if (!v) return Result<void>(v.error());
                  std::invoke(field, s) = std::move(*v);
                  return Result<void>();
                });
  }

  template <typename F>
  static Key<S> sipRoute(std::string name, F field, std::string doc) {
    return make(name, "string: transport://host[:port]", "", std::move(doc), false,
                [=](const toml::node& n, S& s, const Context& ctx, const std::string& path) {
                  auto v = readSipAddress(n, ctx, path, false);
                  if (!v) return Result<void>(v.error());
                  std::invoke(field, s) = std::move(*v);
                  return Result<void>();
                });
  }

  // A file or folder path, relative to the config file's folder. fallback: used when the
  // key is absent (empty: stays empty). mustExist: an existing regular file.
  template <typename F>
  static Key<S> path(std::string name, F field, std::string fallback, bool mustExist,
                     std::string doc) {
    Key<S> key = make(name, mustExist ? "path to an existing file" : "path",
                      fallback.empty() ? std::string() : quote(fallback), std::move(doc), false,
                      [=](const toml::node& n, S& s, const Context& ctx, const std::string& p) {
                        auto v = readPath(n, ctx, p, mustExist);
                        if (!v) return Result<void>(v.error());
                        std::invoke(field, s) = std::move(*v);
                        return Result<void>();
                      });
    if (!fallback.empty()) {
      key.absent = [=](S& s, const Context& ctx, const std::string&) {
        std::invoke(field, s) = ctx.resolve(fallback);
        return Result<void>();
      };
    }
    return key;
  }

  // A [sub-table] whose keys fill std::invoke(field, s). Absent: read as an empty table, so
  // its keys' absent handlers (path defaults, required keys) still run.
  template <typename F, typename Sub = Target<F>>
  static Key<S> table(std::string name, F field, const Keys<Sub>& keys) {
    Key<S> key =
        make(name, "table", "", "", false,
             [=, &keys](const toml::node& n, S& s, const Context& ctx, const std::string& p) {
               auto t = readTableNode(n, ctx, p);
               if (!t) return Result<void>(t.error());
               return readTable(**t, keys, std::invoke(field, s), ctx, p);
             });
    key.absent = [=, &keys](S& s, const Context& ctx, const std::string& p) {
      return readTable(toml::table{}, keys, std::invoke(field, s), ctx, p);
    };
    key.describe = [&keys](const std::string& p, std::vector<KeyDoc>& out) {
      describeTable(keys, p, out);
    };
    return key;
  }

  // An [[array of tables]] filling a std::vector of element structs.
  template <typename F, typename E = typename Target<F>::value_type>
  static Key<S> tables(std::string name, F field, const Keys<E>& keys) {
    Key<S> key =
        make(name, "array of tables", "", "", false,
             [=, &keys](const toml::node& n, S& s, const Context& ctx, const std::string& p) {
               auto v = readList<E>(
                   n, ctx, p,
                   [&](const toml::node& e, const Context& c, const std::string& ep) -> Result<E> {
                     auto t = readTableNode(e, c, ep);
                     if (!t) return t.error();
                     E element{};
                     if (auto r = readTable(**t, keys, element, c, ep); !r) return r.error();
                     return element;
                   });
               if (!v) return Result<void>(v.error());
               std::invoke(field, s) = std::move(*v);
               return Result<void>();
             });
    key.describe = [&keys](const std::string& p, std::vector<KeyDoc>& out) {
      describeTable(keys, p + "[]", out);
    };
    return key;
  }
};

}  // namespace impd::config::schema
