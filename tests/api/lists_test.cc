// GET /api/v1/cases and its filters. Every query is scoped to this test's own
// cases by a unique word (q=), so the shared server's other cases do not
// disturb it.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "tests/api/api_support.h"

namespace kansli::test {
namespace {

using Ids = std::vector<long long>;

// With q the list is ranked by relevance; where the filters are the point,
// compare the ids regardless of their order.
Ids Sorted(Ids ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

TEST_SUITE("api") {
  TEST_CASE("The case list filters by type state organ overdue year and text") {
    auto& s = SharedServer();
    const auto reg = s.As("registrar");
    const auto sec = s.As("secretary");
    const auto reader = s.As("reader");
    const std::string word = UniqueWord();

    // An old motion at fs with ana consulted: its decision was due 2022-03-10.
    const long long old_motion =
        CreateCase(reg, MotionBody("Lista " + word + " kultur", "2021-03-10"))["id"];
    SendEvent(sec, old_motion,
              {{"event", "distribute"}, {"organ", "rf-pres"}, {"to", "fs"}, {"consult", {"ana"}}});
    SendEvent(
        sec, old_motion,
        {{"event", "note"}, {"organ", "fs"}, {"text", "Medskick om cykelbanor " + word + "x"}});
    // A new motion, only registered, with a submitter to search for.
    json body = MotionBody("Lista " + word + " buss", "2023-02-20");
    body["submitters"] = {{{"name", "Greta Sökbar" + word}, {"party", "MP"}}};
    const long long new_motion = CreateCase(reg, body)["id"];
    // A remiss registered and distributed to tim at once; its answer was due 2023-02-15.
    json remiss = RemissBody("Lista " + word + " remiss", "2023-01-15", "2023-02-15");
    remiss["to"] = "tim";
    const json r = CreateCase(reg, remiss);
    const long long the_remiss = r["id"];
    CHECK(r.at("state") == "distributed");
    CHECK(History(reader, the_remiss).size() == 2);

    const std::string q = "q=" + word;
    CHECK(Sorted(ListIds(reader, q)) == Sorted({new_motion, the_remiss, old_motion}));
    CHECK(reader.Get("/api/v1/cases?" + q).Json().at("total") == 3);
    CHECK(Sorted(ListIds(reader, q + "&type=motion")) == Sorted({new_motion, old_motion}));
    CHECK(ListIds(reader, q + "&type=remiss") == Ids{the_remiss});
    CHECK(ListIds(reader, q + "&state=distributed") == Ids{the_remiss});
    CHECK(ListIds(reader, q + "&state=in_preparation") == Ids{old_motion});
    CHECK(ListIds(reader, q + "&state=registered") == Ids{new_motion});
    CHECK(ListIds(reader, q + "&organ=fs") == Ids{old_motion});
    CHECK(ListIds(reader, q + "&organ=ana") == Ids{old_motion});  // consulted
    CHECK(ListIds(reader, q + "&organ=tim") == Ids{the_remiss});
    CHECK(ListIds(reader, q + "&organ=rs").empty());
    CHECK(Sorted(ListIds(reader, q + "&overdue=true")) == Sorted({the_remiss, old_motion}));
    CHECK(ListIds(reader, q + "&overdue=false") == Ids{new_motion});
    CHECK(ListIds(reader, q + "&year=2021") == Ids{old_motion});
    CHECK(Sorted(ListIds(reader, q + "&year=2023")) == Sorted({new_motion, the_remiss}));
    CHECK(ListIds(reader, q + "&type=motion&overdue=true&organ=fs&year=2021") == Ids{old_motion});

    // q searches titles, submitters and event texts, ignoring case.
    CHECK(ListIds(reader, "q=" + Http::Escape("lista " + word + " BUSS")) == Ids{new_motion});
    CHECK(ListIds(reader, "q=" + Http::Escape("Sökbar" + word)) == Ids{new_motion});
    CHECK(ListIds(reader, "q=" + Http::Escape("cykelbanor " + word + "x")) == Ids{old_motion});
    CHECK(ListIds(reader, "q=" + word + "-finns-inte").empty());

    // Paging.
    const json first = reader.Get("/api/v1/cases?" + q + "&limit=2").Json();
    CHECK(first.at("total") == 3);
    CHECK(first.at("items").size() == 2);
    Ids pages = ListIds(reader, q + "&limit=2");
    const Ids rest = ListIds(reader, q + "&limit=2&offset=2");
    CHECK(rest.size() == 1);
    pages.insert(pages.end(), rest.begin(), rest.end());
    CHECK(Sorted(pages) == Sorted({new_motion, the_remiss, old_motion}));

    // Items carry their deadlines with the overdue flag.
    const json listed = reader.Get("/api/v1/cases?" + q + "&type=remiss").Json().at("items")[0];
    CHECK(listed.at("deadlines")[0].at("kind") == "answer_by");
    CHECK(listed.at("deadlines")[0].at("overdue") == true);
  }

  TEST_CASE(
      "Text search finds Swedish stems and word starts, folds å ä ö, and ranks titles first") {
    auto& s = SharedServer();
    const auto reg = s.As("registrar");
    const auto sec = s.As("secretary");
    const std::string word = UniqueWord();
    // The word in an event text only.
    const long long in_text =
        CreateCase(reg, MotionBody("Sökord " + word + " cykel", "2022-08-01"))["id"];
    SendEvent(sec, in_text,
              {{"event", "note"}, {"organ", "rf"}, {"text", "Om kulturstrategin för länet"}});
    // The word in the title.
    const long long in_title =
        CreateCase(reg, MotionBody("Sökord " + word + " ny kulturstrategi", "2022-08-02"))["id"];
    json tbe = MotionBody("Sökord " + word + " avgiftsfri TBE-vaccinering", "2022-08-03");
    tbe["submitters"] = {{{"name", "Åsa Öberg"}, {"party", "S"}}};
    const long long vaccine = CreateCase(reg, tbe)["id"];
    const json motion =
        CreateCase(reg, MotionBody("Sökord " + word + " motion om buss", "2022-08-04"));
    const long long motion_id = motion["id"];

    auto find = [&](const std::string& q) {
      return ListIds(reg, "q=" + Http::Escape(word + " " + q));
    };
    CHECK(find("vaccin") == Ids{vaccine});       // a word start
    CHECK(find("VACCINERING") == Ids{vaccine});  // case folded
    CHECK(find("asa oberg") == Ids{vaccine});    // å ä ö folded
    CHECK(find("Åsa Öberg") == Ids{vaccine});
    CHECK(find("motionerna") == Ids{motion_id});           // Swedish stem
    CHECK(find("kulturstrat") == Ids{in_title, in_text});  // the title match ranks first
    CHECK(find("kulturstrategi finns-inte").empty());      // every word must match
  }

  TEST_CASE("The case list finds a reference in each of its three written forms") {
    auto& s = SharedServer();
    const auto reg = s.As("registrar");
    std::mt19937 rng{std::random_device{}()};
    const std::string number = std::to_string(10000 + rng() % 80000);
    json body = MotionBody("Importerad " + UniqueWord(), "2019-05-02");
    body["reference"] = "RJL 2019/" + number;
    const long long id = CreateCase(reg, body)["id"];

    for (const std::string& written :
         {"RJL 2019/" + number, "2019/" + number, "Dnr. RJL 2019/" + number}) {
      CAPTURE(written);
      const auto r = reg.Get("/api/v1/cases?reference=" + Http::Escape(written));
      REQUIRE(r.status == 200);
      const json page = r.Json();
      CHECK(page.at("total") == 1);
      REQUIRE(page.at("items").size() == 1);
      CHECK(page.at("items")[0].at("id") == id);
      CHECK(page.at("items")[0].at("reference") == "RJL 2019/" + number);
    }
    CHECK(ListIds(reg, "reference=" + Http::Escape("RJL 2019/" + number + "0")).empty());
    const auto bad = reg.Get("/api/v1/cases?reference=" + Http::Escape("nummer ett"));
    CHECK(bad.status == 422);
    CHECK(bad.Json().at("error").at("details").at("field") == "reference");
  }

  TEST_CASE("The case list refuses filter values it does not know with 422") {
    auto& s = SharedServer();
    const auto reader = s.As("reader");
    for (const auto& [query, field] :
         std::vector<std::pair<std::string, std::string>>{{"type=skrivelse", "type"},
                                                          {"overdue=kanske", "overdue"},
                                                          {"year=tjugo", "year"},
                                                          {"limit=0", "limit"},
                                                          {"limit=100000", "limit"},
                                                          {"offset=-1", "offset"}}) {
      CAPTURE(query);
      const auto r = reader.Get("/api/v1/cases?" + query);
      CHECK(r.status == 422);
      CHECK(r.Json().at("error").at("details").at("field") == field);
    }
  }
}

}  // namespace
}  // namespace kansli::test
