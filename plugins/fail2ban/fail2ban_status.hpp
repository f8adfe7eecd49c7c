// Deciding the fail2ban signal from `fail2ban-client status`.
#pragma once

#include <hermes_inspect/probe.hpp>

#include <optional>
#include <string>
#include <vector>

namespace fail2ban {

inline constexpr const char *kInstallFix = "apt-get install fail2ban";

// The jail names of a status reply ("`- Jail list:\trecidive, sshd"), or nothing
// when the reply has no jail list line.
std::optional<std::vector<std::string>> jail_list(const std::string &status_text);

hermes_inspect::Verdict verdict(const hermes_inspect::CommandResult &result);

}  // namespace fail2ban
