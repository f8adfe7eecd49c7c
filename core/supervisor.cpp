#include "supervisor.hpp"

#include "process.hpp"
#include "protocol.hpp"

#include <algorithm>
#include <array>
#include <csignal>
#include <list>
#include <map>

#include <fcntl.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

namespace hi {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kKeptOutput = 4096;

struct Worker {
  std::size_t index;  // into candidates / runs
  ChildProcess process;
  UniqueFd results;
  Clock::time_point started;
  Clock::time_point deadline;
  protocol::LineParser parser;
  protocol::Transcript transcript;
  std::string output;  // the worker's stdout+stderr, first kKeptOutput bytes
  std::size_t output_dropped = 0;
  bool timed_out = false;
  std::optional<int> wait_status;
};

StatusOr<Worker> start_worker(std::size_t index, PluginCandidate &candidate, const SupervisorOptions &options) {
  WorkerJob job = options.job_template;
  job.file = candidate.record.file;
  job.name = candidate.record.name;
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return Status::from_errno("pipe");
  UniqueFd read_end(p[0]), write_end(p[1]);
  SpawnOptions spawn;
  spawn.child_main = [job] { worker_main(job); };
  spawn.inherit = {{candidate.fd.get(), kWorkerPluginFd}, {write_end.get(), kWorkerResultFd}};
  spawn.restore_address_space = false;
  spawn.die_with_parent = true;
  auto child = ChildProcess::spawn(spawn);
  if (!child) return child.status();
  const auto now = Clock::now();
  Worker w{index, std::move(*child), std::move(read_end), now, now + options.deadline, {}, {}, {}, 0,
           false, std::nullopt};
  for (int fd : {w.results.get(), w.process.out().get(), w.process.err().get()})
    ::fcntl(fd, F_SETFL, O_NONBLOCK);
  return w;
}

// Reads what is there; false at EOF.
template <typename Sink>
bool read_available(UniqueFd &fd, Sink &&sink) {
  std::array<char, 65536> buf;  // not zeroed: read() fills what is used
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf.data(), buf.size());
    if (n > 0) {
      sink(std::string_view(buf.data(), static_cast<std::size_t>(n)));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return true;
    fd.reset();
    return false;
  }
}

void pump(Worker &w) {
  if (w.results.valid()) {
    read_available(w.results, [&](std::string_view bytes) {
      std::vector<nlohmann::json> messages;
      std::vector<std::string> errors;
      w.parser.feed(bytes, messages, errors);
      for (const auto &m : messages) w.transcript.apply(m);
      for (auto &e : errors) w.transcript.add_error(std::move(e));
    });
  }
  for (UniqueFd *fd : {&w.process.out(), &w.process.err()}) {
    if (!fd->valid()) continue;
    read_available(*fd, [&](std::string_view bytes) {
      const auto room = kKeptOutput > w.output.size() ? kKeptOutput - w.output.size() : 0;
      w.output.append(bytes.substr(0, room));
      w.output_dropped += bytes.size() - std::min(room, bytes.size());
    });
  }
}

void kill_worker(Worker &w) {
  w.process.kill_group();
  for (pid_t group : w.transcript.command_groups) ::kill(-group, SIGKILL);
}

std::string seconds(std::chrono::milliseconds ms) {
  const auto count = ms.count();
  if (count % 1000 == 0) return std::to_string(count / 1000) + "s";
  return std::to_string(count / 1000) + "." + std::to_string((count % 1000) / 100) + "s";
}

PluginRun conclude(Worker &w, PluginCandidate &candidate, const SupervisorOptions &options) {
  auto &t = w.transcript;
  std::vector<std::string> errors;
  w.parser.finish(errors);
  for (auto &e : errors) t.add_error(std::move(e));

  PluginRun run;
  run.record = candidate.record;
  run.described = t.described;
  if (t.described) {
    run.record.version = t.plugin.version;
    run.record.abi = t.plugin.abi;
    run.record.description = t.plugin.description;
    run.record.signals = t.plugin.signals;
  }
  run.record.duration_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - w.started).count();
  run.record.diagnostics = t.logs;
  if (!w.output.empty())
    run.record.diagnostics.push_back("output: " + w.output +
                                     (w.output_dropped ? " (+" + std::to_string(w.output_dropped) + " bytes dropped)" : ""));
  run.results = std::move(t.results);

  std::string problem;
  if (w.timed_out) {
    run.record.state = PluginState::timed_out;
    problem = "plugin timed out after " + seconds(options.deadline);
  } else if (t.load_failed) {
    run.record.state = t.load_state;
    problem = t.load_error;
  } else if (w.wait_status && WIFSIGNALED(*w.wait_status)) {
    run.record.state = PluginState::crashed;
    problem = "plugin crashed (" + signal_name(WTERMSIG(*w.wait_status)) + ")";
  } else if (!t.done && options.job_template.probe) {
    run.record.state = PluginState::crashed;
    problem = "plugin exited (" + describe_wait_status(w.wait_status.value_or(0)) + ") before finishing its probe";
  } else if (!t.described) {
    run.record.state = PluginState::invalid;
    problem = "worker ended without describing the plugin";
  }
  if (!problem.empty()) t.errors.insert(t.errors.begin(), problem);
  if (!t.errors.empty()) {
    std::string joined;
    for (const auto &e : t.errors) joined += (joined.empty() ? "" : "; ") + e;
    run.record.error = joined;
  }
  return run;
}

}  // namespace

SupervisorResult run_workers(std::vector<PluginCandidate> &candidates, const SupervisorOptions &options) {
  SupervisorResult result;
  result.runs.resize(candidates.size());
  std::vector<std::size_t> pending;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (candidates[i].record.state == PluginState::ok && candidates[i].fd.valid())
      pending.push_back(i);
    else
      result.runs[i].record = candidates[i].record;
  }
  std::reverse(pending.begin(), pending.end());  // pop_back takes them in search order

  const TerminationSignalBlock blocked;
  const sigset_t termination = TerminationSignalBlock::signals();
  UniqueFd signals(::signalfd(-1, &termination, SFD_CLOEXEC | SFD_NONBLOCK));
  const std::size_t limit = options.jobs == 0 ? candidates.size() : options.jobs;
  std::list<Worker> active;  // erased from the middle; a Worker is not assignable

  while (!pending.empty() || !active.empty()) {
    while (!pending.empty() && active.size() < limit) {
      const std::size_t i = pending.back();
      pending.pop_back();
      auto w = start_worker(i, candidates[i], options);
      if (!w) {
        result.runs[i].record = candidates[i].record;
        result.runs[i].record.state = PluginState::crashed;
        result.runs[i].record.error = "could not start worker: " + w.error();
        continue;
      }
      active.push_back(std::move(*w));
    }
    if (active.empty()) break;

    std::vector<pollfd> fds;
    if (signals.valid()) fds.push_back({signals.get(), POLLIN, 0});
    auto nearest = Clock::time_point::max();
    for (auto &w : active) {
      for (int fd : {w.results.get(), w.process.out().get(), w.process.err().get()})
        if (fd >= 0) fds.push_back({fd, POLLIN, 0});
      if (w.process.exit_fd() >= 0) fds.push_back({w.process.exit_fd(), POLLIN, 0});
      nearest = std::min(nearest, w.deadline);
    }
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(nearest - Clock::now()).count();
    ::poll(fds.data(), fds.size(), static_cast<int>(std::clamp<int64_t>(wait + 1, 0, 100000)));

    if (signals.valid()) {
      signalfd_siginfo info{};
      if (::read(signals.get(), &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
        for (auto &w : active) kill_worker(w);
        result.interrupted_by = static_cast<int>(info.ssi_signo);
        active.clear();  // ChildProcess reaps each killed worker
        break;
      }
    }

    const auto now = Clock::now();
    for (auto it = active.begin(); it != active.end();) {
      Worker &w = *it;
      pump(w);
      if (!w.wait_status) w.wait_status = w.process.try_reap();
      if (!w.wait_status && now >= w.deadline) {
        w.timed_out = true;
        kill_worker(w);
        w.wait_status = w.process.wait();
      }
      if (!w.wait_status) {
        ++it;
        continue;
      }
      pump(w);  // what it wrote before exiting is still in the pipes
      kill_worker(w);  // strays the plugin left running
      result.runs[w.index] = conclude(w, candidates[w.index], options);
      it = active.erase(it);
    }
  }
  return result;
}

std::vector<SignalResult> collect_signals(std::vector<PluginRun> &runs) {
  std::vector<SignalResult> signals;
  std::map<std::string, std::string> owner;
  for (auto &run : runs) {
    if (!run.described) continue;
    const std::string problem = run.record.state == PluginState::ok ? "" : run.record.error.value_or("");
    for (const auto &info : run.record.signals) {
      if (auto o = owner.find(info.id); o != owner.end()) {
        const std::string clash = "signal " + info.id + " is already provided by " + o->second + "; ignored here";
        run.record.error = run.record.error ? *run.record.error + "; " + clash : clash;
        continue;
      }
      owner.emplace(info.id, run.record.file);
      auto reported = std::find_if(run.results.begin(), run.results.end(),
                                   [&](const SignalResult &r) { return r.name == info.id; });
      if (reported != run.results.end()) {
        signals.push_back(*reported);
        continue;
      }
      SignalResult skipped;
      skipped.name = info.id;
      skipped.status = SignalStatus::skip;
      // The first clause of the error is the worker's fate ("plugin crashed (SIGSEGV)").
      skipped.detail = problem.empty() ? "probe did not report" : problem.substr(0, problem.find("; "));
      skipped.plugin = run.record.name;
      skipped.duration_ms = run.record.duration_ms;
      signals.push_back(std::move(skipped));
    }
  }
  sort_signals(signals);
  return signals;
}

}  // namespace hi
