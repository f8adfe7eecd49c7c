#include "docker_seccomp.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace docker_seccomp {
namespace {

using hermes_inspect::Status;
using hermes_inspect::Verdict;

constexpr const char *kPermissionText =
    "permission denied while trying to connect to the Docker daemon socket";
constexpr const char *kEnableFix =
    "remove \"seccomp-profile\": \"unconfined\" from /etc/docker/daemon.json (and any "
    "--seccomp-profile=unconfined) and restart dockerd";

// One SecurityOptions entry, "name=seccomp,profile=builtin", as key/value pairs
// (moby daemon/info.go fillSecurityOptions).
std::map<std::string, std::string> attributes(const std::string &entry) {
  std::map<std::string, std::string> out;
  std::istringstream in(entry);
  std::string pair;
  while (std::getline(in, pair, ',')) {
    const auto eq = pair.find('=');
    if (eq == std::string::npos) continue;
    out.emplace(pair.substr(0, eq), pair.substr(eq + 1));
  }
  return out;
}

Verdict from_options(const nlohmann::json &options) {
  std::vector<std::string> names;
  for (const auto &entry : options) {
    auto attrs = attributes(entry.get<std::string>());
    if (attrs["name"] != "seccomp") {
      if (!attrs["name"].empty()) names.push_back(attrs["name"]);
      continue;
    }
    const std::string profile = attrs["profile"];
    if (profile == "unconfined")
      return {Status::fail, "seccomp profile=unconfined: containers run without a syscall filter",
              kEnableFix, false};
    if (profile.empty()) return {Status::pass, "seccomp enabled (profile not named)", "", false};
    return {Status::pass, "seccomp profile=" + profile, "", false};
  }
  std::string seen;
  for (const auto &n : names) seen += (seen.empty() ? "" : ", ") + n;
  return {Status::fail,
          "no seccomp in the daemon's security options" + (seen.empty() ? "" : " (" + seen + ")"),
          kEnableFix, false};
}

bool is_string_array(const nlohmann::json &doc) {
  if (!doc.is_array()) return false;
  for (const auto &e : doc)
    if (!e.is_string()) return false;
  return true;
}

}  // namespace

Verdict verdict(const hermes_inspect::CommandResult &result) {
  if (auto v = hermes_inspect::unavailable_tool_verdict(result, "docker", kInstallFix)) return *v;
  if (result.err.find(kPermissionText) != std::string::npos)
    return {Status::warn, "needs root: permission denied on the Docker daemon socket",
            "run as root, or as a member of the docker group", true};
  // A daemon that cannot be reached also prints `null`, but exits 1.
  if (result.exit_code != 0) {
    const std::string why = result.err.empty() ? result.out : result.err;
    return {Status::warn, "docker daemon not reachable: " + hermes_inspect::quote_output(why),
            "systemctl start docker", false};
  }
  const auto doc = nlohmann::json::parse(result.out, nullptr, false);
  if (doc.is_null())
    return {Status::fail, "docker daemon reports no security options (no seccomp)", kEnableFix,
            false};
  if (doc.is_discarded() || !is_string_array(doc))
    return {Status::warn,
            "unexpected docker info output: " + hermes_inspect::quote_output(result.out), "", false};
  return from_options(doc);
}

}  // namespace docker_seccomp
