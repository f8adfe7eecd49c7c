// The ufw verdicts, checked against `ufw status verbose` as the real ufw prints
// it: captured fixtures always, and the same states produced live in
// ufw_sandbox.sh (private namespaces and ufw state) when running as root (CI).
#include "ufw_logic.hpp"

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
namespace ufw = hermes_inspect::ufw;

const std::string kFixtures = HI_UFW_FIXTURES;

struct Expected {
  const char *name;   // fixtures/NAME.{stdout,stderr,exit}
  const char *setup;  // what capture.sh ran before `ufw status verbose`
  Status status;
  const char *detail;
};

const Expected kStates[] = {
    {"inactive", "true", Status::fail, "ufw installed but inactive"},
    {"enabled-then-disabled", "ufw --force enable && ufw disable", Status::fail,
     "ufw installed but inactive"},
    {"active-deny", "ufw --force enable", Status::pass,
     "active (deny (incoming), allow (outgoing), disabled (routed))"},
    {"active-deny-rules",
     "ufw allow 22/tcp && ufw limit 2222/tcp && ufw deny from 203.0.113.0/24 && ufw --force enable",
     Status::pass, "active (deny (incoming), allow (outgoing), disabled (routed))"},
    {"active-reject", "ufw default reject incoming && ufw --force enable", Status::pass,
     "active (reject (incoming), allow (outgoing), disabled (routed))"},
    {"active-allow", "ufw default allow incoming && ufw allow 22/tcp && ufw --force enable",
     Status::warn,
     "active (allow (incoming), allow (outgoing), disabled (routed)): incoming allowed by default"},
    {"active-deny-routed-logging-off",
     "echo 1 >/proc/sys/net/ipv4/ip_forward && ufw default deny routed && ufw logging off && "
     "ufw --force enable",
     Status::pass, "active (deny (incoming), allow (outgoing), deny (routed))"},
};

CommandResult captured(const std::string &name) {
  const std::string base = kFixtures + "/" + name;
  return exited(std::stoi(hi::test::read_text(base + ".exit")), hi::test::read_text(base + ".stdout"),
                hi::test::read_text(base + ".stderr"));
}

void check(const Verdict &v, Status status, const std::string &detail) {
  INFO("detail: " << v.detail);
  CHECK(v.status == status);
  CHECK(v.detail == detail);
  CHECK_FALSE(v.needs_root);
  CHECK(v.fix.empty() == (status == Status::pass));
}

bool live_checks_possible() {
  return hi::test::runs_here(::geteuid() == 0, "running ufw in private namespaces, or as another user, needs root");
}

const char *const kNotRootDetailStart =
    "needs root: ufw status verbose refused a non-root caller; configured, not verified live: ";

}  // namespace

TEST_CASE("ufw: verdicts on captured ufw status verbose", "[ufw]") {
  for (const auto &e : kStates) {
    SECTION(e.name) {
      const CommandResult r = captured(e.name);
      CHECK_FALSE(ufw::refused_not_root(r));
      check(ufw::decide_status(r), e.status, e.detail);
    }
  }
}

TEST_CASE("ufw: verdicts on ufw status verbose run live in a sandbox", "[ufw][live]") {
  if (!live_checks_possible()) return;
  for (const auto &e : kStates) {
    SECTION(e.name) {
      const auto r = hi::test::run_process(
          {"/bin/sh", HI_UFW_SANDBOX,
           std::string("{ ") + e.setup + "; } >/dev/null 2>&1; ufw status verbose"});
      INFO("stdout: " << r.out << "\nstderr: " << r.err);
      const CommandResult result = exited(r.exit_code, r.out, r.err);
      CHECK_FALSE(ufw::refused_not_root(result));
      check(ufw::decide_status(result), e.status, e.detail);
    }
  }
}

TEST_CASE("ufw: a non-root caller is refused -> warn, needs root", "[ufw]") {
  SECTION("captured as nobody") {
    CHECK(ufw::refused_not_root(captured("not-root")));
  }
  SECTION("live, as nobody") {
    if (!live_checks_possible()) return;
    const auto r = hi::test::run_process(
        {hi::test::require_tool("runuser", "util-linux"), "-u", "nobody", "--", hi::test::require_tool("ufw", "ufw"), "status", "verbose"});
    INFO("stderr: " << r.err);
    CHECK(ufw::refused_not_root(exited(r.exit_code, r.out, r.err)));
  }
  SECTION("the same words with exit 0 are not a refusal") {
    CHECK_FALSE(ufw::refused_not_root(exited(0, "You need to be root to run this script")));
  }
  SECTION("other failures are not a refusal") {
    CHECK_FALSE(ufw::refused_not_root(exited(1, "", "ERROR: problem running ufw-init")));
  }
}

TEST_CASE("ufw: the needs-root verdict says what the configuration files say", "[ufw]") {
  const ufw::ConfigFile conf{ufw::kConfPath, std::string("# comment\nENABLED=yes\nLOGLEVEL=low\n"), ""};
  const ufw::ConfigFile defaults{ufw::kDefaultsPath,
                                 std::string("IPV6=yes\nDEFAULT_INPUT_POLICY=\"DROP\"\n"), ""};
  SECTION("both files readable") {
    const Verdict v = ufw::decide_not_root(conf, defaults);
    CHECK(v.status == Status::warn);
    CHECK(v.needs_root);
    CHECK(v.detail == std::string(kNotRootDetailStart) +
                          "ENABLED=yes in /etc/ufw/ufw.conf, DEFAULT_INPUT_POLICY=DROP in "
                          "/etc/default/ufw");
    CHECK_FALSE(v.fix.empty());
  }
  SECTION("configured as disabled and allowing") {
    const Verdict v = ufw::decide_not_root(
        {ufw::kConfPath, std::string("ENABLED=no\n"), ""},
        {ufw::kDefaultsPath, std::string("DEFAULT_INPUT_POLICY=\"ACCEPT\"\n"), ""});
    CHECK(v.status == Status::warn);
    CHECK(v.needs_root);
    CHECK(v.detail == std::string(kNotRootDetailStart) +
                          "ENABLED=no in /etc/ufw/ufw.conf, DEFAULT_INPUT_POLICY=ACCEPT in "
                          "/etc/default/ufw");
  }
  SECTION("a missing file and an unset key are named") {
    const Verdict v = ufw::decide_not_root({ufw::kConfPath, std::nullopt, "not found"},
                                           {ufw::kDefaultsPath, std::string("IPV6=yes\n"), ""});
    CHECK(v.needs_root);
    CHECK(v.detail == std::string(kNotRootDetailStart) +
                          "/etc/ufw/ufw.conf not found, DEFAULT_INPUT_POLICY not set in "
                          "/etc/default/ufw");
  }
}

TEST_CASE("ufw: configuration values are read as ufw reads them", "[ufw]") {
  CHECK(ufw::config_value("ENABLED=yes\n", "ENABLED") == "yes");
  CHECK(ufw::config_value("enabled=yes\n", "ENABLED") == "yes");
  CHECK(ufw::config_value("DEFAULT_INPUT_POLICY=\"DROP\"\n", "DEFAULT_INPUT_POLICY") == "DROP");
  CHECK(ufw::config_value("ENABLED=no\nENABLED=yes\n", "ENABLED") == "yes");
  CHECK_FALSE(ufw::config_value("#ENABLED=yes\n", "ENABLED"));
  CHECK_FALSE(ufw::config_value("  ENABLED=yes\n", "ENABLED"));
  CHECK_FALSE(ufw::config_value("ENABLED_X=yes\n", "ENABLED"));
  CHECK_FALSE(ufw::config_value("", "ENABLED"));
  SECTION("the files this host's ufw package installed") {
    const std::string conf = hi::test::read_text("/etc/ufw/ufw.conf");
    const std::string defaults = hi::test::read_text("/etc/default/ufw");
    if (!hi::test::runs_here(!conf.empty() && !defaults.empty(),
                             "ufw's configuration files are not installed here (apt-get install ufw)"))
      return;
    CHECK(ufw::config_value(conf, "ENABLED"));
    CHECK(ufw::config_value(defaults, "DEFAULT_INPUT_POLICY"));
  }
}

TEST_CASE("ufw: output that is not ufw's -> warn quoting it", "[ufw]") {
  SECTION("no Status line") {
    const Verdict v = ufw::decide_status(exited(0, std::string(300, 'z')));
    CHECK(v.status == Status::warn);
    CHECK(v.detail == "unexpected output from ufw status verbose: \"" + std::string(80, 'z') + "...\"");
  }
  SECTION("an unknown status word") {
    CHECK(ufw::decide_status(exited(0, "Status: enabled\n")).status == Status::warn);
  }
  SECTION("active without the verbose Default line") {
    CHECK(ufw::decide_status(exited(0, "Status: active\n")).status == Status::warn);
  }
  SECTION("a Default line without an incoming policy") {
    CHECK(ufw::decide_status(exited(0, "Status: active\nDefault: allow (outgoing)\n")).status ==
          Status::warn);
  }
  SECTION("an unknown incoming policy") {
    CHECK(ufw::decide_status(exited(0, "Status: active\nDefault: limit (incoming)\n")).status ==
          Status::warn);
  }
  SECTION("a non-zero exit quotes stderr") {
    const Verdict v = ufw::decide_status(exited(1, "", "ERROR: problem running ufw-init\n"));
    CHECK(v.status == Status::warn);
    CHECK(v.detail == "ufw exited 1: \"ERROR: problem running ufw-init\"");
  }
}

TEST_CASE("ufw: tool problems", "[ufw]") {
  SECTION("not installed -> skip with the install hint") {
    const Verdict v = ufw::decide_status(hi::test::not_installed());
    CHECK(v.status == Status::skip);
    CHECK(v.detail == "ufw not installed");
    CHECK(v.fix == ufw::kInstallFix);
  }
  SECTION("hung -> skip naming the timeout") {
    const CommandResult r = hi::test::timed_out_after(4000);
    CHECK(ufw::decide_status(r).detail == "timed out after 4s");
    CHECK_FALSE(ufw::refused_not_root(r));
  }
}
