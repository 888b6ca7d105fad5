#include "sip_gateway/watcher_record.h"

#include <boost/json.hpp>

namespace impd::sip_gateway {

namespace json = boost::json;

namespace {

json::value seqValue(const std::optional<std::uint32_t>& seq) {
  return seq ? json::value(*seq) : json::value(nullptr);
}

std::optional<std::uint32_t> seqOf(const json::value& v) {
  if (!v.is_number()) return std::nullopt;
  auto n = v.to_number<std::int64_t>();
  if (n < 0 || n > 0x7fffffff) return std::nullopt;
  return static_cast<std::uint32_t>(n);
}

std::string text(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

std::string writeWatcherRecord(const WatcherRecord& r) {
  json::array routes;
  for (const auto& route : r.dialog.routes) routes.emplace_back(route);
  const auto expires =
      std::chrono::duration_cast<std::chrono::seconds>(r.expires.time_since_epoch()).count();
  json::object o{
      {"call_id", r.dialog.id.callId},      {"local_tag", r.dialog.id.localTag},
      {"remote_tag", r.dialog.id.remoteTag}, {"early", r.dialog.early},
      {"secure", r.dialog.secure},           {"local", r.dialog.local},
      {"remote", r.dialog.remote},           {"target", r.dialog.target},
      {"local_contact", r.dialog.localContact}, {"routes", std::move(routes)},
      {"local_seq", seqValue(r.dialog.localSeq)}, {"remote_seq", seqValue(r.dialog.remoteSeq)},
      {"event", r.event},                    {"sight", r.sight},
      {"expires", expires},
  };
  return json::serialize(o);
}

Result<WatcherRecord> readWatcherRecord(std::string_view document) {
  boost::system::error_code ec;
  json::value parsed = json::parse(document, ec);
  if (ec || !parsed.is_object()) return makeError("bad-request", "not a watcher record");
  const json::object& o = parsed.as_object();
  WatcherRecord r;
  r.dialog.id.callId = text(o, "call_id");
  r.dialog.id.localTag = text(o, "local_tag");
  r.dialog.id.remoteTag = text(o, "remote_tag");
  r.dialog.early = o.contains("early") && o.at("early").is_bool() && o.at("early").as_bool();
  r.dialog.secure = o.contains("secure") && o.at("secure").is_bool() && o.at("secure").as_bool();
  r.dialog.local = text(o, "local");
  r.dialog.remote = text(o, "remote");
  r.dialog.target = text(o, "target");
  r.dialog.localContact = text(o, "local_contact");
  if (const json::value* routes = o.if_contains("routes"); routes && routes->is_array()) {
    for (const json::value& route : routes->as_array()) {
      if (route.is_string()) r.dialog.routes.emplace_back(route.as_string());
    }
  }
  if (const json::value* v = o.if_contains("local_seq")) r.dialog.localSeq = seqOf(*v);
  if (const json::value* v = o.if_contains("remote_seq")) r.dialog.remoteSeq = seqOf(*v);
  r.event = text(o, "event");
  r.sight = text(o, "sight");
  const json::value* expires = o.if_contains("expires");
  if (r.dialog.id.callId.empty() || r.dialog.local.empty() || r.dialog.remote.empty() ||
      r.dialog.target.empty() || r.event.empty() || !expires || !expires->is_number()) {
    return makeError("bad-request", "watcher record without its dialog");
  }
  r.expires = std::chrono::system_clock::time_point(std::chrono::seconds(expires->to_number<std::int64_t>()));
  return r;
}

}  // namespace impd::sip_gateway
