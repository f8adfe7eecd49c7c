// An sshd configuration tree, analysed as plugins/sshd/plugin.cpp does. Each
// section is a file named by its absolute path (an unnamed input is
// /etc/ssh/sshd_config); a name ending " !denied" is a file this user may not
// read. Include globs expand over the section names, as glob(3) would.
#include "fuzz_support.hpp"
#include "sshd_config.hpp"
#include "sshd_verdict.hpp"

#include <fnmatch.h>

namespace {

namespace sshd = hermes_inspect::sshd;
using hermes_inspect::Status;
using hi::fuzz::expect;

constexpr std::string_view kDenied = " !denied";

class MemorySource final : public sshd::ConfigSource {
 public:
  explicit MemorySource(const std::vector<hi::fuzz::Section> &sections) {
    for (const auto &s : sections) {
      std::string path = s.name.empty() ? sshd::kMainConfig : s.name;
      const bool denied = path.size() > kDenied.size() &&
                          path.compare(path.size() - kDenied.size(), kDenied.size(), kDenied) == 0;
      if (denied) path.resize(path.size() - kDenied.size());
      files_.emplace(path, File{denied ? Outcome::permission : Outcome::ok, denied ? "" : s.text,
                                denied ? "permission denied" : ""});
    }
  }

  File read(const std::string &path) const override {
    const auto it = files_.find(path);
    if (it == files_.end()) return File{Outcome::not_found, "", "not found"};
    return it->second;
  }

  // glob(3) in the C locale: matches in byte order, '/' and leading dots literal.
  Glob glob(const std::string &pattern) const override {
    Glob out;
    for (const auto &[path, file] : files_)
      if (::fnmatch(pattern.c_str(), path.c_str(), FNM_PATHNAME | FNM_PERIOD) == 0)
        out.paths.push_back(path);
    return out;
  }

 private:
  std::map<std::string, File> files_;
};

bool one_of(const std::string &value, std::initializer_list<const char *> words) {
  for (const char *w : words)
    if (value == w) return true;
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const MemorySource source(hi::fuzz::split_sections(hi::fuzz::as_text(data, size)));
  const auto analysis = sshd::analyze(source);
  const auto password = sshd::password_auth_verdict(analysis);
  const auto root = sshd::root_login_verdict(analysis);
  hi::fuzz::check_verdict(password);
  hi::fuzz::check_verdict(root);

  // SIGNALS.md rows 6 and 7: what a pass requires of the effective values.
  const auto &e = analysis.effective;
  if (password.status == Status::pass)
    expect(!analysis.problem && e.value(sshd::Key::password_authentication) == "no" &&
               !(e.value(sshd::Key::kbd_interactive_authentication) == "yes" &&
                 e.value(sshd::Key::use_pam) == "yes"),
           "ssh-password-auth passed: " + password.detail);
  if (root.status == Status::pass)
    expect(!analysis.problem && one_of(e.value(sshd::Key::permit_root_login),
                                       {"no", "prohibit-password", "forced-commands-only"}),
           "ssh-root-login passed: " + root.detail);

  // The same tree evaluated for one connection, as the sshd -T -C oracle tests do.
  const auto loaded = sshd::load_config(source);
  sshd::Connection conn;
  conn.user = "root";
  conn.host = "client.example";
  conn.address = "192.0.2.7";
  conn.local_address = "10.0.0.1";
  conn.local_port = 22;
  conn.groups = {"root", "adm"};
  expect(!loaded.problem || analysis.problem, "a tree load rejects was analysed");
  if (loaded.problem) return 0;
  const auto evaluation = sshd::evaluate(loaded.config, conn);
  if (!evaluation.problem)
    for (std::size_t k = 0; k < sshd::kKeyCount; ++k)
      expect(!evaluation.effective.value(static_cast<sshd::Key>(k)).empty(), "an empty effective value");
  return 0;
}
