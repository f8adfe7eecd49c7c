// The build tree runs with no flags: the bundled plugins and baselines are
// found beside the binary, and every bundled plugin ships at the tool's version.
// A site's own plugins (in /usr/local/lib/hermes-inspect/plugins) may add to the survey.
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <string>

TEST_CASE("the build tree runs with no flags: eight bundled plugins, ten signals, one version") {
  const auto version = hi::test::run_inspector({"--version"});
  REQUIRE(version.exit_code == 0);

  const auto r = hi::test::run_inspector({"run", "--json"});
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  const auto doc = r.json();
  const std::string tool_version = doc.at("tool").at("version");
  CHECK(version.out.rfind("hermes-inspect " + tool_version + " ", 0) == 0);

  const std::set<std::string> bundled{"docker-seccomp", "fail2ban", "firewalld", "iron-proxy",
                                      "nftables", "sshd", "tailscale", "ufw"};
  std::set<std::string> seen_plugins;
  for (const auto &p : doc.at("plugins")) {
    if (bundled.count(p.at("name")) == 0) continue;
    INFO(p.dump());
    CHECK(p.at("state") == "ok");
    CHECK(p.at("version") == tool_version);
    seen_plugins.insert(p.at("name").get<std::string>());
  }
  CHECK(seen_plugins == bundled);

  const std::set<std::string> ten{"tailscale", "ufw", "firewalld", "nftables", "fail2ban",
                                  "ssh-password-auth", "ssh-root-login", "iron-proxy-enabled",
                                  "iron-proxy-running", "docker-seccomp"};
  std::set<std::string> seen_signals;
  for (const auto &s : doc.at("signals"))
    if (ten.count(s.at("name")) != 0) seen_signals.insert(s.at("name").get<std::string>());
  CHECK(seen_signals == ten);
  CHECK(doc.at("baseline") == "minimal");
}
