// Running the kansli binary (and other programs) from tests: to completion
// with captured output, or in the background with its output in a log file.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kansli::test {

struct CommandResult {
  int exit_code = -1;  // the exit status; 128 + n when killed by signal n
  std::string out;     // stdout
  std::string err;     // stderr
  // "exit 1; stdout: ...; stderr: ..." for failure messages.
  std::string Describe() const;
};

using EnvOverrides = std::map<std::string, std::string>;

// The environment a child gets: this process's, minus every KANSLI_* setting
// except the test command's own (KANSLI_TEST_*, KANSLI_BINARY), plus
// `overrides`. So a child's configuration is exactly what the test says, and
// never a developer's KANSLI_DATABASE_URL.
std::vector<std::string> ChildEnvironment(const EnvOverrides& overrides);

// Runs argv (argv[0] is a path) with ChildEnvironment(env) and stdin from
// /dev/null, and waits for it. Throws std::runtime_error when it cannot be
// started or has not finished within `timeout` (it is killed then).
// Thread-safe.
CommandResult RunCommand(const std::vector<std::string>& argv, const EnvOverrides& env = {},
                         std::chrono::milliseconds timeout = std::chrono::seconds(60));

// Starts argv in the background with ChildEnvironment(env); its stdout and
// stderr are appended to `log_path`. The child is sent SIGTERM when the
// calling thread exits, so a crashed test leaves no server behind.
// Returns the pid. Throws std::runtime_error when it cannot be started.
pid_t SpawnProcess(const std::vector<std::string>& argv, const EnvOverrides& env,
                   const std::filesystem::path& log_path);

// Waits up to `timeout` for `pid` to exit; returns its exit code (as in
// CommandResult), or nullopt if it is still running.
std::optional<int> WaitForExit(pid_t pid, std::chrono::milliseconds timeout);

// The last `max_bytes` of a file ("" if it cannot be read).
std::string FileTail(const std::filesystem::path& path, std::size_t max_bytes = 4000);

}  // namespace kansli::test
