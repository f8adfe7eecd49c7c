// The built nftables.so, run by the built hermes-inspect with a fake `nft` on
// --tool-path that answers with the real captures only when called with
// exactly the arguments SIGNALS.md names.
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace {

const std::string kFixtures = HI_NFT_FIXTURES;

void write_nft(const hi::test::TempDir &tools, const std::string &out, const std::string &err = "",
               int exit_code = 0) {
  hi::test::write_strict_fake_tool(tools, "nft", {"-j", "list", "ruleset"}, out, err, exit_code);
}

nlohmann::json survey(const hi::test::TempDir &tools) {
  const hi::test::TempDir root;
  return hi::test::survey_signal("nftables", tools.path(), root.path());
}

}  // namespace

TEST_CASE("nftables end to end: verdicts in run --json", "[nftables][e2e]") {
  const hi::test::TempDir tools;
  SECTION("default-deny ruleset -> pass") {
    write_nft(tools, hi::test::read_text(kFixtures + "/policy-drop.json"));
    const auto s = survey(tools);
    CHECK(s.at("status") == "pass");
    CHECK(s.at("detail") == "input default-deny (IPv4 and IPv6): inet filter/input policy drop");
    CHECK(s.at("needs_root") == false);
    CHECK(s.at("plugin") == "nftables");
  }
  SECTION("ufw's tables -> pass for both families") {
    write_nft(tools, hi::test::read_text(kFixtures + "/ufw-enabled.json"));
    CHECK(survey(tools).at("status") == "pass");
  }
  SECTION("accept policy -> warn") {
    write_nft(tools, hi::test::read_text(kFixtures + "/policy-accept.json"));
    const auto s = survey(tools);
    CHECK(s.at("status") == "warn");
    CHECK(s.at("detail") ==
          "ruleset loaded, input not default-deny: input chain inet filter/input policy accept, 2 "
          "rules, no final rule dropping everything");
  }
  SECTION("chains without rules -> warn saying so") {
    write_nft(tools, hi::test::read_text(kFixtures + "/chains-without-rules.json"));
    const auto s = survey(tools);
    CHECK(s.at("status") == "warn");
    CHECK(s.at("detail") ==
          "ruleset loaded, input not default-deny: input chain inet filter/input policy accept, no "
          "rules");
  }
  SECTION("default-deny chain in a dormant table -> warn naming the table") {
    write_nft(tools, hi::test::read_text(kFixtures + "/dormant-policy-drop.json"));
    const auto s = survey(tools);
    CHECK(s.at("status") == "warn");
    CHECK(s.at("detail") ==
          "ruleset loaded, input not default-deny: input chain inet filter/input is default-deny "
          "but table inet filter may be dormant (nft -j printed its flags as \"filter\")");
    CHECK(s.at("fix").get<std::string>().find("nft add table inet filter") != std::string::npos);
  }
  SECTION("listing cut short at a dormant table's flags -> read as far as it goes") {
    write_nft(tools, hi::test::read_text(kFixtures + "/dormant-table-last.json"));
    const auto s = survey(tools);
    CHECK(s.at("status") == "pass");
    CHECK(s.at("detail") ==
          "input default-deny (IPv4 and IPv6): inet filter/input policy drop (nft -j stopped "
          "listing at the flags of table inet spare)");
  }
  SECTION("empty ruleset -> fail") {
    write_nft(tools, hi::test::read_text(kFixtures + "/empty.json"));
    const auto s = survey(tools);
    CHECK(s.at("status") == "fail");
    CHECK(s.at("detail") == "empty ruleset");
  }
  SECTION("refused as non-root -> warn with needs_root") {
    write_nft(tools, hi::test::read_text(kFixtures + "/not-root.stdout"),
              hi::test::read_text(kFixtures + "/not-root.stderr"),
              std::stoi(hi::test::read_text(kFixtures + "/not-root.exit")));
    const auto s = survey(tools);
    CHECK(s.at("status") == "warn");
    CHECK(s.at("needs_root") == true);
  }
  SECTION("not JSON -> warn quoting it") {
    write_nft(tools, "table inet filter {\n");
    const auto s = survey(tools);
    CHECK(s.at("status") == "warn");
    CHECK(s.at("detail") == "unexpected output from nft -j: \"table inet filter {\"");
  }
  SECTION("nft not on the tool path -> skip") {
    const auto s = survey(tools);
    CHECK(s.at("status") == "skip");
    CHECK(s.at("detail") == "nft not installed");
  }
}
