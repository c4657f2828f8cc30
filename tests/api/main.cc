// doctest's runner, and the end of the shared server: it is stopped (and its
// database dropped) when the tests are done, before exit() starts tearing
// down libraries such as OpenSSL that libpq still needs for that.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "tests/api/api_support.h"

int main(int argc, char** argv) {
  doctest::Context context(argc, argv);
  const int status = context.run();
  kansli::test::StopSharedServer();
  return status;
}
