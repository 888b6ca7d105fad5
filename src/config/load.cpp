// Reading a file: TOML syntax, then the schema, then the cross-key checks. toml++ as Debian
// builds it reports syntax errors by exception; they are caught here and never leave load().
#include <toml++/toml.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "config/config.h"
#include "config/schema.h"
#include "config/validate.h"

namespace impd::config {

namespace schema {

Error Context::error(std::string_view key, std::string_view problem) const {
  return makeError("bad-config", file + ": " + std::string(key) + ": " + std::string(problem));
}

std::filesystem::path Context::resolve(const std::filesystem::path& p) const {
  return (p.is_absolute() ? p : dir / p).lexically_normal();
}

std::string join(const std::string& path, std::string_view name) {
  return path.empty() ? std::string(name) : path + "." + std::string(name);
}

Error unknownKey(const Context& ctx, const std::string& path,
                 const std::vector<std::string>& known) {
  std::string list;
  for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
  return ctx.error(path, "unknown key (expected one of: " + list + ")");
}

}  // namespace schema

namespace {

Result<std::string> readFile(const std::filesystem::path& file) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) {
    return makeError("bad-config", file.string() + ": is a directory, not a config file");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return makeError("bad-config", file.string() + ": cannot read: " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return makeError("bad-config", file.string() + ": read error");
  return text.str();
}

}  // namespace

Result<Config> load(const std::filesystem::path& file) {
  auto text = readFile(file);
  if (!text) return text.error();
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(file, ec).lexically_normal();
  schema::Context ctx{file.string(), absolute.parent_path()};

  toml::table table;
  try {
    table = toml::parse(*text, file.string());
  } catch (const toml::parse_error& e) {
    const auto& at = e.source().begin;
    return makeError("bad-config", file.string() + ":" + std::to_string(at.line) + ":" +
                                       std::to_string(at.column) + ": " +
                                       std::string(e.description()));
  }

  Config config;
  config.file = absolute;
  if (auto r = schema::readTable(table, schema::rootKeys(), config, ctx, ""); !r) {
    return r.error();
  }
  if (auto r = schema::validate(config, ctx); !r) return r.error();
  return config;
}

std::filesystem::path sqliteFilePath(const Config& config) {
  return config.server.dataDir / "impd.sqlite";
}

std::filesystem::path selfSignedCertificatePath(const Config& config) {
  return config.server.dataDir / "self-signed.pem";
}

std::filesystem::path selfSignedKeyPath(const Config& config) {
  return config.server.dataDir / "self-signed.key";
}

std::vector<KeyDoc> describeKeys() {
  std::vector<KeyDoc> out;
  schema::describeTable(schema::rootKeys(), "", out);
  return out;
}

}  // namespace impd::config
