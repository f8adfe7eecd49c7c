// iron-proxy-enabled (SIGNALS.md row 8) and the pure parts of
// iron-proxy-running (row 9): tunnel address, process identity.
#include "iron_proxy_support.hpp"

#include <catch2/catch.hpp>

namespace {

using hermes_inspect::Status;
using iron_proxy_test::read_host;

// A reader that answers `denied` with a permission error, as for a non-root
// inspector (root reads anything, so the real error cannot be provoked here).
iron_proxy::ReadFile denying(const std::string &denied) {
  return [denied](const std::string &path, uint32_t flags) {
    if (path == denied) return iron_proxy::FileRead{HI_ERR_PERMISSION, "", path + ": denied"};
    return read_host(path, flags);
  };
}

// /proc/<pid>/... as hidepid shows another user's process: hidepid=2 hides it
// (HI_ERR_NOT_FOUND, as for a dead pid), hidepid=1 refuses it (HI_ERR_PERMISSION).
iron_proxy::ReadFile hiding_proc(int pid, int code) {
  const std::string proc = "/proc/" + std::to_string(pid) + "/";
  return [proc, code](const std::string &path, uint32_t flags) {
    if (path.rfind(proc, 0) == 0) return iron_proxy::FileRead{code, "", "open " + path + ": hidden"};
    return read_host(path, flags);
  };
}

}  // namespace

TEST_CASE("iron-proxy: endpoints", "[iron-proxy]") {
  const auto v4 = iron_proxy::parse_endpoint("10.0.0.5:8443");
  REQUIRE(v4);
  CHECK(v4->host == "10.0.0.5");
  CHECK(v4->port == 8443);
  CHECK(iron_proxy::parse_endpoint(":9091")->text() == "127.0.0.1:9091");
  const auto v6 = iron_proxy::parse_endpoint("[::1]:9092");
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(v6->text() == "[::1]:9092");
  for (const char *bad : {"", "9090", "host:", "host:0", "host:65536", "host:90a", "::1:9090",
                          "[::1]9090", "[::1]:"}) {
    INFO(bad);
    CHECK_FALSE(iron_proxy::parse_endpoint(bad));
  }
}

TEST_CASE("iron-proxy: tunnel address precedence", "[iron-proxy]") {
  std::string error;
  CHECK(iron_proxy::tunnel_endpoint(std::nullopt, &error)->text() == "127.0.0.1:9090");
  CHECK(iron_proxy::tunnel_endpoint(std::string("proxy: {}\n"), &error)->text() == "127.0.0.1:9090");
  CHECK(iron_proxy::tunnel_endpoint(std::string("proxy:\n  http_listen: \":8080\"\n"), &error)
            ->text() == "127.0.0.1:8080");
  CHECK(iron_proxy::tunnel_endpoint(
            std::string("proxy:\n  http_listen: 127.0.0.1:8080\n  tunnel_listen: \"[::1]:8081\"\n"),
            &error)
            ->text() == "[::1]:8081");
  CHECK_FALSE(iron_proxy::tunnel_endpoint(std::string("proxy:\n  tunnel_listen: nowhere\n"), &error));
  CHECK_THAT(error, Catch::Contains("tunnel_listen"));
  CHECK_FALSE(iron_proxy::tunnel_endpoint(std::string("proxy: [unclosed\n"), &error));
  CHECK_THAT(error, Catch::Contains("unparseable"));
}

TEST_CASE("iron-proxy: which processes are iron-proxy", "[iron-proxy]") {
  using std::string_literals::operator""s;
  const auto env = "PATH=/usr/bin\0HERMES_IRON_PROXY_NONCE=s3cr3t\0HOME=/root\0"s;
  CHECK(iron_proxy::is_iron_proxy("/usr/local/bin/iron-proxy\0--config\0x\0"s, std::nullopt,
                                  std::nullopt));
  CHECK(iron_proxy::is_iron_proxy("iron-proxy-linux-amd64\0"s, std::nullopt, std::nullopt));
  CHECK(iron_proxy::is_iron_proxy("/usr/bin/python3\0agent.py\0"s, env, "s3cr3t\n"s));
  CHECK_FALSE(iron_proxy::is_iron_proxy("tail\0-f\0/root/.hermes/proxy/iron-proxy.log\0"s, env,
                                        "other\n"s));
  CHECK_FALSE(iron_proxy::is_iron_proxy("/usr/bin/python3\0agent.py\0"s, env, std::nullopt));
  CHECK_FALSE(iron_proxy::is_iron_proxy("/usr/bin/python3\0agent.py\0"s,
                                        "HERMES_IRON_PROXY_NONCE=s3cr3tX\0"s, "s3cr3t"s));
  CHECK_FALSE(iron_proxy::is_iron_proxy("/opt/bin/not-iron-proxy\0"s, std::nullopt, std::nullopt));
  CHECK_FALSE(iron_proxy::is_iron_proxy(""s, env, ""s));
}

TEST_CASE("iron-proxy-enabled: a missing Hermes home skips both signals", "[iron-proxy]") {
  hi::test::TempDir dir;
  const std::string home = dir / "absent";
  const auto enabled = iron_proxy::enabled_verdict(home, read_host);
  CHECK(enabled.status == Status::skip);
  CHECK(enabled.detail == "Hermes home " + home + " does not exist");
  CHECK(iron_proxy::running_verdict(home, read_host).status == Status::skip);
}

TEST_CASE("iron-proxy-enabled: proxy.enabled true in config.yaml passes", "[iron-proxy]") {
  hi::test::TempDir home;
  home.write("config.yaml", "model: x\nproxy:\n  enabled: true\n");
  const auto v = iron_proxy::enabled_verdict(home.path(), read_host);
  CHECK(v.status == Status::pass);
  CHECK(v.detail == "proxy.enabled: true in config.yaml");
}

TEST_CASE("iron-proxy-enabled: an explicit false fails even with the proxy files present",
          "[iron-proxy]") {
  hi::test::TempDir home;
  home.write("config.yaml", "proxy: {enabled: false}\n");
  home.write("proxy/proxy.yaml", "proxy:\n  http_listen: 127.0.0.1:9090\n");
  home.write("proxy/ca.crt", "-----BEGIN CERTIFICATE-----\n");
  const auto v = iron_proxy::enabled_verdict(home.path() + "/", read_host);
  CHECK(v.status == Status::fail);
  CHECK(v.detail == "disabled in config.yaml");
  CHECK(v.fix == "set proxy.enabled: true in " + home.path() + "/config.yaml");
}

TEST_CASE("iron-proxy-enabled: without proxy.enabled, proxy.yaml and ca.crt pass",
          "[iron-proxy]") {
  hi::test::TempDir home;
  home.write("config.yaml", "model: x\n");
  home.write("proxy/proxy.yaml", "proxy: {}\n");
  home.write("proxy/ca.crt", "-----BEGIN CERTIFICATE-----\n", 0600);
  CHECK(iron_proxy::enabled_verdict(home.path(), read_host).status == Status::pass);
}

TEST_CASE("iron-proxy-enabled: not configured fails, naming what is missing", "[iron-proxy]") {
  hi::test::TempDir home;
  home.write("proxy/proxy.yaml", "proxy: {}\n");
  const auto v = iron_proxy::enabled_verdict(home.path(), read_host);
  CHECK(v.status == Status::fail);
  CHECK(v.detail == "not configured: no proxy.enabled in config.yaml, proxy/ca.crt missing");

  hi::test::TempDir empty;
  const auto e = iron_proxy::enabled_verdict(empty.path(), read_host);
  CHECK(e.status == Status::fail);
  CHECK_THAT(e.detail, Catch::EndsWith("proxy/proxy.yaml, proxy/ca.crt missing"));
}

TEST_CASE("iron-proxy-enabled: an unreadable or malformed config.yaml warns", "[iron-proxy]") {
  hi::test::TempDir home;
  home.write("config.yaml", "proxy:\n  enabled: [true\n");
  const auto broken = iron_proxy::enabled_verdict(home.path(), read_host);
  CHECK(broken.status == Status::warn);
  CHECK_THAT(broken.detail, Catch::StartsWith("config.yaml unparseable"));

  home.write("config.yaml", "proxy:\n  enabled: sometimes\n");
  const auto odd = iron_proxy::enabled_verdict(home.path(), read_host);
  CHECK(odd.status == Status::warn);
  CHECK_THAT(odd.detail, Catch::Contains("not a boolean") && Catch::Contains("sometimes"));

  home.write("config.yaml", "proxy:\n  enabled: true\n");
  const auto denied = iron_proxy::enabled_verdict(home.path(), denying(home / "config.yaml"));
  CHECK(denied.status == Status::warn);
  CHECK(denied.needs_root);
}

TEST_CASE("iron-proxy-running: a pid /proc will not show is told from a dead one by kill(pid, 0)",
          "[iron-proxy]") {
  using iron_proxy::PidLiveness;
  constexpr int kPid = 4242;
  hi::test::TempDir home;
  home.write("proxy/iron-proxy.pid", "4242\n");
  std::vector<int> asked;
  const auto kill_says = [&asked](PidLiveness liveness) {
    return [&asked, liveness](int pid) {
      asked.push_back(pid);
      return liveness;
    };
  };
  for (const auto &[code, mount] : {std::pair{HI_ERR_NOT_FOUND, "hidepid=2"},
                                    std::pair{HI_ERR_PERMISSION, "hidepid=1"}}) {
    INFO(mount);
    const auto read = hiding_proc(kPid, code);

    const auto hidden =
        iron_proxy::running_verdict(home.path(), read, kill_says(PidLiveness::alive_other_user));
    CHECK(hidden.status == Status::warn);
    CHECK(hidden.needs_root);
    CHECK(hidden.detail == "needs root: pid=4242 exists but /proc/4242 is not readable by this "
                           "user (hidepid?), so it cannot be verified as iron-proxy");
    CHECK(hidden.fix == "run as root or as the user that runs the Hermes agent");

    const auto dead = iron_proxy::running_verdict(home.path(), read, kill_says(PidLiveness::dead));
    CHECK(dead.status == Status::fail);
    CHECK_FALSE(dead.needs_root);
    CHECK(dead.detail == "iron-proxy pid=4242 is not running (stale pidfile)");

    // A pid this user may signal is its own (or the user is root), which
    // hidepid never hides: /proc itself is missing or refused.
    const auto ours = iron_proxy::running_verdict(home.path(), read, kill_says(PidLiveness::alive));
    CHECK(ours.status == Status::warn);
    CHECK(ours.needs_root == (code == HI_ERR_PERMISSION));
    CHECK_THAT(ours.detail, Catch::Contains("/proc/4242"));
  }
  CHECK(asked == std::vector<int>(6, kPid));
}

TEST_CASE("iron-proxy-running: kill(pid, 0) is asked only when /proc cannot answer",
          "[iron-proxy]") {
  using iron_proxy::PidLiveness;
  hi::test::TempDir home;
  home.write("proxy/iron-proxy.pid", "4242\n");
  bool asked = false;
  const iron_proxy::CheckPid alive = [&asked](int) {
    asked = true;
    return PidLiveness::alive;
  };
  // A zombie is dead whatever kill says: it still has a pid to signal.
  const iron_proxy::ReadFile zombie = [](const std::string &path, uint32_t flags) {
    if (path == "/proc/4242/stat")
      return iron_proxy::FileRead{HI_OK, "4242 (iron-proxy) Z 1 4242", ""};
    if (path == "/proc/4242/cmdline") return iron_proxy::FileRead{HI_OK, "", ""};
    return read_host(path, flags);
  };
  CHECK(iron_proxy::running_verdict(home.path(), zombie, alive).status == Status::fail);
  CHECK_FALSE(asked);

  // Gone between the two reads: stat was there, cmdline no longer is.
  const iron_proxy::ReadFile vanishing = [](const std::string &path, uint32_t flags) {
    if (path == "/proc/4242/stat")
      return iron_proxy::FileRead{HI_OK, "4242 (iron-proxy) S 1 4242", ""};
    if (path == "/proc/4242/cmdline") return iron_proxy::FileRead{HI_ERR_NOT_FOUND, "", "gone"};
    return read_host(path, flags);
  };
  const auto v = iron_proxy::running_verdict(home.path(), vanishing,
                                             [](int) { return PidLiveness::dead; });
  CHECK(v.status == Status::fail);
  CHECK_THAT(v.detail, Catch::EndsWith("(stale pidfile)"));
}
