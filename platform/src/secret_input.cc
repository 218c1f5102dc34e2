#include "onecard/platform/secret_input.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>

#include "onecard/platform/i18n.h"
#include "onecard/platform/secret_wipe.h"

namespace onecard::platform {
namespace {

Result<std::string> PromptOnce(int fd, const std::string& prompt) {
  (void)!::write(fd, prompt.data(), prompt.size());
  termios old{};
  bool have_tty = ::tcgetattr(fd, &old) == 0;
  if (have_tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  std::string line;
  char c = 0;
  while (::read(fd, &c, 1) == 1 && c != '\n') line.push_back(c);
  if (have_tty) ::tcsetattr(fd, TCSAFLUSH, &old);
  (void)!::write(fd, "\n", 1);
  return line;
}

}  // namespace

Result<std::string> ReadSecret(const char* env_var, const std::string& prompt, bool confirm) {
  if (const char* v = std::getenv(env_var); v != nullptr && *v != '\0') return std::string(v);
  int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    return Status(
        ErrorCode::kFailedPrecondition,
        Tr(std::string("需要口令：请设置 ") + env_var + " 或在终端上运行",
           std::string("a passphrase is needed: set ") + env_var + " or run from a terminal"));
  }
  auto first = PromptOnce(fd, prompt);
  if (first.ok() && confirm) {
    auto second = PromptOnce(fd, Tr("再次输入：", "Again: "));
    if (!second.ok() || *second != *first) {
      ::close(fd);
      if (second.ok()) WipeString(*second);
      WipeString(*first);
      return Status(ErrorCode::kInvalidArgument,
                    Tr("两次输入的口令不一致", "the two passphrases differ"));
    }
    WipeString(*second);
  }
  ::close(fd);
  return first;
}

}  // namespace onecard::platform
