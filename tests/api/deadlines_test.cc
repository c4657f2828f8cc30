// GET /api/v1/deadlines: the open deadlines across cases, most urgent first.
#include <doctest/doctest.h>

#include "tests/api/api_support.h"

namespace kansli::test {
namespace {

TEST_SUITE("api") {
  TEST_CASE("The deadline list shows open deadlines, most urgent first, with their case") {
    PrivateServer p;
    const auto reg = p.server.As("registrar");
    const auto sec = p.server.As("secretary");
    const auto reader = p.server.As("reader");
    // Today is 2023-03-01 (kApiNow).
    const long long old_motion = CreateCase(reg, MotionBody("Gammal motion", "2021-06-15"))["id"];
    SendEvent(
        sec, old_motion,
        {{"event", "distribute"}, {"organ", "rf-pres"}, {"to", "fs"}, {"date", "2021-08-19"}});
    const long long remiss =
        CreateCase(reg, RemissBody("En remiss", "2023-02-01", "2023-04-28"))["id"];
    const long long answered = CreateCase(reg, MotionBody("Ny motion", "2023-02-20"))["id"];
    SendEvent(sec, answered,
              {{"event", "withdraw"}, {"organ", "rf"}, {"text", "Motionen återtas"}});

    const json all = reader.Get("/api/v1/deadlines").Json();
    // Old motion: answer_due 2022-02-21 (Saturday 19th moved), decision_due 2022-06-15 and
    // report_due on the same day (fullmäktige has no meeting plan here); the remiss:
    // answer_by 2023-04-28; the withdrawn motion's deadlines are cancelled.
    REQUIRE(all.at("total") == 4);
    const json& items = all.at("items");
    CHECK(items[0].at("kind") == "answer_due");
    CHECK(items[0].at("due") == "2022-02-21");
    CHECK(items[0].at("case").at("id") == old_motion);
    CHECK(items[0].at("overdue") == true);
    CHECK(items[1].at("kind") == "decision_due");
    CHECK(items[1].at("due") == "2022-06-15");
    CHECK(items[2].at("kind") == "report_due");
    CHECK(items[2].at("from_meeting_plan") == false);
    CHECK(items[3].at("kind") == "answer_by");
    CHECK(items[3].at("case").at("id") == remiss);
    CHECK(items[3].at("days_left") == 58);

    auto totals = [&](const std::string& query) {
      return reader.Get("/api/v1/deadlines?" + query).Json().at("total").get<int>();
    };
    CHECK(totals("overdue=true") == 3);
    CHECK(totals("overdue=false") == 1);
    CHECK(totals("kind=answer_by") == 1);
    CHECK(totals("organ=fs") == 3);
    CHECK(totals("due_before=2022-06-15") == 1);
    CHECK(totals("due_before=2022-06-16") == 3);
    CHECK(totals("type=remiss") == 1);
    CHECK(reader.Get("/api/v1/deadlines?limit=1&offset=3")
              .Json()
              .at("items")[0]
              .at("case")
              .at("id") == remiss);
    CHECK(reader.Get("/api/v1/deadlines?due_before=2022-13-01").status == 422);
    CHECK(reader.Get("/api/v1/deadlines?overdue=yes").status == 422);
  }
}

}  // namespace
}  // namespace kansli::test
