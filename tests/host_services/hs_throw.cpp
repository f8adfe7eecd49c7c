// A C++ probe on probe.hpp: runs a tool that cannot be started, reports the
// verdict the helpers give for it, then throws out of its probe function.
#include <hermes_inspect/probe.hpp>

#include <stdexcept>

namespace {

using hermes_inspect::Host;
using hermes_inspect::Status;
using hermes_inspect::Verdict;

const hi_signal_desc sig_start = {sizeof(hi_signal_desc), "hs-throw-start", "Host services: hs-throw-start",
                                  "A tool that cannot be started.", nullptr, nullptr, "hs-broken-tool"};
const hi_signal_desc sig_after = {sizeof(hi_signal_desc), "hs-throw-after", "Host services: hs-throw-after",
                                  "Never reported: the probe throws first.", nullptr, nullptr, nullptr};
const hi_signal_desc *const signals[] = {&sig_start, &sig_after};

Verdict start_verdict(const hermes_inspect::CommandResult &r) {
  if (auto v = hermes_inspect::unavailable_tool_verdict(r, "hs-broken-tool", "install hs-broken-tool")) return *v;
  return Verdict{Status::pass, "exited " + std::to_string(r.exit_code), "", false};
}

int probe(const hi_host *host) {
  return hermes_inspect::guarded_probe(host, [](const Host &h) {
    h.report("hs-throw-start", start_verdict(h.run({"hs-broken-tool"})));
    throw std::runtime_error("hs_throw failed on purpose");
  });
}

const hi_plugin_desc desc = {sizeof(hi_plugin_desc), HI_ABI_MAJOR, HI_ABI_MINOR, "hs_throw", "0.0.1",
                             "Host services test plugin", 2, signals, probe};

}  // namespace

HI_DEFINE_PLUGIN(desc)
