/* Writes 64 MiB of binary garbage to stdout and stderr, then reports normally. */
#include "test_plugin.h"

#include <string.h>
#include <unistd.h>

TEST_SIGNAL(sig, "test-flood");
static const hi_signal_desc *const signals[] = {&sig};

static int probe(const hi_host *host) {
  char junk[65536];
  for (size_t i = 0; i < sizeof junk; ++i) junk[i] = (char)(i * 131u + 7u);
  memcpy(junk, "{\"type\":\"result\",\"signal\":\"test-flood\",\"status\":\"fail\"}\n", 56);
  for (int i = 0; i < 512; ++i) {
    if (write(i % 2 ? 2 : 1, junk, sizeof junk) < 0) break;
  }
  test_report(host, "test-flood", HI_STATUS_PASS, "survived its own flood");
  return 0;
}

static const hi_plugin_desc desc = {sizeof(hi_plugin_desc), HI_ABI_MAJOR, HI_ABI_MINOR, "flood", "0.1.0",
                                    "Floods stdout and stderr", 1, signals, probe};

HI_EXPORT const hi_plugin_desc *hermes_inspect_plugin_v1(void) { return &desc; }
