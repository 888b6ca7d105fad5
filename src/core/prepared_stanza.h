#pragma once
// A stanza for many recipients that differ only in 'to' (a presence broadcast to a roster),
// brought into jabber:client and serialized once. Each recipient's copy is then one string: the
// bytes before the 'to' value, the recipient's address, and the bytes after it. Before, every
// contact of a broadcast cost a copy of the element tree and a serialization of its own.
#include <string>
#include <string_view>

#include "xml/element.h"

namespace impd::core {

// Stanzas reach a client stream built by other parts of the server, or from other streams; on
// a client stream they are all in jabber:client, so that serialization leaves xmlns implicit.
void toClientNamespace(xml::Element& stanza);

class PreparedStanza {
 public:
  // Any 'to' the stanza has is replaced per recipient.
  explicit PreparedStanza(xml::Element stanza);

  // The stanza as an element addressed to `to`, for a session that keeps the stanzas it sends
  // (stream management) or is waiting to be resumed.
  xml::Element addressedTo(std::string_view to) const;
  // The same stanza as a client stream writes it: what serializing addressedTo(to) in
  // jabber:client gives, byte for byte.
  std::string bytesTo(std::string_view to) const;

 private:
  xml::Element stanza_;  // in jabber:client, with an empty 'to'
  std::string head_;     // the serialized stanza up to the 'to' value
  std::string tail_;     // and from the end of that value
};

}  // namespace impd::core
