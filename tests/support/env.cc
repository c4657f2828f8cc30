#include "tests/support/env.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace kansli::test {

std::string RequireEnv(const char* name, const std::string& why) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0')
    throw std::runtime_error(std::string(name) + " is not set: " + why +
                             ". Run the tests with scripts/test, which starts a throwaway "
                             "PostgreSQL cluster and sets it.");
  return v;
}

std::string MaintenanceDatabaseUrl() {
  return RequireEnv("KANSLI_TEST_DATABASE_URL",
                    "the tests need a PostgreSQL database whose role may CREATE DATABASE");
}

std::string KansliBinary() {
  const char* v = std::getenv("KANSLI_BINARY");
  std::string path = (v != nullptr && *v != '\0') ? v : KANSLI_DEFAULT_BINARY;
  if (::access(path.c_str(), X_OK) != 0)
    throw std::runtime_error("the kansli binary '" + path +
                             "' is missing or not executable (KANSLI_BINARY); build it first");
  return path;
}

std::filesystem::path TestOutputDir() {
  const char* v = std::getenv("KANSLI_TEST_OUTPUT");
  std::filesystem::path dir = (v != nullptr && *v != '\0') ? v : KANSLI_DEFAULT_TEST_OUTPUT;
  std::filesystem::create_directories(dir);
  return dir;
}

std::filesystem::path SourceDir() { return KANSLI_SOURCE_DIR; }

std::filesystem::path MotionFixturePath() {
  return SourceDir() / "app" / "demo" / "cases" / "motion-rjl-2021-1342.json";
}

std::filesystem::path RemissFixturePath() {
  return SourceDir() / "tests" / "fixtures" / "remiss-rjl-2022-2018.json";
}

std::filesystem::path OrgansPath() { return SourceDir() / "app" / "demo" / "organs.json"; }

nlohmann::json ReadJsonFile(const std::filesystem::path& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot read " + path.string());
  std::stringstream ss;
  ss << f.rdbuf();
  try {
    return nlohmann::json::parse(ss.str());
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(path.string() + " is not valid JSON: " + e.what());
  }
}

std::string UniqueSuffix() {
  static std::atomic<unsigned> counter{0};
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static const char* kAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string s = std::to_string(::getpid()) + "_" + std::to_string(++counter) + "_";
  for (int i = 0; i < 6; ++i) s += kAlphabet[rng() % 36];
  return s;
}

}  // namespace kansli::test
