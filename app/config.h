// Configuration from the environment (see docs/operations.md).
#pragma once

#include <string>

namespace kansli::app {

struct Config {
  std::string data_dir;            // KANSLI_DATA (default ./var)
  std::string database_url;        // KANSLI_DATABASE_URL, else $KANSLI_DATA/database-url
  std::string host = "127.0.0.1";  // KANSLI_HOST
  int port = 8080;                 // KANSLI_PORT
  int http_threads = 8;            // KANSLI_HTTP_THREADS
  int db_pool = 8;                 // KANSLI_DB_POOL
  // Client-side database limits (they hold when PostgreSQL does not answer at all).
  int db_request_timeout_seconds = 12;   // KANSLI_DB_REQUEST_TIMEOUT_SECONDS (0: no watchdog)
  int db_acquire_timeout_seconds = 5;    // KANSLI_DB_ACQUIRE_TIMEOUT_SECONDS
  int db_connect_timeout_seconds = 5;    // KANSLI_DB_CONNECT_TIMEOUT_SECONDS
  std::string reference_prefix = "RJL";  // KANSLI_REFERENCE_PREFIX
  int answer_period_months = 6;          // KANSLI_ANSWER_PERIOD_MONTHS
  int remiss_send_margin_days = 7;       // KANSLI_REMISS_SEND_MARGIN_DAYS
  std::string now;                       // KANSLI_NOW: a fixed clock (tests, demos)
  // Reminders and their delivery.
  bool scheduler = true;          // KANSLI_SCHEDULER=off: `serve` fires and sends nothing
  int poll_ms = 1000;             // KANSLI_POLL_MS
  int reminder_hour = 7;          // KANSLI_REMINDER_HOUR (Europe/Stockholm)
  std::string public_url;         // KANSLI_PUBLIC_URL (default http://HOST:PORT), for links
  std::string smtp_url;           // KANSLI_SMTP_URL, e.g. smtp://mail.rjl.se:587; empty: no e-mail
  std::string smtp_user;          // KANSLI_SMTP_USER
  std::string smtp_password;      // KANSLI_SMTP_PASSWORD
  bool smtp_require_tls = false;  // KANSLI_SMTP_TLS=require: STARTTLS must succeed
  std::string mail_from = "kansli@localhost";  // KANSLI_MAIL_FROM
  int dispatchers = 2;                         // KANSLI_DISPATCHERS (sender threads)
  int max_attempts = 8;                        // KANSLI_DELIVERY_MAX_ATTEMPTS
  int backoff_seconds = 30;                    // KANSLI_DELIVERY_BACKOFF_SECONDS (first retry)
  int lease_seconds = 60;                      // KANSLI_DELIVERY_LEASE_SECONDS
  int webhook_timeout_seconds = 10;            // KANSLI_WEBHOOK_TIMEOUT_SECONDS
  std::string test_fault;                      // KANSLI_TEST_FAULT (crash tests only)
  std::string log_level = "info";              // KANSLI_LOG_LEVEL
};

// Reads the environment. Throws std::runtime_error with one sentence on a bad value.
Config LoadConfig();

}  // namespace kansli::app
