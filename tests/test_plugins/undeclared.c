/* Reports a signal it never declared and never reports one it did. */
#include "test_plugin.h"

TEST_SIGNAL(sig_a, "test-declared-reported");
TEST_SIGNAL(sig_b, "test-declared-omitted");
static const hi_signal_desc *const signals[] = {&sig_a, &sig_b};

static int probe(const hi_host *host) {
  test_report(host, "test-never-declared", HI_STATUS_PASS, "should be refused");
  test_report(host, "test-declared-reported", HI_STATUS_FAIL, "first report");
  test_report(host, "test-declared-reported", HI_STATUS_PASS, "second report must not win");
  return 0;
}

static const hi_plugin_desc desc = {sizeof(hi_plugin_desc), HI_ABI_MAJOR, HI_ABI_MINOR, "undeclared", "0.1.0",
                                    "Reports the wrong signals", 2, signals, probe};

HI_EXPORT const hi_plugin_desc *hermes_inspect_plugin_v1(void) { return &desc; }
