#pragma once
// Typing notifications from SIP peers, both spellings: RFC 3994's
// application/im-iscomposing+xml (<isComposing><state>active|idle</state>), sent as a MESSAGE,
// and Lync's INFO body <KeyboardActivity><status status="type|idle"/></KeyboardActivity>.
// Both map to XEP-0085 composing/paused one level up.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace impd::simple {

enum class ComposingState : std::uint8_t { active, idle };

struct IsComposing {
  ComposingState state = ComposingState::idle;
  std::string contentType;          // <contenttype>, "" when absent
  std::optional<unsigned> refresh;  // <refresh> seconds; RFC 3994 sends it with "active"
  std::string lastActive;           // <lastactive> as sent, "" when absent

  bool operator==(const IsComposing&) const = default;
};

// Errors (condition "bad-request"): not XML, a root other than isComposing, or no <state>.
// A state other than "active" reads as idle: the safe side is to stop showing typing.
Result<IsComposing> parseIsComposing(std::string_view xml);
std::string buildIsComposing(const IsComposing& composing);

// Lync's "type" is active, "idle" idle. Errors (condition "bad-request"): not XML, another root,
// or a status element without one of those two values.
Result<ComposingState> parseKeyboardActivity(std::string_view xml);
std::string buildKeyboardActivity(ComposingState state);

}  // namespace impd::simple
