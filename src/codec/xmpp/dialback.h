#pragma once
// Server Dialback keys (XEP-0185): the Authoritative Server answers <db:verify/> by computing
// the key again, so no per-stream state is kept. Every node that may receive a verify request
// for our domains must hold the same secret; [xmpp.s2s] dialback_secret is that shared secret.
#include <string>
#include <string_view>

#include "base/random.h"

namespace impd::xmpp {

// hex(HMAC-SHA256(key = hex(SHA256(secret)), receiving + ' ' + originating + ' ' + streamId)),
// lower case, 64 characters. The HMAC key is the ASCII hex text of the hash, as the XEP's
// example and every deployed server (Prosody, ejabberd, Openfire) use it.
std::string dialbackKey(std::string_view secret, std::string_view receivingServer,
                        std::string_view originatingServer, std::string_view streamId);

// Whether `presented` (the text of a <db:verify/> or <db:result/>) is the key for these
// inputs. Upper-case hex is accepted; the comparison takes the same time wherever it differs.
bool verifyDialbackKey(std::string_view presented, std::string_view secret,
                       std::string_view receivingServer, std::string_view originatingServer,
                       std::string_view streamId);

// A secret for a deployment that configured none (XEP-0185 §3: random at start-up). Only safe
// for a single node: another node could not verify the keys this one hands out.
std::string randomDialbackSecret(Random& random);

}  // namespace impd::xmpp
