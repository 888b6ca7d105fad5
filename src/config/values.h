#pragma once
// Readers for single TOML values: each checks the TOML type, then the value, and reports
// "<file>: <key>: <problem>" through the Context.
#include <toml++/toml.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "config/schema.h"

namespace impd::config::schema {

std::string_view typeName(const toml::node& node);  // "string", "integer", "table", ...
std::string indexPath(const std::string& path, std::size_t index);  // "a.b[2]"
std::string quote(std::string_view text);                           // as TOML writes a basic string

Result<std::string> readString(const toml::node& node, const Context& ctx, const std::string& path);
Result<std::int64_t> readInteger(const toml::node& node, const Context& ctx,
                                 const std::string& path, std::int64_t min, std::int64_t max);
Result<bool> readBool(const toml::node& node, const Context& ctx, const std::string& path);
Result<std::string> readChoice(const toml::node& node, const Context& ctx, const std::string& path,
                               const std::vector<std::string>& choices);
// Prepared with xmpp::prepareDomain (IDNA2008 U-label, lower case).
Result<std::vector<std::string>> readBareJidList(const toml::node& node, const Context& ctx,
                                                 const std::string& path);
// Prepared with xmpp::prepareDomain (IDNA2008 U-label, lower case).
Result<std::string> readDomain(const toml::node& node, const Context& ctx, const std::string& path);
Result<ListenAddress> readHostPort(const toml::node& node, const Context& ctx,
                                   const std::string& path, bool listener);
Result<SipAddress> readSipAddress(const toml::node& node, const Context& ctx,
                                  const std::string& path, bool listener);
// Resolved against the config file's folder; mustExist: a regular file that exists.
Result<std::filesystem::path> readPath(const toml::node& node, const Context& ctx,
                                       const std::string& path, bool mustExist);
Result<const toml::array*> readArray(const toml::node& node, const Context& ctx,
                                     const std::string& path);
Result<const toml::table*> readTableNode(const toml::node& node, const Context& ctx,
                                         const std::string& path);

// An array whose elements each go through readOne; errors name the element, "key[i]".
template <typename T, typename ReadOne>
Result<std::vector<T>> readList(const toml::node& node, const Context& ctx, const std::string& path,
                                ReadOne&& readOne) {
  auto array = readArray(node, ctx, path);
  if (!array) return array.error();
  std::vector<T> out;
  for (std::size_t i = 0; i < (*array)->size(); ++i) {
    auto value = readOne(*(*array)->get(i), ctx, indexPath(path, i));
    if (!value) return value.error();
    out.push_back(std::move(*value));
  }
  return out;
}

// A list of domains, prepared, each at most once.
Result<std::vector<std::string>> readDomainList(const toml::node& node, const Context& ctx,
                                                const std::string& path);

}  // namespace impd::config::schema
