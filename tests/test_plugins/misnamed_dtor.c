/* A misnamed descriptor, and a destructor that must never run in a worker:
 * the core keeps every plugin it opened loaded until the worker exits. If it
 * unloads this one, the destructor leaves a marker and crashes the worker. */
#include "test_plugin.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

__attribute__((destructor)) static void unloaded(void) {
  const char *marker = getenv("HI_TEST_UNLOAD_MARKER");
  FILE *f = marker ? fopen(marker, "w") : NULL;
  if (f) {
    fputs("misnamed_dtor was unloaded\n", f);
    fclose(f);
  }
  raise(SIGSEGV);
}

TEST_SIGNAL(sig, "test-misnamed-dtor");
static const hi_signal_desc *const signals[] = {&sig};

static int probe(const hi_host *host) {
  (void)host;
  return 0;
}

static const hi_plugin_desc desc = {sizeof(hi_plugin_desc), HI_ABI_MAJOR, HI_ABI_MINOR, "not-misnamed-dtor",
                                    "0.1.0", "Wrong name, loud destructor", 1, signals, probe};

HI_EXPORT const hi_plugin_desc *hermes_inspect_plugin_v1(void) { return &desc; }
