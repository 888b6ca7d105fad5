// impd-loadgen: drives an XMPP server over c2s for the side-by-side benchmark
// (tests/bench/README.md). One JSON object on stdout per run; errors as {"error": ...} and
// exit status 1.
#include <CLI/CLI.hpp>

#include <iostream>

#include "net/tls.h"
#include "workloads.h"

int main(int argc, char** argv) {
  using namespace impd::loadgen;
  CLI::App app("XMPP load generator");
  Options o;
  std::string workload = "messages", server = "127.0.0.1:5222", tls = "starttls", cafile;
  std::vector<std::string> sources;
  app.add_option("workload", workload, "signin | messages | presence | idle")->required();
  app.add_option("--server", server, "host:port of the c2s listener");
  app.add_option("--domain", o.client.domain, "the XMPP domain")->required();
  app.add_option("--prefix", o.userPrefix, "users are PREFIX0, PREFIX1, ...");
  app.add_option("--password", o.client.password, "every user's password")->required();
  app.add_option("--tls", tls, "starttls | none");
  app.add_option("--mech", o.client.mechanism, "PLAIN | SCRAM-SHA-1 | SCRAM-SHA-256");
  app.add_option("--users", o.users, "sign-ins, message pairs, contacts or idle sessions");
  app.add_option("--concurrency", o.concurrency, "sign-ins in flight");
  app.add_option("--window", o.window, "messages in flight per sender");
  app.add_option("--seconds", o.seconds, "measurement window of the message workload");
  app.add_option("--rounds", o.rounds, "status changes of the presence workload");
  app.add_option("--threads", o.threads, "I/O threads");
  app.add_option("--source", sources, "source addresses to spread connections over (repeatable)");
  app.add_flag("--resume", o.resume, "signin: resume TLS sessions");
  app.add_option("--distinct", o.distinct, "signin: cycle over this many users (their SCRAM keys are cached)");
  app.add_option("--server-pid", o.serverPid, "report this process's CPU time in the window");
  CLI11_PARSE(app, argc, argv);

  auto colon = server.rfind(':');
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(server.substr(0, colon), ec);
  if (ec || colon == std::string::npos) {
    std::cerr << "impd-loadgen: --server must be ip:port\n";
    return 2;
  }
  o.client.server = {address, static_cast<unsigned short>(std::stoi(server.substr(colon + 1)))};
  o.client.starttls = tls == "starttls";
  for (const auto& s : sources) o.sources.push_back(boost::asio::ip::make_address(s));
  boost::asio::ssl::context ctx(boost::asio::ssl::context::tls_client);
  ctx.set_verify_mode(boost::asio::ssl::verify_none);  // a benchmark, not a security check
  SSL_CTX_set_session_cache_mode(ctx.native_handle(), SSL_SESS_CACHE_CLIENT);
  o.client.tls = &ctx;
  impd::xmpp::ScramSaltCache saltCache;
  o.client.saltCache = &saltCache;

  std::string result;
  if (workload == "signin") {
    result = runSignIn(o);
  } else if (workload == "messages") {
    result = runMessages(o);
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
