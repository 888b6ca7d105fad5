#pragma once
// What travels on a server-to-server stream besides stanzas: the stream header, the Server
// Dialback elements (XEP-0220) and the namespace switch between jabber:server on the wire and
// jabber:client inside the server. Pure text building; no state.
#include <string>
#include <string_view>

#include "xml/element.h"

namespace impd::s2s {

inline constexpr std::string_view kDialbackNs = "jabber:server:dialback";
inline constexpr std::string_view kDialbackFeatureNs = "urn:xmpp:features:dialback";

// <stream:stream xmlns='jabber:server' xmlns:db='jabber:server:dialback' ...>. The db prefix
// is declared on every header we send, because some servers look for it by prefix.
// version1 false answers a peer that sent no version='1.0' (pre-RFC 3920 dialback servers).
std::string streamHeader(std::string_view from, std::string_view to, std::string_view id,
                         bool version1 = true);

// <db:result from to>key</db:result> (the Initiating Server's claim).
std::string dialbackResultRequest(std::string_view from, std::string_view to, std::string_view key);
// <db:verify from to id>key</db:verify> (the Receiving Server asking the Authoritative one).
std::string dialbackVerifyRequest(std::string_view from, std::string_view to, std::string_view id,
                                  std::string_view key);
// The answers: type 'valid' or 'invalid', or 'error' with a stanza error condition.
std::string dialbackResultAnswer(std::string_view from, std::string_view to, std::string_view type,
                                 std::string_view errorCondition = {});
std::string dialbackVerifyAnswer(std::string_view from, std::string_view to, std::string_view id,
                                 std::string_view type, std::string_view errorCondition = {});

// The stanza error condition inside a dialback answer of type 'error' ("" when none).
std::string dialbackErrorCondition(const xml::Element& answer);

// Stanzas arrive from peers in jabber:server and are handled inside in jabber:client (the
// namespace local clients see, core::toClientNamespace); going out they switch back. Children
// in other namespaces are left alone.
std::string serializeForServer(xml::Element stanza);

}  // namespace impd::s2s
