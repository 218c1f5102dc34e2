// Child processes for integration tests: run a program to completion with captured output, or
// start a long-running one (pcscd, vicc, onecard-server) that is killed when its owner goes away,
// so a failing test never leaves processes behind.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace onecard::testing {

struct RunResult {
  int exit_code = -1;  // -1 when killed by a signal or timed out
  bool timed_out = false;
  std::string out;
  std::string err;
};

struct RunOptions {
  // Added to (or replacing) the test's own environment. An empty value removes the variable.
  std::map<std::string, std::string> env;
  std::string stdin_data;
  std::chrono::milliseconds timeout{std::chrono::seconds(120)};
  std::string cwd;
};

// Runs argv[0] (searched on PATH when it has no '/') to completion.
RunResult Run(const std::vector<std::string>& argv, const RunOptions& options = {});

// A background process. Its stdout and stderr go to `log_path` (or /dev/null when empty).
class Process {
 public:
  Process() = default;
  Process(const std::vector<std::string>& argv, const RunOptions& options,
          const std::string& log_path = "");
  Process(Process&& other) noexcept : pid_(other.pid_), log_path_(std::move(other.log_path_)) {
    other.pid_ = -1;
  }
  Process& operator=(Process&& other) noexcept;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  ~Process();  // Kill(SIGKILL) if still running

  pid_t pid() const { return pid_; }
  bool running();
  // Sends `signal` and waits up to `grace` for the exit; then SIGKILL. Returns the exit status
  // as from waitpid (or -1).
  int Stop(int signal, std::chrono::milliseconds grace = std::chrono::seconds(10));
  // Waits for exit up to `timeout`; returns the exit code, or -1 on timeout or signal.
  int Wait(std::chrono::milliseconds timeout);
  std::string Log() const;

 private:
  pid_t pid_ = -1;
  std::string log_path_;
};

// A fresh directory under the system temp dir, removed with its contents on destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "onecard-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A TCP port on 127.0.0.1 that was free a moment ago.
int FreeTcpPort();
// True once something accepts TCP connections on 127.0.0.1:port, polling until `timeout`.
bool WaitForTcpPort(int port, std::chrono::milliseconds timeout);

// Path of a program built by this project, e.g. BuiltProgram("onecard-terminal").
std::string BuiltProgram(const std::string& name);
std::string SourcePath(const std::string& relative);
std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& content);

}  // namespace onecard::testing
