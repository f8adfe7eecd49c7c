// Shared by the iron-proxy tests: a file reader with the host service's
// contract, processes posing as the daemon, and sockets the test owns.
#pragma once

#include "iron_proxy.hpp"
#include "status.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace iron_proxy_test {

// What hi_host.read_file does for a host path: O_NOFOLLOW on request, regular
// files only, errno mapped to hi_rc. Paths the probe does not mark
// HI_READ_HOST_PATH resolve under an empty --root and so are never found.
inline iron_proxy::FileRead read_host(const std::string &path, uint32_t flags) {
  if ((flags & HI_READ_HOST_PATH) == 0) return {HI_ERR_NOT_FOUND, "", "not under --root"};
  const bool nofollow = (flags & HI_READ_NOFOLLOW) != 0;
  hi::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | (nofollow ? O_NOFOLLOW : 0)));
  if (!fd.valid()) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) return {HI_ERR_NOT_FOUND, "", path + ": not found"};
    if (err == EACCES || err == EPERM) return {HI_ERR_PERMISSION, "", path + ": permission denied"};
    if (err == ELOOP && nofollow) return {HI_ERR_SYMLINK, "", path + " is a symlink"};
    return {HI_ERR_IO, "", path + ": error " + std::to_string(err)};
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode))
    return {HI_ERR_IO, "", path + " is not a regular file"};
  iron_proxy::FileRead r;
  char buf[4096];
  for (ssize_t n; (n = ::read(fd.get(), buf, sizeof buf)) > 0;)
    r.data.append(buf, static_cast<std::size_t>(n));
  return r;
}

// A process outside the test runner's process group (setsid), so it outlives
// the launching shell: `exec -a ARGV0 sleep 300` with
// HERMES_IRON_PROXY_NONCE=nonce in its environment, or any other command.
// Every one is killed by its pid when the object goes away.
class Daemon {
 public:
  static Daemon named(const std::string &argv0, const std::string &nonce = "") {
    return Daemon({"/usr/bin/env", "HERMES_IRON_PROXY_NONCE=" + nonce, "/bin/bash", "-c",
                   "exec -a \"$0\" sleep 300", argv0},
                  argv0);
  }
  // argv0: what the program finally exec'd shows as argv[0].
  static Daemon running(const std::vector<std::string> &argv, const std::string &argv0) {
    return Daemon(argv, argv0);
  }

  Daemon(Daemon &&o) noexcept : pid_(std::exchange(o.pid_, 0)) {}
  Daemon(const Daemon &) = delete;
  Daemon &operator=(const Daemon &) = delete;
  Daemon &operator=(Daemon &&) = delete;
  ~Daemon() {
    if (pid_ > 0) ::kill(pid_, SIGKILL);
  }
  pid_t pid() const { return pid_; }

 private:
  // The launcher waits for the final program (setsid and env exec in place)
  // before it exits: until then the child is still in the launcher's process
  // group, which the runner kills once the launcher is done.
  Daemon(const std::vector<std::string> &argv, const std::string &argv0) {
    std::string script = "setsid";
    for (std::size_t i = 0; i < argv.size(); ++i) script += " \"${" + std::to_string(i + 2) + "}\"";
    script +=
        " </dev/null >/dev/null 2>&1 & p=$!\n"
        "until [ \"$(tr '\\0' '\\n' </proc/$p/cmdline | head -n 1)\" = \"$1\" ]; do\n"
        "  kill -0 $p || exit 1\n"
        "  sleep 0.01\n"
        "done\n"
        "echo $p\n";
    std::vector<std::string> cmd{"/bin/bash", "-c", script, "launcher", argv0};
    cmd.insert(cmd.end(), argv.begin(), argv.end());
    const auto r = hi::test::run_process(cmd);
    INFO("launcher stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    pid_ = std::atoi(r.out.c_str());
    REQUIRE(pid_ > 0);
  }
  pid_t pid_ = 0;
};

// The pid of a process that has exited and been reaped.
inline pid_t dead_pid() {
  const auto r = hi::test::run_process({"/bin/sh", "-c", "echo $$"});
  const pid_t pid = std::atoi(r.out.c_str());
  REQUIRE(pid > 0);
  REQUIRE(hi::test::read_text("/proc/" + std::to_string(pid) + "/cmdline").empty());
  return pid;
}

// A TCP socket bound to an ephemeral port on host, listening or not.
class Port {
 public:
  Port(int family, bool listening) : fd_(::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    REQUIRE(fd_.valid());
    sockaddr_storage addr{};
    socklen_t len = 0;
    if (family == AF_INET) {
      auto *in = reinterpret_cast<sockaddr_in *>(&addr);
      in->sin_family = AF_INET;
      in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      len = sizeof *in;
    } else {
      auto *in6 = reinterpret_cast<sockaddr_in6 *>(&addr);
      in6->sin6_family = AF_INET6;
      in6->sin6_addr = in6addr_loopback;
      len = sizeof *in6;
    }
    bound_ = ::bind(fd_.get(), reinterpret_cast<sockaddr *>(&addr), len) == 0;
    if (!bound_) return;
    if (listening) REQUIRE(::listen(fd_.get(), 8) == 0);
    REQUIRE(::getsockname(fd_.get(), reinterpret_cast<sockaddr *>(&addr), &len) == 0);
    port_ = ntohs(family == AF_INET ? reinterpret_cast<sockaddr_in *>(&addr)->sin_port
                                    : reinterpret_cast<sockaddr_in6 *>(&addr)->sin6_port);
  }
  bool bound() const { return bound_; }
  std::string port() const { return std::to_string(port_); }

 private:
  hi::UniqueFd fd_;
  bool bound_ = false;
  uint16_t port_ = 0;
};

}  // namespace iron_proxy_test
