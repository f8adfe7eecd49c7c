// The search path: first match wins for a name, for `--baseline NAME` and for
// `extends`; listing shows what each name resolves to and what it shadows.
#include <catch2/catch.hpp>

#include <unistd.h>

#include "fixtures.hpp"

namespace hi::test {
namespace {

using Names = std::vector<std::string>;

Baseline load_ok(const BaselineCatalog &catalog, const std::string &name, LoadStats *stats = nullptr) {
  auto b = catalog.load(name, stats);
  INFO((b.ok() ? std::string() : b.error()));
  REQUIRE(b.ok());
  return *b;
}

TEST_CASE("baseline: listing shows the first file per name and the files it shadows", "[baseline][catalog]") {
  TempDir site, etc;
  const std::string site_minimal = site.write("minimal.yaml", "require: [ufw]\n");
  const std::string custom = site.write("custom.yaml", "require: [ufw]\n");
  const std::string etc_minimal = etc.write("minimal.yaml", "require: [nftables]\n");
  const std::string etc_catalin = etc.write("catalin.yaml", "require: [tailscale]\n");
  // Not baselines: other extensions, hidden or upper-case stems, directories.
  site.write("README.md", "notes\n");
  site.write("old.yml", "require: [a]\n");
  site.write(".swap.yaml", "require: [a]\n");
  site.write("Upper.yaml", "require: [a]\n");
  site.mkdir("dir.yaml");
  REQUIRE(::symlink(custom.c_str(), (etc / "linked.yaml").c_str()) == 0);

  const BaselineCatalog catalog({site.path(), etc.path() + "/", site / "absent", shipped_dir()});
  const auto entries = catalog.list();
  REQUIRE(entries.size() == 5);
  CHECK(entries[0].name == "catalin");
  CHECK(entries[0].file == etc_catalin);
  CHECK(entries[0].shadowed == Names{shipped_dir() + "/catalin.yaml"});
  CHECK(entries[1].name == "custom");
  CHECK(entries[1].file == custom);
  CHECK(entries[1].shadowed.empty());
  CHECK(entries[2].name == "linked");
  CHECK(entries[2].file == etc / "linked.yaml");
  CHECK(entries[3].name == "minimal");
  CHECK(entries[3].file == site_minimal);
  CHECK(entries[3].shadowed == Names{etc_minimal, shipped_dir() + "/minimal.yaml"});
  CHECK(entries[4].name == "paranoid");
  CHECK(entries[4].file == shipped_dir() + "/paranoid.yaml");
  CHECK(entries[4].shadowed.empty());
}

TEST_CASE("baseline: a site baseline overrides the shipped one of the same name", "[baseline][catalog]") {
  TempDir site;
  const std::string file = site.write("minimal.yaml", "name: minimal\ndescription: site\nrequire:\n  - nftables\n");
  const BaselineCatalog catalog({site.path(), shipped_dir()});
  REQUIRE(catalog.find("minimal") == file);
  const Baseline b = load_ok(catalog, "minimal");
  CHECK(b.file == file);
  CHECK(b.description == "site");
  CHECK(required_signals(b) == Names{"nftables"});
  CHECK(required_signals(load_ok(catalog, "catalin")).size() == 5);  // the others still come from the bundle
  CHECK(load_ok(BaselineCatalog({shipped_dir()}), "minimal").file == shipped_dir() + "/minimal.yaml");
}

TEST_CASE("baseline: extends resolves on the search path, site overrides included", "[baseline][catalog]") {
  TempDir site, other;
  const std::string strict =
      other.write("strict.yaml",
                  "name: strict\nextends: minimal\nrequire:\n  - signal: docker-seccomp\n    why: containers\n");

  SECTION("the shipped baseline's requirements come first") {
    LoadStats stats;
    const Baseline b = load_ok(BaselineCatalog({other.path(), shipped_dir()}), "strict", &stats);
    CHECK(b.name == "strict");
    CHECK(b.file == strict);
    CHECK(required_signals(b) ==
          Names{"ufw", "firewalld", "nftables", "tailscale", "ssh-password-auth", "iron-proxy-enabled", "docker-seccomp"});
    REQUIRE(b.require.size() == 4);
    CHECK(b.require[0].file == shipped_dir() + "/minimal.yaml");
    CHECK(b.require[3].file == strict);
    CHECK(b.require[3].line == 4);
    CHECK(b.require[3].column == 5);
    CHECK(b.require[3].why == "containers");
    CHECK(stats.files_read == 2);
    CHECK(stats.requirements == 4 + 4);  // the any_of group and its four members count
  }
  SECTION("a site minimal in an earlier directory is what extends gets") {
    site.write("minimal.yaml", "require: [nftables, fail2ban]\n");
    const Baseline b = load_ok(BaselineCatalog({site.path(), other.path(), shipped_dir()}), "strict");
    CHECK(required_signals(b) == Names{"nftables", "fail2ban", "docker-seccomp"});
  }
  SECTION("an override placed after the extender still wins over the shipped one") {
    site.write("minimal.yaml", "require: [fail2ban]\n");
    const Baseline b = load_ok(BaselineCatalog({other.path(), site.path(), shipped_dir()}), "strict");
    CHECK(required_signals(b) == Names{"fail2ban", "docker-seccomp"});
  }
  SECTION("extends chains through several files") {
    other.write("stricter.yaml", "extends: strict\nrequire: [ssh-root-login]\n");
    LoadStats stats;
    const Baseline b = load_ok(BaselineCatalog({other.path(), shipped_dir()}), "stricter", &stats);
    CHECK(required_signals(b).size() == 8);
    CHECK(required_signals(b).back() == "ssh-root-login");
    CHECK(stats.files_read == 3);
  }
  SECTION("a baseline that only extends is an alias") {
    other.write("alias.yaml", "extends: catalin\n");
    CHECK(required_signals(load_ok(BaselineCatalog({other.path(), shipped_dir()}), "alias")) ==
          required_signals(load_ok(BaselineCatalog({shipped_dir()}), "catalin")));
  }
}

TEST_CASE("baseline: a path loads that file, and its extends uses the search path", "[baseline][catalog]") {
  TempDir files;
  const std::string path = files.write("mine/site.yaml", "extends: minimal\nrequire: [fail2ban]\n");
  const BaselineCatalog catalog({shipped_dir()});
  const Baseline b = load_ok(catalog, path);
  CHECK(b.name == "site");
  CHECK(b.file == path);
  CHECK(required_signals(b).back() == "fail2ban");
  CHECK(required_signals(b).size() == 7);

  // Ending in ".yaml" makes it a path (relative to the working directory),
  // never a name on the search path.
  REQUIRE(::access("minimal.yaml", F_OK) != 0);
  const auto by_suffix = catalog.load("minimal.yaml");
  REQUIRE_FALSE(by_suffix.ok());
  CHECK(by_suffix.error() == "minimal.yaml: cannot read: No such file or directory");
}

TEST_CASE("baseline: an unknown name lists the known ones", "[baseline][catalog]") {
  const BaselineCatalog catalog({shipped_dir()});
  for (const std::string name : {"x", "Minimal", "minimal.yml", ".."}) {
    const auto loaded = catalog.load(name);
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error() == "unknown baseline '" + name + "' (known: catalin, minimal, paranoid)");
    CHECK(catalog.check(name) == Names{loaded.error()});
  }
  TempDir empty;
  const auto none = BaselineCatalog({empty.path()}).load("minimal");
  REQUIRE_FALSE(none.ok());
  CHECK(none.error() == "unknown baseline 'minimal' (known: none)");
}

TEST_CASE("baseline: a directory named like a baseline is skipped for the next match", "[baseline][catalog]") {
  TempDir site;
  site.mkdir("minimal.yaml");
  const BaselineCatalog catalog({site.path(), shipped_dir()});
  CHECK(catalog.find("minimal") == shipped_dir() + "/minimal.yaml");
  CHECK(load_ok(catalog, "minimal").file == shipped_dir() + "/minimal.yaml");
}

TEST_CASE("baseline: check by name checks the file the name resolves to", "[baseline][catalog]") {
  TempDir site;
  const std::string file = site.write("minimal.yaml", "require: [ufw, ufw]\n");
  const BaselineCatalog catalog({site.path(), shipped_dir()});
  CHECK(catalog.check("minimal") ==
        Names{file + ":1:16: duplicate requirement 'ufw' (already required at " + file + ":1:11)"});
  CHECK(catalog.check("catalin").empty());
}

}  // namespace
}  // namespace hi::test
