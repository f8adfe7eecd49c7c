// hermes-inspect: the command line, or (hidden) one plugin's worker process.
#include "cli.hpp"
#include "worker.hpp"

#include <cstdio>
#include <cstring>

int main(int argc, char **argv) {
  if (argc == 3 && std::strcmp(argv[1], hi::kWorkerArg) == 0) {
    auto job = hi::WorkerJob::from_json(argv[2]);
    if (!job) {
      std::fprintf(stderr, "hermes-inspect: %s\n", job.error().c_str());
      return 2;
    }
    hi::worker_main(*job);
  }
  return hi::run_cli(argc, argv);
}
