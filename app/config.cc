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
  c.db_request_timeout_seconds =
      IntEnv("KANSLI_DB_REQUEST_TIMEOUT_SECONDS", c.db_request_timeout_seconds, 0, 3600);
  if (c.db_request_timeout_seconds == 1)
    throw std::runtime_error("KANSLI_DB_REQUEST_TIMEOUT_SECONDS must be 0 (off) or at least 2");
  c.db_acquire_timeout_seconds =
      IntEnv("KANSLI_DB_ACQUIRE_TIMEOUT_SECONDS", c.db_acquire_timeout_seconds, 1, 300);
  c.db_connect_timeout_seconds =
      IntEnv("KANSLI_DB_CONNECT_TIMEOUT_SECONDS", c.db_connect_timeout_seconds, 2, 300);
  c.reference_prefix = Env("KANSLI_REFERENCE_PREFIX", c.reference_prefix);
  c.answer_period_months = IntEnv("KANSLI_ANSWER_PERIOD_MONTHS", c.answer_period_months, 1, 24);
  c.remiss_send_margin_days =
      IntEnv("KANSLI_REMISS_SEND_MARGIN_DAYS", c.remiss_send_margin_days, 0, 60);
  c.now = Env("KANSLI_NOW");
  const std::string scheduler = Env("KANSLI_SCHEDULER", "on");
  if (scheduler != "on" && scheduler != "off")
    throw std::runtime_error("KANSLI_SCHEDULER must be on or off, not '" + scheduler + "'");
  c.scheduler = scheduler == "on";
  c.poll_ms = IntEnv("KANSLI_POLL_MS", c.poll_ms, 10, 600000);
  c.reminder_hour = IntEnv("KANSLI_REMINDER_HOUR", c.reminder_hour, 0, 23);
  c.public_url = Env("KANSLI_PUBLIC_URL", "http://" + c.host + ":" + std::to_string(c.port));
  while (!c.public_url.empty() && c.public_url.back() == '/') c.public_url.pop_back();
  c.smtp_url = Env("KANSLI_SMTP_URL");
  if (!c.smtp_url.empty() && c.smtp_url.rfind("smtp://", 0) != 0 &&
      c.smtp_url.rfind("smtps://", 0) != 0)
    throw std::runtime_error("KANSLI_SMTP_URL must start with smtp:// or smtps://");
  c.smtp_user = Env("KANSLI_SMTP_USER");
  c.smtp_password = Env("KANSLI_SMTP_PASSWORD");
  const std::string tls = Env("KANSLI_SMTP_TLS", "try");
  if (tls != "try" && tls != "require")
    throw std::runtime_error("KANSLI_SMTP_TLS must be try or require, not '" + tls + "'");
  c.smtp_require_tls = tls == "require";
  c.mail_from = Env("KANSLI_MAIL_FROM", c.mail_from);
  c.dispatchers = IntEnv("KANSLI_DISPATCHERS", c.dispatchers, 1, 32);
  c.max_attempts = IntEnv("KANSLI_DELIVERY_MAX_ATTEMPTS", c.max_attempts, 1, 100);
  c.backoff_seconds = IntEnv("KANSLI_DELIVERY_BACKOFF_SECONDS", c.backoff_seconds, 1, 86400);
  c.lease_seconds = IntEnv("KANSLI_DELIVERY_LEASE_SECONDS", c.lease_seconds, 1, 86400);
  c.webhook_timeout_seconds =
      IntEnv("KANSLI_WEBHOOK_TIMEOUT_SECONDS", c.webhook_timeout_seconds, 1, 300);
  c.test_fault = Env("KANSLI_TEST_FAULT");
  c.log_level = Env("KANSLI_LOG_LEVEL", c.log_level);
  return c;
}

}  // namespace kansli::app
