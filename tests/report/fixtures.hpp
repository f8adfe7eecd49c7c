// Synthetic surveys and verdicts for the report tests, and the real tools
// (promtool, the jsonschema CLI) the tests check the output with.
#pragma once

#include "model.hpp"
#include "report.hpp"

#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

namespace hi::report::fixtures {

// 2026-11-29T08:00:00Z, the CONTRACT.md example's start.
inline constexpr std::time_t kStartedAt = 1795939200;

inline SignalResult signal(const std::string &name, SignalStatus status, const std::string &detail,
                           std::optional<std::string> fix = std::nullopt) {
  SignalResult r;
  r.name = name;
  r.status = status;
  r.detail = detail;
  r.fix = std::move(fix);
  r.plugin = name;
  r.duration_ms = 120;
  return r;
}

inline PluginRecord plugin(const std::string &name, PluginState state,
                           std::optional<std::string> error = std::nullopt) {
  PluginRecord p;
  p.name = name;
  p.file = "/usr/lib/hermes-inspect/plugins/" + name + ".so";
  p.state = state;
  p.error = std::move(error);
  if (state == PluginState::ok) {
    p.version = "0.1.0";
    p.abi = "1.0";
    p.signals.push_back(SignalInfo{name, name, "", "", "", ""});
  }
  return p;
}

inline Survey survey(std::vector<SignalResult> signals) {
  Survey s;
  s.hostname = "vps-1";
  s.root = "/";
  s.started_at = std::chrono::system_clock::from_time_t(kStartedAt);
  s.duration_ms = 141;
  for (const auto &r : signals) s.plugins.push_back(plugin(r.plugin, PluginState::ok));
  s.signals = std::move(signals);
  return s;
}

// Seven passes, one warn, one fail, one skip, in CONTRACT.md order.
inline Survey mixed_survey() {
  const auto pass = SignalStatus::pass;
  return survey({
      signal("tailscale", pass, "running, 3 peers"),
      signal("ufw", SignalStatus::fail, "inactive", "sudo ufw enable"),
      signal("firewalld", SignalStatus::skip, "firewall-cmd not installed"),
      signal("nftables", pass, "inet filter input policy drop"),
      signal("fail2ban", SignalStatus::warn, "sshd jail not enabled",
             "enable the sshd jail in /etc/fail2ban/jail.local"),
      signal("ssh-password-auth", pass, "PasswordAuthentication no"),
      signal("ssh-root-login", pass, "PermitRootLogin prohibit-password"),
      signal("iron-proxy-enabled", pass, "HTTPS_PROXY set in ~/.hermes/.env"),
      signal("iron-proxy-running", pass, "pid 812 listening on 127.0.0.1:8443"),
      signal("docker-seccomp", pass, "seccomp profile builtin"),
  });
}

inline Survey all_pass_survey() {
  return survey({signal("ufw", SignalStatus::pass, "active"),
                 signal("ssh-password-auth", SignalStatus::pass, "PasswordAuthentication no")});
}

inline BaselineVerdict satisfied_verdict() {
  BaselineVerdict b;
  b.name = "minimal";
  b.file = "/usr/share/hermes-inspect/baselines/minimal.yaml";
  b.satisfied = true;
  return b;
}

// The CONTRACT.md example: an unmet OR-group, and a required signal no
// plugin provides.
inline BaselineVerdict unsatisfied_verdict() {
  BaselineVerdict b = satisfied_verdict();
  b.satisfied = false;
  b.missing = {"ufw", "firewalld", "nftables", "tailscale", "iron-proxy-enabled"};
  b.unmet = {{"ufw | firewalld | nftables | tailscale", "one firewall or a private mesh as the perimeter", {}},
             {"iron-proxy-enabled", "agent egress goes through the proxy", {"no plugin provides iron-proxy-enabled"}}};
  return b;
}

// Everything a misbehaving plugin could put in a string: invalid UTF-8 (a
// stray continuation byte, a truncated sequence, an overlong slash, a
// surrogate), C0 controls including NUL and ESC, quotes and backslashes.
inline std::string hostile_text() {
  static const char bytes[] = "bad\xff utf8 \xc3 cut \xc0\xaf overlong \xed\xa0\x80 surrogate "
                              "nul\0 esc\x1b[31m red \x07 bell\r\n"
                              "\"quoted\" back\\slash tab\there \xe2\x9c\x93 ok";
  return std::string(bytes, sizeof bytes - 1);
}

inline Survey hostile_survey() {
  Survey s = survey({signal("ufw", SignalStatus::warn, hostile_text(), hostile_text()),
                     signal("we\"ird\\name\nx", SignalStatus::fail, "odd name", std::nullopt),
                     signal("n\xc3\xa4me-\xff", SignalStatus::skip, "", hostile_text())});
  s.hostname = hostile_text();
  s.root = "/srv/\"root\"\n";
  PluginRecord crashed = plugin("crashy", PluginState::crashed, hostile_text());
  crashed.file = "/opt/plug\"ins\"/cr\\ashy\n.so";
  s.plugins.push_back(crashed);
  return s;
}

// A baseline whose name and requirements carry hostile_text().
inline BaselineVerdict hostile_verdict() {
  BaselineVerdict b = unsatisfied_verdict();
  b.name = hostile_text();
  b.file = hostile_text();
  b.missing.push_back(hostile_text());
  b.unmet.push_back({hostile_text(), hostile_text(), {hostile_text()}});
  return b;
}

// One plugin in every state, and a name shared by a shadowed file.
inline std::vector<PluginRecord> plugins_in_every_state() {
  std::vector<PluginRecord> out{
      plugin("ufw", PluginState::ok),
      plugin("evil", PluginState::refused, "/tmp/evil.so is writable by others"),
      plugin("old", PluginState::incompatible, "ABI 2.0, this inspector speaks 1.x"),
      plugin("junk", PluginState::invalid, "no hermes_inspect_plugin_v1 symbol"),
      plugin("crashy", PluginState::crashed, "killed by SIGSEGV"),
      plugin("sleepy", PluginState::timed_out, "no answer in 10 s"),
      plugin("ufw", PluginState::shadowed, "shadowed by /usr/lib/hermes-inspect/plugins/ufw.so")};
  out.back().file = "/usr/local/lib/hermes-inspect/plugins/ufw.so";
  return out;
}

inline std::vector<std::string> lines_of(const std::string &text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace hi::report::fixtures
