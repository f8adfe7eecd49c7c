#include "command_runner.hpp"

#include "process.hpp"

#include <algorithm>
#include <array>
#include <cerrno>

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace hi {
namespace {

using Clock = std::chrono::steady_clock;

struct Stream {
  UniqueFd *fd;
  std::string *sink;
  bool *truncated;
};

// Reads what is available; false at EOF or error.
bool drain(Stream &s, std::size_t cap) {
  std::array<char, 16384> buf;  // not zeroed: read() fills what is used
  for (;;) {
    const ssize_t n = ::read(s.fd->get(), buf.data(), buf.size());
    if (n > 0) {
      const auto room = cap > s.sink->size() ? cap - s.sink->size() : 0;
      const auto take = std::min<std::size_t>(room, static_cast<std::size_t>(n));
      s.sink->append(buf.data(), take);
      if (take < static_cast<std::size_t>(n)) *s.truncated = true;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return n < 0 && errno == EAGAIN;
  }
}

int poll_ms(Clock::time_point until) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(left.count()) + 1;
}

void record_exit(CommandOutcome &outcome, int wstatus) {
  if (WIFEXITED(wstatus)) outcome.exit_code = WEXITSTATUS(wstatus);
  if (WIFSIGNALED(wstatus)) outcome.term_signal = WTERMSIG(wstatus);
}

}  // namespace

CommandOutcome run_command(const CommandSpec &spec) {
  CommandOutcome outcome;
  const auto start = Clock::now();
  SpawnOptions options;
  options.argv = spec.argv;
  options.env = spec.env;
  auto child = ChildProcess::spawn(options);
  if (!child) {
    outcome.spawn_error = child.error();
    return outcome;
  }
  if (spec.on_started) spec.on_started(child->pid());

  std::array<Stream, 2> streams{Stream{&child->out(), &outcome.out, &outcome.out_truncated},
                                Stream{&child->err(), &outcome.err, &outcome.err_truncated}};
  for (auto &s : streams) ::fcntl(s.fd->get(), F_SETFL, O_NONBLOCK);

  const auto deadline = start + spec.timeout;
  Clock::time_point until = deadline;
  for (;;) {
    const bool pipes_open =
        std::any_of(streams.begin(), streams.end(), [](const Stream &s) { return s.fd->valid(); });
    if (child->reaped() && !pipes_open) break;
    if (Clock::now() >= until) {
      outcome.timed_out = !child->reaped();
      break;
    }
    std::vector<pollfd> fds;
    for (auto &s : streams)
      if (s.fd->valid()) fds.push_back({s.fd->get(), POLLIN, 0});
    const bool watch_exit = !child->reaped() && child->exit_fd() >= 0;
    if (watch_exit) fds.push_back({child->exit_fd(), POLLIN, 0});
    // Without a pidfd (kernels before 5.3) the exit is noticed by polling.
    const int wait_ms = watch_exit || child->reaped() ? poll_ms(until) : std::min(poll_ms(until), 10);
    if (::poll(fds.data(), fds.size(), wait_ms) < 0 && errno != EINTR) break;
    for (auto &s : streams)
      if (s.fd->valid() && !drain(s, spec.max_output)) s.fd->reset();
    if (!child->reaped()) {
      if (auto st = child->try_reap()) {
        record_exit(outcome, *st);
        // Strays that inherited the pipes get a short grace, not the full timeout.
        until = std::min(deadline, Clock::now() + kStrayGrace);
      }
    }
  }

  child->kill_group();  // the timed-out command, or strays it left behind
  if (!child->reaped()) {
    const int st = child->wait();
    if (!outcome.timed_out) record_exit(outcome, st);
  }
  for (auto &s : streams)
    if (s.fd->valid()) drain(s, spec.max_output);
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
    auto piece = list.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
    if (!piece.empty()) out.push_back(std::move(piece));
    if (end == std::string::npos) break;
    begin = end + 1;
  }
  return out;
}

}  // namespace hi
