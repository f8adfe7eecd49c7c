// The built iron-proxy.so, run by the built hermes-inspect with --hermes-home:
// the core's own file reader (host paths, O_NOFOLLOW) and real processes.
#include "iron_proxy_support.hpp"

#include <catch2/catch.hpp>

namespace {

using iron_proxy_test::Daemon;
using iron_proxy_test::Port;

nlohmann::json survey(const std::string &home) {
  const hi::test::TempDir tools;
  const auto r = hi::test::run_inspector({"run", "--json", "--only",
                                          "iron-proxy-enabled,iron-proxy-running", "--tool-path",
                                          tools.path(), "--hermes-home", home});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);
  return r.json();
}

}  // namespace

TEST_CASE("iron-proxy end to end: an enabled, running, listening proxy passes both",
          "[iron-proxy][e2e]") {
  const auto daemon = Daemon::named("iron-proxy");
  const Port port(AF_INET, true);
  const hi::test::TempDir home;
  home.write("config.yaml", "proxy:\n  enabled: true\n");
  home.write("proxy/iron-proxy.pid", std::to_string(daemon.pid()) + "\n");
  home.write("proxy/proxy.yaml", "proxy:\n  tunnel_listen: \"127.0.0.1:" + port.port() + "\"\n");
  const auto report = survey(home.path());
  const auto enabled = hi::test::signal_of(report, "iron-proxy-enabled");
  CHECK(enabled.at("status") == "pass");
  CHECK(enabled.at("plugin") == "iron-proxy");
  const auto running = hi::test::signal_of(report, "iron-proxy-running");
  CHECK(running.at("status") == "pass");
  CHECK(running.at("detail") == "daemon pid=" + std::to_string(daemon.pid()) +
                                    " listening on 127.0.0.1:" + port.port());
  CHECK(running.at("needs_root") == false);
}

TEST_CASE("iron-proxy end to end: disabled, and a symlinked pidfile refused",
          "[iron-proxy][e2e]") {
  const auto daemon = Daemon::named("iron-proxy");
  const Port port(AF_INET, true);
  const hi::test::TempDir home;
  home.write("config.yaml", "proxy:\n  enabled: false\n");
  const std::string real = home.write("planted.pid", std::to_string(daemon.pid()) + "\n");
  home.mkdir("proxy");
  REQUIRE(::symlink(real.c_str(), (home / "proxy/iron-proxy.pid").c_str()) == 0);
  home.write("proxy/proxy.yaml", "proxy:\n  tunnel_listen: \"127.0.0.1:" + port.port() + "\"\n");
  const auto report = survey(home.path());
  const auto enabled = hi::test::signal_of(report, "iron-proxy-enabled");
  CHECK(enabled.at("status") == "fail");
  CHECK(enabled.at("detail") == "disabled in config.yaml");
  const auto running = hi::test::signal_of(report, "iron-proxy-running");
  CHECK(running.at("status") == "fail");
  CHECK_THAT(running.at("detail").get<std::string>(), Catch::StartsWith("refusing symlinked pidfile"));
}

TEST_CASE("iron-proxy end to end: an impostor pid fails, a silent daemon warns",
          "[iron-proxy][e2e]") {
  const hi::test::TempDir home;
  home.write("proxy/proxy.yaml", "proxy: {}\n");
  home.write("proxy/ca.crt", "-----BEGIN CERTIFICATE-----\n");
  home.write("proxy/iron-proxy.nonce", "expected\n", 0600);
  SECTION("tail with the wrong nonce") {
    const auto impostor = Daemon::named("tail", "unexpected");
    home.write("proxy/iron-proxy.pid", std::to_string(impostor.pid()) + "\n");
    const auto report = survey(home.path());
    CHECK(hi::test::signal_of(report, "iron-proxy-enabled").at("status") == "pass");
    const auto running = hi::test::signal_of(report, "iron-proxy-running");
    CHECK(running.at("status") == "fail");
    CHECK_THAT(running.at("detail").get<std::string>(), Catch::Contains("PID recycled"));
  }
  SECTION("the right nonce, nothing listening") {
    const auto daemon = Daemon::named("hermes-egress", "expected");
    const Port closed(AF_INET, false);
    home.write("proxy/iron-proxy.pid", std::to_string(daemon.pid()) + "\n");
    home.write("proxy/proxy.yaml", "proxy:\n  http_listen: \":" + closed.port() + "\"\n");
    const auto running = hi::test::signal_of(survey(home.path()), "iron-proxy-running");
    CHECK(running.at("status") == "warn");
    CHECK_THAT(running.at("detail").get<std::string>(),
               Catch::Contains("not listening on 127.0.0.1:" + closed.port()));
  }
}

TEST_CASE("iron-proxy end to end: a missing Hermes home skips both", "[iron-proxy][e2e]") {
  const hi::test::TempDir parent;
  const auto report = survey(parent / "no-such-home");
  CHECK(hi::test::signal_of(report, "iron-proxy-enabled").at("status") == "skip");
  CHECK(hi::test::signal_of(report, "iron-proxy-running").at("status") == "skip");
}
