// The iron-proxy probe: is the Hermes agent's credential-swapping egress proxy
// configured, and is its daemon up and listening?
#include "iron_proxy.hpp"

#include <hermes_inspect/probe.hpp>

namespace {

const hi_signal_desc kEnabled{
    sizeof(hi_signal_desc),
    "iron-proxy-enabled",
    "iron-proxy enabled for the Hermes agent",
    "Reads proxy.enabled in <hermes_home>/config.yaml; without it, passes when "
    "proxy/proxy.yaml and proxy/ca.crt both exist.",
    "The agent's outbound requests should go through iron-proxy so real credentials never "
    "reach the model's tools.",
    "set proxy.enabled: true in <hermes_home>/config.yaml",
    nullptr};

const hi_signal_desc kRunning{
    sizeof(hi_signal_desc),
    "iron-proxy-running",
    "iron-proxy daemon running and listening",
    "Follows <hermes_home>/proxy/iron-proxy.pid to a live iron-proxy process (nonce in its "
    "environment, or argv[0]) and connects to its tunnel address within 500 ms. When /proc "
    "hides the pid (hidepid), kill(pid, 0), which sends nothing, tells a dead pid from "
    "another user's live one.",
    "An enabled but dead proxy leaves the agent without egress, or tempts operators to bypass "
    "it; a recycled pid must not pass for the daemon.",
    "start the Hermes agent with the proxy enabled (it launches iron-proxy)",
    nullptr};

const hi_signal_desc *const kSignals[] = {&kEnabled, &kRunning};

int probe(const hi_host *host) {
  return hermes_inspect::guarded_probe(host, [](hermes_inspect::Host &h) {
    const iron_proxy::ReadFile read = [&h](const std::string &path, uint32_t flags) {
      hermes_inspect::FileError error;
      auto data = h.read_file(path, flags, 0, &error);
      if (!data) return iron_proxy::FileRead{error.code, "", error.message};
      return iron_proxy::FileRead{HI_OK, std::move(*data), ""};
    };
    const std::string home = h.setting("hermes_home");
    h.report("iron-proxy-enabled", iron_proxy::enabled_verdict(home, read));
    h.report("iron-proxy-running", iron_proxy::running_verdict(home, read));
  });
}

const hi_plugin_desc kPlugin{sizeof(hi_plugin_desc),
                             HI_ABI_MAJOR,
                             HI_ABI_MINOR,
                             "iron-proxy",
                             HI_BUNDLED_VERSION,
                             "Hermes iron-proxy egress proxy",
                             2,
                             kSignals,
                             probe};

}  // namespace

HI_DEFINE_PLUGIN(kPlugin)
