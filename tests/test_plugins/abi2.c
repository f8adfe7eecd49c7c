/* Claims ABI major 2, which this core does not speak. */
#include "test_plugin.h"

TEST_SIGNAL(sig, "test-abi2");
static const hi_signal_desc *const signals[] = {&sig};

static int probe(const hi_host *host) {
  test_report(host, "test-abi2", HI_STATUS_PASS, "must never run");
  return 0;
}

static const hi_plugin_desc desc = {sizeof(hi_plugin_desc), 2, 0, "abi2", "0.1.0", "ABI major 2", 1, signals,
                                    probe};

HI_EXPORT const hi_plugin_desc *hermes_inspect_plugin_v1(void) { return &desc; }
