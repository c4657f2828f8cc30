// The web app's static files (web/), embedded in the binary at build time.
#pragma once

#include <string>

namespace kansli::api {

struct WebFile {
  std::string name;          // "app.js"
  std::string content_type;  // "text/javascript; charset=utf-8"
  std::string body;
  std::string etag;  // "\"<sha-256 prefix>\""
};

// The file of that name (no directories), or null.
const WebFile* FindWebFile(const std::string& name);

}  // namespace kansli::api
