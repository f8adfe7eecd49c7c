/* Allocates and touches memory without bound. */
#include "test_plugin.h"

#include <stdlib.h>
#include <string.h>

TEST_SIGNAL(sig, "test-hog");
static const hi_signal_desc *const signals[] = {&sig};

static int probe(const hi_host *host) {
  for (;;) {
    char *p = malloc(64u << 20);
    if (!p) {
      test_report(host, "test-hog", HI_STATUS_WARN, "allocation refused");
      return 0;
    }
    memset(p, 1, 64u << 20);
  }
}

static const hi_plugin_desc desc = {sizeof(hi_plugin_desc), HI_ABI_MAJOR, HI_ABI_MINOR, "hog", "0.1.0",
                                    "Allocates without bound", 1, signals, probe};

HI_EXPORT const hi_plugin_desc *hermes_inspect_plugin_v1(void) { return &desc; }
