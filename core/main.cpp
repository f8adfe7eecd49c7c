// hermes-inspect: the command line.
#include "cli.hpp"

int main(int argc, char **argv) { return hi::run_cli(argc, argv); }
