// The OpenAPI 3 document served at GET /api/v1/openapi.json (api/openapi.json,
// embedded at build time).
#pragma once

#include <string>

namespace kansli::api {
const std::string& OpenApiDocument();
}  // namespace kansli::api
