#pragma once
// host = hostname / IPv4address / IPv6reference and port (RFC 3261 §25.1), shared by the URI
// parser and Via's sent-by. Internal to the SIP codec.
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace impd::sip::host {

std::optional<std::array<std::uint8_t, 4>> parseIpv4(std::string_view text);
// An IPv6address without brackets, RFC 4291 text form (with "::" and a trailing IPv4 part).
std::optional<std::array<std::uint8_t, 16>> parseIpv6(std::string_view text);
// hostname = *( domainlabel "." ) toplabel [ "." ]; toplabel starts with a letter.
bool isHostname(std::string_view text);

// The host at the start of `text`: "[...]" (validated IPv6) or a run of alphanum/"."/"-"
// that is an IPv4 address or a hostname. Returns its length, 0 when there is no valid host.
std::size_t scanHost(std::string_view text);
// 1*DIGIT up to 65535.
std::optional<std::uint16_t> parsePort(std::string_view digits);
// Host comparison: case-insensitive; IPv6 references by address value, so "[::1]" and
// "[0:0::1]" are the same host.
bool hostsEqual(std::string_view a, std::string_view b);
// IPv4address / IPv6address / IPv6reference (the forms Via's received= may carry).
bool isIpAddress(std::string_view text);

}  // namespace impd::sip::host
