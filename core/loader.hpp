// Loading: opens a plugin file with Boost.DLL, finds the entry symbol, and reads
// its descriptor under the ABI rules of PLUGIN-ABI.md (major must match, structs
// at least as large as ABI 1.0 defines them, older minors read with zeroed tails,
// newer minors only with all-zero unknown tails).
// Runs only inside a worker process: plugin code never enters the parent, and a
// plugin once opened is never unloaded before the worker exits.
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

// The syntax valid_id checks, as messages cite it.
inline constexpr const char *kIdPattern = "[a-z0-9][a-z0-9._-]{0,63}";

// A signal or plugin id: kIdPattern, so lower case and at most 64 characters.
bool valid_id(const char *id);

struct LoadedPlugin {
  boost::dll::shared_library library;
  PluginDescriptor descriptor;
};

// Loads the already-opened, trust-checked file through /proc/self/fd, so the
// bytes checked are the bytes loaded. `file` is used in messages only.
// The file is opened RTLD_NODELETE: once dlopen succeeds, neither a failure
// returned afterwards nor the LoadedPlugin going away unmaps it or runs its
// destructors; only process exit does.
std::variant<LoadedPlugin, LoadFailure> load_plugin(int fd, const std::string &file,
                                                    const std::string &expected_name);

}  // namespace hi
