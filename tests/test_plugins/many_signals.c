/* Declares 100,000 signals, far above the limit. */
#include "test_plugin.h"

TEST_SIGNAL(sig, "test-many");
static const hi_signal_desc *signals[100000];

static int probe(const hi_host *host) {
  (void)host;
  return 0;
}

static const hi_plugin_desc desc = {sizeof(hi_plugin_desc), HI_ABI_MAJOR, HI_ABI_MINOR, "many_signals", "0.1.0",
                                    "Too many signals", 100000, (const hi_signal_desc *const *)signals, probe};

HI_EXPORT const hi_plugin_desc *hermes_inspect_plugin_v1(void) {
  for (int i = 0; i < 100000; ++i) signals[i] = &sig;
  return &desc;
}
