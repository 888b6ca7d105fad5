#pragma once
// A test bed for im::Service: a real SQLite store in a temporary folder, the real worker and
// registry, sessions whose links record what they are sent, and an io_context the test runs
// until each call into the service has finished. Tests read like RFC examples:
//   send(alice, "<presence to='bob@imp.test' type='subscribe'/>");
//   auto got = bob.take();
#include <gtest/gtest.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "core/blocking_worker.h"
#include "core/registry.h"
#include "core/session.h"
#include "im/service.h"
#include "storage/store.h"
#include "xml/element.h"

namespace impd::im::test {

class RecordingLink final : public core::SessionLink {
 public:
  void post(xml::Element stanza) override;
  void postClose(std::string condition, std::string text) override {}
  std::vector<xml::Element> take();

 private:
  std::mutex mutex_;
  std::vector<xml::Element> got_;
};

struct Client {
  std::shared_ptr<core::ClientSession> session;
  std::shared_ptr<RecordingLink> link;
  std::vector<xml::Element> take() { return link->take(); }
  std::string jid() const { return session->jid().str(); }
};

// Parses a stanza written as in a jabber:client stream (no xmlns needed).
xml::Element parse(std::string_view text);
std::string str(const xml::Element& e);

// The stanzas with this element name and 'type' ("" = no type attribute, "*" = any type),
// optionally only those from `from`.
std::vector<const xml::Element*> select(const std::vector<xml::Element>& got, std::string_view name,
                                        std::string_view type = "*", std::string_view from = "*");
// The defined condition of an error stanza ("" when none).
std::string errorCondition(const xml::Element& stanza);

class ServiceTest : public ::testing::Test {
 protected:
  static constexpr std::size_t kOfflineLimit = 3;

  ServiceTest();
  ~ServiceTest() override;

  void run(boost::asio::awaitable<void> task);
  void addUser(const std::string& bare);
  // Bound to the registry, no presence sent yet.
  Client login(const std::string& full);
  // Bound, roster requested and initial presence sent; what arrived so far is discarded.
  Client online(const std::string& full, int priority = 0);
  void send(Client& c, std::string_view stanza);
  void route(std::string_view stanza);
  void end(Client& c);
  // Gives the two users a mutual (Both) subscription through the store.
  void befriend(const std::string& a, const std::string& b);
  void setRow(const std::string& user, const storage::RosterItem& item);
  std::optional<storage::RosterItem> row(const std::string& user, const std::string& contact);

  std::filesystem::path dir_;
  FakeClock clock_;
  core::SessionRegistry registry_;
  std::unique_ptr<storage::Store> store_;
  core::BlockingWorker worker_;
  std::unique_ptr<Service> service_;
  boost::asio::io_context io_;
};

}  // namespace impd::im::test
