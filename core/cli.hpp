// The command line (CLI11): run, list, baselines, baseline check, explain,
// --version. Every flag and exit code of CONTRACT.md is declared here.
#pragma once

namespace hi {

int run_cli(int argc, char **argv);

}  // namespace hi
