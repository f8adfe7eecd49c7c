// The built tailscale.so, run by the built hermes-inspect with a fake
// `tailscale` on --tool-path that replays a fixture only when called with
// exactly `tailscale status --json`.
#include "test_support.hpp"

#include <catch2/catch.hpp>

namespace {

const std::string kFixtures = hi::test::source_dir() + "/tests/plugins/tailscale/fixtures/";

void write_tailscale(const hi::test::TempDir &tools, const std::string &out,
                     const std::string &err, int exit_code) {
  hi::test::write_strict_fake_tool(tools, "tailscale", {"status", "--json"}, out, err, exit_code);
}

nlohmann::json survey(const hi::test::TempDir &tools) { return hi::test::survey_signal("tailscale", tools.path()); }

}  // namespace

TEST_CASE("tailscale end to end: verdicts in run --json", "[tailscale][e2e]") {
  const hi::test::TempDir tools;
  SECTION("Running -> pass") {
    write_tailscale(tools, hi::test::read_text(kFixtures + "running.json"), "", 0);
    const auto s = survey(tools);
    CHECK(s.at("status") == "pass");
    CHECK(s.at("detail") == "BackendState=Running (100.101.102.103)");
    CHECK(s.at("fix").is_null());
    CHECK(s.at("needs_root") == false);
  }
  SECTION("NeedsLogin -> fail") {
    write_tailscale(tools, hi::test::read_text(kFixtures + "needs-login.json"), "", 0);
    const auto s = survey(tools);
    CHECK(s.at("status") == "fail");
    CHECK(s.at("detail") == "BackendState=NeedsLogin");
    CHECK(s.at("fix") == "tailscale up");
  }
  SECTION("no tailscaled -> fail") {
    write_tailscale(tools, "", hi::test::read_text(kFixtures + "no-daemon.stderr"), 1);
    CHECK(survey(tools).at("status") == "fail");
  }
  SECTION("non-JSON -> warn") {
    write_tailscale(tools, "Tailscale is stopped.\n", "", 1);
    const auto s = survey(tools);
    CHECK(s.at("status") == "warn");
    CHECK(s.at("detail") == "unexpected tailscale output: \"Tailscale is stopped.\"");
  }
  SECTION("not installed -> skip") {
    const auto s = survey(tools);
    CHECK(s.at("status") == "skip");
    CHECK(s.at("detail") == "tailscale not installed");
  }
}
