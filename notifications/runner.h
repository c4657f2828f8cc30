// Runs the scheduler and the dispatchers in background threads (inside
// `kansli serve` and `kansli scheduler`), polling every `poll`.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "notifications/dispatcher.h"
#include "notifications/scheduler.h"

namespace kansli::notifications {

class Runner {
 public:
  // One thread fires reminders; one per dispatcher sends deliveries. A pass
  // that found work runs again at once; an idle one waits `poll`. Errors (the
  // database away) are logged once per streak and retried after `poll`.
  Runner(ReminderScheduler& scheduler, std::vector<std::unique_ptr<Dispatcher>> dispatchers,
         std::chrono::milliseconds poll);
  ~Runner();  // Stop()
  void Start();
  void Stop();

 private:
  void Loop(const char* name, const std::function<bool()>& pass);

  ReminderScheduler& scheduler_;
  std::vector<std::unique_ptr<Dispatcher>> dispatchers_;
  std::chrono::milliseconds poll_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace kansli::notifications
