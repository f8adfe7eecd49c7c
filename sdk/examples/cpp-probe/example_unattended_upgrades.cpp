// example-unattended-upgrades: does APT install security updates by itself?
//
// A complete hermes-inspect plugin in C++17 using the SDK's probe.hpp helpers
// (Host, Verdict, guarded_probe, HI_DEFINE_PLUGIN). It reads files under the
// inspected root (--root) and runs no command.
#include <hermes_inspect/probe.hpp>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>

namespace {

using hermes_inspect::FileError;
using hermes_inspect::Host;
using hermes_inspect::Status;
using hermes_inspect::Verdict;

constexpr const char *kSignalId = "example-unattended-upgrades";
constexpr const char *kConfPath = "/etc/apt/apt.conf.d/20auto-upgrades";
constexpr std::string_view kKey = "APT::Periodic::Unattended-Upgrade";
constexpr const char *kFix = "apt-get install unattended-upgrades && dpkg-reconfigure -plow unattended-upgrades";
// apt.conf fragments are a few lines; anything bigger is not one.
constexpr std::size_t kMaxBytes = 64 * 1024;

const hi_signal_desc kSignal{
    sizeof(hi_signal_desc),
    kSignalId,
    "APT installs updates unattended",
    "Reads /etc/apt/apt.conf.d/20auto-upgrades under the root and passes when it sets "
    "APT::Periodic::Unattended-Upgrade to a non-zero number of days.",
    "A server nobody logs into every day misses security updates unless APT installs them itself.",
    kFix,
    nullptr};  // runs no command

const hi_signal_desc *const kSignals[] = {&kSignal};

std::string_view trim(std::string_view s) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

// apt.conf option names are case-insensitive.
bool same_key(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// The quoted value of `KEY "VALUE";` lines for kKey; as in apt, the last one wins.
std::optional<std::string> unattended_value(std::string_view text) {
  std::optional<std::string> value;
  while (!text.empty()) {
    const auto eol = text.find('\n');
    const std::string_view line = trim(text.substr(0, eol));
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    if (line.empty() || line[0] == '#' || line.rfind("//", 0) == 0) continue;
    const auto open = line.find('"');
    const auto close = open == std::string_view::npos ? open : line.find('"', open + 1);
    if (close == std::string_view::npos || !same_key(trim(line.substr(0, open)), kKey)) continue;
    value = std::string(line.substr(open + 1, close - open - 1));
  }
  return value;
}

Verdict decide(const std::optional<std::string> &value) {
  if (!value) return {Status::fail, "20auto-upgrades does not set " + std::string(kKey), kFix, false};
  const bool numeric = !value->empty() && std::all_of(value->begin(), value->end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
  if (!numeric)
    return {Status::warn, std::string(kKey) + " is not a number: " + hermes_inspect::quote_output(*value), kFix,
            false};
  if (value->find_first_not_of('0') == std::string::npos)
    return {Status::fail, std::string(kKey) + " \"" + *value + "\" (disabled)", kFix, false};
  return {Status::pass, std::string(kKey) + " \"" + *value + "\"", "", false};
}

// A file that exists but cannot be read says nothing about the host: never fail for it.
Verdict unreadable(const FileError &error) {
  if (error.code == HI_ERR_PERMISSION)
    return {Status::warn, std::string("needs root: cannot read ") + kConfPath, "Run hermes-inspect as root", true};
  return {Status::warn, std::string("cannot read ") + kConfPath + ": " + error.message, "", false};
}

Verdict inspect(const Host &host) {
  if (!host.read_file("/etc/debian_version", 0, kMaxBytes))
    return {Status::skip, "not a Debian-family system (no /etc/debian_version)", "", false};
  FileError error;
  const auto conf = host.read_file(kConfPath, 0, kMaxBytes, &error);
  if (conf) return decide(unattended_value(*conf));
  if (error.code == HI_ERR_NOT_FOUND) return {Status::fail, std::string(kConfPath) + " not found", kFix, false};
  return unreadable(error);
}

int probe(const hi_host *host) {
  // guarded_probe turns any exception into a logged error: nothing C++ crosses the C ABI.
  return hermes_inspect::guarded_probe(host, [](Host &h) { h.report(kSignalId, inspect(h)); });
}

const hi_plugin_desc kDesc{sizeof(hi_plugin_desc),
                           HI_ABI_MAJOR,
                           HI_ABI_MINOR,
                           "example-unattended-upgrades",  // == the file name without ".so"
                           "0.1.0",
                           "Example: APT installs security updates unattended",
                           1,
                           kSignals,
                           probe};

}  // namespace

HI_DEFINE_PLUGIN(kDesc)
