/* Reports one of its signals, then dereferences NULL. */
#include "test_plugin.h"

TEST_SIGNAL(sig_a, "test-crash-reported");
TEST_SIGNAL(sig_b, "test-crash");
static const hi_signal_desc *const signals[] = {&sig_a, &sig_b};

static int probe(const hi_host *host) {
  test_report(host, "test-crash-reported", HI_STATUS_PASS, "reported before the crash");
  /* An unmapped address that is not NULL: a real SIGSEGV even under UBSan's null checks. */
  volatile int *volatile nowhere = (volatile int *)16;
  *nowhere = 1;
  return 0;
}

static const hi_plugin_desc desc = {sizeof(hi_plugin_desc), HI_ABI_MAJOR, HI_ABI_MINOR, "crash", "0.1.0",
                                    "Segfaults while probing", 2, signals, probe};

HI_EXPORT const hi_plugin_desc *hermes_inspect_plugin_v1(void) { return &desc; }
