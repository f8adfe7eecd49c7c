// The docker-seccomp probe: does the Docker daemon confine containers with a
// seccomp profile by default?
#include "docker_seccomp.hpp"

#include <hermes_inspect/probe.hpp>

namespace {

const hi_signal_desc kSeccomp{
    sizeof(hi_signal_desc),
    "docker-seccomp",
    "Docker daemon applies a seccomp profile",
    "Asks the Docker daemon for its security options and checks that seccomp is on with a "
    "profile other than unconfined.",
    "Without seccomp every container can call any syscall, which widens the kernel attack "
    "surface an escaped agent or compromised image can reach.",
    "remove seccomp-profile=unconfined from /etc/docker/daemon.json and restart dockerd",
    "docker info --format '{{json .SecurityOptions}}'"};

const hi_signal_desc *const kSignals[] = {&kSeccomp};

int probe(const hi_host *host) {
  return hermes_inspect::guarded_probe(host, [](hermes_inspect::Host &h) {
    const auto result = h.run({"docker", "info", "--format", "{{json .SecurityOptions}}"});
    h.report("docker-seccomp", docker_seccomp::verdict(result));
  });
}

const hi_plugin_desc kPlugin{sizeof(hi_plugin_desc),
                             HI_ABI_MAJOR,
                             HI_ABI_MINOR,
                             "docker-seccomp",
                             HI_BUNDLED_VERSION,
                             "Docker daemon seccomp confinement",
                             1,
                             kSignals,
                             probe};

}  // namespace

HI_DEFINE_PLUGIN(kPlugin)
