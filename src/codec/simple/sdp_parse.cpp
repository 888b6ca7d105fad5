// Reading SDP offers and answers for IM sessions (sdp.h).
#include <algorithm>
#include <optional>

#include "codec/simple/sdp.h"
#include "codec/simple/text.h"

namespace impd::simple {
namespace {

struct Connection {
  std::string address;
  bool ipv6 = false;
};

struct Media {
  std::string type;
  std::uint16_t port = 0;
  std::string proto;
  std::string format;  // the first format field only: IM streams have one
  std::vector<std::string> acceptTypes;
  std::optional<Connection> connection;
};

Error malformed(std::string_view what) {
  return makeError("bad-request", "malformed SDP: " + std::string(what));
}

// c=<nettype> <addrtype> <address>
Result<Connection> parseConnection(std::string_view value) {
  auto fields = detail::splitFields(value);
  if (fields.size() != 3 || !detail::iequals(fields[0], "IN")) return malformed("c= line");
  Connection connection;
  if (detail::iequals(fields[1], "IP6")) {
    connection.ipv6 = true;
  } else if (!detail::iequals(fields[1], "IP4")) {
    return malformed("c= address type");
  }
  connection.address = std::string(fields[2]);
  return connection;
}

// m=<media> <port>[/<count>] <proto> <fmt> ...
Result<Media> parseMedia(std::string_view value) {
  auto fields = detail::splitFields(value);
  if (fields.size() < 3) return malformed("m= line");
  Media media;
  media.type = std::string(fields[0]);
  std::string_view port = fields[1].substr(0, fields[1].find('/'));
  auto number = detail::parseUnsigned(port, 65535);
  if (!number) return malformed("m= port");
  media.port = static_cast<std::uint16_t>(*number);
  media.proto = std::string(fields[2]);
  if (fields.size() > 3) media.format = std::string(fields[3]);
  return media;
}

bool isMessageMedia(const Media& media) {
  return detail::iequals(media.type, "message") || detail::iequals(media.type, "x-ms-message");
}

void addTypes(std::vector<std::string>& out, const std::vector<std::string>& types) {
  for (const auto& type : types) {
    bool seen = std::any_of(out.begin(), out.end(),
                            [&](const std::string& known) { return detail::iequals(known, type); });
    if (!seen) out.push_back(type);
  }
}

SdpSession summarize(const std::optional<Connection>& sessionConnection,
                     const std::vector<std::string>& sessionTypes,
                     const std::vector<Media>& media) {
  SdpSession session;
  for (const auto& m : media) session.media.push_back(m.type);
  addTypes(session.acceptTypes, sessionTypes);
  if (sessionConnection) {
    session.address = sessionConnection->address;
    session.ipv6 = sessionConnection->ipv6;
  }
  auto message = std::find_if(media.begin(), media.end(), isMessageMedia);
  if (message == media.end()) return session;
  session.messageMedia = message->type;
  session.port = message->port;
  session.proto = message->proto;
  session.target = message->format;
  addTypes(session.acceptTypes, message->acceptTypes);
  if (message->connection) {
    session.address = message->connection->address;
    session.ipv6 = message->connection->ipv6;
  }
  session.messageSession =
      message->port != 0 && std::all_of(media.begin(), media.end(), isMessageMedia);
  return session;
}

}  // namespace

Result<SdpSession> parseSdp(std::string_view body) {
  if (body.size() > kMaxSdpBytes) return malformed("body too large");
  std::optional<Connection> sessionConnection;
  std::vector<std::string> sessionTypes;
  std::vector<Media> media;
  std::size_t lines = 0;
  bool sawVersion = false;

  while (!body.empty()) {
    std::size_t eol = body.find('\n');
    std::string_view line = body.substr(0, eol);
    body.remove_prefix(eol == std::string_view::npos ? body.size() : eol + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (detail::trim(line).empty()) continue;  // tolerate blank lines, e.g. a final CRLF
    if (++lines > kMaxSdpLines) return malformed("too many lines");
    if (line.size() < 2 || line[1] != '=' || line[0] < 'a' || line[0] > 'z') {
      return malformed("line is not <type>=<value>");
    }
    const char type = line[0];
    std::string_view value = detail::trim(line.substr(2));
    if (!sawVersion) {
      if (type != 'v' || value != "0") return malformed("must start with v=0");
      sawVersion = true;
      continue;
    }
    if (type == 'c') {
      auto connection = parseConnection(value);
      if (!connection) return connection.error();
      if (media.empty()) {
        sessionConnection = std::move(connection.value());
      } else {
        media.back().connection = std::move(connection.value());
      }
    } else if (type == 'm') {
      auto parsed = parseMedia(value);
      if (!parsed) return parsed.error();
      media.push_back(std::move(parsed.value()));
    } else if (type == 'a' && detail::istartsWith(value, "accept-types:")) {
      auto& types = media.empty() ? sessionTypes : media.back().acceptTypes;
      for (auto token : detail::splitFields(value.substr(13))) types.emplace_back(token);
    }
  }
  if (!sawVersion) return malformed("empty body");
  return summarize(sessionConnection, sessionTypes, media);
}

}  // namespace impd::simple
