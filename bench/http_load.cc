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
//
// With --mix it sends a mix of requests instead (events on cases, registrations, case pages,
// case lists and searches; see kUsage). Without --rate the clients send back to back (closed
// loop: the maximum throughput). With --rate R the requests are scheduled at R per second from
// the start (open loop): request k is due at start + k/R whatever happened to earlier requests,
// a free connection sends it at that time (or as soon as one is free), and its latency is
// measured from the time it was due, so a slow response delays no measurement (no coordinated
// omission). The output then also says how late requests were sent and whether every
// connection was ever busy at once, so that a client that could not keep the schedule shows.
#include <curl/curl.h>
#include <sys/resource.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
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

mixed load (--mix):
  --mix                send a mix of requests instead of events only: events ('note') on
                       random prepared motions, registrations of new motions, case pages
                       (GET /api/v1/cases/{id}), case lists (GET /api/v1/cases?..., first page,
                       unfiltered or by state or organ) and searches (GET /api/v1/cases?q=...)
  --weights LIST       the mix in per cent or any relative weights
                       (default event=30,register=5,case=35,list=15,search=15)
  --rate R             open loop: R requests per second in all, on a fixed schedule; latency
                       is measured from each request's scheduled time (default 0: closed loop,
                       every client sends its next request when the last one is answered)
  --url URL1,URL2      with --mix, several servers: client i uses URL number i mod n
  --seed S             seed of the random choices (default 1)
  --report-every S     with --mix, print a progress line every S seconds (default 0: none)
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
  // --mix
  bool mix = false;
  double rate = 0;
  std::vector<std::string> urls;                        // --url split at commas
  std::array<double, 5> weights = {30, 5, 35, 15, 15};  // by Kind
  unsigned seed = 1;
  double report_every = 0;
};

// The requests of the mix.
enum Kind { kEvent = 0, kRegister, kCasePage, kList, kSearch, kKinds };
const char* const kKindNames[kKinds] = {"event", "register", "case", "list", "search"};

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
    if (a == "--mix") {
      o.mix = true;
      continue;
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
    } else if (a == "--rate") {
      o.rate = NumberArg(a, v, 0, 1000000);
    } else if (a == "--seed") {
      o.seed = static_cast<unsigned>(NumberArg(a, v, 0, 4294967295.0));
    } else if (a == "--report-every") {
      o.report_every = NumberArg(a, v, 0, 86400);
    } else if (a == "--weights") {
      o.weights.fill(0);
      std::stringstream in(v);
      std::string item;
      while (std::getline(in, item, ',')) {
        const auto eq = item.find('=');
        const std::string name = Trim(item.substr(0, eq));
        int k = 0;
        while (k < kKinds && name != kKindNames[k]) ++k;
        if (eq == std::string::npos || k == kKinds)
          throw UsageError("--weights: '" + item +
                           "' is not KIND=WEIGHT with KIND event, register, case, list or search");
        o.weights[k] = NumberArg("--weights " + name, item.substr(eq + 1), 0, 1e6);
      }
    } else {
      throw UsageError("unknown option " + a);
    }
  }
  if (o.url.empty()) throw UsageError("--url is required");
  if (token_file.empty()) throw UsageError("--token-file is required");
  {
    std::stringstream in(o.url);
    std::string u;
    while (std::getline(in, u, ',')) {
      u = Trim(u);
      while (!u.empty() && u.back() == '/') u.pop_back();
      if (!u.empty()) o.urls.push_back(u);
    }
  }
  if (o.urls.empty()) throw UsageError("--url is required");
  if (o.urls.size() > 1 && !o.mix) throw UsageError("several URLs need --mix");
  o.url = o.urls[0];
  if (!o.mix && o.rate > 0) throw UsageError("--rate needs --mix");
  double weight_sum = 0;
  for (double w : o.weights) weight_sum += w;
  if (weight_sum <= 0) throw UsageError("--weights: at least one weight must be above 0");
  std::ifstream f(token_file);
  if (!f) throw std::runtime_error("cannot read the token file " + token_file);
  std::getline(f, o.token);
  o.token = Trim(o.token);
  if (o.token.empty()) throw std::runtime_error("the token file " + token_file + " is empty");
  if (!o.mix && o.cases < o.clients)
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
  explicit Client(const Options& o) : Client(o, o.url) {}
  Client(const Options& o, std::string base) : base_(std::move(base)) {
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
    curl_easy_setopt(curl_, CURLOPT_POST, 1L);
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    return Perform(path);
  }

  const Reply& Get(const std::string& path) {
    curl_easy_setopt(curl_, CURLOPT_HTTPGET, 1L);
    return Perform(path);
  }

 private:
  const Reply& Perform(const std::string& path) {
    reply_.status = 0;
    reply_.body.clear();
    reply_.error.clear();
    error_[0] = '\0';
    const std::string url = base_ + path;
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    const CURLcode rc = curl_easy_perform(curl_);
    if (rc != CURLE_OK) {
      reply_.error = error_[0] ? error_ : curl_easy_strerror(rc);
      return reply_;
    }
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &reply_.status);
    return reply_;
  }

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

// --- the mixed load (--mix) ---------------------------------------------------------------

// Subjects of the registered motions' titles and the search words.
const char* const kSubjects[] = {"kollektivtrafik", "vårdköer",          "tandvård",
                                 "cykelvägar",      "bredband",          "solceller",
                                 "folkhögskolorna", "ambulanssjukvården"};
constexpr int kSubjectCount = sizeof kSubjects / sizeof kSubjects[0];

struct MixTally {
  std::array<std::vector<std::uint32_t>, kKinds> lat_us;  // counted 2xx, from the due time
  std::vector<std::uint32_t> all_us;                      // every counted 2xx
  std::vector<std::uint32_t> service_us;                  // counted 2xx, from sending
  std::vector<std::uint32_t> lag_us;                      // sent minus due (open loop)
  std::array<long long, kKinds> ok{};
  std::map<long, long long> errors;  // status -> count; 0: transport error
  std::array<long long, kKinds> kind_errors{};
  std::vector<std::string> samples;
  long long late_10ms = 0;  // sent more than 10 ms after the due time
};

struct MixShared {
  const Options* o = nullptr;
  std::vector<long long> ids;  // the prepared motions
  std::array<double, kKinds> cumulative{};
  Clock::time_point start, measure_from, measure_to;
  std::atomic<long long> next{0};     // open loop: the next request number
  std::atomic<int> in_flight{0};      // requests being sent or awaited
  std::atomic<int> max_in_flight{0};  // during the measured window
  std::atomic<long long> done{0};     // answered (any status), for progress lines
};

Kind PickKind(const MixShared& sh, std::mt19937_64& rng) {
  const double x = std::uniform_real_distribution<double>(0, sh.cumulative[kKinds - 1])(rng);
  for (int k = 0; k < kKinds; ++k)
    if (x < sh.cumulative[k]) return static_cast<Kind>(k);
  return kSearch;
}

// Sends one request of the given kind; `n` only varies texts and titles.
const Reply& SendOne(Client& client, const MixShared& sh, Kind kind, std::mt19937_64& rng,
                     long long n, const std::string& received) {
  const Options& o = *sh.o;
  auto any_case = [&] {
    return sh.ids[std::uniform_int_distribution<std::size_t>(0, sh.ids.size() - 1)(rng)];
  };
  const int subject = static_cast<int>(rng() % kSubjectCount);
  switch (kind) {
    case kEvent: {
      const json ev = {{"event", "note"},
                       {"organ", o.organ},
                       {"text", "Belastningstest: anteckning " + std::to_string(n)}};
      return client.Post("/api/v1/cases/" + std::to_string(any_case()) + "/events", ev.dump());
    }
    case kRegister: {
      const json reg = {
          {"type", "motion"},
          {"title", std::string("Motion om ") + kSubjects[subject] + " " + std::to_string(n)},
          {"received", received},
          {"submitters", {{{"name", "Bänk Bänksson"}, {"party", "X"}}}}};
      return client.Post("/api/v1/cases", reg.dump());
    }
    case kCasePage:
      return client.Get("/api/v1/cases/" + std::to_string(any_case()));
    case kList:
      switch (rng() % 3) {
        case 0:
          return client.Get("/api/v1/cases?limit=50");
        case 1:
          return client.Get("/api/v1/cases?type=motion&state=distributed&limit=50");
        default:
          return client.Get("/api/v1/cases?organ=" + o.organ + "&limit=50");
      }
    default: {
      // The search words are the subjects; their UTF-8 bytes percent-encoded.
      std::string q;
      for (unsigned char ch : std::string(kSubjects[subject])) {
        char buf[4];
        if (std::isalnum(ch)) {
          q += static_cast<char>(ch);
        } else {
          std::snprintf(buf, sizeof buf, "%%%02X", ch);
          q += buf;
        }
      }
      return client.Get("/api/v1/cases?q=" + q + "&limit=50");
    }
  }
}

void Record(MixTally& t, Kind kind, const Reply& r, Clock::time_point due, Clock::time_point sent,
            Clock::time_point end) {
  auto us = [](Clock::duration d) {
    const auto v = std::chrono::duration_cast<std::chrono::microseconds>(d).count();
    return static_cast<std::uint32_t>(std::max<long long>(0, std::min<long long>(v, 4000000000LL)));
  };
  if (r.status >= 200 && r.status < 300) {
    ++t.ok[kind];
    t.lat_us[kind].push_back(us(end - due));
    t.all_us.push_back(us(end - due));
    t.service_us.push_back(us(end - sent));
  } else {
    ++t.errors[r.status];
    ++t.kind_errors[kind];
    if (t.samples.size() < 3)
      t.samples.push_back(std::string(kKindNames[kind]) + ": " +
                          (r.status ? "HTTP " + std::to_string(r.status) + " " + Shorten(r.body)
                                    : "transport: " + r.error));
  }
}

void NoteInFlight(MixShared& sh, int now_in_flight, Clock::time_point t) {
  if (t < sh.measure_from || t >= sh.measure_to) return;
  int seen = sh.max_in_flight.load();
  while (now_in_flight > seen && !sh.max_in_flight.compare_exchange_weak(seen, now_in_flight)) {
  }
}

void MixWorker(MixShared& sh, int client_no, MixTally& t) {
  const Options& o = *sh.o;
  Client client(o, o.urls[static_cast<std::size_t>(client_no) % o.urls.size()]);
  const std::string received = DateFromToday(-1);
  std::mt19937_64 rng(o.seed * 1000003ULL + static_cast<unsigned long long>(client_no));
  for (auto& v : t.lat_us) v.reserve(1 << 14);
  if (o.rate > 0) {
    // Open loop: request k is due at start + k / rate.
    for (;;) {
      const long long k = sh.next.fetch_add(1);
      const auto due = sh.start + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(k / o.rate));
      if (due >= sh.measure_to) break;
      std::this_thread::sleep_until(due);
      std::mt19937_64 req_rng(o.seed * 0x9E3779B97F4A7C15ULL + static_cast<unsigned long long>(k));
      const Kind kind = PickKind(sh, req_rng);
      const int in = sh.in_flight.fetch_add(1) + 1;
      const auto sent = Clock::now();
      NoteInFlight(sh, in, sent);
      const Reply& r = SendOne(client, sh, kind, req_rng, k, received);
      const auto end = Clock::now();
      sh.in_flight.fetch_sub(1);
      sh.done.fetch_add(1);
      if (due < sh.measure_from) continue;  // the warm-up
      const auto lag = sent - due;
      t.lag_us.push_back(static_cast<std::uint32_t>(
          std::chrono::duration_cast<std::chrono::microseconds>(lag).count()));
      if (lag > std::chrono::milliseconds(10)) ++t.late_10ms;
      Record(t, kind, r, due, sent, end);
      if (r.status == 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return;
  }
  // Closed loop: the next request as soon as the last one is answered.
  for (long long n = 0;; ++n) {
    const auto sent = Clock::now();
    if (sent >= sh.measure_to) break;
    const Kind kind = PickKind(sh, rng);
    const int in = sh.in_flight.fetch_add(1) + 1;
    NoteInFlight(sh, in, sent);
    const Reply& r = SendOne(client, sh, kind, rng, n * 1000 + client_no, received);
    const auto end = Clock::now();
    sh.in_flight.fetch_sub(1);
    sh.done.fetch_add(1);
    if (sent < sh.measure_from) continue;
    if (end > sh.measure_to && r.status >= 200 && r.status < 300) continue;  // after the window
    Record(t, kind, r, sent, sent, end);
    if (r.status == 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

double CpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

int RunMix(const Options& o) {
  MixShared sh;
  sh.o = &o;
  double sum = 0;
  for (int k = 0; k < kKinds; ++k) sh.cumulative[k] = (sum += o.weights[k]);
  std::string weights;
  for (int k = 0; k < kKinds; ++k)
    weights += (k ? "," : "") + std::string(kKindNames[k]) + "=" +
               std::to_string(static_cast<int>(o.weights[k] * 100 / sum + 0.5)) + "%";
  std::printf(
      "http_load: mix %s; %zu server(s) (%s), %d connections, %s, warm-up %.1f s, "
      "measuring %.1f s\n",
      weights.c_str(), o.urls.size(), o.url.c_str(), o.clients,
      o.rate > 0 ? ("open loop at " + std::to_string(o.rate) + " requests/s").c_str()
                 : "closed loop",
      o.warmup, o.duration);
  std::fflush(stdout);

  // 1. Motions for events and case pages (not timed): registered and distributed with up to 8
  //    clients on the first server.
  const auto prep_started = Clock::now();
  const int prep_clients = std::min({o.clients, 8, o.cases});
  std::vector<std::vector<long long>> prepared(prep_clients);
  std::vector<std::string> prep_errors(prep_clients);
  {
    std::vector<std::thread> threads;
    for (int c = 0; c < prep_clients; ++c)
      threads.emplace_back([&, c] {
        try {
          prepared[c] = Prepare(o, c, prep_clients, o.cases);
        } catch (const std::exception& e) {
          prep_errors[c] = e.what();
        }
      });
    for (auto& t : threads) t.join();
  }
  for (const auto& e : prep_errors)
    if (!e.empty()) throw std::runtime_error(e);
  for (const auto& ids : prepared) sh.ids.insert(sh.ids.end(), ids.begin(), ids.end());
  std::printf("http_load: registered and distributed %d motions in %.1f s\n", o.cases,
              std::chrono::duration<double>(Clock::now() - prep_started).count());
  if (!o.case_ids_out.empty()) {
    std::ofstream f(o.case_ids_out, std::ios::trunc);
    for (auto id : sh.ids) f << id << "\n";
    if (!f) throw std::runtime_error("cannot write " + o.case_ids_out);
  }
  std::fflush(stdout);

  // 2. The load.
  const double cpu_before = CpuSeconds();
  sh.start = Clock::now() + std::chrono::milliseconds(100);  // every thread started
  sh.measure_from = sh.start + std::chrono::duration_cast<Clock::duration>(
                                   std::chrono::duration<double>(o.warmup));
  sh.measure_to = sh.measure_from + std::chrono::duration_cast<Clock::duration>(
                                        std::chrono::duration<double>(o.duration));
  std::vector<MixTally> tallies(o.clients);
  std::atomic<bool> finished{false};
  std::thread progress;
  if (o.report_every > 0)
    progress = std::thread([&] {
      long long last = 0;
      auto at = sh.start;
      while (!finished.load()) {
        at += std::chrono::duration_cast<Clock::duration>(
            std::chrono::duration<double>(o.report_every));
        while (Clock::now() < at && !finished.load())
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (finished.load()) break;
        const long long d = sh.done.load();
        std::printf("http_load: progress t=%.0f s answered=%lld (%.1f/s) in_flight=%d\n",
                    std::chrono::duration<double>(Clock::now() - sh.start).count(), d,
                    static_cast<double>(d - last) / o.report_every, sh.in_flight.load());
        std::fflush(stdout);
        last = d;
      }
    });
  {
    std::vector<std::thread> threads;
    for (int c = 0; c < o.clients; ++c)
      threads.emplace_back([&, c] { MixWorker(sh, c, tallies[c]); });
    for (auto& t : threads) t.join();
  }
  finished = true;
  if (progress.joinable()) progress.join();
  const double wall = std::chrono::duration<double>(Clock::now() - sh.start).count();
  const double cpu = CpuSeconds() - cpu_before;

  // 3. Report.
  MixTally all;
  for (auto& t : tallies) {
    for (int k = 0; k < kKinds; ++k) {
      all.ok[k] += t.ok[k];
      all.kind_errors[k] += t.kind_errors[k];
      all.lat_us[k].insert(all.lat_us[k].end(), t.lat_us[k].begin(), t.lat_us[k].end());
    }
    all.all_us.insert(all.all_us.end(), t.all_us.begin(), t.all_us.end());
    all.service_us.insert(all.service_us.end(), t.service_us.begin(), t.service_us.end());
    all.lag_us.insert(all.lag_us.end(), t.lag_us.begin(), t.lag_us.end());
    all.late_10ms += t.late_10ms;
    for (const auto& [st, n] : t.errors) all.errors[st] += n;
    for (auto& e : t.samples)
      if (all.samples.size() < 5) all.samples.push_back(e);
  }
  long long ok = 0, errors = 0;
  for (int k = 0; k < kKinds; ++k) ok += all.ok[k];
  for (const auto& [st, n] : all.errors) errors += n;
  const long long sent = ok + errors;
  for (auto& v : all.lat_us) std::sort(v.begin(), v.end());
  std::sort(all.all_us.begin(), all.all_us.end());
  std::sort(all.service_us.begin(), all.service_us.end());
  std::sort(all.lag_us.begin(), all.lag_us.end());
  const double rps = static_cast<double>(ok) / o.duration;
  const char* from = o.rate > 0 ? "from the scheduled time" : "from sending";
  for (int k = 0; k < kKinds; ++k) {
    const auto& v = all.lat_us[k];
    std::printf(
        "KIND kind=%s ok=%lld errors=%lld rps=%.1f p50_ms=%.2f p99_ms=%.2f p999_ms=%.2f "
        "max_ms=%.2f\n",
        kKindNames[k], all.ok[k], all.kind_errors[k], static_cast<double>(all.ok[k]) / o.duration,
        Percentile(v, 50), Percentile(v, 99), Percentile(v, 99.9),
        v.empty() ? 0 : v.back() / 1000.0);
  }
  const auto& a = all.all_us;
  std::printf(
      "http_load: %lld requests answered 2xx in %.1f s: %.1f/s; latency %s, ms: p50 %.2f, "
      "p99 %.2f, p99.9 %.2f, max %.2f\n",
      ok, o.duration, rps, from, Percentile(a, 50), Percentile(a, 99), Percentile(a, 99.9),
      a.empty() ? 0 : a.back() / 1000.0);
  if (errors == 0) {
    std::printf("http_load: no errors\n");
  } else {
    std::printf("http_load: %lld errors (any status other than 2xx, or no response):", errors);
    for (const auto& [st, n] : all.errors)
      std::printf(" %s=%lld", st ? ("HTTP " + std::to_string(st)).c_str() : "transport", n);
    std::printf("\n");
    for (const auto& e : all.samples) std::printf("http_load:   e.g. %s\n", e.c_str());
  }
  // Could the client keep up? Its CPU, how late it sent, and whether every connection was busy.
  const double cpu_pct = wall > 0 ? 100.0 * cpu / wall : 0;
  const int max_in = sh.max_in_flight.load();
  std::string verdict = "closed loop";
  if (o.rate > 0) {
    const double achieved = static_cast<double>(sent) / o.duration;
    const double lag_p99 = Percentile(all.lag_us, 99);
    const bool rate_held = achieved >= 0.99 * o.rate;
    const bool saturated = max_in >= o.clients;
    if (rate_held && !saturated && lag_p99 <= 5.0)
      verdict = "kept the schedule";
    else if (!saturated)
      verdict =
          "did NOT keep the schedule (sends late with connections free: the client was "
          "slow or got no CPU in time; see lag and cpu)";
    else
      verdict = "every connection was busy at times: late sends are the server's queue";
    std::printf(
        "http_load: client: scheduled %.1f/s, sent %.1f/s; send lag (sent - scheduled) "
        "ms: p50 %.2f, p99 %.2f, max %.2f; %lld sent over 10 ms late; at most %d of %d "
        "connections busy; client CPU %.1f s = %.0f%% of one core: %s\n",
        o.rate, achieved, Percentile(all.lag_us, 50), lag_p99,
        all.lag_us.empty() ? 0 : all.lag_us.back() / 1000.0, all.late_10ms, max_in, o.clients, cpu,
        cpu_pct, verdict.c_str());
  } else {
    std::printf(
        "http_load: client CPU %.1f s = %.0f%% of one core; at most %d of %d connections "
        "busy\n",
        cpu, cpu_pct, max_in, o.clients);
  }
  for (char& ch : verdict)
    if (ch == ' ') ch = '_';
  std::printf(
      "RESULT mode=%s clients=%d servers=%zu rate=%.2f duration_s=%.3f requests=%lld rps=%.2f "
      "p50_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.2f service_p99_ms=%.2f errors=%lld "
      "lag_p99_ms=%.2f late_10ms=%lld max_in_flight=%d cpu_s=%.3f client=%s\n",
      o.rate > 0 ? "open" : "closed", o.clients, o.urls.size(), o.rate, o.duration, ok, rps,
      Percentile(a, 50), Percentile(a, 99), Percentile(a, 99.9), a.empty() ? 0 : a.back() / 1000.0,
      Percentile(all.service_us, 99), errors, Percentile(all.lag_us, 99), all.late_10ms, max_in,
      cpu, verdict.c_str());
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
    const int rc = o.mix ? RunMix(o) : Run(o);
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
