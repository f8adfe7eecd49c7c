// The fail2ban decisions (SIGNALS.md row 5) on captures of the real
// fail2ban-client (fixtures/SOURCES.md).
#include "fail2ban_status.hpp"
#include "command_results.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

namespace {

using hermes_inspect::CommandResult;
using hermes_inspect::Status;

std::string fixture_text(const std::string &file) {
  const std::string text =
      hi::test::read_text(hi::test::source_dir() + "/tests/plugins/fail2ban/fixtures/" + file);
  REQUIRE_FALSE(text.empty());
  return text;
}

CommandResult replies(const std::string &file) { return hi::test::exited(0, fixture_text(file)); }

CommandResult fails_with(const std::string &file) { return hi::test::exited(255, "", fixture_text(file)); }

}  // namespace

TEST_CASE("fail2ban: jail list parsing", "[fail2ban]") {
  CHECK(fail2ban::jail_list(fixture_text("two-jails.stdout")) ==
        std::vector<std::string>{"recidive", "sshd"});
  CHECK(fail2ban::jail_list(fixture_text("no-jails.stdout")) == std::vector<std::string>{});
  CHECK_FALSE(fail2ban::jail_list("Status\n|- Number of jail:\t2\n").has_value());
}

TEST_CASE("fail2ban: jails including sshd pass and are listed", "[fail2ban]") {
  const auto v = fail2ban::verdict(replies("two-jails.stdout"));
  CHECK(v.status == Status::pass);
  CHECK(v.detail == "2 jails: recidive, sshd");
  CHECK(v.fix.empty());
  CHECK_FALSE(v.needs_root);
}

TEST_CASE("fail2ban: jails without sshd pass with a note", "[fail2ban]") {
  const auto v = fail2ban::verdict(replies("one-jail-no-sshd.stdout"));
  CHECK(v.status == Status::pass);
  CHECK(v.detail == "1 jail: nginx-http-auth (no sshd jail)");
}

TEST_CASE("fail2ban: a jail merely containing sshd in its name is not sshd", "[fail2ban]") {
  const auto r = hi::test::exited(0, "Status\n|- Number of jail:\t1\n`- Jail list:\tsshd-ddos\n");
  CHECK_THAT(fail2ban::verdict(r).detail, Catch::EndsWith("(no sshd jail)"));
}

TEST_CASE("fail2ban: zero jails fails", "[fail2ban]") {
  const auto v = fail2ban::verdict(replies("no-jails.stdout"));
  CHECK(v.status == Status::fail);
  CHECK(v.detail == "fail2ban running with no jails");
  CHECK_FALSE(v.fix.empty());
}

TEST_CASE("fail2ban: no server fails", "[fail2ban]") {
  const auto v = fail2ban::verdict(fails_with("no-server.stderr"));
  CHECK(v.status == Status::fail);
  CHECK(v.detail == "fail2ban server not running");
  CHECK(v.fix == "systemctl enable --now fail2ban");
}

TEST_CASE("fail2ban: a stale socket fails", "[fail2ban]") {
  const auto v = fail2ban::verdict(fails_with("stale-socket.stderr"));
  CHECK(v.status == Status::fail);
  CHECK_THAT(v.detail, Catch::Contains("Unable to contact server"));
}

TEST_CASE("fail2ban: permission denied to the socket warns with needs_root", "[fail2ban]") {
  const auto v = fail2ban::verdict(fails_with("permission-denied.stderr"));
  CHECK(v.status == Status::warn);
  CHECK(v.needs_root);
  CHECK_THAT(v.detail, Catch::StartsWith("needs root"));
}

TEST_CASE("fail2ban: unreadable output warns, quoting at most 80 characters", "[fail2ban]") {
  CommandResult r = hi::test::exited(0, "Traceback (most recent call last):" + std::string(100, '~'));
  const auto v = fail2ban::verdict(r);
  CHECK(v.status == Status::warn);
  CHECK_THAT(v.detail, Catch::Contains("\"Traceback"));
  CHECK_THAT(v.detail, !Catch::Contains(std::string(60, '~')));

  // A jail list on a failed exit is not trusted as an answer.
  r.exit_code = 1;
  r.out = fixture_text("two-jails.stdout");
  CHECK(fail2ban::verdict(r).status == Status::warn);
}

TEST_CASE("fail2ban: missing and hung client", "[fail2ban]") {
  const auto m = fail2ban::verdict(hi::test::not_installed());
  CHECK(m.status == Status::skip);
  CHECK(m.detail == "fail2ban-client not installed");
  CHECK(m.fix == fail2ban::kInstallFix);

  CHECK(fail2ban::verdict(hi::test::timed_out_after(4000)).detail == "timed out after 4s");
}
