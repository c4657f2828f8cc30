// Time as the domain sees it. Every "now" and "today" comes from a Clock so
// tests can move time instead of sleeping.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>

#include "workflow/civil_date.h"

namespace kansli::workflow {

class Clock {
 public:
  virtual ~Clock() = default;
  // The current instant. Thread-safe.
  virtual std::chrono::system_clock::time_point Now() const = 0;
  // The civil date of Now() in Europe/Stockholm. Thread-safe.
  Date Today() const;
};

// The civil date of an instant in Europe/Stockholm.
Date StockholmDate(std::chrono::system_clock::time_point t);

// The instant of `hour`:00 on `d` in Europe/Stockholm (a time that does not
// exist on a daylight-saving day is moved forward).
std::chrono::system_clock::time_point StockholmInstant(const Date& d, int hour);

// RFC 3339 with the Europe/Stockholm offset, e.g. "2022-06-16T09:30:00+02:00".
std::string FormatInstant(std::chrono::system_clock::time_point t);

// The real clock.
class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override;
};

// A clock that stands still until moved: for tests, and for demonstrations
// that must show a past day (KANSLI_NOW). Thread-safe.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(std::chrono::system_clock::time_point t)
      : now_(t.time_since_epoch().count()) {}
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::time_point(std::chrono::system_clock::duration(now_.load()));
  }
  void Set(std::chrono::system_clock::time_point t) { now_ = t.time_since_epoch().count(); }

 private:
  std::atomic<std::chrono::system_clock::rep> now_;
};

// Parses an RFC 3339 instant ("2022-06-16T09:00:00Z", "...+02:00") or a civil
// date ("2022-06-16", taken as 12:00 in Europe/Stockholm); nullopt if neither.
std::optional<std::chrono::system_clock::time_point> ParseInstant(const std::string& text);

}  // namespace kansli::workflow
