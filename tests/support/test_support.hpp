// Shared test fixtures: temporary trees, fake tools on a --tool-path, and
// running the built hermes-inspect binary.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <sys/types.h>

namespace hi::test {

// Paths of the build under test.
std::string inspector_binary();
std::string source_dir();
std::string build_dir();
std::string bundled_plugin_dir();

// A fresh directory under $TMPDIR (default /tmp), mode 0755, removed with its
// contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;

  const std::string &path() const { return path_; }
  std::string operator/(const std::string &relative) const { return path_ + "/" + relative; }

  // Writes relative (creating parent directories, 0755) with content and mode.
  std::string write(const std::string &relative, const std::string &content, mode_t mode = 0644) const;
  std::string mkdir(const std::string &relative, mode_t mode = 0755) const;

 private:
  std::string path_;
};

// A fake tool: a /bin/sh script at dir/name that prints stdout_text to stdout and
// stderr_text to stderr (verbatim, through files beside it), optionally sleeps
// first, and exits with exit_code.
std::string write_fake_tool(const TempDir &dir, const std::string &name,
                            const std::string &stdout_text, const std::string &stderr_text = "",
                            int exit_code = 0, double sleep_seconds = 0);

// Like write_fake_tool, but it answers only when called with exactly `args`;
// any other call prints "unexpected arguments: ..." and exits 99, so a probe
// that runs another command than SIGNALS.md lists fails its test.
std::string write_strict_fake_tool(const TempDir &dir, const std::string &name,
                                   const std::vector<std::string> &args, const std::string &stdout_text,
                                   const std::string &stderr_text = "", int exit_code = 0);

// The path of a real tool the tests run, looked up on $PATH and the sbin
// directories. The test suite's set-up installs it, so its absence fails the
// test, naming the Debian package to install.
std::string require_tool(const std::string &name, const std::string &package);

// Whether a test that needs something of this machine (root, a kernel
// feature, an installed file) can run. When it cannot, it warns "skipped:
// WHY_NOT" and returns false; with HI_TESTS_NO_SKIP=1 in the environment
// (tests/run-all.sh sets it as root, so in CI) it fails instead.
bool runs_here(bool possible, const std::string &why_not);

struct ProcessResult {
  int exit_code = -1;
  int term_signal = 0;
  bool timed_out = false;
  std::string out;
  std::string err;
  std::chrono::milliseconds elapsed{0};

  // stdout parsed as one JSON document; fails the current test when it is not.
  nlohmann::json json() const;
};

// Runs argv (argv[0] a path) with the test's environment plus extra_env.
ProcessResult run_process(const std::vector<std::string> &argv,
                          const std::vector<std::string> &extra_env = {},
                          std::chrono::milliseconds timeout = std::chrono::seconds(120));

// Runs the built hermes-inspect with args.
ProcessResult run_inspector(const std::vector<std::string> &args,
                            const std::vector<std::string> &extra_env = {},
                            std::chrono::milliseconds timeout = std::chrono::seconds(120));

// `run --json --only SIGNAL --tool-path TOOL_PATH [--root ROOT]` with an empty
// Hermes home: that signal's record. Fails the test unless the run exits 0.
nlohmann::json survey_signal(const std::string &signal, const std::string &tool_path,
                             const std::string &root = "");

// Fails the test unless document is valid against the shipped report schema,
// checked by the real validator (python3-jsonschema).
void require_schema_valid(const std::string &document);

// The signal named `name` in a `run --json` document; fails the test when absent.
nlohmann::json signal_of(const nlohmann::json &report, const std::string &name);

std::string read_text(const std::string &path);

}  // namespace hi::test
