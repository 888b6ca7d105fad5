#pragma once
// Dialog state (RFC 3261 §12): who the two parties are, where in-dialog requests go (remote
// target and route set), and the two CSeq spaces. Pure data and transitions; the TU keeps one
// per INVITE session or subscription, keyed by DialogId, and builds in-dialog requests from it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "codec/sip/dialog_id.h"
#include "codec/sip/message.h"

namespace impd::sip {

// Methods whose Contact replaces the remote target (§12.2, RFC 3311 UPDATE, RFC 6665 §4.3).
bool isTargetRefresh(std::string_view method);

// A dialog as plain data: what a UA keeps to go on with the dialog after a restart (the peer
// still holds its half; a dialog that is not resumed costs a watcher its presence until its
// next refresh).
struct DialogSnapshot {
  DialogId id;
  bool early = false;
  bool secure = false;
  std::string local, remote, target, localContact;
  std::vector<std::string> routes;
  std::optional<std::uint32_t> localSeq, remoteSeq;
};

class Dialog {
 public:
  enum class State { Early, Confirmed };

  DialogSnapshot snapshot() const;
  // The dialog a snapshot describes. `skipSeq` is added to the local CSeq: requests sent after
  // the snapshot was taken must not be numbered again.
  static Dialog restore(const DialogSnapshot& snapshot, std::uint32_t skipSeq = 0);

  // UAC side (§12.1.2): from the dialog-forming request we sent and a 1xx (early) or 2xx
  // (confirmed) response that carries a To tag. `tls`: the request went out over TLS.
  static Result<Dialog> asUac(const Message& request, const Message& response, bool tls = false);

  // UAS side (§12.1.1): from the request we received, the tag we put in our response's To,
  // and the Contact value we answer with. Early when that response is a 1xx.
  static Result<Dialog> asUas(const Message& request, std::string_view localTag,
                              std::string localContact, State state = State::Confirmed,
                              bool tls = false);

  // Subscriber side of RFC 6665 §4.1.2.4: the NOTIFY, not a response, creates the dialog
  // (it may even arrive before the 200 to our SUBSCRIBE).
  static Result<Dialog> fromNotify(const Message& subscribe, const Message& notify,
                                   bool tls = false);

  const DialogId& id() const { return id_; }
  State state() const { return state_; }
  bool secure() const { return secure_; }
  const std::string& localParty() const { return local_; }    // From value we send, with tag
  const std::string& remoteParty() const { return remote_; }  // To value we send, with tag
  const std::string& remoteTarget() const { return target_; }
  const std::string& localContact() const { return localContact_; }
  const std::vector<std::string>& routeSet() const { return routes_; }
  std::optional<std::uint32_t> localSeq() const { return localSeq_; }
  std::optional<std::uint32_t> remoteSeq() const { return remoteSeq_; }

  // UAC: a 2xx arriving on an early dialog confirms it; the route set is recomputed from the
  // 2xx (§13.2.2.4) and the remote target taken from its Contact.
  Result<void> confirm(const Message& response);

  // A new in-dialog request (§12.2.1.1): next local CSeq, From/To with tags, Call-ID,
  // Request-URI and Route from the remote target and route set, our Contact on target
  // refreshes. The caller adds Via (it knows the transport) and any body.
  Message createRequest(std::string_view method);
  // The ACK of a 2xx to the INVITE numbered `inviteCseq`: same shape, no CSeq increment.
  Message createAck(std::uint32_t inviteCseq) const;

  // UAS checks of §12.2.2 for an in-dialog request: false when its CSeq is lower than the
  // last one seen (answer 500). When accepted, records the CSeq and, on a target refresh with
  // a Contact, replaces the remote target.
  bool acceptsRequest(const Message& request);

  // UAC: a 2xx to a target refresh we sent replaces the remote target (§12.2.1.2).
  void onResponse(const Message& response);

 private:
  Dialog() = default;
  Message build(std::string_view method, std::uint32_t cseq) const;

  DialogId id_;
  State state_ = State::Confirmed;
  bool secure_ = false;
  std::string local_;
  std::string remote_;
  std::string target_;
  std::string localContact_;
  std::vector<std::string> routes_;  // Route values in the order they are sent
  std::optional<std::uint32_t> localSeq_;
  std::optional<std::uint32_t> remoteSeq_;
};

}  // namespace impd::sip
