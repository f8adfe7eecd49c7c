// The built docker-seccomp.so, run by the built hermes-inspect with a fake
// `docker` on --tool-path that replays a capture only when called with exactly
// `docker info --format '{{json .SecurityOptions}}'`.
#include "test_support.hpp"

#include <catch2/catch.hpp>

namespace {

const std::string kFixtures = hi::test::source_dir() + "/tests/plugins/docker-seccomp/fixtures/";

void write_docker(const hi::test::TempDir &tools, const std::string &capture, int exit_code) {
  hi::test::write_strict_fake_tool(tools, "docker", {"info", "--format", "{{json .SecurityOptions}}"},
                                   hi::test::read_text(kFixtures + capture + ".stdout"),
                                   hi::test::read_text(kFixtures + capture + ".stderr"), exit_code);
}

nlohmann::json survey(const hi::test::TempDir &tools) {
  return hi::test::survey_signal("docker-seccomp", tools.path());
}

}  // namespace

TEST_CASE("docker-seccomp end to end: verdicts in run --json", "[docker-seccomp][e2e]") {
  const hi::test::TempDir tools;
  SECTION("builtin profile -> pass") {
    write_docker(tools, "builtin", 0);
    const auto s = survey(tools);
    CHECK(s.at("status") == "pass");
    CHECK(s.at("detail") == "seccomp profile=builtin");
    CHECK(s.at("needs_root") == false);
  }
  SECTION("unconfined -> fail") {
    write_docker(tools, "unconfined", 0);
    CHECK(survey(tools).at("status") == "fail");
  }
  SECTION("null, exit 0 -> fail") {
    write_docker(tools, "null-options", 0);
    CHECK(survey(tools).at("status") == "fail");
  }
  SECTION("null, exit 1 (daemon down) -> warn") {
    write_docker(tools, "no-daemon", 1);
    const auto s = survey(tools);
    CHECK(s.at("status") == "warn");
    CHECK(s.at("needs_root") == false);
  }
  SECTION("permission denied -> warn + needs_root") {
    write_docker(tools, "permission-denied", 1);
    const auto s = survey(tools);
    CHECK(s.at("status") == "warn");
    CHECK(s.at("needs_root") == true);
  }
  SECTION("not installed -> skip") {
    CHECK(survey(tools).at("detail") == "docker not installed");
  }
}
