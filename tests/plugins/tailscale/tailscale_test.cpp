// The tailscale decisions (SIGNALS.md row 1) on outputs written from
// Tailscale's source (fixtures/SOURCES.md).
#include "tailscale_status.hpp"
#include "command_results.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

namespace {

using hermes_inspect::CommandResult;
using hermes_inspect::Status;

std::string fixture_text(const std::string &file) {
  const std::string text =
      hi::test::read_text(hi::test::source_dir() + "/tests/plugins/tailscale/fixtures/" + file);
  REQUIRE_FALSE(text.empty());
  return text;
}

CommandResult status_json(const std::string &name) { return hi::test::exited(0, fixture_text(name + ".json")); }

CommandResult cli_error(const std::string &file) { return hi::test::exited(1, "", fixture_text(file)); }

}  // namespace

TEST_CASE("tailscale: BackendState Running passes", "[tailscale]") {
  const auto v = tailscale::verdict(status_json("running"));
  CHECK(v.status == Status::pass);
  CHECK(v.detail == "BackendState=Running (100.101.102.103)");
  CHECK(v.fix.empty());
  CHECK_FALSE(v.needs_root);
}

TEST_CASE("tailscale: every other BackendState fails, naming it", "[tailscale]") {
  const std::pair<const char *, const char *> cases[] = {
      {"stopped", "Stopped"},
      {"needs-login", "NeedsLogin"},
      {"needs-machine-auth", "NeedsMachineAuth"},
      {"starting", "Starting"},
      {"nostate", "NoState"}};
  for (const auto &[file, state] : cases) {
    INFO(file);
    const auto v = tailscale::verdict(status_json(file));
    CHECK(v.status == Status::fail);
    CHECK(v.detail == std::string("BackendState=") + state);
    CHECK_FALSE(v.fix.empty());
  }
}

TEST_CASE("tailscale: a state this build does not know fails too", "[tailscale]") {
  const auto v = tailscale::verdict(hi::test::exited(0, R"({"BackendState": "InUseOtherUser", "Self": null})"));
  CHECK(v.status == Status::fail);
  CHECK(v.detail == "BackendState=InUseOtherUser");
}

TEST_CASE("tailscale: tailscaled not reachable fails", "[tailscale]") {
  for (const char *file : {"no-daemon.stderr", "daemon-unreachable.stderr"}) {
    INFO(file);
    const auto v = tailscale::verdict(cli_error(file));
    CHECK(v.status == Status::fail);
    CHECK_THAT(v.detail, Catch::Contains("tailscaled not reachable"));
    CHECK(v.fix == "systemctl enable --now tailscaled");
  }
}

TEST_CASE("tailscale: non-JSON output warns, quoting at most 80 characters", "[tailscale]") {
  CommandResult r = hi::test::exited(0, "Tailscale is stopped.\n" + std::string(120, '#'));
  const auto v = tailscale::verdict(r);
  CHECK(v.status == Status::warn);
  CHECK_THAT(v.detail, Catch::Contains("\"Tailscale is stopped."));
  CHECK_THAT(v.detail, !Catch::Contains(std::string(80, '#')));

  r.out = R"({"Version": "1.76.6"})";
  CHECK(tailscale::verdict(r).status == Status::warn);
  r.out = R"({"BackendState": 3})";
  CHECK(tailscale::verdict(r).status == Status::warn);
}

TEST_CASE("tailscale: an unknown CLI error warns with its text", "[tailscale]") {
  const auto v = tailscale::verdict(hi::test::exited(1, "", "tailscale: unknown subcommand: status2\n"));
  CHECK(v.status == Status::warn);
  CHECK_THAT(v.detail, Catch::Contains("unknown subcommand"));
}

TEST_CASE("tailscale: missing, hung and killed CLI", "[tailscale]") {
  const auto m = tailscale::verdict(hi::test::not_installed());
  CHECK(m.status == Status::skip);
  CHECK(m.detail == "tailscale not installed");
  CHECK(m.fix == tailscale::kInstallFix);

  CHECK(tailscale::verdict(hi::test::timed_out_after(4000)).detail == "timed out after 4s");
  CHECK(tailscale::verdict(hi::test::killed_by(9)).status == Status::warn);
}
