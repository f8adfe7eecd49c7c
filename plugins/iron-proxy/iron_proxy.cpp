#include "iron_proxy.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <utility>

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

namespace iron_proxy {
namespace {

using hermes_inspect::Status;
using hermes_inspect::Verdict;
using Clock = std::chrono::steady_clock;

constexpr uint32_t kHost = HI_READ_HOST_PATH;
constexpr uint32_t kHostNoFollow = HI_READ_HOST_PATH | HI_READ_NOFOLLOW;
constexpr const char *kNonceVar = "HERMES_IRON_PROXY_NONCE=";
constexpr const char *kStartFix =
    "start the Hermes agent with the proxy enabled (it launches iron-proxy)";

// The one owner of a socket descriptor.
class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  Socket(const Socket &) = delete;
  Socket &operator=(const Socket &) = delete;
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }

 private:
  int fd_;
};

struct AddrinfoFree {
  void operator()(addrinfo *ai) const { ::freeaddrinfo(ai); }
};

std::string trim(const std::string &s) {
  const auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(" \t\r\n") - begin + 1);
}

std::string strip_slashes(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

// A child of a YAML mapping, or nothing when node is not a mapping or lacks key.
std::optional<YAML::Node> child(const YAML::Node &node, const char *key) {
  if (!node.IsMap()) return std::nullopt;
  const YAML::Node value = node[key];
  if (!value.IsDefined() || value.IsNull()) return std::nullopt;
  return value;
}

bool exists(const ReadFile &read, const std::string &path) {
  return read(path, kHost).code != HI_ERR_NOT_FOUND;
}

// Verdicts for a Hermes home that is unset or absent; nothing when it exists.
std::optional<Verdict> missing_home(const std::string &home, const ReadFile &read) {
  if (home.empty()) return Verdict{Status::skip, "Hermes home not set", "", false};
  const auto r = read(home, kHost);
  if (r.code == HI_ERR_NOT_FOUND)
    return Verdict{Status::skip, "Hermes home " + home + " does not exist", "", false};
  if (r.code == HI_ERR_INVALID)
    return Verdict{Status::skip, "Hermes home " + home + " is not an absolute path", "", false};
  return std::nullopt;
}

constexpr const char *kRootFix = "run as root or as the user that runs the Hermes agent";

Verdict needs_root(const std::string &what, const FileRead &r) {
  return {Status::warn, "needs root: cannot read " + what + " (" + r.error + ")", kRootFix, true};
}

Verdict stale_pidfile(const std::string &label) {
  return {Status::fail, "iron-proxy " + label + " is not running (stale pidfile)", kStartFix,
          false};
}

// /proc/<pid> absent or unreadable (`bad`): a dead pid, or one that hidepid
// keeps from this user, which must not pass for dead.
Verdict unseen_process(const std::string &label, const std::string &proc, const FileRead &bad,
                       PidLiveness liveness) {
  switch (liveness) {
    case PidLiveness::dead: return stale_pidfile(label);
    case PidLiveness::alive_other_user:
      return {Status::warn,
              "needs root: " + label + " exists but " + proc +
                  " is not readable by this user (hidepid?), so it cannot be verified as iron-proxy",
              kRootFix, true};
    case PidLiveness::alive: break;
  }
  if (bad.code == HI_ERR_PERMISSION) return needs_root(proc, bad);
  return {Status::warn, label + " is alive but " + proc + " cannot be read (" + bad.error + ")", "",
          false};
}

// proxy.enabled from config.yaml text, or a verdict when it is set or broken.
std::optional<Verdict> explicit_setting(const std::string &home, const std::string &text) {
  const std::string fix = "set proxy.enabled: true in " + home + "/config.yaml";
  try {
    const auto enabled = child(YAML::Load(text), "proxy");
    const auto value = enabled ? child(*enabled, "enabled") : std::nullopt;
    if (!value) return std::nullopt;
    bool on = false;
    if (!value->IsScalar() || !YAML::convert<bool>::decode(*value, on))
      return Verdict{Status::warn,
                     "config.yaml proxy.enabled is not a boolean: " +
                         hermes_inspect::quote_output(YAML::Dump(*value)),
                     fix, false};
    if (on) return Verdict{Status::pass, "proxy.enabled: true in config.yaml", "", false};
    return Verdict{Status::fail, "disabled in config.yaml", fix, false};
  } catch (const YAML::Exception &e) {
    return Verdict{Status::warn, "config.yaml unparseable: " + hermes_inspect::quote_output(e.what()),
                   "", false};
  }
}

std::optional<int> parse_pid(const std::string &text) {
  const std::string t = trim(text);
  if (t.empty() || t.size() > 9 || !std::all_of(t.begin(), t.end(), [](char c) {
        return c >= '0' && c <= '9';
      }))
    return std::nullopt;
  const int pid = std::stoi(t);
  if (pid <= 0) return std::nullopt;
  return pid;
}

// "R", "S", "Z"...: the state field of /proc/<pid>/stat, after the "(comm)".
char process_state(const std::string &stat) {
  const auto close = stat.rfind(')');
  if (close == std::string::npos || close + 2 >= stat.size()) return '?';
  return stat[close + 2];
}

std::string argv0_basename(const std::string &cmdline) {
  const std::string argv0 = cmdline.substr(0, cmdline.find('\0'));
  const auto slash = argv0.rfind('/');
  return slash == std::string::npos ? argv0 : argv0.substr(slash + 1);
}

std::optional<std::string> contents_if_ok(const FileRead &r) {
  if (r.code != HI_OK) return std::nullopt;
  return r.data;
}

// The connect of one resolved address, bounded by deadline.
ConnectOutcome connect_one(const addrinfo &ai, Clock::time_point deadline) {
  Socket s(::socket(ai.ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!s.valid()) return {false, std::strerror(errno)};
  if (::connect(s.get(), ai.ai_addr, ai.ai_addrlen) == 0) return {true, ""};
  if (errno != EINPROGRESS) return {false, std::strerror(errno)};
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return {false, ""};
    pollfd p{s.get(), POLLOUT, 0};
    const int n = ::poll(&p, 1, static_cast<int>(left));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return {false, std::strerror(errno)};
    if (n == 0) continue;
    int err = 0;
    socklen_t len = sizeof err;
    if (::getsockopt(s.get(), SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
    if (err != 0) return {false, std::strerror(err)};
    return {true, ""};
  }
}

}  // namespace

std::string Endpoint::text() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::optional<Endpoint> parse_endpoint(const std::string &listen) {
  const std::string s = trim(listen);
  std::string host;
  std::string port;
  if (!s.empty() && s.front() == '[') {
    const auto close = s.find(']');
    if (close == std::string::npos || close + 1 >= s.size() || s[close + 1] != ':')
      return std::nullopt;
    host = s.substr(1, close - 1);
    port = s.substr(close + 2);
  } else {
    const auto colon = s.rfind(':');
    if (colon == std::string::npos || s.find(':') != colon) return std::nullopt;
    host = s.substr(0, colon);
    port = s.substr(colon + 1);
  }
  if (port.empty() || port.size() > 5 ||
      !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  const long number = std::stol(port);
  if (number < 1 || number > 65535) return std::nullopt;
  return Endpoint{host.empty() ? "127.0.0.1" : host, static_cast<uint16_t>(number)};
}

std::optional<Endpoint> tunnel_endpoint(const std::optional<std::string> &proxy_yaml,
                                        std::string *error) {
  const Endpoint fallback{"127.0.0.1", 9090};
  if (!proxy_yaml) return fallback;
  try {
    const auto proxy = child(YAML::Load(*proxy_yaml), "proxy");
    for (const char *key : {"tunnel_listen", "http_listen"}) {
      const auto value = proxy ? child(*proxy, key) : std::nullopt;
      if (!value) continue;
      if (!value->IsScalar() || value->Scalar().empty()) continue;
      if (auto endpoint = parse_endpoint(value->Scalar())) return endpoint;
      *error = std::string("proxy.") + key + " is not host:port: " +
               hermes_inspect::quote_output(value->Scalar());
      return std::nullopt;
    }
    return fallback;
  } catch (const YAML::Exception &e) {
    *error = "proxy.yaml unparseable: " + hermes_inspect::quote_output(e.what());
    return std::nullopt;
  }
}

bool is_iron_proxy(const std::string &cmdline, const std::optional<std::string> &environment,
                   const std::optional<std::string> &nonce) {
  const std::string secret = nonce ? trim(*nonce) : "";
  if (environment && !secret.empty()) {
    const std::string wanted = kNonceVar + secret;
    std::size_t begin = 0;
    while (begin < environment->size()) {
      auto end = environment->find('\0', begin);
      if (end == std::string::npos) end = environment->size();
      if (environment->compare(begin, end - begin, wanted) == 0) return true;
      begin = end + 1;
    }
  }
  return argv0_basename(cmdline).rfind("iron-proxy", 0) == 0;
}

ConnectOutcome tcp_connect(const Endpoint &endpoint, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo *raw = nullptr;
  const int rc =
      ::getaddrinfo(endpoint.host.c_str(), std::to_string(endpoint.port).c_str(), &hints, &raw);
  if (rc != 0) return {false, ::gai_strerror(rc)};
  const std::unique_ptr<addrinfo, AddrinfoFree> list(raw);
  ConnectOutcome last{false, "no address"};
  for (const addrinfo *ai = list.get(); ai; ai = ai->ai_next) {
    last = connect_one(*ai, deadline);
    if (last.connected) return last;
    if (last.error.empty()) last.error = "no answer within " + std::to_string(timeout.count()) + " ms";
  }
  return last;
}

Verdict enabled_verdict(const std::string &raw_home, const ReadFile &read) {
  const std::string home = strip_slashes(raw_home);
  if (auto v = missing_home(home, read)) return *v;
  const auto config = read(home + "/config.yaml", kHost);
  if (config.code == HI_ERR_PERMISSION) return needs_root(home + "/config.yaml", config);
  if (config.code == HI_OK)
    if (auto v = explicit_setting(home, config.data)) return *v;
  const bool has_yaml = exists(read, home + "/proxy/proxy.yaml");
  const bool has_ca = exists(read, home + "/proxy/ca.crt");
  if (has_yaml && has_ca)
    return {Status::pass, "proxy/proxy.yaml and proxy/ca.crt present (proxy.enabled not set)", "",
            false};
  std::string missing = has_yaml ? "" : "proxy/proxy.yaml";
  if (!has_ca) missing += std::string(missing.empty() ? "" : ", ") + "proxy/ca.crt";
  return {Status::fail, "not configured: no proxy.enabled in config.yaml, " + missing + " missing",
          "set proxy.enabled: true in " + home + "/config.yaml", false};
}

PidLiveness pid_liveness(int pid) {
  if (pid <= 0) return PidLiveness::dead;
  if (::kill(pid, 0) == 0) return PidLiveness::alive;
  // For signal 0, kill(2) fails only with ESRCH or EPERM.
  return errno == ESRCH ? PidLiveness::dead : PidLiveness::alive_other_user;
}

Verdict running_verdict(const std::string &raw_home, const ReadFile &read,
                        const CheckPid &check_pid) {
  const std::string home = strip_slashes(raw_home);
  if (auto v = missing_home(home, read)) return *v;
  const std::string pidfile = home + "/proxy/iron-proxy.pid";
  const auto pid_read = read(pidfile, kHostNoFollow);
  if (pid_read.code == HI_ERR_NOT_FOUND)
    return {Status::fail, "no pidfile " + pidfile, kStartFix, false};
  if (pid_read.code == HI_ERR_SYMLINK)
    return {Status::fail, "refusing symlinked pidfile " + pidfile,
            "remove " + pidfile + " and restart iron-proxy", false};
  if (pid_read.code == HI_ERR_PERMISSION) return needs_root(pidfile, pid_read);
  if (pid_read.code != HI_OK)
    return {Status::warn, "cannot read " + pidfile + ": " + pid_read.error, "", false};
  const auto pid = parse_pid(pid_read.data);
  if (!pid)
    return {Status::warn, "pidfile unparseable: " + hermes_inspect::quote_output(pid_read.data), "",
            false};

  const std::string proc = "/proc/" + std::to_string(*pid);
  const std::string label = "pid=" + std::to_string(*pid);
  const auto stat = read(proc + "/stat", kHost);
  const auto cmdline = read(proc + "/cmdline", kHost);
  if (stat.code == HI_OK && (process_state(stat.data) == 'Z' || process_state(stat.data) == 'X'))
    return stale_pidfile(label);
  if (stat.code != HI_OK || cmdline.code != HI_OK) {
    const auto &bad = stat.code != HI_OK ? stat : cmdline;
    if (bad.code == HI_ERR_NOT_FOUND || bad.code == HI_ERR_PERMISSION)
      return unseen_process(label, proc, bad, check_pid(*pid));
    return {Status::warn, "cannot inspect " + proc + ": " + bad.error, "", false};
  }
  const auto environment = contents_if_ok(read(proc + "/environ", kHost));
  const auto nonce = contents_if_ok(read(home + "/proxy/iron-proxy.nonce", kHostNoFollow));
  if (!is_iron_proxy(cmdline.data, environment, nonce)) {
    const std::string other = argv0_basename(cmdline.data);
    return {Status::fail,
            label + " is " + (other.empty() ? std::string("another process") : other) +
                ", not iron-proxy (PID recycled)",
            kStartFix, false};
  }

  const auto yaml_read = read(home + "/proxy/proxy.yaml", kHost);
  if (yaml_read.code == HI_ERR_PERMISSION) return needs_root(home + "/proxy/proxy.yaml", yaml_read);
  std::string error;
  const auto endpoint = tunnel_endpoint(contents_if_ok(yaml_read), &error);
  if (!endpoint) return {Status::warn, error, "", false};
  const auto outcome = tcp_connect(*endpoint, kConnectTimeout);
  if (outcome.connected)
    return {Status::pass, "daemon " + label + " listening on " + endpoint->text(), "", false};
  return {Status::warn,
          "daemon " + label + " alive but not listening on " + endpoint->text() + " (" +
              outcome.error + ")",
          "restart iron-proxy; see " + home + "/proxy/iron-proxy.log", false};
}

}  // namespace iron_proxy
