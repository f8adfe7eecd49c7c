/* Spins on the CPU forever. */
#include "test_plugin.h"

TEST_SIGNAL(sig, "test-spin");
static const hi_signal_desc *const signals[] = {&sig};

static int probe(const hi_host *host) {
  (void)host;
  volatile unsigned long n = 0;
  for (;;) ++n;
  return 0;
}

static const hi_plugin_desc desc = {sizeof(hi_plugin_desc), HI_ABI_MAJOR, HI_ABI_MINOR, "spin", "0.1.0",
                                    "Spins forever", 1, signals, probe};

HI_EXPORT const hi_plugin_desc *hermes_inspect_plugin_v1(void) { return &desc; }
