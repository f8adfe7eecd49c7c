#include <cstdio>
int main() { std::puts("hermes-inspect 0.1.0"); }
