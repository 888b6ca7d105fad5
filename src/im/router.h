#pragma once
// The IM router: turns a stanza into an envelope, classifies where it is going, runs the
// policy stages in order, and hands the rest to the feature that owns the destination.
// It decides nothing itself; every rule lives in a stage or a feature file.
#include <memory>
#include <optional>
#include <vector>

#include "im/internal.h"

namespace impd::im {

class Router {
 public:
  explicit Router(Env& env);

  // Builds the envelope; nullopt (after answering, where an answer is due) when the stanza
  // cannot be routed at all.
  Awaitable<std::optional<Envelope>> envelope(xml::Element stanza, Origin origin,
                                              SessionPtr session);
  Awaitable<void> dispatch(Envelope e);
  Awaitable<void> route(xml::Element stanza, Origin origin, SessionPtr session = nullptr);

 private:
  Destination classify(const Envelope& e) const;
  Awaitable<void> toDestination(Envelope& e);

  Env& env_;
  std::vector<std::unique_ptr<Stage>> stages_;
};

}  // namespace impd::im
