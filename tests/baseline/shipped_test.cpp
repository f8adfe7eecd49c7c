// The baselines in baselines/ load, and mean what SIGNALS.md "Baselines
// shipped" says.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "fixtures.hpp"

namespace hi::test {
namespace {

using Names = std::vector<std::string>;

Baseline shipped(const std::string &name) {
  const BaselineCatalog catalog({shipped_dir()});
  auto b = catalog.load(name);
  INFO((b.ok() ? std::string() : b.error()));
  REQUIRE(b.ok());
  return *b;
}

void check_documented(const Baseline &b) {
  CHECK_FALSE(b.description.empty());
  for (const auto &r : b.require) {
    INFO(to_text(r));
    CHECK(r.why.size() > 20);  // a reason an operator can act on, not a placeholder
  }
}

TEST_CASE("baseline: the shipped files are valid and are the three SIGNALS.md names", "[baseline][shipped]") {
  const BaselineCatalog catalog({shipped_dir()});
  CHECK(catalog.names() == Names{"catalin", "minimal", "paranoid"});
  for (const auto &name : catalog.names()) {
    INFO(name);
    CHECK(catalog.check(shipped_dir() + "/" + name + ".yaml").empty());
  }
}

TEST_CASE("baseline: minimal is any firewall + ssh-password-auth + iron-proxy-enabled", "[baseline][shipped]") {
  const Baseline b = shipped("minimal");
  CHECK(b.name == "minimal");
  CHECK(b.file == shipped_dir() + "/minimal.yaml");
  check_documented(b);
  REQUIRE(b.require.size() == 3);
  CHECK(b.require[0].kind == Requirement::Kind::any_of);
  CHECK(to_text(b.require[0]) == "ufw | firewalld | nftables | tailscale");
  CHECK(to_text(b.require[1]) == "ssh-password-auth");
  CHECK(to_text(b.require[2]) == "iron-proxy-enabled");

  for (const std::string perimeter : {"ufw", "firewalld", "nftables", "tailscale"}) {
    INFO(perimeter);
    CHECK(evaluate(b, passing({perimeter, "ssh-password-auth", "iron-proxy-enabled"})).satisfied);
  }
  const auto no_firewall = evaluate(b, passing({"ssh-password-auth", "iron-proxy-enabled", "fail2ban"}));
  CHECK_FALSE(no_firewall.satisfied);
  CHECK(no_firewall.missing == Names{"ufw", "firewalld", "nftables", "tailscale"});
  CHECK_FALSE(evaluate(b, passing({"ufw", "iron-proxy-enabled"})).satisfied);
  CHECK_FALSE(evaluate(b, passing({"ufw", "ssh-password-auth"})).satisfied);
}

TEST_CASE("baseline: catalin needs tailscale, ufw, fail2ban, ssh-password-auth and iron-proxy-enabled",
          "[baseline][shipped]") {
  const Baseline b = shipped("catalin");
  check_documented(b);
  const Names five = {"tailscale", "ufw", "fail2ban", "ssh-password-auth", "iron-proxy-enabled"};
  REQUIRE(b.require.size() == five.size());
  for (const auto &r : b.require) CHECK(r.kind == Requirement::Kind::signal);
  CHECK(required_signals(b) == five);
  CHECK(evaluate(b, passing(five)).satisfied);
  for (const auto &left_out : five) {
    Names others;
    std::copy_if(five.begin(), five.end(), std::back_inserter(others), [&](const auto &n) { return n != left_out; });
    const auto v = evaluate(b, passing(others));
    INFO(left_out);
    CHECK_FALSE(v.satisfied);
    CHECK(v.missing == Names{left_out});
  }
}

TEST_CASE("baseline: paranoid needs all ten signals to pass", "[baseline][shipped]") {
  const Baseline b = shipped("paranoid");
  check_documented(b);
  REQUIRE(b.require.size() == 10);
  for (const auto &r : b.require) CHECK(r.kind == Requirement::Kind::signal);
  CHECK(required_signals(b) == ten_signals());
  CHECK(evaluate(b, passing(ten_signals())).satisfied);
  for (const auto &left_out : ten_signals()) {
    auto signals = passing(ten_signals());
    for (auto &s : signals)
      if (s.name == left_out) s.status = SignalStatus::warn;
    const auto v = evaluate(b, signals);
    INFO(left_out);
    CHECK_FALSE(v.satisfied);
    CHECK(v.missing == Names{left_out});
  }
}

TEST_CASE("baseline: the build tree carries the shipped baselines", "[baseline][shipped]") {
  const BaselineCatalog built({build_dir() + "/share/hermes-inspect/baselines"});
  CHECK(built.names() == Names{"catalin", "minimal", "paranoid"});
  for (const auto &name : built.names()) CHECK(read_text(*built.find(name)) == read_text(shipped_dir() + "/" + name + ".yaml"));
}

TEST_CASE("baseline: the README's YAML examples are valid baselines", "[baseline][shipped]") {
  const std::string readme = read_text(shipped_dir() + "/README.md");
  const std::string open = "```yaml\n", close = "```\n";
  int examples = 0;
  for (auto at = readme.find(open); at != std::string::npos; at = readme.find(open, at)) {
    at += open.size();
    const auto end = readme.find(close, at);
    REQUIRE(end != std::string::npos);
    TempDir dir;
    const std::string file = dir.write("edge.yaml", readme.substr(at, end - at));
    INFO(readme.substr(at, end - at));
    CHECK(BaselineCatalog({dir.path(), shipped_dir()}).check(file).empty());
    ++examples;
  }
  CHECK(examples >= 4);
}

}  // namespace
}  // namespace hi::test
