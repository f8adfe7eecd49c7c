// Deciding the iron-proxy-enabled and iron-proxy-running signals from the
// Hermes home (<home>/config.yaml, <home>/proxy/...), /proc and a TCP connect.
// Files are read through a ReadFile function so the same logic runs on the
// host's services in the plugin and on a plain reader in tests.
#pragma once

#include <hermes_inspect/probe.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace iron_proxy {

struct FileRead {
  int code = HI_OK;  // hi_rc
  std::string data;
  std::string error;
};

// Reads a path with hi_host read_file flags (HI_READ_HOST_PATH, HI_READ_NOFOLLOW).
using ReadFile = std::function<FileRead(const std::string &path, uint32_t flags)>;

struct Endpoint {
  std::string host;  // without brackets
  uint16_t port = 0;
  std::string text() const;  // "127.0.0.1:9090", "[::1]:9090"
};

// "host:port" or "[v6]:port"; an empty host means 127.0.0.1.
std::optional<Endpoint> parse_endpoint(const std::string &listen);

// The tunnel address from proxy.yaml text (nothing: no proxy.yaml):
// proxy.tunnel_listen, else proxy.http_listen, else 127.0.0.1:9090.
// On a malformed file, nothing with *error set.
std::optional<Endpoint> tunnel_endpoint(const std::optional<std::string> &proxy_yaml,
                                        std::string *error);

// Whether /proc/<pid> contents describe an iron-proxy process: environ holds
// HERMES_IRON_PROXY_NONCE=<nonce> (when both are known), or argv[0]'s basename
// starts with "iron-proxy".
bool is_iron_proxy(const std::string &cmdline, const std::optional<std::string> &environment,
                   const std::optional<std::string> &nonce);

struct ConnectOutcome {
  bool connected = false;
  std::string error;  // why not, e.g. "Connection refused"
};

// A TCP connection to endpoint within timeout (non-blocking connect + poll).
ConnectOutcome tcp_connect(const Endpoint &endpoint, std::chrono::milliseconds timeout);

inline constexpr std::chrono::milliseconds kConnectTimeout{500};

// What kill(pid, 0) says of a pid. /proc mounted with hidepid=2 hides another
// user's process as if it had exited (hidepid=1 refuses to show it), but kill
// still tells them apart without root: ESRCH for a dead pid, EPERM for a live
// one this user may not signal.
enum class PidLiveness { dead, alive, alive_other_user };
using CheckPid = std::function<PidLiveness(int pid)>;

// kill(pid, 0), which sends nothing. A pid <= 0 names a process group, not a
// process, and is dead.
PidLiveness pid_liveness(int pid);

hermes_inspect::Verdict enabled_verdict(const std::string &home, const ReadFile &read);
// check_pid is asked only when /proc/<pid> cannot be read.
hermes_inspect::Verdict running_verdict(const std::string &home, const ReadFile &read,
                                        const CheckPid &check_pid = pid_liveness);

}  // namespace iron_proxy
