#include "root_fs.hpp"
#include "test_support.hpp"

#include <hermes_inspect/plugin.h>

#include <catch2/catch.hpp>

#include <climits>
#include <filesystem>

namespace fs = std::filesystem;

TEST_CASE("files are read under the root, and symlinks cannot climb out of it") {
  hi::test::TempDir root;
  root.write("etc/ssh/sshd_config", "PasswordAuthentication no\n");
  root.write("etc/target", "inside the root\n");
  fs::create_symlink("/etc/target", root / "etc/absolute-link");
  fs::create_symlink("../../../../../../etc/hostname", root / "etc/escape-link");
  const hi::RootFs fs(root.path());

  auto r = fs.read("/etc/ssh/sshd_config", false, true, 1 << 20);
  CHECK(r.rc == HI_OK);
  CHECK(r.data == "PasswordAuthentication no\n");

  r = fs.read("/etc/absolute-link", false, true, 1 << 20);
  CHECK(r.rc == HI_OK);
  CHECK(r.data == "inside the root\n");

  r = fs.read("/etc/escape-link", false, true, 1 << 20);
  CHECK(r.rc == HI_ERR_NOT_FOUND);  // /etc/hostname of the root, which has none

  CHECK(fs.resolve("/etc/ssh") == root / "etc/ssh");
  CHECK(fs.resolve("relative").empty());
}

TEST_CASE("read errors say what happened and name the file") {
  hi::test::TempDir root;
  root.write("big", std::string(2048, 'x'));
  root.mkdir("dir");
  root.write("real", "x");
  fs::create_symlink("real", root / "link");
  const hi::RootFs fs(root.path());

  auto r = fs.read("/missing", false, true, 1024);
  CHECK(r.rc == HI_ERR_NOT_FOUND);
  CHECK(r.error == "open " + (root / "missing") + ": No such file or directory");
  CHECK(fs.read("/big", false, true, 1024).rc == HI_ERR_TOO_LARGE);
  CHECK(fs.read("/big", false, true, 4096).rc == HI_OK);
  CHECK(fs.read("/dir", false, true, 1024).rc == HI_ERR_IO);
  CHECK(fs.read("relative", false, true, 1024).rc == HI_ERR_INVALID);
  r = fs.read("/link", true, true, 1024);
  CHECK(r.rc == HI_ERR_SYMLINK);
  CHECK(r.error.find("symlink") != std::string::npos);
  CHECK(fs.read("/link", false, true, 1024).rc == HI_OK);
}

TEST_CASE("host paths are read from the running host, /proc included") {
  hi::test::TempDir elsewhere;
  const hi::RootFs fs(elsewhere.path());
  const auto r = fs.read("/proc/self/cmdline", false, false, 1 << 20);
  CHECK(r.rc == HI_OK);
  CHECK_FALSE(r.data.empty());
  CHECK(fs.read("/proc/self/cmdline", false, true, 1 << 20).rc == HI_ERR_NOT_FOUND);
}

TEST_CASE("resolve normalises a path lexically and never climbs above the root") {
  hi::test::TempDir dir;
  const hi::RootFs fs(dir.path() + "/");
  const std::string root = dir.path();
  CHECK(fs.resolve("/../../etc/shadow") == root + "/etc/shadow");
  CHECK(fs.resolve("/..") == root);
  CHECK(fs.resolve("/etc/ssh/../../../..") == root);
  CHECK(fs.resolve("/etc/../etc/ssh") == root + "/etc/ssh");
  CHECK(fs.resolve("//etc//ssh//") == root + "/etc/ssh");
  CHECK(fs.resolve("/./etc/./ssh/.") == root + "/etc/ssh");
  CHECK(fs.resolve("/etc/ssh/") == root + "/etc/ssh");
  CHECK(fs.resolve("/...") == root + "/...");
  CHECK(fs.resolve("/") == root);
  CHECK(fs.resolve("").empty());
  CHECK(fs.resolve("etc/ssh").empty());
  CHECK(fs.resolve("/" + std::string(PATH_MAX, 'a')).empty());

  const hi::RootFs host("/");
  CHECK(host.resolve("/../../etc/shadow") == "/etc/shadow");
  CHECK(host.resolve("/..") == "/");
  CHECK(host.resolve("//etc//ssh/") == "/etc/ssh");
}

TEST_CASE("a read through '..' stays under the root and names the path it tried") {
  hi::test::TempDir root;
  root.write("etc/inside", "under the root\n");
  const hi::RootFs fs(root.path());
  auto r = fs.read("/../../etc/inside", false, true, 1024);
  CHECK(r.rc == HI_OK);
  CHECK(r.data == "under the root\n");
  r = fs.read("/../../etc/hs-absent", false, true, 1024);
  CHECK(r.rc == HI_ERR_NOT_FOUND);
  CHECK(r.error == "open " + (root / "etc/hs-absent") + ": No such file or directory");
  CHECK(fs.read("/" + std::string(PATH_MAX, 'a'), false, true, 1024).rc == HI_ERR_INVALID);
}
