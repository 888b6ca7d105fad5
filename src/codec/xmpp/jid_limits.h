#pragma once
// Size limits shared by the JID part preparers. Private to impd_codec_xmpp.
#include <cstddef>

namespace impd::xmpp::detail {

// RFC 7622 §3.2-3.4: each prepared part is at most 1023 octets.
inline constexpr std::size_t kMaxPartBytes = 1023;
// Raw input refused before any Unicode work. Mapping shrinks text by at most a factor of
// three (fullwidth forms, conjoining jamo), so nothing longer can prepare to 1023 bytes, and
// the cap keeps a hostile megabyte-long attribute from reaching ICU.
inline constexpr std::size_t kMaxInputBytes = 4096;
// RFC 1035 §2.3.4: a DNS label is at most 63 octets (checked on the A-label form).
inline constexpr std::size_t kMaxLabelBytes = 63;

}  // namespace impd::xmpp::detail
