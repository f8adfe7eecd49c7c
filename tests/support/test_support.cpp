#include "test_support.hpp"

#include "command_runner.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

namespace hi::test {

namespace fs = std::filesystem;

std::string inspector_binary() { return HI_TEST_BINARY; }
std::string source_dir() { return HI_TEST_SOURCE_DIR; }
std::string build_dir() { return HI_TEST_BUILD_DIR; }
std::string bundled_plugin_dir() { return HI_TEST_PLUGIN_DIR; }

TempDir::TempDir() {
  const char *base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/hi-test-XXXXXX";
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  ::chmod(pattern.c_str(), 0755);
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  // Undo modes tests set (unreadable dirs) so removal succeeds.
  for (auto it = fs::recursive_directory_iterator(path_, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec)) ::chmod(it->path().c_str(), 0755);
  }
  fs::remove_all(path_, ec);
}

std::string TempDir::write(const std::string &relative, const std::string &content, mode_t mode) const {
  const fs::path p = fs::path(path_) / relative;
  fs::create_directories(p.parent_path());
  {
    std::ofstream f(p, std::ios::binary | std::ios::trunc);
    f << content;
    if (!f) throw std::runtime_error("cannot write " + p.string());
  }
  ::chmod(p.c_str(), mode);
  return p.string();
}

std::string TempDir::mkdir(const std::string &relative, mode_t mode) const {
  const fs::path p = fs::path(path_) / relative;
  fs::create_directories(p);
  ::chmod(p.c_str(), mode);
  return p.string();
}

std::string write_fake_tool(const TempDir &dir, const std::string &name,
                            const std::string &stdout_text, const std::string &stderr_text,
                            int exit_code, double sleep_seconds) {
  const std::string out_file = dir.write(".fixtures/" + name + ".stdout", stdout_text);
  const std::string err_file = dir.write(".fixtures/" + name + ".stderr", stderr_text);
  std::ostringstream script;
  script << "#!/bin/sh\n";
  if (sleep_seconds > 0) script << "sleep " << sleep_seconds << "\n";
  script << "cat '" << out_file << "'\n"
         << "cat '" << err_file << "' >&2\n"
         << "exit " << exit_code << "\n";
  return dir.write(name, script.str(), 0755);
}

namespace {

std::string shell_quote(const std::string &s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string write_strict_fake_tool(const TempDir &dir, const std::string &name,
                                   const std::vector<std::string> &args, const std::string &stdout_text,
                                   const std::string &stderr_text, int exit_code) {
  const std::string answer = write_fake_tool(dir, ".answers/" + name, stdout_text, stderr_text, exit_code);
  std::ostringstream script;
  script << "#!/bin/sh\n[ $# -eq " << args.size() << " ]";
  for (std::size_t i = 0; i < args.size(); ++i)
    script << " && [ \"$" << (i + 1) << "\" = " << shell_quote(args[i]) << " ]";
  script << " ||\n  { echo \"unexpected arguments: $*\"; exit 99; }\nexec " << shell_quote(answer) << "\n";
  return dir.write(name, script.str(), 0755);
}

nlohmann::json survey_signal(const std::string &signal, const std::string &tool_path, const std::string &root) {
  const TempDir home;
  std::vector<std::string> args{"run", "--json", "--only", signal, "--tool-path", tool_path, "--hermes-home", home.path()};
  if (!root.empty()) args.insert(args.end(), {"--root", root});
  const auto r = run_inspector(args);
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);
  return signal_of(r.json(), signal);
}

std::string require_tool(const std::string &name, const std::string &package) {
  const char *path = std::getenv("PATH");
  auto dirs = split_path_list(path ? path : "");
  for (const char *d : {"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"})
    dirs.emplace_back(d);
  const auto found = find_executable(name, dirs);
  INFO(name << " not found: install the Debian package " << package);
  REQUIRE(found.has_value());
  return *found;
}

bool runs_here(bool possible, const std::string &why_not) {
  if (possible) return true;
  const char *no_skip = std::getenv("HI_TESTS_NO_SKIP");
  if (no_skip && std::string(no_skip) == "1") {
    FAIL_CHECK("cannot run here and HI_TESTS_NO_SKIP=1: " << why_not);
  } else {
    WARN("skipped: " << why_not);
  }
  return false;
}

nlohmann::json ProcessResult::json() const {
  auto doc = nlohmann::json::parse(out, nullptr, false);
  INFO("stdout: " << out.substr(0, 2000));
  INFO("stderr: " << err.substr(0, 2000));
  REQUIRE_FALSE(doc.is_discarded());
  return doc;
}

ProcessResult run_process(const std::vector<std::string> &argv,
                          const std::vector<std::string> &extra_env,
                          std::chrono::milliseconds timeout) {
  CommandSpec spec;
  spec.argv = argv;
  for (char **e = environ; *e; ++e) spec.env.emplace_back(*e);
  spec.env.insert(spec.env.end(), extra_env.begin(), extra_env.end());
  spec.timeout = timeout;
  spec.max_output = 64 << 20;
  const CommandOutcome o = run_command(spec);
  if (o.spawn_error) throw std::runtime_error(*o.spawn_error);
  return ProcessResult{o.exit_code, o.term_signal, o.timed_out, o.out, o.err, o.elapsed};
}

ProcessResult run_inspector(const std::vector<std::string> &args,
                            const std::vector<std::string> &extra_env,
                            std::chrono::milliseconds timeout) {
  std::vector<std::string> argv{inspector_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, extra_env, timeout);
}

void require_schema_valid(const std::string &document) {
  const TempDir dir;
  const std::string instance = dir.write("report.json", document);
  const auto r = run_process(
      {"/usr/bin/python3", "-m", "jsonschema", "-i", instance, source_dir() + "/core/report/report.schema.json"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
}

nlohmann::json signal_of(const nlohmann::json &report, const std::string &name) {
  for (const auto &s : report.at("signals"))
    if (s.at("name") == name) return s;
  FAIL("signal " << name << " not in report: " << report.dump());
  return {};
}

std::string read_text(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

}  // namespace hi::test
