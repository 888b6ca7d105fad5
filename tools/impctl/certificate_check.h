#pragma once
// What `impctl check certs` looks at in a certificate: the SAN dNSName entries against each
// local domain (X509_check_host: SAN only, a wildcard stands for exactly one label), the
// validity period, and whether the key file belongs to it.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"

namespace impd::impctl {

struct CertificateReport {
  std::vector<std::string> dnsNames;   // SAN dNSName entries of the leaf
  std::vector<std::string> covered;    // local domains the leaf is valid for
  std::vector<std::string> uncovered;  // local domains it is not
  std::string notAfter;                // e.g. "Jan  1 00:00:00 2030 GMT"
  bool expired = false;
  bool notYetValid = false;
  std::optional<bool> keyMatches;  // set when a key file was given
};

// domains are prepared (U-labels); they are compared in their A-label form, as certificates
// carry them. key may be empty.
Result<CertificateReport> inspectCertificate(const std::filesystem::path& certificate,
                                             const std::filesystem::path& key,
                                             const std::vector<std::string>& domains);

}  // namespace impd::impctl
