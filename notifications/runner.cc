#include "notifications/runner.h"

#include <spdlog/spdlog.h>

#include <functional>

namespace kansli::notifications {

Runner::Runner(ReminderScheduler& scheduler, std::vector<std::unique_ptr<Dispatcher>> dispatchers,
               std::chrono::milliseconds poll)
    : scheduler_(scheduler), dispatchers_(std::move(dispatchers)), poll_(poll) {}

Runner::~Runner() { Stop(); }

void Runner::Start() {
  threads_.emplace_back([this] {
    Loop("scheduler", [this] {
      const auto r = scheduler_.FireDue();
      return r.fired + r.dropped > 0;
    });
  });
  for (auto& d : dispatchers_) {
    Dispatcher* dispatcher = d.get();
    threads_.emplace_back([this, dispatcher] {
      Loop("dispatcher", [dispatcher] {
        const auto r = dispatcher->RunOnce();
        return r.sent + r.failed + r.dead > 0;
      });
    });
  }
}

void Runner::Stop() {
  {
    std::lock_guard<std::mutex> g(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

void Runner::Loop(const char* name, const std::function<bool()>& pass) {
  bool failing = false;
  for (;;) {
    bool busy = false;
    try {
      busy = pass();
      if (failing) spdlog::info("event={}_recovered", name);
      failing = false;
    } catch (const std::exception& e) {
      if (!failing) spdlog::error("event={}_failing error=\"{}\"", name, e.what());
      failing = true;
    }
    std::unique_lock<std::mutex> lock(mu_);
    if (stopping_) return;
    if (!busy) cv_.wait_for(lock, poll_, [this] { return stopping_; });
    if (stopping_) return;
  }
}

}  // namespace kansli::notifications
