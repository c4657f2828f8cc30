// Configuration from the environment (see docs/operations.md).
#pragma once

#include <string>

namespace kansli::app {

struct Config {
  std::string data_dir;                  // KANSLI_DATA (default ./var)
  std::string database_url;              // KANSLI_DATABASE_URL, else $KANSLI_DATA/database-url
  std::string host = "127.0.0.1";        // KANSLI_HOST
  int port = 8080;                       // KANSLI_PORT
  int http_threads = 8;                  // KANSLI_HTTP_THREADS
  int db_pool = 8;                       // KANSLI_DB_POOL
  std::string reference_prefix = "RJL";  // KANSLI_REFERENCE_PREFIX
  int answer_period_months = 6;          // KANSLI_ANSWER_PERIOD_MONTHS
  int remiss_send_margin_days = 7;       // KANSLI_REMISS_SEND_MARGIN_DAYS
  std::string now;                       // KANSLI_NOW: a fixed clock (tests, demos)
  std::string log_level = "info";        // KANSLI_LOG_LEVEL
};

// Reads the environment. Throws std::runtime_error with one sentence on a bad value.
Config LoadConfig();

}  // namespace kansli::app
