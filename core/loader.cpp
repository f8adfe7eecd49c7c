#include "loader.hpp"

#include <algorithm>
#include <cstring>
#include <exception>
#include <set>

namespace hi {
namespace {

// Beyond this a struct_size is garbage, not a future ABI.
constexpr uint32_t kMaxStructSize = 4096;

constexpr std::size_t kPluginDescMin = offsetof(hi_plugin_desc, probe) + sizeof(void *);
constexpr std::size_t kSignalDescMin = offsetof(hi_signal_desc, description) + sizeof(const char *);

std::string text(const char *s) { return s ? s : ""; }

bool all_zero(const unsigned char *bytes, std::size_t from, std::size_t to) {
  return std::all_of(bytes + from, bytes + to, [](unsigned char b) { return b == 0; });
}

// Copies a size-prefixed struct written by a plugin of ABI 1.minor into a zeroed
// T. Returns an error message, or nothing when the copy is acceptable.
template <typename T>
std::optional<LoadFailure> copy_versioned(const T *src, T &dst, std::size_t min_size,
                                          uint16_t plugin_minor, const std::string &what) {
  uint32_t size = 0;
  std::memcpy(&size, src, sizeof size);
  if (size < min_size || size > kMaxStructSize)
    return LoadFailure{PluginState::invalid, what + " has struct_size " + std::to_string(size) +
                                                 " (expected " + std::to_string(min_size) + " to " +
                                                 std::to_string(kMaxStructSize) + ")"};
  dst = T{};
  std::memcpy(&dst, src, std::min<std::size_t>(size, sizeof(T)));
  if (size > sizeof(T) && !all_zero(reinterpret_cast<const unsigned char *>(src), sizeof(T), size)) {
    if (plugin_minor > HI_ABI_MINOR)
      return LoadFailure{PluginState::incompatible,
                         "needs hermes-inspect >= " + std::to_string(HI_ABI_MAJOR) + "." +
                             std::to_string(plugin_minor) + " (" + what +
                             " sets fields this core does not know)"};
    return LoadFailure{PluginState::invalid, what + " is larger than ABI " +
                                                 std::to_string(HI_ABI_MAJOR) + "." +
                                                 std::to_string(plugin_minor) + " defines"};
  }
  return std::nullopt;
}

std::optional<LoadFailure> read_signals(const hi_plugin_desc &desc, PluginDescriptor &out) {
  if (desc.signal_count > kMaxSignalsPerPlugin)
    return LoadFailure{PluginState::invalid, "declares " + std::to_string(desc.signal_count) +
                                                 " signals; at most " +
                                                 std::to_string(kMaxSignalsPerPlugin) + " allowed"};
  if (desc.signal_count > 0 && !desc.signals)
    return LoadFailure{PluginState::invalid, "signal_count is " + std::to_string(desc.signal_count) +
                                                 " but signals is NULL"};
  std::set<std::string> seen;
  for (uint32_t i = 0; i < desc.signal_count; ++i) {
    const std::string what = "signal #" + std::to_string(i);
    if (!desc.signals[i]) return LoadFailure{PluginState::invalid, what + " is NULL"};
    hi_signal_desc sig{};
    if (auto failure = copy_versioned(desc.signals[i], sig, kSignalDescMin, desc.abi_minor, what))
      return failure;
    if (!valid_id(sig.id))
      return LoadFailure{PluginState::invalid,
                         what + " has an invalid id \"" + text(sig.id).substr(0, 80) +
                             "\" (ids are [a-z0-9][a-z0-9._-]{0,63})"};
    if (!seen.insert(sig.id).second)
      return LoadFailure{PluginState::invalid, "signal " + text(sig.id) + " is declared twice"};
    out.signals.push_back(SignalInfo{sig.id, text(sig.title), text(sig.description),
                                     text(sig.rationale), text(sig.fix_hint), text(sig.commands)});
  }
  return std::nullopt;
}

}  // namespace

bool valid_id(const char *id) {
  if (!id || !*id) return false;
  std::size_t n = 0;
  for (const char *p = id; *p; ++p, ++n) {
    const char c = *p;
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (n == 0 ? !alnum : !(alnum || c == '.' || c == '_' || c == '-')) return false;
    if (n >= 64) return false;
  }
  return true;
}

DescriptorOrFailure read_descriptor(const hi_plugin_desc *raw, const std::string &expected_name) {
  if (!raw) return LoadFailure{PluginState::invalid, std::string(HI_ENTRY_SYMBOL) + " returned NULL"};
  uint32_t size = 0;
  std::memcpy(&size, raw, sizeof size);
  if (size < offsetof(hi_plugin_desc, name))
    return LoadFailure{PluginState::invalid,
                       "descriptor struct_size " + std::to_string(size) + " is too small"};
  if (raw->abi_major != HI_ABI_MAJOR)
    return LoadFailure{PluginState::incompatible,
                       "built for ABI " + std::to_string(raw->abi_major) + "." +
                           std::to_string(raw->abi_minor) + "; this hermes-inspect speaks " +
                           std::to_string(HI_ABI_MAJOR) + "." + std::to_string(HI_ABI_MINOR)};
  hi_plugin_desc desc{};
  if (auto failure = copy_versioned(raw, desc, kPluginDescMin, raw->abi_minor, "descriptor"))
    return *failure;
  PluginDescriptor out;
  out.abi = std::to_string(desc.abi_major) + "." + std::to_string(desc.abi_minor);
  if (!valid_id(desc.name))
    return LoadFailure{PluginState::invalid, "plugin name \"" + text(desc.name).substr(0, 80) +
                                                 "\" is not [a-z0-9][a-z0-9._-]{0,63}"};
  out.name = desc.name;
  if (out.name != expected_name)
    return LoadFailure{PluginState::invalid, "plugin calls itself \"" + out.name +
                                                 "\" but its file is " + expected_name +
                                                 ".so; the names must match"};
  out.version = text(desc.version);
  out.description = text(desc.description);
  if (!desc.probe) return LoadFailure{PluginState::invalid, "probe is NULL"};
  out.probe = desc.probe;
  if (auto failure = read_signals(desc, out)) return *failure;
  return out;
}

std::variant<LoadedPlugin, LoadFailure> load_plugin(int fd, const std::string &file,
                                                    const std::string &expected_name) {
  const std::string fd_path = "/proc/self/fd/" + std::to_string(fd);
  LoadedPlugin loaded;
  try {
    loaded.library.load(fd_path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception &e) {
    std::string why = e.what();
    for (auto at = why.find(fd_path); at != std::string::npos; at = why.find(fd_path))
      why.replace(at, fd_path.size(), file);
    return LoadFailure{PluginState::invalid, "not a loadable shared object: " + why};
  }
  if (!loaded.library.has(HI_ENTRY_SYMBOL))
    return LoadFailure{PluginState::invalid,
                       std::string("no ") + HI_ENTRY_SYMBOL + " symbol: not a hermes-inspect plugin"};
  const auto entry = loaded.library.get<const hi_plugin_desc *()>(HI_ENTRY_SYMBOL);
  auto descriptor = read_descriptor(entry(), expected_name);
  if (auto *failure = std::get_if<LoadFailure>(&descriptor)) return *failure;
  loaded.descriptor = std::move(std::get<PluginDescriptor>(descriptor));
  return loaded;
}

}  // namespace hi
