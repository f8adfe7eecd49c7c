// Loading: opens a plugin file with Boost.DLL, finds the entry symbol, and reads
// its descriptor under the ABI rules of PLUGIN-ABI.md (major must match, older
// minors read with zeroed tails, newer minors only with all-zero unknown tails).
// Runs only inside a worker process: plugin code never enters the parent.
#pragma once

#include "model.hpp"

#include <hermes_inspect/plugin.h>

#include <boost/dll/shared_library.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace hi {

struct PluginDescriptor {
  std::string name;
  std::string version;
  std::string description;
  std::string abi;  // "1.0" as the plugin was built
  std::vector<SignalInfo> signals;
  int (*probe)(const hi_host *) = nullptr;
};

struct LoadFailure {
  PluginState state;  // invalid or incompatible
  std::string message;
};

using DescriptorOrFailure = std::variant<PluginDescriptor, LoadFailure>;

// Most signals one plugin may declare.
inline constexpr uint32_t kMaxSignalsPerPlugin = 256;

// Validates and copies a descriptor the plugin returned. expected_name is the file stem.
DescriptorOrFailure read_descriptor(const hi_plugin_desc *raw, const std::string &expected_name);

// A signal or plugin id: [a-z0-9][a-z0-9._-]{0,63}.
bool valid_id(const char *id);

struct LoadedPlugin {
  boost::dll::shared_library library;  // kept loaded for the life of the worker
  PluginDescriptor descriptor;
};

// Loads the already-opened, trust-checked file through /proc/self/fd, so the
// bytes checked are the bytes loaded. `file` is used in messages only.
std::variant<LoadedPlugin, LoadFailure> load_plugin(int fd, const std::string &file,
                                                    const std::string &expected_name);

}  // namespace hi
