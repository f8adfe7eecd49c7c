// Match criteria and patterns against OpenSSH 9.2's match.c and addrmatch.c.
#include "sshd_match.hpp"

#include <catch2/catch.hpp>

using namespace hermes_inspect::sshd;

namespace {

MatchCondition parsed(const std::string &text) {
  auto r = parse_match(text);
  INFO(text);
  REQUIRE(std::holds_alternative<MatchCondition>(r));
  return std::get<MatchCondition>(r);
}

std::string error_of(const std::string &text) {
  auto r = parse_match(text);
  INFO(text);
  REQUIRE(std::holds_alternative<std::string>(r));
  return std::get<std::string>(r);
}

}  // namespace

TEST_CASE("sshd: wildcard patterns match the whole string", "[sshd][match]") {
  CHECK(match_pattern("admin", "adm?n"));
  CHECK(match_pattern("ops-eu", "ops-*"));
  CHECK(match_pattern("", "*"));
  CHECK(match_pattern("a.b.c", "*.*"));
  CHECK_FALSE(match_pattern("administrator", "adm?n"));
  CHECK_FALSE(match_pattern("xops-eu", "ops-*"));
  CHECK_FALSE(match_pattern("abc", "ab"));
  // Backtracking over several stars stays linear.
  CHECK_FALSE(match_pattern(std::string(5000, 'a'), std::string(50, '*') + "b"));
}

TEST_CASE("sshd: pattern lists: any positive matches, a negation vetoes", "[sshd][match]") {
  CHECK(match_pattern_list("alice", "bob,alice", false) == 1);
  CHECK(match_pattern_list("carol", "bob,alice", false) == 0);
  CHECK(match_pattern_list("root", "*,!root", false) == -1);
  CHECK(match_pattern_list("alice", "*,!root", false) == 1);
  CHECK(match_pattern_list("Alice", "alice", false) == 0);
  CHECK(match_pattern_list("host.example", "HOST.example", true) == 1);
}

TEST_CASE("sshd: address lists: CIDR, wildcards, negation, malformed", "[sshd][match]") {
  CHECK(addr_match_list("10.1.2.3", "10.0.0.0/8") == 1);
  CHECK(addr_match_list("11.1.2.3", "10.0.0.0/8") == 0);
  CHECK(addr_match_list("10.9.1.1", "10.0.0.0/8,!10.9.0.0/16") == -1);
  CHECK(addr_match_list("2001:db8::5", "2001:db8::/32") == 1);
  CHECK(addr_match_list("::1", "2001:db8::/32") == 0);
  CHECK(addr_match_list("10.1.2.3", "::/0") == 0);
  CHECK(addr_match_list("192.168.10.1", "192.168.*") == 1);
  CHECK(addr_match_list("192.0.2.1", "192.0.2.1") == 1);
  CHECK(addr_match_list("not-an-address", "*") == 0);
  CHECK(addr_match_list(std::nullopt, "10.0.0.1/8") == -2);
  CHECK(addr_match_list(std::nullopt, "10.0.0.0/33") == -2);
  CHECK(addr_match_list(std::nullopt, "10.0.0.0/8,") == -2);
  CHECK(addr_match_list(std::nullopt, "10.0.0.0/8,192.168.*") == 0);
}

TEST_CASE("sshd: Match lines parse like match_cfg_line", "[sshd][match]") {
  CHECK(parsed("all").all);
  CHECK(parsed("All # everyone").all);
  const auto c = parsed("User deploy Address 192.0.2.0/24");
  REQUIRE(c.criteria.size() == 2);
  CHECK(c.criteria[0].attribute == "user");
  CHECK(c.criteria[1].argument == "192.0.2.0/24");
  CHECK(parsed("User=bob # contractors").criteria.size() == 1);
  CHECK(parsed("user \"bob\"").criteria[0].argument == "bob");

  CHECK(error_of("") == "One or more attributes required for Match");
  CHECK(error_of("User") == "Missing Match criteria for User");
  CHECK(error_of("User # x") == "Missing Match criteria for User");
  CHECK(error_of("Colour blue") == "Unsupported Match attribute Colour");
  CHECK(error_of("all User bob") == "'all' cannot be combined with other Match attributes");
  CHECK(error_of("User bob all") == "'all' cannot be combined with other Match attributes");
  CHECK(error_of("Address 10.0.0.1/8") == "Invalid Match address argument '10.0.0.1/8'");
  CHECK(error_of("LocalPort nope") == "Invalid LocalPort 'nope' on Match line");
}

TEST_CASE("sshd: a connection satisfies every criterion or the block is skipped", "[sshd][match]") {
  Connection bob;
  bob.user = "bob";
  bob.host = "Build.Internal.example";
  bob.address = "10.1.2.3";
  bob.local_port = 2222;
  bob.groups = {"bob", "deploy"};

  CHECK(satisfies(parsed("User bob"), &bob));
  CHECK(satisfies(parsed("User b* Address 10.0.0.0/8"), &bob));
  CHECK_FALSE(satisfies(parsed("User bob Address 192.0.2.0/24"), &bob));
  CHECK(satisfies(parsed("Host *.internal.example"), &bob));
  CHECK(satisfies(parsed("LocalPort 2222"), &bob));
  CHECK_FALSE(satisfies(parsed("LocalPort 22"), &bob));
  CHECK(satisfies(parsed("Group deploy,wheel"), &bob));
  CHECK_FALSE(satisfies(parsed("Group *,!deploy"), &bob));
  CHECK_FALSE(satisfies(parsed("Group wheel"), &bob));
  CHECK(satisfies(parsed("all"), &bob));
}

TEST_CASE("sshd: without a connection only Match all holds and a missing field never matches",
          "[sshd][match]") {
  CHECK(satisfies(parsed("all"), nullptr));
  CHECK_FALSE(satisfies(parsed("User *"), nullptr));
  const Connection empty;
  CHECK_FALSE(satisfies(parsed("User *"), &empty));
  CHECK_FALSE(satisfies(parsed("Address *"), &empty));
  CHECK_FALSE(satisfies(parsed("LocalPort 22"), &empty));
}

TEST_CASE("sshd: a criterion listing only negations can never be satisfied", "[sshd][match]") {
  CHECK_FALSE(satisfiable(parsed("User !root")));
  CHECK_FALSE(satisfiable(parsed("User bob Group !wheel,!adm")));
  CHECK_FALSE(satisfiable(parsed("Address !10.0.0.0/8")));
  CHECK_FALSE(satisfiable(parsed("Host !*.example.com")));
  CHECK(satisfiable(parsed("User !root,bob")));
  CHECK(satisfiable(parsed("User *,!root Address 10.0.0.0/8")));
  CHECK(satisfiable(parsed("LocalPort 22")));
  CHECK(satisfiable(parsed("all")));
}
