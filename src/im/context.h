#pragma once
// What the IM service needs from the rest of the server, handed in by server/.
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/random.h"
#include "core/blocking_worker.h"
#include "core/registry.h"
#include "storage/store.h"
#include "xml/element.h"

namespace impd::im {

// Where stanzas for domains this server does not host go: server-to-server federation.
class RemoteGateway {
 public:
  virtual ~RemoteGateway() = default;
  // Whether stanzas may be exchanged with this domain at all (the federation policy).
  virtual bool permits(std::string_view domain) const = 0;
  // Takes a stanza from a local domain to a remote one. It is delivered, or an error for it
  // comes back through Service::route when the domain cannot be reached.
  virtual void send(std::string_view localDomain, std::string_view remoteDomain, xml::Element stanza) = 0;
  // A local user politely refused a federated watcher's pending request: nothing is sent (the
  // watcher must not learn of the refusal), but a gateway that already answered the watcher
  // in its own protocol must start showing the user offline. XMPP federation has nothing to do.
  virtual void presenceWithheld(std::string_view /*user*/, std::string_view /*watcher*/) {}
};

// How a federated domain's users show availability: chooses the seed's mapping tables.
enum class PeerProfile { kGeneric, kSametime, kWebex, kImpd, kLync, kOcs };

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
  RemoteGateway* remote = nullptr;   // null: no federation, remote domains are unreachable
  std::map<std::string, PeerProfile, std::less<>> peerProfiles{};  // domain -> profile; else generic
};

}  // namespace impd::im
