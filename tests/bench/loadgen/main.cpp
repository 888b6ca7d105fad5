// impd-loadgen: drives an XMPP server (or, for s2s, two) over c2s for the side-by-side benchmark
// (tests/bench/README.md). One JSON object on stdout per run; errors as {"error": ...} and
// exit status 1.
#include <CLI/CLI.hpp>

#include <iostream>
#include <optional>

#include "net/tls.h"
#include "workloads.h"

int main(int argc, char** argv) {
  using namespace impd::loadgen;
  CLI::App app("XMPP load generator");
  Options o;
  std::string workload = "messages", server = "127.0.0.1:5222", server2, tls = "starttls", cafile;
  std::vector<std::string> sources;
  app.add_option("workload", workload, "signin | messages | s2s | presence | idle")->required();
  app.add_option("--server", server, "host:port of the c2s listener");
  app.add_option("--domain", o.client.domain, "the XMPP domain")->required();
  app.add_option("--server2", server2, "s2s: host:port of the second server's c2s listener");
  app.add_option("--domain2", o.client2.domain, "s2s: the second server's XMPP domain");
  app.add_option("--prefix", o.userPrefix, "users are PREFIX0, PREFIX1, ...");
  app.add_option("--password", o.client.password, "every user's password")->required();
  app.add_option("--tls", tls, "starttls | none");
  app.add_option("--mech", o.client.mechanism, "PLAIN | SCRAM-SHA-1 | SCRAM-SHA-256");
  app.add_option("--users", o.users, "sign-ins, message pairs, contacts or idle sessions");
  app.add_option("--concurrency", o.concurrency, "sign-ins in flight");
  app.add_option("--window", o.window, "messages in flight per sender");
  app.add_option("--seconds", o.seconds, "measurement window of the messages and s2s workloads");
  app.add_option("--rounds", o.rounds, "status changes of the presence workload");
  app.add_option("--threads", o.threads, "I/O threads");
  app.add_option("--source", sources, "source addresses to spread connections over (repeatable)");
  app.add_flag("--resume", o.resume, "signin: resume TLS sessions");
  app.add_option("--distinct", o.distinct, "signin: cycle over this many users (their SCRAM keys are cached)");
  app.add_option("--server-pid", o.serverPid, "report this process's CPU time in the window");
  app.add_option("--server2-pid", o.server2Pid, "s2s: the same for the second server");
  CLI11_PARSE(app, argc, argv);

  auto endpoint = [](const std::string& text) -> std::optional<boost::asio::ip::tcp::endpoint> {
    auto colon = text.rfind(':');
    boost::system::error_code ec;
    auto address = boost::asio::ip::make_address(text.substr(0, colon), ec);
    if (ec || colon == std::string::npos) return std::nullopt;
    return boost::asio::ip::tcp::endpoint(address, static_cast<unsigned short>(std::stoi(text.substr(colon + 1))));
  };
  auto first = endpoint(server);
  if (!first) {
    std::cerr << "impd-loadgen: --server must be ip:port\n";
    return 2;
  }
  o.client.server = *first;
  o.client.starttls = tls == "starttls";
  for (const auto& s : sources) o.sources.push_back(boost::asio::ip::make_address(s));
  boost::asio::ssl::context ctx(boost::asio::ssl::context::tls_client);
  ctx.set_verify_mode(boost::asio::ssl::verify_none);  // a benchmark, not a security check
  SSL_CTX_set_session_cache_mode(ctx.native_handle(), SSL_SESS_CACHE_CLIENT);
  o.client.tls = &ctx;
  impd::xmpp::ScramSaltCache saltCache;
  o.client.saltCache = &saltCache;
  if (workload == "s2s") {
    auto second = endpoint(server2);
    if (!second || o.client2.domain.empty()) {
      std::cerr << "impd-loadgen: s2s needs --server2 ip:port and --domain2\n";
      return 2;
    }
    const std::string domain2 = o.client2.domain;
    o.client2 = o.client;  // the same TLS, SASL and password settings, on the other server
    o.client2.server = *second;
    o.client2.domain = domain2;
  }

  std::string result;
  if (workload == "signin") {
    result = runSignIn(o);
  } else if (workload == "messages") {
    result = runMessages(o);
  } else if (workload == "s2s") {
    result = runS2s(o);
  } else if (workload == "presence") {
    result = runPresence(o);
  } else if (workload == "idle") {
    result = runIdle(o);
  } else {
    std::cerr << "impd-loadgen: unknown workload " << workload << "\n";
    return 2;
  }
  std::cout << result << std::endl;
  return result.starts_with("{\"error\"") ? 1 : 0;
}
