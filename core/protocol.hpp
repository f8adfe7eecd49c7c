// The worker-to-core result stream: one JSON object per line on a pipe, and the
// transcript the core builds from it. The worker runs plugin code, so the core
// treats every byte as untrusted: parsing never throws, sizes are bounded, and
// only declared signals are kept.
#pragma once

#include "model.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

namespace hi::protocol {

inline constexpr std::size_t kMaxLine = 256 * 1024;
inline constexpr std::size_t kMaxTextField = 4096;
inline constexpr std::size_t kMaxLogLines = 200;
inline constexpr std::size_t kMaxErrors = 50;

// One message as a line, '\n'-terminated; invalid UTF-8 replaced.
std::string encode(const nlohmann::json &message);

// Splits bytes into lines and parses each. Malformed lines become error strings.
class LineParser {
 public:
  void feed(std::string_view bytes, std::vector<nlohmann::json> &messages,
            std::vector<std::string> &errors);
  // End of stream: a partial last line is an error.
  void finish(std::vector<std::string> &errors);

 private:
  std::string pending_;
  bool overlong_ = false;
};

// Everything one worker said.
struct Transcript {
  bool described = false;
  PluginRecord plugin;  // name, version, abi, description, signals once described
  bool load_failed = false;
  PluginState load_state = PluginState::invalid;
  std::string load_error;
  std::vector<SignalResult> results;  // first report of each declared signal, in report order
  std::vector<std::string> errors;    // plugin mistakes and stream garbage
  std::vector<std::string> logs;
  std::vector<pid_t> command_groups;  // process groups of commands the probe started
  bool done = false;
  int probe_rc = 0;

  // Applies one message; never throws, whatever it contains.
  void apply(const nlohmann::json &message);
  void add_error(std::string error);
};

}  // namespace hi::protocol
