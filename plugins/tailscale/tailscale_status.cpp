#include "tailscale_status.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace tailscale {
namespace {

using hermes_inspect::Status;
using hermes_inspect::Verdict;

// The CLI's wording when the LocalAPI socket does not answer
// (cmd/tailscale/cli/diag.go, fixTailscaledConnectError).
constexpr const char *kNoDaemon = "failed to connect to local tailscaled";

// What to do in each non-running ipn.State (ipn/backend.go).
std::string fix_for(const std::string &state) {
  if (state == "NeedsLogin" || state == "Stopped") return "tailscale up";
  if (state == "NeedsMachineAuth")
    return "approve this machine in the Tailscale admin console (Machines)";
  if (state == "Starting") return "wait for tailscaled to connect, then check `tailscale status`";
  return "systemctl restart tailscaled";
}

// The first Tailscale address of this node, for the detail line.
std::string self_address(const nlohmann::json &status) {
  const auto self = status.find("Self");
  if (self == status.end() || !self->is_object()) return "";
  const auto ips = self->find("TailscaleIPs");
  if (ips == self->end() || !ips->is_array() || ips->empty() || !(*ips)[0].is_string()) return "";
  return (*ips)[0].get<std::string>();
}

}  // namespace

Verdict verdict(const hermes_inspect::CommandResult &result) {
  if (auto v = hermes_inspect::unavailable_tool_verdict(result, "tailscale", kInstallFix)) return *v;
  if (result.err.find(kNoDaemon) != std::string::npos ||
      result.out.find(kNoDaemon) != std::string::npos)
    return {Status::fail, "tailscaled not reachable (failed to connect to local tailscaled)",
            "systemctl enable --now tailscaled", false};
  const auto doc = nlohmann::json::parse(result.out, nullptr, false);
  const auto state = doc.is_object() ? doc.find("BackendState") : doc.end();
  if (!doc.is_object() || state == doc.end() || !state->is_string()) {
    const std::string shown = result.out.empty() ? result.err : result.out;
    return {Status::warn, "unexpected tailscale output: " + hermes_inspect::quote_output(shown), "",
            false};
  }
  const std::string name = state->get<std::string>();
  if (name != "Running") return {Status::fail, "BackendState=" + name, fix_for(name), false};
  const std::string address = self_address(doc);
  return {Status::pass, "BackendState=Running" + (address.empty() ? "" : " (" + address + ")"), "",
          false};
}

}  // namespace tailscale
