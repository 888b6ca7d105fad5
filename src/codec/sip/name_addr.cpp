// The name-addr / addr-spec header view (headers.h) of From, To, Contact, Route,
// Record-Route, Refer-To and the like (RFC 3261 §20.10, §25.1).
#include "codec/sip/grammar.h"
#include "codec/sip/headers.h"

namespace impd::sip {

namespace {

using grammar::badRequest;

// display-name = *(token LWS) / quoted-string: a token display name is written unquoted only
// when it reads back as the same words.
bool isTokenWords(std::string_view s) {
  if (s.empty()) return false;
  std::size_t pos = 0;
  while (pos <= s.size()) {
    std::size_t space = s.find(' ', pos);
    std::string_view word = s.substr(pos, space == std::string_view::npos ? space : space - pos);
    if (!grammar::isToken(word)) return false;
    if (space == std::string_view::npos) return true;
    pos = space + 1;
  }
  return false;
}

bool endsBareAddrSpec(char c) {
  return c == ';' || grammar::isWsp(c) || c == '\r' || c == '\n';
}

}  // namespace

NameAddr::NameAddr(Uri uri, std::string displayName)
    : display_(std::move(displayName)), uri_(std::move(uri)) {}

bool NameAddr::isWildcard(std::string_view value) {
  return grammar::trim(value) == "*";
}

void NameAddr::setDisplayName(std::string name, bool quoted) {
  display_ = std::move(name);
  displayQuoted_ = quoted;
}

Result<NameAddr> NameAddr::parse(std::string_view value) {
  grammar::Scanner in(value);
  in.skipLws();
  NameAddr out;
  bool angle = false;
  if (in.peek() == '"') {
    auto display = in.quotedString();
    if (!display) return display.error();
    out.display_ = std::move(*display);
    out.displayQuoted_ = true;
    in.skipLws();
    if (!in.consume('<')) return badRequest("quoted display name not followed by <uri>");
    angle = true;
  } else if (in.consume('<')) {
    angle = true;
  } else {
    // Either "token words <uri>" or a bare addr-spec: read words and see what follows.
    std::size_t start = in.pos();
    std::string words;
    for (;;) {
      std::string_view word = in.token();
      if (word.empty()) break;
      if (!words.empty()) words.push_back(' ');
      words += word;
      if (!in.skipLws()) break;
    }
    if (!words.empty() && in.consume('<')) {
      out.display_ = std::move(words);
      angle = true;
    } else {
      in.seek(start);
    }
  }

  if (angle) {
    std::size_t close = in.rest().find('>');
    if (close == std::string_view::npos) return badRequest("name-addr without closing >");
    auto uri = Uri::parse(in.rest().substr(0, close));
    if (!uri) return uri.error();
    out.uri_ = std::move(*uri);
    in.seek(in.pos() + close + 1);
  } else {
    std::string_view rest = in.rest();
    std::size_t end = 0;
    while (end < rest.size() && !endsBareAddrSpec(rest[end])) ++end;
    std::string_view spec = rest.substr(0, end);
    // §20.10: a URI holding a comma, question mark or semicolon must be in <>; the semicolon
    // case cannot be seen here (it starts the header parameters).
    if (spec.find_first_of(",?") != std::string_view::npos) {
      return badRequest("addr-spec with ',' or '?' must be enclosed in <>");
    }
    auto uri = Uri::parse(spec);
    if (!uri) return uri.error();
    out.uri_ = std::move(*uri);
    in.seek(in.pos() + end);
  }

  auto params = Params::parse(in);
  if (!params) return params.error();
  in.skipLws();
  if (!in.atEnd()) return badRequest("unexpected text after name-addr");
  // tag-param = "tag" EQUAL token: dialogs are matched on it, so a malformed one is refused.
  if (const Param* tag = params->find("tag");
      tag && (!tag->hasValue || tag->quoted || !grammar::isToken(tag->value))) {
    return badRequest("bad tag parameter");
  }
  out.params_ = std::move(*params);
  return out;
}

std::string NameAddr::str() const {
  std::string out;
  if (displayQuoted_ || !display_.empty()) {
    out = (displayQuoted_ || !isTokenWords(display_)) ? grammar::quote(display_) : display_;
    out.push_back(' ');
  }
  out += "<" + uri_.str() + ">" + params_.str();
  return out;
}

}  // namespace impd::sip
