// Deciding the docker-seccomp signal from
// `docker info --format '{{json .SecurityOptions}}'`.
#pragma once

#include <hermes_inspect/probe.hpp>

namespace docker_seccomp {

inline constexpr const char *kInstallFix =
    "install Docker Engine: https://docs.docker.com/engine/install/debian/";

hermes_inspect::Verdict verdict(const hermes_inspect::CommandResult &result);

}  // namespace docker_seccomp
