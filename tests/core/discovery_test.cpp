#include "discovery.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

TEST_CASE("the plugin search path has the documented order") {
  const auto dirs = hi::plugin_search_path({"/cli1", "/cli2"}, "/env1::/env2", "/bundled");
  CHECK(dirs == std::vector<std::string>{"/cli1", "/cli2", "/env1", "/env2",
                                         "/usr/local/lib/hermes-inspect/plugins", "/bundled"});
}

TEST_CASE("trust: owner and mode of the file and of every directory above it") {
  hi::test::TempDir dir;  // under /tmp: sticky and world-writable above a 0755 dir is fine
  const std::string ok = dir.write("plugins/a.so", "x", 0644);
  CHECK(hi::open_trusted(ok, ::geteuid()).ok());

  const std::string group_writable = dir.write("plugins/b.so", "x", 0664);
  auto r = hi::open_trusted(group_writable, ::geteuid());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error() == group_writable + " is writable by its group (mode 664)");

  dir.write("open/c.so", "x", 0644);
  ::chmod((dir / "open").c_str(), 01777);  // sticky is tolerated only above the plugin's own dir
  r = hi::open_trusted(dir / "open/c.so", ::geteuid());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error() == dir / "open" + " is writable by others (mode 1777)");

  fs::create_symlink(group_writable, dir / "plugins/link.so");
  r = hi::open_trusted(dir / "plugins/link.so", ::geteuid());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().find("(" + (dir / "plugins/link.so") + " points there)") != std::string::npos);

  if (!hi::test::runs_here(::geteuid() == 0, "the owner check needs root to chown (CI runs as root)")) return;
  REQUIRE(::chown(ok.c_str(), 65534, 65534) == 0);
  r = hi::open_trusted(ok, 0);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error() == ok + " is owned by uid 65534, not root or uid 0");
}

TEST_CASE("trust: every directory a symlink passes through is checked, and the link's owner") {
  hi::test::TempDir dir;
  const std::string good = dir.write("plugins/a.so", "x", 0644);

  SECTION("a link kept in a directory others can write is refused, though its target is trusted") {
    dir.mkdir("open", 0777);
    fs::create_symlink(good, dir / "open/a.so");
    ::chmod((dir / "open").c_str(), 0777);
    const auto r = hi::open_trusted(dir / "open/a.so", ::geteuid());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error() == dir / "open" + " is writable by others (mode 777) (" + dir / "open/a.so" + " points there)");
  }
  SECTION("a sticky directory may lie above the plugin, but may not hold the link to it") {
    dir.mkdir("sticky");
    ::chmod((dir / "sticky").c_str(), 01777);
    fs::create_symlink(good, dir / "sticky/a.so");
    auto r = hi::open_trusted(dir / "sticky/a.so", ::geteuid());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error() == dir / "sticky" + " is writable by others (mode 1777) (" + dir / "sticky/a.so" + " points there)");

    fs::create_directory(dir / "sticky/plugins");
    ::chmod((dir / "sticky/plugins").c_str(), 0755);
    fs::create_symlink(good, dir / "sticky/plugins/a.so");
    CHECK(hi::open_trusted(dir / "sticky/plugins/a.so", ::geteuid()).ok());
  }
  SECTION("a linked directory on the way: the link's directory and the target's are both checked") {
    fs::create_symlink(dir / "plugins", dir / "linked");
    CHECK(hi::open_trusted(dir / "linked/a.so", ::geteuid()).ok());

    dir.mkdir("open", 0777);
    ::chmod((dir / "open").c_str(), 0777);
    fs::create_symlink(dir / "plugins", dir / "open/linked");
    auto r = hi::open_trusted(dir / "open/linked/a.so", ::geteuid());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().rfind(dir / "open" + " is writable by others (mode 777)", 0) == 0);

    dir.write("shared/b.so", "x", 0644);
    ::chmod((dir / "shared").c_str(), 0775);
    fs::create_symlink(dir / "shared", dir / "plugins/shared");
    r = hi::open_trusted(dir / "plugins/shared/b.so", ::geteuid());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().rfind(dir / "shared" + " is writable by its group (mode 775)", 0) == 0);
  }
  SECTION("relative links and .. resolve as the kernel resolves them") {
    dir.write("deep/er/c.so", "x", 0644);
    fs::create_symlink("../deep/er", dir / "plugins/er");
    fs::create_symlink("er/../er/c.so", dir / "plugins/rel.so");
    const auto r = hi::open_trusted(dir / "plugins/rel.so", ::geteuid());
    CHECK(r.ok());
  }
  SECTION("a link loop is refused, not followed forever") {
    fs::create_symlink(dir / "plugins/loop2.so", dir / "plugins/loop1.so");
    fs::create_symlink(dir / "plugins/loop1.so", dir / "plugins/loop2.so");
    const auto r = hi::open_trusted(dir / "plugins/loop1.so", ::geteuid());
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error(), Catch::Contains("too many levels of symbolic links"));
  }
  SECTION("a link owned by another user is refused") {
    if (!hi::test::runs_here(::geteuid() == 0, "changing a link's owner needs root (CI runs as root)")) return;
    fs::create_symlink(good, dir / "plugins/theirs.so");
    REQUIRE(::lchown((dir / "plugins/theirs.so").c_str(), 65534, 65534) == 0);
    const auto r = hi::open_trusted(dir / "plugins/theirs.so", 0);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error() == dir / "plugins/theirs.so" + " is owned by uid 65534, not root or uid 0 (" +
                           dir / "plugins/theirs.so" + " points there)");
  }
}

TEST_CASE("discovery: *.so files in search order, shadowing by name, bad names invalid") {
  hi::test::TempDir dir;
  dir.write("one/b.so", "x");
  dir.write("one/a.so", "x");
  dir.write("one/README", "ignored");
  dir.write("one/.hidden.so", "ignored");
  dir.write("two/a.so", "x");
  dir.write("two/Bad Name.so", "x");
  std::vector<std::string> warnings;
  const auto found = hi::discover_plugins(
      {{dir / "one", dir / "missing", dir / "two", dir / "one/../one/"}, ::geteuid(), false}, warnings);
  REQUIRE(found.size() == 4);
  CHECK(found[0].record.file == dir / "one/a.so");
  CHECK(found[0].record.state == hi::PluginState::ok);
  CHECK(found[0].fd.valid());
  CHECK(found[1].record.file == dir / "one/b.so");
  CHECK(found[2].record.name == "Bad Name");
  CHECK(found[2].record.state == hi::PluginState::invalid);
  CHECK(found[3].record.file == dir / "two/a.so");
  CHECK(found[3].record.state == hi::PluginState::shadowed);
  CHECK(*found[3].record.error == "shadowed by " + dir / "one/a.so");
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find(dir / "missing") != std::string::npos);
}
