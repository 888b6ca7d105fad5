#pragma once
// What the IM service needs from the rest of the server, handed in by server/.
#include <cstddef>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/random.h"
#include "core/blocking_worker.h"
#include "core/registry.h"
#include "storage/store.h"

namespace impd::im {

struct Context {
  std::vector<std::string> domains;  // local domains, prepared
  core::SessionRegistry& registry;
  core::BlockingWorker& worker;      // every Store call runs here
  storage::Store& store;
  Clock& clock;
  std::size_t offlineLimit = 1000;
  std::string softwareName = "impd";
  std::string softwareVersion = "0.1.0";
  Random* random = nullptr;          // ids of server-initiated IQs; SecureRandom when null
};

}  // namespace impd::im
