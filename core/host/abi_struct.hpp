// The size-prefixed structs a plugin passes to host services at probe time,
// read and written under the same rules as its descriptors at load time
// (PLUGIN-ABI.md, "Versioning"): a shorter struct reads with a zeroed tail, a
// longer one is accepted only when every byte this core does not know is zero.
#pragma once

#include <hermes_inspect/plugin.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

namespace hi {

// Beyond this a struct_size is garbage, not a future ABI.
inline constexpr uint32_t kMaxAbiStructSize = 4096;

template <typename T>
uint32_t abi_struct_size(const T *p) {
  uint32_t size = 0;
  std::memcpy(&size, p, sizeof size);
  return size;
}

// Why the struct at p (named `what` in the message) cannot be used, or nothing.
// min_size is the part the core cannot do without.
template <typename T>
std::optional<std::string> abi_struct_problem(const T *p, std::size_t min_size, const std::string &what) {
  if (!p) return what + " is NULL";
  const uint32_t size = abi_struct_size(p);
  if (size < min_size)
    return what + " has struct_size " + std::to_string(size) + " (at least " + std::to_string(min_size) +
           " expected)";
  if (size > kMaxAbiStructSize)
    return what + " has struct_size " + std::to_string(size) + " (at most " +
           std::to_string(kMaxAbiStructSize) + " expected)";
  const auto *bytes = reinterpret_cast<const unsigned char *>(p);
  if (size > sizeof(T) && !std::all_of(bytes + sizeof(T), bytes + size, [](unsigned char b) { return b == 0; }))
    return what + " sets fields this core does not know (struct_size " + std::to_string(size) + "; ABI " +
           std::to_string(HI_ABI_MAJOR) + "." + std::to_string(HI_ABI_MINOR) + " defines " +
           std::to_string(sizeof(T)) + ")";
  return std::nullopt;
}

// A copy of a struct abi_struct_problem accepted, fields it lacks zeroed.
template <typename T>
T read_abi_struct(const T *p) {
  T copy{};
  std::memcpy(&copy, p, std::min<std::size_t>(abi_struct_size(p), sizeof(T)));
  return copy;
}

// Fills the plugin's struct at out with value, as much of it as the plugin's
// struct_size holds and the core knows; struct_size is set to what was filled.
template <typename T>
void write_abi_struct(T *out, T value) {
  value.struct_size = std::min<uint32_t>(abi_struct_size(out), sizeof(T));
  std::memcpy(out, &value, value.struct_size);
}

}  // namespace hi
