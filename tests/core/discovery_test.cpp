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
