#pragma once
// The plain text of a SIP instant-message body, for an XMPP <body>. Lync sends text/plain,
// text/html and multipart/alternative (protocol-notes §3.4); an XMPP client shows plain text,
// so HTML is reduced to its text and of an alternative the text/plain part wins.
#include <string>
#include <string_view>

#include "base/result.h"

namespace impd::gateway {

// `contentType` is the whole Content-Type value (with parameters: charset, boundary).
//  text/plain             the body as is
//  text/html              tags removed, <br> and block ends as line breaks, entities decoded,
//                         <script>/<style>/<head> content dropped
//  multipart/alternative  its text/plain part, else its text/html part (each part may be
//                         base64 encoded; other transfer encodings are skipped)
// A charset other than UTF-8 or US-ASCII (Lync always sends UTF-8) is refused rather than
// shown garbled. Errors: "unsupported-media-type" (answer 415 with Accept) for other types,
// other charsets, or an alternative without a usable part; "bad-request" for a multipart body
// without boundary.
Result<std::string> textOfSipBody(std::string_view contentType, std::string_view body);

// HTML to plain text as described above. Tolerant: unclosed tags and unknown entities are
// kept as text.
std::string htmlToText(std::string_view html);

}  // namespace impd::gateway
