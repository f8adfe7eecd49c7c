// The tailscale probe: is this host joined to its tailnet?
#include "tailscale_status.hpp"

#include <hermes_inspect/probe.hpp>

namespace {

const hi_signal_desc kTailscale{
    sizeof(hi_signal_desc),
    "tailscale",
    "Tailscale connected (BackendState Running)",
    "Asks tailscaled for its state and passes only when the backend is Running.",
    "A host reached over a private mesh can keep its services off the public internet; a "
    "logged-out or stopped node silently loses that perimeter.",
    "tailscale up",
    "tailscale status --json"};

const hi_signal_desc *const kSignals[] = {&kTailscale};

int probe(const hi_host *host) {
  return hermes_inspect::guarded_probe(host, [](hermes_inspect::Host &h) {
    h.report("tailscale", tailscale::verdict(h.run({"tailscale", "status", "--json"})));
  });
}

const hi_plugin_desc kPlugin{sizeof(hi_plugin_desc),
                             HI_ABI_MAJOR,
                             HI_ABI_MINOR,
                             "tailscale",
                             HI_BUNDLED_VERSION,
                             "Tailscale mesh membership",
                             1,
                             kSignals,
                             probe};

}  // namespace

HI_DEFINE_PLUGIN(kPlugin)
