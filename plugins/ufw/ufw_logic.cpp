#include "ufw_logic.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace hermes_inspect::ufw {
namespace {

const char *const kEnableFix = "ufw allow OpenSSH && ufw enable";
const char *const kDenyFix = "ufw default deny incoming";

std::string_view trim(std::string_view s) {
  const auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// The value after `prefix` on the first line that starts with it.
std::optional<std::string> line_value(const std::string &text, std::string_view prefix) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line))
    if (starts_with(line, prefix)) return std::string(trim(std::string_view(line).substr(prefix.size())));
  return std::nullopt;
}

// "deny (incoming), allow (outgoing), disabled (routed)" -> "deny".
std::optional<std::string> incoming_policy(const std::string &defaults) {
  const std::string marker = " (incoming)";
  std::istringstream parts(defaults);
  std::string part;
  while (std::getline(parts, part, ',')) {
    const std::string_view p = trim(part);
    if (p.size() > marker.size() && p.substr(p.size() - marker.size()) == marker)
      return std::string(p.substr(0, p.size() - marker.size()));
  }
  return std::nullopt;
}

Verdict unreadable(const CommandResult &r) {
  const std::string &text = r.out.empty() ? r.err : r.out;
  return Verdict{Status::warn, "unexpected output from ufw status verbose: " + quote_output(text),
                 "", false};
}

Verdict decide_active(const CommandResult &r) {
  const auto defaults = line_value(r.out, "Default:");
  if (!defaults) return unreadable(r);
  const auto incoming = incoming_policy(*defaults);
  if (!incoming) return unreadable(r);
  const std::string seen = "active (" + *defaults + ")";
  if (*incoming == "deny" || *incoming == "reject") return Verdict{Status::pass, seen, "", false};
  if (*incoming == "allow")
    return Verdict{Status::warn, seen + ": incoming allowed by default", kDenyFix, false};
  return unreadable(r);
}

std::string describe(const ConfigFile &file, std::string_view key) {
  if (!file.text) return file.path + " " + (file.error.empty() ? "unreadable" : file.error);
  const auto value = config_value(*file.text, key);
  if (!value) return std::string(key) + " not set in " + file.path;
  return std::string(key) + "=" + *value + " in " + file.path;
}

}  // namespace

std::optional<std::string> config_value(std::string_view text, std::string_view key) {
  // As ufw's own reader (backend.py _get_defaults) does: only lines that start
  // with a word character count, the key is case-insensitive, the value runs to
  // the next '=', quotes are stripped and later lines override earlier ones.
  std::optional<std::string> found;
  const std::string wanted = lower(key);
  std::istringstream lines{std::string(text)};
  std::string line;
  while (std::getline(lines, line)) {
    const auto first = static_cast<unsigned char>(line.empty() ? ' ' : line.front());
    const auto eq = line.find('=');
    if ((std::isalnum(first) == 0 && first != '_') || eq == std::string::npos) continue;
    if (lower(std::string_view(line).substr(0, eq)) != wanted) continue;
    std::string_view value = trim(std::string_view(line).substr(eq + 1));
    value = value.substr(0, value.find('='));
    while (!value.empty() && (value.front() == '"' || value.front() == '\'')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == '"' || value.back() == '\'')) value.remove_suffix(1);
    found = std::string(value);
  }
  return found;
}

bool refused_not_root(const CommandResult &result) {
  if (!result.exited() || result.exit_code == 0) return false;
  return lower(result.err + result.out).find("need to be root") != std::string::npos;
}

Verdict decide_status(const CommandResult &result) {
  if (auto v = unavailable_tool_verdict(result, "ufw", kInstallFix)) return *v;
  if (result.exit_code != 0) {
    const std::string &said = result.err.empty() ? result.out : result.err;
    return Verdict{Status::warn,
                   "ufw exited " + std::to_string(result.exit_code) + ": " + quote_output(said), "",
                   false};
  }
  const auto status = line_value(result.out, "Status:");
  if (!status) return unreadable(result);
  if (*status == "inactive")
    return Verdict{Status::fail, "ufw installed but inactive", kEnableFix, false};
  if (*status == "active") return decide_active(result);
  return unreadable(result);
}

Verdict decide_not_root(const ConfigFile &ufw_conf, const ConfigFile &defaults) {
  return Verdict{Status::warn,
                 "needs root: ufw status verbose refused a non-root caller; configured, not "
                 "verified live: " +
                     describe(ufw_conf, "ENABLED") + ", " +
                     describe(defaults, "DEFAULT_INPUT_POLICY"),
                 "run as root, or allow `ufw status verbose` in sudoers", true};
}

}  // namespace hermes_inspect::ufw
