#pragma once
// The schema engine. A section is a table of key descriptors; each descriptor is declared
// once with its TOML type, bounds, default and one-line doc, and knows how to read its value
// into the typed struct. Reading a section rejects keys no descriptor claims.
#include <toml++/toml.h>

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "config/config.h"

namespace impd::config::schema {

// What every reader needs to report an error or resolve a path.
struct Context {
  std::string file;           // as the operator named it, for messages
  std::filesystem::path dir;  // the config file's folder, for relative paths
  // "<file>: <key>: <problem>"
  Error error(std::string_view key, std::string_view problem) const;
  std::filesystem::path resolve(const std::filesystem::path& p) const;
};

template <typename S>
struct Key {
  std::string name;
  std::string type;      // for docs and type errors, e.g. "integer 1..65535"
  std::string fallback;  // the default as TOML text; empty when there is none
  std::string doc;
  bool required = false;
  // Reads a present value; `path` is the dotted key for error messages.
  std::function<Result<void>(const toml::node&, S&, const Context&, const std::string& path)> read;
  // Called when the key is absent (sub-tables read themselves as empty; paths resolve their
  // default). Empty: the field keeps its initializer from config.h.
  std::function<Result<void>(S&, const Context&, const std::string& path)> absent;
  // Sub-tables list their own keys here.
  std::function<void(const std::string& path, std::vector<KeyDoc>&)> describe;
};

template <typename S>
using Keys = std::vector<Key<S>>;

std::string join(const std::string& path, std::string_view name);
Error unknownKey(const Context& ctx, const std::string& path,
                 const std::vector<std::string>& known);

// Reads every key of a TOML table into `out` through the descriptors.
template <typename S>
Result<void> readTable(const toml::table& table, const Keys<S>& keys, S& out, const Context& ctx,
                       const std::string& path) {
  for (auto&& [name, node] : table) {
    const Key<S>* key = nullptr;
    for (const Key<S>& k : keys) {
      if (k.name == name.str()) key = &k;
    }
    if (key == nullptr) {
      std::vector<std::string> known;
      for (const Key<S>& k : keys) known.push_back(k.name);
      return unknownKey(ctx, join(path, name.str()), known);
    }
    if (auto r = key->read(node, out, ctx, join(path, key->name)); !r) return r;
  }
  for (const Key<S>& key : keys) {
    if (table.contains(key.name)) continue;
    if (key.required) return ctx.error(join(path, key.name), "is required");
    if (key.absent) {
      if (auto r = key.absent(out, ctx, join(path, key.name)); !r) return r;
    }
  }
  return {};
}

template <typename S>
void describeTable(const Keys<S>& keys, const std::string& path, std::vector<KeyDoc>& out) {
  for (const Key<S>& key : keys) {
    std::string keyPath = join(path, key.name);
    if (key.describe) {
      key.describe(keyPath, out);
    } else {
      out.push_back({keyPath, key.type, key.fallback, key.doc});
    }
  }
}

// The whole schema, rooted at Config.
const Keys<Config>& rootKeys();

}  // namespace impd::config::schema
