// Deciding the `ufw` signal from `ufw status verbose`, and, when ufw refuses a
// non-root caller, from what its configuration files say.
#pragma once

#include <hermes_inspect/probe.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace hermes_inspect::ufw {

inline constexpr const char *kInstallFix = "apt install ufw";
inline constexpr const char *kConfPath = "/etc/ufw/ufw.conf";
inline constexpr const char *kDefaultsPath = "/etc/default/ufw";

// A configuration file as read under --root: its text, or why it is missing.
struct ConfigFile {
  std::string path;
  std::optional<std::string> text;
  std::string error;  // when text is empty: e.g. "not found", "permission denied"
};

// True when ufw stopped because the caller is not root.
bool refused_not_root(const CommandResult &result);

// The verdict for a finished `ufw status verbose` that did not refuse a non-root caller.
Verdict decide_status(const CommandResult &result);

// The needs-root verdict, with what ufw.conf (ENABLED=) and /etc/default/ufw
// (DEFAULT_INPUT_POLICY=) say: configured, not verified live.
Verdict decide_not_root(const ConfigFile &ufw_conf, const ConfigFile &defaults);

// The value ufw itself would read for `key` in a KEY=value file (last one wins,
// quotes stripped), or nothing.
std::optional<std::string> config_value(std::string_view text, std::string_view key);

}  // namespace hermes_inspect::ufw
