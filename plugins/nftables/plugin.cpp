// The nftables plugin: is the host's own input traffic default-deny?
#include "nftables_logic.hpp"

#include <hermes_inspect/probe.hpp>

namespace {

const hi_signal_desc kNftablesSignal{
    sizeof(hi_signal_desc),
    "nftables",
    "nftables input chain default-deny",
    "Lists the live nftables ruleset and passes when a base chain on the input hook "
    "(family inet, ip or ip6) drops what its rules do not accept: policy drop, or a last "
    "rule that drops or rejects unconditionally. A chain in a dormant table (`flags "
    "dormant`) is not attached to its hook and does not count. Says which IP family is "
    "covered when only ip or ip6 chains do it, and otherwise what each input chain looks like.",
    "A host whose input hook accepts by default exposes every listening service, including "
    "ones started later or bound to 0.0.0.0 by mistake.",
    "set `policy drop;` on the input chain in /etc/nftables.conf (allow SSH first), then "
    "systemctl enable --now nftables",
    "nft -j list ruleset"};

const hi_signal_desc *const kSignals[] = {&kNftablesSignal};

int probe(const hi_host *host) {
  return hermes_inspect::guarded_probe(host, [](hermes_inspect::Host &h) {
#ifndef __linux__
    h.report("nftables", {hermes_inspect::Status::skip, "nftables is Linux-only", "", false});
#else
    h.report("nftables", hermes_inspect::nftables::decide(h.run({"nft", "-j", "list", "ruleset"})));
#endif
  });
}

const hi_plugin_desc kDesc{sizeof(hi_plugin_desc),
                           HI_ABI_MAJOR,
                           HI_ABI_MINOR,
                           "nftables",
                           HI_BUNDLED_VERSION,
                           "nftables: is the live ruleset default-deny on input?",
                           1,
                           kSignals,
                           probe};

}  // namespace

HI_DEFINE_PLUGIN(kDesc)
