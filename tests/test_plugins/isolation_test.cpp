// End to end: the built hermes-inspect against real misbehaving plugin files.
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <random>

#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;
using hi::test::run_inspector;
using hi::test::signal_of;
using hi::test::TempDir;
using nlohmann::json;

namespace {

const std::string kPlugins = HI_TEST_PLUGINS;

std::string copy_plugin(const TempDir &dir, const std::string &sub, const std::string &name) {
  fs::create_directories(dir / sub);
  ::chmod((dir / sub).c_str(), 0755);
  const std::string to = dir / (sub + "/" + name + ".so");
  fs::copy_file(kPlugins + "/" + name + ".so", to, fs::copy_options::overwrite_existing);
  ::chmod(to.c_str(), 0644);
  return to;
}

json plugin_of(const json &report, const std::string &name) {
  for (const auto &p : report.at("plugins"))
    if (p.at("name") == name) return p;
  FAIL("plugin " << name << " not in report");
  return {};
}

bool has_signal(const json &report, const std::string &name) {
  for (const auto &s : report.at("signals"))
    if (s.at("name") == name) return true;
  return false;
}

// A plugins dir with every misbehaving plugin and the good one.
const std::vector<std::string> kAll = {"good", "crash", "hang", "spin", "flood", "undeclared", "abi2",
                                       "abi2_entry", "newer_minor_zero", "newer_minor_set", "abi1_0",
                                       "short_signal", "ctor_crash", "nosym", "misnamed", "misnamed_dtor",
                                       "undefined_fn", "hog", "many_signals", "empty_id", "bogus", "truncated"};

}  // namespace

TEST_CASE("a survey of misbehaving plugins finishes, stays valid JSON and keeps the good results") {
  TempDir dir;
  for (const auto &p : kAll) copy_plugin(dir, "plugins", p);
  // Only the plugins dir under test: no bundled or drop-in plugin interferes.
  const auto r = run_inspector({"run", "--json", "--plugins-dir", dir / "plugins", "--timeout", "2",
                                "--baseline", hi::test::source_dir() + "/baselines/minimal.yaml"},
                               {"HERMES_INSPECT_PLUGIN_PATH="});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json report = r.json();
  hi::test::require_schema_valid(r.out);

  CHECK(signal_of(report, "test-good").at("status") == "pass");
  CHECK(signal_of(report, "test-echo").at("detail") == "exit 0: hello from echo");
  CHECK(plugin_of(report, "good").at("state") == "ok");
  CHECK(plugin_of(report, "good").at("version") == "1.2.3");

  CHECK(signal_of(report, "test-crash").at("status") == "skip");
  CHECK(signal_of(report, "test-crash").at("detail") == "plugin crashed (SIGSEGV)");
  CHECK(signal_of(report, "test-crash-reported").at("status") == "pass");
  CHECK(plugin_of(report, "crash").at("state") == "crashed");

  // Deadline = --timeout 2 + 2 s margin.
  for (const std::string p : {"hang", "spin"}) {
    CHECK(signal_of(report, "test-" + p).at("status") == "skip");
    CHECK(signal_of(report, "test-" + p).at("detail") == "plugin timed out after 4s");
    CHECK(plugin_of(report, p).at("state") == "timed-out");
  }

  CHECK(signal_of(report, "test-flood").at("status") == "pass");
  CHECK(plugin_of(report, "flood").at("state") == "ok");

  CHECK(signal_of(report, "test-declared-reported").at("status") == "fail");
  CHECK(signal_of(report, "test-declared-reported").at("detail") == "first report");
  CHECK(signal_of(report, "test-declared-omitted").at("status") == "skip");
  CHECK(signal_of(report, "test-declared-omitted").at("detail") == "probe did not report");
  CHECK_FALSE(has_signal(report, "test-never-declared"));
  CHECK(plugin_of(report, "undeclared").at("error").get<std::string>().find("test-never-declared") !=
        std::string::npos);

  CHECK(plugin_of(report, "abi2").at("state") == "incompatible");
  CHECK(plugin_of(report, "abi2_entry").at("state") == "incompatible");
  CHECK(plugin_of(report, "abi2").at("error").get<std::string>().find("built for ABI 2.0") != std::string::npos);
  CHECK_FALSE(has_signal(report, "test-abi2"));
  CHECK(plugin_of(report, "newer_minor_set").at("state") == "incompatible");
  CHECK(plugin_of(report, "newer_minor_set").at("error").get<std::string>().find("needs hermes-inspect >= 1.1") !=
        std::string::npos);
  CHECK(plugin_of(report, "newer_minor_zero").at("state") == "ok");
  CHECK(signal_of(report, "test-newer-zero").at("status") == "pass");
  CHECK(signal_of(report, "test-abi1-0").at("status") == "pass");

  CHECK(plugin_of(report, "ctor_crash").at("state") == "crashed");
  for (const std::string p : {"bogus", "truncated", "nosym", "misnamed", "misnamed_dtor", "undefined_fn",
                              "short_signal", "many_signals", "empty_id"})
    CHECK(plugin_of(report, p).at("state") == "invalid");
  CHECK(plugin_of(report, "bogus").at("error").get<std::string>().find(dir / "plugins/bogus.so") != std::string::npos);
  CHECK(plugin_of(report, "nosym").at("error").get<std::string>().find("no hermes_inspect_plugin_v1 symbol") !=
        std::string::npos);
  CHECK(plugin_of(report, "misnamed").at("error").get<std::string>().find("\"someone-else\"") != std::string::npos);
  CHECK(plugin_of(report, "many_signals").at("error").get<std::string>().find("declares 100000 signals") !=
        std::string::npos);
  CHECK(plugin_of(report, "empty_id").at("error").get<std::string>().find("invalid id") != std::string::npos);

  CHECK(signal_of(report, "test-hog").at("status") != "pass");

  // Two plugins hit the deadline; run one after the other they would cost two.
  CHECK(report.at("duration_ms").get<int64_t>() < 2 * 4000);
}

TEST_CASE("a signal descriptor exactly as long as ABI 1.0's is read to its last field") {
  TempDir dir;
  copy_plugin(dir, "plugins", "abi1_0");
  const auto r = run_inspector({"explain", "test-abi1-0", "--plugins-dir", dir / "plugins"},
                               {"HERMES_INSPECT_PLUGIN_PATH="});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("Written with the structs of ABI 1.0") != std::string::npos);
  CHECK(r.out.find("Rationale of 1.0") != std::string::npos);
  CHECK(r.out.find("Fix of 1.0") != std::string::npos);
  CHECK(r.out.find("\n  true\n") != std::string::npos);  // its commands, the last 1.0 field
}

TEST_CASE("list shows every plugin file with its state") {
  TempDir dir;
  for (const auto &p : kAll) copy_plugin(dir, "plugins", p);
  const auto r = run_inspector({"list", "--json", "--plugins-dir", dir / "plugins", "--timeout", "1"},
                               {"HERMES_INSPECT_PLUGIN_PATH="});
  REQUIRE(r.exit_code == 0);
  const json list = r.json();
  std::size_t in_dir = 0;
  for (const auto &p : list.at("plugins"))
    if (p.at("file").get<std::string>().rfind(dir / "plugins/", 0) == 0) ++in_dir;
  CHECK(in_dir == kAll.size());
  CHECK(plugin_of(list, "good").at("signals") == json::array({"test-good", "test-echo"}));
  CHECK(plugin_of(list, "abi2").at("state") == "incompatible");
}

TEST_CASE("a plugin name earlier in the search path shadows a later one") {
  TempDir dir;
  copy_plugin(dir, "first", "good");
  const std::string second = copy_plugin(dir, "second", "good");
  const auto r = run_inspector({"run", "--json", "--plugins-dir", dir / "first", "--plugins-dir", dir / "second"},
                               {"HERMES_INSPECT_PLUGIN_PATH="});
  const json report = r.json();
  std::size_t goods = 0;
  for (const auto &p : report.at("plugins"))
    if (p.at("name") == "good") {
      ++goods;
      if (p.at("file") == second) CHECK(p.at("state") == "shadowed");
    }
  CHECK(goods == 2);
  std::size_t reported = 0;
  for (const auto &s : report.at("signals")) reported += s.at("name") == "test-good";
  CHECK(reported == 1);
}

TEST_CASE("untrusted plugin files and directories are refused with the reason") {
  TempDir dir;
  SECTION("a group- or world-writable plugins dir") {
    for (mode_t mode : {mode_t{0777}, mode_t{0775}}) {
      copy_plugin(dir, "open", "good");
      ::chmod((dir / "open").c_str(), mode);
      const auto r = run_inspector({"run", "--json", "--plugins-dir", dir / "open"}, {"HERMES_INSPECT_PLUGIN_PATH="});
      const json p = plugin_of(r.json(), "good");
      CHECK(p.at("state") == "refused");
      CHECK(p.at("error").get<std::string>().find(dir / "open") != std::string::npos);
      CHECK(p.at("error").get<std::string>().find(mode == 0777 ? "writable by others" : "writable by its group") !=
            std::string::npos);
      CHECK_FALSE(has_signal(r.json(), "test-good"));
    }
  }
  SECTION("a world-writable plugin file") {
    const std::string f = copy_plugin(dir, "plugins", "good");
    ::chmod(f.c_str(), 0666);
    const json p = plugin_of(run_inspector({"run", "--json", "--plugins-dir", dir / "plugins"},
                                           {"HERMES_INSPECT_PLUGIN_PATH="}).json(), "good");
    CHECK(p.at("state") == "refused");
  }
  SECTION("a symlink in the plugins dir pointing into /tmp") {
    const std::string target = "/tmp/hi-evil-" + std::to_string(::getpid()) + "-good.so";
    fs::copy_file(kPlugins + "/good.so", target, fs::copy_options::overwrite_existing);
    ::chmod(target.c_str(), 0644);
    fs::create_directories(dir / "plugins");
    fs::create_symlink(target, dir / "plugins/good.so");
    const auto r = run_inspector({"run", "--json", "--plugins-dir", dir / "plugins"}, {"HERMES_INSPECT_PLUGIN_PATH="});
    const json p = plugin_of(r.json(), "good");
    fs::remove(target);
    CHECK(p.at("state") == "refused");
    CHECK(p.at("error").get<std::string>().find("/tmp is writable by others") != std::string::npos);
  }
  SECTION("a plugin owned by another user") {
    if (!hi::test::runs_here(::geteuid() == 0, "chown to another user needs root (CI runs as root)")) return;
    const std::string f = copy_plugin(dir, "plugins", "good");
    REQUIRE(::chown(f.c_str(), 65534, 65534) == 0);
    const json p = plugin_of(run_inspector({"run", "--json", "--plugins-dir", dir / "plugins"},
                                           {"HERMES_INSPECT_PLUGIN_PATH="}).json(), "good");
    CHECK(p.at("state") == "refused");
    CHECK(p.at("error").get<std::string>().find("owned by uid 65534") != std::string::npos);
  }
  SECTION("--allow-untrusted-plugins loads it and says so loudly") {
    copy_plugin(dir, "open", "good");
    ::chmod((dir / "open").c_str(), 0777);
    const auto r = run_inspector({"run", "--json", "--allow-untrusted-plugins", "--plugins-dir", dir / "open"},
                                 {"HERMES_INSPECT_PLUGIN_PATH="});
    CHECK(r.err.find("WARNING: --allow-untrusted-plugins") != std::string::npos);
    CHECK(signal_of(r.json(), "test-good").at("status") == "pass");
    CHECK(plugin_of(r.json(), "good").at("error").get<std::string>().find("untrusted, loaded anyway") !=
          std::string::npos);
  }
}

TEST_CASE("SIGTERM during a run kills every worker and command and writes nothing") {
  TempDir dir;
  copy_plugin(dir, "plugins", "sleeper");
  copy_plugin(dir, "plugins", "hang");
  std::mt19937_64 rng(std::random_device{}());
  const std::string marker = "600." + std::to_string(rng() % 1000000000ULL);
  dir.write("tools/hi-test-sleeper", "#!/bin/sh\nsleep " + marker + "\n", 0755);
  const std::string output = dir.write("out/report.json", "previous report\n");
  // Send SIGTERM once the probe's command is really running, then report the exit status.
  const std::string script =
      "\"$0\" run --json --plugins-dir \"$1\" --tool-path \"$2\" --timeout 30 --output \"$3\" & pid=$!\n"
      // "[.]" keeps this script's own command line from matching the pattern.
      "while ! pgrep -f 'sleep 600[.]" + marker.substr(4) + "' >/dev/null; do sleep 0.05; done\n"
      "kill -TERM $pid; wait $pid; rc=$?; echo \"rc=$rc\"\n";
  const auto r = hi::test::run_process({"/bin/sh", "-c", script, hi::test::inspector_binary(), dir / "plugins",
                                        dir / "tools", output},
                                       {"HERMES_INSPECT_PLUGIN_PATH="});
  CHECK(r.out == "rc=" + std::to_string(128 + SIGTERM) + "\n");
  CHECK(r.err.find("interrupted (SIGTERM)") != std::string::npos);
  CHECK(hi::test::read_text(output) == "previous report\n");
  std::size_t files = 0;
  for ([[maybe_unused]] const auto &e : fs::directory_iterator(dir / "out")) ++files;
  CHECK(files == 1);
  const auto ps = hi::test::run_process({"/usr/bin/pgrep", "-f", "sleep " + marker});
  CHECK(ps.out.empty());
  const auto workers = hi::test::run_process({"/usr/bin/pgrep", "-f", dir / "plugins"});
  CHECK(workers.out.empty());
}

TEST_CASE("run's exit codes: unknown baseline 2 with the known ones, --strict 1 when unsatisfied") {
  TempDir dir;
  copy_plugin(dir, "plugins", "good");
  const auto unknown = run_inspector({"run", "--baseline", "no-such-baseline", "--plugins-dir", dir / "plugins"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("unknown baseline 'no-such-baseline'") != std::string::npos);
  CHECK(unknown.err.find("minimal") != std::string::npos);

  dir.write("b/needs-good.yaml", "name: needs-good\nrequire:\n  - test-good\n");
  dir.write("b/needs-missing.yaml", "name: needs-missing\nrequire:\n  - test-not-provided\n");
  const std::vector<std::string> common = {"run", "--strict", "--plugins-dir", dir / "plugins"};
  auto with = [&](std::vector<std::string> extra) {
    auto args = common;
    args.insert(args.end(), extra.begin(), extra.end());
    return run_inspector(args, {"HERMES_INSPECT_PLUGIN_PATH="});
  };
  CHECK(with({"--baseline", dir / "b/needs-good.yaml"}).exit_code == 0);
  const auto unmet = with({"--baseline", dir / "b/needs-missing.yaml", "--json"});
  CHECK(unmet.exit_code == 1);
  CHECK(unmet.json().at("missing") == json::array({"test-not-provided"}));
  CHECK(with({"--baseline", dir / "b/needs-missing.yaml", "--json"}).exit_code == 1);
  CHECK(run_inspector({"run", "--baseline", dir / "b/needs-missing.yaml", "--plugins-dir", dir / "plugins"})
            .exit_code == 0);
  CHECK(run_inspector({"run", "--no-such-flag"}).exit_code == 2);
  CHECK(run_inspector({"run", "--output", dir / "no/such/dir/out.json", "--plugins-dir", dir / "plugins"})
            .exit_code == 2);
}

TEST_CASE("four hung tools cost one timeout, not four") {
  TempDir dir;
  const std::vector<std::pair<std::string, std::string>> hung = {
      {"ufw", "ufw"}, {"firewall-cmd", "firewalld"}, {"nft", "nftables"}, {"fail2ban-client", "fail2ban"}};
  for (const auto &[tool, signal] : hung) dir.write("tools/" + tool, "#!/bin/sh\nexec sleep 60\n", 0755);
  const auto r = run_inspector({"run", "--json", "--timeout", "1", "--tool-path", dir / "tools", "--hermes-home",
                                dir / "no-home", "--root", dir / "root"},
                               {"HERMES_INSPECT_PLUGIN_PATH="});
  REQUIRE(r.exit_code == 0);
  const json report = r.json();
  for (const auto &[tool, signal] : hung) {
    INFO(signal);
    CHECK(signal_of(report, signal).at("status") == "skip");
    CHECK(signal_of(report, signal).at("detail") == "timed out after 1s");
  }
  // One after another the four would take at least four timeouts.
  CHECK(report.at("duration_ms").get<int64_t>() < 4 * 1000);
}
