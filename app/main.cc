// kansli: the composition root. The only place that knows the concrete
// classes: it wires persistence and api to workflow and runs a subcommand.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "api/http_server.h"
#include "api/report_render.h"
#include "api/router.h"
#include "app/config.h"
#include "app/demo.h"
#include "app/import.h"
#include "notifications/channels.h"
#include "notifications/dispatcher.h"
#include "notifications/runner.h"
#include "notifications/scheduler.h"
#include "persistence/migrations.h"
#include "persistence/pg_accounts.h"
#include "persistence/pg_store.h"
#include "persistence/pool.h"
#include "workflow/errors.h"
#include "workflow/vocabulary.h"

namespace kansli::app {
namespace {

constexpr const char* kUsage = R"(kansli — case tracking for motioner and remisser

usage: kansli COMMAND [options]

commands:
  serve                               run the HTTP API (KANSLI_HOST, KANSLI_PORT)
  migrate                             apply the database migrations
  schema-status                       say whether the schema is current
  token create --name N --role R [--output FILE]
                                      create an API token (printed once)
  token list                          list tokens (never the tokens themselves)
  token revoke --name N               revoke a token
  replay FILE.json                    register a case and apply its events
  import-registry FILE                register the motions and remisser of a registry export
  demo load                           load Region Jönköpings län's demo data
  organs load FILE.json               load an organisation ({"organs": [...]})
  deadlines recompute                 recompute every case's deadlines and reminders (after an upgrade)
  report unanswered-motions [--as-of YYYY-MM-DD] [--format json|csv|html] [--redact]
                                      the KL 5 kap. 35 § report of the motions unanswered at
                                      the end of that day (default today, json) to stdout;
                                      --redact: confidential titles as readers see them
  account create --username U --display-name D --role R --password-file FILE
  account list | account password --username U --password-file FILE
  account disable --username U | account enable --username U
                                      personal accounts for the web app (FILE's first line is
                                      the password; at least 10 characters)
  scheduler [--once]                  fire due reminders and send the outbox (alone; `serve`
                                      does it too unless KANSLI_SCHEDULER=off); --once: one
                                      pass, then exit
  recipients add --name N --email E --function officer|secretary|chair|kansli [--organ O]
  recipients list | recipients remove --id N
                                      who receives reminders
  webhooks add --url U --secret S | webhooks list | webhooks remove --id N
  help                                show this text

The database comes from KANSLI_DATABASE_URL or $KANSLI_DATA/database-url.
Roles: admin, registrar, secretary, presidium, officer, reader.
)";

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Reads "--name value" pairs after the subcommand words.
std::string Option(const std::vector<std::string>& args, const std::string& name,
                   bool required = true) {
  for (std::size_t i = 0; i + 1 < args.size(); ++i)
    if (args[i] == name) return args[i + 1];
  if (required) throw UsageError("missing " + name);
  return "";
}

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

persistence::PoolSettings PoolSettingsOf(const Config& cfg) {
  persistence::PoolSettings s{cfg.database_url, cfg.db_pool};
  s.lease_limit = std::chrono::seconds(cfg.db_request_timeout_seconds);
  s.acquire_timeout = std::chrono::seconds(cfg.db_acquire_timeout_seconds);
  s.connect_timeout_s = cfg.db_connect_timeout_seconds;
  return s;
}

// Everything a command needs, built once.
struct Wiring {
  explicit Wiring(const Config& cfg)
      : pool(PoolSettingsOf(cfg)),
        tx(pool),
        reader(pool, &tx.organ_cache()),
        outbox(pool),
        accounts(pool),
        tokens(pool),
        status(pool) {
    if (!cfg.now.empty()) {
      auto t = workflow::ParseInstant(cfg.now);
      if (!t) throw std::runtime_error("KANSLI_NOW must be a date or an RFC 3339 instant");
      fixed = std::make_unique<workflow::FixedClock>(*t);
    }
    workflow::ServiceSettings s;
    s.reference_prefix = cfg.reference_prefix;
    s.deadlines.answer_period_months = cfg.answer_period_months;
    s.deadlines.remiss_send_margin_days = cfg.remiss_send_margin_days;
    s.reminder_hour = cfg.reminder_hour;
    cases = std::make_unique<workflow::CaseService>(
        tx, reader, fixed ? static_cast<const workflow::Clock&>(*fixed) : system_clock, s);
  }
  persistence::ConnectionPool pool;
  persistence::PgTransactions tx;
  persistence::PgCaseReader reader;
  persistence::PgOutbox outbox;
  persistence::PgAccountStore accounts;
  persistence::PgTokenStore tokens;
  persistence::PgSystemStatus status;
  workflow::SystemClock system_clock;
  std::unique_ptr<workflow::FixedClock> fixed;
  const workflow::Clock& clock() const {
    return fixed ? static_cast<const workflow::Clock&>(*fixed) : system_clock;
  }
  std::unique_ptr<workflow::CaseService> cases;
};

// The reminder scheduler, the channels and the dispatchers of one process.
struct Notifier {
  Notifier(Wiring& w, const Config& cfg)
      : webhook(std::chrono::seconds(cfg.webhook_timeout_seconds)),
        scheduler(w.tx, w.clock(), SchedulerSettingsOf(cfg)) {
    if (!cfg.smtp_url.empty()) {
      notifications::SmtpSettings smtp;
      smtp.url = cfg.smtp_url;
      smtp.user = cfg.smtp_user;
      smtp.password = cfg.smtp_password;
      smtp.require_tls = cfg.smtp_require_tls;
      smtp.from = cfg.mail_from;
      email = std::make_unique<notifications::EmailChannel>(smtp);
    }
  }
  static notifications::SchedulerSettings SchedulerSettingsOf(const Config& cfg) {
    notifications::SchedulerSettings s;
    s.base_url = cfg.public_url;
    s.email = !cfg.smtp_url.empty();
    s.reminder_hour = cfg.reminder_hour;
    s.fault = cfg.test_fault;
    return s;
  }
  std::unique_ptr<notifications::Dispatcher> MakeDispatcher(Wiring& w, const Config& cfg, int n) {
    notifications::DispatcherSettings d;
    char host[256] = {0};
    ::gethostname(host, sizeof host - 1);
    d.worker = std::string(host) + ":" + std::to_string(::getpid()) + ":" + std::to_string(n);
    d.lease = std::chrono::seconds(cfg.lease_seconds);
    d.max_attempts = cfg.max_attempts;
    d.backoff_base = std::chrono::seconds(cfg.backoff_seconds);
    d.fault = cfg.test_fault;
    return std::make_unique<notifications::Dispatcher>(w.outbox, w.clock(), email.get(), &webhook,
                                                       d);
  }
  std::unique_ptr<notifications::Runner> MakeRunner(Wiring& w, const Config& cfg) {
    std::vector<std::unique_ptr<notifications::Dispatcher>> ds;
    for (int i = 0; i < cfg.dispatchers; ++i) ds.push_back(MakeDispatcher(w, cfg, i));
    return std::make_unique<notifications::Runner>(scheduler, std::move(ds),
                                                   std::chrono::milliseconds(cfg.poll_ms));
  }
  std::unique_ptr<notifications::EmailChannel> email;
  notifications::WebhookChannel webhook;
  notifications::ReminderScheduler scheduler;
};

void RequireDatabaseUrl(const Config& cfg) {
  if (cfg.database_url.empty())
    throw std::runtime_error("no database configured: set KANSLI_DATABASE_URL or write it to " +
                             cfg.data_dir + "/database-url (scripts/run does this)");
}

int Serve(const Config& cfg) {
  // Block the stop signals in every thread; the main thread waits for them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  api::HttpServer::InitializeThreads(cfg.http_threads);
  Wiring w(cfg);
  const std::string why = w.status.NotReadyReason();
  if (!why.empty()) throw std::runtime_error("not starting: " + why);
  api::Router router({*w.cases, w.tokens, w.status, w.outbox, cfg.public_url, &w.accounts});
  api::HttpServer server(router, {cfg.host, cfg.port});
  server.Open();
  Notifier notifier(w, cfg);
  std::unique_ptr<notifications::Runner> runner;
  if (cfg.scheduler) {
    runner = notifier.MakeRunner(w, cfg);
    runner->Start();
  }
  spdlog::info("event=scheduler state={} email={}", cfg.scheduler ? "on" : "off",
               cfg.smtp_url.empty() ? "off" : "on");
  std::printf("Kansli is ready at http://%s:%d\n", cfg.host.c_str(), cfg.port);
  std::fflush(stdout);
  spdlog::info("event=server_started host={} port={} threads={} pool={}", cfg.host, cfg.port,
               cfg.http_threads, cfg.db_pool);
  int sig = 0;
  sigwait(&stop, &sig);
  spdlog::info("event=server_stopping signal={}", sig);
  if (runner) runner->Stop();
  server.Close();
  return 0;
}

int TokenCommand(const Config& cfg, const std::vector<std::string>& args) {
  if (args.size() < 2) throw UsageError("token needs create, list or revoke");
  Wiring w(cfg);
  if (args[1] == "create") {
    const std::string name = Option(args, "--name");
    const std::string role = Option(args, "--role");
    if (std::find(workflow::kRoles.begin(), workflow::kRoles.end(), role) == workflow::kRoles.end())
      throw UsageError("unknown role '" + role +
                       "'; roles: admin, registrar, secretary, presidium, officer, reader");
    const std::string token = w.tokens.Create(name, role);
    const std::string out = Option(args, "--output", false);
    if (!out.empty()) {
      std::ofstream f(out, std::ios::trunc);
      if (!f) throw std::runtime_error("cannot write " + out);
      f << token << "\n";
      f.close();
      ::chmod(out.c_str(), 0600);
      std::printf("token '%s' (%s) written to %s\n", name.c_str(), role.c_str(), out.c_str());
    } else {
      std::printf("%s\n", token.c_str());
    }
    return 0;
  }
  if (args[1] == "list") {
    for (const auto& t : w.tokens.List())
      std::printf("%-24s %-10s %s\n", t.name.c_str(), t.role.c_str(),
                  t.revoked ? "revoked" : "active");
    return 0;
  }
  if (args[1] == "revoke") {
    const std::string name = Option(args, "--name");
    if (!w.tokens.Revoke(name)) throw std::runtime_error("no active token named '" + name + "'");
    std::printf("revoked '%s'\n", name.c_str());
    return 0;
  }
  throw UsageError("token needs create, list or revoke");
}

int Run(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
    std::fputs(kUsage, stdout);
    return args.empty() ? 2 : 0;
  }
  const Config cfg = LoadConfig();
  spdlog::set_level(spdlog::level::from_str(cfg.log_level));
  const std::string& cmd = args[0];
  if (cmd == "serve") {
    RequireDatabaseUrl(cfg);
    return Serve(cfg);
  }
  if (cmd == "migrate") {
    RequireDatabaseUrl(cfg);
    const auto applied = persistence::Migrate(cfg.database_url);
    if (applied.empty())
      std::printf("schema is current (version %d)\n", persistence::LatestSchemaVersion());
    for (const auto& a : applied) std::printf("applied %s\n", a.c_str());
    return 0;
  }
  if (cmd == "schema-status") {
    RequireDatabaseUrl(cfg);
    Wiring w(cfg);
    const std::string why = w.status.NotReadyReason();
    std::printf("%s\n", why.empty() ? "schema is current" : why.c_str());
    return why.empty() ? 0 : 1;
  }
  if (cmd == "token") {
    RequireDatabaseUrl(cfg);
    return TokenCommand(cfg, args);
  }
  if (cmd == "replay") {
    if (args.size() < 2) throw UsageError("replay needs a FILE.json");
    RequireDatabaseUrl(cfg);
    Wiring w(cfg);
    const auto doc = nlohmann::json::parse(ReadFile(args[1]));
    const auto r = Replay(*w.cases, doc, false);
    std::printf("%s: case %lld, %d events, state %s\n", r.reference.c_str(),
                static_cast<long long>(r.case_id), r.events, r.state.c_str());
    return 0;
  }
  if (cmd == "import-registry") {
    if (args.size() < 2) throw UsageError("import-registry needs a FILE");
    RequireDatabaseUrl(cfg);
    Wiring w(cfg);
    const auto report = ImportRegistry(*w.cases, ReadFile(args[1]));
    std::fputs(report.Text().c_str(), stdout);
    return report.errors > 0 ? 1 : 0;
  }
  if (cmd == "demo" && args.size() >= 2 && args[1] == "load") {
    RequireDatabaseUrl(cfg);
    Wiring w(cfg);
    std::fputs(LoadDemo(*w.cases, w.tx).c_str(), stdout);
    return 0;
  }
  if (cmd == "deadlines" && args.size() >= 2 && args[1] == "recompute") {
    RequireDatabaseUrl(cfg);
    Wiring w(cfg);
    int seen = 0, changed = 0;
    workflow::CaseFilter f;
    f.limit = 500;
    // Recomputing does not change the listing order, so paging visits each case once.
    for (f.offset = 0;; f.offset += f.limit) {
      const auto page = w.cases->ListCases(f);
      for (const auto& c : page.items) {
        ++seen;
        if (w.cases->RecomputeDeadlines(c.id)) ++changed;
      }
      if (page.items.size() < static_cast<std::size_t>(f.limit)) break;
    }
    std::printf("%d cases, deadlines changed on %d\n", seen, changed);
    return 0;
  }
  if (cmd == "scheduler") {
    RequireDatabaseUrl(cfg);
    Wiring w(cfg);
    Notifier notifier(w, cfg);
    const bool once = std::find(args.begin(), args.end(), "--once") != args.end();
    if (once) {
      // Every reminder due now, then every delivery due now (failures wait for their backoff).
      int fired = 0, dropped = 0, sent = 0, failed = 0, dead = 0;
      const auto started = std::chrono::steady_clock::now();
      for (;;) {
        const auto r = notifier.scheduler.FireDue();
        fired += r.fired;
        dropped += r.dropped;
        if (r.fired + r.dropped == 0) break;
      }
      const auto fired_at = std::chrono::steady_clock::now();
      auto dispatcher = notifier.MakeDispatcher(w, cfg, 0);
      for (;;) {
        const auto r = dispatcher->RunOnce();
        sent += r.sent;
        failed += r.failed;
        dead += r.dead;
        if (r.sent + r.failed + r.dead == 0) break;
      }
      const auto ms = [](auto d) {
        return static_cast<long long>(
            std::chrono::duration_cast<std::chrono::milliseconds>(d).count());
      };
      std::printf(
          "reminders fired %d, dropped %d; deliveries sent %d, failed %d, dead %d (%lld ms "
          "firing, %lld ms sending)\n",
          fired, dropped, sent, failed, dead, ms(fired_at - started),
          ms(std::chrono::steady_clock::now() - fired_at));
      return 0;
    }
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, nullptr);
    auto runner = notifier.MakeRunner(w, cfg);
    runner->Start();
    spdlog::info("event=scheduler_started email={}", cfg.smtp_url.empty() ? "off" : "on");
    int sig = 0;
    sigwait(&stop, &sig);
    runner->Stop();
    return 0;
  }
  if (cmd == "account" && args.size() >= 2) {
    RequireDatabaseUrl(cfg);
    Wiring w(cfg);
    auto password = [&] {
      std::string p = ReadFile(Option(args, "--password-file"));
      const auto nl = p.find('\n');
      if (nl != std::string::npos) p.erase(nl);
      if (!p.empty() && p.back() == '\r') p.pop_back();
      return p;
    };
    if (args[1] == "list") {
      for (const auto& a : w.accounts.List(w.clock().Now()))
        std::printf("%-20s %-10s %-8s %s%s\n", a.username.c_str(), a.role.c_str(),
                    a.active ? "active" : "disabled", a.display_name.c_str(),
                    a.locked ? " (locked)" : "");
      return 0;
    }
    if (args[1] == "create") {
      workflow::Account a;
      a.username = Option(args, "--username");
      a.display_name = Option(args, "--display-name", false);
      if (a.display_name.empty()) a.display_name = a.username;
      a.role = Option(args, "--role");
      const auto created = w.accounts.Create(a, password());
      std::printf("account '%s' (%s) created\n", created.username.c_str(), created.role.c_str());
      return 0;
    }
    const std::string username = Option(args, "--username");
    bool found = false;
    if (args[1] == "password")
      found = w.accounts.SetPassword(username, password());
    else if (args[1] == "disable")
      found = w.accounts.SetActive(username, false);
    else if (args[1] == "enable")
      found = w.accounts.SetActive(username, true);
    else
      throw UsageError("account needs create, list, password, disable or enable");
    if (!found) throw std::runtime_error("no account named '" + username + "'");
    std::printf("account '%s': %s done\n", username.c_str(), args[1].c_str());
    return 0;
  }
  if ((cmd == "recipients" || cmd == "webhooks") && args.size() >= 2) {
    RequireDatabaseUrl(cfg);
    Wiring w(cfg);
    const workflow::Actor admin{"kansli-cli", "admin"};
    const bool people = cmd == "recipients";
    if (args[1] == "list") {
      if (people) {
        for (const auto& r : w.cases->Recipients())
          std::printf("%lld\t%s\t%s\t%s\t%s\n", static_cast<long long>(r.id), r.name.c_str(),
                      r.email.c_str(), r.function.c_str(), r.organ ? r.organ->c_str() : "-");
      } else {
        for (const auto& h : w.cases->Webhooks())
          std::printf("%lld\t%s\n", static_cast<long long>(h.id), h.url.c_str());
      }
      return 0;
    }
    if (args[1] == "add") {
      if (people) {
        workflow::Recipient r;
        r.name = Option(args, "--name");
        r.email = Option(args, "--email");
        r.function = Option(args, "--function");
        const std::string organ = Option(args, "--organ", false);
        if (!organ.empty()) r.organ = organ;
        r = w.cases->AddRecipient(r, admin);
        std::printf("recipient %lld added\n", static_cast<long long>(r.id));
      } else {
        workflow::Webhook h;
        h.url = Option(args, "--url");
        h.secret = Option(args, "--secret");
        h = w.cases->AddWebhook(h, admin);
        std::printf("webhook %lld added\n", static_cast<long long>(h.id));
      }
      return 0;
    }
    if (args[1] == "remove") {
      const std::string id = Option(args, "--id");
      long long n = 0;
      try {
        n = std::stoll(id);
      } catch (const std::exception&) {
        throw UsageError("--id must be a number");
      }
      const bool removed =
          people ? w.cases->RemoveRecipient(n, admin) : w.cases->RemoveWebhook(n, admin);
      if (!removed)
        throw std::runtime_error("no active " + cmd.substr(0, cmd.size() - 1) + " " + id);
      std::printf("%s %lld removed\n", cmd.substr(0, cmd.size() - 1).c_str(), n);
      return 0;
    }
    throw UsageError(cmd + " needs add, list or remove");
  }
  if (cmd == "organs" && args.size() >= 3 && args[1] == "load") {
    RequireDatabaseUrl(cfg);
    Wiring w(cfg);
    const int n = LoadOrgans(w.tx, nlohmann::json::parse(ReadFile(args[2])));
    std::printf("%d organs loaded\n", n);
    return 0;
  }
  if (cmd == "report") {
    if (args.size() < 2 || args[1] != "unanswered-motions")
      throw UsageError("report needs unanswered-motions");
    const std::string day = Option(args, "--as-of", false);
    const auto as_of = workflow::ParseDate(day);
    if (!day.empty() && !as_of) throw UsageError("--as-of must be a date YYYY-MM-DD");
    const std::string format_name = Option(args, "--format", false);
    const auto format = api::ParseReportFormat(format_name.empty() ? "json" : format_name);
    if (!format) throw UsageError("--format must be json, csv or html");
    const bool redact = std::find(args.begin(), args.end(), "--redact") != args.end();
    RequireDatabaseUrl(cfg);
    Wiring w(cfg);
    const auto report = w.cases->UnansweredMotions(as_of.value_or(w.clock().Today()));
    const auto doc = api::RenderUnansweredMotions(report, *format, redact);
    std::fwrite(doc.body.data(), 1, doc.body.size(), stdout);
    if (*format == api::ReportFormat::kJson) std::fputc('\n', stdout);
    return 0;
  }
  throw UsageError("unknown command '" + cmd + "'");
}

}  // namespace
}  // namespace kansli::app

int main(int argc, char** argv) {
  auto logger = spdlog::stderr_color_mt("kansli");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    return kansli::app::Run(args);
  } catch (const kansli::app::UsageError& e) {
    std::fprintf(stderr, "kansli: %s (see 'kansli help')\n", e.what());
    return 2;
  } catch (const kansli::workflow::ValidationError& e) {
    std::fprintf(stderr, "kansli: %s\n", e.what());
    return 1;
  } catch (const nlohmann::json::exception& e) {
    std::fprintf(stderr, "kansli: the file is not valid JSON or lacks a field (%s)\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kansli: %s\n", e.what());
    return 1;
  }
}
