#include "api/openapi.h"

namespace kansli::api {

const std::string& OpenApiDocument() {
  static const std::string doc =
#include "openapi.inc"
      ;
  return doc;
}

}  // namespace kansli::api
