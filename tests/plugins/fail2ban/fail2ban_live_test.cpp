// The real fail2ban: private servers (own config, socket and pidfile in a
// TempDir; polling backend, no actions, so no firewall is ever touched) asked
// by the real fail2ban-client, whose answers must still match the fixtures and
// get the verdicts SIGNALS.md row 5 asks for.
#include "fail2ban_status.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <thread>

#include <unistd.h>

namespace {

using hermes_inspect::CommandResult;
using hermes_inspect::Status;

std::string client_path() { return hi::test::require_tool("fail2ban-client", "fail2ban"); }

CommandResult as_command_result(const hi::test::ProcessResult &p) {
  CommandResult r;
  r.exit_code = p.exit_code;
  r.term_signal = p.term_signal;
  r.timed_out = p.timed_out;
  r.out = p.out;
  r.err = p.err;
  return r;
}

std::string fixture_text(const std::string &file) {
  return hi::test::read_text(hi::test::source_dir() + "/tests/plugins/fail2ban/fixtures/" + file);
}

// The text after the client's "<timestamp> fail2ban [<pid>]: ERROR   " prefix.
std::string error_message(const std::string &stderr_text) {
  const auto at = stderr_text.find("ERROR");
  REQUIRE(at != std::string::npos);
  return stderr_text.substr(stderr_text.find_first_not_of(' ', at + 5));
}

// A fail2ban server of the test's own, stopped (and if need be killed by its
// pid) when the object goes away.
class PrivateServer {
 public:
  PrivateServer(const hi::test::TempDir &dir, std::string client,
                const std::vector<std::string> &jails)
      : client_(std::move(client)),
        conf_(dir / "conf"),
        socket_(dir / "f2b.sock"),
        pidfile_(dir / "f2b.pid") {
    dir.write("conf/fail2ban.conf", "[Definition]\nloglevel = INFO\nlogtarget = " +
                                        dir / "f2b.log" + "\nsyslogsocket = auto\nsocket = " +
                                        socket_ + "\npidfile = " + pidfile_ +
                                        "\ndbfile = :memory:\ndbpurgeage = 1d\nallowipv6 = auto\n");
    dir.write("conf/filter.d/dummy.conf", "[Definition]\nfailregex = ^login failure from <HOST>$\n");
    const std::string log = dir.write("watched.log", "");
    std::string sections = "[DEFAULT]\nbackend = polling\naction =\n";
    for (const auto &name : jails)
      sections += "[" + name + "]\nenabled = true\nfilter = dummy\nlogpath = " + log + "\n";
    dir.write("conf/jail.conf", sections);
  }
  PrivateServer(const PrivateServer &) = delete;
  PrivateServer &operator=(const PrivateServer &) = delete;

  ~PrivateServer() {
    hi::test::run_process({client_, "-c", conf_, "-s", socket_, "stop"});
    if (pid_ > 0 && still_ours()) ::kill(pid_, SIGKILL);
  }

  void start() {
    const auto r =
        hi::test::run_process({client_, "-c", conf_, "-s", socket_, "-p", pidfile_, "start"});
    INFO("stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    pid_ = std::atoi(hi::test::read_text(pidfile_).c_str());
    REQUIRE(pid_ > 0);
  }

  hi::test::ProcessResult status(std::vector<std::string> prefix = {}) const {
    prefix.insert(prefix.end(), {client_, "-s", socket_, "status"});
    return hi::test::run_process(prefix);
  }

  const std::string &socket() const { return socket_; }

  // SIGKILL, as a crash would: the socket file stays behind.
  void crash() {
    REQUIRE(::kill(pid_, SIGKILL) == 0);
    for (int i = 0; i < 1000 && alive(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    REQUIRE_FALSE(alive());
  }

 private:
  // The pid still runs this server (and was not recycled): its command line names our socket.
  bool still_ours() const {
    return alive() && hi::test::read_text("/proc/" + std::to_string(pid_) + "/cmdline").find(socket_) !=
                          std::string::npos;
  }
  bool alive() const {
    const std::string stat = hi::test::read_text("/proc/" + std::to_string(pid_) + "/stat");
    const auto close = stat.rfind(')');
    return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] != 'Z' &&
           stat[close + 2] != 'X';
  }

  std::string client_;
  std::string conf_;
  std::string socket_;
  std::string pidfile_;
  pid_t pid_ = 0;
};

}  // namespace

TEST_CASE("fail2ban live: a server with sshd and recidive jails passes", "[fail2ban][live]") {
  const auto client = client_path();
  hi::test::TempDir dir;
  PrivateServer server(dir, client, {"sshd", "recidive"});
  server.start();
  const auto r = server.status();
  CHECK(r.exit_code == 0);
  CHECK(r.out == fixture_text("two-jails.stdout"));
  const auto v = fail2ban::verdict(as_command_result(r));
  CHECK(v.status == Status::pass);
  CHECK(v.detail == "2 jails: recidive, sshd");
}

TEST_CASE("fail2ban live: a server with no jails fails", "[fail2ban][live]") {
  const auto client = client_path();
  hi::test::TempDir dir;
  PrivateServer server(dir, client, {});
  server.start();
  const auto r = server.status();
  CHECK(r.out == fixture_text("no-jails.stdout"));
  CHECK(fail2ban::verdict(as_command_result(r)).status == Status::fail);
}

TEST_CASE("fail2ban live: a non-root user is refused the socket: warn + needs_root",
          "[fail2ban][live]") {
  const auto client = client_path();
  if (!hi::test::runs_here(::geteuid() == 0,
                           "not root: the server's socket is this user's own, so no permission error to provoke"))
    return;
  hi::test::TempDir dir;
  PrivateServer server(dir, client, {});
  server.start();
  const auto r = server.status({"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"});
  CHECK(r.exit_code == 255);
  CHECK(error_message(r.err) == "Permission denied to socket: " + server.socket() +
                                    ", (you must be root)\n");
  CHECK(error_message(fixture_text("permission-denied.stderr"))
            .rfind("Permission denied to socket: ", 0) == 0);
  const auto v = fail2ban::verdict(as_command_result(r));
  CHECK(v.status == Status::warn);
  CHECK(v.needs_root);
}

TEST_CASE("fail2ban live: a stale socket left by a crashed server fails", "[fail2ban][live]") {
  const auto client = client_path();
  hi::test::TempDir dir;
  PrivateServer server(dir, client, {});
  server.start();
  server.crash();
  const auto r = server.status();
  CHECK(r.exit_code == 255);
  CHECK(error_message(r.err) == error_message(fixture_text("stale-socket.stderr")));
  const auto v = fail2ban::verdict(as_command_result(r));
  CHECK(v.status == Status::fail);
  CHECK_THAT(v.detail, Catch::Contains("stale socket"));
}

TEST_CASE("fail2ban live: no server at all fails", "[fail2ban][live]") {
  const auto client = client_path();
  hi::test::TempDir dir;
  const auto r = hi::test::run_process({client, "-s", dir / "absent.sock", "status"});
  CHECK(r.exit_code == 255);
  CHECK(error_message(r.err) == "Failed to access socket path: " + dir / "absent.sock" +
                                    ". Is fail2ban running?\n");
  const auto v = fail2ban::verdict(as_command_result(r));
  CHECK(v.status == Status::fail);
  CHECK(v.detail == "fail2ban server not running");
}
