// The sshd plugin: reads the sshd configuration under --root through the
// host services and reports ssh-password-auth and ssh-root-login. It runs no
// commands.
#include "sshd_config.hpp"
#include "sshd_glob.hpp"
#include "sshd_verdict.hpp"

#include <hermes_inspect/plugin.h>
#include <hermes_inspect/probe.hpp>

namespace {

using hermes_inspect::Host;
using hermes_inspect::sshd::ConfigSource;

// The host's services as the parser's file access.
class HostSource final : public ConfigSource {
 public:
  explicit HostSource(const Host &host) : host_(host) {}

  File read(const std::string &path) const override {
    hermes_inspect::FileError error;
    auto text = host_.read_file(path, 0, hermes_inspect::sshd::kMaxFileBytes, &error);
    if (text) return File{Outcome::ok, std::move(*text), ""};
    const std::string message = as_seen_inside(error.message, path);
    switch (error.code) {
      case HI_ERR_NOT_FOUND: return File{Outcome::not_found, "", message};
      case HI_ERR_PERMISSION: return File{Outcome::permission, "", message};
      case HI_ERR_TOO_LARGE: return File{Outcome::too_large, "", message};
      default: return File{Outcome::error, "", message};
    }
  }

  Glob glob(const std::string &pattern) const override {
    return hermes_inspect::sshd::glob_under(host_root(pattern), pattern);
  }

 private:
  // Where the inspected root's "/" is on this host.
  std::string host_root(const std::string &pattern) const {
    const std::string resolved = host_.resolve_path(pattern);
    if (resolved.size() >= pattern.size() &&
        resolved.compare(resolved.size() - pattern.size(), pattern.size(), pattern) == 0)
      return resolved.substr(0, resolved.size() - pattern.size());
    std::string root = host_.resolve_path("/");
    while (root.size() > 1 && root.back() == '/') root.pop_back();
    return root;
  }

  // The core names the file by its host path; a detail names it as sshd
  // sees it, inside the inspected root.
  std::string as_seen_inside(std::string message, const std::string &path) const {
    const std::string host_path = host_.resolve_path(path);
    if (host_path.empty() || host_path == path) return message;
    for (std::size_t at = message.find(host_path); at != std::string::npos;
         at = message.find(host_path, at + path.size()))
      message.replace(at, host_path.size(), path);
    return message;
  }

  const Host &host_;
};

const hi_signal_desc kPasswordAuth{
    sizeof(hi_signal_desc),
    hermes_inspect::sshd::kPasswordSignal,
    "SSH refuses password logins",
    "The effective sshd configuration, computed as OpenSSH does (first value wins, Includes in "
    "place, Match blocks), has PasswordAuthentication no, keyboard-interactive is not a password "
    "prompt through PAM, and no Match block turns passwords back on.",
    "A server that accepts passwords is brute-forced around the clock; keys cannot be guessed.",
    "PasswordAuthentication no in /etc/ssh/sshd_config.d/00-hardening.conf (read first), then "
    "systemctl reload ssh",
    nullptr};

const hi_signal_desc kRootLogin{
    sizeof(hi_signal_desc),
    hermes_inspect::sshd::kRootLoginSignal,
    "SSH root login is off or key-only",
    "The effective sshd configuration has PermitRootLogin no, prohibit-password "
    "(without-password) or forced-commands-only, and no Match block sets it to yes.",
    "root is the one account name every attacker knows; with a password it is the first target.",
    "PermitRootLogin prohibit-password (or no) in /etc/ssh/sshd_config.d/00-hardening.conf, then "
    "systemctl reload ssh",
    nullptr};

const hi_signal_desc *const kSignals[] = {&kPasswordAuth, &kRootLogin};

int probe(const hi_host *host) {
  return hermes_inspect::guarded_probe(host, [](Host &h) {
    const HostSource source(h);
    const auto analysis = hermes_inspect::sshd::analyze(source);
    h.report(hermes_inspect::sshd::kPasswordSignal,
             hermes_inspect::sshd::password_auth_verdict(analysis));
    h.report(hermes_inspect::sshd::kRootLoginSignal,
             hermes_inspect::sshd::root_login_verdict(analysis));
  });
}

const hi_plugin_desc kPlugin{sizeof(hi_plugin_desc),
                             HI_ABI_MAJOR,
                             HI_ABI_MINOR,
                             "sshd",
                             HI_BUNDLED_VERSION,
                             "Effective OpenSSH server configuration: password and root logins",
                             2,
                             kSignals,
                             probe};

}  // namespace

HI_DEFINE_PLUGIN(kPlugin)
