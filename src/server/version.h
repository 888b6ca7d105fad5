#pragma once

namespace impd {
inline constexpr const char* kVersion = "0.1.0";
}
