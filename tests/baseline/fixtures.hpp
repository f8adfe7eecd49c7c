// Building requirements, signal results and baseline files for the tests.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "baseline.hpp"
#include "test_support.hpp"

namespace hi::test {

inline Requirement sig(std::string name, std::string why = "") {
  Requirement r;
  r.signal = std::move(name);
  r.why = std::move(why);
  return r;
}

inline Requirement group(Requirement::Kind kind, std::vector<Requirement> children, std::string why) {
  Requirement r;
  r.kind = kind;
  r.children = std::move(children);
  r.why = std::move(why);
  return r;
}

inline Requirement any(std::vector<Requirement> children, std::string why = "") {
  return group(Requirement::Kind::any_of, std::move(children), std::move(why));
}

inline Requirement all(std::vector<Requirement> children, std::string why = "") {
  return group(Requirement::Kind::all_of, std::move(children), std::move(why));
}

inline Baseline baseline_of(std::vector<Requirement> require) {
  return Baseline{"test", "", "test.yaml", std::move(require)};
}

inline SignalResult result(std::string name, SignalStatus status) {
  SignalResult s;
  s.name = std::move(name);
  s.status = status;
  return s;
}

// Signals that all pass.
inline std::vector<SignalResult> passing(const std::vector<std::string> &names) {
  std::vector<SignalResult> out;
  for (const auto &n : names) out.push_back(result(n, SignalStatus::pass));
  return out;
}

inline std::string shipped_dir() { return source_dir() + "/baselines"; }

inline const std::vector<std::string> &ten_signals() {
  static const std::vector<std::string> names = {
      "tailscale", "ufw", "firewalld", "nftables", "fail2ban", "ssh-password-auth",
      "ssh-root-login", "iron-proxy-enabled", "iron-proxy-running", "docker-seccomp"};
  return names;
}

}  // namespace hi::test
