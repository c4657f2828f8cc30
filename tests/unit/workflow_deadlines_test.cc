// The deadline engine (workflow/deadlines.h), fed with histories built the
// way CaseService writes them: one HistoryEntry per accepted event, with the
// event's JSON as details.
#include "workflow/deadlines.h"

#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "states/machine.h"

namespace kansli::workflow {
namespace {

using nlohmann::json;
using namespace date::literals;

// A history row from an event body as posted (api.md), e.g. a fixture event.
HistoryEntry Row(const json& body) {
  HistoryEntry h;
  h.event = body.at("event").get<std::string>();
  h.date = *ParseDate(body.at("date").get<std::string>());
  if (body.contains("organ")) h.organ = body["organ"].get<std::string>();
  if (body.contains("paragraph")) h.paragraph = body["paragraph"].get<std::string>();
  if (body.contains("text")) h.text = body["text"].get<std::string>();
  h.details = body;
  return h;
}

HistoryEntry Row(const char* text) { return Row(json::parse(text)); }

Case MotionCase(const std::string& state) {
  Case c;
  c.id = 1;
  c.reference = "RJL 2021/1342";
  c.type = "motion";
  c.title = "Kultur för hälsa";
  c.received = 2021_y / 6 / 15;
  c.state = state;
  c.responsible_organ = "fs";
  return c;
}

// RJL 2021/1342 "Kultur för hälsa" as in ../fixtures/cases/motion-rjl-2021-1342.json
// (texts shortened): distributed 2021-08-19, still in preparation.
std::vector<HistoryEntry> FixtureHistory() {
  return {
      Row(R"({"event": "register", "date": "2021-06-15", "type": "motion", "title": "Kultur för hälsa"})"),
      Row(R"({"event": "distribute", "date": "2021-08-19", "organ": "rf-pres", "paragraph": "§ 23", "to": "fs"})"),
      Row(R"({"event": "begin_preparation", "date": "2022-02-09", "organ": "fs-pres", "paragraph": "§ 30"})"),
      Row(R"({"event": "note", "date": "2022-02-22", "organ": "fs", "paragraph": "§ 36"})"),
      Row(R"({"event": "request_material", "date": "2022-02-22", "organ": "fs", "paragraph": "§ 36", "assignee": "rlk"})"),
      Row(R"({"event": "material_delivered", "date": "2022-04-12", "organ": "rlk",
              "document": {"title": "Motionsunderlag - Kultur för hälsa", "date": "2022-04-12", "type": "other"}})"),
      Row(R"({"event": "request_material", "date": "2022-04-20", "organ": "fs-pres", "paragraph": "§ 69", "assignee": "rlk"})"),
      Row(R"({"event": "material_delivered", "date": "2022-05-06", "organ": "rlk"})"),
      Row(R"({"event": "recommend", "date": "2022-05-17", "organ": "fs-pres", "paragraph": "§ 91", "outcome": "rejected"})"),
      Row(R"({"event": "material_delivered", "date": "2022-05-24", "organ": "rlk"})"),
      Row(R"({"event": "request_views", "date": "2022-05-31", "organ": "fs", "paragraph": "§ 100", "to": "ana"})"),
      Row(R"({"event": "recommend", "date": "2022-09-21", "organ": "ana-pres", "paragraph": "§ 128", "outcome": "rejected"})"),
  };
}

// The deadlines of one kind.
std::vector<Deadline> OfKind(const std::vector<Deadline>& all, const std::string& kind) {
  std::vector<Deadline> out;
  for (const auto& d : all)
    if (d.kind == kind) out.push_back(d);
  return out;
}

// The only deadline of a kind (a failed REQUIRE otherwise).
Deadline One(const std::vector<Deadline>& all, const std::string& kind) {
  const auto found = OfKind(all, kind);
  INFO("kind: ", kind);
  REQUIRE(found.size() == 1);
  return found.front();
}

const DeadlineSettings kSixMonths{};

TEST_CASE("The fixture motion has an unmet decision_due one year after it was received") {
  const auto all = ComputeDeadlines(MotionCase("in_preparation"), FixtureHistory(), kSixMonths);
  const Deadline d = One(all, "decision_due");
  CHECK(d.due == 2022_y / 6 / 15);
  CHECK(d.label == "Beslut i fullmäktige (KL 5 kap. 35 §)");
  CHECK_FALSE(d.met_on.has_value());
  CHECK_FALSE(d.cancelled);
  CHECK(d.basis == "Inkom 2021-06-15 + 1 år");
}

TEST_CASE("The fixture motion has an unmet answer_due six months after its distribution") {
  const auto all = ComputeDeadlines(MotionCase("in_preparation"), FixtureHistory(), kSixMonths);
  const Deadline d = One(all, "answer_due");
  // 2021-08-19 + 6 months is Saturday 2022-02-19: lag (1930:173) moves it to Monday.
  CHECK(d.due == 2022_y / 2 / 21);
  CHECK(d.organ == std::optional<std::string>("fs"));
  CHECK_FALSE(d.met_on.has_value());
  CHECK_FALSE(d.cancelled);
  CHECK(d.basis ==
        "Fördelad 2021-08-19 + 6 månader = 2022-02-19, flyttad till nästa vardag (lag 1930:173)");
}

TEST_CASE(
    "The fixture motion has no material or views deadline because no request gave a due date") {
  const auto all = ComputeDeadlines(MotionCase("in_preparation"), FixtureHistory(), kSixMonths);
  CHECK(all.size() == 2);
  CHECK(OfKind(all, "material_due").empty());
  CHECK(OfKind(all, "views_due").empty());
}

TEST_CASE("The fixture motion's deadlines are both overdue the day after the one-year mark") {
  const auto all = ComputeDeadlines(MotionCase("in_preparation"), FixtureHistory(), kSixMonths);
  const Deadline decision = One(all, "decision_due"), answer = One(all, "answer_due");
  CHECK(IsOverdue(decision, 2022_y / 6 / 16));
  CHECK(IsOverdue(answer, 2022_y / 6 / 16));
  // On the due day itself a deadline is not yet overdue.
  CHECK_FALSE(IsOverdue(decision, 2022_y / 6 / 15));
  CHECK_FALSE(IsOverdue(answer, 2022_y / 2 / 21));
  CHECK(IsOverdue(answer, 2022_y / 2 / 22));
  CHECK_FALSE(IsOverdue(decision, 2022_y / 2 / 22));
}

TEST_CASE("A motion without history has only its decision_due") {
  const auto all = ComputeDeadlines(MotionCase("registered"), {}, kSixMonths);
  REQUIRE(all.size() == 1);
  CHECK(all[0].kind == "decision_due");
  CHECK(all[0].due == 2022_y / 6 / 15);
}

TEST_CASE("A motion received on 29 February is due on 28 February the next year") {
  Case c = MotionCase("registered");
  c.received = 2024_y / 2 / 29;
  CHECK(One(ComputeDeadlines(c, {}, kSixMonths), "decision_due").due == 2025_y / 2 / 28);
}

TEST_CASE("The answer period is configurable") {
  const DeadlineSettings three{3};
  const auto all = ComputeDeadlines(MotionCase("in_preparation"), FixtureHistory(), three);
  const Deadline d = One(all, "answer_due");
  CHECK(d.due == 2021_y / 11 / 19);
  CHECK(d.basis == "Fördelad 2021-08-19 + 3 månader");
  // The decision deadline is the law's, not configurable.
  CHECK(One(all, "decision_due").due == 2022_y / 6 / 15);
}

TEST_CASE("A distribution on 31 August gets an answer_due on the last day of February") {
  auto history = std::vector<HistoryEntry>{
      Row(R"({"event": "distribute", "date": "2023-08-31", "organ": "rf-pres", "to": "fs"})")};
  Case c = MotionCase("distributed");
  c.received = 2023_y / 6 / 1;
  CHECK(One(ComputeDeadlines(c, history, kSixMonths), "answer_due").due == 2024_y / 2 / 29);
}

TEST_CASE("adopt_answer meets answer_due on the day of the adoption") {
  auto history = FixtureHistory();
  history.push_back(
      Row(R"({"event": "views_delivered", "date": "2022-10-12", "organ": "ana", "from": "ana"})"));
  history.push_back(Row(
      R"({"event": "adopt_answer", "date": "2022-10-25", "organ": "fs", "outcome": "rejected"})"));
  const auto all = ComputeDeadlines(MotionCase("answered"), history, kSixMonths);
  const Deadline answer = One(all, "answer_due");
  CHECK(answer.met_on == std::optional<Date>(2022_y / 10 / 25));
  CHECK_FALSE(answer.cancelled);
  CHECK_FALSE(IsOverdue(answer, 2023_y / 1 / 1));
  // adopt_answer is no decision by fullmäktige.
  CHECK_FALSE(One(all, "decision_due").met_on.has_value());
  CHECK(IsOverdue(One(all, "decision_due"), 2023_y / 1 / 1));
}

TEST_CASE("A second adopt_answer after a referral back keeps the first meeting date") {
  auto history = FixtureHistory();
  history.push_back(Row(
      R"({"event": "adopt_answer", "date": "2022-10-25", "organ": "fs", "outcome": "rejected"})"));
  history.push_back(Row(R"({"event": "refer_back", "date": "2022-11-22", "organ": "rf"})"));
  history.push_back(Row(
      R"({"event": "adopt_answer", "date": "2023-01-24", "organ": "fs", "outcome": "answered"})"));
  const auto all = ComputeDeadlines(MotionCase("answered"), history, kSixMonths);
  CHECK(One(all, "answer_due").met_on == std::optional<Date>(2022_y / 10 / 25));
}

TEST_CASE("decide meets decision_due, and the case's closing cancels only unmet deadlines") {
  auto history = FixtureHistory();
  history.push_back(Row(
      R"({"event": "adopt_answer", "date": "2022-10-25", "organ": "fs", "outcome": "rejected"})"));
  history.push_back(Row(
      R"({"event": "board_propose", "date": "2022-11-08", "organ": "rs", "outcome": "rejected"})"));
  history.push_back(
      Row(R"({"event": "decide", "date": "2022-11-22", "organ": "rf", "outcome": "rejected"})"));
  const auto all = ComputeDeadlines(MotionCase("decided"), history, kSixMonths);
  const Deadline decision = One(all, "decision_due");
  CHECK(decision.met_on == std::optional<Date>(2022_y / 11 / 22));
  CHECK_FALSE(decision.cancelled);
  CHECK_FALSE(IsOverdue(decision, 2023_y / 1 / 1));
  CHECK(One(all, "answer_due").met_on == std::optional<Date>(2022_y / 10 / 25));
  CHECK_FALSE(One(all, "answer_due").cancelled);
}

TEST_CASE("request_material with a due date is met by the next material_delivered") {
  std::vector<HistoryEntry> history = {
      Row(R"({"event": "distribute", "date": "2021-08-19", "organ": "rf-pres", "to": "fs"})"),
      Row(R"({"event": "material_delivered", "date": "2022-01-10", "organ": "rlk"})"),
      Row(R"({"event": "request_material", "date": "2022-02-22", "organ": "fs", "paragraph": "§ 36", "assignee": "rlk", "due": "2022-04-15"})"),
      Row(R"({"event": "request_material", "date": "2022-03-01", "organ": "fs-pres", "paragraph": "§ 48", "assignee": "rlk", "due": "2022-05-10"})"),
      Row(R"({"event": "material_delivered", "date": "2022-04-12", "organ": "rlk"})"),
  };
  const auto all = ComputeDeadlines(MotionCase("in_preparation"), history, kSixMonths);
  const auto material = OfKind(all, "material_due");
  REQUIRE(material.size() == 2);
  // The delivery before any request meets nothing; the later one meets the first request.
  CHECK(material[0].due == 2022_y / 4 / 15);
  CHECK(material[0].met_on == std::optional<Date>(2022_y / 4 / 12));
  CHECK(material[0].organ == std::optional<std::string>("rlk"));
  CHECK(material[0].basis == "Uppdrag 2022-02-22 § 36");
  CHECK(material[1].due == 2022_y / 5 / 10);
  CHECK_FALSE(material[1].met_on.has_value());
  CHECK(IsOverdue(material[1], 2022_y / 5 / 11));
  CHECK_FALSE(IsOverdue(material[0], 2022_y / 5 / 11));

  history.push_back(
      Row(R"({"event": "material_delivered", "date": "2022-05-06", "organ": "rlk"})"));
  const auto later =
      OfKind(ComputeDeadlines(MotionCase("in_preparation"), history, kSixMonths), "material_due");
  REQUIRE(later.size() == 2);
  CHECK(later[0].met_on == std::optional<Date>(2022_y / 4 / 12));
  CHECK(later[1].met_on == std::optional<Date>(2022_y / 5 / 6));
}

TEST_CASE("views_due is met only by views_delivered from the organ that was asked") {
  std::vector<HistoryEntry> history = {
      Row(R"({"event": "distribute", "date": "2021-08-19", "organ": "rf-pres", "to": "fs"})"),
      Row(R"({"event": "request_views", "date": "2022-05-31", "organ": "fs", "paragraph": "§ 100", "to": "ana", "due": "2022-09-30"})"),
      Row(R"({"event": "views_delivered", "date": "2022-06-20", "organ": "tim", "from": "tim"})"),
  };
  auto views =
      OfKind(ComputeDeadlines(MotionCase("in_preparation"), history, kSixMonths), "views_due");
  REQUIRE(views.size() == 1);
  CHECK(views[0].due == 2022_y / 9 / 30);
  CHECK(views[0].organ == std::optional<std::string>("ana"));
  CHECK_FALSE(views[0].met_on.has_value());
  CHECK(IsOverdue(views[0], 2022_y / 10 / 1));

  history.push_back(Row(
      R"({"event": "views_delivered", "date": "2022-09-21", "organ": "ana-pres", "from": "ana"})"));
  views = OfKind(ComputeDeadlines(MotionCase("in_preparation"), history, kSixMonths), "views_due");
  REQUIRE(views.size() == 1);
  CHECK(views[0].met_on == std::optional<Date>(2022_y / 9 / 21));
  CHECK_FALSE(IsOverdue(views[0], 2022_y / 10 / 1));
}

TEST_CASE("Views requested from two organs are met separately") {
  std::vector<HistoryEntry> history = {
      Row(R"({"event": "request_views", "date": "2022-05-31", "organ": "fs", "to": "ana", "due": "2022-09-30"})"),
      Row(R"({"event": "request_views", "date": "2022-05-31", "organ": "fs", "to": "tim", "due": "2022-08-31"})"),
      Row(R"({"event": "views_delivered", "date": "2022-08-15", "organ": "tim", "from": "tim"})"),
  };
  const auto views =
      OfKind(ComputeDeadlines(MotionCase("in_preparation"), history, kSixMonths), "views_due");
  REQUIRE(views.size() == 2);
  CHECK(views[0].organ == std::optional<std::string>("ana"));
  CHECK_FALSE(views[0].met_on.has_value());
  CHECK(views[1].organ == std::optional<std::string>("tim"));
  CHECK(views[1].met_on == std::optional<Date>(2022_y / 8 / 15));
}

TEST_CASE("Withdrawal cancels the unmet deadlines and keeps the met ones") {
  std::vector<HistoryEntry> history = {
      Row(R"({"event": "distribute", "date": "2021-08-19", "organ": "rf-pres", "to": "fs"})"),
      Row(R"({"event": "request_material", "date": "2022-02-22", "organ": "fs", "assignee": "rlk", "due": "2022-04-15"})"),
      Row(R"({"event": "material_delivered", "date": "2022-04-12", "organ": "rlk"})"),
      Row(R"({"event": "withdraw", "date": "2022-05-02", "organ": "rf"})"),
  };
  const auto all = ComputeDeadlines(MotionCase("withdrawn"), history, kSixMonths);
  CHECK(One(all, "decision_due").cancelled);
  CHECK(One(all, "answer_due").cancelled);
  CHECK_FALSE(IsOverdue(One(all, "decision_due"), 2023_y / 1 / 1));
  CHECK_FALSE(IsOverdue(One(all, "answer_due"), 2023_y / 1 / 1));
  const Deadline material = One(all, "material_due");
  CHECK_FALSE(material.cancelled);
  CHECK(material.met_on == std::optional<Date>(2022_y / 4 / 12));
}

TEST_CASE("Writing a motion off cancels its unmet deadlines") {
  auto history = FixtureHistory();
  history.push_back(Row(R"({"event": "report_unanswered", "date": "2022-06-14", "organ": "rf"})"));
  history.push_back(Row(R"({"event": "write_off", "date": "2022-09-27", "organ": "rf"})"));
  const auto all = ComputeDeadlines(MotionCase("written_off"), history, kSixMonths);
  REQUIRE(all.size() == 2);
  for (const auto& d : all) {
    INFO(d.kind);
    CHECK(d.cancelled);
    CHECK_FALSE(d.met_on.has_value());
  }
}

Case RemissCase(const std::string& state) {
  Case c;
  c.id = 2;
  c.reference = "RJL 2022/2018";
  c.type = "remiss";
  c.title = "Audiovisuell strategi Regionsamverkan Sydsverige";
  c.received = 2022_y / 8 / 11;
  c.sender = "Regionsamverkan Sydsverige";
  c.answer_by = 2022_y / 10 / 31;
  c.state = state;
  return c;
}

std::vector<HistoryEntry> RemissHistory() {
  return {
      Row(R"({"event": "register", "date": "2022-08-11"})"),
      Row(R"({"event": "distribute", "date": "2022-08-11", "organ": "rlk", "to": "ana"})"),
      Row(R"({"event": "begin_preparation", "date": "2022-09-14", "organ": "ana"})"),
  };
}

TEST_CASE("A remiss is due on the sender's answer_by, for the organ it was distributed to") {
  const auto all = ComputeDeadlines(RemissCase("in_preparation"), RemissHistory(), kSixMonths);
  REQUIRE(all.size() == 1);
  const Deadline d = One(all, "answer_by");
  CHECK(d.due == 2022_y / 10 / 31);
  CHECK(d.organ == std::optional<std::string>("ana"));
  CHECK(d.label == "Remissvar till avsändaren");
  CHECK_FALSE(d.met_on.has_value());
  CHECK(IsOverdue(d, 2022_y / 11 / 1));
  CHECK_FALSE(IsOverdue(d, 2022_y / 10 / 31));
}

TEST_CASE("extend_deadline moves a remiss's answer_by, the latest extension winning") {
  auto history = RemissHistory();
  history.push_back(Row(
      R"({"event": "extend_deadline", "date": "2022-10-20", "organ": "ana", "answer_by": "2022-11-15"})"));
  auto d = One(ComputeDeadlines(RemissCase("in_preparation"), history, kSixMonths), "answer_by");
  CHECK(d.due == 2022_y / 11 / 15);
  CHECK(d.basis == "Förlängd 2022-10-20 i samråd med avsändaren");
  CHECK_FALSE(IsOverdue(d, 2022_y / 11 / 1));

  history.push_back(Row(
      R"({"event": "extend_deadline", "date": "2022-11-10", "organ": "ana", "answer_by": "2022-11-30"})"));
  d = One(ComputeDeadlines(RemissCase("in_preparation"), history, kSixMonths), "answer_by");
  CHECK(d.due == 2022_y / 11 / 30);
}

TEST_CASE("send_response meets a remiss's moved answer_by") {
  auto history = RemissHistory();
  history.push_back(Row(
      R"({"event": "extend_deadline", "date": "2022-10-20", "organ": "ana", "answer_by": "2022-11-15"})"));
  history.push_back(
      Row(R"({"event": "propose_response", "date": "2022-10-26", "organ": "ana-pres"})"));
  history.push_back(Row(R"({"event": "decide_response", "date": "2022-11-09", "organ": "ana"})"));
  history.push_back(Row(R"({"event": "send_response", "date": "2022-11-10", "organ": "ana"})"));
  const Deadline d =
      One(ComputeDeadlines(RemissCase("answered"), history, kSixMonths), "answer_by");
  CHECK(d.due == 2022_y / 11 / 15);
  CHECK(d.met_on == std::optional<Date>(2022_y / 11 / 10));
  CHECK_FALSE(d.cancelled);
  CHECK_FALSE(IsOverdue(d, 2022_y / 12 / 1));
}

TEST_CASE("Declining a remiss cancels its answer_by") {
  auto history = RemissHistory();
  history.push_back(Row(R"({"event": "decline", "date": "2022-09-20", "organ": "ana"})"));
  const Deadline d =
      One(ComputeDeadlines(RemissCase("declined"), history, kSixMonths), "answer_by");
  CHECK(d.cancelled);
  CHECK_FALSE(d.met_on.has_value());
  CHECK_FALSE(IsOverdue(d, 2022_y / 12 / 1));
}

TEST_CASE("IsOverdue is false for a met deadline even when it was met late") {
  Deadline d;
  d.kind = "material_due";
  d.due = 2022_y / 4 / 15;
  CHECK(IsOverdue(d, 2022_y / 4 / 16));
  d.met_on = 2022_y / 5 / 1;
  CHECK_FALSE(IsOverdue(d, 2022_y / 5 / 2));
  d.met_on.reset();
  d.cancelled = true;
  CHECK_FALSE(IsOverdue(d, 2022_y / 5 / 2));
}

TEST_CASE("ComputeDeadlines is pure: the same inputs give the same deadlines") {
  const auto a = ComputeDeadlines(MotionCase("in_preparation"), FixtureHistory(), kSixMonths);
  const auto b = ComputeDeadlines(MotionCase("in_preparation"), FixtureHistory(), kSixMonths);
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].kind == b[i].kind);
    CHECK(a[i].due == b[i].due);
    CHECK(a[i].met_on == b[i].met_on);
    CHECK(a[i].cancelled == b[i].cancelled);
  }
}

// CaseService skips reading the history for events that MayChangeDeadlines
// says cannot move a deadline; this holds that list to ComputeDeadlines.
TEST_CASE("An event outside MayChangeDeadlines never changes the computed deadlines") {
  for (const std::string type : {"motion", "remiss"}) {
    const states::Machine& m = *states::MachineFor(type);
    Case c;
    c.type = type;
    c.received = 2022_y / 8 / 11;
    c.answer_by = 2022_y / 10 / 31;
    c.state = "in_preparation";
    c.responsible_organ = "fs";
    MeetingPlans plans;
    plans.council = "rf";
    plans.presidium_of["fs"] = "fs-pres";
    plans.dates["rf"] = {2023_y / 6 / 13, 2023_y / 11 / 21};
    plans.dates["fs"] = {2022_y / 10 / 4, 2022_y / 10 / 25};
    plans.dates["fs-pres"] = {2022_y / 9 / 20, 2022_y / 10 / 11};
    std::vector<HistoryEntry> base = {
        Row(R"({"event": "distribute", "date": "2022-08-20", "organ": "rf-pres", "to": "fs"})"),
        Row(R"({"event": "request_material", "date": "2022-09-01", "organ": "fs",
                "assignee": "rlk", "due": "2022-10-01"})"),
        Row(R"({"event": "request_views", "date": "2022-09-02", "organ": "fs", "to": "ana",
                "due": "2022-10-02"})")};
    const auto before = ComputeDeadlines(c, base, DeadlineSettings{}, plans);
    int checked = 0;
    for (const auto& event : m.Events()) {
      if (MayChangeDeadlines(type, event)) continue;
      // Every field an event could carry, so an event that read any of them would show.
      auto history = base;
      history.push_back(Row(json{{"event", event},
                                 {"date", "2022-09-10"},
                                 {"organ", "ana"},
                                 {"to", "ana"},
                                 {"from", "ana"},
                                 {"assignee", "rlk"},
                                 {"due", "2022-09-20"},
                                 {"answer_by", "2022-12-01"},
                                 {"outcome", "rejected"}}));
      const auto after = ComputeDeadlines(c, history, DeadlineSettings{}, plans);
      REQUIRE_MESSAGE(after.size() == before.size(), type << " " << event);
      for (std::size_t i = 0; i < after.size(); ++i) {
        CHECK_MESSAGE(after[i].due == before[i].due, type << " " << event);
        CHECK_MESSAGE(after[i].met_on == before[i].met_on, type << " " << event);
        CHECK_MESSAGE(after[i].organ == before[i].organ, type << " " << event);
      }
      ++checked;
    }
    CHECK(checked >= 4);
  }
}

}  // namespace
}  // namespace kansli::workflow
