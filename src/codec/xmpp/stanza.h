#pragma once
// Helpers for the stanza model (RFC 6120 §8): kinds, error replies, stream errors.
#include <string>
#include <string_view>

#include "xml/element.h"

namespace impd::xmpp {

enum class StanzaKind { kMessage, kPresence, kIq, kOther };
StanzaKind stanzaKind(const xml::Element& e);

// RFC 6120 §8.3.3: the error type that goes with each defined condition.
std::string_view defaultErrorType(std::string_view condition);

// The error reply to a stanza: same name and id, to/from swapped, type='error', the original
// payload dropped (RFC 6120 §8.3.1 allows including it; we don't, to bound reply size), and an
// <error/> with the condition and optional text. An error is never answered with an error:
// callers must check isError() first.
xml::Element makeErrorReply(const xml::Element& stanza, std::string_view condition,
                            std::string_view text = {}, std::string_view type = {});
// Adds an application-specific condition element (e.g. XEP-0191 <blocked/>) to an error reply.
void addAppCondition(xml::Element& errorReply, std::string_view name, std::string_view ns);
bool isError(const xml::Element& stanza);

// A result IQ for a get/set request (to/from swapped, same id).
xml::Element makeIqResult(const xml::Element& request);

// Serialized <stream:error> followed by </stream:stream> (RFC 6120 §4.9).
std::string streamErrorXml(std::string_view condition, std::string_view text = {});

// The opening tag of a response stream header.
std::string streamHeaderXml(std::string_view defaultNs, std::string_view from, std::string_view to,
                            std::string_view id, std::string_view lang = "en");

}  // namespace impd::xmpp
