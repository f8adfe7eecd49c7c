#include "report.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include <sys/stat.h>

using hi::report::write_atomically;
using hi::test::read_text;
using hi::test::TempDir;

namespace {

std::set<std::string> entries_of(const std::string &dir) {
  std::set<std::string> names;
  for (const auto &e : std::filesystem::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

}  // namespace

TEST_CASE("report atomic: write_atomically writes the content, readable by others", "[report][atomic]") {
  TempDir dir;
  const std::string path = dir / "metrics.prom";
  const std::string content = "hermes_inspect_run_duration_seconds 0.141\n";
  const auto st = write_atomically(path, content);
  INFO(st.message());
  REQUIRE(st.ok());
  CHECK(read_text(path) == content);
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  CHECK((info.st_mode & 07777) == 0644);
  CHECK(entries_of(dir.path()) == std::set<std::string>{"metrics.prom"});
}

TEST_CASE("report atomic: write_atomically replaces an existing file whole", "[report][atomic]") {
  TempDir dir;
  const std::string path = dir.write("report.json", std::string(4096, 'x'));
  struct stat before {};
  REQUIRE(::stat(path.c_str(), &before) == 0);
  REQUIRE(write_atomically(path, "{}\n").ok());
  CHECK(read_text(path) == "{}\n");
  struct stat after {};
  REQUIRE(::stat(path.c_str(), &after) == 0);
  CHECK(after.st_ino != before.st_ino);  // a new file renamed over, not rewritten in place
  CHECK(entries_of(dir.path()) == std::set<std::string>{"report.json"});
}

TEST_CASE("report atomic: write_atomically names the file it could not write", "[report][atomic]") {
  TempDir dir;
  dir.write("plain-file", "not a directory");
  const std::string path = GENERATE_REF(as<std::string>{}, dir / "no/such/dir/report.json",
                                        dir / "plain-file/report.json");
  const auto st = write_atomically(path, "content");
  REQUIRE_FALSE(st.ok());
  INFO(st.message());
  CHECK(st.message().find(path) != std::string::npos);
  CHECK(entries_of(dir.path()) == std::set<std::string>{"plain-file"});
}

TEST_CASE("report atomic: write_atomically leaves no temporary file behind when the rename fails", "[report][atomic]") {
  TempDir dir;
  const std::string path = dir.mkdir("taken-by-a-directory");
  dir.write("taken-by-a-directory/inside", "keeps the directory non-empty");
  const auto st = write_atomically(path, "content");
  REQUIRE_FALSE(st.ok());
  INFO(st.message());
  CHECK(st.message().find(path) != std::string::npos);
  CHECK(entries_of(dir.path()) == std::set<std::string>{"taken-by-a-directory"});
  CHECK(entries_of(path) == std::set<std::string>{"inside"});
}
