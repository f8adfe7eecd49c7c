// The one way hermes-inspect runs an external command: argv without a shell,
// a given environment, stdin /dev/null, its own process group, a timeout that
// kills the group, capped output, and no waiting on strays that keep a pipe open.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace hi {

struct CommandSpec {
  std::vector<std::string> argv;  // argv[0] is a path; see find_executable
  std::vector<std::string> env;   // the complete environment, "NAME=value"
  std::chrono::milliseconds timeout{4000};
  std::size_t max_output = 1 << 20;  // per stream; the rest is read and dropped
  // Called in the caller with the command's process group right after it
  // starts, so a supervisor can kill it if the caller itself is killed.
  std::function<void(pid_t)> on_started;
};

struct CommandOutcome {
  std::optional<std::string> spawn_error;  // set when nothing ran
  int exit_code = -1;
  int term_signal = 0;
  bool timed_out = false;
  std::string out;
  std::string err;
  bool out_truncated = false;
  bool err_truncated = false;
  std::chrono::milliseconds elapsed{0};
};

// After the command's own process exits, how long output from processes it left
// behind is still collected before its process group is killed.
inline constexpr std::chrono::milliseconds kStrayGrace{150};

CommandOutcome run_command(const CommandSpec &spec);

// The first executable `name` in dirs, or nothing. A name containing '/' is
// returned as it is when it is executable.
std::optional<std::string> find_executable(const std::string &name,
                                           const std::vector<std::string> &dirs);

// The directories of a colon-separated list, empty entries dropped.
std::vector<std::string> split_path_list(const std::string &list);

}  // namespace hi
