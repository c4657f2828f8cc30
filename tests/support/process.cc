#include "tests/support/process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace kansli::test {

namespace {

bool Inherited(const std::string& entry) {
  if (entry.rfind("KANSLI_", 0) != 0) return true;
  return entry.rfind("KANSLI_TEST_", 0) == 0 || entry.rfind("KANSLI_BINARY=", 0) == 0;
}

int ExitCode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

std::string ReadAll(int fd) {
  std::string out;
  char buf[65536];
  ::lseek(fd, 0, SEEK_SET);
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

int TempFile() {
  std::string path = (std::filesystem::temp_directory_path() / "kansli-test-XXXXXX").string();
  const int fd = ::mkstemp(path.data());
  if (fd < 0)
    throw std::runtime_error(std::string("cannot create a temporary file: ") +
                             std::strerror(errno));
  ::unlink(path.c_str());
  return fd;
}

// Everything the child needs, prepared before fork: between fork and exec only
// async-signal-safe calls are allowed (the tests are multi-threaded).
struct Exec {
  std::vector<std::string> args, env;
  std::vector<char*> argv, envp;
  Exec(const std::vector<std::string>& a, const EnvOverrides& overrides)
      : args(a), env(ChildEnvironment(overrides)) {
    if (args.empty()) throw std::invalid_argument("RunCommand needs a program");
    for (auto& s : args) argv.push_back(s.data());
    argv.push_back(nullptr);
    for (auto& s : env) envp.push_back(s.data());
    envp.push_back(nullptr);
  }
};

pid_t ForkExec(Exec& e, int in_fd, int out_fd, int err_fd, bool die_with_parent) {
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
  if (pid == 0) {
    if (die_with_parent) {
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (::getppid() != parent) ::_exit(127);
    }
    ::dup2(in_fd, 0);
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    ::close_range(3, ~0U, 0);
    ::execve(e.argv[0], e.argv.data(), e.envp.data());
    static const char kMsg[] = "kansli tests: execve failed\n";
    (void)!::write(2, kMsg, sizeof kMsg - 1);
    ::_exit(127);
  }
  return pid;
}

}  // namespace

std::string CommandResult::Describe() const {
  return "exit " + std::to_string(exit_code) + "; stdout: " + out + "; stderr: " + err;
}

std::vector<std::string> ChildEnvironment(const EnvOverrides& overrides) {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string entry = *e;
    const auto eq = entry.find('=');
    if (eq == std::string::npos || overrides.count(entry.substr(0, eq))) continue;
    if (Inherited(entry)) env.push_back(entry);
  }
  for (const auto& [k, v] : overrides) env.push_back(k + "=" + v);
  return env;
}

CommandResult RunCommand(const std::vector<std::string>& argv, const EnvOverrides& env,
                         std::chrono::milliseconds timeout) {
  Exec e(argv, env);
  const int in_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  const int out_fd = TempFile();
  const int err_fd = TempFile();
  pid_t pid;
  try {
    pid = ForkExec(e, in_fd, out_fd, err_fd, true);
  } catch (...) {
    ::close(in_fd);
    ::close(out_fd);
    ::close(err_fd);
    throw;
  }
  ::close(in_fd);
  auto code = WaitForExit(pid, timeout);
  if (!code) {
    ::kill(pid, SIGKILL);
    WaitForExit(pid, std::chrono::seconds(5));
  }
  CommandResult r;
  r.out = ReadAll(out_fd);
  r.err = ReadAll(err_fd);
  ::close(out_fd);
  ::close(err_fd);
  if (!code)
    throw std::runtime_error(argv[0] + " did not finish within " + std::to_string(timeout.count()) +
                             " ms and was killed; stderr: " + r.err);
  r.exit_code = *code;
  return r;
}

pid_t SpawnProcess(const std::vector<std::string>& argv, const EnvOverrides& env,
                   const std::filesystem::path& log_path) {
  Exec e(argv, env);
  const int in_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  const int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    ::close(in_fd);
    throw std::runtime_error("cannot open " + log_path.string() + ": " + std::strerror(errno));
  }
  pid_t pid;
  try {
    pid = ForkExec(e, in_fd, log_fd, log_fd, true);
  } catch (...) {
    ::close(in_fd);
    ::close(log_fd);
    throw;
  }
  ::close(in_fd);
  ::close(log_fd);
  return pid;
}

std::optional<int> WaitForExit(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto pause = std::chrono::milliseconds(1);
  for (;;) {
    int status = 0;
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return ExitCode(status);
    if (r < 0 && errno != EINTR) return -1;  // not our child (any more)
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(pause);
    if (pause < std::chrono::milliseconds(20)) pause *= 2;
  }
}

std::string FileTail(const std::filesystem::path& path, std::size_t max_bytes) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return "";
  std::stringstream ss;
  ss << f.rdbuf();
  std::string s = ss.str();
  if (s.size() > max_bytes) s = "..." + s.substr(s.size() - max_bytes);
  return s;
}

}  // namespace kansli::test
