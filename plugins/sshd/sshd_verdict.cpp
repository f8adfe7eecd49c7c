#include "sshd_verdict.hpp"

#include <optional>
#include <string>
#include <vector>

namespace hermes_inspect::sshd {

namespace {

constexpr const char *kReload = "then: systemctl reload ssh";
constexpr const char *kDropIn = "/etc/ssh/sshd_config.d/00-hardening.conf";

Verdict problem_verdict(const Problem &p) {
  switch (p.kind) {
    case Problem::Kind::missing:
      return Verdict{Status::skip, "no sshd configuration: " + p.message, "", false};
    case Problem::Kind::permission:
      return Verdict{Status::warn, "needs root: " + p.message,
                     "run hermes-inspect as root to read the sshd configuration", true};
    case Problem::Kind::invalid:
      return Verdict{Status::warn, "sshd would refuse this configuration: " + p.message,
                     "fix the line, then check with: sshd -t", false};
    case Problem::Kind::limit:
    case Problem::Kind::unreadable: break;
  }
  return Verdict{Status::warn, p.message, "", false};
}

// "PasswordAuthentication no (/etc/ssh/sshd_config:3)", naming a Match all block.
std::string describe(const Setting &s) {
  std::string out = s.written + " (" + to_string(s.where);
  if (s.block) out += ", in '" + s.block->text + "'";
  return out + ")";
}

std::string describe_block_setting(const Setting &s) {
  return "'" + s.block->text + "' (" + to_string(s.block->where) + ") sets " + s.written + " (" +
         to_string(s.where) + ")";
}

std::string describe_or_default(const Effective &e, Key k) {
  const auto &s = e.get(k);
  if (s) return describe(*s);
  return std::string(keyword_name(k)) + " " + default_value(k) + " (default)";
}

// Live settings of conditional blocks that set key to value.
std::vector<Setting> reopened(const Analysis &a, Key key, const std::string &value) {
  std::vector<Setting> out;
  for (const auto &c : a.conditional)
    if (!c.shadowed && c.key == key && c.setting.value == value) out.push_back(c.setting);
  return out;
}

std::string join(const std::vector<std::string> &parts, const char *sep) {
  std::string out;
  for (const auto &p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

Verdict decide(const std::string &state, std::vector<std::string> reasons,
               std::vector<std::string> fixes, bool unset) {
  if (reasons.empty() && !unset) return Verdict{Status::pass, state, "", false};
  const std::string detail = reasons.empty() ? state : state + ", but " + join(reasons, "; ");
  return Verdict{Status::warn, detail, join(fixes, "; "), false};
}

}  // namespace

Verdict password_auth_verdict(const Analysis &a) {
  if (a.problem) return problem_verdict(*a.problem);
  const Effective &e = a.effective;
  const auto &password = e.get(Key::password_authentication);
  if (password && password->value == "yes")
    return Verdict{Status::fail, describe(*password),
                   "set PasswordAuthentication no at " + to_string(password->where) + ", " + kReload,
                   false};
  std::vector<std::string> reasons, fixes;
  const std::string state = password ? describe(*password)
                                     : "PasswordAuthentication not set (OpenSSH default: yes)";
  if (!password)
    fixes.push_back(std::string("add PasswordAuthentication no to ") + kDropIn + ", " + kReload);
  const bool pam = e.value(Key::use_pam) == "yes";
  if (pam && e.value(Key::kbd_interactive_authentication) == "yes") {
    reasons.push_back(describe_or_default(e, Key::kbd_interactive_authentication) + " with " +
                      describe_or_default(e, Key::use_pam) + " still accepts passwords through PAM");
    fixes.push_back(std::string("set KbdInteractiveAuthentication no in ") + kDropIn + ", " + kReload);
  }
  for (const auto &s : reopened(a, Key::password_authentication, "yes")) {
    reasons.push_back(describe_block_setting(s));
    fixes.push_back("remove PasswordAuthentication yes at " + to_string(s.where) + ", " + kReload);
  }
  if (pam && e.value(Key::kbd_interactive_authentication) == "no") {
    for (const auto &s : reopened(a, Key::kbd_interactive_authentication, "yes")) {
      reasons.push_back(describe_block_setting(s) + " with UsePAM yes");
      fixes.push_back("remove " + s.written + " at " + to_string(s.where) + ", " + kReload);
    }
  }
  return decide(state, std::move(reasons), std::move(fixes), !password);
}

Verdict root_login_verdict(const Analysis &a) {
  if (a.problem) return problem_verdict(*a.problem);
  const auto &root = a.effective.get(Key::permit_root_login);
  if (root && root->value == "yes")
    return Verdict{Status::fail, describe(*root),
                   "set PermitRootLogin prohibit-password (or no) at " + to_string(root->where) +
                       ", " + kReload,
                   false};
  std::vector<std::string> reasons, fixes;
  const std::string state =
      root ? describe(*root) : "PermitRootLogin not set (OpenSSH default: prohibit-password)";
  if (!root)
    fixes.push_back(std::string("add PermitRootLogin prohibit-password (or no) to ") + kDropIn +
                    ", " + kReload);
  for (const auto &s : reopened(a, Key::permit_root_login, "yes")) {
    reasons.push_back(describe_block_setting(s));
    fixes.push_back("remove PermitRootLogin yes at " + to_string(s.where) + ", " + kReload);
  }
  return decide(state, std::move(reasons), std::move(fixes), !root);
}

}  // namespace hermes_inspect::sshd
