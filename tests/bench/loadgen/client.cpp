#include "client.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <array>

#include "base/base64.h"
#include "base/random.h"
#include "codec/xmpp/scram_client.h"

namespace impd::loadgen {

namespace asio = boost::asio;
using asio::awaitable;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

namespace {
constexpr std::string_view kTlsNs = "urn:ietf:params:xml:ns:xmpp-tls";
constexpr std::string_view kSaslNs = "urn:ietf:params:xml:ns:xmpp-sasl";
}  // namespace

Client::Client(asio::io_context& io, const ClientSettings& settings, std::string user, asio::ip::address source)
    : io_(io), settings_(settings), user_(std::move(user)), source_(source) {}

Client::~Client() = default;

bool Client::fail(std::string why) {
  why_ = user_ + ": " + std::move(why);
  if (socket_) socket_->close();
  return false;
}

void Client::openStream() {
  opened_ = false;
  parser_.reset();
  inbox_.clear();
  inboxAt_ = 0;
}

awaitable<bool> Client::writeNow(std::string bytes) {
  boost::system::error_code ec;
  co_await socket_->writeAll(asio::buffer(bytes), ec);
  co_return !ec;
}

awaitable<std::optional<xml::Element>> Client::nextElement() {
  std::array<char, 4096> buffer;
  while (inboxAt_ >= inbox_.size()) {
    inbox_.clear();
    inboxAt_ = 0;
    if (closed_) co_return std::nullopt;
    boost::system::error_code ec;
    std::size_t n = co_await socket_->readSome(asio::buffer(buffer), ec);
    if (ec) co_return std::nullopt;
    if (parser_.feed({buffer.data(), n}, *this) != xml::StreamViolation::kNone) co_return std::nullopt;
  }
  co_return std::move(inbox_[inboxAt_++]);
}

awaitable<bool> Client::signIn(SSL_SESSION* session) {
  asio::ip::tcp::socket tcp(io_);
  boost::system::error_code ec;
  tcp.open(settings_.server.protocol(), ec);
  // Many source addresses, so tens of thousands of connections do not run out of ports.
  if (!ec && !source_.is_unspecified()) tcp.bind({source_, 0}, ec);
  if (ec) co_return fail("bind: " + ec.message());
  std::tie(ec) = co_await tcp.async_connect(settings_.server, kNoThrow);
  if (ec) co_return fail("connect: " + ec.message());
  socket_ = std::make_unique<net::StreamSocket>(std::move(tcp));

  const std::string header = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
                             "xmlns:stream='http://etherx.jabber.org/streams' version='1.0' to='" +
                             settings_.domain + "'>";
  auto features = [&]() -> awaitable<std::optional<xml::Element>> {
    if (!co_await writeNow(header)) co_return std::nullopt;
    auto e = co_await nextElement();
    if (!e || e->name() != "features") co_return std::nullopt;
    co_return e;
  };
  openStream();
  auto f = co_await features();
  if (!f) co_return fail("no stream features");
  if (settings_.starttls) {
    if (f->child("starttls", kTlsNs) == nullptr) co_return fail("no STARTTLS offered");
    if (!co_await writeNow("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")) co_return fail("write");
    auto proceed = co_await nextElement();
    if (!proceed || proceed->name() != "proceed") co_return fail("STARTTLS refused");
    co_await socket_->startClientTls(*settings_.tls, settings_.domain, ec, session);
    if (ec) co_return fail("TLS: " + ec.message());
    openStream();
    f = co_await features();
    if (!f) co_return fail("no stream features after TLS");
  }

  if (settings_.mechanism == "PLAIN") {
    const std::string creds = std::string(1, '\0') + user_ + std::string(1, '\0') + settings_.password;
    if (!co_await writeNow("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + base64Encode(creds) +
                           "</auth>")) {
      co_return fail("write");
    }
  } else {
    const auto hash = settings_.mechanism == "SCRAM-SHA-1" ? xmpp::ScramHash::kSha1 : xmpp::ScramHash::kSha256;
    xmpp::ScramClient scram(hash, user_, settings_.password, SecureRandom::instance().token(18));
    scram.setCache(settings_.saltCache);
    if (!co_await writeNow("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='" + settings_.mechanism + "'>" +
                           base64Encode(scram.clientFirst()) + "</auth>")) {
      co_return fail("write");
    }
    auto challenge = co_await nextElement();
    if (!challenge || challenge->name() != "challenge") co_return fail("no SCRAM challenge");
    auto serverFirst = base64Decode(challenge->text());
    auto final = serverFirst ? scram.clientFinal(*serverFirst) : Result<std::string>(makeError("scram", "base64"));
    if (!final) co_return fail("SCRAM: " + final.error().message);
    if (!co_await writeNow("<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>" + base64Encode(*final) +
                           "</response>")) {
      co_return fail("write");
    }
  }
  auto outcome = co_await nextElement();
  if (!outcome || !outcome->is("success", kSaslNs)) co_return fail("authentication failed");
  openStream();
  f = co_await features();
  if (!f) co_return fail("no stream features after SASL");
  if (!co_await writeNow("<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                         "<resource>loadgen</resource></bind></iq>")) {
    co_return fail("write");
  }
  auto bound = co_await nextElement();
  if (!bound || bound->attr("type") != "result") co_return fail("bind failed");
  const xml::Element* bind = bound->child("bind");
  jid_ = bind ? bind->childText("jid") : "";
  co_return !jid_.empty() || fail("bind without a JID");
}

awaitable<void> Client::readLoop(OnStanza onStanza) {
  // nextElement() hands out first what arrived together with the bind result.
  while (auto e = co_await nextElement()) onStanza(*this, *e);
}

awaitable<bool> Client::readWhile(std::function<bool(Client&, const xml::Element&)> onStanza) {
  while (auto e = co_await nextElement()) {
    if (!onStanza(*this, *e)) co_return true;
  }
  co_return false;
}

awaitable<void> Client::readBytes(std::function<void(std::string_view)> onBytes) {
  std::array<char, 4096> buffer;
  while (!closed_) {
    boost::system::error_code ec;
    const std::size_t n = co_await socket_->readSome(asio::buffer(buffer), ec);
    if (ec) co_return;
    onBytes({buffer.data(), n});
  }
}

void Client::send(std::string xml) {
  outQueue_ += xml;
  if (writing_) return;
  writing_ = true;
  asio::co_spawn(io_, flush(), asio::detached);
}

awaitable<void> Client::flush() {
  while (!outQueue_.empty() && socket_ && socket_->isOpen()) {
    std::string batch = std::move(outQueue_);
    outQueue_.clear();
    if (!co_await writeNow(std::move(batch))) break;
  }
  writing_ = false;
}

void Client::close() {
  send("</stream:stream>");
}

awaitable<void> Client::closeNow() {
  if (socket_ && socket_->isOpen() && !writing_) co_await writeNow("</stream:stream>");
  if (socket_) socket_->close();
}

SSL_SESSION* Client::takeSession() {
  SSL* ssl = socket_ ? socket_->nativeTls() : nullptr;
  return ssl ? SSL_get1_session(ssl) : nullptr;
}

}  // namespace impd::loadgen
