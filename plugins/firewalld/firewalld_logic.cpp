#include "firewalld_logic.hpp"

#include <cctype>
#include <string>
#include <string_view>

namespace hermes_inspect::firewalld {
namespace {

const char *const kStartFix = "systemctl enable --now firewalld";

std::string_view trim(std::string_view s) {
  const auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

Verdict decide(const CommandResult &result) {
  if (auto v = unavailable_tool_verdict(result, "firewall-cmd", kInstallFix)) return *v;
  const std::string_view out = trim(result.out);
  if (result.exit_code == 0 && out == "running") return Verdict{Status::pass, "running", "", false};
  // firewall-cmd prints "not running" and "failed" on stderr (exit 252, 251).
  const std::string_view said = out.empty() ? trim(result.err) : out;
  return Verdict{Status::fail,
                 "firewall-cmd --state said " + quote_output(said) + " (exit " +
                     std::to_string(result.exit_code) + ")",
                 kStartFix, false};
}

}  // namespace hermes_inspect::firewalld
