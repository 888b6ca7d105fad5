// The gateway's reading of SIP requests on arbitrary bytes: whatever a federated peer sends
// (a MESSAGE with an HTML or multipart body, an INVITE with ms-text-format and SDP, a NOTIFY
// with PIDF, a SUBSCRIBE with odd headers) must become a stanza that serializes, or an error
// with a condition the SIP side can answer with - never a crash.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "codec/sip/message.h"
#include "gateway/address_map.h"
#include "gateway/error_translation.h"
#include "gateway/inbound_im_invite.h"
#include "gateway/inbound_subscribe.h"
#include "gateway/sip_to_xmpp_message.h"
#include "gateway/sip_to_xmpp_presence.h"
#include "xml/element.h"

using namespace impd;

namespace {
void check(bool ok) {
  if (!ok) std::abort();
}

void checkStanza(const xml::Element& stanza) { check(!xml::serialize(stanza).empty()); }

template <typename T>
void checkTranslation(const Result<std::optional<T>>& result, const sip::Message& request) {
  if (!result) {
    // The refusal must be a well-formed SIP response.
    sip::Message refusal = gateway::sipRefusalFor(request, result.error(), "t");
    check(refusal.status() >= 300 && !sip::serialize(refusal).empty());
    return;
  }
  if (*result) checkStanza(**result);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  sip::Limits limits;
  limits.maxHeaderBytes = 4096;
  limits.maxHeaders = 64;
  limits.maxBodyBytes = 8192;
  auto parsed = sip::parse(text, limits);
  if (!parsed || !parsed->isRequest()) return 0;
  const sip::Message& m = *parsed;

  (void)gateway::partiesOf(m);
  checkTranslation(gateway::translateSipMessage(m), m);
  checkTranslation(gateway::translateSipInfo(m), m);
  if (auto bye = gateway::translateSipBye(m)) checkStanza(*bye);

  auto subscribe = gateway::checkInboundSubscribe(m, sip::ExpiryPolicy{}, "t");
  if (subscribe.refusal) check(subscribe.refusal->status() >= 400);

  gateway::InboundInviteConfig config{"<sip:imp.test:5061;transport=tls>", {}};
  config.sdp.address = "127.0.0.1";
  auto invite = gateway::decideInboundInvite(m, "t", config);
  check(invite.accepted ? invite.response.status() == 200 : invite.response.status() >= 400);
  if (invite.firstMessage) checkStanza(*invite.firstMessage);

  auto watcher = xmpp::Jid::parse("alice@imp.test");
  auto presentity = xmpp::Jid::parse("bob@lync.test");
  gateway::NotifyContext context{*watcher, *presentity, presence::System::lync, false, "desk", true};
  if (auto notify = gateway::translateNotify(m, context)) {
    for (const auto& stanza : notify->stanzas) checkStanza(stanza);
  }
  return 0;
}
