// Plugin discovery and trust: walks the plugin search path, applies name
// shadowing, and opens each plugin file only after its owner, its mode and
// those of every directory above it pass the trust rules of CONTRACT.md.
#pragma once

#include "model.hpp"
#include "status.hpp"

#include <string>
#include <vector>

#include <sys/types.h>

namespace hi {

struct PluginCandidate {
  PluginRecord record;  // name = file stem; state ok, refused, invalid or shadowed
  UniqueFd fd;          // the checked, opened file (valid when state is ok): load this, not the path
};

struct DiscoveryOptions {
  std::vector<std::string> dirs;  // in search order
  uid_t trusted_uid = 0;          // besides root, the user allowed to own plugins
  bool allow_untrusted = false;
};

// The search path: --plugins-dir dirs, $HERMES_INSPECT_PLUGIN_PATH, the drop-in
// dir, then the bundled dir next to the executable.
std::vector<std::string> plugin_search_path(const std::vector<std::string> &cli_dirs,
                                            const char *env_path, const std::string &bundled_dir);

// Every *.so in the search path, in order, with warnings for unreadable dirs
// the user named (in warnings).
std::vector<PluginCandidate> discover_plugins(const DiscoveryOptions &options,
                                              std::vector<std::string> &warnings);

// Opens path from / down one name at a time without letting the kernel follow
// links, following each symbolic link itself, and checks the file, every
// directory passed through (including those holding a link on the way) and the
// owner of every link. The returned descriptor is what gets loaded, so the
// checked file and the loaded file are the same.
StatusOr<UniqueFd> open_trusted(const std::string &path, uid_t trusted_uid);

}  // namespace hi
