// Baselines through the command line: which file wins, `baseline check` and
// its exit codes, and what the report says about an unmet baseline.
#include "cli_support.hpp"

#include <map>

using namespace hi::test;
using namespace hi::test::cli;

namespace {

std::string shipped(const std::string &name) {
  return build_dir() + "/share/hermes-inspect/baselines/" + name + ".yaml";
}

const std::string kOverride = "description: the site's own minimal\nrequire: [ufw]\n";

}  // namespace

TEST_CASE("cli baselines: --baselines-dir overrides a shipped name, and the listing says which file won",
          "[cli][baselines]") {
  const TempDir site;
  const std::string file = site.write("minimal.yaml", kOverride);
  site.write("edge.yaml", "extends: minimal\n");

  SECTION("text") {
    const auto r = run_inspector({"baselines", "--baselines-dir", site.path()});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(has_line(r.out, "minimal  " + file));
    CHECK(has_line(r.out, "  overrides " + shipped("minimal")));
    CHECK(has_line(r.out, "edge  " + site / "edge.yaml"));
    CHECK(has_line(r.out, "paranoid  " + shipped("paranoid")));
  }
  SECTION("JSON") {
    const auto r = run_inspector({"baselines", "--json", "--baselines-dir", site.path()});
    REQUIRE(r.exit_code == 0);
    const auto doc = r.json();
    std::map<std::string, nlohmann::json> by_name;
    for (const auto &b : doc.at("baselines")) by_name[b.at("name").get<std::string>()] = b;
    REQUIRE(by_name.count("minimal") == 1);
    CHECK(by_name["minimal"].at("file") == file);
    const auto shadowed = by_name["minimal"].at("shadowed");
    CHECK(std::find(shadowed.begin(), shadowed.end(), shipped("minimal")) != shadowed.end());
    CHECK(by_name["catalin"].at("file") == shipped("catalin"));
    CHECK(by_name["catalin"].at("shadowed").empty());
  }
  SECTION("run evaluates the file that won") {
    const EmptyHost host;
    const auto r = run_inspector(with({"run", "--json", "--baselines-dir", site.path()}, host.flags()));
    REQUIRE(r.exit_code == 0);
    const auto doc = r.json();
    CHECK(doc.at("baseline_file") == file);
    CHECK(doc.at("missing") == nlohmann::json{"ufw"});
  }
}

TEST_CASE("cli baseline check: exit 0 when all are valid, 1 when any is not, 2 for a usage error",
          "[cli][baseline-check]") {
  const TempDir dir;
  const std::string good = dir.write("good.yaml", "require:\n  - ufw\n");
  const std::string bad = dir.write("bad.yaml", "require:\n  - any_of: []\n");

  SECTION("valid") {
    const auto r = run_inspector({"baseline", "check", good});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(has_line(r.out, good + ": ok"));
  }
  SECTION("invalid, reported FILE:LINE:COL: message") {
    const auto r = run_inspector({"baseline", "check", bad});
    CHECK(r.exit_code == 1);
    CHECK(has_line(r.out, bad + ":2:13: empty any_of group"));
  }
  SECTION("one invalid among valid ones") {
    const auto r = run_inspector({"baseline", "check", good, bad, shipped("minimal")});
    CHECK(r.exit_code == 1);
    CHECK(has_line(r.out, good + ": ok"));
    CHECK(has_line(r.out, shipped("minimal") + ": ok"));
  }
  SECTION("no file") {
    const auto r = run_inspector({"baseline", "check"});
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
  }
  SECTION("an unknown option") {
    CHECK(run_inspector({"baseline", "check", "--no-such-option", good}).exit_code == 2);
  }
  SECTION("no subcommand") {
    CHECK(run_inspector({"baseline"}).exit_code == 2);
  }
}

TEST_CASE("cli baseline check: name: must equal the file name", "[cli][baseline-check]") {
  const TempDir dir;
  const std::string file = dir.write("edge.yaml", "name: other\nrequire: [ufw]\n");
  const auto r = run_inspector({"baseline", "check", file});
  CHECK(r.exit_code == 1);
  CHECK(has_line(r.out, file + ":1:7: name 'other' does not match the file name 'edge.yaml' "
                               "(a baseline is known by its file name)"));
  CHECK(run_inspector({"run", "--baseline", file}).exit_code == 2);
}

TEST_CASE("cli run: the baseline line names only what is missing, as JSON's missing does", "[cli][run][baseline]") {
  const EmptyHost host;
  const std::string file = host.dir().write("l.yaml",
                                            "require:\n"
                                            "  - all_of: [test-good, ufw, nftables]\n"
                                            "  - any_of: [tailscale, all_of: [test-echo, fail2ban]]\n");
  const auto args = with({"run", "--baseline", file, "--plugins-dir", host.good_plugins()}, host.flags());

  const auto json = run_inspector(with(args, {"--json"}));
  REQUIRE(json.exit_code == 0);
  CHECK(json.json().at("missing") == nlohmann::json{"ufw", "nftables", "tailscale", "test-echo", "fail2ban"});

  const auto table = run_with_env({"LC_ALL=C.UTF-8"}, args);
  INFO(table.out);
  REQUIRE(table.exit_code == 0);
  // Not a terminal: 80 columns, so the line wraps at a space.
  const auto lines = lines_of(table.out);
  const auto verdict = std::find(lines.begin(), lines.end(),
                                 kFail + " l baseline NOT satisfied " + kDash + " missing: ufw + nftables, tailscale | (test-echo +");
  REQUIRE(verdict != lines.end());
  REQUIRE(verdict + 1 != lines.end());
  CHECK(verdict[1] == "  fail2ban)");
}

TEST_CASE("cli run: each unmet requirement's why is shown under the baseline line", "[cli][run][baseline]") {
  const EmptyHost host;
  const std::string file = host.dir().write("reasons.yaml",
                                            "require:\n"
                                            "  - signal: ufw\n"
                                            "    why: a host firewall even behind the mesh\n"
                                            "  - test-good\n"
                                            "  - any_of: [tailscale, nftables]\n"
                                            "    why: one way in\n");
  const auto r = run_with_env({"LC_ALL=C.UTF-8"}, with({"run", "--baseline", file, "--plugins-dir",
                                                          host.good_plugins()},
                                                         host.flags()));
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  const auto lines = lines_of(r.out);
  const auto verdict = std::find(lines.begin(), lines.end(),
                                 kFail + " reasons baseline NOT satisfied " + kDash + " missing: ufw, tailscale | nftables");
  REQUIRE(verdict != lines.end());
  CHECK(std::vector<std::string>(verdict + 1, lines.end()) ==
        std::vector<std::string>{"  ufw: a host firewall even behind the mesh", "  tailscale | nftables: one way in"});
}
