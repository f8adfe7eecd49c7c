// The built hermes-inspect with the sshd plugin, on trees under --root.
#include "test_support.hpp"

#include <catch2/catch.hpp>

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
  // Root reads any file, so as root the inspector runs as nobody for this one.
  const std::vector<std::string> as_nobody{"/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
                                           "--clear-groups"};
  const auto report = run_on(root, ::geteuid() == 0 ? as_nobody : std::vector<std::string>{});
  for (const char *name : {"ssh-password-auth", "ssh-root-login"})
    check_signal(report, name, "warn", "needs root: cannot read /etc/ssh/sshd_config (permission denied)",
                 true);
}
