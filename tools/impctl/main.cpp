// impctl: administer the store named in the config. Exit 0 on success, 1 on a failed
// operation (one-line reason on stderr), 2 on bad usage or a bad config.
#include <CLI/CLI.hpp>
#include <iostream>

#include "commands.h"

using namespace impd;

int main(int argc, char** argv) {
  CLI::App app{"impctl: administer an impd deployment"};
  app.require_subcommand(1);
  std::string configFile = "impd.toml";
  app.add_option("--config", configFile, "config file")->capture_default_str();
  app.fallthrough();  // --config may also follow the subcommand

  std::string jid, password, domain;
  auto* user = app.add_subcommand("user", "manage accounts")->require_subcommand(1);
  auto* add = user->add_subcommand("add", "create an account");
  add->add_option("JID", jid, "bare JID, e.g. alice@imp.test")->required();
  add->add_option("--password", password, "the password, or - to read it from stdin")->required();
  auto* del = user->add_subcommand("del", "delete an account and everything it owns");
  del->add_option("JID", jid, "bare JID")->required();
  auto* passwd = user->add_subcommand("passwd", "set an account's password");
  passwd->add_option("JID", jid, "bare JID")->required();
  passwd->add_option("--password", password, "the password, or - to read it from stdin")
      ->required();
  std::string importFile;
  auto* import = user->add_subcommand("import", "create many accounts: one 'JID PASSWORD' per line");
  import->add_option("FILE", importFile, "the file, or - for stdin")->required();
  auto* list = user->add_subcommand("list", "list accounts");
  list->add_option("--domain", domain, "only this local domain");

  auto* check = app.add_subcommand("check", "check the deployment")->require_subcommand(1);
  auto* certs = check->add_subcommand("certs", "every local domain covered by the certificate");
  auto* federation = check->add_subcommand("federation", "DNS, reachability, TLS, auth of a peer");
  federation->add_option("DOMAIN", domain, "the federated domain")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11's own codes differ per error; the contract is 2 for any usage error.
    return app.exit(e) == 0 ? impctl::kOk : impctl::kUsage;
  }

  auto config = config::load(configFile);
  if (!config) {
    std::cerr << "impctl: " << config.error().message << "\n";
    return impctl::kUsage;
  }
  if (add->parsed()) return impctl::userAdd(*config, jid, password);
  if (del->parsed()) return impctl::userDel(*config, jid);
  if (passwd->parsed()) return impctl::userPasswd(*config, jid, password);
  if (list->parsed()) return impctl::userList(*config, domain);
  if (import->parsed()) return impctl::userImport(*config, importFile);
  if (certs->parsed()) return impctl::checkCerts(*config);
  if (federation->parsed()) return impctl::checkFederation(*config, domain);
  return impctl::kUsage;
}
