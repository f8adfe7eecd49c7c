// Hostile inputs of every size and shape, end to end through the built
// hermes-inspect: each gets a precise message naming the file (and line), the
// survey finishes with the rest of its signals intact, and the JSON stays
// valid. (Misbehaving plugins are isolation_test's; the parsers' unit tests
// and tests/fuzz cover the same inputs below the command line.)
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

namespace {

using hi::test::run_inspector;
using hi::test::signal_of;
using hi::test::TempDir;
using nlohmann::json;

const std::vector<std::string> kAllSignals = {"tailscale",          "ufw",
                                              "firewalld",          "nftables",
                                              "fail2ban",           "ssh-password-auth",
                                              "ssh-root-login",     "iron-proxy-enabled",
                                              "iron-proxy-running", "docker-seccomp"};

// The bundled plugins only: no drop-in on this host takes part.
const std::vector<std::string> kOnlyBundled = {"HERMES_INSPECT_PLUGIN_PATH="};

// A root whose sshd configuration passes both SSH signals: the part of the
// survey that must come through intact.
void write_hardened_sshd(const TempDir &root) {
  root.write("etc/ssh/sshd_config", "PasswordAuthentication no\nPermitRootLogin no\nKbdInteractiveAuthentication no\n");
}

void require_sshd_intact(const json &report) {
  CHECK(signal_of(report, "ssh-password-auth").at("status") == "pass");
  CHECK(signal_of(report, "ssh-password-auth").at("detail") == "PasswordAuthentication no (/etc/ssh/sshd_config:1)");
  CHECK(signal_of(report, "ssh-root-login").at("status") == "pass");
}

// A full survey (every bundled plugin) with the given tools and root.
hi::test::ProcessResult survey(const TempDir &tools, const TempDir &root, std::vector<std::string> extra = {}) {
  const TempDir home;
  std::vector<std::string> args{"run", "--json", "--tool-path", tools.path(), "--root", root.path(),
                                "--hermes-home", home.path()};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_inspector(args, kOnlyBundled);
}

void require_every_signal_once(const json &report) {
  REQUIRE(report.at("signals").size() == kAllSignals.size());
  for (const auto &name : kAllSignals) signal_of(report, name);
}

// A full survey that must come through whatever the host holds: exit 0, one
// document valid against the schema, every signal exactly once.
json intact_survey(const TempDir &tools, const TempDir &root) {
  const auto r = survey(tools, root);
  INFO(r.err.substr(0, 2000));
  REQUIRE(r.exit_code == 0);
  hi::test::require_schema_valid(r.out);
  const json report = r.json();
  require_every_signal_once(report);
  return report;
}

std::string requirements_file(int count) {
  std::string text = "require:\n";
  for (int i = 0; i < count; ++i) text += "  - s" + std::to_string(i) + "\n";
  return text;
}

// The prefix that runs a command as nobody, for whom file permissions bind.
std::vector<std::string> as_nobody() {
  return {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"};
}

}  // namespace

TEST_CASE("hostile: a 100 MB tool output is cut and quoted briefly and the survey goes on", "[hostile]") {
  const TempDir tools, root;
  write_hardened_sshd(root);
  // 100 MiB of "Status: confused" lines: never an answer ufw gives.
  tools.write("ufw", "#!/bin/sh\n/usr/bin/yes 'Status: confused' | /usr/bin/head -c 104857600\n", 0755);

  const json report = intact_survey(tools, root);

  const json ufw = signal_of(report, "ufw");
  CHECK(ufw.at("status") == "warn");
  CHECK(ufw.at("detail") ==
        "unexpected output from ufw status verbose: \"Status: confused Status: confused Status: confused "
        "Status: confused Status: conf...\"");
  require_sshd_intact(report);
  // The output was read and dropped past the cap, never held: far below 100 MB.
  rusage usage{};
  REQUIRE(::getrusage(RUSAGE_CHILDREN, &usage) == 0);
  CHECK(usage.ru_maxrss < 100 * 1024);  // KiB
}

TEST_CASE("hostile: garbage from every tool gives warns quoting at most 80 characters", "[hostile]") {
  const TempDir tools, root;
  write_hardened_sshd(root);
  // Binary garbage: NULs, escape sequences, invalid UTF-8, a 10 KB line.
  const std::string garbage = std::string("\x7f" "ELF\x02\x01\x00\x00\x1b[31m\xff\xfe\xc3(\n", 16) +
                              std::string(10000, '\xa0') + "\n";
  for (const char *tool : {"tailscale", "ufw", "firewall-cmd", "nft", "fail2ban-client", "docker"})
    hi::test::write_fake_tool(tools, tool, garbage);

  const json report = intact_survey(tools, root);

  for (const char *name : {"tailscale", "ufw", "nftables", "fail2ban", "docker-seccomp"}) {
    const json s = signal_of(report, name);
    INFO(s.dump());
    CHECK(s.at("status") == "warn");
    const std::string detail = s.at("detail");
    CHECK(detail.find("\" ELF") != std::string::npos);  // quoted from the start, controls blanked
    CHECK(detail.size() < 200);
    CHECK(detail.find('\n') == std::string::npos);
  }
  // SIGNALS.md row 3: anything but exactly `running` fails.
  CHECK(signal_of(report, "firewalld").at("status") == "fail");
  require_sshd_intact(report);
}

TEST_CASE("hostile: an sshd Include loop warns naming the file and line", "[hostile][sshd]") {
  const TempDir tools, root;
  root.write("etc/ssh/sshd_config", "PermitRootLogin no\nInclude /etc/ssh/sshd_config.d/*.conf\n");
  root.write("etc/ssh/sshd_config.d/loop.conf", "Include /etc/ssh/sshd_config\n");

  const json report = intact_survey(tools, root);
  for (const char *name : {"ssh-password-auth", "ssh-root-login"}) {
    const json s = signal_of(report, name);
    INFO(s.dump());
    CHECK(s.at("status") == "warn");
    CHECK(s.at("detail") ==
          "sshd would refuse this configuration: /etc/ssh/sshd_config:2: Include nested more than 16 "
          "levels deep (an Include loop?)");
  }
}

TEST_CASE("hostile: 10000 sshd Include globs stop at the bound with file:line", "[hostile][sshd]") {
  const TempDir tools, root;
  std::string many;
  for (int i = 0; i < 10000; ++i) many += "Include /etc/ssh/none-" + std::to_string(i) + "/*.conf\n";
  root.write("etc/ssh/sshd_config", many);

  const json report = intact_survey(tools, root);
  for (const char *name : {"ssh-password-auth", "ssh-root-login"}) {
    const json s = signal_of(report, name);
    INFO(s.dump());
    CHECK(s.at("status") == "warn");
    CHECK(s.at("detail") ==
          "/etc/ssh/sshd_config:513: stopped after 512 distinct Include patterns, too many for a real "
          "configuration");
  }
}

TEST_CASE("hostile: a baseline of 10000 requirements runs and 10001 is refused with FILE:LINE:COL",
          "[hostile][baseline]") {
  const TempDir tools, root, dir;
  const std::string largest = dir.write("largest.yaml", requirements_file(10000));
  const std::string over = dir.write("over.yaml", requirements_file(10001));

  const auto ran = survey(tools, root, {"--baseline", largest});
  INFO(ran.err.substr(0, 2000));
  REQUIRE(ran.exit_code == 0);
  const json report = ran.json();
  CHECK(report.at("baseline") == "largest");
  CHECK(report.at("satisfied") == false);
  CHECK(report.at("missing").size() == 10000);
  require_every_signal_once(report);

  const auto refused = survey(tools, root, {"--baseline", over});
  CHECK(refused.exit_code == 2);
  CHECK(refused.out.empty());
  CHECK(refused.err == "hermes-inspect: " + over + ":10002:5: more than 10000 requirements\n");

  const auto checked = run_inspector({"baseline", "check", over}, kOnlyBundled);
  CHECK(checked.exit_code == 1);
  CHECK(checked.out == over + ":10002:5: more than 10000 requirements\n");
  const auto fine = run_inspector({"baseline", "check", largest}, kOnlyBundled);
  CHECK(fine.exit_code == 0);
  CHECK(fine.out.find(largest + ": warning: no installed plugin provides signal 's0'\n") != std::string::npos);
  CHECK(fine.out.find(largest + ": ok\n") != std::string::npos);
}

TEST_CASE("hostile: a cycle in extends is refused by run and by baseline check", "[hostile][baseline]") {
  const TempDir tools, root, dir;
  dir.write("a.yaml", "extends: b\nrequire: [ufw]\n");
  const std::string b = dir.write("b.yaml", "require: [nftables]\nextends: a\n");
  const std::string a = dir / "a.yaml";

  const auto refused = survey(tools, root, {"--baselines-dir", dir.path(), "--baseline", "a"});
  CHECK(refused.exit_code == 2);
  CHECK(refused.out.empty());
  CHECK(refused.err == "hermes-inspect: " + b + ":2:10: cyclic extends: a -> b -> a\n");

  const auto checked = run_inspector({"baseline", "check", "--baselines-dir", dir.path(), a}, kOnlyBundled);
  CHECK(checked.exit_code == 1);
  CHECK(checked.out == b + ":2:10: cyclic extends: a -> b -> a\n");
}

TEST_CASE("hostile: binary garbage and malformed YAML baselines are refused with FILE:LINE:COL",
          "[hostile][baseline]") {
  const TempDir tools, root, dir;
  const std::string binary =
      dir.write("binary.yaml", std::string("require:\n  - ufw\n\x7f" "ELF\x02\x01\x01\x00\x00\xff\xfe", 28));
  const std::string malformed = dir.write("malformed.yaml", "require:\n  - [ufw, nftables\n");
  // yaml-cpp 0.7's LoadAll loops forever on a stray ',' (jbeder/yaml-cpp#1040).
  const std::string stray = dir.write("stray.yaml", "# site baseline\n, ufw\nrequire: [ufw]\n");

  const auto garbage = survey(tools, root, {"--baseline", binary});
  CHECK(garbage.exit_code == 2);
  CHECK(garbage.out.empty());
  CHECK(garbage.err == "hermes-inspect: " + binary + ":3:1: binary content: control character 0x7f\n");

  const auto broken = survey(tools, root, {"--baseline", malformed});
  CHECK(broken.exit_code == 2);
  CHECK(broken.out.empty());
  CHECK(broken.err.rfind("hermes-inspect: " + malformed + ":3:1: invalid YAML: ", 0) == 0);

  const auto comma = survey(tools, root, {"--baseline", stray});
  CHECK(comma.exit_code == 2);
  CHECK(comma.out.empty());
  CHECK(comma.err == "hermes-inspect: " + stray + ":2:1: invalid YAML: unexpected ','\n");

  const auto checked = run_inspector({"baseline", "check", binary, malformed, stray}, kOnlyBundled);
  CHECK(checked.exit_code == 1);
  CHECK(checked.out.rfind(binary + ":3:1: binary content: control character 0x7f\n" + malformed + ":3:1: invalid YAML: ",
                          0) == 0);
  CHECK(checked.out.find("\n" + stray + ":2:1: invalid YAML: unexpected ','\n") != std::string::npos);
}

TEST_CASE("hostile: unknown signal names are named along with the known ones", "[hostile][signals]") {
  const TempDir tools, root;
  const auto only = survey(tools, root, {"--only", "ufw,no-such-signal"});
  CHECK(only.exit_code == 2);
  CHECK(only.out.empty());
  CHECK(only.err ==
        "hermes-inspect: unknown signal 'no-such-signal' in --only (known: docker-seccomp, fail2ban, firewalld, "
        "iron-proxy-enabled, iron-proxy-running, nftables, ssh-password-auth, ssh-root-login, tailscale, ufw)\n");

  const auto explain = run_inspector({"explain", "no-such-signal"}, kOnlyBundled);
  CHECK(explain.exit_code == 2);
  CHECK(explain.err.rfind("hermes-inspect: unknown signal 'no-such-signal' (known: docker-seccomp, ", 0) == 0);

  // A baseline may name a signal no plugin provides: unmet, and the table says why.
  const TempDir dir;
  const std::string wants = dir.write("wants.yaml", "require:\n  - no-such-signal\n");
  const auto table = survey(tools, root, {"--baseline", wants, "--format", "table", "--no-color"});
  CHECK(table.exit_code == 0);
  CHECK(table.out.find("no plugin provides no-such-signal") != std::string::npos);
  const auto json_run = survey(tools, root, {"--baseline", wants});
  CHECK(json_run.json().at("missing") == json::array({"no-such-signal"}));
}

TEST_CASE("hostile: an unreadable baseline file is named with the reason", "[hostile][baseline]") {
  if (!hi::test::runs_here(::geteuid() == 0, "needs root to run the inspector as nobody (root reads any file)"))
    return;
  const TempDir dir;
  const std::string secret = dir.write("secret.yaml", "require: [ufw]\n", 0600);
  std::vector<std::string> argv = as_nobody();
  argv.insert(argv.end(), {hi::test::inspector_binary(), "run", "--json", "--baseline", secret});
  const auto ran = hi::test::run_process(argv, kOnlyBundled);
  CHECK(ran.exit_code == 2);
  CHECK(ran.out.empty());
  CHECK(ran.err == "hermes-inspect: " + secret + ": cannot read: Permission denied\n");

  argv = as_nobody();
  argv.insert(argv.end(), {hi::test::inspector_binary(), "baseline", "check", secret});
  const auto checked = hi::test::run_process(argv, kOnlyBundled);
  CHECK(checked.exit_code == 1);
  CHECK(checked.out == secret + ": cannot read: Permission denied\n");
}
