/* Peak resident memory of a command, split by kind of process: the command
 * itself (the parent), its descendants running the same executable (workers),
 * and every other descendant (the tools they run).
 *
 * GNU time's %M cannot split them: the kernel folds the largest reaped
 * descendant into the ru_maxrss that wait4 returns for the child. So every
 * process of the tree is traced, and its VmHWM read at its exit event, while its
 * memory still exists. Tracing slows the command down: use it for memory only,
 * never for timing.
 *
 * Usage: peak_rss RESULT_FILE /ABSOLUTE/COMMAND [ARG...]
 * Appends "PARENT_KIB WORKER_KIB TOOL_KIB WORKERS TOOLS EXIT" to RESULT_FILE:
 * the peaks in KiB (0 when no such process), how many workers and tools exited,
 * and the command's exit status (128+N for signal N). Exits 0 when it measured. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

struct peaks {
  long parent_kib;
  long worker_kib;
  long tool_kib;
  int workers;
  int tools;
};

struct exiting {
  long hwm_kib;
  int thread; /* a thread other than the main one: its memory is its process's */
};

static struct exiting read_status(pid_t tid) {
  struct exiting e = {0, 0};
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/status", (int)tid);
  FILE *f = fopen(path, "r");
  if (!f) return e;
  char line[256];
  int tgid = 0;
  while (fgets(line, sizeof line, f)) {
    if (sscanf(line, "Tgid: %d", &tgid) == 1) e.thread = tgid != tid;
    if (sscanf(line, "VmHWM: %ld kB", &e.hwm_kib) == 1) break;
  }
  fclose(f);
  return e;
}

static int same_executable(pid_t pid, const char *exe) {
  char path[64];
  char target[PATH_MAX];
  snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
  const ssize_t n = readlink(path, target, sizeof target - 1);
  if (n < 0) return 0;
  target[n] = '\0';
  return strcmp(target, exe) == 0;
}

static long max_long(long a, long b) { return a > b ? a : b; }

static void record_exit(struct peaks *p, pid_t tid, pid_t root, const char *exe) {
  const struct exiting e = read_status(tid);
  if (e.thread) return;
  if (tid == root) {
    p->parent_kib = max_long(p->parent_kib, e.hwm_kib);
  } else if (same_executable(tid, exe)) {
    p->worker_kib = max_long(p->worker_kib, e.hwm_kib);
    ++p->workers;
  } else {
    p->tool_kib = max_long(p->tool_kib, e.hwm_kib);
    ++p->tools;
  }
}

/* What to deliver when resuming a stopped tracee: nothing for ptrace's own
 * stops, the signal itself for a real signal. */
static int signal_to_deliver(int status) {
  const int sig = WSTOPSIG(status);
  if (status >> 16 != 0) return 0;            /* fork, clone or exit event */
  if (sig == SIGSTOP || sig == SIGTRAP) return 0; /* a new tracee's first stop; exec's trap */
  return sig;
}

static int exit_code(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

int main(int argc, char **argv) {
  if (argc < 3 || argv[2][0] != '/') {
    fprintf(stderr, "usage: %s RESULT_FILE /ABSOLUTE/COMMAND [ARG...]\n", argv[0]);
    return 2;
  }
  char exe[PATH_MAX];
  if (!realpath(argv[2], exe)) {
    perror(argv[2]);
    return 2;
  }
  const pid_t root = fork();
  if (root < 0) {
    perror("fork");
    return 1;
  }
  if (root == 0) {
    if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) != 0) _exit(126);
    raise(SIGSTOP);
    execv(argv[2], argv + 2);
    _exit(127);
  }
  int status = 0;
  if (waitpid(root, &status, 0) != root || !WIFSTOPPED(status)) {
    fprintf(stderr, "peak_rss: cannot trace %s (ptrace not permitted?)\n", argv[2]);
    return 1;
  }
  const long options = PTRACE_O_TRACEEXIT | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
                       PTRACE_O_EXITKILL;
  if (ptrace(PTRACE_SETOPTIONS, root, NULL, (void *)options) != 0 || ptrace(PTRACE_CONT, root, NULL, NULL) != 0) {
    perror("peak_rss: ptrace");
    kill(root, SIGKILL);
    return 1;
  }

  struct peaks peaks = {0, 0, 0, 0, 0};
  int root_status = -1;
  for (;;) {
    const pid_t pid = waitpid(-1, &status, __WALL);
    if (pid < 0) {
      if (errno == EINTR) continue;
      break; /* ECHILD: the whole tree is gone */
    }
    if (WIFEXITED(status) || WIFSIGNALED(status)) {
      if (pid == root) root_status = status;
      continue;
    }
    if (!WIFSTOPPED(status)) continue;
    if (status >> 16 == PTRACE_EVENT_EXIT) record_exit(&peaks, pid, root, exe);
    ptrace(PTRACE_CONT, pid, NULL, (void *)(long)signal_to_deliver(status));
  }

  FILE *out = fopen(argv[1], "a");
  if (!out) {
    perror(argv[1]);
    return 1;
  }
  fprintf(out, "%ld %ld %ld %d %d %d\n", peaks.parent_kib, peaks.worker_kib, peaks.tool_kib, peaks.workers,
          peaks.tools, exit_code(root_status));
  return fclose(out) == 0 ? 0 : 1;
}
