#include "dns/srv_plan.h"

#include <algorithm>
#include <limits>

namespace impd::dns {

namespace {

struct Candidate {
  const SrvRecord* record;
  bool directTls;
};

bool isNoService(const SrvRecord& r) {
  return r.target == "." || r.target.empty();
}

// Uniform in [0, bound] (inclusive), without modulo bias.
std::uint64_t uniformUpTo(Random& random, std::uint64_t bound) {
  if (bound == std::numeric_limits<std::uint64_t>::max()) {
    std::uint64_t x;
    random.fill(&x, sizeof x);
    return x;
  }
  const std::uint64_t span = bound + 1;
  const std::uint64_t limit =
      std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % span;
  for (;;) {
    std::uint64_t x;
    random.fill(&x, sizeof x);
    if (x < limit) return x % span;
  }
}

// RFC 2782 "Usage rules": within one priority, zero-weight records go to the front, then a
// running sum is drawn against a random number in [0, sum] until the group is used up.
void drawGroup(std::vector<Candidate> group, Random& random, std::vector<Target>& out) {
  std::stable_partition(group.begin(), group.end(),
                        [](const Candidate& c) { return c.record->weight == 0; });
  while (!group.empty()) {
    std::uint64_t sum = 0;
    for (const auto& c : group) sum += c.record->weight;
    const std::uint64_t pick = uniformUpTo(random, sum);
    std::uint64_t running = 0;
    auto chosen = group.begin();
    for (auto it = group.begin(); it != group.end(); ++it) {
      running += it->record->weight;
      if (running >= pick) {
        chosen = it;
        break;
      }
    }
    out.push_back(Target{chosen->record->target, chosen->record->port, chosen->directTls});
    group.erase(chosen);
  }
}

std::vector<Target> order(std::vector<Candidate> candidates, Random& random) {
  std::erase_if(candidates, [](const Candidate& c) { return isNoService(*c.record); });
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) {
                     return a.record->priority < b.record->priority;
                   });
  std::vector<Target> out;
  out.reserve(candidates.size());
  auto begin = candidates.begin();
  while (begin != candidates.end()) {
    auto end = std::find_if(begin, candidates.end(), [&](const Candidate& c) {
      return c.record->priority != begin->record->priority;
    });
    drawGroup(std::vector<Candidate>(begin, end), random, out);
    begin = end;
  }
  return out;
}

}  // namespace

bool declaresNoService(const std::vector<SrvRecord>& records) {
  return !records.empty() && std::all_of(records.begin(), records.end(), isNoService);
}

std::vector<Target> orderSrv(const std::vector<SrvRecord>& records, Random& random) {
  std::vector<Candidate> candidates;
  candidates.reserve(records.size());
  for (const auto& r : records) candidates.push_back({&r, false});
  return order(std::move(candidates), random);
}

std::vector<Target> connectPlan(std::string_view domain, const std::vector<SrvRecord>& srvXmpps,
                                const std::vector<SrvRecord>& srvXmpp, Random& random) {
  if (srvXmpps.empty() && srvXmpp.empty()) {
    return {Target{normalizeName(domain), kXmppServerPort, false}};
  }
  // Direct TLS records go first into the merged set, so every stable step (the priority sort,
  // the zero-weight partition, the all-zero draw) prefers them on a tie.
  std::vector<Candidate> candidates;
  candidates.reserve(srvXmpps.size() + srvXmpp.size());
  for (const auto& r : srvXmpps) candidates.push_back({&r, true});
  for (const auto& r : srvXmpp) candidates.push_back({&r, false});
  return order(std::move(candidates), random);
}

std::string xmppsServerName(std::string_view domain) {
  return "_xmpps-server._tcp." + normalizeName(domain);
}

std::string xmppServerName(std::string_view domain) {
  return "_xmpp-server._tcp." + normalizeName(domain);
}

}  // namespace impd::dns
