// Deciding the tailscale signal from `tailscale status --json`.
#pragma once

#include <hermes_inspect/probe.hpp>

namespace tailscale {

inline constexpr const char *kInstallFix =
    "install Tailscale: https://tailscale.com/download/linux/debian-bookworm";

hermes_inspect::Verdict verdict(const hermes_inspect::CommandResult &result);

}  // namespace tailscale
