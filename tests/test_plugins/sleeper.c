/* Runs hi-test-sleeper (a fake tool the test puts on --tool-path) and waits. */
#include "test_plugin.h"

#include <string.h>

TEST_SIGNAL(sig, "test-sleeper");
static const hi_signal_desc *const signals[] = {&sig};

static int probe(const hi_host *host) {
  const char *argv[] = {"hi-test-sleeper", NULL};
  hi_command cmd = {sizeof(hi_command), argv, 0, 0};
  hi_command_result res;
  memset(&res, 0, sizeof res);
  res.struct_size = sizeof res;
  host->run(host->ctx, &cmd, &res);
  test_report(host, "test-sleeper", res.timed_out ? HI_STATUS_SKIP : HI_STATUS_PASS,
              res.timed_out ? "command timed out" : "command finished");
  return 0;
}

static const hi_plugin_desc desc = {sizeof(hi_plugin_desc), HI_ABI_MAJOR, HI_ABI_MINOR, "sleeper", "0.1.0",
                                    "Runs a slow command", 1, signals, probe};

HI_EXPORT const hi_plugin_desc *hermes_inspect_plugin_v1(void) { return &desc; }
