// Loading and evaluating sshd_config trees: first value wins, Includes in
// place, Match blocks, the bounds, and read failures.
#include "sshd_config.hpp"
#include "sshd_glob.hpp"
#include "sshd_test_util.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <set>
#include <sstream>

#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace hermes_inspect::sshd;
using hi::test::sshd::FaultySource;
using hi::test::sshd::Tree;

namespace {

constexpr auto kPassword = Key::password_authentication;
constexpr auto kKbd = Key::kbd_interactive_authentication;
constexpr auto kRoot = Key::permit_root_login;
constexpr auto kPam = Key::use_pam;

Effective effective(const Tree &t) {
  const auto a = t.analyze();
  INFO((a.problem ? a.problem->message : std::string("no problem")));
  REQUIRE_FALSE(a.problem.has_value());
  return a.effective;
}

Problem problem(const Tree &t) {
  const auto a = t.analyze();
  REQUIRE(a.problem.has_value());
  return *a.problem;
}

std::string where(const Effective &e, Key k) {
  REQUIRE(e.get(k).has_value());
  return to_string(e.get(k)->where);
}

Effective for_connection(const Tree &t, const Connection &c) {
  const auto loaded = t.load();
  REQUIRE_FALSE(loaded.problem.has_value());
  const auto e = evaluate(loaded.config, c);
  REQUIRE_FALSE(e.problem.has_value());
  return e.effective;
}

Connection user(const std::string &name) {
  Connection c;
  c.user = name;
  return c;
}

// glob_under as the unprivileged user nobody: root may look up everything,
// so as root it runs in a child that drops to nobody first.
ConfigSource::Glob glob_as_nobody(const std::string &root, const std::string &pattern) {
  if (::geteuid() != 0) return glob_under(root, pattern);
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(fds[0]);
    if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(2);
    const auto g = glob_under(root, pattern);
    std::string out = g.denied + '\n' + (g.denied_listing ? "listing" : "") + '\n';
    for (const auto &p : g.paths) out += p + '\n';
    const bool written = ::write(fds[1], out.data(), out.size()) == static_cast<ssize_t>(out.size());
    ::_exit(written ? 0 : 3);
  }
  ::close(fds[1]);
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) text.append(buf, static_cast<std::size_t>(n));
  ::close(fds[0]);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  std::istringstream in(text);
  ConfigSource::Glob g;
  std::string listing;
  std::getline(in, g.denied);
  std::getline(in, listing);
  g.denied_listing = listing == "listing";
  for (std::string line; std::getline(in, line);) g.paths.push_back(line);
  return g;
}

}  // namespace

TEST_CASE("sshd: unset keywords take OpenSSH's defaults", "[sshd][config]") {
  Tree t;
  t.file("sshd_config", "# nothing set\nPort 22\n");
  const auto e = effective(t);
  CHECK_FALSE(e.get(kPassword).has_value());
  CHECK(e.value(kPassword) == "yes");
  CHECK(e.value(kKbd) == "yes");
  CHECK(e.value(kRoot) == "prohibit-password");
  CHECK(e.value(kPam) == "no");
}

TEST_CASE("sshd: the first obtained value wins and its file:line is kept", "[sshd][config]") {
  Tree t;
  t.file("sshd_config", "PasswordAuthentication no\nPasswordAuthentication yes\npermitrootlogin = Without-Password\n");
  const auto e = effective(t);
  CHECK(e.value(kPassword) == "no");
  CHECK(where(e, kPassword) == "/etc/ssh/sshd_config:1");
  CHECK(e.value(kRoot) == "prohibit-password");
  CHECK(e.get(kRoot)->written == "permitrootlogin Without-Password");
}

TEST_CASE("sshd: ChallengeResponseAuthentication and SkeyAuthentication set KbdInteractiveAuthentication",
          "[sshd][config]") {
  Tree t;
  t.file("sshd_config", "ChallengeResponseAuthentication no\nKbdInteractiveAuthentication yes\n");
  CHECK(effective(t).value(kKbd) == "no");
  Tree s;
  s.file("sshd_config", "SkeyAuthentication no\n");
  CHECK(effective(s).value(kKbd) == "no");
}

TEST_CASE("sshd: a drop-in included first wins over the main file", "[sshd][config]") {
  Tree t;
  t.file("sshd_config", "Include /etc/ssh/sshd_config.d/*.conf\nPasswordAuthentication no\n")
      .file("sshd_config.d/50-cloud-init.conf", "PasswordAuthentication yes\n");
  const auto e = effective(t);
  CHECK(e.value(kPassword) == "yes");
  CHECK(where(e, kPassword) == "/etc/ssh/sshd_config.d/50-cloud-init.conf:1");
}

TEST_CASE("sshd: Include: relative to /etc/ssh, several arguments, lexical glob order", "[sshd][config]") {
  Tree t;
  t.file("sshd_config", "Include conf.d/*.conf other.conf\n")
      .file("conf.d/2-b.conf", "PermitRootLogin no\n")
      .file("conf.d/10-a.conf", "PermitRootLogin forced-commands-only\n")
      .file("conf.d/ignored.conf.bak", "PasswordAuthentication yes\n")
      .file("other.conf", "PasswordAuthentication no\n");
  const auto e = effective(t);
  CHECK(e.value(kRoot) == "forced-commands-only");
  CHECK(where(e, kRoot) == "/etc/ssh/conf.d/10-a.conf:1");
  CHECK(where(e, kPassword) == "/etc/ssh/other.conf:1");
}

TEST_CASE("sshd: an Include that matches nothing is not an error", "[sshd][config]") {
  Tree t;
  t.file("sshd_config", "Include /etc/ssh/none/*.conf missing.conf ~/x.conf\nUsePAM yes\n");
  CHECK(effective(t).value(kPam) == "yes");
}

TEST_CASE("sshd: a Match block in an included file ends with that file", "[sshd][config]") {
  Tree t;
  t.file("sshd_config", "Include sshd_config.d/*.conf\nPasswordAuthentication no\n")
      .file("sshd_config.d/60-sftp.conf", "Match User sftp\nPasswordAuthentication yes\n");
  const auto e = effective(t);
  CHECK(e.value(kPassword) == "no");
  CHECK_FALSE(e.get(kPassword)->block.has_value());
  CHECK(for_connection(t, user("sftp")).value(kPassword) == "yes");
}

TEST_CASE("sshd: Match all overrides global values for everybody", "[sshd][config]") {
  Tree t;
  t.file("sshd_config", "PasswordAuthentication yes\nMatch all\nPasswordAuthentication no\n");
  const auto e = effective(t);
  CHECK(e.value(kPassword) == "no");
  REQUIRE(e.get(kPassword)->block.has_value());
  CHECK(e.get(kPassword)->block->text == "Match all");
  CHECK(to_string(e.get(kPassword)->block->where) == "/etc/ssh/sshd_config:2");
}

TEST_CASE("sshd: UsePAM in Match all is obtained globally but not overridden by it", "[sshd][config]") {
  Tree t;
  t.file("sshd_config", "Match all\nUsePAM yes\n");
  CHECK(effective(t).value(kPam) == "yes");
  Tree u;
  u.file("sshd_config", "UsePAM no\nMatch all\nUsePAM yes\n");
  CHECK(effective(u).value(kPam) == "no");
}

TEST_CASE("sshd: evaluating for a connection applies the satisfied blocks, first value first",
          "[sshd][config]") {
  Tree t;
  t.file("sshd_config",
         "PasswordAuthentication no\n"
         "Match User bob\nPasswordAuthentication yes\n"
         "Match Address 10.0.0.0/8\nPasswordAuthentication no\nPermitRootLogin yes\n");
  CHECK(for_connection(t, user("bob")).value(kPassword) == "yes");
  CHECK(for_connection(t, user("eve")).value(kPassword) == "no");
  Connection bob_inside = user("bob");
  bob_inside.address = "10.2.3.4";
  const auto e = for_connection(t, bob_inside);
  CHECK(e.value(kPassword) == "yes");
  CHECK(e.value(kRoot) == "yes");
}

TEST_CASE("sshd: an Include inside a Match block belongs to the block", "[sshd][config]") {
  Tree t;
  t.file("sshd_config", "Match User bob\nInclude bob.conf\n")
      .file("bob.conf", "PermitRootLogin yes\nMatch Address 10.0.0.0/8\nPasswordAuthentication yes\n");
  CHECK(effective(t).value(kRoot) == "prohibit-password");
  CHECK(for_connection(t, user("bob")).value(kRoot) == "yes");
  CHECK(for_connection(t, user("bob")).value(kPassword) == "yes");  // default, block not satisfied
  Connection bob = user("bob");
  bob.address = "10.0.0.9";
  CHECK(for_connection(t, bob).get(kPassword).has_value());
  Connection eve = user("eve");
  eve.address = "10.0.0.9";
  CHECK_FALSE(for_connection(t, eve).get(kPassword).has_value());
}

TEST_CASE("sshd: conditional settings name their block and Match all and repeats shadow", "[sshd][config]") {
  Tree t;
  t.file("sshd_config",
         "PasswordAuthentication no\n"
         "Match User alice\n  PasswordAuthentication yes\n  PasswordAuthentication no\n"
         "Match all\n  PermitRootLogin no\n"
         "Match Address 10.0.0.0/8\n  PermitRootLogin yes\n");
  const auto a = t.analyze();
  REQUIRE_FALSE(a.problem.has_value());
  REQUIRE(a.conditional.size() == 3);
  CHECK(a.conditional[0].key == kPassword);
  CHECK(a.conditional[0].setting.value == "yes");
  CHECK(a.conditional[0].setting.block->text == "Match User alice");
  CHECK(to_string(a.conditional[0].setting.block->where) == "/etc/ssh/sshd_config:2");
  CHECK(to_string(a.conditional[0].setting.where) == "/etc/ssh/sshd_config:3");
  CHECK_FALSE(a.conditional[0].shadowed);
  CHECK(a.conditional[1].shadowed);  // the same block obtained a value already
  CHECK(a.conditional[2].key == kRoot);
  CHECK(a.conditional[2].shadowed);  // Match all came first for everybody
}

TEST_CASE("sshd: Match all inside an included file inside a conditional block stays conditional",
          "[sshd][config]") {
  Tree t;
  t.file("sshd_config", "Match User bob\nInclude inner.conf\n")
      .file("inner.conf", "Match all\nPermitRootLogin yes\n");
  const auto a = t.analyze();
  REQUIRE(a.conditional.size() == 1);
  CHECK(a.conditional[0].setting.block->text == "Match User bob");
  CHECK_FALSE(a.conditional[0].shadowed);
}

TEST_CASE("sshd: a Match repeating its enclosing block's condition is shadowed by that block",
          "[sshd][config]") {
  Tree t;
  t.file("sshd_config", "PermitRootLogin no\nMatch User root\n  PermitRootLogin no\n  Include root-extra.conf\n")
      .file("root-extra.conf", "Match User root\n  PermitRootLogin yes\n");
  CHECK(for_connection(t, user("root")).value(kRoot) == "no");
  const auto a = t.analyze();
  REQUIRE_FALSE(a.problem.has_value());
  REQUIRE(a.conditional.size() == 2);
  CHECK_FALSE(a.conditional[0].shadowed);
  CHECK(a.conditional[1].setting.value == "yes");
  CHECK(a.conditional[1].setting.block->text == "Match User root");
  CHECK(to_string(a.conditional[1].setting.block->where) == "/etc/ssh/root-extra.conf:1");
  CHECK(a.conditional[1].shadowed);
}

TEST_CASE("sshd: a narrower Match nested in a block stays live, a wider earlier one shadows",
          "[sshd][config]") {
  Tree t;
  t.file("sshd_config",
         "Match User root\n  PermitRootLogin no\n  Include a.conf\n"
         "Match User root Address 10.0.0.0/8\n  PermitRootLogin yes\n"
         "Match User bob\n  Include b.conf\n")
      .file("a.conf", "Match Address 10.0.0.0/8\n  PasswordAuthentication yes\n")
      .file("b.conf", "Match Address 10.0.0.0/8\n  PasswordAuthentication no\n  PermitRootLogin yes\n");
  const auto a = t.analyze();
  REQUIRE_FALSE(a.problem.has_value());
  REQUIRE(a.conditional.size() == 5);
  CHECK_FALSE(a.conditional[1].shadowed);  // root from 10/8: no earlier password value
  CHECK(a.conditional[2].shadowed);        // User root obtained PermitRootLogin first
  CHECK_FALSE(a.conditional[3].shadowed);  // bob from 10/8: the root blocks do not cover bob
  CHECK_FALSE(a.conditional[4].shadowed);
}

TEST_CASE("sshd: a Match of negations alone matches nobody and sets nothing", "[sshd][config]") {
  Tree t;
  t.file("sshd_config",
         "PasswordAuthentication no\n"
         "Match User !root\n  PasswordAuthentication yes\n"
         "Match Address !10.0.0.0/8\n  PermitRootLogin yes\n"
         "Match Group !wheel,!adm\n  PermitRootLogin yes\n"
         "Match User *,!root\n  KbdInteractiveAuthentication yes\n");
  for (const char *name : {"root", "bob", "nobody"}) {
    Connection c = user(name);
    c.address = "192.0.2.1";
    const auto e = for_connection(t, c);
    INFO(name);
    CHECK(e.value(kPassword) == "no");
    CHECK(e.value(kRoot) == "prohibit-password");
  }
  const auto a = t.analyze();
  REQUIRE(a.conditional.size() == 1);
  CHECK(a.conditional[0].key == kKbd);
}

TEST_CASE("sshd: an Include naming a directory, or a glob matching one, reads it as empty",
          "[sshd][config]") {
  Tree t;
  t.file("sshd_config", "Include sshd_config.d/*\nInclude sshd_config.d\nPasswordAuthentication no\n")
      .file("sshd_config.d/10.conf", "PermitRootLogin no\n")
      .file("sshd_config.d/20-sub/inside.conf", "PasswordAuthentication yes\n");
  const auto e = effective(t);
  CHECK(e.value(kPassword) == "no");
  CHECK(where(e, kRoot) == "/etc/ssh/sshd_config.d/10.conf:1");
}

TEST_CASE("sshd: the main file missing is its own problem", "[sshd][config]") {
  Tree t;
  const auto p = problem(t);
  CHECK(p.kind == Problem::Kind::missing);
  CHECK(p.message == "/etc/ssh/sshd_config not found");
}

TEST_CASE("sshd: lines sshd rejects make the configuration invalid, with file:line", "[sshd][config]") {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"PasswordAuthentication maybe\n", "/etc/ssh/sshd_config:1: unsupported option \"maybe\"."},
      {"UsePAM yes\nPermitRootLogin\n", "/etc/ssh/sshd_config:2: no argument after keyword \"PermitRootLogin\""},
      {"PermitRootLogin no yes\n", "/etc/ssh/sshd_config:1: keyword PermitRootLogin extra arguments at end of line"},
      {"PermitRootLogin \"no\n", "/etc/ssh/sshd_config:1: invalid quotes"},
      {"PermitRootLogin \"\"\n", "/etc/ssh/sshd_config:1: PermitRootLogin missing argument."},
      {"Include # nothing\n", "/etc/ssh/sshd_config:1: Include missing filename argument"},
      {"Include a.conf \"\"\n", "/etc/ssh/sshd_config:1: keyword Include empty argument"},
      {"Match Colour blue\n", "/etc/ssh/sshd_config:1: Bad Match condition: Unsupported Match attribute Colour"},
      {"Match User bob\nUsePAM yes\n", "/etc/ssh/sshd_config:2: Directive 'UsePAM' is not allowed within a Match block"},
      {"PasswordAuthentication no\nPasswrodAuthentication yes\n",
       "/etc/ssh/sshd_config:2: Bad configuration option: PasswrodAuthentication"},
      {"Match User nobody-at-all\nNoSuchKeyword x\n", "/etc/ssh/sshd_config:2: Bad configuration option: NoSuchKeyword"},
      {"Match User deploy\n  port 2222\n", "/etc/ssh/sshd_config:2: Directive 'port' is not allowed within a Match block"},
  };
  for (const auto &[text, message] : cases) {
    Tree t;
    t.file("sshd_config", text);
    const auto p = problem(t);
    INFO(text);
    CHECK(p.kind == Problem::Kind::invalid);
    CHECK(p.message == message);
  }
}

TEST_CASE("sshd: keywords sshd knows and the signals do not read are passed over", "[sshd][config]") {
  Tree t;
  t.file("sshd_config",
         "Port 2222\nprotocol 2\nBanner none\nPasswordAuthentication no\n"
         "Match all\nPort 2223\nMatch User deploy\nX11Forwarding yes\nForceCommand /bin/true\n");
  CHECK(effective(t).value(kPassword) == "no");
}

TEST_CASE("sshd: a global-only keyword in a Match block in an included file is refused", "[sshd][config]") {
  Tree t;
  t.file("sshd_config", "Include sshd_config.d/*.conf\n")
      .file("sshd_config.d/50-sftp.conf", "Match Group sftp\nChrootDirectory /srv\nSubsystem sftp internal-sftp\n");
  const auto p = problem(t);
  CHECK(p.kind == Problem::Kind::invalid);
  CHECK(p.message == "/etc/ssh/sshd_config.d/50-sftp.conf:3: Directive 'Subsystem' is not allowed within a Match block");
}

TEST_CASE("sshd: an error in a drop-in names the drop-in", "[sshd][config]") {
  Tree t;
  t.file("sshd_config", "Include sshd_config.d/*.conf\n")
      .file("sshd_config.d/10-bad.conf", "PasswordAuthentication no\nUsePAM perhaps\n");
  CHECK(problem(t).message == "/etc/ssh/sshd_config.d/10-bad.conf:2: unsupported option \"perhaps\".");
}

TEST_CASE("sshd: Includes nest 16 deep, no deeper, and a loop ends with a clear message", "[sshd][config]") {
  auto chain = [](int files) {
    auto t = std::make_unique<Tree>();
    t->file("sshd_config", "Include chain/1.conf\n");
    for (int i = 1; i <= files; ++i)
      t->file("chain/" + std::to_string(i) + ".conf",
              i < files ? "Include chain/" + std::to_string(i + 1) + ".conf\n" : "PasswordAuthentication no\n");
    return t;
  };
  CHECK(effective(*chain(16)).value(kPassword) == "no");
  const auto deep = problem(*chain(17));
  CHECK(deep.kind == Problem::Kind::invalid);
  CHECK(deep.message == "/etc/ssh/chain/16.conf:1: Include nested more than 16 levels deep (an Include loop?)");

  Tree loop;
  loop.file("sshd_config", "Include sshd_config\n");
  const auto p = problem(loop);
  CHECK(p.kind == Problem::Kind::invalid);
  CHECK_THAT(p.message, Catch::Contains("an Include loop?"));
}

TEST_CASE("sshd: 10,000 Include globs stop at the bound with a clear message", "[sshd][config]") {
  std::string many;
  for (int i = 0; i < 10000; ++i) many += "Include /etc/ssh/none-" + std::to_string(i) + "/*.conf\n";
  Tree t;
  t.file("sshd_config", many);
  const auto p = problem(t);
  CHECK(p.kind == Problem::Kind::limit);
  CHECK(p.message == "/etc/ssh/sshd_config:513: stopped after 512 distinct Include patterns, too many for a real configuration");
}

TEST_CASE("sshd: repeating one Include 10,000 times stops at the bound", "[sshd][config]") {
  std::string many;
  for (int i = 0; i < 10000; ++i) many += "Include one.conf\n";
  Tree t;
  t.file("sshd_config", many).file("one.conf", "UsePAM yes\n");
  const auto p = problem(t);
  CHECK(p.kind == Problem::Kind::limit);
  CHECK(p.message == "/etc/ssh/sshd_config:513: stopped after 512 included files, too many for a real configuration");
}

TEST_CASE("sshd: a branching Include loop is cut off by the bounds", "[sshd][config]") {
  Tree t;
  t.file("sshd_config", "Include d/*.conf\n")
      .file("d/a.conf", "Include d/*.conf\n")
      .file("d/b.conf", "Include d/*.conf\n");
  const auto p = problem(t);
  CHECK((p.kind == Problem::Kind::limit || p.kind == Problem::Kind::invalid));
}

TEST_CASE("sshd: a file over 1 MiB is refused", "[sshd][config]") {
  Tree t;
  t.file("sshd_config", std::string(kMaxFileBytes + 1, '#'));
  const auto p = problem(t);
  CHECK(p.kind == Problem::Kind::limit);
  CHECK(p.message == "/etc/ssh/sshd_config is larger than 1 MiB, not a plausible sshd configuration");
}

TEST_CASE("sshd: unreadable files and directories are permission problems", "[sshd][config]") {
  Tree t;
  t.file("sshd_config", "Include sshd_config.d/*.conf\n").file("sshd_config.d/10.conf", "UsePAM yes\n");
  const auto tree = t.source();
  using Outcome = ConfigSource::Outcome;

  const FaultySource main(tree, {{"/etc/ssh/sshd_config", Outcome::permission}});
  auto a = analyze(main);
  REQUIRE(a.problem.has_value());
  CHECK(a.problem->kind == Problem::Kind::permission);
  CHECK(a.problem->message == "cannot read /etc/ssh/sshd_config (permission denied)");

  const FaultySource dropin(tree, {{"/etc/ssh/sshd_config.d/10.conf", Outcome::permission}});
  a = analyze(dropin);
  REQUIRE(a.problem.has_value());
  CHECK(a.problem->kind == Problem::Kind::permission);

  const FaultySource listing(tree, {}, {"/etc/ssh/sshd_config.d/*.conf"});
  a = analyze(listing);
  REQUIRE(a.problem.has_value());
  CHECK(a.problem->kind == Problem::Kind::permission);
  CHECK(a.problem->message == "cannot list /etc/ssh/sshd_config.d for Include /etc/ssh/sshd_config.d/*.conf (permission denied)");

  const FaultySource gone(tree, {{"/etc/ssh/sshd_config.d/10.conf", Outcome::not_found}});
  a = analyze(gone);
  REQUIRE(a.problem.has_value());
  CHECK(a.problem->kind == Problem::Kind::invalid);

  const FaultySource broken(tree, {{"/etc/ssh/sshd_config", Outcome::error}});
  a = analyze(broken);
  REQUIRE(a.problem.has_value());
  CHECK(a.problem->kind == Problem::Kind::unreadable);
}

TEST_CASE("sshd: glob_under names the first path this user may not look up or list", "[sshd][config]") {
  const hi::test::TempDir d;
  d.write("etc/ssh/private/pw.conf", "PasswordAuthentication yes\n");
  d.write("etc/ssh/public/other.conf", "");
  d.write("etc/ssh/sshd_config", "");
  d.mkdir("etc/ssh/private", 0700);
  const std::string root = d.path();

  const auto literal = glob_as_nobody(root, "/etc/ssh/private/pw.conf");
  CHECK(literal.paths.empty());
  CHECK(literal.denied == "/etc/ssh/private/pw.conf");
  CHECK_FALSE(literal.denied_listing);

  const auto middle = glob_as_nobody(root, "/etc/ssh/*/pw.conf");
  CHECK(middle.paths.empty());
  CHECK(middle.denied == "/etc/ssh/private/pw.conf");

  const auto last = glob_as_nobody(root, "/etc/ssh/private/*.conf");
  CHECK(last.denied == "/etc/ssh/private");
  CHECK(last.denied_listing);

  const auto open = glob_as_nobody(root, "/etc/ssh/public/*.conf");
  CHECK(open.paths == std::vector<std::string>{"/etc/ssh/public/other.conf"});
  CHECK(open.denied.empty());
}

TEST_CASE("sshd: glob_under as root finds what sshd would, with nothing denied", "[sshd][config]") {
  if (!hi::test::runs_here(::geteuid() == 0, "only root looks into a 0700 directory it does not own"))
    return;
  const hi::test::TempDir d;
  d.write("etc/ssh/private/pw.conf", "");
  d.mkdir("etc/ssh/private", 0700);
  REQUIRE(::chown((d / "etc/ssh/private").c_str(), 65534, 65534) == 0);
  const auto g = glob_under(d.path(), "/etc/ssh/*/pw.conf");
  CHECK(g.paths == std::vector<std::string>{"/etc/ssh/private/pw.conf"});
  CHECK(g.denied.empty());
}

TEST_CASE("sshd: glob_under marks directories, and a missing path is no match", "[sshd][config]") {
  const hi::test::TempDir d;
  d.write("etc/ssh/d/10.conf", "");
  d.write("etc/ssh/d/20-sub/inside.conf", "");
  const auto g = glob_under(d.path(), "/etc/ssh/d/*");
  CHECK(g.paths == std::vector<std::string>{"/etc/ssh/d/10.conf", "/etc/ssh/d/20-sub"});
  CHECK(g.directories == std::set<std::string>{"/etc/ssh/d/20-sub"});
  CHECK(glob_under(d.path(), "/etc/ssh/d").directories == std::set<std::string>{"/etc/ssh/d"});
  const auto none = glob_under(d.path(), "/etc/ssh/none/x.conf");
  CHECK(none.paths.empty());
  CHECK(none.denied.empty());
  CHECK(glob_under(d.path(), "/etc/ssh/d/10.conf/x").paths.empty());
}

TEST_CASE("sshd: glob_under: escapes, brackets and sorting over whole paths", "[sshd][config]") {
  const hi::test::TempDir d;
  d.write("etc/ssh/a/x.conf", "");
  d.write("etc/ssh/a.b/x.conf", "");
  d.write("etc/ssh/star*/x.conf", "");
  d.write("etc/ssh/b[1]/x.conf", "");
  CHECK(glob_under(d.path(), "/etc/ssh/a*/x.conf").paths ==
        std::vector<std::string>{"/etc/ssh/a.b/x.conf", "/etc/ssh/a/x.conf"});
  CHECK(glob_under(d.path(), "/etc/ssh/star\\*/x.conf").paths == std::vector<std::string>{"/etc/ssh/star*/x.conf"});
  CHECK(glob_under(d.path(), "/etc/ssh/b[1]/x.conf").paths.empty());
  CHECK(glob_under(d.path(), "/etc/ssh/b[[]1]/x.conf").paths == std::vector<std::string>{"/etc/ssh/b[1]/x.conf"});
}

TEST_CASE("sshd: glob_under returns paths as sshd sees them, sorted", "[sshd][config]") {
  const hi::test::TempDir d;
  d.write("etc/ssh/d/b.conf", "");
  d.write("etc/ssh/d/a.conf", "");
  d.write("etc/ssh/d/.hidden.conf", "");
  const auto g = glob_under(d.path(), "/etc/ssh/d/*.conf");
  CHECK(g.paths == std::vector<std::string>{"/etc/ssh/d/a.conf", "/etc/ssh/d/b.conf"});
  CHECK(g.denied.empty());
}
