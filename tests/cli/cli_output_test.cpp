// What `run` prints and where: colour only on a terminal, glyphs by locale,
// every --format through the command line, and --output written atomically.
#include "cli_support.hpp"

#include <sys/stat.h>
#include <unistd.h>

using namespace hi::test;
using namespace hi::test::cli;

namespace {

const std::string kEscape = "\x1b[";

std::string shell_quote(const std::string &s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// argv run on a pseudo-terminal by script(1), so its stdout is a terminal.
ProcessResult run_on_terminal(const std::vector<std::string> &argv) {
  const std::string script = require_tool("script", "bsdutils");
  std::string command;
  for (const auto &a : argv) command += (command.empty() ? "" : " ") + shell_quote(a);
  return run_process({script, "-qec", command, "/dev/null"});
}

std::vector<std::string> table_argv(const EmptyHost &host, const std::vector<std::string> &env_args,
                                    const std::vector<std::string> &more = {}) {
  std::vector<std::string> argv{"/usr/bin/env"};
  argv.insert(argv.end(), env_args.begin(), env_args.end());
  argv.push_back("LC_ALL=C.UTF-8");
  argv.push_back(inspector_binary());
  return with(with(with(argv, {"run"}), host.flags()), more);
}

// promtool check metrics reads the exposition on stdin.
ProcessResult promtool_check(const std::string &file) {
  const std::string promtool = require_tool("promtool", "prometheus");
  return run_process({"/bin/sh", "-c", "exec \"$0\" check metrics < \"$1\"", promtool, file});
}

std::vector<std::string> entries_of(const std::string &dir) {
  std::vector<std::string> names;
  for (const auto &e : std::filesystem::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_CASE("cli output: colour on a terminal, never with NO_COLOR, --no-color or a pipe", "[cli][output][color]") {
  const EmptyHost host;

  SECTION("a terminal gets ANSI colour") {
    const auto r = run_on_terminal(table_argv(host, {"-u", "NO_COLOR"}));
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, "\x1b[31m" + kFail + "\x1b[0m minimal baseline NOT satisfied"));
  }
  SECTION("NO_COLOR=1 on a terminal: none") {
    const auto r = run_on_terminal(table_argv(host, {"NO_COLOR=1"}));
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, kFail + " minimal baseline NOT satisfied"));
    CHECK_FALSE(contains(r.out, kEscape));
  }
  SECTION("--no-color on a terminal: none") {
    const auto r = run_on_terminal(table_argv(host, {"-u", "NO_COLOR"}, {"--no-color"}));
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, kFail + " minimal baseline NOT satisfied"));
    CHECK_FALSE(contains(r.out, kEscape));
  }
  SECTION("piped: none") {
    const auto argv = table_argv(host, {"-u", "NO_COLOR"});
    const auto r = run_process(argv);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, kFail + " minimal baseline NOT satisfied"));
    CHECK_FALSE(contains(r.out, kEscape));
  }
}

TEST_CASE("cli output: ASCII glyphs when the locale is not UTF-8", "[cli][output][locale]") {
  const EmptyHost host;
  const auto args = with({"run", "--all"}, host.flags());

  SECTION("C") {
    const auto r = run_with_env({"-u", "LC_CTYPE", "LANG=C", "LC_ALL=C"}, args);
    INFO(r.out);
    REQUIRE(r.exit_code == 0);
    CHECK(std::all_of(r.out.begin(), r.out.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }));
    // Not a terminal: 80 columns, so the line wraps at a space.
    CHECK(has_line(r.out, "x minimal baseline NOT satisfied - missing: ufw | firewalld | nftables |"));
    CHECK(contains(r.out, "\n- ufw "));
  }
  SECTION("C.UTF-8") {
    const auto r = run_with_env({"-u", "LC_CTYPE", "LANG=C", "LC_ALL=C.UTF-8"}, args);
    INFO(r.out);
    REQUIRE(r.exit_code == 0);
    CHECK(has_line(r.out, kFail + " minimal baseline NOT satisfied " + kDash + " missing: ufw | firewalld | nftables |"));
    CHECK(contains(r.out, "\n\xe2\x80\x93 ufw "));
  }
}

TEST_CASE("cli output: --format jsonl prints one signal a line", "[cli][output][jsonl]") {
  const EmptyHost host;
  const auto json = run_inspector(with({"run", "--json"}, host.flags()));
  const auto jsonl = run_inspector(with({"run", "--format", "jsonl"}, host.flags()));
  REQUIRE(json.exit_code == 0);
  REQUIRE(jsonl.exit_code == 0);
  const auto doc = json.json();
  const auto lines = lines_of(jsonl.out);
  REQUIRE(lines.size() == doc.at("signals").size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    INFO(lines[i]);
    const auto line = nlohmann::json::parse(lines[i], nullptr, false);
    REQUIRE(line.is_object());
    CHECK(line.at("name") == doc.at("signals")[i].at("name"));
    CHECK(line.at("status") == doc.at("signals")[i].at("status"));
    CHECK(line.at("baseline") == "minimal");
    CHECK(line.at("satisfied") == false);
  }
}

TEST_CASE("cli output: --format prometheus passes promtool check metrics", "[cli][output][prometheus]") {
  const EmptyHost host;
  const auto r = run_inspector(with({"run", "--format", "prometheus"}, host.flags()));
  REQUIRE(r.exit_code == 0);
  const TempDir dir;
  const auto check = promtool_check(dir.write("metrics.prom", r.out));
  INFO(r.out << "\npromtool: " << check.out << check.err);
  CHECK(check.exit_code == 0);
  CHECK(has_line(r.out, "hermes_inspect_signal_status{signal=\"ufw\",status=\"skip\"} 1"));
  CHECK(has_line(r.out, "hermes_inspect_baseline_satisfied{baseline=\"minimal\"} 0"));
  CHECK(contains(r.out, "\nhermes_inspect_last_run_timestamp_seconds "));
}

TEST_CASE("cli output: --output writes the file atomically and prints nothing", "[cli][output][atomic]") {
  const EmptyHost host;
  const std::string format = GENERATE("table", "json", "jsonl", "prometheus");
  INFO(format);
  const TempDir out_dir;
  const std::string file = out_dir.write("report", "the previous report\n");
  // A second name for the previous file: a writer that rewrote it in place
  // would change what this name shows; a rename leaves it alone.
  REQUIRE(::link(file.c_str(), (out_dir / "previous").c_str()) == 0);

  const auto r = run_inspector(with({"run", "--format", format, "--output", file}, host.flags()));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(read_text(out_dir / "previous") == "the previous report\n");
  CHECK(entries_of(out_dir.path()) == std::vector<std::string>{"previous", "report"});
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0644);

  const std::string written = read_text(file);
  if (format == "table") {
    CHECK(contains(written, "minimal baseline NOT satisfied"));
    CHECK_FALSE(contains(written, kEscape));
  } else if (format == "json") {
    CHECK(nlohmann::json::parse(written).at("baseline") == "minimal");
  } else if (format == "jsonl") {
    for (const auto &line : lines_of(written)) CHECK(nlohmann::json::parse(line).contains("status"));
  } else {
    const auto check = promtool_check(file);
    INFO(check.out << check.err);
    CHECK(check.exit_code == 0);
  }
}

TEST_CASE("cli output: an --output that cannot be written exits 2 naming it", "[cli][output][atomic]") {
  const EmptyHost host;
  const std::string file = host.dir() / "no-such-dir/report.json";
  const auto r = run_inspector(with({"run", "--json", "--output", file}, host.flags()));
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, file));
  CHECK(r.out.empty());
}
