/* Behaves: declares two signals, runs one command through the host, reports both. */
#include "test_plugin.h"

#include <stdio.h>
#include <string.h>

TEST_SIGNAL(sig_good, "test-good");
TEST_SIGNAL(sig_echo, "test-echo");
static const hi_signal_desc *const signals[] = {&sig_good, &sig_echo};

static int probe(const hi_host *host) {
  const char *argv[] = {"echo", "hello from echo", NULL};
  hi_command cmd = {sizeof(hi_command), argv, 0, 0};
  hi_command_result res;
  memset(&res, 0, sizeof res);
  res.struct_size = sizeof res;
  char detail[256];
  if (host->run(host->ctx, &cmd, &res) != HI_OK) {
    test_report(host, "test-echo", HI_STATUS_WARN, host->last_error(host->ctx));
  } else if (res.not_found) {
    test_report(host, "test-echo", HI_STATUS_SKIP, "echo not installed");
  } else {
    snprintf(detail, sizeof detail, "exit %d: %.*s", res.exit_code, (int)strcspn(res.stdout_data, "\n"),
             res.stdout_data);
    test_report(host, "test-echo", HI_STATUS_PASS, detail);
  }
  test_report(host, "test-good", HI_STATUS_PASS, "all good");
  return 0;
}

static const hi_plugin_desc desc = {sizeof(hi_plugin_desc), HI_ABI_MAJOR, HI_ABI_MINOR, "good", "1.2.3",
                                    "A plugin that behaves", 2, signals, probe};

HI_EXPORT const hi_plugin_desc *hermes_inspect_plugin_v1(void) { return &desc; }
