#pragma once
// What this SIP endpoint does with a request once it is admitted: which methods go to the
// layer above (the gateway registers them), which the runtime answers itself (OPTIONS, and
// 405/501 for the rest, RFC 3261 §8.2.1), and which extensions a Require may ask for (420,
// §8.2.2.3). The same table writes the Allow, Accept and Supported an OPTIONS answer carries.
#include <string>
#include <string_view>
#include <vector>

#include "codec/sip/message.h"

namespace impd::sip {

// The methods the SIP⇄XMPP gateway serves; the default set a request handler registers for.
inline const std::vector<std::string> kGatewayMethods = {
    "INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "MESSAGE", "SUBSCRIBE", "NOTIFY", "INFO"};

struct Capabilities {
  std::vector<std::string> handled;    // methods the request handler takes
  std::vector<std::string> supported;  // option tags a Require may name
  std::vector<std::string> accept = {"application/sdp", "application/pidf+xml", "text/plain"};

  bool handles(std::string_view method) const;
  // OPTIONS, the handled methods and, with INVITE, ACK and CANCEL: what we really serve.
  std::vector<std::string> allowed() const;
  std::string allowHeader() const;  // "INVITE, ACK, ..."
};

// Methods of RFC 3261 and its extensions that we recognise: anything else gets 501, these get
// 405 when nobody handles them.
bool isKnownMethod(std::string_view method);

enum class Disposition {
  kHandler,           // give it to the request handler
  kOptions,           // answer 200 with our capabilities
  kMethodNotAllowed,  // 405 with Allow
  kNotImplemented,    // 501
  kBadExtension,      // 420 with Unsupported
  kAck,               // an ACK nobody handles: absorbed, never answered
};

// What happens to an admitted request. OPTIONS to a user goes to the handler when it takes
// OPTIONS; to the server (no user part) it is always answered here.
Disposition dispose(const Message& request, const Capabilities& caps);

// Require option tags we do not support (Proxy-Require is a proxy's business, §8.2.2.3).
std::vector<std::string> unsupportedRequirements(const Message& request, const Capabilities& caps);

// The 200 to OPTIONS, or the 405/420/501 the disposition calls for, as headers added to a
// response already built with makeResponse().
void describeCapabilities(Message& response, const Capabilities& caps);

}  // namespace impd::sip
