#pragma once
// Inside the IM service: the envelope a stanza travels in, the environment every feature file
// works against, the stage interface, and each feature's entry points. Only src/im includes it.
//
// Life of a stanza: Router::dispatch classifies the destination, runs the ordered stages
// (stages.cpp), and hands what is left to the feature that owns the destination. Features
// that emit stanzas of their own (pushes aside) send them back through Env::send(), so a
// presence broadcast to a local contact meets that contact's policy like any other stanza.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/random.h"
#include "codec/xmpp/jid.h"
#include "codec/xmpp/stanza.h"
#include "core/session.h"
#include "im/context.h"
#include "im/sharded_map.h"
#include "storage/privacy.h"
#include "storage/roster.h"
#include "xml/element.h"

namespace impd::im {

template <typename T>
using Awaitable = boost::asio::awaitable<T>;
using SessionPtr = std::shared_ptr<core::ClientSession>;

// Who handed us the stanza. Client stanzas meet the sender's own policy (outbound blocking,
// presence and subscription handling); server-generated ones were already decided by the
// feature that made them.
enum class Origin { kClient, kPeer, kServer };

enum class Destination {
  kOwnAccount,  // no 'to', or the sender's own bare JID: the server acts for the account
  kServer,      // a local domain itself (or domain/resource)
  kLocalUser,   // a user of a local domain, bare or full
  kRemote,      // anything else
};

struct Envelope {
  xml::Element stanza;
  xmpp::StanzaKind kind = xmpp::StanzaKind::kOther;
  xmpp::Jid from;
  xmpp::Jid to;
  Origin origin = Origin::kServer;
  Destination dest = Destination::kRemote;
  SessionPtr session;  // the sending session (Origin::kClient only)

  std::string_view type() const { return stanza.attr("type"); }
  bool isError() const { return xmpp::isError(stanza); }
  bool isIqRequest() const { return type() == "get" || type() == "set"; }
};

class Router;

// A user's privacy policy as the stanza path reads it. Built from the store only inside worker
// lambdas, so the order of cache writes is the order of the store's own changes and a slow
// loader never overwrites a newer policy.
struct PolicyView {
  storage::PrivacyPolicy stored;  // entries sorted bytewise by JID, one per JID
  std::vector<std::string> blocklist() const;  // the XEP-0191 view, sorted
};
using Policy = std::shared_ptr<const PolicyView>;

struct Env {
  explicit Env(Context c);

  Context ctx;
  Random& random;
  ShardedMap<Policy> policies;
  ShardedMap<std::chrono::steady_clock::time_point> knownAccounts;  // bare JID -> cached until
  // XEP-0115: verification string -> lists the availability extension (verified answers only),
  // and the disco#info queries still waiting for their answer, by IQ id.
  ShardedMap<bool> capsRich;
  struct CapsQuery {
    std::weak_ptr<core::ClientSession> session;
    std::string ver;
  };
  std::mutex capsMutex;
  std::map<std::string, CapsQuery> capsPending;
  Router* router = nullptr;

  bool isLocalDomain(std::string_view domain) const;
  // Routes a stanza the server made (Origin::kServer): no outbound policy, since the feature
  // that made it already decided; inbound policy of a local recipient still applies.
  Awaitable<void> send(xml::Element stanza);
  // A reply to whoever sent the envelope: the sending session directly, else routed.
  Awaitable<void> answer(const Envelope& e, xml::Element reply);
  // An error reply, unless the envelope is itself an error (never answer an error).
  Awaitable<void> answerError(const Envelope& e, std::string_view condition);

  std::vector<SessionPtr> resources(const std::string& bare) const;
  std::vector<SessionPtr> availableResources(const std::string& bare) const;
  std::string newId() { return random.token(9); }
};

// A client stanza (message/presence/iq) in jabber:client with from/to/type set when non-empty.
xml::Element makeStanza(std::string_view name, std::string_view from, std::string_view to,
                        std::string_view type = {});

// ---- stages.cpp -------------------------------------------------------------------------
enum class Verdict { kContinue, kStop };

// A policy step on the way to the destination. It may let the stanza continue, stop it
// (dropping it or having answered it), or change the envelope for the stages after it.
class Stage {
 public:
  virtual ~Stage() = default;
  virtual Awaitable<Verdict> process(Envelope& e) = 0;
};
std::vector<std::unique_ptr<Stage>> makeStages(Env& env);

// ---- accounts.cpp -----------------------------------------------------------------------
Awaitable<bool> accountExists(Env& env, const std::string& bare);

// ---- policy.cpp -------------------------------------------------------------------------
// The entry that decides for an address: the most specific one, in XEP-0016 order (full JID,
// bare JID, domain/resource, domain). Null when no entry matches.
const storage::PolicyEntry* decidingEntry(const PolicyView& policy, const xmpp::Jid& jid);
// The same for a roster contact (an already prepared bare JID), without re-preparing it.
const storage::PolicyEntry* decidingEntry(const PolicyView& policy, const std::string& bareContact);
// Everything from and to the address is refused (XEP-0191 blocking).
template <typename Address>
bool blocksAll(const PolicyView& policy, const Address& address) {
  const storage::PolicyEntry* e = decidingEntry(policy, address);
  return e && e->action == storage::PolicyAction::kBlock && e->scope == storage::PolicyScope::kAll;
}
// The address must not see the user's presence (a block of either scope).
template <typename Address>
bool withholdsPresence(const PolicyView& policy, const Address& address) {
  const storage::PolicyEntry* e = decidingEntry(policy, address);
  return e && e->action == storage::PolicyAction::kBlock;
}
Policy makePolicy(storage::PrivacyPolicy stored);
Awaitable<Policy> policyOf(Env& env, const std::string& user);
storage::WatcherDefault authorizeFederatedWatcher(const PolicyView& policy,
                                                  const std::string& bareWatcher);
// Changes the stored policy inside one worker call and refreshes the cache; the edit may
// fail, and `result` says so. presenceFollowsPolicy() then makes presence follow: contacts
// that lost sight of the user see them go offline, contacts that regained it get presence.
using PolicyEdit = std::function<Result<void>(storage::PrivacyStore&)>;
struct PolicyChange {
  Result<void> result;
  Policy before, after;
  std::vector<storage::RosterItem> roster;
};
Awaitable<PolicyChange> changePolicy(Env& env, const std::string& user, PolicyEdit edit);
Awaitable<void> presenceFollowsPolicy(Env& env, const std::string& user, const PolicyChange& c);

// ---- blocking.cpp / privacy_lists.cpp ---------------------------------------------------
Awaitable<void> handleBlockingIq(Env& env, Envelope& e);
Awaitable<void> handlePrivacyIq(Env& env, Envelope& e);
// Tells every resource of the user what a policy change did to each view: XEP-0191 <block/>
// and <unblock/> pushes for the blocklist's difference, an XEP-0016 list push.
void pushBlocklistChange(Env& env, const std::string& user, const PolicyView& before,
                         const PolicyView& after);
void pushPrivacyListChange(Env& env, const std::string& user, const std::string& listName);

// ---- availability.cpp / caps.cpp --------------------------------------------------------
PeerProfile peerProfile(const Env& env, std::string_view domain);
// An available presence as a local recipient sees it (standard or rich client); anything else
// is returned as it is.
xml::Element presenceForLocal(const Env& env, const xml::Element& stanza, std::string_view fromDomain,
                              bool richRecipient);
// An available presence from a local user as a federated domain's users see it.
xml::Element presenceForRemote(const Env& env, const xml::Element& stanza, std::string_view toDomain);
// Reads a client's <c/> from its presence; asks the client when the string is new.
Awaitable<void> noteCapabilities(Env& env, const SessionPtr& session, const xml::Element& presence);
// Consumes the answer to one of our disco#info queries; false for any other IQ.
Awaitable<bool> takeCapsAnswer(Env& env, Envelope& e);

// ---- roster.cpp -------------------------------------------------------------------------
xml::Element rosterItemXml(const storage::RosterItem& item);
xml::Element rosterRemovedXml(const std::string& contact);
// Sends a roster push of one item to every resource of `user` that requested the roster.
void pushRosterItem(Env& env, const std::string& user, const xml::Element& item,
                    std::uint64_t version);
Awaitable<void> handleRosterIq(Env& env, Envelope& e);

// ---- subscriptions.cpp ------------------------------------------------------------------
bool hasFrom(const storage::RosterItem& item);
bool hasTo(const storage::RosterItem& item);
Awaitable<void> outboundSubscription(Env& env, Envelope& e);
Awaitable<void> inboundSubscription(Env& env, Envelope& e);

// ---- presence.cpp / presence_initial.cpp / probes.cpp -----------------------------------
Awaitable<void> clientBroadcast(Env& env, Envelope& e);
Awaitable<void> noteDirectedPresence(Env& env, Envelope& e);
Awaitable<void> endSession(Env& env, SessionPtr session);
// The rest of RFC 6121 §4.2 after the broadcast of a session's first available presence:
// probes, the other resources' presence, pending requests, offline messages.
Awaitable<void> initialPresence(Env& env, const SessionPtr& session,
                                const std::vector<storage::RosterItem>& roster,
                                const PolicyView& policy);
Awaitable<void> deliverPresence(Env& env, Envelope& e);
Awaitable<void> answerProbe(Env& env, Envelope& e);
// The current presence of every available resource of `user`, from each full JID to `target`.
Awaitable<void> sendPresenceTo(Env& env, const std::string& user, const std::string& target);
// Unavailable from every available resource of `user` to `target`.
Awaitable<void> sendUnavailableTo(Env& env, const std::string& user, const std::string& target);

// ---- messages.cpp -----------------------------------------------------------------------
Awaitable<void> deliverMessage(Env& env, Envelope& e);
Awaitable<void> deliverIq(Env& env, Envelope& e);

// ---- offline.cpp ------------------------------------------------------------------------
Awaitable<void> storeOffline(Env& env, Envelope& e);
Awaitable<void> deliverOffline(Env& env, const SessionPtr& session);

// ---- server_iq.cpp ----------------------------------------------------------------------
Awaitable<void> handleServerIq(Env& env, Envelope& e);
Awaitable<void> handleOwnAccountIq(Env& env, Envelope& e);
xml::Element accountDiscoInfo(const Envelope& e);

// ---- remote.cpp -------------------------------------------------------------------------
Awaitable<void> routeRemote(Env& env, Envelope& e);

}  // namespace impd::im
