#include "api/http_server.h"

#include <cpprest/http_listener.h>
#include <cpprest/uri.h>
#include <pplx/threadpool.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <cctype>
#include <random>

namespace kansli::api {

namespace http = web::http;
using http::experimental::listener::http_listener;

namespace {

std::string NewRequestId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static const char* kHex = "0123456789abcdef";
  std::string id(16, '0');
  auto v = rng();
  for (int i = 0; i < 16; ++i) id[i] = kHex[(v >> (i * 4)) & 0xF];
  return id;
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

void Send(http::http_request req, const Response& r) {
  http::http_response resp(static_cast<http::status_code>(r.status));
  resp.headers().set_content_type(r.content_type);
  resp.headers().add("Cache-Control", "no-store");
  resp.headers().add("X-Content-Type-Options", "nosniff");
  for (const auto& [k, v] : r.headers) resp.headers().add(k, v);
  resp.set_body(std::vector<unsigned char>(r.body.begin(), r.body.end()));
  resp.headers().set_content_type(r.content_type);
  req.reply(resp).then([](pplx::task<void> t) {
    try {
      t.get();
    } catch (const std::exception& e) {
      spdlog::debug("event=reply_failed what={}", e.what());
    }
  });
}

}  // namespace

struct HttpServer::Impl {
  Router& router;
  ServerSettings settings;
  std::unique_ptr<http_listener> listener;

  void OnRequest(http::http_request req) {
    Request r;
    r.request_id = NewRequestId();
    r.method = req.method();
    try {
      r.path = web::uri::decode(req.relative_uri().path());
      for (const auto& [k, v] : web::uri::split_query(req.relative_uri().query()))
        r.query[web::uri::decode(k)] = web::uri::decode(v);
    } catch (const std::exception&) {
      Response bad;
      bad.status = 400;
      bad.body =
          R"({"error":{"code":"bad_request","message":"the URL is malformed","details":{}}})";
      Send(req, bad);
      return;
    }
    for (const auto& [k, v] : req.headers()) r.headers[Lower(k)] = v;
    // The listener has no body limit of its own: refuse large bodies by their
    // declared length before reading them.
    if (req.headers().content_length() > Router::kMaxBody) {
      Send(req, router.TooLarge(r));
      return;
    }
    if (r.method == "GET" || r.method == "HEAD" || r.method == "DELETE") {
      Send(req, router.Handle(r));
      return;
    }
    // Read the body asynchronously: a pool thread never waits on another task.
    auto shared = std::make_shared<Request>(std::move(r));
    req.extract_vector().then([this, req, shared](pplx::task<std::vector<unsigned char>> t) {
      try {
        auto bytes = t.get();
        if (bytes.size() > Router::kMaxBody) {
          Send(req, router.TooLarge(*shared));
          return;
        }
        shared->body.assign(bytes.begin(), bytes.end());
      } catch (const std::exception&) {
        Response bad;
        bad.status = 400;
        bad.body =
            R"({"error":{"code":"bad_request","message":"the request body could not be read","details":{}}})";
        Send(req, bad);
        return;
      }
      Send(req, router.Handle(*shared));
    });
  }
};

HttpServer::HttpServer(Router& router, ServerSettings settings)
    : impl_(new Impl{router, std::move(settings), nullptr}) {}

HttpServer::~HttpServer() { Close(); }

void HttpServer::InitializeThreads(int threads) {
  crossplat::threadpool::initialize_with_threads(static_cast<size_t>(threads));
}

void HttpServer::Open() {
  const std::string url =
      "http://" + impl_->settings.host + ":" + std::to_string(impl_->settings.port);
  http::experimental::listener::http_listener_config config;
  impl_->listener = std::make_unique<http_listener>(web::uri(url), config);
  impl_->listener->support([impl = impl_.get()](http::http_request req) {
    try {
      impl->OnRequest(req);
    } catch (const std::exception& e) {
      spdlog::error("event=request_failed what={}", e.what());
      req.reply(http::status_codes::InternalError);
    }
  });
  try {
    impl_->listener->open().wait();
  } catch (const std::exception& e) {
    impl_->listener.reset();
    throw std::runtime_error("cannot listen on " + impl_->settings.host + ":" +
                             std::to_string(impl_->settings.port) +
                             " (is the port already in use? set KANSLI_PORT to another port)");
  }
}

void HttpServer::Close() {
  if (impl_ && impl_->listener) {
    try {
      impl_->listener->close().wait();
    } catch (...) {
    }
    impl_->listener.reset();
  }
}

}  // namespace kansli::api
