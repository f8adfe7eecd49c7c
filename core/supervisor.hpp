// Isolation: forks one worker process per plugin from this single-threaded
// process, all in parallel (up to `jobs`), each in its own process group under a
// deadline, and turns whatever each worker did (finished, crashed, hung,
// spewed) into records and results. Plugin code only ever runs in a worker.
#pragma once

#include "discovery.hpp"
#include "model.hpp"
#include "worker.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace hi {

struct SupervisorOptions {
  WorkerJob job_template;       // settings every worker gets (file and name are filled in)
  std::chrono::milliseconds deadline{6000};  // per plugin, from its start
  unsigned jobs = 0;            // plugins at once; 0: all
};

struct PluginRun {
  PluginRecord record;               // state and error final
  std::vector<SignalResult> results; // reported signals only
  bool described = false;
};

struct SupervisorResult {
  std::vector<PluginRun> runs;       // one per candidate, in candidate order
  std::optional<int> interrupted_by; // SIGINT/SIGTERM/SIGHUP: workers were killed
};

// Takes SIGINT, SIGTERM and SIGHUP for the duration and reacts to them by
// killing every worker and every command a worker started.
SupervisorResult run_workers(std::vector<PluginCandidate> &candidates, const SupervisorOptions &options);

// The signals of a survey: every declared signal of every described plugin
// exactly once (the first plugin in search order owns an id), unreported ones
// turned into skip with the reason.
std::vector<SignalResult> collect_signals(std::vector<PluginRun> &runs);

}  // namespace hi
