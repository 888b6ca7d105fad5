// Writing the SDP of an IM session offer or answer (sdp.h), in the shape Lync sends.
#include "codec/simple/sdp.h"
#include "codec/simple/text.h"

namespace impd::simple {
namespace {

Result<std::string> build(const SdpParams& params, std::string_view target) {
  if (params.address.empty() || detail::hasSpaceOrControl(params.address)) {
    return makeError("bad-request", "SDP address is empty or not a single token");
  }
  for (const auto& type : params.acceptTypes) {
    if (type.empty() || detail::hasSpaceOrControl(type)) {
      return makeError("bad-request", "SDP accept type is empty or not a single token");
    }
  }
  const std::string_view family =
      params.address.find(':') == std::string::npos ? "IN IP4 " : "IN IP6 ";
  std::string out = "v=0\r\n";
  out.append("o=- 0 0 ").append(family).append(params.address).append("\r\n");
  out.append("s=session\r\n");
  out.append("c=").append(family).append(params.address).append("\r\n");
  out.append("t=0 0\r\n");
  out.append("m=message ").append(std::to_string(params.port)).append(" sip ").append(target);
  out.append("\r\na=accept-types:");
  if (params.acceptTypes.empty()) out.append("text/plain");
  for (std::size_t i = 0; i < params.acceptTypes.size(); ++i) {
    if (i > 0) out.append(" ");
    out.append(params.acceptTypes[i]);
  }
  out.append("\r\n");
  return out;
}

}  // namespace

Result<std::string> buildSdpOffer(const SdpParams& params) {
  return build(params, "null");
}

Result<std::string> buildSdpAnswer(const SdpParams& params, std::string_view ourUri) {
  if (ourUri.empty() || detail::hasSpaceOrControl(ourUri)) {
    return makeError("bad-request", "SDP answer URI is empty or not a single token");
  }
  if (detail::istartsWith(ourUri, "sip:") || detail::istartsWith(ourUri, "sips:")) {
    return build(params, ourUri);
  }
  return build(params, "sip:" + std::string(ourUri));
}

}  // namespace impd::simple
