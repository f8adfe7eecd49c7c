// iron-proxy-running (SIGNALS.md row 9) against real processes and sockets:
// daemons made with `exec -a`, impostors, dead and recycled pids, a listener
// the test owns, and a planted symlink. Every process started here is killed
// by its pid when its owner goes out of scope.
#include "iron_proxy_support.hpp"

#include <catch2/catch.hpp>

#include <csignal>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace {

using hermes_inspect::Status;
using iron_proxy_test::read_host;

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
pid_t dead_pid() {
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

// A Hermes home whose proxy/ holds a pidfile and a proxy.yaml.
struct Home {
  hi::test::TempDir dir;
  void pidfile(pid_t pid) const { dir.write("proxy/iron-proxy.pid", std::to_string(pid) + "\n"); }
  void listen_on(const std::string &key, const std::string &address) const {
    dir.write("proxy/proxy.yaml", "proxy:\n  " + key + ": \"" + address + "\"\n");
  }
  hermes_inspect::Verdict running() const { return iron_proxy::running_verdict(dir.path(), read_host); }
};

}  // namespace


TEST_CASE("iron-proxy-running: a live iron-proxy whose tunnel accepts passes", "[iron-proxy][live]") {
  const auto daemon = Daemon::named("iron-proxy");
  const Port port(AF_INET, true);
  Home home;
  home.pidfile(daemon.pid());
  home.listen_on("tunnel_listen", "127.0.0.1:" + port.port());
  const auto v = home.running();
  CHECK(v.status == Status::pass);
  CHECK(v.detail == "daemon pid=" + std::to_string(daemon.pid()) + " listening on 127.0.0.1:" +
                        port.port());
  CHECK(v.fix.empty());
}

TEST_CASE("iron-proxy-running: http_listen with an empty host is 127.0.0.1", "[iron-proxy][live]") {
  const auto daemon = Daemon::named("/opt/hermes/bin/iron-proxy");
  const Port port(AF_INET, true);
  Home home;
  home.pidfile(daemon.pid());
  home.listen_on("http_listen", ":" + port.port());
  const auto v = home.running();
  CHECK(v.status == Status::pass);
  CHECK_THAT(v.detail, Catch::EndsWith("listening on 127.0.0.1:" + port.port()));
}

TEST_CASE("iron-proxy-running: an IPv6 tunnel address", "[iron-proxy][live]") {
  const Port port(AF_INET6, true);
  if (!port.bound()) {
    WARN("no IPv6 loopback on this host: [::1] case not run");
    return;
  }
  const auto daemon = Daemon::named("iron-proxy");
  Home home;
  home.pidfile(daemon.pid());
  home.listen_on("tunnel_listen", "[::1]:" + port.port());
  const auto v = home.running();
  CHECK(v.status == Status::pass);
  CHECK_THAT(v.detail, Catch::EndsWith("listening on [::1]:" + port.port()));
}

TEST_CASE("iron-proxy-running: the nonce in the environment identifies the daemon",
          "[iron-proxy][live]") {
  const auto daemon = Daemon::named("hermes-egress", "n0nce-4f1d");
  const Port port(AF_INET, true);
  Home home;
  home.pidfile(daemon.pid());
  home.dir.write("proxy/iron-proxy.nonce", "n0nce-4f1d\n", 0600);
  home.listen_on("tunnel_listen", "127.0.0.1:" + port.port());
  CHECK(home.running().status == Status::pass);

  // The same process is a stranger once the nonce no longer matches.
  home.dir.write("proxy/iron-proxy.nonce", "n0nce-other\n", 0600);
  CHECK(home.running().status == Status::fail);
}

TEST_CASE("iron-proxy-running: `tail iron-proxy.log` with the wrong nonce is not the daemon",
          "[iron-proxy][live]") {
  Home home;
  const std::string log = home.dir.write("proxy/iron-proxy.log", "started\n");
  home.dir.write("proxy/iron-proxy.nonce", "right-nonce\n", 0600);
  const auto impostor = Daemon::running(
      {"/usr/bin/env", "HERMES_IRON_PROXY_NONCE=wrong-nonce", "tail", "-f", log}, "tail");
  const Port port(AF_INET, true);
  home.pidfile(impostor.pid());
  home.listen_on("tunnel_listen", "127.0.0.1:" + port.port());
  const auto v = home.running();
  CHECK(v.status == Status::fail);
  CHECK(v.detail == "pid=" + std::to_string(impostor.pid()) + " is tail, not iron-proxy (PID recycled)");
}

TEST_CASE("iron-proxy-running: a dead pid fails", "[iron-proxy][live]") {
  Home home;
  const pid_t pid = dead_pid();
  home.pidfile(pid);
  const auto v = home.running();
  CHECK(v.status == Status::fail);
  CHECK(v.detail == "iron-proxy pid=" + std::to_string(pid) + " is not running (stale pidfile)");
}

TEST_CASE("iron-proxy-running: no pidfile fails", "[iron-proxy][live]") {
  Home home;
  home.dir.mkdir("proxy");
  const auto v = home.running();
  CHECK(v.status == Status::fail);
  CHECK_THAT(v.detail, Catch::StartsWith("no pidfile"));
}

TEST_CASE("iron-proxy-running: alive but not listening warns", "[iron-proxy][live]") {
  const auto daemon = Daemon::named("iron-proxy");
  const Port closed(AF_INET, false);
  Home home;
  home.pidfile(daemon.pid());
  home.listen_on("tunnel_listen", "127.0.0.1:" + closed.port());
  const auto v = home.running();
  CHECK(v.status == Status::warn);
  CHECK_THAT(v.detail, Catch::Contains("alive but not listening on 127.0.0.1:" + closed.port()) &&
                           Catch::Contains("refused"));
}

TEST_CASE("iron-proxy-running: a symlink planted as the pidfile is refused", "[iron-proxy][live]") {
  const auto daemon = Daemon::named("iron-proxy");
  const Port port(AF_INET, true);
  Home home;
  const std::string real = home.dir.write("elsewhere.pid", std::to_string(daemon.pid()) + "\n");
  home.dir.mkdir("proxy");
  REQUIRE(::symlink(real.c_str(), (home.dir / "proxy/iron-proxy.pid").c_str()) == 0);
  home.listen_on("tunnel_listen", "127.0.0.1:" + port.port());
  const auto v = home.running();
  CHECK(v.status == Status::fail);
  CHECK_THAT(v.detail, Catch::StartsWith("refusing symlinked pidfile"));
}

TEST_CASE("iron-proxy-running: a symlink planted as the nonce is not trusted", "[iron-proxy][live]") {
  const auto daemon = Daemon::named("hermes-egress", "planted");
  const Port port(AF_INET, true);
  Home home;
  home.pidfile(daemon.pid());
  const std::string real = home.dir.write("planted.nonce", "planted\n");
  REQUIRE(::symlink(real.c_str(), (home.dir / "proxy/iron-proxy.nonce").c_str()) == 0);
  home.listen_on("tunnel_listen", "127.0.0.1:" + port.port());
  CHECK(home.running().status == Status::fail);
}

TEST_CASE("iron-proxy-running: an unreadable pidfile warns", "[iron-proxy][live]") {
  Home home;
  home.dir.write("proxy/iron-proxy.pid", "not a pid\n");
  const auto v = home.running();
  CHECK(v.status == Status::warn);
  CHECK_THAT(v.detail, Catch::Contains("\"not a pid\""));
}
