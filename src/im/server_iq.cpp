// IQs the server answers itself: to a local domain, or from a client to its own account
// (no 'to', or its own bare JID), which is where roster and blocklist requests go.
#include <sys/utsname.h>

#include <array>
#include <optional>
#include <span>

#include "codec/xmpp/namespaces.h"
#include "im/internal.h"

namespace impd::im {

namespace {

constexpr std::array<std::string_view, 9> kFeatures{
    xmpp::ns::kDiscoInfo, xmpp::ns::kDiscoItems, xmpp::ns::kPing,       xmpp::ns::kVersion,
    xmpp::ns::kBlocking,  xmpp::ns::kPrivacy,    xmpp::ns::kRoster,     xmpp::ns::kOfflineMsg,
    xmpp::ns::kSm,
};

xml::Element resultWith(const Envelope& e, std::string_view name, std::string_view ns) {
  xml::Element reply = xmpp::makeIqResult(e.stanza);
  reply.addChild(std::string(name), std::string(ns));
  return reply;
}

xml::Element discoInfo(const Envelope& e, std::string_view category, std::string_view type,
                       std::string_view name, std::span<const std::string_view> features) {
  xml::Element reply = resultWith(e, "query", xmpp::ns::kDiscoInfo);
  xml::Element& q = *reply.childElements().front();
  xml::Element& identity = q.addChild("identity", std::string(xmpp::ns::kDiscoInfo));
  identity.setAttr("category", category);
  identity.setAttr("type", type);
  if (!name.empty()) identity.setAttr("name", name);
  for (std::string_view f : features) {
    q.addChild("feature", std::string(xmpp::ns::kDiscoInfo)).setAttr("var", f);
  }
  return reply;
}

std::string osName() {
  utsname u{};
  return uname(&u) == 0 ? std::string(u.sysname) : std::string("unknown");
}

xml::Element version(Env& env, const Envelope& e) {
  static const std::string os = osName();
  xml::Element reply = resultWith(e, "query", xmpp::ns::kVersion);
  xml::Element& q = *reply.childElements().front();
  const std::string ns(xmpp::ns::kVersion);
  q.addChild("name", ns).addText(env.ctx.softwareName);
  q.addChild("version", ns).addText(env.ctx.softwareVersion);
  q.addChild("os", ns).addText(os);
  return reply;
}

// Answers the server's own IQs; nullopt when the request is not one of them.
std::optional<xml::Element> serverAnswer(Env& env, const Envelope& e, const xml::Element& payload) {
  const bool get = e.type() == "get";
  if (get && payload.is("query", xmpp::ns::kDiscoInfo)) {
    // XEP-0030 §3.1: we publish no nodes.
    if (payload.hasAttr("node")) return xmpp::makeErrorReply(e.stanza, "item-not-found");
    return discoInfo(e, "server", "im", env.ctx.softwareName, kFeatures);
  }
  if (get && payload.is("query", xmpp::ns::kDiscoItems))
    return resultWith(e, "query", xmpp::ns::kDiscoItems);
  if (get && payload.is("ping", xmpp::ns::kPing)) return xmpp::makeIqResult(e.stanza);
  if (get && payload.is("query", xmpp::ns::kVersion)) return version(env, e);
  // RFC 3921 session establishment: a no-op kept for old clients (RFC 6121 dropped it).
  if (!get && payload.is("session", xmpp::ns::kSession)) return xmpp::makeIqResult(e.stanza);
  return std::nullopt;
}

// RFC 6120 §8.2.3: get/set carry exactly one payload; results and errors go nowhere here,
// since the server never has a request of its own outstanding.
Awaitable<const xml::Element*> validRequest(Env& env, Envelope& e) {
  const std::string_view type = e.type();
  if (type == "result" || type == "error") co_return nullptr;
  auto payload = e.stanza.children();
  if ((type != "get" && type != "set") || payload.size() != 1 || !e.stanza.hasAttr("id")) {
    co_await env.answerError(e, "bad-request");
    co_return nullptr;
  }
  co_return payload.front();
}

}  // namespace

xml::Element accountDiscoInfo(const Envelope& e) {
  static constexpr std::array<std::string_view, 1> kAccountFeatures{xmpp::ns::kDiscoInfo};
  return discoInfo(e, "account", "registered", {}, kAccountFeatures);
}

Awaitable<void> handleServerIq(Env& env, Envelope& e) {
  if ((e.type() == "result" || e.type() == "error") && co_await takeCapsAnswer(env, e)) co_return;
  const xml::Element* payload = co_await validRequest(env, e);
  if (!payload) co_return;
  if (auto reply = serverAnswer(env, e, *payload)) {
    co_await env.answer(e, std::move(*reply));
  } else {
    co_await env.answerError(e, "service-unavailable");
  }
}

Awaitable<void> handleOwnAccountIq(Env& env, Envelope& e) {
  const xml::Element* payload = co_await validRequest(env, e);
  if (!payload) co_return;
  if (payload->is("query", xmpp::ns::kRoster)) {
    co_await handleRosterIq(env, e);
  } else if (payload->ns() == xmpp::ns::kBlocking) {
    co_await handleBlockingIq(env, e);
  } else if (payload->is("query", xmpp::ns::kPrivacy)) {
    co_await handlePrivacyIq(env, e);
  } else if (!e.to.empty() && e.type() == "get" && payload->is("query", xmpp::ns::kDiscoInfo) &&
             !payload->hasAttr("node")) {
    co_await env.answer(e, accountDiscoInfo(e));
  } else if (auto reply = serverAnswer(env, e, *payload)) {
    co_await env.answer(e, std::move(*reply));
  } else {
    co_await env.answerError(e, "service-unavailable");
  }
}

}  // namespace impd::im
