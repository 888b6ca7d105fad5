#include "core/registry.h"

#include <gtest/gtest.h>

namespace impd::core {
namespace {

class RecordingLink : public SessionLink {
 public:
  void post(xml::Element stanza) override { posted.push_back(std::move(stanza)); }
  void postClose(std::string condition, std::string) override { closed = condition; }
  std::vector<xml::Element> posted;
  std::string closed;
};

std::shared_ptr<ClientSession> session(const std::string& full) {
  return std::make_shared<ClientSession>(*xmpp::Jid::parse(full));
}

TEST(SessionRegistry, ResourcesOfABareJid) {
  SessionRegistry registry;
  auto a = session("alice@imp.test/phone");
  auto b = session("alice@imp.test/desk");
  EXPECT_EQ(registry.add(a), nullptr);
  EXPECT_EQ(registry.add(b), nullptr);
  EXPECT_EQ(registry.resources("alice@imp.test").size(), 2u);
  EXPECT_EQ(registry.find(*xmpp::Jid::parse("alice@imp.test/desk")), b);
  EXPECT_EQ(registry.sessionCount(), 2u);
}

TEST(SessionRegistry, SameFullJidDisplacesTheOlderSession) {
  SessionRegistry registry;
  auto old = session("alice@imp.test/phone");
  auto newer = session("alice@imp.test/phone");
  registry.add(old);
  EXPECT_EQ(registry.add(newer), old);
  // Removing the displaced session must not remove its successor.
  registry.remove(old);
  EXPECT_EQ(registry.find(newer->jid()), newer);
  registry.remove(newer);
  EXPECT_TRUE(registry.resources("alice@imp.test").empty());
}

TEST(SessionRegistry, ResumableSessionsAreTakenOnce) {
  SessionRegistry registry;
  auto s = session("bob@imp.test/x");
  registry.addResumable("id1", s);
  EXPECT_EQ(registry.takeResumable("id1"), s);
  EXPECT_EQ(registry.takeResumable("id1"), nullptr);
}

TEST(ClientSession, QueuesWhileDetachedAndFlushesOnAttach) {
  auto s = session("bob@imp.test/x");
  s->deliver(xml::Element("message", "jabber:client"));
  auto link = std::make_shared<RecordingLink>();
  auto queued = s->attach(link);
  EXPECT_EQ(queued.size(), 1u);
  s->deliver(xml::Element("presence", "jabber:client"));
  EXPECT_EQ(link->posted.size(), 1u);
  s->close("conflict", "");
  EXPECT_EQ(link->closed, "conflict");
}

}  // namespace
}  // namespace impd::core
