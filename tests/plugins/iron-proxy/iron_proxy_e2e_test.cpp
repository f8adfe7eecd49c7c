// The built iron-proxy.so, run by the built hermes-inspect with --hermes-home:
// the core's own file reader (host paths, O_NOFOLLOW) and real processes.
#include "iron_proxy_support.hpp"

#include <catch2/catch.hpp>

namespace {

using iron_proxy_test::Daemon;
using iron_proxy_test::dead_pid;
using iron_proxy_test::Port;

nlohmann::json survey(const std::string &home, const std::vector<std::string> &extra = {}) {
  const hi::test::TempDir tools;
  std::vector<std::string> args{"run", "--json", "--only", "iron-proxy-enabled,iron-proxy-running",
                                "--tool-path", tools.path(), "--hermes-home", home};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto r = hi::test::run_inspector(args);
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);
  return r.json();
}

// Whether /proc can be mounted with hidepid in a private mount namespace, so
// that the host's own /proc is never touched.
bool hidepid_runs_here() {
  if (!hi::test::runs_here(::geteuid() == 0, "mounting /proc with hidepid and running the "
                                             "inspector as nobody need root"))
    return false;
  const auto mounted = hi::test::run_process(
      {hi::test::require_tool("unshare", "util-linux"), "-m", "--propagation", "private",
       hi::test::require_tool("mount", "mount"), "-t", "proc", "-o", "hidepid=2", "proc", "/proc"});
  return hi::test::runs_here(mounted.exit_code == 0,
                             "mount -t proc -o hidepid=2 refused in a private mount namespace: " +
                                 mounted.err);
}

// iron-proxy-running as nobody sees it with /proc mounted hidepid=N.
nlohmann::json running_as_nobody(int hidepid, const std::string &home) {
  const hi::test::TempDir tools;
  const auto r = hi::test::run_process(
      {hi::test::require_tool("unshare", "util-linux"), "-m", "--propagation", "private", "/bin/sh",
       "-c", "mount -t proc -o hidepid=" + std::to_string(hidepid) + " proc /proc && exec \"$@\"",
       "sh", hi::test::require_tool("setpriv", "util-linux"), "--reuid=65534", "--regid=65534",
       "--clear-groups", hi::test::inspector_binary(), "run", "--json", "--only",
       "iron-proxy-running", "--tool-path", tools.path(), "--hermes-home", home});
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);
  return hi::test::signal_of(r.json(), "iron-proxy-running");
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

TEST_CASE("iron-proxy end to end: --root moves neither the Hermes home nor /proc",
          "[iron-proxy][e2e]") {
  // Configuration files are read under --root, but the Hermes home is a host
  // path, and the pid it names lives in the running host's /proc. The root
  // holds decoys at the Hermes home's path and at /proc/<pid>.
  const hi::test::TempDir home;
  const hi::test::TempDir root;
  const std::string decoy = home.path().substr(1);
  const auto daemon = Daemon::named("iron-proxy");
  const std::string pid = std::to_string(daemon.pid());

  SECTION("a running proxy passes, whatever the root holds at the same paths") {
    const Port port(AF_INET, true);
    home.write("config.yaml", "proxy:\n  enabled: true\n");
    home.write("proxy/iron-proxy.pid", pid + "\n");
    home.write("proxy/proxy.yaml", "proxy:\n  tunnel_listen: \"127.0.0.1:" + port.port() + "\"\n");
    root.write(decoy + "/config.yaml", "proxy:\n  enabled: false\n");
    root.write(decoy + "/proxy/iron-proxy.pid", std::to_string(dead_pid()) + "\n");
    root.write("proc/" + pid + "/stat", pid + " (tail) Z 1 " + pid + "\n");
    root.write("proc/" + pid + "/cmdline", std::string("tail\0-f\0", 8));
    const auto report = survey(home.path() + "/", {"--root", root.path()});
    const auto enabled = hi::test::signal_of(report, "iron-proxy-enabled");
    CHECK(enabled.at("status") == "pass");
    CHECK(enabled.at("detail") == "proxy.enabled: true in config.yaml");
    const auto running = hi::test::signal_of(report, "iron-proxy-running");
    CHECK(running.at("status") == "pass");
    CHECK(running.at("detail") == "daemon pid=" + pid + " listening on 127.0.0.1:" + port.port());
  }
  SECTION("details and fixes name the Hermes home's own paths, once each") {
    home.write("config.yaml", "proxy:\n  enabled: false\n");
    home.mkdir("proxy");
    root.write(decoy + "/config.yaml", "proxy:\n  enabled: true\n");
    root.write(decoy + "/proxy/iron-proxy.pid", pid + "\n");
    const auto report = survey(home.path() + "/", {"--root", root.path()});
    const auto enabled = hi::test::signal_of(report, "iron-proxy-enabled");
    CHECK(enabled.at("status") == "fail");
    CHECK(enabled.at("detail") == "disabled in config.yaml");
    CHECK(enabled.at("fix") == "set proxy.enabled: true in " + home.path() + "/config.yaml");
    const auto running = hi::test::signal_of(report, "iron-proxy-running");
    CHECK(running.at("status") == "fail");
    CHECK(running.at("detail") == "no pidfile " + home.path() + "/proxy/iron-proxy.pid");
  }
  SECTION("a Hermes home that exists only under the root is absent") {
    const std::string inside = "/" + decoy + "/only-in-root";
    root.write(inside.substr(1) + "/config.yaml", "proxy:\n  enabled: true\n");
    const auto report = survey(inside, {"--root", root.path()});
    const auto enabled = hi::test::signal_of(report, "iron-proxy-enabled");
    CHECK(enabled.at("status") == "skip");
    CHECK(enabled.at("detail") == "Hermes home " + inside + " does not exist");
    CHECK(hi::test::signal_of(report, "iron-proxy-running").at("status") == "skip");
  }
}

TEST_CASE("iron-proxy end to end: as nobody behind hidepid, root's daemon needs root, a dead pid "
          "is still stale",
          "[iron-proxy][e2e]") {
  if (!hidepid_runs_here()) return;
  const hi::test::TempDir home;
  const auto daemon = Daemon::named("iron-proxy");
  const std::string pid = std::to_string(daemon.pid());
  for (const int hidepid : {2, 1}) {
    DYNAMIC_SECTION("root's daemon, hidepid=" << hidepid) {
      home.write("proxy/iron-proxy.pid", pid + "\n");
      const auto running = running_as_nobody(hidepid, home.path());
      CHECK(running.at("status") == "warn");
      CHECK(running.at("needs_root") == true);
      CHECK(running.at("detail") == "needs root: pid=" + pid + " exists but /proc/" + pid +
                                        " is not readable by this user (hidepid?), so it cannot "
                                        "be verified as iron-proxy");
    }
  }
  SECTION("a dead pid, hidepid=2") {
    const std::string dead = std::to_string(dead_pid());
    home.write("proxy/iron-proxy.pid", dead + "\n");
    const auto running = running_as_nobody(2, home.path());
    CHECK(running.at("status") == "fail");
    CHECK(running.at("needs_root") == false);
    CHECK(running.at("detail") == "iron-proxy pid=" + dead + " is not running (stale pidfile)");
  }
}
