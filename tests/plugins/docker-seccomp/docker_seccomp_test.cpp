// The docker-seccomp decisions (SIGNALS.md row 10) on captures of the real
// Docker CLI (fixtures/SOURCES.md).
#include "docker_seccomp.hpp"
#include "command_results.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

namespace {

using hermes_inspect::CommandResult;
using hermes_inspect::Status;

CommandResult fixture(const std::string &name, int exit_code) {
  const std::string base =
      hi::test::source_dir() + "/tests/plugins/docker-seccomp/fixtures/" + name;
  const CommandResult r =
      hi::test::exited(exit_code, hi::test::read_text(base + ".stdout"), hi::test::read_text(base + ".stderr"));
  REQUIRE_FALSE((r.out + r.err).empty());
  return r;
}

CommandResult output(const std::string &out, int exit_code = 0) { return hi::test::exited(exit_code, out); }

}  // namespace

TEST_CASE("docker-seccomp: the builtin profile passes and is named", "[docker-seccomp]") {
  const auto v = docker_seccomp::verdict(fixture("builtin", 0));
  CHECK(v.status == Status::pass);
  CHECK(v.detail == "seccomp profile=builtin");
  CHECK(v.fix.empty());
  CHECK_FALSE(v.needs_root);
}

TEST_CASE("docker-seccomp: default and custom profiles pass", "[docker-seccomp]") {
  const auto legacy = docker_seccomp::verdict(fixture("legacy-default", 0));
  CHECK(legacy.status == Status::pass);
  CHECK(legacy.detail == "seccomp profile=default");
  const auto custom = docker_seccomp::verdict(fixture("custom-profile", 0));
  CHECK(custom.status == Status::pass);
  CHECK(custom.detail == "seccomp profile=/etc/docker/seccomp.json");
}

TEST_CASE("docker-seccomp: profile=unconfined fails", "[docker-seccomp]") {
  const auto v = docker_seccomp::verdict(fixture("unconfined", 0));
  CHECK(v.status == Status::fail);
  CHECK_THAT(v.detail, Catch::Contains("unconfined"));
  CHECK_FALSE(v.fix.empty());
}

TEST_CASE("docker-seccomp: no seccomp entry fails and lists what is there", "[docker-seccomp]") {
  const auto v = docker_seccomp::verdict(fixture("no-seccomp", 0));
  CHECK(v.status == Status::fail);
  CHECK_THAT(v.detail, Catch::Contains("no seccomp") && Catch::Contains("apparmor, cgroupns"));
  CHECK(docker_seccomp::verdict(output("[]\n")).status == Status::fail);
}

TEST_CASE("docker-seccomp: null with exit 0 fails (no security options)", "[docker-seccomp]") {
  const auto v = docker_seccomp::verdict(fixture("null-options", 0));
  CHECK(v.status == Status::fail);
  CHECK_THAT(v.detail, Catch::Contains("no security options"));
}

TEST_CASE("docker-seccomp: null with exit 1 (daemon down) warns", "[docker-seccomp]") {
  const auto v = docker_seccomp::verdict(fixture("no-daemon", 1));
  CHECK(v.status == Status::warn);
  CHECK_THAT(v.detail, Catch::Contains("Cannot connect to the Docker daemon"));
  CHECK(v.detail.size() <= std::string("docker daemon not reachable: \"\"...").size() + 80);
  CHECK_FALSE(v.needs_root);
}

TEST_CASE("docker-seccomp: permission denied on the socket warns with needs_root",
          "[docker-seccomp]") {
  const auto v = docker_seccomp::verdict(fixture("permission-denied", 1));
  CHECK(v.status == Status::warn);
  CHECK(v.needs_root);
  CHECK_THAT(v.detail, Catch::StartsWith("needs root"));
}

TEST_CASE("docker-seccomp: unparseable output warns and quotes at most 80 characters",
          "[docker-seccomp]") {
  const std::string garbage = "WARNING: " + std::string(200, 'x');
  const auto v = docker_seccomp::verdict(output(garbage));
  CHECK(v.status == Status::warn);
  CHECK_THAT(v.detail, Catch::Contains("\"WARNING: xxx"));
  CHECK_THAT(v.detail, !Catch::Contains(std::string(81, 'x')));
  CHECK(docker_seccomp::verdict(output("[1,2]")).status == Status::warn);
  CHECK(docker_seccomp::verdict(output("{\"name\":\"seccomp\"}")).status == Status::warn);
}

TEST_CASE("docker-seccomp: missing, hung and killed docker", "[docker-seccomp]") {
  const auto m = docker_seccomp::verdict(hi::test::not_installed());
  CHECK(m.status == Status::skip);
  CHECK(m.detail == "docker not installed");
  CHECK(m.fix == docker_seccomp::kInstallFix);

  const auto h = docker_seccomp::verdict(hi::test::timed_out_after(4000));
  CHECK(h.status == Status::skip);
  CHECK(h.detail == "timed out after 4s");
}
