// impd: the server daemon. Parses the command line, validates the configuration and hands
// over to Server, which wires the concrete parts together.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>

#include "config/config.h"
#include "server/server.h"
#include "server/version.h"

int main(int argc, char** argv) {
  CLI::App app("impd: XMPP IM and Presence server with SIP and XMPP federation");
  std::string configFile = "impd.toml";
  bool check = false;
  bool version = false;
  app.add_option("--config", configFile, "configuration file (TOML)");
  app.add_flag("--check", check, "validate the configuration and certificates, then exit");
  app.add_flag("--version", version, "print the version and exit");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (version) {
    std::printf("impd %s\n", impd::kVersion);
    return 0;
  }
  auto config = impd::config::load(configFile);
  if (!config) {
    std::fprintf(stderr, "impd: %s\n", config.error().message.c_str());
    return 2;
  }
  if (check) {
    auto checked = impd::server::checkDeployment(*config);
    if (!checked) {
      std::fprintf(stderr, "impd: %s\n", checked.error().message.c_str());
      return 2;
    }
    std::printf("%s: configuration is valid\n", config->file.c_str());
    return 0;
  }
  return impd::server::run(*config);
}
