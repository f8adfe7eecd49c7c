// Every way a baseline file is rejected, each with its exact FILE:LINE:COL.
// A rejected file is rejected whole: load() fails, nothing of it is used.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <string>

#include "fixtures.hpp"

namespace hi::test {
namespace {

using Names = std::vector<std::string>;

// Writes content to DIR/STEM.yaml; returns every problem check() finds, each
// with the file's path checked and removed ("LINE:COL: message"), after
// checking that load() fails with the first of them.
Names problems_in(const TempDir &dir, const std::string &content, const std::string &stem = "x",
                  std::vector<std::string> extra_dirs = {}) {
  const std::string path = dir.write(stem + ".yaml", content);
  extra_dirs.insert(extra_dirs.begin(), dir.path());
  const BaselineCatalog catalog(extra_dirs);
  const Names problems = catalog.check(path);
  const auto loaded = catalog.load(path);
  if (problems.empty()) {
    INFO(content.substr(0, 300));
    CHECK(loaded.ok());
    return {};
  }
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.error() == problems.front());
  Names out;
  for (const auto &p : problems) {
    REQUIRE(p.rfind(path + ":", 0) == 0);
    out.push_back(p.substr(path.size() + 1));
  }
  return out;
}

std::string first_problem(const std::string &content, const std::string &stem = "x") {
  TempDir dir;
  const Names problems = problems_in(dir, content, stem);
  INFO(content.substr(0, 300));
  REQUIRE_FALSE(problems.empty());
  return problems.front();
}

TEST_CASE("baseline: YAML syntax errors carry yaml-cpp's position", "[baseline][schema]") {
  CHECK(first_problem("require:\n  - a\n - b\n") == "3:2: invalid YAML: end of map not found");
  CHECK(first_problem("require: [a, b\n") == "2:1: invalid YAML: end of sequence flow not found");
  CHECK(first_problem("require: [a]\n---\nrequire: [b]\n") == "3:1: more than one YAML document");
}

TEST_CASE("baseline: unknown keys are rejected", "[baseline][schema]") {
  TempDir dir;
  CHECK(problems_in(dir, "name: x\nrequires: [a]\n") ==
        Names{"2:1: unknown key 'requires' (expected name, description, extends or require)",
              "1:1: missing 'require': a baseline requires at least one signal"});
  CHECK(first_problem("require:\n  - signal: a\n    wy: x\n") ==
        "3:5: unknown key 'wy' in a requirement (expected signal, any_of, all_of or why)");
  CHECK(first_problem("require:\n  - any_of: [a, {signal: b, because: c}]\n") ==
        "2:29: unknown key 'because' in a requirement (expected signal, any_of, all_of or why)");
  CHECK(first_problem("require: [a]\nrequire: [b]\n") == "2:1: duplicate key 'require'");
  CHECK(first_problem("require:\n  - signal: a\n    signal: b\n") == "3:5: duplicate key 'signal'");
}

TEST_CASE("baseline: values of the wrong type are rejected", "[baseline][schema]") {
  CHECK(first_problem("- a\n- b\n") == "1:1: a baseline is a mapping of name, description, extends and require");
  CHECK(first_problem("require: ufw\n") == "1:10: 'require' must be a list of requirements");
  CHECK(first_problem("name: [x]\nrequire: [a]\n") == "1:7: 'name' must be text");
  CHECK(first_problem("description: {a: b}\nrequire: [a]\n") == "1:14: 'description' must be text");
  CHECK(first_problem("extends: [minimal]\n") == "1:10: 'extends' must be one baseline name");
  CHECK(first_problem("require:\n  - [ufw, nftables]\n") ==
        "2:5: a requirement is a signal name or a mapping with signal, any_of or all_of, not a list");
  CHECK(first_problem("require:\n  - any_of: ufw\n") == "2:13: 'any_of' must be a list of requirements");
  CHECK(first_problem("require:\n  - all_of: {a: b}\n") == "2:13: 'all_of' must be a list of requirements");
  CHECK(first_problem("require:\n  - signal: [a]\n") == "2:13: a signal name must be text");
  CHECK(first_problem("require:\n  - signal: a\n    why: [x]\n") == "3:10: 'why' must be text");
  CHECK(first_problem("require:\n  - {signal: a, all_of: [b]}\n") ==
        "2:17: a requirement has exactly one of signal, any_of or all_of");
  CHECK(first_problem("require:\n  - why: x\n") == "2:5: a requirement mapping needs one of signal, any_of or all_of");
  CHECK(first_problem("? [a]\n: b\nrequire: [a]\n") == "1:3: keys must be plain text");
}

TEST_CASE("baseline: empty files, lists and groups are rejected", "[baseline][schema]") {
  CHECK(first_problem("") == "1:1: empty baseline file: expected a mapping with 'require'");
  CHECK(first_problem("# nothing yet\n") == "1:1: empty baseline file: expected a mapping with 'require'");
  CHECK(first_problem("name: x\n") == "1:1: missing 'require': a baseline requires at least one signal");
  CHECK(first_problem("require: []\n") == "1:10: 'require' is empty");
  CHECK(first_problem("name: x\nrequire:\n") == "2:1: 'require' is empty");
  CHECK(first_problem("require:\n  - any_of: []\n") == "2:13: empty any_of group");
  CHECK(first_problem("require:\n  - a\n  - all_of:\n  - b\n") == "3:5: empty all_of group");
  CHECK(first_problem("require:\n  - any_of: [a, {all_of: []}]\n") == "2:26: empty all_of group");
}

TEST_CASE("baseline: signal names are [a-z0-9][a-z0-9._-]{0,63}", "[baseline][schema]") {
  const std::string pattern = " (expected [a-z0-9][a-z0-9._-]{0,63})";
  CHECK(first_problem("require:\n  - a\n  -\n  - b\n") == "3:3: empty signal name");
  CHECK(first_problem("require:\n  - \"\"\n") == "2:5: empty signal name");
  CHECK(first_problem("require:\n  - signal:\n") == "2:5: empty signal name");
  CHECK(first_problem("require:\n  - ~\n") == "2:5: empty signal name");
  for (const std::string bad : {"Ufw", "ufw firewall", "-ufw", ".ufw", "_a", "a/b", "ufw!", "caf\xc3\xa9"}) {
    CHECK(first_problem("require:\n  - \"" + bad + "\"\n") == "2:5: invalid signal name '" + bad + "'" + pattern);
  }
  const std::string long_name(65, 'a');
  CHECK(first_problem("require:\n  - signal: " + long_name + "\n") ==
        "2:13: invalid signal name '" + std::string(64, 'a') + "...'" + pattern);

  TempDir dir;
  const std::string ok_names = "require: [a, 0, ssh-root-login, x.y_z-1, " + std::string(64, 'z') + "]\n";
  CHECK(problems_in(dir, ok_names).empty());
}

TEST_CASE("baseline: name must match the file stem", "[baseline][schema]") {
  CHECK(first_problem("name: other\nrequire: [a]\n") ==
        "1:7: name 'other' does not match the file name 'x.yaml' (a baseline is known by its file name)");
  TempDir dir;
  CHECK(problems_in(dir, "name: site-1\nrequire: [a]\n", "site-1").empty());
  CHECK(problems_in(dir, "require: [a]\n", "unnamed").empty());
  const auto unnamed = BaselineCatalog({dir.path()}).load("unnamed");
  REQUIRE(unnamed.ok());
  CHECK(unnamed->name == "unnamed");
}

TEST_CASE("baseline: duplicate requirements are rejected, within a file and across extends", "[baseline][schema]") {
  TempDir dir;
  const std::string path = dir / "x.yaml";
  CHECK(problems_in(dir, "require:\n  - ufw\n  - any_of: [tailscale, ufw]\n") ==
        Names{"3:25: duplicate requirement 'ufw' (already required at " + path + ":2:5)"});
  CHECK(problems_in(dir, "require:\n  - any_of: [a, b]\n  - all_of: [c, {any_of: [b, d]}]\n  - c\n") ==
        Names{"3:27: duplicate requirement 'b' (already required at " + path + ":2:17)",
              "4:5: duplicate requirement 'c' (already required at " + path + ":3:14)"});

  const std::string base = dir.write("base.yaml", "require: [ufw]\n");
  CHECK(problems_in(dir, "extends: base\nrequire:\n  - nftables\n  - ufw\n") ==
        Names{"4:5: duplicate requirement 'ufw' (already required at " + base + ":1:11)"});
}

TEST_CASE("baseline: unknown and cyclic extends are rejected", "[baseline][schema]") {
  TempDir dir;
  CHECK(problems_in(dir, "extends: nope\nrequire: [a]\n", "x", {shipped_dir()}) ==
        Names{"1:10: unknown baseline 'nope' in extends (known: catalin, minimal, paranoid, x)"});
  CHECK(first_problem("extends: ../minimal\n") ==
        "1:10: invalid baseline name '../minimal' in extends (expected [a-z0-9][a-z0-9._-]{0,63})");
  CHECK(problems_in(dir, "name: x\nextends: x\nrequire: [a]\n") == Names{"2:10: cyclic extends: x -> x"});

  dir.write("b.yaml", "require: [b]\nextends: c\n");
  const std::string c = dir.write("c.yaml", "extends: x\nrequire: [c]\n");
  // The cycle closes in c.yaml, so that is where it is reported.
  const Names cyclic = BaselineCatalog({dir.path()}).check(dir.write("x.yaml", "extends: b\nrequire: [a]\n"));
  CHECK(cyclic == Names{c + ":1:10: cyclic extends: x -> b -> c -> x"});
  const auto loaded = BaselineCatalog({dir.path()}).load("b");
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.error() == dir / "x.yaml" + ":1:10: cyclic extends: b -> c -> x -> b");
}

TEST_CASE("baseline: an invalid extended baseline makes its extender invalid", "[baseline][schema]") {
  TempDir dir;
  const std::string base = dir.write("base.yaml", "require: [Bad]\n");
  CHECK(BaselineCatalog({dir.path()}).check(dir.write("x.yaml", "extends: base\nrequire: [a]\n")) ==
        Names{base + ":1:11: invalid signal name 'Bad' (expected [a-z0-9][a-z0-9._-]{0,63})"});
  CHECK_FALSE(BaselineCatalog({dir.path()}).load("x").ok());
}

TEST_CASE("baseline: non-UTF-8 and binary files are rejected before parsing", "[baseline][schema]") {
  CHECK(first_problem("require:\n  - caf\xc3\xa9\xff\n") == "2:10: not UTF-8 text: invalid byte 0xff");
  CHECK(first_problem("require: [a]\ndescription: \xc0\xaf\n") == "2:14: not UTF-8 text: invalid byte 0xc0");
  CHECK(first_problem("require: [a]\ndescription: \xed\xa0\x80\n") == "2:14: not UTF-8 text: invalid byte 0xed");
  CHECK(first_problem("require: [a]\ndescription: \xf4\x90\x80\x80\n") == "2:14: not UTF-8 text: invalid byte 0xf4");
  CHECK(first_problem("require: [a]\ndescription: x\xe2\x82") == "2:15: not UTF-8 text: invalid byte 0xe2");
  CHECK(first_problem(std::string("require:\n  - a\0\n", 16)) == "2:6: binary content: control character 0x00");
  CHECK(first_problem("require: [a]\x1b[0m\n") == "1:13: binary content: control character 0x1b");
  CHECK(first_problem("\x7f" "ELF\x02\x01\x01") == "1:1: binary content: control character 0x7f");

  TempDir dir;
  CHECK(problems_in(dir, "\xef\xbb\xbf" "description: caf\xc3\xa9 \xe2\x80\x93 \xf0\x9f\x94\x92\r\nrequire: [a]\r\n").empty());
}

TEST_CASE("baseline: a file over 1 MiB is rejected, 1 MiB exactly is read", "[baseline][schema]") {
  const std::string head = "require: [a]\n#";
  std::string exact = head + std::string(kMaxBaselineFileBytes - head.size() - 1, 'x') + "\n";
  REQUIRE(exact.size() == 1024 * 1024);
  TempDir dir;
  CHECK(problems_in(dir, exact).empty());
  CHECK(first_problem(exact + "\n") == "1:1: file is larger than 1 MiB");
}

std::string nested_any_of(int groups) {
  std::string open, close;
  for (int i = 0; i < groups; ++i) {
    open += "{any_of: [";
    close += "]}";
  }
  return "require:\n  - " + open + "a" + close + "\n";
}

TEST_CASE("baseline: requirements nest at most 16 levels deep", "[baseline][schema]") {
  TempDir dir;
  CHECK(problems_in(dir, nested_any_of(15)).empty());  // the signal sits at depth 16
  // 16 groups put the signal at depth 17: "  - " and 16 * "{any_of: [" precede it.
  CHECK(first_problem(nested_any_of(16)) == "2:165: requirement nested deeper than 16 levels");

  std::string block = "require:\n";
  std::string indent = "  ";
  for (int i = 0; i < 17; ++i) {
    block += indent + "- all_of:\n";
    indent += "    ";
  }
  block += indent + "- a\n";
  // The 17th group is the first one too deep; it is on line 18, after 16 indents of four.
  CHECK(first_problem(block) == "18:" + std::to_string(2 + 16 * 4 + 3) + ": requirement nested deeper than 16 levels");
}

TEST_CASE("baseline: deeply nested flow collections are refused before yaml-cpp sees them", "[baseline][schema]") {
  const std::string message = "nesting too deep: more than 64 levels of [ ] and { }";
  // The 65th bracket is the first too deep; "require: " takes nine columns.
  CHECK(first_problem("require: " + std::string(100000, '[') + "\n") == "1:74: " + message);
  std::string maps = "require: ";
  for (int i = 0; i < 100000; ++i) maps += "{a: ";
  CHECK(first_problem(maps + "\n") == "1:" + std::to_string(10 + 64 * 4) + ": " + message);
  CHECK(first_problem("require:\n  - [\n" + std::string(70, '[') + "\n") == "3:64: " + message);

  // Brackets in quoted scalars, comments and plain text are not structure.
  const std::string many(100, '[');
  TempDir dir;
  CHECK(problems_in(dir, "description: '" + many + "'\nrequire: [a] # " + many + "\n").empty());
  CHECK(problems_in(dir, "description: \"" + many + "\\\"\"\nrequire: [a]\n").empty());
  CHECK(problems_in(dir, "description: see " + many + "\nrequire: [a]\n").empty());
  CHECK(problems_in(dir, "require:\n  - signal: a\n    why: |\n      " + many + "\n\n      " + many +
                             "\n  - signal: b\n    why: >-\n     " + many + "\n").empty());
  // The block scalar ends where the indentation does; brackets after it count again.
  CHECK(first_problem("description: |\n  " + many + "\nrequire: " + many + "\n") == "3:74: " + message);
}

TEST_CASE("baseline: deep block nesting is stopped by yaml-cpp's own guard", "[baseline][schema]") {
  std::string dashes = "require:\n  ";
  for (int i = 0; i < 100000; ++i) dashes += "- ";
  const std::string problem = first_problem(dashes + "a\n");
  CHECK(problem.rfind("2:", 0) == 0);
  CHECK_THAT(problem, Catch::EndsWith(": nesting too deep for a baseline"));
}

std::string signals_file(std::size_t count, const std::string &prefix, const std::string &head = "") {
  std::string text = head + "require:\n";
  char name[32];
  for (std::size_t i = 0; i < count; ++i) {
    std::snprintf(name, sizeof name, "  - %s%05zu\n", prefix.c_str(), i);
    text += name;
  }
  return text;
}

TEST_CASE("baseline: 10,000 requirements load in O(n log n) name comparisons", "[baseline][schema]") {
  TempDir dir;
  const std::string path = dir.write("big.yaml", signals_file(10000, "s"));
  LoadStats stats;
  const auto loaded = BaselineCatalog({dir.path()}).load("big", &stats);
  INFO((loaded.ok() ? "" : loaded.error()));
  REQUIRE(loaded.ok());
  CHECK(loaded->require.size() == 10000);
  CHECK(stats.requirements == 10000);
  CHECK(stats.files_read == 1);
  // A balanced tree needs about n log2 n comparisons (~133,000 here); comparing
  // each name with every earlier one would take 50 million.
  const double n = 10000;
  CHECK(static_cast<double>(stats.name_comparisons) <= 2 * n * std::log2(n));
  CHECK(stats.name_comparisons >= 10000);

  const auto verdict = evaluate(*loaded, {});
  CHECK(verdict.missing.size() == 10000);
  CHECK(required_signals(*loaded).size() == 10000);
}

TEST_CASE("baseline: more than 10,000 requirements are rejected", "[baseline][schema]") {
  // The 10,001st item is on line 10,002; its name starts in column 5.
  CHECK(first_problem(signals_file(10001, "s")) == "10002:5: more than 10000 requirements");
  // Groups count too: 3,334 any_of groups of two are 10,002 requirements.
  std::string groups = "require:\n";
  for (int i = 0; i < 3334; ++i) groups += "  - any_of: [a" + std::to_string(i) + ", b" + std::to_string(i) + "]\n";
  // Group 3,333 (line 3,335) holds the 10,000th (itself) and 10,001st (its a3333, column 14).
  CHECK(first_problem(groups) == "3335:14: more than 10000 requirements");

  TempDir dir;
  dir.write("base.yaml", signals_file(6000, "b"));
  CHECK(problems_in(dir, signals_file(4000, "x", "extends: base\n")).empty());
  CHECK(problems_in(dir, signals_file(4001, "x", "extends: base\n")) ==
        Names{"4003:5: more than 10000 requirements, extended baselines included"});
}

TEST_CASE("baseline: check reports every problem in a file, in order", "[baseline][schema]") {
  TempDir dir;
  CHECK(problems_in(dir,
                    "name: x\n"
                    "descripton: typo\n"
                    "require:\n"
                    "  - Ufw\n"
                    "  - any_of: []\n"
                    "  - signal: fail2ban\n"
                    "    why: [x]\n"
                    "  - ssh-password-auth\n"
                    "  - ssh-password-auth\n") ==
        Names{"2:1: unknown key 'descripton' (expected name, description, extends or require)",
              "4:5: invalid signal name 'Ufw' (expected [a-z0-9][a-z0-9._-]{0,63})",
              "5:13: empty any_of group",
              "7:10: 'why' must be text",
              "9:5: duplicate requirement 'ssh-password-auth' (already required at " + dir / "x.yaml" + ":8:5)"});
}

TEST_CASE("baseline: a file that cannot be read is reported without a position", "[baseline][schema]") {
  TempDir dir;
  const BaselineCatalog catalog({dir.path()});
  CHECK(catalog.check(dir / "absent.yaml") == Names{dir / "absent.yaml" + ": cannot read: No such file or directory"});
  dir.mkdir("dir.yaml");
  const auto loaded = catalog.load(dir / "dir.yaml");
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.error() == dir / "dir.yaml" + ": cannot read: not a regular file");
}

}  // namespace
}  // namespace hi::test
