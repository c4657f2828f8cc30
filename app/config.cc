#include "app/config.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace kansli::app {

namespace {

std::string Env(const char* name, const std::string& def = "") {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : def;
}

int IntEnv(const char* name, int def, int min, int max) {
  const std::string v = Env(name);
  if (v.empty()) return def;
  try {
    std::size_t used = 0;
    const int n = std::stoi(v, &used);
    if (used == v.size() && n >= min && n <= max) return n;
  } catch (const std::exception&) {
  }
  throw std::runtime_error(std::string(name) + " must be a whole number from " +
                           std::to_string(min) + " to " + std::to_string(max) + ", not '" + v +
                           "'");
}

}  // namespace

Config LoadConfig() {
  Config c;
  c.data_dir = Env("KANSLI_DATA", "./var");
  c.database_url = Env("KANSLI_DATABASE_URL");
  if (c.database_url.empty()) {
    std::ifstream f(c.data_dir + "/database-url");
    std::stringstream ss;
    ss << f.rdbuf();
    c.database_url = ss.str();
    while (!c.database_url.empty() &&
           (c.database_url.back() == '\n' || c.database_url.back() == ' '))
      c.database_url.pop_back();
  }
  c.host = Env("KANSLI_HOST", c.host);
  c.port = IntEnv("KANSLI_PORT", c.port, 1, 65535);
  c.http_threads = IntEnv("KANSLI_HTTP_THREADS", c.http_threads, 2, 256);
  c.db_pool = IntEnv("KANSLI_DB_POOL", c.db_pool, 1, 256);
  c.reference_prefix = Env("KANSLI_REFERENCE_PREFIX", c.reference_prefix);
  c.answer_period_months = IntEnv("KANSLI_ANSWER_PERIOD_MONTHS", c.answer_period_months, 1, 24);
  c.remiss_send_margin_days =
      IntEnv("KANSLI_REMISS_SEND_MARGIN_DAYS", c.remiss_send_margin_days, 0, 60);
  c.now = Env("KANSLI_NOW");
  c.log_level = Env("KANSLI_LOG_LEVEL", c.log_level);
  return c;
}

}  // namespace kansli::app
