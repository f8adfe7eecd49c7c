// The firewalld plugin: is the firewalld daemon running?
#include "firewalld_logic.hpp"

#include <hermes_inspect/probe.hpp>

namespace {

const hi_signal_desc kFirewalldSignal{
    sizeof(hi_signal_desc),
    "firewalld",
    "firewalld running",
    "Runs `firewall-cmd --state` and passes only when it answers exactly `running`.",
    "firewalld installed but stopped leaves the host without the firewall its operator "
    "believes is in place.",
    "systemctl enable --now firewalld",
    "firewall-cmd --state"};

const hi_signal_desc *const kSignals[] = {&kFirewalldSignal};

int probe(const hi_host *host) {
  return hermes_inspect::guarded_probe(host, [](hermes_inspect::Host &h) {
#ifndef __linux__
    h.report("firewalld", {hermes_inspect::Status::skip, "firewalld is Linux-only", "", false});
#else
    h.report("firewalld", hermes_inspect::firewalld::decide(h.run({"firewall-cmd", "--state"})));
#endif
  });
}

const hi_plugin_desc kDesc{sizeof(hi_plugin_desc),
                           HI_ABI_MAJOR,
                           HI_ABI_MINOR,
                           "firewalld",
                           HI_BUNDLED_VERSION,
                           "firewalld: is the daemon running?",
                           1,
                           kSignals,
                           probe};

}  // namespace

HI_DEFINE_PLUGIN(kDesc)
