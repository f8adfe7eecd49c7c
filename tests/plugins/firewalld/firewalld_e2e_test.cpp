// The built firewalld.so, run by the built hermes-inspect with a fake
// `firewall-cmd` on --tool-path that answers only to exactly `--state`.
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace {

const std::string kFixtures = HI_FIREWALLD_FIXTURES;

void write_firewall_cmd(const hi::test::TempDir &tools, const std::string &out,
                        const std::string &err, int exit_code) {
  hi::test::write_strict_fake_tool(tools, "firewall-cmd", {"--state"}, out, err, exit_code);
}

void write_capture(const hi::test::TempDir &tools, const std::string &capture) {
  const std::string base = kFixtures + "/" + capture;
  write_firewall_cmd(tools, hi::test::read_text(base + ".stdout"),
                     hi::test::read_text(base + ".stderr"),
                     std::stoi(hi::test::read_text(base + ".exit")));
}

nlohmann::json survey(const hi::test::TempDir &tools) {
  const hi::test::TempDir root;
  return hi::test::survey_signal("firewalld", tools.path(), root.path());
}

}  // namespace

TEST_CASE("firewalld end to end: verdicts in run --json", "[firewalld][e2e]") {
  const hi::test::TempDir tools;
  SECTION("running -> pass") {
    write_capture(tools, "running");
    const auto s = survey(tools);
    CHECK(s.at("status") == "pass");
    CHECK(s.at("detail") == "running");
    CHECK(s.at("needs_root") == false);
    CHECK(s.at("plugin") == "firewalld");
  }
  SECTION("not running (exit 252) -> fail") {
    write_capture(tools, "not-running");
    const auto s = survey(tools);
    CHECK(s.at("status") == "fail");
    CHECK(s.at("detail") == "firewall-cmd --state said \"not running\" (exit 252)");
  }
  SECTION("\"not running\" on stdout with exit 0 -> fail") {
    write_firewall_cmd(tools, "not running\n", "", 0);
    CHECK(survey(tools).at("status") == "fail");
  }
  SECTION("firewall-cmd not on the tool path -> skip") {
    const auto s = survey(tools);
    CHECK(s.at("status") == "skip");
    CHECK(s.at("detail") == "firewall-cmd not installed");
  }
}
