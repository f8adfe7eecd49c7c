/* Calls a function no library defines. Loaded with RTLD_NOW it must fail at
 * dlopen, before any of its code runs, not later inside probe(). */
#include "test_plugin.h"

int hi_test_function_nobody_defines(void);

TEST_SIGNAL(sig, "test-undefined-fn");
static const hi_signal_desc *const signals[] = {&sig};

static int probe(const hi_host *host) {
  test_report(host, "test-undefined-fn", HI_STATUS_PASS, "must never run");
  return hi_test_function_nobody_defines();
}

static const hi_plugin_desc desc = {sizeof(hi_plugin_desc), HI_ABI_MAJOR, HI_ABI_MINOR, "undefined_fn", "0.1.0",
                                    "Needs a symbol nobody provides", 1, signals, probe};

HI_EXPORT const hi_plugin_desc *hermes_inspect_plugin_v1(void) { return &desc; }
