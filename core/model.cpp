#include "model.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace hi {

const char *to_string(SignalStatus s) {
  switch (s) {
    case SignalStatus::pass: return "pass";
    case SignalStatus::fail: return "fail";
    case SignalStatus::warn: return "warn";
    case SignalStatus::skip: return "skip";
  }
  return "skip";
}

std::optional<SignalStatus> parse_status(const std::string &s) {
  for (auto st : {SignalStatus::pass, SignalStatus::fail, SignalStatus::warn, SignalStatus::skip})
    if (s == to_string(st)) return st;
  return std::nullopt;
}

const char *to_string(PluginState s) {
  switch (s) {
    case PluginState::ok: return "ok";
    case PluginState::refused: return "refused";
    case PluginState::incompatible: return "incompatible";
    case PluginState::invalid: return "invalid";
    case PluginState::crashed: return "crashed";
    case PluginState::timed_out: return "timed-out";
    case PluginState::shadowed: return "shadowed";
  }
  return "invalid";
}

void sort_signals(std::vector<SignalResult> &signals) {
  static constexpr std::array<std::string_view, 10> known = {
      "tailscale",          "ufw",           "firewalld",          "nftables",
      "fail2ban",           "ssh-password-auth", "ssh-root-login", "iron-proxy-enabled",
      "iron-proxy-running", "docker-seccomp"};
  auto rank = [](const std::string &name) {
    auto it = std::find(known.begin(), known.end(), name);
    return static_cast<std::size_t>(it - known.begin());
  };
  std::stable_sort(signals.begin(), signals.end(), [&](const SignalResult &a, const SignalResult &b) {
    const auto ra = rank(a.name), rb = rank(b.name);
    if (ra != rb) return ra < rb;
    return a.name < b.name;
  });
}

}  // namespace hi
