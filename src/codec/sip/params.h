#pragma once
// Header parameters: `*( SEMI generic-param )` after a Via, a name-addr, an Event package or
// a media type (RFC 3261 §25.1). Order is kept, names compare case-insensitively, values are
// held unescaped and remember whether they were quoted so str() writes them back the same way.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace impd::sip {

namespace grammar {
class Scanner;
}

struct Param {
  std::string name;       // as written
  std::string value;      // unquoted and unescaped; empty when the parameter has no value
  bool hasValue = false;  // "name=value" rather than a bare "name"
  bool quoted = false;    // written as a quoted-string

  friend bool operator==(const Param&, const Param&) = default;
};

class Params {
 public:
  // Reads `*( SEMI generic-param )` from the scanner, stopping before the first character that
  // is neither LWS nor ';'. gen-value = token / host / quoted-string.
  static Result<Params> parse(grammar::Scanner& in);

  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }
  const std::vector<Param>& items() const { return items_; }

  bool has(std::string_view name) const { return find(name) != nullptr; }
  // The value of the first parameter of that name ("" for a bare flag); nullopt when absent.
  std::optional<std::string_view> get(std::string_view name) const;
  const Param* find(std::string_view name) const;

  // Replaces the first parameter of that name in place (keeping its position) or appends one.
  // A value that is not a token or host is written quoted; `quoted` forces quoting.
  void set(std::string_view name, std::string_view value, bool quoted = false);
  void setFlag(std::string_view name);  // a parameter without value
  bool remove(std::string_view name);   // removes every parameter of that name

  std::string str() const;  // ";a=b;flag;c=\"quoted value\""

  friend bool operator==(const Params&, const Params&) = default;

 private:
  std::vector<Param> items_;
};

// Whether `value` can be written unquoted as a gen-value (token or host).
bool isPlainParamValue(std::string_view value);

}  // namespace impd::sip
