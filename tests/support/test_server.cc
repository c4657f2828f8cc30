#include "tests/support/test_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <thread>

#include "tests/support/env.h"

namespace kansli::test {

namespace {

const char* const kRoles[] = {"admin", "registrar", "secretary", "presidium", "officer", "reader"};

// Reads the token file and removes it: tokens stay out of the test artifacts.
std::string TakeToken(const std::filesystem::path& path) {
  std::string token;
  {
    std::ifstream f(path);
    std::getline(f, token);
  }
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
  if (token.empty()) throw std::runtime_error("no token was written to " + path.string());
  return token;
}

}  // namespace

int FreeLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("cannot open a socket to find a free port");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot bind a loopback socket to find a free port");
  }
  const int port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

TestServer::TestServer(const TestDatabase& db, ServerOptions options) : db_(db) {
  if (options.demo_load)
    db_.KansliOk({"demo", "load"});
  else if (options.load_organs)
    db_.KansliOk({"organs", "load", OrgansPath().string()});

  const auto dir = TestOutputDir() / db_.name();
  std::filesystem::create_directories(dir);
  for (const char* role : kRoles) {
    const auto file = dir / (std::string("token-") + role);
    db_.KansliOk({"token", "create", "--name", std::string("test-") + role, "--role", role,
                  "--output", file.string()});
    tokens_[role] = TakeToken(file);
  }

  std::string why;
  for (int attempt = 1; attempt <= 3; ++attempt) {
    if (Start(options.env, options.start_timeout, why)) return;
    // Another process may have taken the free port before the server bound it.
    if (why.find("cannot listen") == std::string::npos) break;
  }
  throw std::runtime_error("kansli serve did not become ready: " + why);
}

bool TestServer::Start(const EnvOverrides& extra, std::chrono::seconds timeout, std::string& why) {
  port_ = FreeLoopbackPort();
  base_url_ = "http://127.0.0.1:" + std::to_string(port_);
  log_path_ = TestOutputDir() / db_.name() / ("server-" + std::to_string(port_) + ".log");
  EnvOverrides env = extra;
  env["KANSLI_DATABASE_URL"] = db_.dsn();
  env["KANSLI_HOST"] = "127.0.0.1";
  env["KANSLI_PORT"] = std::to_string(port_);
  if (!env.count("KANSLI_DB_POOL")) env["KANSLI_DB_POOL"] = "8";
  pid_ = SpawnProcess({KansliBinary(), "serve"}, env, log_path_);

  const Http http(base_url_);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (auto code = WaitForExit(pid_, std::chrono::milliseconds(0))) {
      pid_ = -1;
      why = "it exited with status " + std::to_string(*code) + "; its log (" + log_path_.string() +
            ") ends: " + FileTail(log_path_);
      return false;
    }
    try {
      if (http.Get("/readyz").status == 200) return true;
    } catch (const std::exception&) {
      // not listening yet
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  Stop();
  why = "GET /readyz did not answer 200 within " + std::to_string(timeout.count()) +
        " s; its log (" + log_path_.string() + ") ends: " + FileTail(log_path_);
  return false;
}

void TestServer::Stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  if (!WaitForExit(pid_, std::chrono::seconds(10))) {
    ::kill(pid_, SIGKILL);
    WaitForExit(pid_, std::chrono::seconds(5));
  }
  pid_ = -1;
}

TestServer::~TestServer() { Stop(); }

const std::string& TestServer::Token(const std::string& role) const { return tokens_.at(role); }

}  // namespace kansli::test
