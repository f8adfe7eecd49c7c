#include "fail2ban_status.hpp"

#include <algorithm>
#include <sstream>

namespace fail2ban {
namespace {

using hermes_inspect::Status;
using hermes_inspect::Verdict;

// fail2ban-client's own wording (fail2ban/client/fail2banclient.py, v1.0.2).
constexpr const char *kPermission = "Permission denied to socket";
constexpr const char *kNoSocket = "Is fail2ban running?";
constexpr const char *kStaleSocket = "Unable to contact server";
constexpr const char *kStartFix = "systemctl enable --now fail2ban";

std::string trim(const std::string &s) {
  const auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(" \t\r\n") - begin + 1);
}

std::string joined(const std::vector<std::string> &names) {
  std::string out;
  for (const auto &n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

bool mentions(const hermes_inspect::CommandResult &r, const char *text) {
  return r.err.find(text) != std::string::npos || r.out.find(text) != std::string::npos;
}

}  // namespace

std::optional<std::vector<std::string>> jail_list(const std::string &status_text) {
  std::istringstream in(status_text);
  std::string line;
  while (std::getline(in, line)) {
    const auto at = line.find("Jail list:");
    if (at == std::string::npos) continue;
    std::vector<std::string> names;
    std::istringstream list(line.substr(at + 10));
    std::string name;
    while (std::getline(list, name, ','))
      if (auto n = trim(name); !n.empty()) names.push_back(n);
    return names;
  }
  return std::nullopt;
}

Verdict verdict(const hermes_inspect::CommandResult &result) {
  if (auto v = hermes_inspect::unavailable_tool_verdict(result, "fail2ban-client", kInstallFix))
    return *v;
  if (mentions(result, kPermission))
    return {Status::warn, "needs root: permission denied on the fail2ban server socket",
            "run as root (sudo fail2ban-client status)", true};
  if (mentions(result, kStaleSocket))
    return {Status::fail, "fail2ban server unreachable (stale socket: Unable to contact server)",
            kStartFix, false};
  if (mentions(result, kNoSocket))
    return {Status::fail, "fail2ban server not running", kStartFix, false};
  const auto jails = result.exit_code == 0 ? jail_list(result.out) : std::nullopt;
  if (!jails) {
    const std::string shown = result.out.empty() ? result.err : result.out;
    return {Status::warn, "unexpected fail2ban-client output: " + hermes_inspect::quote_output(shown),
            "", false};
  }
  if (jails->empty())
    return {Status::fail, "fail2ban running with no jails",
            "enable a jail, e.g. [sshd] enabled = true in /etc/fail2ban/jail.local", false};
  const bool has_sshd = std::find(jails->begin(), jails->end(), "sshd") != jails->end();
  std::string detail = std::to_string(jails->size()) + (jails->size() == 1 ? " jail: " : " jails: ") +
                       joined(*jails);
  if (!has_sshd) detail += " (no sshd jail)";
  return {Status::pass, detail, "", false};
}

}  // namespace fail2ban
