/* A signal descriptor one field shorter than ABI 1.0's: it ends before
 * `commands`. 1.0 is the first minor, so no 1.x plugin can lay it out so. */
#include "test_plugin.h"

static const hi_signal_desc sig = {offsetof(hi_signal_desc, commands), "test-short-signal", "Short signal",
                                   "One field short", "Rationale", "Fix", "MUST NOT BE READ"};
static const hi_signal_desc *const signals[] = {&sig};

static int probe(const hi_host *host) {
  test_report(host, "test-short-signal", HI_STATUS_PASS, "must never run");
  return 0;
}

static const hi_plugin_desc desc = {sizeof(hi_plugin_desc), HI_ABI_MAJOR, HI_ABI_MINOR, "short_signal", "0.1.0",
                                    "Signal descriptor one field short", 1, signals, probe};

HI_EXPORT const hi_plugin_desc *hermes_inspect_plugin_v1(void) { return &desc; }
