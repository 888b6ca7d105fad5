// The words the policy vocabulary is stored and exchanged as (database, admin API JSON).
#include <array>
#include <utility>

#include "storage/privacy.h"

namespace impd::storage {

namespace {

template <typename E, std::size_t N>
std::optional<E> lookup(const std::array<std::pair<E, std::string_view>, N>& names,
                        std::string_view name) {
  for (const auto& [value, word] : names) {
    if (word == name) return value;
  }
  return std::nullopt;
}

template <typename E, std::size_t N>
std::string_view nameOf(const std::array<std::pair<E, std::string_view>, N>& names, E value) {
  for (const auto& [v, word] : names) {
    if (v == value) return word;
  }
  return {};
}

constexpr std::array<std::pair<PolicyAction, std::string_view>, 2> kActions{{
    {PolicyAction::kAllow, "allow"},
    {PolicyAction::kBlock, "block"},
}};
constexpr std::array<std::pair<PolicyScope, std::string_view>, 2> kScopes{{
    {PolicyScope::kAll, "all"},
    {PolicyScope::kPresence, "presence"},
}};
constexpr std::array<std::pair<WatcherDefault, std::string_view>, 3> kDefaults{{
    {WatcherDefault::kAsk, "ask"},
    {WatcherDefault::kAllow, "allow"},
    {WatcherDefault::kBlock, "block"},
}};

}  // namespace

std::string_view actionName(PolicyAction action) { return nameOf(kActions, action); }
std::string_view scopeName(PolicyScope scope) { return nameOf(kScopes, scope); }
std::string_view watcherDefaultName(WatcherDefault value) { return nameOf(kDefaults, value); }
std::optional<PolicyAction> parseAction(std::string_view name) { return lookup(kActions, name); }
std::optional<PolicyScope> parseScope(std::string_view name) { return lookup(kScopes, name); }
std::optional<WatcherDefault> parseWatcherDefault(std::string_view name) {
  return lookup(kDefaults, name);
}

}  // namespace impd::storage
