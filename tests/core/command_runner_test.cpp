#include "command_runner.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <fstream>
#include <thread>

using hi::CommandOutcome;
using hi::CommandSpec;
using hi::run_command;

namespace {

CommandOutcome sh(const std::string &script, std::chrono::milliseconds timeout = std::chrono::seconds(30),
                  std::size_t cap = 1 << 20) {
  CommandSpec spec;
  spec.argv = {"/bin/sh", "-c", script};
  spec.env = {"PATH=/usr/bin:/bin", "LANG=C"};
  spec.timeout = timeout;
  spec.max_output = cap;
  return run_command(spec);
}

// A pid is gone once it no longer exists or is a zombie awaiting its parent.
bool process_gone(const std::string &pid) {
  std::ifstream stat("/proc/" + pid + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  const auto close = line.rfind(')');
  return close != std::string::npos && line.size() > close + 2 && line[close + 2] == 'Z';
}

}  // namespace

TEST_CASE("a command's stdout, stderr and exit code are captured") {
  const auto o = sh("echo out; echo err >&2; exit 3");
  CHECK_FALSE(o.spawn_error);
  CHECK(o.out == "out\n");
  CHECK(o.err == "err\n");
  CHECK(o.exit_code == 3);
  CHECK_FALSE(o.timed_out);
}

TEST_CASE("a command gets stdin /dev/null, exactly the given environment and its own process group") {
  CHECK(sh("cat; echo eof").out == "eof\n");
  CommandSpec spec;
  spec.argv = {"/usr/bin/env"};
  spec.env = {"ONLY=this"};
  CHECK(run_command(spec).out == "ONLY=this\n");
  const auto ids = sh("cut -d' ' -f1,5 /proc/$$/stat").out;
  const auto space = ids.find(' ');
  REQUIRE(space != std::string::npos);
  CHECK(ids.substr(0, space) + "\n" == ids.substr(space + 1));
}

TEST_CASE("a timeout kills the command's whole process group") {
  hi::test::TempDir dir;
  const auto o = sh("sleep 30 & echo $! > " + dir / "bg.pid" + "; sleep 30", std::chrono::milliseconds(300));
  CHECK(o.timed_out);
  const auto bg = hi::test::read_text(dir / "bg.pid");
  REQUIRE_FALSE(bg.empty());
  // SIGKILL was sent to the group before run_command returned; give the kernel a moment to reap.
  for (int i = 0; i < 50 && !process_gone(bg.substr(0, bg.size() - 1)); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(process_gone(bg.substr(0, bg.size() - 1)));
}

TEST_CASE("a command that exits while a process it started holds stdout returns at once") {
  const auto o = sh("sleep 30 & echo started");
  CHECK_FALSE(o.timed_out);
  CHECK(o.exit_code == 0);
  CHECK(o.out == "started\n");
  // Waiting for the stray would take 30 s; the grace is kStrayGrace.
  CHECK(o.elapsed < std::chrono::seconds(10));
}

TEST_CASE("output beyond the cap is read and dropped, so the command is never blocked") {
  const auto o = sh("head -c 100000000 /dev/zero; echo tail >&2", std::chrono::seconds(60), 1000);
  CHECK(o.exit_code == 0);
  CHECK(o.out.size() == 1000);
  CHECK(o.out_truncated);
  CHECK(o.err == "tail\n");
  CHECK_FALSE(o.err_truncated);
}

TEST_CASE("a command killed by a signal reports the signal") {
  const auto o = sh("kill -SEGV $$");
  CHECK(o.term_signal == SIGSEGV);
}

TEST_CASE("a program that cannot be executed is a spawn error naming it") {
  CommandSpec spec;
  spec.argv = {"/nonexistent/tool"};
  const auto o = run_command(spec);
  REQUIRE(o.spawn_error);
  CHECK(o.spawn_error->find("exec /nonexistent/tool: No such file or directory") != std::string::npos);
}

TEST_CASE("tools are looked up on the tool path, in order") {
  hi::test::TempDir dir;
  dir.write("a/tool", "#!/bin/sh\n", 0755);
  dir.write("b/tool", "#!/bin/sh\n", 0755);
  dir.write("b/plain", "not executable", 0644);
  CHECK(hi::find_executable("tool", {dir / "a", dir / "b"}) == dir / "a/tool");
  CHECK(hi::find_executable("tool", {dir / "missing", dir / "b"}) == dir / "b/tool");
  CHECK_FALSE(hi::find_executable("plain", {dir / "b"}));
  CHECK_FALSE(hi::find_executable("tool", {}));
  CHECK(hi::split_path_list("/a::/b:") == std::vector<std::string>{"/a", "/b"});
}
