#include "core/session.h"

namespace impd::core {

void ClientSession::deliver(xml::Element stanza) {
  std::shared_ptr<SessionLink> link;
  {
    std::lock_guard lock(mutex_);
    if (!link_) {
      if (detachedQueue_.size() >= kMaxDetachedQueue) detachedQueue_.erase(detachedQueue_.begin());
      detachedQueue_.push_back(std::move(stanza));
      return;
    }
    link = link_;
  }
  link->post(std::move(stanza));
}

void ClientSession::deliverPrepared(std::shared_ptr<const PreparedStanza> stanza, std::string to) {
  std::shared_ptr<SessionLink> link;
  {
    std::lock_guard lock(mutex_);
    link = link_;
  }
  if (link) {
    link->postPrepared(std::move(stanza), std::move(to));
  } else {
    deliver(stanza->addressedTo(to));  // queues it, unless a link was attached meanwhile
  }
}

std::vector<xml::Element> ClientSession::attach(std::shared_ptr<SessionLink> link) {
  std::lock_guard lock(mutex_);
  link_ = std::move(link);
  return std::exchange(detachedQueue_, {});
}

void ClientSession::detach() {
  std::lock_guard lock(mutex_);
  link_.reset();
}

bool ClientSession::attached() const {
  std::lock_guard lock(mutex_);
  return link_ != nullptr;
}

void ClientSession::close(std::string condition, std::string text) {
  std::shared_ptr<SessionLink> link;
  {
    std::lock_guard lock(mutex_);
    link = link_;
  }
  if (link) link->postClose(std::move(condition), std::move(text));
}

ClientSession::Presence ClientSession::presence() const {
  std::lock_guard lock(mutex_);
  return presence_;
}

bool ClientSession::available() const {
  std::lock_guard lock(mutex_);
  return presence_.available;
}

int ClientSession::priority() const {
  std::lock_guard lock(mutex_);
  return presence_.priority;
}

void ClientSession::setPresence(Presence p) {
  std::lock_guard lock(mutex_);
  presence_ = std::move(p);
}

bool ClientSession::rosterRequested() const {
  std::lock_guard lock(mutex_);
  return rosterRequested_;
}

void ClientSession::setRosterRequested() {
  std::lock_guard lock(mutex_);
  rosterRequested_ = true;
}

void ClientSession::addDirected(const std::string& jid) {
  std::lock_guard lock(mutex_);
  directed_.insert(jid);
}

void ClientSession::removeDirected(const std::string& jid) {
  std::lock_guard lock(mutex_);
  directed_.erase(jid);
}

std::set<std::string> ClientSession::takeDirected() {
  std::lock_guard lock(mutex_);
  return std::exchange(directed_, {});
}

}  // namespace impd::core
