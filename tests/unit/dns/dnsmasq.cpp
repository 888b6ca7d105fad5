#include "dnsmasq.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace impd::dns::test {

namespace asio = boost::asio;

namespace {

// A port free for both UDP and TCP right now (dnsmasq serves both). Another process may take
// it before dnsmasq binds; start() then retries with a new one.
std::uint16_t freePort(const asio::ip::address& address) {
  asio::io_context io;
  for (int attempt = 0; attempt < 20; ++attempt) {
    asio::ip::udp::socket udp(io, asio::ip::udp::endpoint(address, 0));
    const auto port = udp.local_endpoint().port();
    boost::system::error_code ec;
    asio::ip::tcp::acceptor tcp(io);
    tcp.open(address.is_v6() ? asio::ip::tcp::v6() : asio::ip::tcp::v4(), ec);
    if (!ec) tcp.bind(asio::ip::tcp::endpoint(address, port), ec);
    if (!ec) return port;
  }
  return 0;
}

// Ready means it answers a DNS query over UDP. (A TCP probe would make dnsmasq fork a child
// per connection, which could outlive the test.)
bool answersUdp(const asio::ip::udp::endpoint& ep) {
  static const unsigned char kQuery[] = {0x12, 0x34, 0x01, 0x00, 0,   1,   0,   0,   0, 0,
                                         0,    0,    5,    'p',  'r', 'o', 'b', 'e', 4, 't',
                                         'e',  's',  't',  0,    0,   1,   0,   1};
  asio::io_context io;
  asio::ip::udp::socket s(io);
  boost::system::error_code ec;
  s.open(ep.protocol(), ec);
  if (!ec) s.connect(ep, ec);
  if (!ec) s.send(asio::buffer(kQuery), 0, ec);
  if (ec) return false;
  pollfd p{s.native_handle(), POLLIN, 0};
  if (::poll(&p, 1, 200) <= 0) return false;
  unsigned char answer[512];
  const auto n = s.receive(asio::buffer(answer), 0, ec);
  return !ec && n >= 2 && answer[0] == 0x12 && answer[1] == 0x34;
}

}  // namespace

std::string findDnsmasq() {
  if (const char* forced = std::getenv("IMPD_TEST_DNSMASQ")) {
    return ::access(forced, X_OK) == 0 ? forced : "";
  }
  std::vector<std::string> dirs;
  if (const char* path = std::getenv("PATH")) {
    std::stringstream ss(path);
    for (std::string d; std::getline(ss, d, ':');) dirs.push_back(d);
  }
  dirs.insert(dirs.end(), {"/usr/sbin", "/sbin"});
  for (const auto& d : dirs) {
    const auto candidate = std::filesystem::path(d) / "dnsmasq";
    if (!d.empty() && ::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return {};
}

Result<std::unique_ptr<Dnsmasq>> Dnsmasq::start(const std::string& address,
                                                std::vector<std::string> recordOptions) {
  const auto binary = findDnsmasq();
  if (binary.empty()) {
    return makeError("missing",
                     "dnsmasq is not installed; install the Debian package "
                     "dnsmasq-base (scripts/deps.sh test does)");
  }
  std::unique_ptr<Dnsmasq> server(new Dnsmasq);
  char pattern[] = "/tmp/impd-dnsmasq-XXXXXX";
  if (!::mkdtemp(pattern)) return makeError("io", "cannot create a temporary folder");
  server->dir_ = pattern;
  const auto ip = asio::ip::make_address(address);
  const std::string logPath = server->dir_ + "/dnsmasq.log";

  for (int attempt = 0; attempt < 5; ++attempt) {
    const auto port = freePort(ip);
    if (port == 0) return makeError("io", "no free port on " + address);
    std::vector<std::string> args = {binary,
                                     "--no-daemon",
                                     "--conf-file=/dev/null",
                                     "--no-resolv",
                                     "--no-hosts",
                                     "--no-poll",
                                     "--bind-interfaces",
                                     "--listen-address=" + address,
                                     "--port=" + std::to_string(port),
                                     "--log-facility=-"};
    args.insert(args.end(), recordOptions.begin(), recordOptions.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    // Prepared before fork(): the child may only make async-signal-safe calls.
    const int logFd = ::open(logPath.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    const int nullFd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    const int forkErrno = errno;
    if (pid == 0) {
      // Its own process group, so stopping it also stops any child it forks; and it dies with
      // this test process even when that is killed (a time-out, a crash).
      ::setpgid(0, 0);
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (::getppid() != parent) ::_exit(1);
      ::dup2(nullFd, STDIN_FILENO);
      ::dup2(logFd, STDOUT_FILENO);
      ::dup2(logFd, STDERR_FILENO);
      ::execv(binary.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(logFd);
    ::close(nullFd);
    if (pid > 0) ::setpgid(pid, pid);  // also from this side, so kill(-pid) can never miss
    if (pid < 0) return makeError("io", "cannot start " + binary + ": " + std::strerror(forkErrno));

    server->pid_ = pid;
    server->endpoint_ = asio::ip::udp::endpoint(ip, port);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        server->pid_ = -1;  // exited: most likely the port was taken meanwhile
        break;
      }
      if (answersUdp(server->endpoint_)) return server;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (server->pid_ > 0) return makeError("io", "dnsmasq did not come up:\n" + server->log());
  }
  return makeError("io", "dnsmasq exited at start:\n" + server->log());
}

Dnsmasq::~Dnsmasq() {
  if (pid_ > 0) {
    ::kill(-pid_, SIGTERM);  // the group this test started (see start())
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

std::string Dnsmasq::log() const {
  std::ifstream in(dir_ + "/dnsmasq.log");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace impd::dns::test
