/* A third-party plugin as small as they come, for measuring what each extra
 * plugin costs a survey: it reports one signal and runs nothing. Built once per
 * copy, because the core requires the descriptor's name to equal the file stem:
 *   cc -shared -fPIC -fvisibility=hidden -I sdk/include -DBENCH_NAME=plugin07 \
 *      -o plugin07.so tests/bench/bench_plugin.c */
#include <hermes_inspect/plugin.h>

#include <stddef.h>

#ifndef BENCH_NAME
#error "define BENCH_NAME, the plugin's name and file stem (e.g. -DBENCH_NAME=plugin07)"
#endif

#define BENCH_STR2(x) #x
#define BENCH_STR(x) BENCH_STR2(x)
#define BENCH_ID "bench-" BENCH_STR(BENCH_NAME)

static const hi_signal_desc signal_desc = {sizeof(hi_signal_desc), BENCH_ID, "Benchmark signal " BENCH_ID,
                                           "Always passes; exists to be counted.", NULL, NULL, NULL};
static const hi_signal_desc *const signals[] = {&signal_desc};

static int probe(const hi_host *host) {
  const hi_result result = {sizeof(hi_result), BENCH_ID, HI_STATUS_PASS, "benchmark plugin ran", NULL, 0};
  return host->report(host->ctx, &result) == HI_OK ? 0 : 1;
}

static const hi_plugin_desc desc = {sizeof(hi_plugin_desc), HI_ABI_MAJOR, HI_ABI_MINOR, BENCH_STR(BENCH_NAME),
                                    "1.0", "Benchmark plugin: one signal, no commands", 1, signals, probe};

HI_EXPORT const hi_plugin_desc *hermes_inspect_plugin_v1(void) { return &desc; }
