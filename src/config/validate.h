#pragma once
#include "config/schema.h"

namespace impd::config::schema {

// Cross-key checks on a fully read Config: the first problem found, or success.
Result<void> validate(const Config& config, const Context& ctx);

}  // namespace impd::config::schema
