#pragma once
// What every client connection shares: settings, TLS, the session registry, storage and the
// IM service. Owned by server/ and outliving every connection.
#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/random.h"
#include "config/config.h"
#include "core/blocking_worker.h"
#include "core/registry.h"
#include "im/service.h"
#include "storage/store.h"
#include "net/address_guard.h"

namespace impd::xmpp {

struct C2sContext {
  config::C2s settings;
  std::vector<std::string> domains;
  std::shared_ptr<boost::asio::ssl::context> tls;
  core::SessionRegistry& registry;
  core::BlockingWorker& worker;
  storage::Store& store;
  im::Service& service;
  net::AddressGuard& guard;
  Clock& clock;
  Random& random;
  std::atomic<bool> draining{false};
};

}  // namespace impd::xmpp
