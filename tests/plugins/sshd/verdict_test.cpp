// SIGNALS.md rows 6 (ssh-password-auth) and 7 (ssh-root-login), every cell.
#include "sshd_test_util.hpp"
#include "sshd_verdict.hpp"

#include <catch2/catch.hpp>

using namespace hermes_inspect;
using namespace hermes_inspect::sshd;
using hi::test::sshd::FaultySource;
using hi::test::sshd::Tree;

namespace {

// Debian 12's shipped settings (/usr/share/openssh/sshd_config).
constexpr const char *kDebianMain =
    "Include /etc/ssh/sshd_config.d/*.conf\n"
    "KbdInteractiveAuthentication no\n"
    "UsePAM yes\n";

Verdict password(const Tree &t) { return password_auth_verdict(t.analyze()); }
Verdict root(const Tree &t) { return root_login_verdict(t.analyze()); }

}  // namespace

// ---- ssh-password-auth -----------------------------------------------------

TEST_CASE("sshd: password: explicit no with PAM keyboard-interactive off passes", "[sshd][verdict]") {
  Tree t;
  t.file("sshd_config", kDebianMain)
      .file("sshd_config.d/10-hardening.conf", "# keys only\n\nPasswordAuthentication no\n");
  const auto v = password(t);
  CHECK(v.status == Status::pass);
  CHECK(v.detail == "PasswordAuthentication no (/etc/ssh/sshd_config.d/10-hardening.conf:3)");
  CHECK(v.fix.empty());
  CHECK_FALSE(v.needs_root);
}

TEST_CASE("sshd: password: no, with keyboard-interactive on but PAM off, passes", "[sshd][verdict]") {
  Tree t;
  t.file("sshd_config", "PasswordAuthentication no\n");
  CHECK(password(t).status == Status::pass);
}

TEST_CASE("sshd: password: explicit yes fails, naming where (cloud-init drop-in)", "[sshd][verdict]") {
  Tree t;
  t.file("sshd_config", std::string(kDebianMain) + "PasswordAuthentication no\n")
      .file("sshd_config.d/50-cloud-init.conf", "PasswordAuthentication yes\n");
  const auto v = password(t);
  CHECK(v.status == Status::fail);
  CHECK(v.detail == "PasswordAuthentication yes (/etc/ssh/sshd_config.d/50-cloud-init.conf:1)");
  CHECK_THAT(v.fix, Catch::Contains("/etc/ssh/sshd_config.d/50-cloud-init.conf:1"));
}

TEST_CASE("sshd: password: yes from Match all fails and names the block", "[sshd][verdict]") {
  Tree t;
  t.file("sshd_config", "PasswordAuthentication no\nMatch all\nPasswordAuthentication yes\n");
  const auto v = password(t);
  CHECK(v.status == Status::fail);
  CHECK(v.detail == "PasswordAuthentication yes (/etc/ssh/sshd_config:3, in 'Match all')");
}

TEST_CASE("sshd: password: not set anywhere warns (default yes)", "[sshd][verdict]") {
  Tree t;
  t.file("sshd_config", kDebianMain);
  const auto v = password(t);
  CHECK(v.status == Status::warn);
  CHECK(v.detail == "PasswordAuthentication not set (OpenSSH default: yes)");
  CHECK_FALSE(v.fix.empty());
  CHECK_FALSE(v.needs_root);
}

TEST_CASE("sshd: password: no, but keyboard-interactive through PAM warns", "[sshd][verdict]") {
  Tree t;
  t.file("sshd_config", "PasswordAuthentication no\nUsePAM yes\n");
  auto v = password(t);
  CHECK(v.status == Status::warn);
  CHECK(v.detail ==
        "PasswordAuthentication no (/etc/ssh/sshd_config:1), but KbdInteractiveAuthentication yes "
        "(default) with UsePAM yes (/etc/ssh/sshd_config:2) still accepts passwords through PAM");
  CHECK_THAT(v.fix, Catch::Contains("KbdInteractiveAuthentication no"));

  Tree alias;
  alias.file("sshd_config", "PasswordAuthentication no\nUsePAM yes\nChallengeResponseAuthentication yes\n");
  v = password(alias);
  CHECK(v.status == Status::warn);
  CHECK_THAT(v.detail, Catch::Contains("ChallengeResponseAuthentication yes (/etc/ssh/sshd_config:3)"));
}

TEST_CASE("sshd: password: a Match block re-enabling it warns, naming the block", "[sshd][verdict]") {
  Tree t;
  t.file("sshd_config", kDebianMain)
      .file("sshd_config.d/10-hardening.conf", "PasswordAuthentication no\n")
      .file("sshd_config.d/60-contractors.conf", "Match User alice Address 192.0.2.0/24\n  PasswordAuthentication yes\n");
  const auto v = password(t);
  CHECK(v.status == Status::warn);
  CHECK(v.detail ==
        "PasswordAuthentication no (/etc/ssh/sshd_config.d/10-hardening.conf:1), but "
        "'Match User alice Address 192.0.2.0/24' (/etc/ssh/sshd_config.d/60-contractors.conf:1) "
        "sets PasswordAuthentication yes (/etc/ssh/sshd_config.d/60-contractors.conf:2)");
  CHECK_THAT(v.fix, Catch::Contains("/etc/ssh/sshd_config.d/60-contractors.conf:2"));
}

TEST_CASE("sshd: password: a Match block turning keyboard-interactive on with PAM warns", "[sshd][verdict]") {
  Tree t;
  t.file("sshd_config", std::string(kDebianMain) + "PasswordAuthentication no\nMatch Group ops\n  KbdInteractiveAuthentication yes\n");
  const auto v = password(t);
  CHECK(v.status == Status::warn);
  CHECK_THAT(v.detail, Catch::Contains("'Match Group ops' (/etc/ssh/sshd_config:5) sets "
                                       "KbdInteractiveAuthentication yes (/etc/ssh/sshd_config:6) with UsePAM yes"));
}

TEST_CASE("sshd: password: a Match block shadowed by an earlier Match all does not warn", "[sshd][verdict]") {
  Tree t;
  t.file("sshd_config", "Match all\n  PasswordAuthentication no\nMatch User alice\n  PasswordAuthentication yes\n");
  CHECK(password(t).status == Status::pass);
}

TEST_CASE("sshd: password: a Match block setting no does not warn", "[sshd][verdict]") {
  Tree t;
  t.file("sshd_config", "PasswordAuthentication no\nMatch User alice\n  PasswordAuthentication no\n");
  CHECK(password(t).status == Status::pass);
}

// ---- ssh-root-login -------------------------------------------------------

TEST_CASE("sshd: root: each safe value passes", "[sshd][verdict]") {
  for (const std::string value : {"no", "prohibit-password", "without-password", "forced-commands-only"}) {
    Tree t;
    t.file("sshd_config", "PermitRootLogin " + value + "\n");
    const auto v = root(t);
    INFO(value);
    CHECK(v.status == Status::pass);
    CHECK(v.detail == "PermitRootLogin " + value + " (/etc/ssh/sshd_config:1)");
  }
}

TEST_CASE("sshd: root: yes fails", "[sshd][verdict]") {
  Tree t;
  t.file("sshd_config", "Include sshd_config.d/*.conf\nPermitRootLogin no\n")
      .file("sshd_config.d/50-cloud-init.conf", "PermitRootLogin yes\n");
  const auto v = root(t);
  CHECK(v.status == Status::fail);
  CHECK(v.detail == "PermitRootLogin yes (/etc/ssh/sshd_config.d/50-cloud-init.conf:1)");
  CHECK_THAT(v.fix, Catch::Contains("prohibit-password"));
}

TEST_CASE("sshd: root: not set warns (default prohibit-password)", "[sshd][verdict]") {
  Tree t;
  t.file("sshd_config", kDebianMain);
  const auto v = root(t);
  CHECK(v.status == Status::warn);
  CHECK(v.detail == "PermitRootLogin not set (OpenSSH default: prohibit-password)");
}

TEST_CASE("sshd: root: a Match block setting yes warns, naming the block", "[sshd][verdict]") {
  Tree t;
  t.file("sshd_config", "PermitRootLogin no\nMatch Address 10.0.0.0/8\n  PermitRootLogin yes\n");
  const auto v = root(t);
  CHECK(v.status == Status::warn);
  CHECK(v.detail == "PermitRootLogin no (/etc/ssh/sshd_config:1), but 'Match Address 10.0.0.0/8' "
                    "(/etc/ssh/sshd_config:2) sets PermitRootLogin yes (/etc/ssh/sshd_config:3)");
}

TEST_CASE("sshd: root: not set and a Match block setting yes names both", "[sshd][verdict]") {
  Tree t;
  t.file("sshd_config", "Match User deploy\n  PermitRootLogin yes\n");
  const auto v = root(t);
  CHECK(v.status == Status::warn);
  CHECK_THAT(v.detail, Catch::StartsWith("PermitRootLogin not set (OpenSSH default: prohibit-password), but "
                                         "'Match User deploy'"));
}

// ---- both: configuration absent, unreadable, invalid ----------------------

TEST_CASE("sshd: both: configuration absent skips", "[sshd][verdict]") {
  Tree t;
  for (const auto &v : {password(t), root(t)}) {
    CHECK(v.status == Status::skip);
    CHECK(v.detail == "no sshd configuration: /etc/ssh/sshd_config not found");
    CHECK_FALSE(v.needs_root);
  }
}

TEST_CASE("sshd: both: unreadable configuration warns with needs_root", "[sshd][verdict]") {
  Tree t;
  t.file("sshd_config", "PasswordAuthentication yes\nPermitRootLogin yes\n");
  const auto tree = t.source();
  const FaultySource denied(tree, {{"/etc/ssh/sshd_config", ConfigSource::Outcome::permission}});
  const auto a = analyze(denied);
  for (const auto &v : {password_auth_verdict(a), root_login_verdict(a)}) {
    CHECK(v.status == Status::warn);
    CHECK(v.needs_root);
    CHECK(v.detail == "needs root: cannot read /etc/ssh/sshd_config (permission denied)");
  }
}

TEST_CASE("sshd: both: a configuration sshd would refuse warns, quoting the line", "[sshd][verdict]") {
  Tree t;
  t.file("sshd_config", "PasswordAuthentication no\nPermitRootLogin maybe\n");
  for (const auto &v : {password(t), root(t)}) {
    CHECK(v.status == Status::warn);
    CHECK_FALSE(v.needs_root);
    CHECK(v.detail == "sshd would refuse this configuration: /etc/ssh/sshd_config:2: unsupported option \"maybe\".");
  }
}

TEST_CASE("sshd: both: an unknown keyword, or a global-only one in a Match block, is refused",
          "[sshd][verdict]") {
  Tree misspelt;
  misspelt.file("sshd_config", "PasswordAuthentication no\nPermitRootLogin no\nPasswrodAuthentication yes\n");
  for (const auto &v : {password(misspelt), root(misspelt)}) {
    CHECK(v.status == Status::warn);
    CHECK(v.detail == "sshd would refuse this configuration: /etc/ssh/sshd_config:3: Bad configuration "
                      "option: PasswrodAuthentication");
    CHECK(v.fix == "fix the line, then check with: sshd -t");
  }
  Tree port;
  port.file("sshd_config", "PasswordAuthentication no\nPermitRootLogin no\nMatch User deploy\n  Port 2222\n");
  for (const auto &v : {password(port), root(port)}) {
    CHECK(v.status == Status::warn);
    CHECK(v.detail == "sshd would refuse this configuration: /etc/ssh/sshd_config:4: Directive 'Port' "
                      "is not allowed within a Match block");
  }
}

TEST_CASE("sshd: root: yes in a Match that its enclosing block already set to no passes",
          "[sshd][verdict]") {
  Tree t;
  t.file("sshd_config",
         "PasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin no\n"
         "Match User root\n  PermitRootLogin no\n  Include root-extra.conf\n")
      .file("root-extra.conf", "Match User root\n  PermitRootLogin yes\n");
  const auto v = root(t);
  CHECK(v.status == Status::pass);
  CHECK(v.detail == "PermitRootLogin no (/etc/ssh/sshd_config:3)");
}

TEST_CASE("sshd: password: a Match of negations alone matches nobody and passes", "[sshd][verdict]") {
  Tree t;
  t.file("sshd_config",
         "PasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin no\n"
         "Match User !root\n  PasswordAuthentication yes\n");
  const auto v = password(t);
  CHECK(v.status == Status::pass);
  CHECK(v.detail == "PasswordAuthentication no (/etc/ssh/sshd_config:1)");
  Tree positive;
  positive.file("sshd_config", "PasswordAuthentication no\nMatch User *,!root\n  PasswordAuthentication yes\n");
  CHECK(password(positive).status == Status::warn);
}
