#include "notifications/dispatcher.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <random>

namespace kansli::notifications {

std::chrono::milliseconds Backoff(const DispatcherSettings& s, int failures, double unit) {
  const double base = static_cast<double>(s.backoff_base.count()) * 1000.0;
  const double cap = static_cast<double>(s.backoff_max.count()) * 1000.0;
  const double raw = std::min(cap, base * std::pow(2.0, std::max(0, failures - 1)));
  const double jitter = 0.8 + 0.4 * std::clamp(unit, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<long long>(raw * jitter));
}

Dispatcher::Dispatcher(workflow::Outbox& outbox, const workflow::Clock& clock, Channel* email,
                       Channel* webhook, DispatcherSettings settings)
    : outbox_(outbox), clock_(clock), email_(email), webhook_(webhook), s_(std::move(settings)) {}

void Dispatcher::LogOutcome(const std::string& target, const std::string* error) {
  bool& failing = failing_[target];
  if (error && !failing) {
    spdlog::error("event=delivery_failing target=\"{}\" error=\"{}\" (logged once until it works)",
                  target, *error);
  } else if (!error && failing) {
    spdlog::info("event=delivery_recovered target=\"{}\"", target);
  }
  failing = error != nullptr;
}

DispatchResult Dispatcher::RunOnce() {
  DispatchResult result;
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const auto claimed = outbox_.Claim(s_.worker, clock_.Now(), s_.lease, s_.batch);
  if (!claimed.empty() && s_.fault == "die_after_delivery_claim") {
    spdlog::warn("event=test_fault fault=die_after_delivery_claim claimed={}", claimed.size());
    std::_Exit(70);
  }
  for (const auto& d : claimed) {
    Channel* ch = d.channel == "email" ? email_ : d.channel == "webhook" ? webhook_ : nullptr;
    std::string error;
    try {
      if (!ch) throw DeliveryError("the " + d.channel + " channel is not configured");
      ch->Send(d);
    } catch (const std::exception& e) {
      error = e.what();
    }
    const std::string key = d.channel + " " + (d.channel == "email" ? "smtp" : d.target);
    if (error.empty()) {
      outbox_.MarkSent(d.id, s_.worker, clock_.Now());
      spdlog::info("event=delivered delivery={} notification={} channel={} attempts={}", d.id,
                   d.notification_id, d.channel, d.attempts + 1);
      LogOutcome(key, nullptr);
      ++result.sent;
      continue;
    }
    const int failures = d.attempts + 1;
    const bool dead = failures >= s_.max_attempts;
    const auto next = clock_.Now() + Backoff(s_, failures, unit(rng));
    outbox_.MarkFailed(d.id, s_.worker, error, next, dead);
    LogOutcome(key, &error);
    if (dead) {
      spdlog::warn("event=delivery_dead delivery={} channel={} attempts={}", d.id, d.channel,
                   failures);
      ++result.dead;
    } else {
      ++result.failed;
    }
  }
  return result;
}

}  // namespace kansli::notifications
