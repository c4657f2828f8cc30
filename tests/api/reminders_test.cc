// Automatic reminders end to end: cases registered over HTTP, `kansli
// scheduler --once` run at chosen instants (KANSLI_NOW, the fake clock), and
// what a real SMTP server (python3-aiosmtpd) and a real HTTP receiver got.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/api/api_support.h"
#include "tests/support/env.h"
#include "tests/support/process.h"

namespace kansli::test {
namespace {

namespace fs = std::filesystem;

bool Accepts(int port) {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(s);
  return ok;
}

// A peer program (tests/support/peers/*.py) on a loopback port, writing what it
// receives into its own directory; stopped on destruction.
class Peer {
 public:
  Peer(const std::string& script, int port, fs::path dir) : port_(port), dir_(std::move(dir)) {
    fs::create_directories(dir_);
    const auto log = TestOutputDir() / (script + "-" + std::to_string(port) + ".log");
    pid_ =
        SpawnProcess({"/usr/bin/python3", (SourceDir() / "tests/support/peers" / script).string(),
                      std::to_string(port), dir_.string()},
                     {}, log);
    for (int i = 0; i < 150 && !Accepts(port); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    REQUIRE_MESSAGE(Accepts(port), script << " did not start: " << FileTail(log));
  }
  ~Peer() {
    ::kill(pid_, SIGTERM);
    WaitForExit(pid_, std::chrono::seconds(10));
  }
  // The files received so far, in order (name, content).
  std::vector<std::string> Received(const std::string& ext) const {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir_))
      if (e.path().extension() == ext) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    std::vector<std::string> out;
    for (const auto& f : files) {
      std::ifstream in(f, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      out.push_back(ss.str());
    }
    return out;
  }
  int port() const { return port_; }

 private:
  int port_;
  fs::path dir_;
  pid_t pid_ = -1;
};

fs::path FreshDir(const std::string& name) {
  const auto dir = TestOutputDir() / ("reminders-" + name + "-" + UniqueSuffix());
  fs::remove_all(dir);
  return dir;
}

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The decoded subject of a received e-mail (RFC 2047 base64 words joined).
std::string Subject(const std::string& mail) {
  std::string out;
  auto pos = mail.find("\nSubject: ");
  if (pos == std::string::npos) return out;
  pos += 10;
  std::string header;
  // The header with its folded continuation lines.
  for (;;) {
    const auto end = mail.find("\r\n", pos);
    header += mail.substr(pos, end - pos);
    pos = end + 2;
    if (mail[pos] != ' ' && mail[pos] != '\t') break;
  }
  std::size_t i = 0;
  while ((i = header.find("=?UTF-8?B?", i)) != std::string::npos) {
    const auto start = i + 10;
    const auto stop = header.find("?=", start);
    const std::string b64 = header.substr(start, stop - start);
    std::string raw(b64.size(), '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(&raw[0]),
                                  reinterpret_cast<const unsigned char*>(b64.data()),
                                  static_cast<int>(b64.size()));
    raw.resize(static_cast<std::size_t>(n));
    while (!raw.empty() && raw.back() == '\0') raw.pop_back();
    out += raw;
    i = stop + 2;
  }
  return out.empty() ? header : out;
}

std::string RcptTo(const std::string& mail) {
  const auto end = mail.find("\r\n");
  return mail.substr(std::string("X-Rcpt-To: ").size(), end - 11);
}

std::string HmacHex(const std::string& key, const std::string& message) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), md, &len);
  std::string hex;
  static const char* kHex = "0123456789abcdef";
  for (unsigned int i = 0; i < len; ++i) {
    hex += kHex[md[i] >> 4];
    hex += kHex[md[i] & 0xF];
  }
  return hex;
}

// A server whose own scheduler is off: the test fires reminders itself.
struct World {
  World() : p(Options()) {}
  static ServerOptions Options() {
    ServerOptions o = PrivateServer::DefaultOptions();
    o.env["KANSLI_SCHEDULER"] = "off";
    return o;
  }
  // `kansli scheduler --once` at 07:30 (Stockholm) on `day` (or at an instant).
  CommandResult Scheduler(const std::string& when, EnvOverrides env = {}) const {
    env["KANSLI_NOW"] = when.size() == 10 ? when + "T07:30:00+02:00" : when;
    if (smtp_port) env["KANSLI_SMTP_URL"] = "smtp://127.0.0.1:" + std::to_string(smtp_port);
    env["KANSLI_MAIL_FROM"] = "kansli@rjl.test";
    env["KANSLI_PUBLIC_URL"] = "https://kansli.rjl.test";
    return p.db.Kansli({"scheduler", "--once"}, env);
  }
  void Recipient(const std::string& name, const std::string& email, const std::string& function,
                 const std::string& organ = "") {
    json body = {{"name", name}, {"email", email}, {"function", function}};
    if (!organ.empty()) body["organ"] = organ;
    const auto r = p.server.As("admin").PostJson("/api/v1/recipients", body);
    REQUIRE_MESSAGE(r.status == 201, r.body);
  }
  void Staff() {
    Recipient("Anna Handläggare", "anna@rjl.test", "officer");
    Recipient("Sekreterare FS", "sekreterare-fs@rjl.test", "secretary", "fs");
    Recipient("Ordförande FS", "ordforande-fs@rjl.test", "chair", "fs-pres");
    Recipient("Kansliet", "kansliet@rjl.test", "kansli");
  }
  json Feed(const std::string& query = "") const {
    const auto r = p.server.As("registrar").Get("/api/v1/notifications" + query);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    return r.Json();
  }
  PrivateServer p;
  int smtp_port = 0;
};

// A motion with officer Anna, distributed to fs on 2023-02-02: its answer_due
// is 2023-08-02 (a Wednesday); decision_due and report_due fall in 2024.
long long DistributedMotion(const World& w, const std::string& title) {
  json body = MotionBody(title, "2023-02-01");
  body["officer"] = "Anna Handläggare";
  const long long id = CreateCase(w.p.server.As("registrar"), body).at("id");
  SendEvent(w.p.server.As("secretary"), id,
            {{"event", "distribute"}, {"organ", "rf-pres"}, {"to", "fs"}, {"date", "2023-02-02"}});
  return id;
}

TEST_SUITE("reminders") {
  TEST_CASE(
      "A motion's answer_due is reminded 30, 14, 7 and 1 days before, on the day and weekly "
      "while overdue, escalating to the chair and the kansli from 14 days") {
    World w;
    Peer smtp("smtp_sink.py", FreeLoopbackPort(), FreshDir("smtp"));
    w.smtp_port = smtp.port();
    w.Staff();
    const long long id = DistributedMotion(w, "Cykelvägar");

    struct Step {
      const char* day;
      std::size_t mails;  // cumulative
      const char* words;
    };
    const Step steps[] = {
        {"2023-07-02", 0, ""},  // nothing is due yet
        {"2023-07-03", 2, "om 30 dagar"},
        {"2023-07-19", 4, "om 14 dagar"},
        {"2023-07-26", 6, "om 7 dagar"},
        {"2023-08-01", 8, "om 1 dag"},
        {"2023-08-02", 10, "i dag"},
        {"2023-08-09", 12, "försenad 7 dagar"},
        {"2023-08-16", 16, "försenad 14 dagar"},
        {"2023-08-23", 20, "försenad 21 dagar"},
    };
    for (const auto& s : steps) {
      CAPTURE(s.day);
      const auto r = w.Scheduler(s.day);
      REQUIRE_MESSAGE(r.exit_code == 0, r.Describe());
      const auto mails = smtp.Received(".eml");
      REQUIRE(mails.size() == s.mails);
      if (s.mails == 0) continue;
      const std::string last = Subject(mails.back());
      CHECK_MESSAGE(Has(last, s.words), last);
      CHECK(Has(last, "Svar från ansvarig nämnd"));
      CHECK(Has(last, "Cykelvägar"));
    }
    const auto mails = smtp.Received(".eml");
    // Before escalation: the officer and the nämnd's secretary.
    CHECK(RcptTo(mails[0]) == "anna@rjl.test");
    CHECK(RcptTo(mails[1]) == "sekreterare-fs@rjl.test");
    CHECK(Has(Subject(mails[0]), "Påminnelse: RJL 2023/"));
    // From 14 days overdue: also the presidium's chair and the kansli, as an escalation.
    std::set<std::string> escalated;
    for (std::size_t i = 12; i < 16; ++i) escalated.insert(RcptTo(mails[i]));
    CHECK(escalated == std::set<std::string>{"anna@rjl.test", "sekreterare-fs@rjl.test",
                                             "ordforande-fs@rjl.test", "kansliet@rjl.test"});
    CHECK(Has(Subject(mails[12]), "Eskalering"));
    // The text a handläggare reads.
    CHECK(Has(mails[0], "Content-Type: text/plain; charset=utf-8"));
    CHECK(Has(mails[0], "Message-ID: <kansli-delivery-"));
    CHECK(Has(mails[0], "Tidsfrist:     Svar från ansvarig nämnd"));
    CHECK(Has(mails[0], "Datum:         2023-08-02 (om 30 dagar)"));
    CHECK(Has(mails[0], "Status:        Fördelad"));
    CHECK(Has(mails[0], "https://kansli.rjl.test/cases/" + std::to_string(id)));

    // The feed shows each message with its deliveries.
    const json feed = w.Feed("?case=" + std::to_string(id));
    CHECK(feed.at("total") == 8);
    CHECK(feed.at("items")[0].at("status") == "sent");
    CHECK(feed.at("items")[0].at("kind") == "escalation");
    CHECK(feed.at("items")[0].at("deliveries").size() == 4);

    // The answer is adopted: no more reminders for it.
    SendEvent(w.p.server.As("secretary"), id,
              {{"event", "begin_preparation"}, {"organ", "fs"}, {"date", "2023-08-24"}});
    SendEvent(w.p.server.As("secretary"), id,
              {{"event", "adopt_answer"},
               {"organ", "fs"},
               {"outcome", "rejected"},
               {"date", "2023-08-24"}});
    REQUIRE(w.Scheduler("2023-08-30").exit_code == 0);
    CHECK(smtp.Received(".eml").size() == 20);
  }

  TEST_CASE("A deadline met before its reminder is due sends nothing") {
    World w;
    Peer smtp("smtp_sink.py", FreeLoopbackPort(), FreshDir("smtp"));
    w.smtp_port = smtp.port();
    w.Staff();
    const long long id = DistributedMotion(w, "Snabbt besvarad");
    SendEvent(w.p.server.As("secretary"), id,
              {{"event", "begin_preparation"}, {"organ", "fs"}, {"date", "2023-03-01"}});
    SendEvent(w.p.server.As("secretary"), id,
              {{"event", "adopt_answer"},
               {"organ", "fs"},
               {"outcome", "answered"},
               {"date", "2023-03-01"}});
    for (const char* day : {"2023-07-03", "2023-08-02", "2023-08-16"})
      REQUIRE(w.Scheduler(day).exit_code == 0);
    CHECK(smtp.Received(".eml").empty());
    CHECK(w.Feed("?case=" + std::to_string(id)).at("total") == 0);
  }

  TEST_CASE(
      "A remiss's reminders follow an agreed extension and reach a webhook, signed, until the "
      "answer is sent") {
    World w;
    Peer hook("webhook_receiver.py", FreeLoopbackPort(), FreshDir("hook"));
    const std::string secret = "hemligt-delat-v\xC3\xA4rde-123";
    const auto created = w.p.server.As("admin").PostJson(
        "/api/v1/webhooks", {{"url", "http://127.0.0.1:" + std::to_string(hook.port()) + "/kansli"},
                             {"secret", secret}});
    REQUIRE_MESSAGE(created.status == 201, created.body);
    // Registered and distributed to ana; answer by 2023-04-28.
    json body = RemissBody("Regional strategi", "2023-02-10", "2023-04-28");
    body["to"] = "ana";
    const long long id = CreateCase(w.p.server.As("registrar"), body).at("id");
    SendEvent(w.p.server.As("secretary"), id,
              {{"event", "extend_deadline"},
               {"organ", "ana"},
               {"answer_by", "2023-05-31"},
               {"date", "2023-03-01"}});

    auto answer_by_payloads = [&] {
      std::vector<json> out;
      for (const auto& text : hook.Received(".json")) {
        const json rec = json::parse(text);
        const json payload = json::parse(rec.at("body").get<std::string>());
        if (payload.at("deadline").at("kind") == "answer_by") out.push_back(rec);
      }
      return out;
    };
    // Seven days before the old date: nothing about answer_by any more.
    REQUIRE(w.Scheduler("2023-04-21").exit_code == 0);
    CHECK(answer_by_payloads().empty());
    // Seven days before the agreed date.
    REQUIRE(w.Scheduler("2023-05-24").exit_code == 0);
    auto got = answer_by_payloads();
    REQUIRE(got.size() == 1);
    const json payload = json::parse(got[0].at("body").get<std::string>());
    CHECK(payload.at("deadline").at("due") == "2023-05-31");
    CHECK(payload.at("deadline").at("days_left") == 7);
    CHECK(payload.at("case").at("id") == id);
    CHECK(payload.at("step") == "before:7");
    // The signature: t=<seconds>,sha256=HMAC(secret, "<t>.<body>").
    const std::string sig = got[0].at("headers").at("x-kansli-signature");
    const auto comma = sig.find(',');
    REQUIRE(sig.rfind("t=", 0) == 0);
    const std::string t = sig.substr(2, comma - 2);
    CHECK(sig.substr(comma + 1) ==
          "sha256=" + HmacHex(secret, t + "." + got[0].at("body").get<std::string>()));
    CHECK(got[0]
              .at("headers")
              .at("idempotency-key")
              .get<std::string>()
              .rfind("kansli-delivery-", 0) == 0);

    // Decided and sent: no further reminders.
    for (const json& e : {json{{"event", "begin_preparation"}, {"organ", "ana"}},
                          json{{"event", "decide_response"}, {"organ", "ana"}},
                          json{{"event", "send_response"}, {"organ", "ana"}}}) {
      json dated = e;
      dated["date"] = "2023-05-25";
      SendEvent(w.p.server.As("secretary"), id, dated);
    }
    const auto before = hook.Received(".json").size();
    for (const char* day : {"2023-05-30", "2023-05-31", "2023-06-07", "2023-06-14"})
      REQUIRE(w.Scheduler(day).exit_code == 0);
    CHECK(hook.Received(".json").size() == before);
  }

  TEST_CASE(
      "With the SMTP server down a message is retried with backoff and sent when it is back") {
    World w;
    w.smtp_port = FreeLoopbackPort();  // nothing listens there yet
    w.Staff();
    const long long id = DistributedMotion(w, "Nere");
    auto r = w.Scheduler("2023-07-03");
    REQUIRE_MESSAGE(r.exit_code == 0, r.Describe());
    CHECK(Has(r.out, "sent 0, failed 2"));
    json feed = w.Feed("?case=" + std::to_string(id));
    REQUIRE(feed.at("total") == 1);
    const json d = feed.at("items")[0].at("deliveries")[0];
    CHECK(d.at("status") == "pending");
    CHECK(d.at("attempts") == 1);
    CHECK_FALSE(d.at("last_error").is_null());
    CHECK(feed.at("items")[0].at("status") == "pending");
    // Still down a second time: the retry waits for its backoff (30 s, ±20 %).
    CHECK(Has(w.Scheduler("2023-07-03T07:30:10+02:00").out, "sent 0, failed 0"));
    CHECK(Has(w.Scheduler("2023-07-03T07:31:00+02:00").out, "failed 2"));

    Peer smtp("smtp_sink.py", w.smtp_port, FreshDir("smtp"));
    r = w.Scheduler("2023-07-03T07:40:00+02:00");
    CHECK(Has(r.out, "sent 2"));
    CHECK(smtp.Received(".eml").size() == 2);
    feed = w.Feed("?case=" + std::to_string(id));
    CHECK(feed.at("items")[0].at("status") == "sent");
    CHECK(feed.at("items")[0].at("deliveries")[0].at("attempts") == 3);
    // Nothing is sent twice.
    CHECK(Has(w.Scheduler("2023-07-04").out, "sent 0"));
    CHECK(smtp.Received(".eml").size() == 2);
  }

  TEST_CASE("A dead-lettered delivery is retried on request") {
    World w;
    w.smtp_port = FreeLoopbackPort();
    w.Staff();
    const long long id = DistributedMotion(w, "Död");
    const auto r = w.Scheduler("2023-07-03", {{"KANSLI_DELIVERY_MAX_ATTEMPTS", "1"}});
    CHECK(Has(r.out, "dead 2"));
    json feed = w.Feed("?status=dead");
    REQUIRE(feed.at("total") == 1);
    const long long delivery = feed.at("items")[0].at("deliveries")[0].at("id");
    CHECK(feed.at("items")[0].at("deliveries")[0].at("status") == "dead");
    const auto officer = w.p.server.As("officer");
    CHECK(officer.Post("/api/v1/deliveries/" + std::to_string(delivery) + "/retry", "").status ==
          403);
    const auto reg = w.p.server.As("registrar");
    CHECK(reg.Post("/api/v1/deliveries/" + std::to_string(delivery) + "/retry", "").status == 200);
    CHECK(reg.Post("/api/v1/deliveries/" + std::to_string(delivery) + "/retry", "").status == 409);
    Peer smtp("smtp_sink.py", w.smtp_port, FreshDir("smtp"));
    CHECK(Has(w.Scheduler("2023-07-03T08:00:00+02:00").out, "sent 1"));
    CHECK(smtp.Received(".eml").size() == 1);
    CHECK(w.Feed("?case=" + std::to_string(id) + "&status=dead").at("total") == 1);
  }

  TEST_CASE("Two schedulers at once on one database send every reminder exactly once") {
    World w;
    Peer smtp("smtp_sink.py", FreeLoopbackPort(), FreshDir("smtp"));
    w.smtp_port = smtp.port();
    w.Recipient("Kansliet", "kansliet@rjl.test", "kansli");
    constexpr int kCases = 40;
    for (int i = 0; i < kCases; ++i) DistributedMotion(w, "Motion " + std::to_string(i));
    CommandResult a, b;
    std::thread ta([&] { a = w.Scheduler("2023-07-03"); });
    std::thread tb([&] { b = w.Scheduler("2023-07-03"); });
    ta.join();
    tb.join();
    REQUIRE_MESSAGE(a.exit_code == 0, a.Describe());
    REQUIRE_MESSAGE(b.exit_code == 0, b.Describe());
    const auto mails = smtp.Received(".eml");
    CHECK(mails.size() == static_cast<std::size_t>(kCases));
    std::set<std::string> ids;
    for (const auto& m : mails) {
      const auto pos = m.find("Message-ID: ");
      ids.insert(m.substr(pos, m.find("\r\n", pos) - pos));
    }
    CHECK(ids.size() == static_cast<std::size_t>(kCases));
    CHECK(w.Feed().at("total") == kCases);
  }

  TEST_CASE("A scheduler killed after claiming leaves the reminders to the next one") {
    World w;
    Peer smtp("smtp_sink.py", FreeLoopbackPort(), FreshDir("smtp"));
    w.smtp_port = smtp.port();
    w.Staff();
    DistributedMotion(w, "Krasch");
    // Dies holding the claimed reminders: its transaction never commits.
    auto r = w.Scheduler("2023-07-03", {{"KANSLI_TEST_FAULT", "die_after_claim"}});
    CHECK(r.exit_code == 70);
    CHECK(w.Feed().at("total") == 0);
    // Dies holding leased deliveries: the lease runs out, then another sends them.
    r = w.Scheduler("2023-07-03", {{"KANSLI_TEST_FAULT", "die_after_delivery_claim"}});
    CHECK(r.exit_code == 70);
    CHECK(w.Feed().at("total") == 1);
    CHECK(smtp.Received(".eml").empty());
    CHECK(Has(w.Scheduler("2023-07-03T07:30:30+02:00").out, "sent 0"));  // still leased
    CHECK(Has(w.Scheduler("2023-07-03T07:32:00+02:00").out, "sent 2"));  // lease (60 s) over
    CHECK(smtp.Received(".eml").size() == 2);
  }

  TEST_CASE("Reminder rules, recipients and webhooks are kept by admins and checked") {
    World w;
    const auto admin = w.p.server.As("admin");
    const auto sec = w.p.server.As("secretary");
    json rules = sec.Get("/api/v1/reminder-rules").Json();
    REQUIRE(rules.at("items")[0].at("kind") == "*");
    CHECK(rules.at("items")[0].at("days_before") == json::array({30, 14, 7, 1}));
    auto r = admin.Request("PUT", "/api/v1/reminder-rules/views_due",
                           json{{"days_before", {10, 3}}, {"overdue_every", 3}}.dump(), {});
    REQUIRE_MESSAGE(r.status == 200, r.body);
    CHECK(r.Json().at("escalate_after") == 14);
    CHECK(sec.Request("PUT", "/api/v1/reminder-rules/views_due", json{{"overdue_every", 3}}.dump(),
                      {})
              .status == 403);
    r = admin.Request("PUT", "/api/v1/reminder-rules/views_due", json{{"days_before", {0}}}.dump(),
                      {});
    CHECK(r.status == 422);
    CHECK(r.Json().at("error").at("details").at("field") == "days_before");
    CHECK(admin.Get("/api/v1/reminder-rules").Json().at("total") == 2);

    auto field = [&](const std::string& path, const json& body) {
      const auto x = admin.PostJson(path, body);
      CHECK(x.status == 422);
      return x.Json().at("error").at("details").value("field", "");
    };
    CHECK(field("/api/v1/recipients",
                {{"name", "X"}, {"email", "inte-en-adress"}, {"function", "kansli"}}) == "email");
    CHECK(field("/api/v1/recipients",
                {{"name", "X"}, {"email", "x@rjl.test"}, {"function", "secretary"}}) == "organ");
    CHECK(field("/api/v1/recipients", {{"name", "X"},
                                       {"email", "x@rjl.test"},
                                       {"function", "secretary"},
                                       {"organ", "finns-inte"}}) == "organ");
    CHECK(field("/api/v1/webhooks", {{"url", "ftp://x"}, {"secret", "0123456789abcdef"}}) == "url");
    CHECK(field("/api/v1/webhooks", {{"url", "http://127.0.0.1:9/x"}, {"secret", "kort"}}) ==
          "secret");
    CHECK(sec.Get("/api/v1/recipients").status == 403);
    CHECK(w.p.server.As("reader").Get("/api/v1/notifications").status == 403);
    CHECK(w.p.server.As("officer").Get("/api/v1/notifications?status=odd").status == 422);

    // The command line keeps the same list.
    const auto added =
        w.p.db.KansliOk({"recipients", "add", "--name", "Bo", "--email", "bo@rjl.test",
                         "--function", "secretary", "--organ", "tim"});
    CHECK(Has(added.out, "recipient"));
    json list = admin.Get("/api/v1/recipients").Json();
    REQUIRE(list.at("total") == 1);
    const long long bo = list.at("items")[0].at("id");
    CHECK(Has(w.p.db.KansliOk({"recipients", "list"}).out, "bo@rjl.test"));
    CHECK(admin.Request("DELETE", "/api/v1/recipients/" + std::to_string(bo), "", {}).status ==
          200);
    CHECK(admin.Get("/api/v1/recipients").Json().at("total") == 0);
    CHECK(w.p.db.Kansli({"recipients", "remove", "--id", std::to_string(bo)}).exit_code == 1);
    CHECK(
        w.p.db
            .Kansli({"recipients", "add", "--name", "Bo", "--email", "fel", "--function", "kansli"})
            .exit_code == 1);
  }
}

}  // namespace
}  // namespace kansli::test
