// The worker's handling of plugin memory: kept strings stay put, and
// size-prefixed structs are read and written under the ABI's versioning rules.
#include "abi_struct.hpp"
#include "kept_strings.hpp"

#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

namespace {

// The 1.0 struct followed by one field a newer minor would add.
struct FileNext {
  hi_file base;
  uint64_t added;
};

}  // namespace

TEST_CASE("kept strings stay valid and unchanged while more are kept") {
  hi::KeptStrings kept(1 << 20);
  std::vector<std::pair<const char *, std::string>> handed;
  for (int i = 0; i < 2000; ++i) {
    // Short ones live inside the string object itself, long ones on the heap.
    std::string text = std::string(static_cast<std::size_t>(i % 40), 'x') + std::to_string(i);
    const char *p = kept.keep(text);
    REQUIRE(p != nullptr);
    handed.emplace_back(p, std::move(text));
  }
  for (const auto &[p, text] : handed) CHECK(p == text);
}

TEST_CASE("kept strings stop at their budget, NUL terminators counted") {
  hi::KeptStrings kept(10);
  CHECK(kept.keep("abcd") != nullptr);
  CHECK(kept.keep("efgh") != nullptr);
  CHECK(kept.used() == 10);
  CHECK(kept.keep("") == nullptr);
  CHECK(kept.used() == 10);
}

TEST_CASE("a struct's size must cover what the core needs and stay plausible") {
  hi_file f{};
  CHECK(hi::abi_struct_problem<hi_file>(nullptr, sizeof f, "hi_file") == "hi_file is NULL");
  f.struct_size = 0;
  CHECK(hi::abi_struct_problem(&f, sizeof f, "hi_file") ==
        "hi_file has struct_size 0 (at least " + std::to_string(sizeof f) + " expected)");
  f.struct_size = 5000;
  CHECK(hi::abi_struct_problem(&f, sizeof f, "hi_file") == "hi_file has struct_size 5000 (at most 4096 expected)");
  f.struct_size = sizeof f;
  CHECK_FALSE(hi::abi_struct_problem(&f, sizeof f, "hi_file").has_value());
}

TEST_CASE("a newer struct is accepted only with its unknown tail all zero") {
  FileNext next{};
  next.base.struct_size = sizeof next;
  CHECK_FALSE(hi::abi_struct_problem(&next.base, sizeof(hi_file), "hi_file").has_value());
  next.added = 1u << 20;
  CHECK(hi::abi_struct_problem(&next.base, sizeof(hi_file), "hi_file") ==
        "hi_file sets fields this core does not know (struct_size " + std::to_string(sizeof next) + "; ABI " +
            std::to_string(HI_ABI_MAJOR) + "." + std::to_string(HI_ABI_MINOR) + " defines " +
            std::to_string(sizeof(hi_file)) + ")");
}

TEST_CASE("an older struct reads with its missing fields zero") {
  hi_command cmd{};
  cmd.struct_size = static_cast<uint32_t>(offsetof(hi_command, timeout_ms));
  cmd.timeout_ms = 1234;  // past struct_size: the plugin never wrote it
  const hi_command copy = hi::read_abi_struct(&cmd);
  CHECK(copy.struct_size == cmd.struct_size);
  CHECK(copy.timeout_ms == 0);
}

TEST_CASE("a struct is filled only as far as both sides know it") {
  FileNext next;
  std::memset(&next, 0xAB, sizeof next);
  next.base.struct_size = sizeof next;
  next.added = 0;
  hi_file value{};
  value.data = "x";
  value.len = 1;
  hi::write_abi_struct(&next.base, value);
  CHECK(next.base.struct_size == sizeof(hi_file));
  CHECK(next.base.len == 1);
  CHECK(next.added == 0);

  hi_file older;
  std::memset(&older, 0xAB, sizeof older);
  older.struct_size = static_cast<uint32_t>(offsetof(hi_file, len));
  hi::write_abi_struct(&older, value);
  CHECK(older.struct_size == offsetof(hi_file, len));
  CHECK(older.data == value.data);
  unsigned char len_bytes[sizeof older.len];
  std::memcpy(len_bytes, &older.len, sizeof len_bytes);
  for (unsigned char b : len_bytes) CHECK(b == 0xAB);
}
