// The survey's data: what plugins declared, what probes reported, what the
// baseline concluded. Shared by the supervisor, the baseline engine and reports.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hi {

enum class SignalStatus { pass, fail, warn, skip };

const char *to_string(SignalStatus s);
std::optional<SignalStatus> parse_status(const std::string &s);

// One signal as a plugin declares it (for `list` and `explain`).
struct SignalInfo {
  std::string id;
  std::string title;
  std::string description;
  std::string rationale;
  std::string fix_hint;
  std::string commands;  // one command per line
};

// Outcome of loading and probing one plugin file; CONTRACT.md plugins[].state.
enum class PluginState { ok, refused, incompatible, invalid, crashed, timed_out, shadowed };

const char *to_string(PluginState s);

struct PluginRecord {
  std::string name;     // descriptor name (file stem before loading)
  std::string file;     // absolute path as found on the search path
  std::string version;  // "" until loaded
  std::string abi;      // "1.0", "" until loaded
  std::string description;
  PluginState state = PluginState::ok;
  std::optional<std::string> error;  // why state != ok, or a non-fatal plugin error
  std::vector<SignalInfo> signals;
  std::vector<std::string> diagnostics;  // plugin log lines and captured output, for --verbose
  int64_t duration_ms = 0;
};

struct SignalResult {
  std::string name;
  SignalStatus status = SignalStatus::skip;
  std::string detail;
  std::optional<std::string> fix;  // null in JSON when there is nothing to do
  std::string plugin;
  int64_t duration_ms = 0;
  bool needs_root = false;
};

// One unmet top-level requirement of a baseline, for the report.
struct UnmetRequirement {
  std::string text;                // "ufw | firewalld | nftables | tailscale"
  std::string why;                 // the baseline's `why:`, may be ""
  std::vector<std::string> notes;  // "no plugin provides foo"
};

struct BaselineVerdict {
  std::string name;
  std::string file;
  bool satisfied = false;
  std::vector<std::string> missing;  // CONTRACT.md `missing`: ordered, de-duplicated
  std::vector<UnmetRequirement> unmet;
};

struct Survey {
  std::string hostname;
  std::string root;
  std::chrono::system_clock::time_point started_at;
  int64_t duration_ms = 0;
  std::vector<SignalResult> signals;  // CONTRACT.md order
  std::vector<PluginRecord> plugins;  // search-path order
};

// The CONTRACT.md order of signals: the ten known ones first, then by name.
void sort_signals(std::vector<SignalResult> &signals);

}  // namespace hi
