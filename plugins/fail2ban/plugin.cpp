// The fail2ban probe: is a fail2ban server running with at least one jail?
#include "fail2ban_status.hpp"

#include <hermes_inspect/probe.hpp>

namespace {

const hi_signal_desc kFail2ban{
    sizeof(hi_signal_desc),
    "fail2ban",
    "fail2ban running with jails",
    "Asks the fail2ban server for its jails; passes when it answers with at least one, and "
    "notes when sshd is not among them.",
    "A public SSH port sees password guessing around the clock; fail2ban bans the sources "
    "before they get far.",
    "systemctl enable --now fail2ban",
    "fail2ban-client status"};

const hi_signal_desc *const kSignals[] = {&kFail2ban};

int probe(const hi_host *host) {
  return hermes_inspect::guarded_probe(host, [](hermes_inspect::Host &h) {
#ifndef __linux__
    h.report("fail2ban", {hermes_inspect::Status::skip, "fail2ban is Linux-only", "", false});
#else
    h.report("fail2ban", fail2ban::verdict(h.run({"fail2ban-client", "status"})));
#endif
  });
}

const hi_plugin_desc kPlugin{sizeof(hi_plugin_desc),
                             HI_ABI_MAJOR,
                             HI_ABI_MINOR,
                             "fail2ban",
                             HI_BUNDLED_VERSION,
                             "fail2ban intrusion prevention",
                             1,
                             kSignals,
                             probe};

}  // namespace

HI_DEFINE_PLUGIN(kPlugin)
