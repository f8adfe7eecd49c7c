// iron-proxy-running (SIGNALS.md row 9) against real processes and sockets:
// daemons made with `exec -a`, impostors, dead and recycled pids, a listener
// the test owns, and a planted symlink. Every process started here is killed
// by its pid when its owner goes out of scope.
#include "iron_proxy_support.hpp"

#include <catch2/catch.hpp>


namespace {

using hermes_inspect::Status;
using iron_proxy_test::Daemon;
using iron_proxy_test::dead_pid;
using iron_proxy_test::Port;
using iron_proxy_test::read_host;

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

TEST_CASE("iron-proxy-running: kill(pid, 0) tells live pids from dead ones", "[iron-proxy][live]") {
  using iron_proxy::PidLiveness;
  CHECK(iron_proxy::pid_liveness(::getpid()) == PidLiveness::alive);
  const auto daemon = Daemon::named("iron-proxy");
  CHECK(iron_proxy::pid_liveness(daemon.pid()) == PidLiveness::alive);
  CHECK(iron_proxy::pid_liveness(dead_pid()) == PidLiveness::dead);
  // 0 and -1 would ask kill about process groups, not one process.
  CHECK(iron_proxy::pid_liveness(0) == PidLiveness::dead);
  CHECK(iron_proxy::pid_liveness(-1) == PidLiveness::dead);
}
