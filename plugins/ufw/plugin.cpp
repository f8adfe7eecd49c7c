// The ufw plugin: is ufw active with a default-deny incoming policy?
#include "ufw_logic.hpp"

#include <hermes_inspect/probe.hpp>

#include <cstddef>
#include <string>

namespace {

namespace ufw = hermes_inspect::ufw;

const hi_signal_desc kUfwSignal{
    sizeof(hi_signal_desc),
    "ufw",
    "UFW firewall active, default deny",
    "Runs `ufw status verbose` and passes when ufw is active and its default incoming "
    "policy is deny or reject.",
    "An inactive firewall, or one that allows incoming traffic by default, exposes every "
    "listening service, including ones started later or bound to 0.0.0.0 by mistake.",
    "ufw allow OpenSSH && ufw default deny incoming && ufw enable",
    "ufw status verbose"};

const hi_signal_desc *const kSignals[] = {&kUfwSignal};

ufw::ConfigFile read_config(const hermes_inspect::Host &h, const char *path) {
  // Small KEY=value files; anything bigger is not ufw's.
  constexpr std::size_t kMaxBytes = 64 * 1024;
  hermes_inspect::FileError error;
  ufw::ConfigFile file{path, h.read_file(path, 0, kMaxBytes, &error), ""};
  if (file.text) return file;
  switch (error.code) {
    case HI_ERR_NOT_FOUND: file.error = "not found"; break;
    case HI_ERR_PERMISSION: file.error = "not readable (permission denied)"; break;
    default: file.error = "unreadable: " + error.message; break;
  }
  return file;
}

int probe(const hi_host *host) {
  return hermes_inspect::guarded_probe(host, [](hermes_inspect::Host &h) {
#ifndef __linux__
    h.report("ufw", {hermes_inspect::Status::skip, "ufw is Linux-only", "", false});
#else
    const auto result = h.run({"ufw", "status", "verbose"});
    if (ufw::refused_not_root(result)) {
      h.report("ufw", ufw::decide_not_root(read_config(h, ufw::kConfPath),
                                           read_config(h, ufw::kDefaultsPath)));
      return;
    }
    h.report("ufw", ufw::decide_status(result));
#endif
  });
}

const hi_plugin_desc kDesc{sizeof(hi_plugin_desc),
                           HI_ABI_MAJOR,
                           HI_ABI_MINOR,
                           "ufw",
                           HI_BUNDLED_VERSION,
                           "ufw: active, with a default-deny incoming policy?",
                           1,
                           kSignals,
                           probe};

}  // namespace

HI_DEFINE_PLUGIN(kDesc)
