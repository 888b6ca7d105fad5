#pragma once
// A private dnsmasq on a loopback address and a free port, started and stopped by a test.
// It reads no configuration, no /etc/hosts and no resolv.conf, and never forwards: it answers
// only from the record options it is given.
#include <sys/types.h>

#include <boost/asio/ip/udp.hpp>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"

namespace impd::dns::test {

class Dnsmasq {
 public:
  // Error when dnsmasq is not installed or does not come up; the message says which.
  static Result<std::unique_ptr<Dnsmasq>> start(const std::string& address,
                                                std::vector<std::string> recordOptions);
  ~Dnsmasq();
  Dnsmasq(const Dnsmasq&) = delete;
  Dnsmasq& operator=(const Dnsmasq&) = delete;

  boost::asio::ip::udp::endpoint endpoint() const { return endpoint_; }
  std::string log() const;  // what dnsmasq printed, for failure messages

 private:
  Dnsmasq() = default;
  pid_t pid_ = -1;
  std::string dir_;
  boost::asio::ip::udp::endpoint endpoint_;
};

// Where the dnsmasq binary is ("" when not installed): $IMPD_TEST_DNSMASQ when set, else PATH,
// then /usr/sbin and /sbin.
std::string findDnsmasq();

}  // namespace impd::dns::test
