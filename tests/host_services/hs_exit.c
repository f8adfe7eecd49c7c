/* Reports one signal, then calls exit() in the middle of its probe. */
#include "hs_plugin.h"

#include <stdlib.h>

HS_SIGNAL(sig_before, "hs-exit-before");
HS_SIGNAL(sig_after, "hs-exit-after");
static const hi_signal_desc *const signals[] = {&sig_before, &sig_after};

static int probe(const hi_host *host) {
  hs_report(host, "hs-exit-before", HI_STATUS_PASS, "reported before exit", NULL);
  exit(3);
}

HS_PLUGIN("hs_exit", signals)
