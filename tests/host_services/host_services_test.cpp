// End to end: the built hermes-inspect serving its host services to real test
// plugins (hs_*.so), each of which reports what a service returned as a signal
// detail, so every assertion compares what the core promises with what a
// plugin actually got.
#include "test_support.hpp"

#include <hermes_inspect/plugin.h>

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdlib>
#include <filesystem>
#include <random>

#include <sys/stat.h>

namespace fs = std::filesystem;
using hi::test::signal_of;
using hi::test::TempDir;
using nlohmann::json;

namespace {

const std::string kPlugins = HI_HS_PLUGINS;
// hs_probe.c's HS_HOSTILE text (C1 controls, ESC, DEL, line and paragraph
// separators, bidi controls, a byte that is not UTF-8) as the core must pass it
// on: controls as spaces, the stray byte as U+FFFD.
const std::string kSanitised = "a b 31mc d e f g [0mh\xef\xbf\xbdi j";

std::string size_text(std::size_t n) { return std::to_string(n); }

// A survey's fixtures: the plugins under test, a root, a tool path and a Hermes home.
class Fixture {
 public:
  explicit Fixture(const std::vector<std::string> &plugins) {
    dir_.mkdir("plugins");
    for (const auto &p : plugins) {
      const std::string to = dir_ / ("plugins/" + p + ".so");
      fs::copy_file(kPlugins + "/" + p + ".so", to);
      ::chmod(to.c_str(), 0644);
    }
    dir_.write("root/hs-present", "present");
    dir_.mkdir("home");
    dir_.mkdir("tools");
    fs::create_symlink(hi::test::require_tool("env", "coreutils"), dir_ / "tools/env");
    fs::create_symlink(hi::test::require_tool("readlink", "coreutils"), dir_ / "tools/readlink");
    // Executable, but not a program: execve fails with ENOEXEC.
    dir_.write("tools/hs-broken-tool", "this is not a program\n", 0755);
    std::mt19937_64 rng(std::random_device{}());
    marker_ = "hs-marker-" + std::to_string(rng());
  }

  std::string operator/(const std::string &relative) const { return dir_ / relative; }
  const std::string &marker() const { return marker_; }

  // `run --json` over the plugins with the fixtures; --root, --tool-path,
  // --hermes-home and --timeout 3 unless extra_args replaces the defaults.
  hi::test::ProcessResult survey(const std::vector<std::string> &extra_args = {}, bool with_root = true) const {
    std::vector<std::string> args = {"run", "--json", "--plugins-dir", dir_ / "plugins", "--tool-path",
                                     dir_ / "tools", "--hermes-home", dir_ / "home", "--timeout", "3"};
    if (with_root) args.insert(args.end(), {"--root", dir_ / "root"});
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    return hi::test::run_inspector(args, {"HERMES_INSPECT_PLUGIN_PATH=", "HI_HS_MARKER=" + marker_});
  }

 private:
  TempDir dir_;
  std::string marker_;
};

std::string detail_of(const json &report, const std::string &signal) {
  return signal_of(report, signal).at("detail").get<std::string>();
}

json plugin_of(const json &report, const std::string &name) {
  for (const auto &p : report.at("plugins"))
    if (p.at("name") == name) return p;
  FAIL("plugin " << name << " not in report");
  return {};
}

json surveyed(const hi::test::ProcessResult &r) {
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r.json();
}

std::string home_of_inspector() {
  const char *home = std::getenv("HOME");
  return home && *home ? home : "/";
}

}  // namespace

TEST_CASE("setting() answers every documented key and NULL for an unknown one") {
  const Fixture f({"hs_probe"});
  const json report = surveyed(f.survey());
  CHECK(detail_of(report, "hs-setting-root") == f / "root");
  CHECK(detail_of(report, "hs-setting-timeout-ms") == "3000");
  CHECK(detail_of(report, "hs-setting-tool-path") == f / "tools");
  CHECK(detail_of(report, "hs-setting-verbose") == "0");
  CHECK(detail_of(report, "hs-setting-hermes-home") == f / "home");
  CHECK(detail_of(report, "hs-setting-unknown") == "(null)");
  CHECK(detail_of(surveyed(f.survey({"--verbose"})), "hs-setting-verbose") == "1");
}

TEST_CASE("getenv() sees the inspector's environment") {
  const Fixture f({"hs_probe"});
  CHECK(detail_of(surveyed(f.survey()), "hs-getenv") == "marker=" + f.marker() + " unset=(null)");
}

TEST_CASE("a command gets only PATH, HOME, LANG and LC_ALL, and stdin from /dev/null") {
  const Fixture f({"hs_probe"});
  const json report = surveyed(f.survey());
  const std::string env = detail_of(report, "hs-command-env");
  CHECK(env == "PATH=" + (f / "tools") + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=" +
                   home_of_inspector() + " LANG=C LC_ALL=C");
  // The inspector has HI_HS_MARKER (getenv shows it); the command must not.
  CHECK(env.find(f.marker()) == std::string::npos);
  CHECK(detail_of(report, "hs-getenv").find(f.marker()) != std::string::npos);
  CHECK(detail_of(report, "hs-command-stdin") == "/dev/null");
}

TEST_CASE("log lines are shown with --verbose only, control characters replaced") {
  const Fixture f({"hs_probe"});
  const auto quiet = f.survey();
  surveyed(quiet);
  CHECK(quiet.err.find("hs_probe log line") == std::string::npos);
  const auto verbose = f.survey({"--verbose"});
  surveyed(verbose);
  CHECK(verbose.err.find("[hs_probe]   hs_probe log line\n") != std::string::npos);
  CHECK(verbose.err.find("[hs_probe]   log " + kSanitised + "\n") != std::string::npos);
}

TEST_CASE("every last_error() string stays valid until probe() returns") {
  const Fixture f({"hs_probe"});
  CHECK(detail_of(surveyed(f.survey()), "hs-last-error") ==
        "open " + (f / "root/hs-missing-first") + ": No such file or directory | open " +
            (f / "root/hs-missing-second") + ": No such file or directory | run: argv is NULL or empty");
}

TEST_CASE("resolve_path() returns a path under the root however the path is spelled") {
  const Fixture f({"hs_probe"});
  const std::string root = f / "root";
  CHECK(detail_of(surveyed(f.survey()), "hs-resolve-path") ==
        root + "/etc/shadow | " + root + " | " + root + "/etc/ssh | " + root + "/etc/ssh | " + root +
            "/etc/ssh | " + root + " | " + root + " | (null) | (null)");
  CHECK(detail_of(surveyed(f.survey({}, false)), "hs-resolve-path") ==
        "/etc/shadow | / | /etc/ssh | /etc/ssh | /etc/ssh | / | / | (null) | (null)");
}

TEST_CASE("reported text has C0, C1, separator and bidi controls replaced and UTF-8 repaired") {
  const Fixture f({"hs_probe"});
  const json s = signal_of(surveyed(f.survey()), "hs-sanitise");
  CHECK(s.at("detail") == kSanitised);
  CHECK(s.at("fix") == "fix " + kSanitised);
}

TEST_CASE("structs with a non-zero unknown tail are refused, with a zero tail accepted") {
  const Fixture f({"hs_probe"});
  const json report = surveyed(f.survey());
  const auto newer = [](const std::string &what, std::size_t known) {
    return what + " sets fields this core does not know (struct_size " + size_text(known + 8) + "; ABI " +
           size_text(HI_ABI_MAJOR) + "." + size_text(HI_ABI_MINOR) + " defines " + size_text(known) + ")";
  };
  CHECK(detail_of(report, "hs-tail-command") == "set rc=-1: run: " + newer("hi_command", sizeof(hi_command)) +
                                                    " | zero rc=0");
  CHECK(detail_of(report, "hs-tail-command-result") ==
        "set rc=-1: run: " + newer("hi_command_result", sizeof(hi_command_result)) + " untouched | zero rc=0 filled " +
            size_text(sizeof(hi_command_result)) + " of " + size_text(sizeof(hi_command_result) + 8));
  CHECK(detail_of(report, "hs-tail-file") == "set rc=-1: read_file: " + newer("hi_file", sizeof(hi_file)) +
                                                 " untouched | zero rc=0 read present");
  // The refused report (status fail) does not count; the plain one after it does.
  const json tail = signal_of(report, "hs-tail-result");
  CHECK(tail.at("status") == "pass");
  CHECK(tail.at("detail") == "set rc=-1: report: " + newer("hi_result", sizeof(hi_result)));
  const json plugin = plugin_of(report, "hs_probe");
  CHECK(plugin.at("state") == "ok");
  CHECK(plugin.at("error") == "report refused: " + newer("hi_result", sizeof(hi_result)));
}

TEST_CASE("output structs too short for the 1.0 fields are refused and left unwritten") {
  const Fixture f({"hs_probe"});
  // Up to the last field ABI 1.0 defines; padding after it is not required.
  const std::string result_size = size_text(offsetof(hi_command_result, elapsed_ms) + sizeof(uint32_t));
  CHECK(detail_of(surveyed(f.survey()), "hs-short-out") ==
        "run 0 rc=-1: run: hi_command_result has struct_size 0 (at least " + result_size +
            " expected) untouched | run short rc=-1: run: hi_command_result has struct_size " +
            size_text(offsetof(hi_command_result, stdout_data)) + " (at least " + result_size +
            " expected) untouched | read_file 0 rc=-1: read_file: hi_file has struct_size 0 (at least " +
            size_text(offsetof(hi_file, len) + sizeof(size_t)) + " expected) untouched | command 0 rc=-1: run: hi_command has struct_size 0 "
            "(at least " + size_text(offsetof(hi_command, timeout_ms)) + " expected)");
}

TEST_CASE("a plugin that calls exit() in probe() keeps what it reported and is recorded as exited early") {
  const Fixture f({"hs_exit"});
  const json report = surveyed(f.survey());
  CHECK(signal_of(report, "hs-exit-before").at("status") == "pass");
  CHECK(detail_of(report, "hs-exit-before") == "reported before exit");
  CHECK(signal_of(report, "hs-exit-after").at("status") == "skip");
  CHECK(detail_of(report, "hs-exit-after") == "plugin exited (exit 3) before finishing its probe");
  CHECK(plugin_of(report, "hs_exit").at("state") == "crashed");
  CHECK(plugin_of(report, "hs_exit").at("error") == "plugin exited (exit 3) before finishing its probe");
}

TEST_CASE("a status out of range and a non-zero probe() return are plugin errors") {
  const Fixture f({"hs_misreport"});
  const json report = surveyed(f.survey());
  CHECK(signal_of(report, "hs-misreport-status").at("status") == "skip");
  CHECK(detail_of(report, "hs-misreport-status") == "probe did not report");
  CHECK(signal_of(report, "hs-misreport-ok").at("status") == "pass");
  CHECK(detail_of(report, "hs-misreport-ok") == "status out of range");
  CHECK(plugin_of(report, "hs_misreport").at("state") == "ok");
  CHECK(plugin_of(report, "hs_misreport").at("error") == "reported status 9 for hs-misreport-status; probe returned 7");
}

TEST_CASE("guarded_probe turns an escaping exception into a logged error and probe returned 1") {
  const Fixture f({"hs_throw"});
  const auto r = f.survey({"--verbose"});
  const json report = surveyed(r);
  CHECK(signal_of(report, "hs-throw-after").at("status") == "skip");
  CHECK(detail_of(report, "hs-throw-after") == "probe did not report");
  CHECK(plugin_of(report, "hs_throw").at("state") == "ok");
  CHECK(plugin_of(report, "hs_throw").at("error") == "probe returned 1");
  CHECK(r.err.find("[hs_throw]   hs_throw failed on purpose\n") != std::string::npos);
}

TEST_CASE("a tool that cannot be started is a warning naming why, not an exit code") {
  const Fixture f({"hs_throw"});
  const json s = signal_of(surveyed(f.survey()), "hs-throw-start");
  CHECK(s.at("status") == "warn");
  CHECK(s.at("detail") == "could not run hs-broken-tool: exec " + (f / "tools/hs-broken-tool") + ": Exec format error");
}
