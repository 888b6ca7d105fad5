#include "harness.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <cstdlib>
#include <exception>

#include "codec/xmpp/namespaces.h"
#include "storage/sqlite/sqlite_store.h"
#include "xml/stream_parser.h"

namespace impd::im::test {

void RecordingLink::post(xml::Element stanza) {
  std::lock_guard lock(mutex_);
  got_.push_back(std::move(stanza));
}

std::vector<xml::Element> RecordingLink::take() {
  std::lock_guard lock(mutex_);
  return std::exchange(got_, {});
}

xml::Element parse(std::string_view text) {
  xml::Element wrapper;
  const std::string doc = "<wrap xmlns='jabber:client'>" + std::string(text) + "</wrap>";
  if (!xml::parseDocument(doc, wrapper) || wrapper.childElements().empty()) {
    ADD_FAILURE() << "unparsable test stanza: " << text;
    return xml::Element("message", std::string(xmpp::ns::kClient));
  }
  return *wrapper.childElements().front();
}

std::string str(const xml::Element& e) {
  return xml::serialize(e, xmpp::ns::kClient);
}

std::vector<const xml::Element*> select(const std::vector<xml::Element>& got, std::string_view name,
                                        std::string_view type, std::string_view from) {
  std::vector<const xml::Element*> out;
  for (const auto& e : got) {
    if (e.name() != name) continue;
    if (type != "*" && e.attr("type") != type) continue;
    if (from != "*" && e.attr("from") != from) continue;
    out.push_back(&e);
  }
  return out;
}

std::string errorCondition(const xml::Element& stanza) {
  const xml::Element* error = stanza.child("error");
  if (!error) return {};
  for (const xml::Element* c : error->children()) {
    if (c->ns() == xmpp::ns::kStanzaErrors && c->name() != "text") return c->name();
  }
  return {};
}

namespace {
std::filesystem::path makeTempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "impd-im-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  return pattern;
}
}  // namespace

ServiceTest::ServiceTest() : dir_(makeTempDir()) {
  auto store = storage::openSqliteStore(dir_ / "impd.db");
  if (!store) throw std::runtime_error("cannot open store: " + store.error().message);
  store_ = std::move(*store);
  Context ctx{.domains = {"imp.test"},
              .registry = registry_,
              .worker = worker_,
              .store = *store_,
              .clock = clock_,
              .offlineLimit = kOfflineLimit};
  service_ = std::make_unique<Service>(std::move(ctx));
  for (const char* user : {"alice@imp.test", "bob@imp.test", "carol@imp.test"}) addUser(user);
}

ServiceTest::~ServiceTest() {
  service_.reset();
  worker_.join();
  store_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void ServiceTest::run(boost::asio::awaitable<void> task) {
  std::exception_ptr error;
  bool done = false;
  boost::asio::co_spawn(io_, std::move(task), [&](std::exception_ptr e) {
    error = e;
    done = true;
    io_.stop();
  });
  // Worker calls complete from another thread; keep run() alive until the task is done.
  auto guard = boost::asio::make_work_guard(io_);
  io_.restart();
  io_.run();
  ASSERT_TRUE(done);
  if (error) std::rethrow_exception(error);
}

void ServiceTest::addUser(const std::string& bare) {
  storage::UserRecord user;
  user.jid = bare;
  ASSERT_TRUE(store_->users().add(user));
}

Client ServiceTest::login(const std::string& full) {
  auto jid = xmpp::Jid::parse(full);
  EXPECT_TRUE(jid) << full;
  Client c{std::make_shared<core::ClientSession>(*jid), std::make_shared<RecordingLink>()};
  c.session->attach(c.link);
  registry_.add(c.session);
  return c;
}

Client ServiceTest::online(const std::string& full, int priority) {
  Client c = login(full);
  c.session->setRosterRequested();
  send(c, "<presence><priority>" + std::to_string(priority) + "</priority></presence>");
  c.take();
  return c;
}

void ServiceTest::send(Client& c, std::string_view stanza) {
  run(service_->fromClient(c.session, parse(stanza)));
}

void ServiceTest::route(std::string_view stanza) {
  run(service_->route(parse(stanza)));
}

void ServiceTest::end(Client& c) {
  registry_.remove(c.session);
  run(service_->sessionEnded(c.session));
}

void ServiceTest::befriend(const std::string& a, const std::string& b) {
  storage::RosterItem item;
  item.subscription = storage::Subscription::kBoth;
  item.contact = b;
  setRow(a, item);
  item.contact = a;
  setRow(b, item);
}

void ServiceTest::setRow(const std::string& user, const storage::RosterItem& item) {
  ASSERT_TRUE(store_->roster().put(user, item));
}

std::optional<storage::RosterItem> ServiceTest::row(const std::string& user,
                                                    const std::string& contact) {
  return store_->roster().item(user, contact);
}

}  // namespace impd::im::test
