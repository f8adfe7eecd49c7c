// Deciding the `firewalld` signal from `firewall-cmd --state`.
#pragma once

#include <hermes_inspect/probe.hpp>

namespace hermes_inspect::firewalld {

inline constexpr const char *kInstallFix = "apt install firewalld";

// Passes only for exit 0 with stdout exactly "running" once surrounding
// whitespace is stripped; every other answer fails, quoting what was said.
Verdict decide(const CommandResult &result);

}  // namespace hermes_inspect::firewalld
