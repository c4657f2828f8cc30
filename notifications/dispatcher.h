// The outbox dispatcher (flow 3): sends claimed deliveries after commit, at
// least once, with exponential backoff and a dead-letter state.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "notifications/channels.h"
#include "workflow/clock.h"
#include "workflow/ports.h"

namespace kansli::notifications {

struct DispatcherSettings {
  std::string worker;  // unique per process and thread, e.g. host:pid:n
  std::chrono::seconds lease{60};
  int batch = 50;
  int max_attempts = 8;                   // the 8th failure makes the delivery dead
  std::chrono::seconds backoff_base{30};  // 30 s, 60 s, 120 s, ... with ±20 % jitter
  std::chrono::seconds backoff_max{3600};
  // For the crash tests: "die_after_delivery_claim" ends the process after a
  // claim, before sending (KANSLI_TEST_FAULT).
  std::string fault;
};

struct DispatchResult {
  int sent = 0;
  int failed = 0;  // retried later
  int dead = 0;
};

// The delay before attempt n+1 after n failures (n >= 1): base * 2^(n-1),
// capped, times a jitter factor in [0.8, 1.2] (`unit` in [0, 1)).
std::chrono::milliseconds Backoff(const DispatcherSettings& s, int failures, double unit);

class Dispatcher {
 public:
  // `email` and `webhook` may be null: such deliveries fail as "not configured".
  Dispatcher(workflow::Outbox& outbox, const workflow::Clock& clock, Channel* email,
             Channel* webhook, DispatcherSettings settings);

  // Claims one batch and sends it. Thread-safe for distinct workers only
  // (one Dispatcher per thread). Throws workflow::Unavailable.
  DispatchResult RunOnce();

 private:
  void LogOutcome(const std::string& target, const std::string* error);

  workflow::Outbox& outbox_;
  const workflow::Clock& clock_;
  Channel* email_;
  Channel* webhook_;
  DispatcherSettings s_;
  // One log line per failure streak and target, not per attempt.
  std::map<std::string, bool> failing_;
};

}  // namespace kansli::notifications
