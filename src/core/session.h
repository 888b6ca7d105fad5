#pragma once
// A signed-in resource of a local user, independent of the connection that carries it: with
// stream management (XEP-0198) the connection can drop and a new one resume the same session,
// so delivery goes to the session, and the session forwards to whichever link is attached.
#include <atomic>
#include <cstdint>
#include <vector>
#include <utility>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "codec/xmpp/jid.h"
#include "core/prepared_stanza.h"
#include "core/stream_management.h"
#include "xml/element.h"

namespace impd::core {

// The sending half of a connection. post() may be called from any thread; the link moves the
// stanza onto its own I/O thread.
class SessionLink {
 public:
  virtual ~SessionLink() = default;
  virtual void post(xml::Element stanza) = 0;
  // The same for a stanza prepared for many recipients. A link that writes bytes sends
  // stanza->bytesTo(to) as it is; this default posts the element.
  virtual void postPrepared(std::shared_ptr<const PreparedStanza> stanza, std::string to) {
    post(stanza->addressedTo(to));
  }
  // Ends the connection with a stream error (e.g. "conflict" when a new login takes over).
  virtual void postClose(std::string condition, std::string text) = 0;
};

class ClientSession {
 public:
  explicit ClientSession(xmpp::Jid fullJid) : jid_(std::move(fullJid)) {}

  const xmpp::Jid& jid() const { return jid_; }

  // Delivery from any thread. While no link is attached (a stream-management session waiting
  // to be resumed) stanzas wait in a bounded queue; beyond the bound the oldest are dropped,
  // which the resumed client learns about through its h counter.
  void deliver(xml::Element stanza);
  // deliver(stanza->addressedTo(to)), without copying the element where the link need not.
  void deliverPrepared(std::shared_ptr<const PreparedStanza> stanza, std::string to);
  // Attaches a link and returns the stanzas that waited (the caller sends them first).
  std::vector<xml::Element> attach(std::shared_ptr<SessionLink> link);
  void detach();
  bool attached() const;
  void close(std::string condition, std::string text);

  // Presence, written by the owning connection and read by everybody else.
  struct Presence {
    bool available = false;        // has sent initial presence and not gone unavailable
    int priority = 0;
    std::optional<xml::Element> last;  // the last broadcast presence stanza
  };
  Presence presence() const;  // a copy, the last stanza included
  // The two fields routing asks of every resource, without copying the last stanza.
  bool available() const;
  int priority() const;
  void setPresence(Presence p);
  bool rosterRequested() const;
  void setRosterRequested();

  // Directed presence (RFC 6121 §4.6): JIDs that got available presence from this resource
  // without a subscription; they get unavailable when the resource goes offline.
  void addDirected(const std::string& jid);
  void removeDirected(const std::string& jid);
  std::set<std::string> takeDirected();

  // XEP-0198 state and resumption identity (empty when not resumable). Touched only by the
  // attached connection; a resuming connection takes it over through the registry.
  SmState sm;
  std::string smId;
  // Set when a newer login took over this full JID: its end must not announce unavailable.
  std::atomic<bool> replaced{false};
  // The client listed impd's availability extension in its entity capabilities: it is shown
  // the full canonical state instead of the standard <show>/<status> rendering.
  std::atomic<bool> richPresence{false};

 private:
  static constexpr std::size_t kMaxDetachedQueue = 1000;
  xmpp::Jid jid_;
  mutable std::mutex mutex_;
  std::shared_ptr<SessionLink> link_;
  // A vector, not a deque: an empty deque already holds about 600 bytes, and almost every
  // session of a large deployment has nothing queued.
  std::vector<xml::Element> detachedQueue_;
  Presence presence_;
  bool rosterRequested_ = false;
  std::set<std::string> directed_;
};

}  // namespace impd::core
