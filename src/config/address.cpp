#include "config/address.h"

#include <arpa/inet.h>

#include <charconv>
#include <string>

namespace impd::config {

namespace {

Error bad(std::string problem) {
  return makeError("bad-address", std::move(problem));
}

bool isIpv4(const std::string& host) {
  in_addr a{};
  return inet_pton(AF_INET, host.c_str(), &a) == 1;
}

bool isIpv6(const std::string& host) {
  in6_addr a{};
  return inet_pton(AF_INET6, host.c_str(), &a) == 1;
}

// A host name as DNS writes it: dot-separated labels of letters, digits and inner hyphens.
// (Domains in [server] go through IDNA preparation instead; hosts here are for sockets.)
bool isHostName(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  std::size_t start = 0;
  while (start <= host.size()) {
    std::size_t dot = host.find('.', start);
    std::string_view label = host.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      bool ok =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
      if (!ok) return false;
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return true;
}

Result<std::uint16_t> parsePort(std::string_view text, bool allowZero) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value > 65535) {
    return bad("port must be a number from " + std::string(allowZero ? "0" : "1") +
               " to 65535 (got \"" + std::string(text) + "\")");
  }
  if (value == 0 && !allowZero) return bad("port 0 is only meaningful for a listener");
  return static_cast<std::uint16_t>(value);
}

// Splits "host:port" / "[v6]:port" / (when the port is optional) "host" / "[v6]".
Result<ListenAddress> splitHostPort(std::string_view text, bool requirePort, bool allowZero) {
  std::string host;
  std::string_view rest;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos)
      return bad("unclosed '[' in \"" + std::string(text) + "\"");
    host = std::string(text.substr(1, close - 1));
    if (!isIpv6(host)) return bad("not an IPv6 address: \"" + host + "\"");
    rest = text.substr(close + 1);
  } else {
    auto colon = text.rfind(':');
    if (colon != std::string_view::npos && text.find(':') != colon) {
      return bad("write IPv6 addresses in brackets, e.g. \"[::1]:5222\" (got \"" +
                 std::string(text) + "\")");
    }
    host = std::string(text.substr(0, colon));
    rest = colon == std::string_view::npos ? std::string_view() : text.substr(colon);
    if (!isIpv4(host) && !isHostName(host)) {
      return bad("not a host name or IP address: \"" + host + "\"");
    }
  }
  ListenAddress out{host, 0};
  if (rest.empty()) {
    if (requirePort) return bad("expected host:port (got \"" + std::string(text) + "\")");
    return out;
  }
  if (rest.front() != ':') return bad("expected host:port (got \"" + std::string(text) + "\")");
  auto port = parsePort(rest.substr(1), allowZero);
  if (!port) return port.error();
  out.port = *port;
  return out;
}

}  // namespace

bool isIpLiteral(std::string_view host) {
  std::string h(host);
  return isIpv4(h) || isIpv6(h);
}

Result<ListenAddress> parseHostPort(std::string_view text, bool allowPortZero) {
  return splitHostPort(text, true, allowPortZero);
}

Result<SipAddress> parseSipAddress(std::string_view text, bool listener) {
  auto scheme = text.find("://");
  if (scheme == std::string_view::npos) {
    return bad("expected transport://host:port, e.g. \"tls://127.0.0.1:5061\" (got \"" +
               std::string(text) + "\")");
  }
  std::string_view name = text.substr(0, scheme);
  SipAddress out;
  if (name == "tls") {
    out.transport = SipTransport::kTls;
  } else if (name == "tcp") {
    out.transport = SipTransport::kTcp;
  } else if (name == "udp") {
    out.transport = SipTransport::kUdp;
  } else {
    return bad("transport must be one of tls, tcp, udp (got \"" + std::string(name) + "\")");
  }
  auto hostPort = splitHostPort(text.substr(scheme + 3), listener, listener);
  if (!hostPort) return hostPort.error();
  out.host = hostPort->host;
  out.port = hostPort->port;
  if (out.port == 0 && !listener) out.port = out.transport == SipTransport::kTls ? 5061 : 5060;
  return out;
}

std::string toString(const ListenAddress& address) {
  bool v6 = address.host.find(':') != std::string::npos;
  std::string host = v6 ? "[" + address.host + "]" : address.host;
  return host + ":" + std::to_string(address.port);
}

std::string toString(const SipAddress& address) {
  static constexpr const char* kNames[] = {"udp", "tcp", "tls"};
  return std::string(kNames[static_cast<int>(address.transport)]) + "://" +
         toString(ListenAddress{address.host, address.port});
}

}  // namespace impd::config
