// The worker: a process forked for one plugin. It loads the plugin, serves the
// host-services table, and streams what the plugin declares and reports to the
// parent over a pipe.
#pragma once

#include <cstdint>
#include <string>

namespace hi {

// Descriptor numbers a worker receives its plugin file and result pipe on.
inline constexpr int kWorkerPluginFd = 3;
inline constexpr int kWorkerResultFd = 4;

struct WorkerJob {
  bool probe = true;  // false: describe the plugin and exit (list, explain)
  std::string file;   // for messages
  std::string name;   // expected plugin name: the file stem
  std::string root = "/";
  std::string hermes_home;
  std::string tool_path;  // colon-separated
  uint32_t timeout_ms = 4000;
  bool verbose = false;
};

// Runs the job with the plugin on kWorkerPluginFd and the stream on
// kWorkerResultFd; never returns (the process exits, which unloads the plugin).
[[noreturn]] void worker_main(const WorkerJob &job);

}  // namespace hi
