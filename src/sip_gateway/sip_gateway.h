#pragma once
// The SIP<->XMPP gateway at run time: the translations of src/gateway joined to the SIP runtime
// (src/sip) on one side and the IM service on the other. Local users stay XMPP users; a
// contact in a [[sip.federated_domain]] is reached through here.
//
//   presence, SIP watcher -> local user   watchers.cpp      (we are the RFC 6665 notifier)
//   presence, local user -> SIP presentity presentities.cpp (we are the subscriber)
//   instant messages both ways             im_sessions.cpp  (Lync session mode, RFC 3428 pages)
//   requests in, stanzas out, the clock    sip_gateway.cpp
//
// Threading: all gateway state lives on the SIP core strand (SipService::executor()). SIP
// handlers already run there; stanzas from the IM service are posted there. Stanzas for local
// users go back through im::Service::route() in order, one coroutine per batch.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/clock.h"
#include "base/random.h"
#include "codec/presence/profile.h"
#include "codec/sip/dialog.h"
#include "codec/sip/subscription_notifier.h"
#include "codec/sip/subscription_subscriber.h"
#include "config/config.h"
#include "core/blocking_worker.h"
#include "codec/simple/sdp.h"
#include "gateway/inbound_subscribe.h"
#include "gateway/outbound_subscribe.h"
#include "gateway/outbound_subscriptions.h"
#include "im/context.h"
#include "im/service.h"
#include "sip/sip_service.h"
#include "storage/store.h"
#include "xml/element.h"

namespace impd::sip_gateway {

using TimePoint = Clock::Steady::time_point;

struct Peer {
  presence::System system = presence::System::generic;
  // Lync and OCS talk in IM sessions (INVITE, then MESSAGEs in the dialog); a generic SIMPLE
  // peer gets RFC 3428 pages.
  bool sessionMode = false;
  sip::TransportKind transport = sip::TransportKind::Tls;  // how we reach it: our Contact's
};

struct Options {
  // Short on purpose: a refresh is what notices a peer that restarted and forgot us (481), so
  // it bounds how long a local user can go without a SIP contact's presence. 1200 s is the
  // least Lync grants; the seed's two-hour blind spot comes from Lync's own 105 minutes.
  std::chrono::seconds subscribeExpires{1200};
  // Lync ends an IM session after ten idle minutes; we do the same for sessions we hold.
  std::chrono::seconds imIdle{600};
  sip::ExpiryPolicy expiry{};
};

class SipGateway final : public im::RemoteGateway {
 public:
  struct Deps {
    sip::SipService& sip;
    im::Service& im;
    storage::Store& store;
    core::BlockingWorker& worker;
    Clock& clock;
    Random& random;
  };
  SipGateway(Deps deps, const config::Config& config, Options options = {});
  ~SipGateway() override;

  // Registers with the SIP runtime and re-establishes the stored outbound subscriptions.
  // Call after SipService::start(), before the pool runs.
  void start();
  void stop();

  bool handles(std::string_view domain) const { return peers_.contains(std::string(domain)); }

  // im::RemoteGateway (any thread)
  bool permits(std::string_view domain) const override { return handles(domain); }
  void send(std::string_view localDomain, std::string_view remoteDomain, xml::Element stanza) override;
  void presenceWithheld(std::string_view user, std::string_view watcher) override;

 private:
  // ---- state (core strand only) ----
  enum class Sight { kPending, kAuthorized, kWithheld };
  static std::string_view sightName(Sight sight);  // as stored
  struct Watcher {  // a SIP watcher's subscription to a local user
    Watcher(xmpp::Jid user, xmpp::Jid watcher, sip::Dialog dialog, sip::ExpiryPolicy policy);
    xmpp::Jid user, watcher;
    sip::Dialog dialog;
    sip::NotifierSubscription subscription;
    std::string event;
    Sight sight = Sight::kPending;
    std::map<std::string, xml::Element> presence;  // full JID -> last available presence
    bool dirty = false;  // a NOTIFY is due at the next flush
  };
  struct Presentity {  // a local user's subscription to a SIP user
    gateway::SubscriptionKey key;
    sip::SubscriberSubscription subscription;
    sip::Message subscribe{};  // the dialog-forming SUBSCRIBE (a NOTIFY may beat its 200)
    std::optional<sip::Dialog> dialog{};
    bool approved = false;
    bool ending = false;  // unsubscribed: waiting for the final NOTIFY
    std::string lastResource{};
    std::vector<xml::Element> last{};  // what the last NOTIFY said, for probes
    // When to send the SUBSCRIBE again (or, ending, to stop waiting for the final NOTIFY).
    std::optional<TimePoint> retryAt{};
  };
  struct ImSession {  // one conversation with a SIP user
    xmpp::Jid local, remote;
    std::optional<sip::Dialog> dialog{};  // set once established
    sip::Message invite{};                // ours, while it is pending (outbound)
    xml::Element first{};                 // the message that opened it (outbound)
    bool firstInInvite = false;           // ... riding in the INVITE's ms-text-format
    bool established = false;
    TimePoint lastUse{};
    std::vector<xml::Element> queued{};   // messages written before the 200 came
  };
  struct Delivery {  // an inbound SIP request waiting to learn whether XMPP took it
    sip::Message request;
    std::string toTag;  // for the answer of a request outside a dialog (RFC 3261 §8.2.6.2)
    std::optional<sip::Message> success;  // the answer when XMPP took it; else a plain 200
    std::function<void()> onFailure;
    std::optional<xml::Element> error{};
  };

  // sip_gateway.cpp
  void onRequest(sip::IncomingRequest request);
  bool knownDialog(const sip::Message& request) const;
  void fromXmpp(xml::Element stanza);
  void toXmpp(std::vector<xml::Element> stanzas);
  // Routes `stanza` into XMPP, then answers `request`: `success` (else 200) or, when XMPP gave an
  // error back for it, that error as a SIP response (and `onFailure` runs).
  void deliverAndAnswer(sip::Message request, xml::Element stanza, std::string toTag = {},
                        std::optional<sip::Message> success = {}, std::function<void()> onFailure = {});
  void finishDelivery(const std::string& id);
  void sendRequest(sip::Message request, std::string domain, sip::ResponseCallback callback = {});
  boost::asio::awaitable<void> tickLoop();
  void tick();
  const Peer& peerOf(std::string_view domain) const;
  std::string contactFor(std::string_view domain) const;
  static std::string dialogKey(std::string_view callId, std::string_view localTag);

  // watchers.cpp
  void onSubscribe(sip::IncomingRequest request);
  boost::asio::awaitable<void> admitWatcher(sip::IncomingRequest request, std::string toTag,
                                            gateway::InboundSubscribeCheck check);
  void watcherPresence(const xml::Element& presence);
  void watcherAnswer(const xml::Element& presence);
  void withhold(Watcher& watcher);
  void notifyWatcher(const std::string& key, Watcher& watcher);
  void flushWatchers();
  std::vector<std::string> watcherKeys(const xmpp::Jid& user, const xmpp::Jid& watcher) const;
  void eraseWatcher(const std::string& key);
  void saveWatcher(const std::string& key, const Watcher& watcher);
  boost::asio::awaitable<void> restoreWatchers();
  void tickWatchers(TimePoint now);

  // presentities.cpp
  void subscribeTo(const gateway::SubscriptionKey& key, bool approved, bool store);
  void unsubscribeFrom(const gateway::SubscriptionKey& key);
  void probe(const gateway::SubscriptionKey& key);
  void sendSubscribe(Presentity& presentity, std::optional<std::chrono::seconds> expires = {});
  void onSubscribeOutcome(gateway::SubscriptionKey key, const sip::ClientOutcome& outcome);
  void onNotify(sip::IncomingRequest request);
  void applySubscriberAction(Presentity& presentity, sip::SubscriberAction action);
  // By value: callers pass the key held by the entry this erases.
  void forget(gateway::SubscriptionKey key);
  void storeSubscription(const gateway::SubscriptionKey& key, bool approved);
  boost::asio::awaitable<void> restoreSubscriptions();
  void tickPresentities(TimePoint now);

  // im_sessions.cpp
  void messageToSip(xml::Element message);
  void openSession(const xmpp::Jid& local, const xmpp::Jid& remote, xml::Element first);
  void onInviteOutcome(std::string key, const sip::ClientOutcome& outcome);
  void sendInSession(const std::string& key, ImSession& session, const xml::Element& message);
  void onInvite(sip::IncomingRequest request);
  void onInSession(sip::IncomingRequest request);
  void onPageMessage(sip::IncomingRequest request);
  void failMessage(const xml::Element& message, const sip::ClientOutcome& outcome);
  void endSession(const std::string& key, bool sendBye);
  void tickSessions(TimePoint now);
  ImSession* sessionFor(const xmpp::Jid& local, const xmpp::Jid& remote, std::string* key = nullptr);

  Deps deps_;
  Options options_;
  std::map<std::string, Peer, std::less<>> peers_;
  std::string callIdHost_;
  simple::SdpParams sdp_{};  // our side of IM session offers and answers
  boost::asio::any_io_executor core_;
  std::unique_ptr<boost::asio::steady_timer> ticker_;
  std::unique_ptr<boost::asio::steady_timer> flushTimer_;
  bool flushArmed_ = false;
  bool stopping_ = false;

  std::map<std::string, Watcher> watchers_;  // by dialogKey(Call-ID, our tag)
  std::map<std::pair<std::string, std::string>, std::set<std::string>> watcherIndex_;  // (user, watcher)
  std::unordered_map<gateway::SubscriptionKey, Presentity, gateway::SubscriptionKeyHash> presentities_;
  gateway::OutboundSubscriptions outbound_;
  std::map<std::string, ImSession> sessions_;  // by dialogKey(Call-ID, our tag)
  std::map<std::pair<std::string, std::string>, std::string> sessionByPair_;  // (local, remote)
  std::map<std::string, Delivery> deliveries_;  // by the id of the stanza routed for it
};

}  // namespace impd::sip_gateway
