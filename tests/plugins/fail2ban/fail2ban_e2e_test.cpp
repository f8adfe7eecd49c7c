// The built fail2ban.so, run by the built hermes-inspect with a fake
// `fail2ban-client` on --tool-path that replays a capture only when called
// with exactly `fail2ban-client status`.
#include "test_support.hpp"

#include <catch2/catch.hpp>

namespace {

const std::string kFixtures = hi::test::source_dir() + "/tests/plugins/fail2ban/fixtures/";

void write_client(const hi::test::TempDir &tools, const std::string &capture, int exit_code) {
  hi::test::write_strict_fake_tool(tools, "fail2ban-client", {"status"},
                                   hi::test::read_text(kFixtures + capture + ".stdout"),
                                   hi::test::read_text(kFixtures + capture + ".stderr"), exit_code);
}

nlohmann::json survey(const hi::test::TempDir &tools) { return hi::test::survey_signal("fail2ban", tools.path()); }

}  // namespace

TEST_CASE("fail2ban end to end: verdicts in run --json", "[fail2ban][e2e]") {
  const hi::test::TempDir tools;
  SECTION("sshd and recidive -> pass") {
    write_client(tools, "two-jails", 0);
    const auto s = survey(tools);
    CHECK(s.at("status") == "pass");
    CHECK(s.at("detail") == "2 jails: recidive, sshd");
    CHECK(s.at("needs_root") == false);
  }
  SECTION("no sshd jail -> pass with a note") {
    write_client(tools, "one-jail-no-sshd", 0);
    CHECK(survey(tools).at("detail") == "1 jail: nginx-http-auth (no sshd jail)");
  }
  SECTION("zero jails -> fail") {
    write_client(tools, "no-jails", 0);
    CHECK(survey(tools).at("status") == "fail");
  }
  SECTION("no server -> fail") {
    write_client(tools, "no-server", 255);
    const auto s = survey(tools);
    CHECK(s.at("status") == "fail");
    CHECK(s.at("detail") == "fail2ban server not running");
  }
  SECTION("stale socket -> fail") {
    write_client(tools, "stale-socket", 255);
    CHECK(survey(tools).at("status") == "fail");
  }
  SECTION("permission denied -> warn + needs_root") {
    write_client(tools, "permission-denied", 255);
    const auto s = survey(tools);
    CHECK(s.at("status") == "warn");
    CHECK(s.at("needs_root") == true);
  }
  SECTION("not installed -> skip") {
    CHECK(survey(tools).at("detail") == "fail2ban-client not installed");
  }
}
