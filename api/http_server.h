// The HTTP listener (cpprestsdk). Every cpprest type stays inside this file's
// implementation; the rest of the program sees only this class.
#pragma once

#include <memory>
#include <string>

#include "api/router.h"

namespace kansli::api {

struct ServerSettings {
  std::string host = "127.0.0.1";
  int port = 8080;
};

class HttpServer {
 public:
  HttpServer(Router& router, ServerSettings settings);
  ~HttpServer();

  // Starts listening. Throws std::runtime_error with one clear sentence when
  // the address cannot be bound (e.g. the port is taken).
  void Open();
  void Close();

  // Must be called once, before any other cpprest use in the process.
  static void InitializeThreads(int threads);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kansli::api
