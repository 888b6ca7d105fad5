#include "config/values.h"

#include <algorithm>

#include "codec/xmpp/jid.h"
#include "config/address.h"
#include "config/factories.h"

namespace impd::config::schema {

namespace {

Error wrongType(const Context& ctx, const std::string& path, std::string_view want,
                const toml::node& node) {
  return ctx.error(path,
                   "must be " + std::string(want) + " (got " + std::string(typeName(node)) + ")");
}

}  // namespace

std::string_view typeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

std::string indexPath(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

std::string quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

Result<std::string> readString(const toml::node& node, const Context& ctx,
                               const std::string& path) {
  if (!node.is_string()) return wrongType(ctx, path, "a string", node);
  return std::string(node.as_string()->get());
}

Result<std::int64_t> readInteger(const toml::node& node, const Context& ctx,
                                 const std::string& path, std::int64_t min, std::int64_t max) {
  if (!node.is_integer()) return wrongType(ctx, path, "an integer", node);
  std::int64_t value = node.as_integer()->get();
  if (value < min || value > max) {
    return ctx.error(path, "must be between " + std::to_string(min) + " and " +
                               std::to_string(max) + " (got " + std::to_string(value) + ")");
  }
  return value;
}

Result<bool> readBool(const toml::node& node, const Context& ctx, const std::string& path) {
  if (!node.is_boolean()) return wrongType(ctx, path, "true or false", node);
  return node.as_boolean()->get();
}

Result<std::string> readChoice(const toml::node& node, const Context& ctx, const std::string& path,
                               const std::vector<std::string>& choices) {
  auto text = readString(node, ctx, path);
  if (!text) return text;
  if (std::find(choices.begin(), choices.end(), *text) != choices.end()) return text;
  std::string list;
  for (const std::string& c : choices) list += (list.empty() ? "" : ", ") + c;
  return ctx.error(path, "must be one of " + list + " (got " + quote(*text) + ")");
}

Result<std::string> readDomain(const toml::node& node, const Context& ctx,
                               const std::string& path) {
  auto text = readString(node, ctx, path);
  if (!text) return text;
  if (text->empty()) return ctx.error(path, "must not be empty");
  auto prepared = xmpp::prepareDomain(*text);
  if (!prepared) {
    return ctx.error(path,
                     "not a valid domain: " + quote(*text) + " (" + prepared.error().message + ")");
  }
  return prepared;
}

// A user's bare JID (localpart@domain), prepared.
Result<std::string> readBareJid(const toml::node& node, const Context& ctx,
                                const std::string& path) {
  auto text = readString(node, ctx, path);
  if (!text) return text;
  auto jid = xmpp::Jid::parse(*text);
  if (!jid || jid->local().empty() || !jid->isBare()) {
    return ctx.error(path, "not a bare JID (user@domain): " + quote(*text));
  }
  return jid->str();
}

Result<std::vector<std::string>> readBareJidList(const toml::node& node, const Context& ctx,
                                                 const std::string& path) {
  return readList<std::string>(node, ctx, path, readBareJid);
}

Result<std::vector<std::string>> readDomainList(const toml::node& node, const Context& ctx,
                                                const std::string& path) {
  auto domains = readList<std::string>(node, ctx, path, readDomain);
  if (!domains) return domains;
  for (std::size_t i = 0; i < domains->size(); ++i) {
    auto first = std::find(domains->begin(), domains->end(), (*domains)[i]);
    if (first != domains->begin() + static_cast<std::ptrdiff_t>(i)) {
      return ctx.error(indexPath(path, i), quote((*domains)[i]) + " is listed twice");
    }
  }
  return domains;
}

Result<ListenAddress> readHostPort(const toml::node& node, const Context& ctx,
                                   const std::string& path, bool listener) {
  auto text = readString(node, ctx, path);
  if (!text) return text.error();
  auto address = parseHostPort(*text, listener);
  if (!address) return ctx.error(path, address.error().message);
  return address;
}

Result<SipAddress> readSipAddress(const toml::node& node, const Context& ctx,
                                  const std::string& path, bool listener) {
  auto text = readString(node, ctx, path);
  if (!text) return text.error();
  auto address = parseSipAddress(*text, listener);
  if (!address) return ctx.error(path, address.error().message);
  return address;
}

Result<std::filesystem::path> readPath(const toml::node& node, const Context& ctx,
                                       const std::string& path, bool mustExist) {
  auto text = readString(node, ctx, path);
  if (!text) return text.error();
  if (text->empty()) return ctx.error(path, "must not be empty (leave the key out instead)");
  std::filesystem::path resolved = ctx.resolve(*text);
  if (mustExist) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(resolved, ec)) {
      return ctx.error(path, "no such file: " + resolved.string());
    }
  }
  return resolved;
}

Result<const toml::array*> readArray(const toml::node& node, const Context& ctx,
                                     const std::string& path) {
  if (!node.is_array()) return wrongType(ctx, path, "an array", node);
  return node.as_array();
}

Result<const toml::table*> readTableNode(const toml::node& node, const Context& ctx,
                                         const std::string& path) {
  if (!node.is_table()) return wrongType(ctx, path, "a table", node);
  return node.as_table();
}

}  // namespace impd::config::schema

namespace impd::config::schema {

std::string showValue(const std::string& v) {
  return quote(v);
}
std::string showValue(std::int64_t v) {
  return std::to_string(v);
}
std::string showValue(bool v) {
  return v ? "true" : "false";
}

std::string showValue(const std::vector<std::string>& v) {
  std::string out = "[";
  for (const std::string& s : v) out += (out.size() > 1 ? ", " : "") + quote(s);
  return out + "]";
}

std::string showValue(const std::vector<ListenAddress>& v) {
  std::vector<std::string> texts;
  for (const ListenAddress& a : v) texts.push_back(toString(a));
  return showValue(texts);
}

std::string showValue(const std::vector<SipAddress>& v) {
  std::vector<std::string> texts;
  for (const SipAddress& a : v) texts.push_back(toString(a));
  return showValue(texts);
}

}  // namespace impd::config::schema
