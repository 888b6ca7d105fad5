#pragma once
// XML namespaces used by the XMPP codec and services.
#include <string_view>

namespace impd::xmpp::ns {

inline constexpr std::string_view kClient = "jabber:client";
inline constexpr std::string_view kServer = "jabber:server";
inline constexpr std::string_view kStreams = "http://etherx.jabber.org/streams";
inline constexpr std::string_view kStreamErrors = "urn:ietf:params:xml:ns:xmpp-streams";
inline constexpr std::string_view kStanzaErrors = "urn:ietf:params:xml:ns:xmpp-stanzas";
inline constexpr std::string_view kTls = "urn:ietf:params:xml:ns:xmpp-tls";
inline constexpr std::string_view kSasl = "urn:ietf:params:xml:ns:xmpp-sasl";
inline constexpr std::string_view kBind = "urn:ietf:params:xml:ns:xmpp-bind";
inline constexpr std::string_view kSession = "urn:ietf:params:xml:ns:xmpp-session";
inline constexpr std::string_view kRoster = "jabber:iq:roster";
inline constexpr std::string_view kRosterVer = "urn:xmpp:features:rosterver";
inline constexpr std::string_view kPreApproval = "urn:xmpp:features:pre-approval";
inline constexpr std::string_view kSm = "urn:xmpp:sm:3";
inline constexpr std::string_view kBlocking = "urn:xmpp:blocking";
inline constexpr std::string_view kPrivacy = "jabber:iq:privacy";
inline constexpr std::string_view kCaps = "http://jabber.org/protocol/caps";
// impd's availability extension: a client that lists it in its entity capabilities sees (and
// may send) the full canonical state in <availability xmlns=... state='busy'/> (README).
inline constexpr std::string_view kAvailability = "urn:impd:availability:0";
inline constexpr std::string_view kBlockingErrors = "urn:xmpp:blocking:errors";
inline constexpr std::string_view kDiscoInfo = "http://jabber.org/protocol/disco#info";
inline constexpr std::string_view kDiscoItems = "http://jabber.org/protocol/disco#items";
inline constexpr std::string_view kPing = "urn:xmpp:ping";
inline constexpr std::string_view kVersion = "jabber:iq:version";
inline constexpr std::string_view kDelay = "urn:xmpp:delay";
inline constexpr std::string_view kOfflineMsg = "msgoffline";  // XEP-0160 disco feature
inline constexpr std::string_view kXml = "http://www.w3.org/XML/1998/namespace";

}  // namespace impd::xmpp::ns
