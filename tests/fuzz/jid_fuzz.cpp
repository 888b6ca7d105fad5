// Jid::parse on arbitrary bytes. Whatever it accepts must print to a string that parses back
// to the same JID (preparation is idempotent) and must agree with fromParts().
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "codec/xmpp/jid.h"

using impd::Result;
using impd::xmpp::Jid;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Result<Jid> jid = Jid::parse(text);
  if (!jid) {
    if (jid.error().condition != "jid-malformed") std::abort();
    return 0;
  }
  if (jid->empty()) std::abort();
  std::string printed = jid->str();
  Result<Jid> again = Jid::parse(printed);
  if (!again || *again != *jid || again->str() != printed) std::abort();
  Result<Jid> rebuilt = Jid::fromParts(jid->local(), jid->domain(), jid->resource());
  if (!rebuilt || *rebuilt != *jid) std::abort();
  if (jid->bare().str() != jid->bareStr() || !jid->bare().isBare()) std::abort();
  return 0;
}
