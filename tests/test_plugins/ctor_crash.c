/* Crashes in a static constructor, i.e. inside dlopen. */
#include "test_plugin.h"

#include <signal.h>

__attribute__((constructor)) static void explode(void) { raise(SIGSEGV); }

TEST_SIGNAL(sig, "test-ctor-crash");
static const hi_signal_desc *const signals[] = {&sig};

static int probe(const hi_host *host) {
  (void)host;
  return 0;
}

static const hi_plugin_desc desc = {sizeof(hi_plugin_desc), HI_ABI_MAJOR, HI_ABI_MINOR, "ctor_crash", "0.1.0",
                                    "Crashes while loading", 1, signals, probe};

HI_EXPORT const hi_plugin_desc *hermes_inspect_plugin_v1(void) { return &desc; }
