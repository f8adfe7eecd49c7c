// --output: readers (node_exporter's textfile collector, log shippers) see the
// old file or the new one, never half of either.
#include "report.hpp"

#include <filesystem>
#include <utility>

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hi::report {
namespace {

// Removes the temporary file unless it has been renamed into place.
class TempFile {
 public:
  explicit TempFile(std::string path) : path_(std::move(path)) {}
  TempFile(const TempFile &) = delete;
  TempFile &operator=(const TempFile &) = delete;
  ~TempFile() {
    if (!committed_) ::unlink(path_.c_str());
  }
  const std::string &path() const { return path_; }
  void commit() { committed_ = true; }

 private:
  std::string path_;
  bool committed_ = false;
};

bool write_all(int fd, const std::string &content) {
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// Makes the rename itself durable. Returns 0 or the errno of the failure.
int sync_directory(const std::string &dir) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return errno;
  return ::fsync(fd.get()) == 0 ? 0 : errno;
}

}  // namespace

Status write_atomically(const std::string &path, const std::string &content) {
  const std::filesystem::path target(path);
  const std::string dir = target.has_parent_path() ? target.parent_path().string() : ".";
  const std::string failed = "cannot write " + path;
  // Takes errno before building any text: an allocation may change it.
  auto failure = [&failed](const char *context = "", const std::string &subject = std::string()) {
    const int err = errno;
    return Status::from_errno(failed + context + subject, err);
  };
  std::string pattern = dir + "/." + target.filename().string() + ".XXXXXX";
  UniqueFd fd(::mkostemp(pattern.data(), O_CLOEXEC));
  if (!fd.valid()) return failure(": cannot create a temporary file in ", dir);
  TempFile temp(pattern);
  if (!write_all(fd.get(), content)) return failure();
  if (::fchmod(fd.get(), 0644) != 0) return failure();
  if (::fsync(fd.get()) != 0) return failure();
  if (::close(fd.release()) != 0) return failure();
  if (::rename(temp.path().c_str(), path.c_str()) != 0) return failure();
  temp.commit();
  if (const int err = sync_directory(dir); err != 0)
    return Status::from_errno(failed + ": cannot sync directory " + dir, err);
  return Status::success();
}

}  // namespace hi::report
