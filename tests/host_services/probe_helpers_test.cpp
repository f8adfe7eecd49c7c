// probe.hpp's Host::run and unavailable_tool_verdict over a scripted host
// table: a command that could not be started is told apart from one that exited.
#include "command_results.hpp"

#include <hermes_inspect/probe.hpp>

#include <catch2/catch.hpp>

#include <string>

namespace {

using hermes_inspect::CommandResult;
using hermes_inspect::Host;
using hermes_inspect::Status;

// What the scripted run() answers.
struct Script {
  int rc = HI_OK;
  std::string last_error;
  hi_command_result result{};
};

Script &script_of(void *ctx) { return *static_cast<Script *>(ctx); }

int scripted_run(void *ctx, const hi_command *, hi_command_result *out) {
  const Script &s = script_of(ctx);
  if (s.rc != HI_OK) return s.rc;
  *out = s.result;
  return HI_OK;
}

const char *scripted_last_error(void *ctx) { return script_of(ctx).last_error.c_str(); }

const char *scripted_setting(void *, const char *) { return "4000"; }

CommandResult run_with(Script &script) {
  const hi_host table{sizeof(hi_host), HI_ABI_MAJOR, HI_ABI_MINOR, &script, scripted_run, nullptr, nullptr,
                      scripted_setting, nullptr, nullptr, nullptr, scripted_last_error};
  return Host(&table).run({"ufw", "status"});
}

}  // namespace

TEST_CASE("a command that could not be started carries the reason and never counts as exited") {
  Script script;
  script.rc = HI_ERR_IO;
  script.last_error = "exec /usr/sbin/ufw: Exec format error";
  const CommandResult r = run_with(script);
  CHECK(r.start_error == "exec /usr/sbin/ufw: Exec format error");
  CHECK_FALSE(r.not_found);
  CHECK_FALSE(r.exited());
  CHECK_FALSE(r.succeeded());
  const auto v = hermes_inspect::unavailable_tool_verdict(r, "ufw", "apt install ufw");
  REQUIRE(v.has_value());
  CHECK(v->status == Status::warn);
  CHECK(v->detail == "could not run ufw: exec /usr/sbin/ufw: Exec format error");
  CHECK(v->fix.empty());
}

TEST_CASE("a refusal without a message still reads as not started") {
  Script script;
  script.rc = HI_ERR_INVALID;
  const CommandResult r = run_with(script);
  CHECK(r.start_error == "the host refused to run it");
  CHECK_FALSE(r.exited());
}

TEST_CASE("commands that ran or were not found keep their outcomes") {
  Script script;
  script.result.struct_size = sizeof(hi_command_result);
  script.result.exit_code = 2;
  script.result.stdout_data = "out";
  script.result.stdout_len = 3;
  script.result.stderr_data = "";
  CommandResult r = run_with(script);
  CHECK(r.start_error.empty());
  CHECK(r.exited());
  CHECK(r.exit_code == 2);
  CHECK(r.out == "out");
  CHECK_FALSE(hermes_inspect::unavailable_tool_verdict(r, "ufw", "").has_value());

  script.result = hi_command_result{};
  script.result.not_found = 1;
  r = run_with(script);
  CHECK(r.start_error.empty());
  CHECK_FALSE(r.exited());
  const auto v = hermes_inspect::unavailable_tool_verdict(r, "ufw", "apt install ufw");
  REQUIRE(v.has_value());
  CHECK(v->status == Status::skip);
  CHECK(v->detail == "ufw not installed");
}

TEST_CASE("the shared runner outcomes of the plugin unit tests are unchanged") {
  CHECK(hi::test::exited(0, "").succeeded());
  CHECK(hi::test::exited(1, "").exited());
  CHECK_FALSE(hi::test::not_installed().exited());
  CHECK_FALSE(hi::test::timed_out_after(4000).exited());
  CHECK_FALSE(hi::test::killed_by(9).exited());
}
