// evaluate(), required_signals() and to_text(): only `pass` meets a requirement;
// `missing` lists what would have to pass, in order, each name once.
#include <catch2/catch.hpp>

#include "fixtures.hpp"

namespace hi::test {
namespace {

using Names = std::vector<std::string>;

TEST_CASE("baseline: a signal requirement is met only by pass", "[baseline][evaluate]") {
  const Baseline b = baseline_of({sig("ufw", "a firewall")});
  const auto status = GENERATE(SignalStatus::pass, SignalStatus::fail, SignalStatus::warn, SignalStatus::skip);
  CAPTURE(to_string(status));
  const BaselineVerdict v = evaluate(b, {result("ufw", status)});
  CHECK(v.name == "test");
  CHECK(v.file == "test.yaml");
  if (status == SignalStatus::pass) {
    CHECK(v.satisfied);
    CHECK(v.missing.empty());
    CHECK(v.unmet.empty());
    return;
  }
  CHECK_FALSE(v.satisfied);
  CHECK(v.missing == Names{"ufw"});
  REQUIRE(v.unmet.size() == 1);
  CHECK(v.unmet[0].text == "ufw");
  CHECK(v.unmet[0].why == "a firewall");
  CHECK(v.unmet[0].notes.empty());
}

TEST_CASE("baseline: an unmet OR-group lists every member as missing", "[baseline][evaluate]") {
  const Baseline b = baseline_of({any({sig("ufw"), sig("firewalld"), sig("nftables"), sig("tailscale")}, "perimeter"),
                                  sig("ssh-password-auth"), sig("iron-proxy-enabled")});
  std::vector<SignalResult> signals = {result("ufw", SignalStatus::fail),
                                       result("firewalld", SignalStatus::skip),
                                       result("nftables", SignalStatus::warn),
                                       result("tailscale", SignalStatus::fail),
                                       result("ssh-password-auth", SignalStatus::pass),
                                       result("iron-proxy-enabled", SignalStatus::fail)};
  BaselineVerdict v = evaluate(b, signals);
  CHECK_FALSE(v.satisfied);
  CHECK(v.missing == Names{"ufw", "firewalld", "nftables", "tailscale", "iron-proxy-enabled"});
  REQUIRE(v.unmet.size() == 2);
  CHECK(v.unmet[0].text == "ufw | firewalld | nftables | tailscale");
  CHECK(v.unmet[0].why == "perimeter");
  CHECK(v.unmet[1].text == "iron-proxy-enabled");

  SECTION("one passing member meets the group") {
    signals[3].status = SignalStatus::pass;
    v = evaluate(b, signals);
    CHECK(v.missing == Names{"iron-proxy-enabled"});
    REQUIRE(v.unmet.size() == 1);
    CHECK(v.unmet[0].text == "iron-proxy-enabled");
  }
  SECTION("everything passing satisfies the baseline") {
    for (auto &s : signals) s.status = SignalStatus::pass;
    v = evaluate(b, signals);
    CHECK(v.satisfied);
    CHECK(v.missing.empty());
  }
}

TEST_CASE("baseline: an unmet all_of lists only its unmet parts", "[baseline][evaluate]") {
  const Baseline b = baseline_of({all({sig("a"), sig("b"), sig("c")})});
  const BaselineVerdict v = evaluate(b, {result("a", SignalStatus::fail), result("b", SignalStatus::pass),
                                         result("c", SignalStatus::warn)});
  CHECK_FALSE(v.satisfied);
  CHECK(v.missing == Names{"a", "c"});
  REQUIRE(v.unmet.size() == 1);
  // The requirement as the table names it: only its unmet parts, like missing.
  CHECK(v.unmet[0].text == "a + c");
  CHECK(evaluate(b, passing({"a", "b", "c"})).satisfied);
}

TEST_CASE("baseline: nested groups evaluate and render recursively", "[baseline][evaluate]") {
  // tailscale, or (nftables and fail2ban), or (ufw and (fail2ban or sshguard))
  const Baseline b = baseline_of(
      {any({sig("tailscale"), all({sig("nftables"), sig("fail2ban")}),
            all({sig("ufw"), any({sig("crowdsec"), sig("sshguard")})})})});
  CHECK(to_text(b.require[0]) == "tailscale | (nftables + fail2ban) | (ufw + (crowdsec | sshguard))");

  SECTION("an inner all_of that passes meets the outer any_of") {
    const auto v = evaluate(b, passing({"nftables", "fail2ban"}));
    CHECK(v.satisfied);
  }
  SECTION("an all_of nested in an any_of needs every part") {
    auto signals = passing({"ufw", "nftables"});
    signals.push_back(result("tailscale", SignalStatus::fail));
    signals.push_back(result("fail2ban", SignalStatus::fail));
    signals.push_back(result("crowdsec", SignalStatus::fail));
    signals.push_back(result("sshguard", SignalStatus::skip));
    const auto v = evaluate(b, signals);
    CHECK_FALSE(v.satisfied);
    // Unmet OR: every member; of each unmet all_of only what does not pass.
    CHECK(v.missing == Names{"tailscale", "fail2ban", "crowdsec", "sshguard"});
    REQUIRE(v.unmet.size() == 1);
    CHECK(v.unmet[0].text == "tailscale | fail2ban | (crowdsec | sshguard)");
    CHECK(v.unmet[0].notes.empty());
  }
  SECTION("the innermost any_of met satisfies through two levels") {
    auto signals = passing({"ufw", "sshguard"});
    signals.push_back(result("tailscale", SignalStatus::warn));
    CHECK(evaluate(b, signals).satisfied);
  }
}

TEST_CASE("baseline: missing keeps the order of first appearance, each name once", "[baseline][evaluate]") {
  // Built by hand: files cannot repeat a signal, but the engine must not rely on it.
  const Baseline b = baseline_of({any({sig("ufw"), sig("nftables")}), sig("fail2ban"),
                                  any({sig("nftables"), sig("tailscale"), sig("ufw")}), sig("fail2ban")});
  const auto v = evaluate(b, {result("ufw", SignalStatus::fail), result("nftables", SignalStatus::fail),
                              result("fail2ban", SignalStatus::fail), result("tailscale", SignalStatus::skip)});
  CHECK(v.missing == Names{"ufw", "nftables", "fail2ban", "tailscale"});
  REQUIRE(v.unmet.size() == 4);
  // Each requirement's text stands alone, even where its names repeat.
  CHECK(v.unmet[2].text == "nftables | tailscale | ufw");
  CHECK(v.unmet[3].text == "fail2ban");
  CHECK(required_signals(b) == Names{"ufw", "nftables", "fail2ban", "tailscale"});
}

TEST_CASE("baseline: a signal no plugin provides is unmet and says so", "[baseline][evaluate]") {
  const Baseline b = baseline_of({sig("ufw"), any({sig("tailscale"), sig("wireguard"), sig("zerotier")}),
                                  any({sig("nftables"), sig("pf")})});
  const auto v = evaluate(b, {result("ufw", SignalStatus::pass), result("tailscale", SignalStatus::fail),
                              result("nftables", SignalStatus::pass)});
  CHECK_FALSE(v.satisfied);
  CHECK(v.missing == Names{"tailscale", "wireguard", "zerotier"});
  REQUIRE(v.unmet.size() == 1);
  CHECK(v.unmet[0].text == "tailscale | wireguard | zerotier");
  CHECK(v.unmet[0].notes == Names{"no plugin provides wireguard", "no plugin provides zerotier"});

  const auto none = evaluate(baseline_of({sig("docker-seccomp")}), {});
  CHECK_FALSE(none.satisfied);
  CHECK(none.missing == Names{"docker-seccomp"});
  REQUIRE(none.unmet.size() == 1);
  CHECK(none.unmet[0].notes == Names{"no plugin provides docker-seccomp"});
}

TEST_CASE("baseline: the first result for a signal name is the one that counts", "[baseline][evaluate]") {
  const Baseline b = baseline_of({sig("ufw")});
  CHECK(evaluate(b, {result("ufw", SignalStatus::pass), result("ufw", SignalStatus::fail)}).satisfied);
  CHECK_FALSE(evaluate(b, {result("ufw", SignalStatus::fail), result("ufw", SignalStatus::pass)}).satisfied);
}

TEST_CASE("baseline: required_signals walks groups depth-first", "[baseline][evaluate]") {
  const Baseline b = baseline_of({sig("a"), any({sig("b"), all({sig("c"), sig("d")}), sig("e")}), sig("f")});
  CHECK(required_signals(b) == Names{"a", "b", "c", "d", "e", "f"});
  CHECK(required_signals(baseline_of({})).empty());
}

TEST_CASE("baseline: a single-member nested group is still parenthesised", "[baseline][evaluate]") {
  CHECK(to_text(all({sig("a"), any({sig("b")})})) == "a + (b)");
  CHECK(to_text(any({sig("a")})) == "a");
}


TEST_CASE("baseline: an unmet requirement's text names what would have to pass", "[baseline][evaluate]") {
  const Baseline b = baseline_of({all({sig("a"), any({sig("b"), sig("c")}), all({sig("d"), sig("e")})}),
                                  any({sig("f"), all({sig("g"), sig("h")}), any({sig("i"), sig("j")})})});
  SECTION("every part unmet: groups of another kind parenthesised, of the same kind flattened") {
    const auto v = evaluate(b, {});
    REQUIRE(v.unmet.size() == 2);
    CHECK(v.unmet[0].text == "a + (b | c) + d + e");
    CHECK(v.unmet[1].text == "f | (g + h) | i | j");
    CHECK(v.missing == Names{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"});
  }
  SECTION("met parts are left out, and a group left with one part loses its parentheses") {
    const auto v = evaluate(b, passing({"a", "d", "g"}));
    REQUIRE(v.unmet.size() == 2);
    CHECK(v.unmet[0].text == "(b | c) + e");
    CHECK(v.unmet[1].text == "f | h | i | j");
    CHECK(v.missing == Names{"b", "c", "e", "f", "h", "i", "j"});
  }
}

TEST_CASE("baseline: a nested requirement's why reaches the notes when it is unmet", "[baseline][evaluate]") {
  const Baseline b = baseline_of(
      {any({sig("tailscale"), all({sig("nftables"), sig("fail2ban", "ban lists")}, "without the mesh")},
           "no open SSH port")});
  SECTION("unmet") {
    auto signals = passing({"nftables"});
    signals.push_back(result("tailscale", SignalStatus::fail));
    signals.push_back(result("fail2ban", SignalStatus::fail));
    const auto v = evaluate(b, signals);
    REQUIRE(v.unmet.size() == 1);
    CHECK(v.unmet[0].why == "no open SSH port");
    CHECK(v.unmet[0].notes == Names{"fail2ban: without the mesh", "fail2ban: ban lists"});
  }
  SECTION("met parts keep their reasons to themselves") {
    auto signals = passing({"fail2ban"});
    signals.push_back(result("tailscale", SignalStatus::fail));
    const auto v = evaluate(b, signals);
    REQUIRE(v.unmet.size() == 1);
    CHECK(v.unmet[0].notes == Names{"nftables: without the mesh", "no plugin provides nftables"});
  }
}

TEST_CASE("baseline: a signal the survey lacks for a known reason is noted with that reason", "[baseline][evaluate]") {
  const Baseline b = baseline_of({sig("ufw"), any({sig("tailscale"), sig("wireguard")})});
  const auto v = evaluate(b, {result("tailscale", SignalStatus::fail)}, {{"ufw", "ufw not surveyed (--only)"}});
  REQUIRE(v.unmet.size() == 2);
  CHECK(v.unmet[0].notes == Names{"ufw not surveyed (--only)"});
  CHECK(v.unmet[1].notes == Names{"no plugin provides wireguard"});
  CHECK(v.missing == Names{"ufw", "tailscale", "wireguard"});
}

}  // namespace
}  // namespace hi::test
