// Expanding an Include pattern with glob(3), as sshd does, for a tree that
// lives under a directory of this host (the inspected root).
#pragma once

#include "sshd_config.hpp"

#include <string>

namespace hermes_inspect::sshd {

// The matches of pattern (absolute, as sshd sees it) in the tree whose "/" is
// host_root ("" or "/" for the running host), in glob(3)'s lexical order and
// given back as sshd would see them. Unlike sshd, which runs as root, notes
// the first path on the way this user may not look up or list.
ConfigSource::Glob glob_under(const std::string &host_root, const std::string &pattern);

}  // namespace hermes_inspect::sshd
