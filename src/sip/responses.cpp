// Locally built responses (responses.h).
#include "sip/responses.h"

#include "codec/sip/headers.h"

namespace impd::sip {

namespace {

void copyFirst(const Message& from, Message& to, std::string_view name) {
  if (const auto value = from.get(name)) to.add(name, std::string(*value));
}

std::string withTag(std::string_view to, std::string_view tag) {
  auto parsed = NameAddr::parse(to);
  if (!parsed) return std::string(to) + ";tag=" + std::string(tag);
  if (!parsed->tag().empty()) return std::string(to);
  parsed->setTag(tag);
  return parsed->str();
}

bool hasTag(std::string_view to) {
  auto parsed = NameAddr::parse(to);
  return parsed && !parsed->tag().empty();
}

// Text for a quoted-string: no quotes, backslashes or control characters.
std::string quotable(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') continue;
    out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
  }
  return out;
}

// The start line and headers without Content-Length: what is left to read when the body (or
// its length) is what broke the message.
std::optional<std::string> headersOnly(std::string_view raw) {
  auto end = raw.find("\r\n\r\n");
  if (end == std::string_view::npos) return std::nullopt;
  std::string out;
  std::string_view head = raw.substr(0, end + 2);
  while (!head.empty()) {
    const auto eol = head.find("\r\n");
    const std::string_view line = head.substr(0, eol == std::string_view::npos ? head.size() : eol + 2);
    head.remove_prefix(line.size());
    std::string lowered;
    for (char c : line.substr(0, 16)) lowered += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    const bool length = lowered.starts_with("content-length") || lowered.starts_with("l:") ||
                        lowered.starts_with("l ");
    if (!length) out += line;
  }
  return out + "\r\n";
}

}  // namespace

Message makeResponse(const Message& request, int status, std::string_view toTag, std::string reason) {
  Message out = Message::response(status, std::move(reason));
  for (const auto via : request.getAll("Via")) out.add("Via", std::string(via));
  copyFirst(request, out, "From");
  if (const auto to = request.get("To")) {
    const bool tag = status > 100 && !toTag.empty() && !hasTag(*to);
    out.add("To", tag ? withTag(*to, toTag) : std::string(*to));
  }
  copyFirst(request, out, "Call-ID");
  copyFirst(request, out, "CSeq");
  copyFirst(request, out, "Timestamp");
  return out;
}

void addWarning(Message& response, std::string_view agent, std::string_view text) {
  response.add("Warning", "399 " + std::string(agent) + " \"" + quotable(text) + "\"");
}

std::optional<Message> badRequestFor(std::string_view raw, std::string_view why, std::string_view toTag,
                                     int status) {
  Limits lenient;
  lenient.checkCoreHeaders = false;
  auto parsed = parse(raw, lenient);
  if (!parsed) {
    // The body may be what broke (too long, shorter than its Content-Length): the headers
    // alone still say whom to answer.
    auto head = headersOnly(raw);
    if (!head) return std::nullopt;
    parsed = parse(*head, lenient);
    if (!parsed) return std::nullopt;
  }
  const Message& request = *parsed;
  if (!request.isRequest() || request.method() == "ACK") return std::nullopt;
  const auto via = request.get("Via");
  const auto cseq = request.get("CSeq");
  if (!via || !Via::parse(*via) || !cseq || !CSeq::parse(*cseq) || !request.get("Call-ID")) {
    return std::nullopt;
  }
  Message out = makeResponse(request, status, toTag);
  if (!why.empty()) addWarning(out, "impd", why);
  return out;
}

}  // namespace impd::sip
