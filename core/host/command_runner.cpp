#include "command_runner.hpp"

#include "status.hpp"

#include <algorithm>
#include <array>
#include <csignal>
#include <cstring>

#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace hi {
namespace {

using Clock = std::chrono::steady_clock;

int pidfd_open(pid_t pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }

std::vector<char *> c_strings(const std::vector<std::string> &v) {
  std::vector<char *> out;
  out.reserve(v.size() + 1);
  for (const auto &s : v) out.push_back(const_cast<char *>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

// In the child between fork and exec: async-signal-safe calls only.
[[noreturn]] void exec_child(int devnull, int out_w, int err_w, int exec_w, char *const argv[],
                             char *const envp[], const rlimit &address_space) {
  ::setpgid(0, 0);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::signal(SIGPIPE, SIG_DFL);
  // A worker lowers its own soft address-space limit; tools get theirs back.
  rlimit restored{address_space.rlim_max, address_space.rlim_max};
  ::setrlimit(RLIMIT_AS, &restored);
  if (::dup2(devnull, STDIN_FILENO) < 0 || ::dup2(out_w, STDOUT_FILENO) < 0 ||
      ::dup2(err_w, STDERR_FILENO) < 0)
    ::_exit(127);
  ::execve(argv[0], argv, envp);
  const int err = errno;
  [[maybe_unused]] const auto n = ::write(exec_w, &err, sizeof err);
  ::_exit(127);
}

struct Stream {
  UniqueFd fd;
  std::string *sink;
  bool *truncated;
};

// Reads what is available; returns false at EOF or error.
bool drain(Stream &s, std::size_t cap) {
  std::array<char, 16384> buf{};
  for (;;) {
    const ssize_t n = ::read(s.fd.get(), buf.data(), buf.size());
    if (n > 0) {
      const auto room = cap > s.sink->size() ? cap - s.sink->size() : 0;
      const auto take = std::min<std::size_t>(room, static_cast<std::size_t>(n));
      s.sink->append(buf.data(), take);
      if (take < static_cast<std::size_t>(n)) *s.truncated = true;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return true;
    return false;
  }
}

int remaining_ms(Clock::time_point until) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count()) + 1;
}

void record_exit(CommandOutcome &outcome, int wstatus) {
  if (WIFEXITED(wstatus)) outcome.exit_code = WEXITSTATUS(wstatus);
  if (WIFSIGNALED(wstatus)) outcome.term_signal = WTERMSIG(wstatus);
}

}  // namespace

CommandOutcome run_command(const CommandSpec &spec) {
  CommandOutcome outcome;
  const auto start = Clock::now();
  if (spec.argv.empty()) {
    outcome.spawn_error = "empty argv";
    return outcome;
  }
  UniqueFd devnull(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  int out_pipe[2], err_pipe[2];
  if (!devnull.valid() || ::pipe2(out_pipe, O_CLOEXEC) != 0) {
    outcome.spawn_error = Status::from_errno("pipe").message();
    return outcome;
  }
  UniqueFd out_r(out_pipe[0]), out_w(out_pipe[1]);
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    outcome.spawn_error = Status::from_errno("pipe").message();
    return outcome;
  }
  UniqueFd err_r(err_pipe[0]), err_w(err_pipe[1]);

  auto argv = c_strings(spec.argv);
  auto envp = c_strings(spec.env);
  rlimit address_space{};
  ::getrlimit(RLIMIT_AS, &address_space);

  // Learn whether exec worked through a close-on-exec pipe: EOF means it did.
  int exec_pipe[2];
  if (::pipe2(exec_pipe, O_CLOEXEC) != 0) {
    outcome.spawn_error = Status::from_errno("pipe").message();
    return outcome;
  }
  UniqueFd exec_r(exec_pipe[0]), exec_w(exec_pipe[1]);

  const pid_t pid = ::fork();
  if (pid < 0) {
    outcome.spawn_error = Status::from_errno("fork").message();
    return outcome;
  }
  if (pid == 0) {
    // exec_w stays open (close-on-exec) until execve succeeds.
    exec_child(devnull.get(), out_w.get(), err_w.get(), exec_w.get(), argv.data(), envp.data(), address_space);
  }
  ::setpgid(pid, pid);  // also done in the child; whichever runs first wins the race
  if (spec.on_started) spec.on_started(pid);
  out_w.reset();
  err_w.reset();
  exec_w.reset();
  UniqueFd pidfd(pidfd_open(pid));

  std::vector<Stream> streams;
  streams.push_back({std::move(out_r), &outcome.out, &outcome.out_truncated});
  streams.push_back({std::move(err_r), &outcome.err, &outcome.err_truncated});
  for (auto &s : streams) ::fcntl(s.fd.get(), F_SETFL, O_NONBLOCK);

  const auto deadline = start + spec.timeout;
  std::optional<Clock::time_point> exited_at;
  bool reaped = false;
  int wstatus = 0;
  for (;;) {
    std::vector<pollfd> fds;
    for (auto &s : streams)
      if (s.fd.valid()) fds.push_back({s.fd.get(), POLLIN, 0});
    if (!reaped && pidfd.valid()) fds.push_back({pidfd.get(), POLLIN, 0});
    const bool pipes_open = std::any_of(streams.begin(), streams.end(),
                                        [](const Stream &s) { return s.fd.valid(); });
    if (reaped && !pipes_open) break;
    const auto until = exited_at ? std::min(deadline, *exited_at + kStrayGrace) : deadline;
    if (Clock::now() >= until) {
      if (!reaped) outcome.timed_out = true;
      break;
    }
    // Without a pidfd (very old kernels) fall back to polling the child.
    const int wait_ms = pidfd.valid() || reaped ? remaining_ms(until) : std::min(remaining_ms(until), 10);
    const int n = ::poll(fds.data(), fds.size(), wait_ms);
    if (n < 0 && errno != EINTR) break;
    for (auto &s : streams) {
      if (!s.fd.valid()) continue;
      if (!drain(s, spec.max_output)) s.fd.reset();
    }
    if (!reaped && ::waitpid(pid, &wstatus, WNOHANG) == pid) {
      reaped = true;
      exited_at = Clock::now();
      record_exit(outcome, wstatus);
    }
  }

  ::kill(-pid, SIGKILL);  // the timed-out command, or strays it left behind
  if (!reaped) {
    while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
    }
    if (!outcome.timed_out) record_exit(outcome, wstatus);
  }
  for (auto &s : streams)
    if (s.fd.valid()) drain(s, spec.max_output);

  int exec_errno = 0;
  if (::read(exec_r.get(), &exec_errno, sizeof exec_errno) == sizeof exec_errno)
    outcome.spawn_error = Status::from_errno("exec " + spec.argv[0], exec_errno).message();
  outcome.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  return outcome;
}

std::optional<std::string> find_executable(const std::string &name,
                                           const std::vector<std::string> &dirs) {
  if (name.empty()) return std::nullopt;
  if (name.find('/') != std::string::npos) {
    if (::access(name.c_str(), X_OK) == 0) return name;
    return std::nullopt;
  }
  for (const auto &dir : dirs) {
    std::string candidate = dir + "/" + name;
    struct stat st {};
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0)
      return candidate;
  }
  return std::nullopt;
}

std::vector<std::string> split_path_list(const std::string &list) {
  std::vector<std::string> out;
  std::size_t begin = 0;
  while (begin <= list.size()) {
    const auto end = list.find(':', begin);
    const auto piece = list.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
    if (!piece.empty()) out.push_back(piece);
    if (end == std::string::npos) break;
    begin = end + 1;
  }
  return out;
}

}  // namespace hi
