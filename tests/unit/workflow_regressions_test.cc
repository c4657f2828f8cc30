// Regression tests for bugs found in review.
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "tests/unit/fakes.h"
#include "workflow/case_service.h"
#include "workflow/clock.h"
#include "workflow/deadlines.h"
#include "workflow/reference.h"

namespace kansli::workflow {
namespace {

using namespace date::literals;
using namespace std::chrono_literals;
using nlohmann::json;

TEST_SUITE("regressions") {
  // workflow/case_service.cc, InPreparingChain: every organ whose parent is the
  // styrelse counts as preparing, so Personaldelegationen (kind delegation,
  // parent rs in app/demo/organs.json), when consulted, overwrites
  // proposed_outcome -- api.md: a consulted organ's recommend "does not change
  // proposed_outcome".
  TEST_CASE("A consulted delegation under the board does not change proposed_outcome") {
    fakes::FakeDb db;
    db.organs = fakes::RjlOrgans();
    fakes::FakeTransactions tx(db);
    fakes::FakeCaseReader reader(db);
    FixedClock clock(date::sys_days{2022_y / 6 / 16} + 8h);
    CaseService service(tx, reader, clock, ServiceSettings{});
    const Actor registrar{"kansliet", "registrar"};
    const Case c = service
                       .Register(DecodeRegistration(json::parse(
                                     R"({"type": "motion", "title": "Kultur för hälsa",
                                       "received": "2021-06-15",
                                       "submitters": [{"name": "Mikael Ekvall", "party": "V"}]})")),
                                 registrar, {})
                       .changed;
    service.Apply(c.id,
                  DecodeEvent({{"event", "distribute"},
                               {"organ", "rf-pres"},
                               {"to", "fs"},
                               {"consult", json::array({"pers-del"})}}),
                  registrar, {});
    const Case after =
        service
            .Apply(c.id,
                   DecodeEvent(
                       {{"event", "recommend"}, {"organ", "pers-del"}, {"outcome", "approved"}}),
                   registrar, {})
            .changed;
    CHECK_FALSE(after.proposed_outcome.has_value());
  }

  // workflow/reference.cc: the 16-letter limit of the prefix is checked on the
  // UTF-8 byte length, so a prefix with Å, Ä or Ö is cut at 8 to 15 letters.
  TEST_CASE("A prefix of nine Swedish letters is within the 16-letter limit") {
    const auto r = ParseReference("ÅÄÖÅÄÖÅÄÖ 2021/5", "RJL");
    REQUIRE(r.has_value());
    CHECK(r->ToString() == "ÅÄÖÅÄÖÅÄÖ 2021/5");
  }

  // workflow/clock.cc, ParseInstant: the offset's hours and minutes are not
  // range-checked, so "+02:99" and "+25:00" are accepted.
  TEST_CASE("ParseInstant rejects an offset that is out of range") {
    CHECK_FALSE(ParseInstant("2022-06-16T09:00:00+02:99").has_value());
    CHECK_FALSE(ParseInstant("2022-06-16T09:00:00+25:00").has_value());
  }

  // workflow/deadlines.h: the main deadline first, then the others in the order
  // the events that created them were recorded.
  TEST_CASE("ComputeDeadlines lists the main deadline first, then in the order they arose") {
    Case c;
    c.type = "motion";
    c.received = 2021_y / 6 / 15;
    c.state = "distributed";
    HistoryEntry h;
    h.event = "distribute";
    h.date = 2021_y / 8 / 19;
    h.details = {{"event", "distribute"}, {"organ", "rf-pres"}, {"to", "fs"}};
    const auto all = ComputeDeadlines(c, {h}, DeadlineSettings{});
    REQUIRE(all.size() == 2);
    CHECK(all[0].kind == "decision_due");
    CHECK(all[1].kind == "answer_due");
  }

  // Under lag (1930:173) a deadline ending on a Saturday, Sunday or holiday
  // moves to the next weekday; 2022-06-12 is a Sunday.
  TEST_CASE("A decision_due that falls on a Sunday moves to the Monday") {
    Case c;
    c.type = "motion";
    c.received = 2021_y / 6 / 12;
    c.state = "registered";
    const auto all = ComputeDeadlines(c, {}, DeadlineSettings{});
    REQUIRE(all.size() == 1);
    CHECK(all[0].due == 2022_y / 6 / 13);
  }

}  // TEST_SUITE
}  // namespace
}  // namespace kansli::workflow
