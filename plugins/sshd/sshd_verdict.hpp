// The verdicts of SIGNALS.md rows 6 (ssh-password-auth) and 7
// (ssh-root-login), decided from the effective sshd configuration.
#pragma once

#include "sshd_config.hpp"

#include <hermes_inspect/probe.hpp>

namespace hermes_inspect::sshd {

inline constexpr const char *kPasswordSignal = "ssh-password-auth";
inline constexpr const char *kRootLoginSignal = "ssh-root-login";

Verdict password_auth_verdict(const Analysis &a);
Verdict root_login_verdict(const Analysis &a);

}  // namespace hermes_inspect::sshd
