/* Blocks forever without using the CPU. */
#include "test_plugin.h"

#include <unistd.h>

TEST_SIGNAL(sig, "test-hang");
static const hi_signal_desc *const signals[] = {&sig};

static int probe(const hi_host *host) {
  (void)host;
  for (;;) pause();
  return 0;
}

static const hi_plugin_desc desc = {sizeof(hi_plugin_desc), HI_ABI_MAJOR, HI_ABI_MINOR, "hang", "0.1.0",
                                    "Hangs forever", 1, signals, probe};

HI_EXPORT const hi_plugin_desc *hermes_inspect_plugin_v1(void) { return &desc; }
