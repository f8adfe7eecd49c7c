// Plugins through the command line: the untrusted-plugins warning on every
// subcommand that loads plugins, and one shape for a plugin that did not load.
#include "cli_support.hpp"

#include <map>
#include <stdexcept>

using namespace hi::test;
using namespace hi::test::cli;

namespace {

const std::string kUntrustedWarning = "hermes-inspect: WARNING: --allow-untrusted-plugins: plugin trust checks are OFF";

// A plugins dir with one file that is not a plugin at all.
std::string junk_plugins(const TempDir &dir) {
  dir.write("plugins/junk.so", "this is a text file, not a shared object\n");
  return dir / "plugins";
}

const nlohmann::json &plugin_named(const nlohmann::json &plugins, const std::string &name) {
  for (const auto &p : plugins)
    if (p.at("name") == name) return p;
  FAIL("no plugin " << name << " in " << plugins.dump());
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("cli plugins: every subcommand that loads plugins warns about --allow-untrusted-plugins",
          "[cli][plugins][trust]") {
  const std::string name = GENERATE("run", "list", "list --json", "explain", "baseline check");
  INFO(name);
  const EmptyHost host;
  const TempDir baselines;
  const std::map<std::string, std::vector<std::string>> commands{
      {"run", with({"run"}, host.flags())},
      {"list", {"list"}},
      {"list --json", {"list", "--json"}},
      {"explain", {"explain", "ufw"}},
      {"baseline check", {"baseline", "check", baselines.write("b.yaml", "require: [ufw]\n")}}};
  const auto &args = commands.at(name);

  const auto trusting = run_inspector(args);
  REQUIRE(trusting.exit_code == 0);
  CHECK_FALSE(contains(trusting.err, "--allow-untrusted-plugins"));

  const auto untrusted = run_inspector(with(args, {"--allow-untrusted-plugins"}));
  INFO(untrusted.err);
  REQUIRE(untrusted.exit_code == 0);
  CHECK(contains(untrusted.err, kUntrustedWarning));
  CHECK_FALSE(contains(untrusted.out, "WARNING"));  // stdout stays the report
}

TEST_CASE("cli plugins: `baselines` loads no plugin, so it has nothing to warn about", "[cli][plugins][trust]") {
  const auto r = run_inspector({"baselines", "--allow-untrusted-plugins"});
  CHECK(r.exit_code == 0);
  CHECK_FALSE(contains(r.err, kUntrustedWarning));
}

TEST_CASE("cli plugins: a plugin that did not load has version and abi \"\" in list --json and run --json",
          "[cli][plugins][json]") {
  const EmptyHost host;
  const auto plugins = junk_plugins(host.dir());

  const auto list = run_inspector({"list", "--json", "--plugins-dir", plugins});
  REQUIRE(list.exit_code == 0);
  const auto run = run_inspector(with({"run", "--json", "--plugins-dir", plugins}, host.flags()));
  REQUIRE(run.exit_code == 0);

  const auto listed = plugin_named(list.json().at("plugins"), "junk");
  const auto reported = plugin_named(run.json().at("plugins"), "junk");
  CHECK(listed.at("state") == "invalid");
  CHECK(reported.at("state") == "invalid");
  for (const char *field : {"version", "abi"}) {
    INFO(field);
    CHECK(listed.at(field) == "");
    CHECK(reported.at(field) == listed.at(field));
  }
  // A loaded plugin gives both as text in both documents.
  const auto ufw = plugin_named(list.json().at("plugins"), "ufw");
  CHECK(ufw.at("abi") == plugin_named(run.json().at("plugins"), "ufw").at("abi"));
  CHECK_FALSE(ufw.at("version").get<std::string>().empty());
}

TEST_CASE("cli plugins: explain prints what a signal checks and the commands it runs", "[cli][plugins][explain]") {
  const auto r = run_inspector({"explain", "ufw"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.rfind("ufw", 0) == 0);
  CHECK(contains(r.out, "\nCommands it runs (grant these to a monitoring user in sudoers)\n  ufw status verbose\n"));

  const auto unknown = run_inspector({"explain", "no-such-signal"});
  CHECK(unknown.exit_code == 2);
  CHECK(contains(unknown.err, "unknown signal 'no-such-signal' (known: "));
}

TEST_CASE("cli docs: the man page and README state the rules the binary applies", "[cli][docs]") {
  const std::string man = read_text(source_dir() + "/packaging/man/hermes-inspect.1");
  const std::string readme = read_text(source_dir() + "/README.md");
  // The trust rule: a sticky directory such as /tmp above the plugin's own
  // directory is accepted, and a symbolic link is checked like the file.
  CHECK(contains(man, "sticky bit"));
  CHECK(contains(man, "symbolic link"));
  CHECK(contains(readme, "a sticky directory such as `/tmp` is accepted"));
  // The baseline name rule, enforced by `cli baseline check: name: must equal the file name`.
  CHECK(contains(readme, "`name:`, when given, must equal the file name"));
  // The --only and --strict choice.
  CHECK(contains(readme, "not surveyed (--only)"));
}
