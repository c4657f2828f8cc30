// CaseService over PostgreSQL: idempotency, optimistic concurrency, rollback
// of rejected commands, and deadlines kept with the case.
#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <typeinfo>

#include "tests/pg/pg_support.h"
#include "workflow/errors.h"

namespace kansli::test {
namespace {

using nlohmann::json;
using workflow::CommandOptions;
using workflow::StoredResponse;

CommandOptions Idempotent(const std::string& key, const std::string& request_hash) {
  CommandOptions o;
  o.idempotency_key = key;
  o.request = request_hash;
  o.render = [](const workflow::Case& c) {
    return StoredResponse{200,
                          json{{"id", c.id}, {"version", c.version}, {"state", c.state}}.dump()};
  };
  return o;
}

long long HistoryRows(const PgFixture& f, std::int64_t id) {
  return Count(f.db.dsn(),
               "SELECT count(*) FROM case_history WHERE case_id = " + std::to_string(id));
}

const json kNote = {{"event", "note"}, {"organ", "fs"}, {"text", "Information"}};

// The stored deadline rows of a case: "kind due met_on cancelled", by seq.
std::vector<std::string> DeadlineRows(const PgFixture& f, std::int64_t id) {
  pqxx::connection c(f.db.dsn());
  pqxx::read_transaction t(c);
  std::vector<std::string> out;
  for (const auto& r :
       t.exec("SELECT kind, due::text, coalesce(met_on::text, '-'), cancelled FROM case_deadlines "
              "WHERE case_id = " +
              std::to_string(id) + " ORDER BY seq"))
    out.push_back(r[0].as<std::string>() + " " + r[1].as<std::string>() + " " +
                  r[2].as<std::string>() + (r[3].as<bool>() ? " cancelled" : ""));
  return out;
}

TEST_SUITE("pg") {
  TEST_CASE("An event sent twice with the same idempotency key is recorded once") {
    PgFixture f;
    const auto c = RegisterMotion(f.stack, "Idempotens");
    const auto first =
        f.stack.cases.Apply(c.id, Event(kNote), kSecretary, Idempotent("key-1", "hash-a"));
    CHECK_FALSE(first.replayed);
    REQUIRE(first.response.has_value());
    CHECK(first.changed.version == 2);

    const auto again =
        f.stack.cases.Apply(c.id, Event(kNote), kSecretary, Idempotent("key-1", "hash-a"));
    CHECK(again.replayed);
    REQUIRE(again.response.has_value());
    CHECK(again.response->status == first.response->status);
    CHECK(again.response->body == first.response->body);
    CHECK(HistoryRows(f, c.id) == 2);
    CHECK(f.stack.cases.GetCase(c.id).version == 2);

    // Keys are scoped to the actor: another actor's same key is a new command.
    const auto other =
        f.stack.cases.Apply(c.id, Event(kNote), kRegistrar, Idempotent("key-1", "hash-a"));
    CHECK_FALSE(other.replayed);
    CHECK(HistoryRows(f, c.id) == 3);
  }

  TEST_CASE("A registration sent twice with the same idempotency key creates one case") {
    PgFixture f;
    const auto cmd = MotionCommand("En gång");
    const auto first = f.stack.cases.Register(cmd, kRegistrar, Idempotent("reg-1", "h"));
    const auto again = f.stack.cases.Register(cmd, kRegistrar, Idempotent("reg-1", "h"));
    CHECK(again.replayed);
    CHECK(again.response->body == first.response->body);
    CHECK(Count(f.db.dsn(), "SELECT count(*) FROM cases") == 1);
    CHECK(RegisterMotion(f.stack, "Nästa").reference == "RJL 2023/2");
  }

  TEST_CASE("An idempotency key reused for a different request is refused and changes nothing") {
    PgFixture f;
    const auto c = RegisterMotion(f.stack, "Återanvänd nyckel");
    f.stack.cases.Apply(c.id, Event(kNote), kSecretary, Idempotent("key-2", "hash-a"));
    auto other = Event(kNote);
    other.text = "Något annat";
    CHECK_THROWS_AS(f.stack.cases.Apply(c.id, other, kSecretary, Idempotent("key-2", "hash-b")),
                    workflow::IdempotencyMismatch);
    CHECK(HistoryRows(f, c.id) == 2);
    CHECK(f.stack.cases.GetCase(c.id).version == 2);

    f.stack.cases.Register(MotionCommand("A"), kRegistrar, Idempotent("reg-2", "hash-a"));
    CHECK_THROWS_AS(
        f.stack.cases.Register(MotionCommand("B"), kRegistrar, Idempotent("reg-2", "hash-b")),
        workflow::IdempotencyMismatch);
    CHECK(Count(f.db.dsn(), "SELECT count(*) FROM cases") == 2);
    CHECK(Count(f.db.dsn(), "SELECT count(*) FROM cases WHERE title = 'B'") == 0);
  }

  TEST_CASE("A stale expected version is refused and changes nothing") {
    PgFixture f;
    const auto c = RegisterMotion(f.stack, "Gammal version");
    f.stack.cases.Apply(c.id, Event(kNote), kSecretary, {});  // version 2
    CommandOptions o;
    o.expected_version = 1;
    try {
      f.stack.cases.Apply(c.id,
                          Event({{"event", "distribute"}, {"organ", "rf-pres"}, {"to", "fs"}}),
                          kSecretary, o);
      FAIL("a stale version was accepted");
    } catch (const workflow::StaleVersion& e) {
      CHECK(e.current() == 2);
    }
    const auto now = f.stack.cases.GetCase(c.id);
    CHECK(now.version == 2);
    CHECK(now.state == "registered");
    CHECK_FALSE(now.responsible_organ.has_value());
    CHECK(HistoryRows(f, c.id) == 2);

    o.expected_version = 2;
    const auto ok = f.stack.cases.Apply(
        c.id, Event({{"event", "distribute"}, {"organ", "rf-pres"}, {"to", "fs"}}), kSecretary, o);
    CHECK(ok.changed.version == 3);
    CHECK(ok.changed.state == "distributed");
  }

  TEST_CASE("Of 16 concurrent events with the same expected version exactly one is applied") {
    PgFixture f;
    const auto c = RegisterMotion(f.stack, "Kapplöpning");
    constexpr int kThreads = 16;
    std::atomic<int> applied{0}, stale{0};
    std::mutex mu;
    std::vector<std::string> other_errors;
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        CommandOptions o;
        o.expected_version = c.version;
        auto e = Event(kNote);
        e.text = "Skribent " + std::to_string(i);
        try {
          f.stack.cases.Apply(c.id, e, kSecretary, o);
          ++applied;
        } catch (const workflow::StaleVersion& s) {
          if (s.current() == c.version + 1) ++stale;
        } catch (const std::exception& x) {
          std::lock_guard<std::mutex> g(mu);
          other_errors.push_back(x.what());
        }
      });
    }
    for (auto& t : threads) t.join();
    for (const auto& e : other_errors) CHECK_MESSAGE(false, e);
    CHECK(applied == 1);
    CHECK(stale == kThreads - 1);
    CHECK(f.stack.cases.GetCase(c.id).version == c.version + 1);
    CHECK(HistoryRows(f, c.id) == 2);
  }

  // With libpqxx 6.4, pqxx::deadlock_detected and pqxx::serialization_failure
  // derive from pqxx::transaction_rollback, not pqxx::sql_error: PgTransactions
  // must catch them by that type to retry.
  TEST_CASE("A command chosen as a deadlock victim is retried as Transactions promises") {
    PgFixture f;
    const auto c = RegisterMotion(f.stack, "Baklås");
    // The test's own transaction holds the case row...
    pqxx::connection blocker(f.db.dsn());
    pqxx::work t0(blocker);
    t0.exec("SELECT id FROM cases WHERE id = " + std::to_string(c.id) + " FOR UPDATE");
    // ...while the command claims its idempotency key and waits for the row.
    std::string outcome = "not finished";
    std::thread command([&] {
      try {
        const auto r =
            f.stack.cases.Apply(c.id, Event(kNote), kSecretary, Idempotent("baklås", "h"));
        outcome = "applied version " + std::to_string(r.changed.version);
      } catch (const std::exception& e) {
        outcome = std::string("threw ") + typeid(e).name() + ": " + e.what();
      }
    });
    bool waiting = false;
    for (int i = 0; i < 500 && !waiting; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      waiting = Count(f.db.dsn(),
                      "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                      "AND wait_event_type = 'Lock'") > 0;
    }
    CHECK(waiting);
    // Now wait for the command's key: a cycle, which PostgreSQL breaks (after
    // deadlock_timeout) by aborting the command, whose wait began first.
    t0.exec_params(
        "INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ($1, 'baklås', 'x')",
        kSecretary.name);
    t0.abort();
    command.join();
    CHECK(outcome == "applied version 2");
    CHECK(HistoryRows(f, c.id) == 2);
  }

  TEST_CASE("A rejected event rolls back and leaves the case as it was") {
    PgFixture f;
    const auto c = RegisterMotion(f.stack, "Avvisad");
    SUBCASE("an unknown organ") {
      try {
        f.stack.cases.Apply(
            c.id, Event({{"event", "distribute"}, {"organ", "rf-pres"}, {"to", "nosuch"}}),
            kSecretary, {});
        FAIL("an unknown organ was accepted");
      } catch (const workflow::ValidationError& e) {
        CHECK(e.field() == "to");
      }
    }
    SUBCASE("an event the state does not allow") {
      try {
        f.stack.cases.Apply(c.id,
                            Event({{"event", "decide"}, {"organ", "rf"}, {"outcome", "approved"}}),
                            kSecretary, {});
        FAIL("decide was accepted on a registered motion");
      } catch (const workflow::InvalidTransition& e) {
        CHECK(e.state() == "registered");
        CHECK(e.event() == "decide");
        CHECK(e.allowed() == std::vector<std::string>{"announce", "distribute", "note",
                                                      "report_unanswered", "withdraw"});
      }
    }
    SUBCASE("a role that may not record the event") {
      CHECK_THROWS_AS(f.stack.cases.Apply(c.id, Event({{"event", "withdraw"}, {"organ", "rf"}}),
                                          workflow::Actor{"handläggare", "officer"}, {}),
                      workflow::Forbidden);
    }
    SUBCASE("an unknown case") {
      CHECK_THROWS_AS(f.stack.cases.Apply(c.id + 1000, Event(kNote), kSecretary, {}),
                      workflow::NotFound);
    }
    const auto now = f.stack.cases.GetCase(c.id);
    CHECK(now.version == 1);
    CHECK(now.state == "registered");
    CHECK(HistoryRows(f, c.id) == 1);
    CHECK(DeadlineRows(f, c.id) ==
          std::vector<std::string>{"decision_due 2024-02-01 -", "report_due 2024-02-01 -"});
  }

  TEST_CASE("Deadlines are stored with the case and recomputed on every change") {
    PgFixture f;
    auto& s = f.stack.cases;
    const auto c = RegisterMotion(f.stack, "Tidsfrister", "2022-06-15");
    CHECK(DeadlineRows(f, c.id) ==
          std::vector<std::string>{"decision_due 2023-06-15 -", "report_due 2023-06-15 -"});

    s.Apply(
        c.id,
        Event(
            {{"event", "distribute"}, {"date", "2023-03-01"}, {"organ", "rf-pres"}, {"to", "fs"}}),
        kSecretary, {});
    CHECK(DeadlineRows(f, c.id) == std::vector<std::string>{"decision_due 2023-06-15 -",
                                                            "report_due 2023-06-15 -",
                                                            "answer_due 2023-09-01 -"});

    s.Apply(c.id,
            Event({{"event", "request_material"},
                   {"date", "2023-03-02"},
                   {"organ", "fs"},
                   {"assignee", "rlk"},
                   {"due", "2023-04-03"}}),
            kSecretary, {});
    CHECK(DeadlineRows(f, c.id) ==
          std::vector<std::string>{"decision_due 2023-06-15 -", "report_due 2023-06-15 -",
                                   "answer_due 2023-09-01 -", "material_due 2023-04-03 -"});

    s.Apply(c.id,
            Event({{"event", "material_delivered"},
                   {"date", "2023-03-20"},
                   {"organ", "rlk"},
                   {"document", {{"title", "Motionsunderlag"}, {"type", "motionsunderlag"}}}}),
            kSecretary, {});
    CHECK(DeadlineRows(f, c.id) == std::vector<std::string>{"decision_due 2023-06-15 -",
                                                            "report_due 2023-06-15 -",
                                                            "answer_due 2023-09-01 -",
                                                            "material_due 2023-04-03 2023-03-20"});

    s.Apply(c.id,
            Event({{"event", "adopt_answer"},
                   {"date", "2023-04-12"},
                   {"organ", "fs"},
                   {"outcome", "rejected"}}),
            kSecretary, {});
    CHECK(DeadlineRows(f, c.id) == std::vector<std::string>{"decision_due 2023-06-15 -",
                                                            "report_due 2023-06-15 -",
                                                            "answer_due 2023-09-01 2023-04-12",
                                                            "material_due 2023-04-03 2023-03-20"});

    // Closing the case without a decision cancels what is still unmet.
    s.Apply(c.id, Event({{"event", "withdraw"}, {"date", "2023-05-02"}, {"organ", "rf"}}),
            kSecretary, {});
    CHECK(DeadlineRows(f, c.id) == std::vector<std::string>{"decision_due 2023-06-15 - cancelled",
                                                            "report_due 2023-06-15 - cancelled",
                                                            "answer_due 2023-09-01 2023-04-12",
                                                            "material_due 2023-04-03 2023-03-20"});

    // The reader returns what is stored.
    const auto read = s.GetCase(c.id);
    REQUIRE(read.deadlines.size() == 4);
    CHECK(read.deadlines[0].kind == "decision_due");
    CHECK(read.deadlines[0].cancelled);
    CHECK(read.deadlines[1].kind == "report_due");
    CHECK(*read.deadlines[1].latest == read.deadlines[0].due);
    CHECK(workflow::FormatDate(*read.deadlines[2].met_on) == "2023-04-12");
  }

  TEST_CASE("A remiss deadline follows an agreed extension and is met by sending the response") {
    PgFixture f;
    auto& s = f.stack.cases;
    const auto c = s.Register(Registration({{"type", "remiss"},
                                            {"title", "Remiss"},
                                            {"received", "2023-02-01"},
                                            {"sender", "Socialdepartementet"},
                                            {"answer_by", "2023-04-28"},
                                            {"to", "ana"}}),
                              kRegistrar, {})
                       .changed;
    CHECK(c.state == "distributed");
    CHECK(HistoryRows(f, c.id) == 2);
    // ANA has no meeting plan here: the meeting deadlines fall back to calendar dates.
    CHECK(DeadlineRows(f, c.id) == std::vector<std::string>{"answer_by 2023-04-28 -",
                                                            "decision_meeting 2023-04-21 -",
                                                            "proposal_due 2023-04-20 -"});
    s.Apply(c.id,
            Event({{"event", "extend_deadline"}, {"organ", "ana"}, {"answer_by", "2023-05-31"}}),
            kSecretary, {});
    CHECK(DeadlineRows(f, c.id) == std::vector<std::string>{"answer_by 2023-05-31 -",
                                                            "decision_meeting 2023-05-24 -",
                                                            "proposal_due 2023-05-23 -"});
    CHECK(workflow::FormatDate(*s.GetCase(c.id).answer_by) == "2023-05-31");
    for (const json& e :
         {json{{"event", "begin_preparation"}, {"organ", "rlk"}},
          json{{"event", "propose_response"}, {"date", "2023-05-11"}, {"organ", "ana-pres"}},
          json{{"event", "decide_response"}, {"date", "2023-05-12"}, {"organ", "ana"}},
          json{{"event", "send_response"}, {"date", "2023-05-15"}, {"organ", "ana"}}})
      s.Apply(c.id, Event(e), kSecretary, {});
    CHECK(s.GetCase(c.id).state == "answered");
    CHECK(DeadlineRows(f, c.id) ==
          std::vector<std::string>{"answer_by 2023-05-31 2023-05-15",
                                   "decision_meeting 2023-05-24 2023-05-12",
                                   "proposal_due 2023-05-23 2023-05-11"});
  }
}

}  // namespace
}  // namespace kansli::test
