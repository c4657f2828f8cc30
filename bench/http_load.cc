// http_load: a load client for Kansli's event endpoint (a benchmark, not a test).
//
// It registers N motions and distributes them (untimed), then runs C client threads. Each
// thread owns the cases whose index is congruent to its number modulo C (so clients never wait
// on each other's row locks) and posts events to them one after another on one keep-alive
// connection: for a warm-up period (not counted), then for the measured duration. Only 2xx
// responses count as transitions; every other status and every transport error is counted
// separately. Latency is measured per request, from sending to the whole response being read.
//
// The last line of output is machine-readable:
//   RESULT clients=8 duration_s=20.000 transitions=1234 tps=61.70 p50_ms=... p99_ms=... errors=0
#include <curl/curl.h>
#include <sys/resource.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using json = nlohmann::json;

constexpr const char* kUsage = R"(usage: http_load --url URL --token-file FILE [options]

Posts case events to a running Kansli server with concurrent clients and reports
transitions per second (2xx responses only) and latency percentiles.

options:
  --url URL            the server, e.g. http://127.0.0.1:8080 (required)
  --token-file FILE    a file holding an API token that may register and record (required)
  --clients C          concurrent clients, one thread and connection each (default 8)
  --duration D         measured seconds (default 20)
  --warmup W           seconds of load before measuring, not counted (default 2)
  --cases N            motions to register and distribute before the load (default 200)
  --event KIND         note: a 'note' with a text on every request (default);
                       material: alternate request_material / material_delivered per case
  --organ CODE         the responsible organ the motions are distributed to (default fs)
  --timeout S          per-request timeout in seconds (default 30)
  --case-ids-out FILE  write the ids of the registered motions to FILE
)";

struct Options {
  std::string url;
  std::string token;
  int clients = 8;
  double duration = 20;
  double warmup = 2;
  int cases = 200;
  std::string event = "note";
  std::string organ = "fs";
  long timeout = 30;
  std::string case_ids_out;
};

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  return s.substr(i);
}

double NumberArg(const std::string& name, const std::string& v, double min, double max) {
  try {
    std::size_t used = 0;
    const double d = std::stod(v, &used);
    if (used == v.size() && d >= min && d <= max) return d;
  } catch (const std::exception&) {
  }
  std::ostringstream msg;
  msg << name << " must be a number from " << min << " to " << max << ", not '" << v << "'";
  throw UsageError(msg.str());
}

Options ParseArgs(int argc, char** argv) {
  Options o;
  std::string token_file;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "-h" || a == "--help") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    }
    if (i + 1 >= argc) throw UsageError("option " + a + " needs a value");
    const std::string v = argv[++i];
    if (a == "--url") {
      o.url = v;
    } else if (a == "--token-file") {
      token_file = v;
    } else if (a == "--clients") {
      o.clients = static_cast<int>(NumberArg(a, v, 1, 1024));
    } else if (a == "--duration") {
      o.duration = NumberArg(a, v, 0.1, 86400);
    } else if (a == "--warmup") {
      o.warmup = NumberArg(a, v, 0, 3600);
    } else if (a == "--cases") {
      o.cases = static_cast<int>(NumberArg(a, v, 1, 1000000));
    } else if (a == "--event") {
      if (v != "note" && v != "material") throw UsageError("--event must be note or material");
      o.event = v;
    } else if (a == "--organ") {
      o.organ = v;
    } else if (a == "--timeout") {
      o.timeout = static_cast<long>(NumberArg(a, v, 1, 3600));
    } else if (a == "--case-ids-out") {
      o.case_ids_out = v;
    } else {
      throw UsageError("unknown option " + a);
    }
  }
  if (o.url.empty()) throw UsageError("--url is required");
  if (token_file.empty()) throw UsageError("--token-file is required");
  while (!o.url.empty() && o.url.back() == '/') o.url.pop_back();
  std::ifstream f(token_file);
  if (!f) throw std::runtime_error("cannot read the token file " + token_file);
  std::getline(f, o.token);
  o.token = Trim(o.token);
  if (o.token.empty()) throw std::runtime_error("the token file " + token_file + " is empty");
  if (o.cases < o.clients)
    throw UsageError("--cases (" + std::to_string(o.cases) + ") must be at least --clients (" +
                     std::to_string(o.clients) + "): every client needs its own cases");
  return o;
}

// A civil date (UTC) `days` from today, as YYYY-MM-DD.
std::string DateFromToday(int days) {
  const std::time_t t = std::time(nullptr) + static_cast<std::time_t>(days) * 86400;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::size_t Collect(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

struct Reply {
  long status = 0;  // 0: no HTTP response (transport error, see `error`)
  std::string body;
  std::string error;
};

// One client: one curl handle, so one keep-alive connection.
class Client {
 public:
  explicit Client(const Options& o) : base_(o.url) {
    curl_ = curl_easy_init();
    if (!curl_) throw std::runtime_error("curl_easy_init failed");
    headers_ = curl_slist_append(headers_, "Content-Type: application/json");
    headers_ = curl_slist_append(headers_, "Accept: application/json");
    headers_ = curl_slist_append(headers_, ("Authorization: Bearer " + o.token).c_str());
    headers_ = curl_slist_append(headers_, "Expect:");
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &Collect);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &reply_.body);
    curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error_);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT, o.timeout);
    curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(curl_, CURLOPT_POST, 1L);
  }
  ~Client() {
    curl_slist_free_all(headers_);
    curl_easy_cleanup(curl_);
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  const Reply& Post(const std::string& path, const std::string& body) {
    reply_.status = 0;
    reply_.body.clear();
    reply_.error.clear();
    error_[0] = '\0';
    const std::string url = base_ + path;
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    const CURLcode rc = curl_easy_perform(curl_);
    if (rc != CURLE_OK) {
      reply_.error = error_[0] ? error_ : curl_easy_strerror(rc);
      return reply_;
    }
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &reply_.status);
    return reply_;
  }

 private:
  std::string base_;
  CURL* curl_ = nullptr;
  curl_slist* headers_ = nullptr;
  char error_[CURL_ERROR_SIZE] = {};
  Reply reply_;
};

std::string Shorten(const std::string& s) { return s.size() > 300 ? s.substr(0, 300) + "…" : s; }

// Registers and distributes motions k = first, first + step, ... < n. Returns their ids.
std::vector<long long> Prepare(const Options& o, int first, int step, int n) {
  Client client(o);
  std::vector<long long> ids;
  const std::string received = DateFromToday(-1);
  for (int k = first; k < n; k += step) {
    const json reg = {{"type", "motion"},
                      {"title", "Benchmarkmotion " + std::to_string(k + 1)},
                      {"received", received},
                      {"submitters", {{{"name", "Bänk Bänksson"}, {"party", "X"}}}}};
    const Reply& r = client.Post("/api/v1/cases", reg.dump());
    if (r.status != 201)
      throw std::runtime_error(
          "registering a motion failed: " +
          (r.status ? "HTTP " + std::to_string(r.status) + " " + Shorten(r.body) : r.error));
    const long long id = json::parse(r.body).at("id").get<long long>();
    const json dist = {{"event", "distribute"},
                       {"organ", "rf-pres"},
                       {"to", o.organ},
                       {"consult", json::array()},
                       {"text", "Motionen fördelas (benchmark)"}};
    const Reply& d = client.Post("/api/v1/cases/" + std::to_string(id) + "/events", dist.dump());
    if (d.status != 200)
      throw std::runtime_error(
          "distributing motion " + std::to_string(id) + " failed: " +
          (d.status ? "HTTP " + std::to_string(d.status) + " " + Shorten(d.body) : d.error));
    ids.push_back(id);
  }
  return ids;
}

struct Tally {
  long long ok = 0;
  std::map<long, long long> errors;   // status -> count; 0: transport error
  std::vector<std::string> samples;   // a few error texts
  std::vector<std::uint32_t> lat_us;  // latencies of the counted 2xx responses
  long long uncounted_ok = 0;         // 2xx during the warm-up or completed after the window
};

struct Window {
  Clock::time_point measure_from;
  Clock::time_point measure_to;
};

void Load(const Options& o, const std::vector<long long>& mine, int client_no, const Window& w,
          Tally& t) {
  Client client(o);
  const std::string due = DateFromToday(30);
  std::vector<bool> requested(mine.size(), false);  // material: the next event per case
  t.lat_us.reserve(1 << 16);
  long long n = 0;
  for (std::size_t i = 0;; i = (i + 1) % mine.size()) {
    const auto start = Clock::now();
    if (start >= w.measure_to) break;
    const std::string text =
        "Benchmark: klient " + std::to_string(client_no) + ", händelse " + std::to_string(++n);
    json ev;
    if (o.event == "note") {
      ev = {{"event", "note"}, {"organ", o.organ}, {"text", text}};
    } else if (!requested[i]) {
      ev = {{"event", "request_material"},
            {"organ", o.organ},
            {"assignee", "rlk"},
            {"due", due},
            {"text", text}};
    } else {
      ev = {
          {"event", "material_delivered"},
          {"organ", "rlk"},
          {"document", {{"title", "Underlag " + std::to_string(n)}, {"type", "tjansteskrivelse"}}},
          {"text", text}};
    }
    const Reply& r = client.Post("/api/v1/cases/" + std::to_string(mine[i]) + "/events", ev.dump());
    const auto end = Clock::now();
    const bool ok = r.status >= 200 && r.status < 300;
    if (ok && o.event == "material") requested[i] = !requested[i];
    if (start < w.measure_from || end > w.measure_to) {
      if (ok) ++t.uncounted_ok;
      if (ok || start < w.measure_from) continue;  // errors at the end still count
    }
    if (ok) {
      ++t.ok;
      t.lat_us.push_back(static_cast<std::uint32_t>(
          std::chrono::duration_cast<std::chrono::microseconds>(end - start).count()));
    } else {
      ++t.errors[r.status];
      if (t.samples.size() < 3)
        t.samples.push_back(r.status ? "HTTP " + std::to_string(r.status) + " " + Shorten(r.body)
                                     : "transport: " + r.error);
      if (r.status == 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
}

double Percentile(const std::vector<std::uint32_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  const std::size_t k = static_cast<std::size_t>(p / 100.0 * static_cast<double>(sorted.size()));
  return sorted[std::min(k, sorted.size() - 1)] / 1000.0;
}

int Run(const Options& o) {
  std::printf(
      "http_load: %s, %d clients, %d motions, event '%s', warm-up %.1f s, measuring %.1f s\n",
      o.url.c_str(), o.clients, o.cases, o.event.c_str(), o.warmup, o.duration);
  std::fflush(stdout);

  // 1. Register and distribute the motions (not timed), with the same number of clients.
  const auto prep_started = Clock::now();
  std::vector<std::vector<long long>> prepared(o.clients);
  std::vector<std::string> prep_errors(o.clients);
  {
    std::vector<std::thread> threads;
    for (int c = 0; c < o.clients; ++c)
      threads.emplace_back([&, c] {
        try {
          prepared[c] = Prepare(o, c, o.clients, o.cases);
        } catch (const std::exception& e) {
          prep_errors[c] = e.what();
        }
      });
    for (auto& t : threads) t.join();
  }
  for (const auto& e : prep_errors)
    if (!e.empty()) throw std::runtime_error(e);
  const double prep_s = std::chrono::duration<double>(Clock::now() - prep_started).count();
  std::printf("http_load: registered and distributed %d motions in %.1f s\n", o.cases, prep_s);
  if (!o.case_ids_out.empty()) {
    std::ofstream f(o.case_ids_out, std::ios::trunc);
    for (const auto& ids : prepared)
      for (auto id : ids) f << id << "\n";
    if (!f) throw std::runtime_error("cannot write " + o.case_ids_out);
  }
  std::fflush(stdout);

  // 2. The load: client c posts to the motions it registered itself.
  Window w;
  const auto t0 = Clock::now();
  w.measure_from =
      t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.warmup));
  w.measure_to = w.measure_from + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(o.duration));
  std::vector<Tally> tallies(o.clients);
  {
    std::vector<std::thread> threads;
    for (int c = 0; c < o.clients; ++c)
      threads.emplace_back([&, c] { Load(o, prepared[c], c, w, tallies[c]); });
    for (auto& t : threads) t.join();
  }

  // 3. Report.
  Tally all;
  for (auto& t : tallies) {
    all.ok += t.ok;
    all.uncounted_ok += t.uncounted_ok;
    for (const auto& [s, n] : t.errors) all.errors[s] += n;
    for (auto& s : t.samples)
      if (all.samples.size() < 5) all.samples.push_back(s);
    all.lat_us.insert(all.lat_us.end(), t.lat_us.begin(), t.lat_us.end());
  }
  std::sort(all.lat_us.begin(), all.lat_us.end());
  long long errors = 0;
  for (const auto& [s, n] : all.errors) errors += n;
  const double tps = static_cast<double>(all.ok) / o.duration;
  double sum_ms = 0;
  for (auto us : all.lat_us) sum_ms += us / 1000.0;
  const double mean_ms = all.lat_us.empty() ? 0 : sum_ms / static_cast<double>(all.lat_us.size());
  const double p50 = Percentile(all.lat_us, 50), p90 = Percentile(all.lat_us, 90),
               p99 = Percentile(all.lat_us, 99),
               max = all.lat_us.empty() ? 0 : all.lat_us.back() / 1000.0;

  std::printf("http_load: %lld transitions (2xx) in %.1f s: %.1f transitions/s\n", all.ok,
              o.duration, tps);
  std::printf("http_load: latency ms: mean %.2f, p50 %.2f, p90 %.2f, p99 %.2f, max %.2f\n", mean_ms,
              p50, p90, p99, max);
  if (errors == 0) {
    std::printf("http_load: no errors\n");
  } else {
    std::printf("http_load: %lld errors (not counted as transitions):", errors);
    for (const auto& [s, n] : all.errors)
      std::printf(" %s=%lld", s ? ("HTTP " + std::to_string(s)).c_str() : "transport", n);
    std::printf("\n");
    for (const auto& s : all.samples) std::printf("http_load:   e.g. %s\n", s.c_str());
  }
  // This process's own CPU time (all phases), so that the caller can tell the client's share.
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  const double cpu_s = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                       static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  std::printf(
      "RESULT clients=%d duration_s=%.3f transitions=%lld tps=%.2f mean_ms=%.2f p50_ms=%.2f "
      "p90_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%lld uncounted_transitions=%lld cpu_s=%.3f\n",
      o.clients, o.duration, all.ok, tps, mean_ms, p50, p90, p99, max, errors, all.uncounted_ok,
      cpu_s);
  std::fflush(stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options o = ParseArgs(argc, argv);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      std::fprintf(stderr, "http_load: libcurl could not be initialised\n");
      return 1;
    }
    const int rc = Run(o);
    curl_global_cleanup();
    return rc;
  } catch (const UsageError& e) {
    std::fprintf(stderr, "http_load: %s\n\n%s", e.what(), kUsage);
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "http_load: %s\n", e.what());
    return 1;
  }
}
