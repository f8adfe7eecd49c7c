// The built ufw.so, run by the built hermes-inspect with a fake `ufw` on
// --tool-path that answers with the real captures only when called with
// exactly `ufw status verbose`, and configuration files under --root.
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace {

const std::string kFixtures = HI_UFW_FIXTURES;

void write_ufw(const hi::test::TempDir &tools, const std::string &capture) {
  const std::string base = kFixtures + "/" + capture;
  hi::test::write_strict_fake_tool(tools, "ufw", {"status", "verbose"}, hi::test::read_text(base + ".stdout"),
                                   hi::test::read_text(base + ".stderr"),
                                   std::stoi(hi::test::read_text(base + ".exit")));
}

nlohmann::json survey(const hi::test::TempDir &tools, const hi::test::TempDir &root) {
  return hi::test::survey_signal("ufw", tools.path(), root.path());
}

}  // namespace

TEST_CASE("ufw end to end: verdicts in run --json", "[ufw][e2e]") {
  const hi::test::TempDir tools;
  const hi::test::TempDir root;
  SECTION("active, deny incoming -> pass") {
    write_ufw(tools, "active-deny-rules");
    const auto s = survey(tools, root);
    CHECK(s.at("status") == "pass");
    CHECK(s.at("detail") == "active (deny (incoming), allow (outgoing), disabled (routed))");
    CHECK(s.at("needs_root") == false);
    CHECK(s.at("plugin") == "ufw");
  }
  SECTION("inactive -> fail") {
    write_ufw(tools, "inactive");
    const auto s = survey(tools, root);
    CHECK(s.at("status") == "fail");
    CHECK(s.at("detail") == "ufw installed but inactive");
  }
  SECTION("allow incoming -> warn") {
    write_ufw(tools, "active-allow");
    CHECK(survey(tools, root).at("status") == "warn");
  }
  SECTION("not root -> warn, needs_root, configuration read under --root") {
    write_ufw(tools, "not-root");
    root.write("etc/ufw/ufw.conf", "# written by the test\nENABLED=yes\nLOGLEVEL=low\n");
    root.write("etc/default/ufw", "IPV6=yes\nDEFAULT_INPUT_POLICY=\"REJECT\"\n");
    const auto s = survey(tools, root);
    CHECK(s.at("status") == "warn");
    CHECK(s.at("needs_root") == true);
    CHECK(s.at("detail") ==
          "needs root: ufw status verbose refused a non-root caller; configured, not verified "
          "live: ENABLED=yes in /etc/ufw/ufw.conf, DEFAULT_INPUT_POLICY=REJECT in /etc/default/ufw");
  }
  SECTION("not root, no configuration under --root") {
    write_ufw(tools, "not-root");
    const auto s = survey(tools, root);
    CHECK(s.at("needs_root") == true);
    CHECK(s.at("detail") ==
          "needs root: ufw status verbose refused a non-root caller; configured, not verified "
          "live: /etc/ufw/ufw.conf not found, /etc/default/ufw not found");
  }
  SECTION("ufw not on the tool path -> skip") {
    const auto s = survey(tools, root);
    CHECK(s.at("status") == "skip");
    CHECK(s.at("detail") == "ufw not installed");
  }
}
