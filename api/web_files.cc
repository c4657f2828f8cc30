#include "api/web_files.h"

#include <openssl/evp.h>

#include <cstring>
#include <map>

namespace kansli::api {

namespace {

struct Embedded {
  const char* name;
  const char* body;  // text files only: no NUL bytes
};

// Generated at configure time from web/*.
const Embedded kEmbedded[] = {
#include "web_files.inc"
    {nullptr, nullptr}};

std::string ContentType(const std::string& name) {
  const auto dot = name.rfind('.');
  const std::string ext = dot == std::string::npos ? "" : name.substr(dot + 1);
  static const std::map<std::string, std::string> kTypes = {
      {"html", "text/html; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"ico", "image/x-icon"},
      {"json", "application/json; charset=utf-8"},
      {"txt", "text/plain; charset=utf-8"}};
  auto it = kTypes.find(ext);
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

std::string Etag(const std::string& body) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(body.data(), body.size(), md, &len, EVP_sha256(), nullptr);
  static const char* kHex = "0123456789abcdef";
  std::string out = "\"";
  for (unsigned int i = 0; i < 10 && i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 0xF];
  }
  return out + "\"";
}

const std::map<std::string, WebFile>& Files() {
  static const std::map<std::string, WebFile> files = [] {
    std::map<std::string, WebFile> m;
    for (const Embedded* e = kEmbedded; e->name; ++e) {
      WebFile f;
      f.name = e->name;
      f.body = e->body;
      f.content_type = ContentType(f.name);
      f.etag = Etag(f.body);
      m.emplace(f.name, std::move(f));
    }
    return m;
  }();
  return files;
}

}  // namespace

const WebFile* FindWebFile(const std::string& name) {
  const auto& files = Files();
  auto it = files.find(name);
  return it == files.end() ? nullptr : &it->second;
}

}  // namespace kansli::api
