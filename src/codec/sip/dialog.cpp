// Dialog creation, in-dialog request construction and the UAS CSeq rule (RFC 3261 §12).
#include "codec/sip/dialog.h"

#include <algorithm>
#include <utility>

#include "codec/sip/grammar.h"
#include "codec/sip/headers.h"

namespace impd::sip {
namespace {

Result<CSeq> cseqOf(const Message& message) {
  const auto value = message.get("CSeq");
  if (!value) return makeError("bad-request", "no CSeq header");
  auto cseq = CSeq::parse(*value);
  if (!cseq) return makeError("bad-request", "bad CSeq header");
  return std::move(*cseq);
}

// The URI of the first Contact: the remote target.
Result<std::string> contactTarget(const Message& message) {
  const auto value = message.get("Contact");
  if (!value) return makeError("bad-request", "no Contact header");
  auto contact = NameAddr::parse(*value);
  if (!contact) return makeError("bad-request", "bad Contact header");
  return contact->uri().str();
}

std::vector<std::string> recordRoutes(const Message& message, bool reversed) {
  std::vector<std::string> routes;
  for (const auto value : message.getAll("Record-Route")) routes.emplace_back(value);
  if (reversed) std::reverse(routes.begin(), routes.end());
  return routes;
}

bool isSipsUri(std::string_view uri) {
  return grammar::iequals(uri.substr(0, 5), "sips:");
}

std::string valueOf(const Message& message, std::string_view header) {
  return std::string(message.get(header).value_or(""));
}

}  // namespace

bool isTargetRefresh(std::string_view method) {
  return method == "INVITE" || method == "UPDATE" || method == "SUBSCRIBE" || method == "NOTIFY";
}

Result<Dialog> Dialog::asUac(const Message& request, const Message& response, bool tls) {
  if (!response.isResponse() || response.status() <= 100 || response.status() >= 300) {
    return makeError("bad-request", "only a 101-299 response creates a dialog");
  }
  auto id = dialogIdOfResponse(response);
  if (!id) return id.error();
  if (id->remoteTag.empty()) return makeError("bad-request", "response has no To tag");
  auto cseq = cseqOf(request);
  if (!cseq) return cseq.error();
  auto target = contactTarget(response);
  if (!target) return target.error();

  Dialog d;
  d.id_ = std::move(*id);
  d.state_ = response.status() < 200 ? State::Early : State::Confirmed;
  d.secure_ = tls && isSipsUri(request.requestUri());
  d.local_ = valueOf(request, "From");
  d.remote_ = valueOf(response, "To");
  d.target_ = std::move(*target);
  d.localContact_ = valueOf(request, "Contact");
  // Record-Route lists the proxies from the UAS back to us; we send through them in the
  // opposite order.
  d.routes_ = recordRoutes(response, /*reversed=*/true);
  d.localSeq_ = cseq->number;
  return d;
}

Result<Dialog> Dialog::asUas(const Message& request, std::string_view localTag,
                             std::string localContact, State state, bool tls) {
  if (!request.isRequest() || localTag.empty()) {
    return makeError("bad-request", "a UAS dialog needs a request and a local tag");
  }
  auto id = dialogIdOfRequest(request);
  if (!id) return id.error();
  auto cseq = cseqOf(request);
  if (!cseq) return cseq.error();
  auto target = contactTarget(request);
  if (!target) return target.error();
  auto to = NameAddr::parse(valueOf(request, "To"));
  if (!to) return makeError("bad-request", "bad To header");
  to->setParam("tag", std::string(localTag));

  Dialog d;
  d.id_ = DialogId{std::move(id->callId), std::string(localTag), std::move(id->remoteTag)};
  d.state_ = state;
  d.secure_ = tls && isSipsUri(request.requestUri());
  d.local_ = to->str();
  d.remote_ = valueOf(request, "From");
  d.target_ = std::move(*target);
  d.localContact_ = std::move(localContact);
  d.routes_ = recordRoutes(request, /*reversed=*/false);
  d.remoteSeq_ = cseq->number;
  return d;
}

Result<Dialog> Dialog::fromNotify(const Message& subscribe, const Message& notify, bool tls) {
  auto id = dialogIdOfRequest(notify);
  if (!id) return id.error();
  if (id->remoteTag.empty()) return makeError("bad-request", "NOTIFY has no From tag");
  auto localCseq = cseqOf(subscribe);
  if (!localCseq) return localCseq.error();
  auto remoteCseq = cseqOf(notify);
  if (!remoteCseq) return remoteCseq.error();
  auto target = contactTarget(notify);
  if (!target) return target.error();

  Dialog d;
  d.id_ = std::move(*id);
  d.secure_ = tls && isSipsUri(subscribe.requestUri());
  d.local_ = valueOf(subscribe, "From");
  d.remote_ = valueOf(notify, "From");
  d.target_ = std::move(*target);
  d.localContact_ = valueOf(subscribe, "Contact");
  d.routes_ = recordRoutes(notify, /*reversed=*/false);  // we are the UAS of this NOTIFY
  d.localSeq_ = localCseq->number;
  d.remoteSeq_ = remoteCseq->number;
  return d;
}

Result<void> Dialog::confirm(const Message& response) {
  if (response.status() < 200 || response.status() >= 300) {
    return makeError("bad-request", "only a 2xx confirms a dialog");
  }
  if (state_ == State::Confirmed) return {};
  auto target = contactTarget(response);
  if (!target) return target.error();
  state_ = State::Confirmed;
  target_ = std::move(*target);
  remote_ = valueOf(response, "To");
  routes_ = recordRoutes(response, /*reversed=*/true);
  return {};
}

Message Dialog::build(std::string_view method, std::uint32_t cseq) const {
  std::string requestUri = target_;
  std::vector<std::string> route = routes_;
  if (!routes_.empty()) {
    auto first = NameAddr::parse(routes_.front());
    if (first && !first->uri().param("lr")) {
      // Strict router (RFC 2543, §12.2.1.1): it expects itself in the Request-URI and the
      // real target as the last Route. Parameters a Request-URI may not carry are not
      // stripped; every peer we federate with routes loosely.
      requestUri = first->uri().str();
      route.erase(route.begin());
      route.push_back("<" + target_ + ">");
    }
  }
  Message m = Message::request(std::string(method), std::move(requestUri));
  m.add("Max-Forwards", "70");
  for (auto& r : route) m.add("Route", std::move(r));
  m.add("From", local_);
  m.add("To", remote_);
  m.add("Call-ID", id_.callId);
  m.add("CSeq", std::to_string(cseq) + " " + std::string(method));
  return m;
}

Message Dialog::createRequest(std::string_view method) {
  // Starting at 1 when we never sent anything (UAS side) is allowed: the number only has to
  // grow within the dialog (§8.1.1.5).
  const std::uint32_t next = localSeq_ ? *localSeq_ + 1 : 1;
  localSeq_ = next;
  Message m = build(method, next);
  if (isTargetRefresh(method) && !localContact_.empty()) m.add("Contact", localContact_);
  return m;
}

Message Dialog::createAck(std::uint32_t inviteCseq) const {
  return build("ACK", inviteCseq);
}

bool Dialog::acceptsRequest(const Message& request) {
  auto cseq = cseqOf(request);
  if (!cseq) return false;
  if (remoteSeq_ && cseq->number < *remoteSeq_) return false;
  remoteSeq_ = cseq->number;
  if (isTargetRefresh(request.method())) {
    if (auto target = contactTarget(request)) target_ = std::move(*target);
  }
  return true;
}

void Dialog::onResponse(const Message& response) {
  if (response.status() < 200 || response.status() >= 300) return;
  auto cseq = cseqOf(response);
  if (!cseq || !isTargetRefresh(cseq->method)) return;
  if (auto target = contactTarget(response)) target_ = std::move(*target);
}

DialogSnapshot Dialog::snapshot() const {
  return DialogSnapshot{id_, state_ == State::Early, secure_, local_, remote_, target_, localContact_,
                        routes_, localSeq_, remoteSeq_};
}

Dialog Dialog::restore(const DialogSnapshot& s, std::uint32_t skipSeq) {
  Dialog d;
  d.id_ = s.id;
  d.state_ = s.early ? State::Early : State::Confirmed;
  d.secure_ = s.secure;
  d.local_ = s.local;
  d.remote_ = s.remote;
  d.target_ = s.target;
  d.localContact_ = s.localContact;
  d.routes_ = s.routes;
  // CSeq is 31 bits (RFC 3261 §8.1.1.5): the skip never wraps it.
  if (s.localSeq) d.localSeq_ = std::min<std::uint64_t>(std::uint64_t{*s.localSeq} + skipSeq, 0x7fffffffu);
  d.remoteSeq_ = s.remoteSeq;
  return d;
}

}  // namespace impd::sip
