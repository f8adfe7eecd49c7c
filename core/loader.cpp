#include "loader.hpp"

#include <algorithm>
#include <cstring>
#include <set>
#include <system_error>

#include <dlfcn.h>

namespace hi {
namespace {

// Beyond this a struct_size is garbage, not a future ABI.
constexpr uint32_t kMaxStructSize = 4096;

// 1.0 is the first minor and fields are only ever appended, so every 1.x
// struct reaches at least to the last field ABI 1.0 defines. Anything shorter
// is not an older minor but a broken struct.
constexpr std::size_t kPluginDescMin = offsetof(hi_plugin_desc, probe) + sizeof(hi_plugin_desc::probe);
constexpr std::size_t kSignalDescMin = offsetof(hi_signal_desc, commands) + sizeof(hi_signal_desc::commands);

// Entry points of later majors: a plugin exporting one of these but no
// HI_ENTRY_SYMBOL is a plugin this core is too old for, not a stranger.
constexpr unsigned kFirstOtherMajor = HI_ABI_MAJOR + 1;
constexpr unsigned kLastOtherMajor = 9;

std::string this_abi() { return std::to_string(HI_ABI_MAJOR) + "." + std::to_string(HI_ABI_MINOR); }

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
                         what + " has an invalid id \"" + text(sig.id).substr(0, 80) + "\" (ids are " +
                             kIdPattern + ")"};
    if (!seen.insert(sig.id).second)
      return LoadFailure{PluginState::invalid, "signal " + text(sig.id) + " is declared twice"};
    out.signals.push_back(SignalInfo{sig.id, text(sig.title), text(sig.description),
                                     text(sig.rationale), text(sig.fix_hint), text(sig.commands)});
  }
  return std::nullopt;
}

// The dynamic loader's own explanation of a failed dlopen, naming the plugin
// file rather than the descriptor it was opened through. Boost.DLL's message
// would wrap it and append the text of a placeholder error code.
std::string dlopen_error(const std::string &fd_path, const std::string &file, const std::error_code &ec) {
  const char *raw = ::dlerror();
  std::string why = raw ? raw : ec.message();
  for (auto at = why.find(fd_path); at != std::string::npos; at = why.find(fd_path, at + file.size()))
    why.replace(at, fd_path.size(), file);
  return why;
}

LoadFailure missing_entry(const boost::dll::shared_library &library) {
  for (unsigned major = kFirstOtherMajor; major <= kLastOtherMajor; ++major) {
    const std::string symbol = "hermes_inspect_plugin_v" + std::to_string(major);
    if (library.has(symbol))
      return LoadFailure{PluginState::incompatible, "built for ABI " + std::to_string(major) + " (exports " +
                                                        symbol + "); this hermes-inspect speaks " + this_abi()};
  }
  return LoadFailure{PluginState::invalid,
                     std::string("no ") + HI_ENTRY_SYMBOL + " symbol: not a hermes-inspect plugin"};
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
  // Too short to say even which ABI it was built for.
  if (size < offsetof(hi_plugin_desc, name))
    return LoadFailure{PluginState::invalid,
                       "descriptor struct_size " + std::to_string(size) + " is too small"};
  if (raw->abi_major != HI_ABI_MAJOR)
    return LoadFailure{PluginState::incompatible,
                       "built for ABI " + std::to_string(raw->abi_major) + "." +
                           std::to_string(raw->abi_minor) + "; this hermes-inspect speaks " + this_abi()};
  hi_plugin_desc desc{};
  if (auto failure = copy_versioned(raw, desc, kPluginDescMin, raw->abi_minor, "descriptor"))
    return *failure;
  PluginDescriptor out;
  out.abi = std::to_string(desc.abi_major) + "." + std::to_string(desc.abi_minor);
  if (!valid_id(desc.name))
    return LoadFailure{PluginState::invalid,
                       "plugin name \"" + text(desc.name).substr(0, 80) + "\" is not " + kIdPattern};
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
  // Boost.DLL has no name for RTLD_NODELETE but hands the mode bits to dlopen as they are.
  const auto mode = boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local |
                    static_cast<boost::dll::load_mode::type>(RTLD_NODELETE);
  LoadedPlugin loaded;
  std::error_code ec;
  loaded.library.load(fd_path, mode, ec);
  if (ec) return LoadFailure{PluginState::invalid, "dlopen failed: " + dlopen_error(fd_path, file, ec)};
  if (!loaded.library.has(HI_ENTRY_SYMBOL)) return missing_entry(loaded.library);
  const auto entry = loaded.library.get<const hi_plugin_desc *()>(HI_ENTRY_SYMBOL);
  auto descriptor = read_descriptor(entry(), expected_name);
  if (auto *failure = std::get_if<LoadFailure>(&descriptor)) return *failure;
  loaded.descriptor = std::move(std::get<PluginDescriptor>(descriptor));
  return loaded;
}

}  // namespace hi
