// The nftables verdicts, checked against rulesets the real nft loaded: captured
// fixtures always, and the same rulesets loaded live in a private network
// namespace when the tests run as root (as in CI).
#include "nftables_logic.hpp"

#include "command_results.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <unistd.h>

namespace {

using hermes_inspect::CommandResult;
using hi::test::exited;
using hermes_inspect::Status;
using hermes_inspect::Verdict;
namespace nft = hermes_inspect::nftables;

const std::string kFixtures = HI_NFT_FIXTURES;

struct Expected {
  const char *name;  // fixtures/NAME.nft and its capture NAME.json
  Status status;
  const char *detail;
};

// What the warn for a loaded ruleset whose input is not default-deny starts with.
const std::string kOpen = "ruleset loaded, input not default-deny: ";

// One row per ruleset: what the logic must say about real nft output for it.
const Expected kRulesets[] = {
    {"policy-drop", Status::pass, "input default-deny (IPv4 and IPv6): inet filter/input policy drop"},
    {"policy-accept", Status::warn,
     "input chain inet filter/input policy accept, 2 rules, no final rule dropping everything"},
    {"final-drop", Status::pass,
     "input default-deny (IPv4 and IPv6): inet filter/input final rule drops everything"},
    {"final-reject", Status::pass,
     "input default-deny (IPv4 and IPv6): inet filter/input final rule drops everything"},
    {"final-log-drop", Status::pass,
     "input default-deny (IPv4 and IPv6): inet filter/input final rule drops everything"},
    {"output-only-drop", Status::warn,
     "1 table, 1 chain, no inet/ip/ip6 filter chain on the input hook"},
    {"ip-only", Status::pass,
     "input default-deny for IPv4 only (ip family; IPv6 not covered): ip filter/input policy drop"},
    {"ip6-only", Status::pass,
     "input default-deny for IPv6 only (ip6 family; IPv4 not covered): ip6 filter/input policy "
     "drop"},
    {"empty", Status::fail, "empty ruleset"},
    {"conditional-final-drop", Status::warn,
     "input chain inet filter/input policy accept, 3 rules, no final rule dropping everything"},
    {"rate-limited-final-drop", Status::warn,
     "input chain inet filter/input policy accept, 2 rules, no final rule dropping everything"},
    {"chains-without-rules", Status::warn, "input chain inet filter/input policy accept, no rules"},
    {"no-input-chain", Status::warn,
     "2 tables, 3 chains, no inet/ip/ip6 filter chain on the input hook"},
    {"bridge-input-drop", Status::warn,
     "input chain inet filter/input policy accept, 1 rule, no final rule dropping everything"},
    {"inet-accept-ip-drop", Status::pass,
     "input default-deny for IPv4 only (ip family; IPv6 not covered): ip strict/input policy drop"},
    {"drop-in-regular-chain", Status::warn,
     "input chain inet filter/input policy accept, 1 rule, no final rule dropping everything"},
    // nft 1.0.6 prints a dormant table's flag as some other string of the listing.
    {"dormant-policy-drop", Status::warn,
     "input chain inet filter/input is default-deny but table inet filter may be dormant (nft -j "
     "printed its flags as \"filter\")"},
    {"dormant-beside-ip-drop", Status::pass,
     "input default-deny for IPv4 only (ip family; IPv6 not covered): ip strict/input policy drop"},
    // ... or stops the listing there, exiting 0.
    {"dormant-table-last", Status::pass,
     "input default-deny (IPv4 and IPv6): inet filter/input policy drop (nft -j stopped listing at "
     "the flags of table inet spare)"},
    {"dormant-only-table", Status::warn,
     "1 table, 0 chains, no inet/ip/ip6 filter chain on the input hook; nft -j stopped listing at "
     "the flags of table inet spare"},
};

// The detail a row expects: a warn's is the spec's words, then what was seen.
std::string expected_detail(const Expected &e) {
  return e.status == Status::warn ? kOpen + e.detail : e.detail;
}

const char *const kUfwEnabledDetail =
    "input default-deny (IPv4 and IPv6): ip filter/INPUT policy drop, ip6 filter/INPUT policy drop";
const std::string kUfwDefaultAllowDetail =
    kOpen +
    "input chain ip filter/INPUT policy accept, 6 rules, no final rule dropping everything; "
    "input chain ip6 filter/INPUT policy accept, 6 rules, no final rule dropping everything";

void check(const Verdict &v, Status status, const std::string &detail) {
  INFO("detail: " << v.detail);
  CHECK(v.status == status);
  CHECK(v.detail == detail);
  CHECK_FALSE(v.needs_root);
  CHECK(v.fix.empty() == (status == Status::pass));
}

// Live checks load rulesets into namespaces, which needs root; CI runs as root.
bool live_checks_possible() {
  return hi::test::runs_here(::geteuid() == 0, "loading rulesets in a private network namespace needs root");
}

// `nft -j list ruleset` after the real `nft -f rules`, in a fresh network
// namespace: the host's own ruleset is never touched.
std::string load_and_list(const std::string &rules) {
  const auto r = hi::test::run_process(
      {hi::test::require_tool("unshare", "util-linux"), "-n", "sh", "-c", "nft -f \"$1\" && nft -j list ruleset", "sh", rules});
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

}  // namespace

TEST_CASE("nftables: verdicts on captured nft -j output", "[nftables]") {
  for (const auto &e : kRulesets) {
    SECTION(e.name) {
      check(nft::evaluate_ruleset(hi::test::read_text(kFixtures + "/" + e.name + ".json")),
            e.status, expected_detail(e));
    }
  }
  SECTION("tables created by ufw enable through iptables-nft") {
    check(nft::evaluate_ruleset(hi::test::read_text(kFixtures + "/ufw-enabled.json")),
          Status::pass, kUfwEnabledDetail);
  }
  SECTION("ufw enabled with default allow incoming") {
    check(nft::evaluate_ruleset(hi::test::read_text(kFixtures + "/ufw-default-allow.json")),
          Status::warn, kUfwDefaultAllowDetail);
  }
}

// nft 1.1.0 and later print a table's flags readably: one name, or a list of
// names (newer releases always a list). These replace the flags nft 1.0.6
// misprinted in the dormant-policy-drop capture with each of those forms.
TEST_CASE("nftables: table flags as nft 1.1 and later print them", "[nftables]") {
  const std::string captured = hi::test::read_text(kFixtures + "/dormant-policy-drop.json");
  const std::string misprinted = R"("flags": "filter")";
  REQUIRE(captured.find(misprinted) != std::string::npos);
  const auto with_flags = [&](const std::string &flags) {
    std::string doc = captured;
    doc.replace(doc.find(misprinted), misprinted.size(), "\"flags\": " + flags);
    return nft::evaluate_ruleset(doc);
  };
  const std::string dormant =
      kOpen + "input chain inet filter/input is default-deny but table inet filter is dormant";
  for (const char *flags : {R"("dormant")", R"(["dormant"])", R"(["dormant", "owner"])",
                            R"(["owner", "dormant", "persist"])"}) {
    SECTION(std::string("dormant: ") + flags) {
      const Verdict v = with_flags(flags);
      check(v, Status::warn, dormant);
      CHECK(v.fix ==
            "nft list table inet filter: if it says `flags dormant`, make the table active with "
            "`nft add table inet filter` and remove that flag from /etc/nftables.conf");
    }
  }
  for (const char *flags : {R"("owner")", R"(["owner", "persist"])", "[]"}) {
    SECTION(std::string("active: ") + flags) {
      check(with_flags(flags), Status::pass,
            "input default-deny (IPv4 and IPv6): inet filter/input policy drop");
    }
  }
  SECTION("flags that are not flag names may hide dormant") {
    check(with_flags("7"), Status::warn,
          kOpen + "input chain inet filter/input is default-deny but table inet filter may be "
                  "dormant (nft -j printed its flags as 7)");
    check(with_flags(R"(["dormnt"])"), Status::warn,
          kOpen + "input chain inet filter/input is default-deny but table inet filter may be "
                  R"(dormant (nft -j printed its flags as ["dormnt"]))");
    check(with_flags(R"(["owner", null])"), Status::warn,
          kOpen + "input chain inet filter/input is default-deny but table inet filter may be "
                  R"(dormant (nft -j printed its flags as ["owner",null]))");
  }
  SECTION("an open input chain in a dormant table is described like any other") {
    const std::string drop = R"("policy": "drop")";
    std::string doc = captured;
    doc.replace(doc.find(drop), drop.size(), R"("policy": "accept")");
    doc.replace(doc.find(misprinted), misprinted.size(), R"("flags": "dormant")");
    check(nft::evaluate_ruleset(doc), Status::warn,
          kOpen + "input chain inet filter/input policy accept, 2 rules, no final rule dropping "
                  "everything");
  }
}

TEST_CASE("nftables: a listing cut short is read only when it stops at a table's flags",
          "[nftables]") {
  SECTION("the capture's end, where nft 1.0.6 stopped") {
    const std::string cut = hi::test::read_text(kFixtures + "/dormant-only-table.json");
    const std::string end = ", \"flags\": \n";
    REQUIRE(cut.size() > end.size());
    CHECK(cut.substr(cut.size() - end.size()) == end);
  }
  for (const char *doc : {R"({"nftables": [{"chain": {"family": "inet", "table": "t", "flags": )",
                          R"({"nftables": [{"table": {"flags": )",
                          R"({"nftables": [{"table": {"family": "inet", "name": "t", "nflags": )",
                          R"({"nftables": [{"table": {"family": "inet"}}, "flags": )",
                          R"({"nftables": [{"table": {"family": "inet", "name": "t"}, "flags": )"}) {
    SECTION(std::string("not nft's cut: ") + doc) {
      const Verdict v = nft::evaluate_ruleset(doc);
      CHECK(v.status == Status::warn);
      CHECK(v.detail.rfind("unexpected output from nft -j: ", 0) == 0);
    }
  }
  SECTION("trailing white space after the cut is allowed") {
    const Verdict v = nft::evaluate_ruleset(
        R"({"nftables": [{"table": {"family": "ip", "name": "t", "handle": 1, "flags":  )" "\n");
    check(v, Status::warn,
          kOpen + "1 table, 0 chains, no inet/ip/ip6 filter chain on the input hook; nft -j "
                  "stopped listing at the flags of table ip t");
  }
}

TEST_CASE("nftables: verdicts on rulesets loaded live by nft -f", "[nftables][live]") {
  if (!live_checks_possible()) return;
  for (const auto &e : kRulesets) {
    SECTION(e.name) {
      check(nft::decide(exited(0, load_and_list(kFixtures + "/" + e.name + ".nft"))), e.status,
            expected_detail(e));
    }
  }
}

TEST_CASE("nftables: tables ufw enable creates, loaded live", "[nftables][live]") {
  if (!live_checks_possible()) return;
  const std::string sandbox = HI_UFW_SANDBOX;
  SECTION("default deny incoming") {
    const auto r = hi::test::run_process(
        {"/bin/sh", sandbox, "ufw --force enable >/dev/null && nft -j list ruleset"});
    INFO("stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    check(nft::decide(exited(0, r.out)), Status::pass, kUfwEnabledDetail);
  }
  SECTION("default allow incoming") {
    const auto r = hi::test::run_process(
        {"/bin/sh", sandbox,
         "ufw default allow incoming >/dev/null && ufw --force enable >/dev/null && "
         "nft -j list ruleset"});
    INFO("stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    check(nft::decide(exited(0, r.out)), Status::warn, kUfwDefaultAllowDetail);
  }
}

TEST_CASE("nftables: a non-root caller is refused -> warn, needs root", "[nftables]") {
  const auto expect_needs_root = [](const CommandResult &r) {
    const Verdict v = nft::decide(r);
    CHECK(v.status == Status::warn);
    CHECK(v.needs_root);
    CHECK(v.detail == "needs root: nft -j list ruleset: Operation not permitted");
  };
  SECTION("captured as nobody") {
    expect_needs_root(exited(std::stoi(hi::test::read_text(kFixtures + "/not-root.exit")),
                             hi::test::read_text(kFixtures + "/not-root.stdout"),
                             hi::test::read_text(kFixtures + "/not-root.stderr")));
  }
  SECTION("live, as nobody") {
    if (!live_checks_possible()) return;
    const auto r = hi::test::run_process({hi::test::require_tool("setpriv", "util-linux"), "--reuid=nobody", "--regid=nogroup",
                                          "--clear-groups", hi::test::require_tool("nft", "nftables"), "-j", "list", "ruleset"});
    expect_needs_root(exited(r.exit_code, r.out, r.err));
  }
  SECTION("the same words with exit 0 are not a refusal") {
    const Verdict v = nft::decide(exited(0, "Operation not permitted"));
    CHECK(v.status == Status::warn);
    CHECK_FALSE(v.needs_root);
  }
}

TEST_CASE("nftables: output that is not nft's JSON -> warn quoting it", "[nftables]") {
  SECTION("plain text, quoted to 80 characters") {
    const std::string text = "table inet filter {\n  chain input {" + std::string(200, 'x');
    const Verdict v = nft::evaluate_ruleset(text);
    CHECK(v.status == Status::warn);
    CHECK_FALSE(v.needs_root);
    CHECK(v.detail.rfind("unexpected output from nft -j: \"table inet filter {", 0) == 0);
    CHECK(v.detail.size() <= std::string("unexpected output from nft -j: ").size() + 80 + 5);
  }
  for (const char *doc : {"", "null", "[]", "42", "{\"nftables\": {}}", "{\"tables\": []}",
                          "{\"nftables\": [", "\"nftables\""}) {
    SECTION(std::string("document: ") + doc) {
      const Verdict v = nft::evaluate_ruleset(doc);
      CHECK(v.status == Status::warn);
      CHECK(v.detail.rfind("unexpected output from nft -j: ", 0) == 0);
    }
  }
}

TEST_CASE("nftables: odd shapes inside the document never throw", "[nftables]") {
  SECTION("items of the wrong types are ignored") {
    const Verdict v = nft::evaluate_ruleset(
        R"({"nftables": [1, "x", null, [], {"chain": 5}, {"rule": {"expr": "drop"}},
            {"table": 1, "chain": 2}, {"rule": []}]})");
    CHECK(v.status == Status::fail);
    CHECK(v.detail == "empty ruleset");
  }
  SECTION("a chain with non-string fields is not an input chain") {
    const Verdict v = nft::evaluate_ruleset(
        R"({"nftables": [{"table": {"family": "inet", "name": "t"}},
            {"chain": {"family": "inet", "table": "t", "name": "c", "hook": ["input"],
                       "policy": {"drop": null}}},
            {"rule": {"family": "inet", "table": "t", "chain": "c", "expr": {"drop": null}}}]})");
    CHECK(v.status == Status::warn);
    CHECK(v.detail == kOpen + "1 table, 1 chain, no inet/ip/ip6 filter chain on the input hook");
  }
  SECTION("a rule of an unknown chain, and a final rule with no expr") {
    const Verdict v = nft::evaluate_ruleset(
        R"({"nftables": [{"table": {"family": "ip", "name": "t"}},
            {"chain": {"family": "ip", "table": "t", "name": "in", "type": "filter",
                       "hook": "input", "policy": "accept"}},
            {"rule": {"family": "ip", "table": "t", "chain": "in", "expr": [{"drop": null}]}},
            {"rule": {"family": "ip", "table": "t", "chain": "in"}},
            {"rule": {"family": "ip", "table": "t", "chain": "nowhere", "expr": [{"drop": null}]}}]})");
    CHECK(v.status == Status::warn);
  }
  SECTION("the rule that matters is the chain's last one") {
    const std::string chain =
        R"({"table": {"family": "ip", "name": "t"}},
           {"chain": {"family": "ip", "table": "t", "name": "in", "type": "filter",
                      "hook": "input", "policy": "accept"}},)";
    const std::string drop = R"({"rule": {"family": "ip", "table": "t", "chain": "in",
                                          "expr": [{"counter": null}, {"drop": null}]}})";
    const std::string accept = R"({"rule": {"family": "ip", "table": "t", "chain": "in",
                                            "expr": [{"accept": null}]}})";
    CHECK(nft::evaluate_ruleset("{\"nftables\": [" + chain + accept + "," + drop + "]}").status ==
          Status::pass);
    CHECK(nft::evaluate_ruleset("{\"nftables\": [" + chain + drop + "," + accept + "]}").status ==
          Status::warn);
  }
  SECTION("a nat chain on the input hook is not a filter") {
    const Verdict v = nft::evaluate_ruleset(
        R"({"nftables": [{"table": {"family": "inet", "name": "t"}},
            {"chain": {"family": "inet", "table": "t", "name": "in", "type": "nat",
                       "hook": "input", "policy": "drop"}},
            {"rule": {"family": "inet", "table": "t", "chain": "in", "expr": [{"accept": null}]}}]})");
    CHECK(v.status == Status::warn);
  }
}

TEST_CASE("nftables: tool problems", "[nftables]") {
  SECTION("not installed -> skip with the install hint") {
    const Verdict v = nft::decide(hi::test::not_installed());
    CHECK(v.status == Status::skip);
    CHECK(v.detail == "nft not installed");
    CHECK(v.fix == nft::kInstallFix);
  }
  SECTION("hung -> skip naming the timeout") {
    const Verdict v = nft::decide(hi::test::timed_out_after(4000));
    CHECK(v.status == Status::skip);
    CHECK(v.detail == "timed out after 4s");
  }
  SECTION("another failure -> warn quoting what nft said") {
    // What an nft built without libjansson prints for -j (nftables src/main.c).
    const Verdict v = nft::decide(exited(1, "", "JSON support not compiled-in\n"));
    CHECK(v.status == Status::warn);
    CHECK_FALSE(v.needs_root);
    CHECK(v.detail == "nft exited 1: \"JSON support not compiled-in\"");
  }
}
