// The firewalld verdicts: captured answers of the real firewall-cmd (and, for
// a running daemon, what firewalld's source prints), exact-match edge cases,
// and the real firewall-cmd run live without a daemon when root (CI).
#include "firewalld_logic.hpp"

#include "command_results.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <string>

#include <unistd.h>

namespace {

using hermes_inspect::CommandResult;
using hi::test::exited;
using hermes_inspect::Status;
using hermes_inspect::Verdict;
namespace firewalld = hermes_inspect::firewalld;

const std::string kFixtures = HI_FIREWALLD_FIXTURES;

CommandResult captured(const std::string &name) {
  const std::string base = kFixtures + "/" + name;
  return exited(std::stoi(hi::test::read_text(base + ".exit")), hi::test::read_text(base + ".stdout"),
                hi::test::read_text(base + ".stderr"));
}

void check_fail(const Verdict &v, const std::string &detail) {
  CHECK(v.status == Status::fail);
  CHECK(v.detail == detail);
  CHECK_FALSE(v.needs_root);
  CHECK(v.fix == "systemctl enable --now firewalld");
}

// The real `firewall-cmd --state` in private mount, network and PID namespaces
// whose /run is an empty tmpfs (so no system bus socket), after `setup` (which
// may start a private system bus there; the PID namespace takes it down on exit).
CommandResult live_state(const std::string &setup) {
  const auto r = hi::test::run_process(
      {hi::test::require_tool("unshare", "util-linux"), "-m", "-n", "-p", "-f", "--kill-child", "--mount-proc", "sh", "-c",
       "mount -t tmpfs -o mode=0755 private-run /run && mkdir /run/dbus || exit 125\n" + setup +
           "\nexec firewall-cmd --state"});
  return exited(r.exit_code, r.out, r.err);
}

// firewall-cmd's message without a system bus, as the detail quotes it: its
// first 80 characters.
const std::string kNoBusMessage =
    "Error: DBUS_ERROR: Failed to connect to socket /run/dbus/system_bus_socket: No such file or "
    "directory";
const std::string kNoBusDetail =
    "firewall-cmd --state said \"" + kNoBusMessage.substr(0, 80) + "...\" (exit 36)";

}  // namespace

TEST_CASE("firewalld: verdicts on captured firewall-cmd --state", "[firewalld]") {
  SECTION("running (firewalld's source: print_and_exit(\"running\"), exit 0)") {
    const Verdict v = firewalld::decide(captured("running"));
    CHECK(v.status == Status::pass);
    CHECK(v.detail == "running");
    CHECK(v.fix.empty());
  }
  SECTION("not running: a system bus, no daemon (exit 252)") {
    check_fail(firewalld::decide(captured("not-running")),
               "firewall-cmd --state said \"not running\" (exit 252)");
  }
  SECTION("no system bus at all (exit 36)") {
    check_fail(firewalld::decide(captured("no-system-bus")), kNoBusDetail);
  }
  SECTION("failed (firewalld's source: RUNNING_BUT_FAILED, exit 251)") {
    check_fail(firewalld::decide(captured("failed")),
               "firewall-cmd --state said \"failed\" (exit 251)");
  }
}

TEST_CASE("firewalld: real firewall-cmd without a daemon", "[firewalld][live]") {
  if (!hi::test::runs_here(::geteuid() == 0, "private mount and PID namespaces need root")) return;
  SECTION("with a private system bus: not running") {
    const CommandResult r = live_state(
        "dbus-daemon --system --nofork --nopidfile 2>/dev/null &\n"
        "while [ ! -S /run/dbus/system_bus_socket ]; do sleep 0.1; done");
    REQUIRE(r.exit_code == 252);
    check_fail(firewalld::decide(r), "firewall-cmd --state said \"not running\" (exit 252)");
  }
  SECTION("without a system bus") {
    const CommandResult r = live_state("");
    REQUIRE(r.exit_code == 36);
    check_fail(firewalld::decide(r), kNoBusDetail);
  }
}

TEST_CASE("firewalld: only exactly \"running\" passes", "[firewalld]") {
  SECTION("surrounding whitespace is stripped") {
    CHECK(firewalld::decide(exited(0, "  running \r\n")).status == Status::pass);
  }
  SECTION("\"not running\" on stdout with exit 0 still fails") {
    check_fail(firewalld::decide(exited(0, "not running\n")),
               "firewall-cmd --state said \"not running\" (exit 0)");
  }
  for (const char *text : {"Running", "running.", "running\nnot really", "is running", "runningg",
                           "", "runn ing"}) {
    SECTION(std::string("stdout: ") + text) {
      CHECK(firewalld::decide(exited(0, text)).status == Status::fail);
    }
  }
  SECTION("\"running\" with a non-zero exit fails") {
    check_fail(firewalld::decide(exited(1, "running\n")),
               "firewall-cmd --state said \"running\" (exit 1)");
  }
}

TEST_CASE("firewalld: tool problems", "[firewalld]") {
  SECTION("not installed -> skip with the install hint") {
    const Verdict v = firewalld::decide(hi::test::not_installed());
    CHECK(v.status == Status::skip);
    CHECK(v.detail == "firewall-cmd not installed");
    CHECK(v.fix == firewalld::kInstallFix);
  }
  SECTION("hung -> skip naming the timeout") {
    const CommandResult r = hi::test::timed_out_after(4000);
    CHECK(firewalld::decide(r).detail == "timed out after 4s");
  }
  SECTION("killed -> warn") {
    CHECK(firewalld::decide(hi::test::killed_by(9)).status == Status::warn);
  }
}
