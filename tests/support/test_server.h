// The real `kansli serve` on a free loopback port, against a TestDatabase,
// with one API token per role.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>

#include "tests/support/http_client.h"
#include "tests/support/process.h"
#include "tests/support/test_database.h"

namespace kansli::test {

struct ServerOptions {
  // `kansli demo load` (the demo organisation and the demo motion RJL 2021/1342).
  bool demo_load = false;
  // `kansli organs load app/demo/organs.json` (ignored with demo_load, which loads them too).
  bool load_organs = true;
  // Extra environment for the server, e.g. KANSLI_NOW.
  EnvOverrides env;
  // How long to wait for GET /readyz to answer 200.
  std::chrono::seconds start_timeout{20};
};

class TestServer {
 public:
  // Prepares the database (demo/organs, a token per role of api.md), starts
  // the server on a free port and waits until it is ready. Throws
  // std::runtime_error with the end of the server's log when it does not
  // become ready within start_timeout. The server's stdout and stderr go to a
  // file under KANSLI_TEST_OUTPUT (log_path()).
  explicit TestServer(const TestDatabase& db, ServerOptions options = {});
  // SIGTERM, then waits (SIGKILL after 10 s). Never throws.
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  int port() const { return port_; }
  const std::string& base_url() const { return base_url_; }
  const std::filesystem::path& log_path() const { return log_path_; }

  // The token of `role` (admin, registrar, secretary, presidium, officer,
  // reader). Throws std::out_of_range for another role.
  const std::string& Token(const std::string& role) const;
  // A client sending `role`'s token.
  Http As(const std::string& role) const { return Http(base_url_, Token(role)); }
  // A client sending no token.
  Http Anonymous() const { return Http(base_url_); }

 private:
  bool Start(const EnvOverrides& env, std::chrono::seconds timeout, std::string& why);
  void Stop();

  const TestDatabase& db_;
  std::map<std::string, std::string> tokens_;
  int port_ = 0;
  std::string base_url_;
  std::filesystem::path log_path_;
  pid_t pid_ = -1;
};

// A free TCP port on 127.0.0.1 (bound and released; another process could
// take it before it is used, so callers retry on a bind failure).
int FreeLoopbackPort();

}  // namespace kansli::test
