#include "process.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace hi {
namespace {

// Descriptors are moved above this before fork so dup2 onto 3, 4, ... never
// clobbers a source that is still to be copied.
constexpr int kHighFd = 64;

std::vector<char *> c_strings(const std::vector<std::string> &v) {
  std::vector<char *> out;
  out.reserve(v.size() + 1);
  for (const auto &s : v) out.push_back(const_cast<char *>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

struct ChildSetup {
  int devnull;
  int out_w;
  int err_w;
  int exec_w;
  const std::vector<std::pair<int, int>> *inherit;
  bool restore_address_space;
  bool die_with_parent;
  pid_t parent;
  rlimit address_space;
};

// Between fork and exec: async-signal-safe calls only.
[[noreturn]] void start_child(const ChildSetup &s, const std::function<void()> &child_main, char *const argv[],
                              char *const envp[]) {
  ::setpgid(0, 0);
  if (s.die_with_parent) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != s.parent) ::_exit(127);
  }
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::signal(SIGPIPE, SIG_DFL);
  ::signal(SIGINT, SIG_DFL);
  ::signal(SIGTERM, SIG_DFL);
  if (s.restore_address_space) {
    const rlimit restored{s.address_space.rlim_max, s.address_space.rlim_max};
    ::setrlimit(RLIMIT_AS, &restored);
  }
  if (::dup2(s.devnull, STDIN_FILENO) < 0 || ::dup2(s.out_w, STDOUT_FILENO) < 0 ||
      ::dup2(s.err_w, STDERR_FILENO) < 0)
    ::_exit(127);
  int highest = STDERR_FILENO;
  for (const auto &[from, to] : *s.inherit) {
    if (::dup2(from, to) < 0) ::_exit(127);
    highest = std::max(highest, to);
  }
  if (child_main) {
    ::close_range(static_cast<unsigned>(highest) + 1, ~0U, 0);
    child_main();
    ::_exit(0);
  }
  ::execve(argv[0], argv, envp);
  const int err = errno;
  [[maybe_unused]] const auto n = ::write(s.exec_w, &err, sizeof err);
  ::_exit(127);
}

StatusOr<std::pair<UniqueFd, UniqueFd>> make_pipe() {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return Status::from_errno("pipe");
  return std::make_pair(UniqueFd(p[0]), UniqueFd(p[1]));
}

}  // namespace

StatusOr<ChildProcess> ChildProcess::spawn(const SpawnOptions &options) {
  if (options.argv.empty() && !options.child_main) return Status::failure("spawn: empty argv");
  UniqueFd devnull(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  if (!devnull.valid()) return Status::from_errno("open /dev/null");
  auto out = make_pipe();
  auto err = make_pipe();
  auto exec_status = make_pipe();
  if (!out) return out.status();
  if (!err) return err.status();
  if (!exec_status) return exec_status.status();

  std::vector<UniqueFd> moved;
  std::vector<std::pair<int, int>> inherit;
  for (const auto &[from, to] : options.inherit) {
    UniqueFd high(::fcntl(from, F_DUPFD_CLOEXEC, kHighFd));
    if (!high.valid()) return Status::from_errno("dup");
    inherit.emplace_back(high.get(), to);
    moved.push_back(std::move(high));
  }

  auto argv = c_strings(options.argv);
  auto envp = c_strings(options.env);
  ChildSetup setup{devnull.get(),       out->second.get(),       err->second.get(),
                   exec_status->second.get(), &inherit,          options.restore_address_space,
                   options.die_with_parent, ::getpid(),          {}};
  ::getrlimit(RLIMIT_AS, &setup.address_space);

  const pid_t pid = ::fork();
  if (pid < 0) return Status::from_errno("fork");
  if (pid == 0) start_child(setup, options.child_main, argv.data(), envp.data());

  ::setpgid(pid, pid);  // also done in the child; whichever runs first wins the race
  UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  ChildProcess child(pid, std::move(pidfd), std::move(out->first), std::move(err->first));
  exec_status->second.reset();
  if (options.child_main) return child;  // nothing is executed, so nothing to wait for
  int exec_errno = 0;
  ssize_t n;
  while ((n = ::read(exec_status->first.get(), &exec_errno, sizeof exec_errno)) < 0 &&
         errno == EINTR) {
  }
  if (n == static_cast<ssize_t>(sizeof exec_errno))
    return Status::from_errno("exec " + options.argv[0], exec_errno);
  return child;
}

ChildProcess::ChildProcess(ChildProcess &&other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      reaped_(other.reaped_),
      status_(other.status_),
      pidfd_(std::move(other.pidfd_)),
      out_(std::move(other.out_)),
      err_(std::move(other.err_)) {}

ChildProcess::~ChildProcess() {
  if (pid_ <= 0 || reaped_) return;
  kill_group();
  wait();
}

std::optional<int> ChildProcess::try_reap() {
  if (reaped_) return status_;
  int st = 0;
  const pid_t r = ::waitpid(pid_, &st, WNOHANG);
  if (r != pid_) return std::nullopt;
  reaped_ = true;
  status_ = st;
  return st;
}

int ChildProcess::wait() {
  if (reaped_) return status_;
  int st = 0;
  while (::waitpid(pid_, &st, 0) < 0) {
    if (errno != EINTR) break;
  }
  reaped_ = true;
  status_ = st;
  return st;
}

void ChildProcess::kill_group() const {
  if (pid_ > 0) ::kill(-pid_, SIGKILL);
}

TerminationSignalBlock::TerminationSignalBlock() {
  const sigset_t set = signals();
  ::sigprocmask(SIG_BLOCK, &set, &previous_);
}

TerminationSignalBlock::~TerminationSignalBlock() { ::sigprocmask(SIG_SETMASK, &previous_, nullptr); }

sigset_t TerminationSignalBlock::signals() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&set, sig);
  return set;
}

std::optional<int> TerminationSignalBlock::pending() {
  sigset_t set;
  if (::sigpending(&set) != 0) return std::nullopt;
  for (int sig : {SIGINT, SIGTERM, SIGHUP})
    if (sigismember(&set, sig)) return sig;
  return std::nullopt;
}

std::string signal_name(int sig) {
  const char *abbrev = ::sigabbrev_np(sig);
  return abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
}

std::string describe_wait_status(int wstatus) {
  if (WIFEXITED(wstatus)) return "exit " + std::to_string(WEXITSTATUS(wstatus));
  if (WIFSIGNALED(wstatus)) return signal_name(WTERMSIG(wstatus));
  return "status " + std::to_string(wstatus);
}

}  // namespace hi
