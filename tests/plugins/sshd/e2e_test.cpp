// The built hermes-inspect with the sshd plugin, on trees under --root.
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

namespace {

using hi::test::TempDir;

nlohmann::json run_on(const TempDir &root, const std::vector<std::string> &prefix = {}) {
  const TempDir tools;
  std::vector<std::string> argv = prefix;
  argv.insert(argv.end(), {hi::test::inspector_binary(), "run", "--json", "--plugins-dir",
                           hi::test::bundled_plugin_dir(), "--tool-path", tools.path(), "--root",
                           root.path(), "--only", "ssh-password-auth,ssh-root-login"});
  const auto r = hi::test::run_process(argv);
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  return r.json();
}

void check_signal(const nlohmann::json &report, const std::string &name, const std::string &status,
                  const std::string &detail, bool needs_root) {
  const auto s = hi::test::signal_of(report, name);
  INFO(s.dump());
  CHECK(s.at("status") == status);
  CHECK(s.at("detail") == detail);
  CHECK(s.at("needs_root") == needs_root);
  CHECK(s.at("plugin") == "sshd");
}

// Root reads any file, so a permission case runs the inspector as nobody.
std::vector<std::string> as_nobody() {
  return {hi::test::require_tool("setpriv", "util-linux"), "--reuid=65534", "--regid=65534", "--clear-groups"};
}

bool can_run_as_nobody() {
  return hi::test::runs_here(::geteuid() == 0, "needs root to run the inspector as nobody (CI runs as root)");
}

}  // namespace

TEST_CASE("sshd: e2e: a hardened Debian tree passes both signals", "[sshd][e2e]") {
  const TempDir root;
  root.write("etc/ssh/sshd_config", hi::test::read_text(hi::test::source_dir() +
                                                        "/tests/plugins/sshd/corpus/debian12-default/etc/ssh/sshd_config"));
  root.write("etc/ssh/sshd_config.d/10-hardening.conf", "PermitRootLogin no\nPasswordAuthentication no\n");
  const auto report = run_on(root);
  check_signal(report, "ssh-password-auth", "pass",
               "PasswordAuthentication no (/etc/ssh/sshd_config.d/10-hardening.conf:2)", false);
  check_signal(report, "ssh-root-login", "pass",
               "PermitRootLogin no (/etc/ssh/sshd_config.d/10-hardening.conf:1)", false);
}

TEST_CASE("sshd: e2e: the cloud-init drop-in re-enabling passwords fails", "[sshd][e2e]") {
  const TempDir root;
  root.write("etc/ssh/sshd_config",
             "Include /etc/ssh/sshd_config.d/*.conf\nPasswordAuthentication no\nPermitRootLogin yes\n");
  root.write("etc/ssh/sshd_config.d/50-cloud-init.conf", "PasswordAuthentication yes\n");
  const auto report = run_on(root);
  check_signal(report, "ssh-password-auth", "fail",
               "PasswordAuthentication yes (/etc/ssh/sshd_config.d/50-cloud-init.conf:1)", false);
  check_signal(report, "ssh-root-login", "fail", "PermitRootLogin yes (/etc/ssh/sshd_config:3)", false);
}

TEST_CASE("sshd: e2e: no sshd configuration skips", "[sshd][e2e]") {
  const TempDir root;
  const auto report = run_on(root);
  for (const char *name : {"ssh-password-auth", "ssh-root-login"})
    check_signal(report, name, "skip", "no sshd configuration: /etc/ssh/sshd_config not found", false);
}

TEST_CASE("sshd: e2e: an unreadable configuration warns with needs_root", "[sshd][e2e]") {
  const TempDir root;
  root.write("etc/ssh/sshd_config", "PasswordAuthentication no\n", 0600);
  const auto report = run_on(root, ::geteuid() == 0 ? as_nobody() : std::vector<std::string>{});
  for (const char *name : {"ssh-password-auth", "ssh-root-login"})
    check_signal(report, name, "warn", "needs root: cannot read /etc/ssh/sshd_config (permission denied)",
                 true);
}

TEST_CASE("sshd: e2e: an Include this user cannot reach warns with needs_root, naming the file",
          "[sshd][e2e]") {
  if (!can_run_as_nobody()) return;
  const TempDir root;
  root.write("etc/ssh/private/pw.conf", "PasswordAuthentication yes\n");
  root.write("etc/ssh/private/hardening.conf", "PermitRootLogin yes\n");
  root.mkdir("etc/ssh/private", 0700);
  const std::string rest = "PasswordAuthentication no\nPermitRootLogin no\n";

  root.write("etc/ssh/sshd_config", "Include /etc/ssh/private/pw.conf\n" + rest);
  auto report = run_on(root, as_nobody());
  for (const char *name : {"ssh-password-auth", "ssh-root-login"})
    check_signal(report, name, "warn", "needs root: cannot read /etc/ssh/private/pw.conf (permission denied)", true);

  root.write("etc/ssh/sshd_config", "Include /etc/ssh/*/hardening.conf\n" + rest);
  report = run_on(root, as_nobody());
  check_signal(report, "ssh-root-login", "warn",
               "needs root: cannot read /etc/ssh/private/hardening.conf (permission denied)", true);

  root.write("etc/ssh/sshd_config", "Include private/*.conf\n" + rest);
  report = run_on(root, as_nobody());
  check_signal(report, "ssh-password-auth", "warn",
               "needs root: cannot list /etc/ssh/private for Include /etc/ssh/private/*.conf (permission denied)",
               true);

  // As root the inspector reads what sshd reads.
  root.write("etc/ssh/sshd_config", "Include /etc/ssh/private/pw.conf\n" + rest);
  check_signal(run_on(root), "ssh-password-auth", "fail", "PasswordAuthentication yes (/etc/ssh/private/pw.conf:1)",
               false);
}

TEST_CASE("sshd: e2e: a directory matched by an Include glob is read as empty, as sshd does",
          "[sshd][e2e]") {
  const TempDir root;
  root.write("etc/ssh/sshd_config", "Include /etc/ssh/sshd_config.d/*\nPasswordAuthentication no\n");
  root.write("etc/ssh/sshd_config.d/10.conf", "PermitRootLogin no\n");
  root.write("etc/ssh/sshd_config.d/sub/keep", "PasswordAuthentication yes\n");
  const auto report = run_on(root);
  check_signal(report, "ssh-password-auth", "pass", "PasswordAuthentication no (/etc/ssh/sshd_config:2)", false);
  check_signal(report, "ssh-root-login", "pass", "PermitRootLogin no (/etc/ssh/sshd_config.d/10.conf:1)", false);
}

TEST_CASE("sshd: e2e: a detail names files as seen inside --root, never by their host path",
          "[sshd][e2e]") {
  const TempDir root;
  root.write("etc/ssh/sshd_config", "Include /etc/ssh/sshd_config.d/*.conf\nPasswordAuthentication no\n");
  root.mkdir("etc/ssh/sshd_config.d");
  REQUIRE(::mkfifo((root / "etc/ssh/sshd_config.d/50-pipe.conf").c_str(), 0644) == 0);
  const auto report = run_on(root);
  const auto s = hi::test::signal_of(report, "ssh-password-auth");
  INFO(s.dump());
  CHECK(s.at("status") == "warn");
  const std::string detail = s.at("detail");
  CHECK_THAT(detail, Catch::Contains("/etc/ssh/sshd_config.d/50-pipe.conf"));
  CHECK_THAT(detail, !Catch::Contains(root.path()));
}
