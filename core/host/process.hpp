// ChildProcess: a spawned program, or a forked function, in its own process
// group, stdin /dev/null, stdout and stderr on pipes, owned until reaped
// (destruction kills the group).
#pragma once

#include "status.hpp"

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <csignal>

#include <sys/types.h>

namespace hi {

struct SpawnOptions {
  std::vector<std::string> argv;  // argv[0] is the path executed
  std::vector<std::string> env;   // the complete environment, "NAME=value"
  // Instead of executing argv: run this in the forked child, then _exit(0). Only
  // from a single-threaded process, so the child inherits no lock held by a
  // thread that does not exist there. Descriptors beyond `inherit` are closed.
  std::function<void()> child_main;
  // Descriptors handed to the child: {fd in this process, fd number in the child}.
  std::vector<std::pair<int, int>> inherit;
  // Workers lower their soft RLIMIT_AS; programs they start get the hard limit back.
  bool restore_address_space = true;
  // SIGKILL the child when this process dies, so no worker outlives the survey.
  bool die_with_parent = false;
};

class ChildProcess {
 public:
  static StatusOr<ChildProcess> spawn(const SpawnOptions &options);

  ChildProcess(ChildProcess &&other) noexcept;
  ChildProcess &operator=(ChildProcess &&other) = delete;
  ChildProcess(const ChildProcess &) = delete;
  ChildProcess &operator=(const ChildProcess &) = delete;
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  // Readable once the child has exited (a pidfd); invalid on kernels without one.
  int exit_fd() const { return pidfd_.get(); }
  UniqueFd &out() { return out_; }
  UniqueFd &err() { return err_; }

  // The wait status once the child has exited, without blocking.
  std::optional<int> try_reap();
  int wait();
  bool reaped() const { return reaped_; }
  // SIGKILL to the child's whole process group (the child and what it started).
  void kill_group() const;

 private:
  ChildProcess(pid_t pid, UniqueFd pidfd, UniqueFd out, UniqueFd err)
      : pid_(pid), pidfd_(std::move(pidfd)), out_(std::move(out)), err_(std::move(err)) {}

  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
  UniqueFd pidfd_;
  UniqueFd out_;
  UniqueFd err_;
};

// Blocks SIGINT, SIGTERM and SIGHUP while it lives, so an interruption is taken
// (through signalfd, or pending() at a safe point) instead of killing the process
// between a worker's start and its cleanup, or halfway through writing a report.
class TerminationSignalBlock {
 public:
  TerminationSignalBlock();
  ~TerminationSignalBlock();
  TerminationSignalBlock(const TerminationSignalBlock &) = delete;
  TerminationSignalBlock &operator=(const TerminationSignalBlock &) = delete;

  static sigset_t signals();
  // A blocked termination signal that arrived and was not taken yet.
  static std::optional<int> pending();

 private:
  sigset_t previous_{};
};

// "exit 3", "signal 11 (SIGSEGV)" for a wait status.
std::string describe_wait_status(int wstatus);

// Short signal name, "SIGSEGV"; "signal N" when unknown.
std::string signal_name(int sig);

}  // namespace hi
