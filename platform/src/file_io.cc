#include "onecard/platform/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "onecard/platform/i18n.h"

namespace onecard::platform {
namespace {

Status OsError(const std::string& what, const std::string& path) {
  int e = errno;
  ErrorCode code = e == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIoError;
  return Status(code, Tr(what + " " + path + " 失败：" + std::strerror(e),
                         what + " " + path + " failed: " + std::strerror(e)));
}

}  // namespace

Result<std::string> ReadWholeFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) {
      return Status(ErrorCode::kNotFound, Tr("文件不存在：" + path, "file not found: " + path));
    }
    return OsError("open", path);
  }
  std::string out;
  char buf[65536];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Status s = OsError("read", path);
      ::close(fd);
      return s;
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

Status WriteFileAtomically(const std::string& path, const std::string& content, unsigned mode) {
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return OsError("open", tmp);
  // On any failure the temporary file goes: `path` keeps its old content, and no partial file
  // stays.
  auto fail = [&](const char* what) {
    Status s = OsError(what, tmp);
    ::close(fd);
    ::unlink(tmp.c_str());
    return s;
  };
  // open() applied the umask, and a leftover temporary file of the same name keeps its old mode:
  // set the mode explicitly before any content is written.
  if (::fchmod(fd, static_cast<mode_t>(mode)) != 0) return fail("chmod");
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("write");
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return fail("fsync");
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    Status s = OsError("rename", path);
    ::unlink(tmp.c_str());
    return s;
  }
  // The rename is durable only once the directory entry is: fsync the directory too.
  std::string dir = std::filesystem::path(path).parent_path().string();
  int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return Status::Ok();
}

Status EnsurePrivateDirectory(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return Status(ErrorCode::kIoError, Tr("无法创建目录 " + dir + "：" + ec.message(),
                                          "cannot create directory " + dir + ": " + ec.message()));
  }
  ::chmod(dir.c_str(), 0700);
  return Status::Ok();
}

bool FileExists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace onecard::platform
