// /api/v1/meetings: the sammanträdesplan as data.
#include <doctest/doctest.h>

#include "tests/api/api_support.h"

namespace kansli::test {
namespace {

TEST_SUITE("api") {
  TEST_CASE("Meetings are planned, listed, moved and cancelled") {
    PrivateServer p;
    const auto sec = p.server.As("secretary");
    const json body = {
        {"organ", "fs"}, {"date", "2023-02-22"}, {"time", "13:00"}, {"place", "Digitalt"}};
    const auto created = sec.Post("/api/v1/meetings", body.dump());
    REQUIRE(created.status == 201);
    const long long id = created.Json().at("id");
    CHECK(created.Json().at("organ_name").is_string());
    CHECK(sec.Post("/api/v1/meetings", json{{"organ", "ana"}, {"date", "2023-03-01"}}.dump())
              .status == 201);
    CHECK(sec.Post("/api/v1/meetings", body.dump()).status == 409);

    const json all = sec.Get("/api/v1/meetings").Json();
    CHECK(all.at("total") == 2);
    CHECK(all.at("items")[0].at("date") == "2023-02-22");
    CHECK(sec.Get("/api/v1/meetings?organ=ana").Json().at("total") == 1);
    CHECK(sec.Get("/api/v1/meetings?from=2023-02-23&to=2023-12-31").Json().at("total") == 1);

    const auto moved = sec.Request("PATCH", "/api/v1/meetings/" + std::to_string(id),
                                   json{{"date", "2023-02-23"}, {"time", "09:30"}}.dump(), {});
    REQUIRE(moved.status == 200);
    CHECK(moved.Json().at("date") == "2023-02-23");
    CHECK(moved.Json().at("time") == "09:30");
    CHECK(moved.Json().at("place") == "Digitalt");

    const auto cancelled = sec.Request("DELETE", "/api/v1/meetings/" + std::to_string(id), "", {});
    REQUIRE(cancelled.status == 200);
    CHECK(cancelled.Json().at("cancelled") == true);
    CHECK(sec.Get("/api/v1/meetings?organ=fs").Json().at("total") == 0);
    CHECK(sec.Get("/api/v1/meetings?organ=fs&include_cancelled=true").Json().at("total") == 1);
    // The day is free again once the meeting is cancelled.
    json again = body;
    again["date"] = "2023-02-23";
    CHECK(sec.Post("/api/v1/meetings", again.dump()).status == 201);
  }

  TEST_CASE("Meetings refuse other roles, bad fields and unknown ids") {
    PrivateServer p;
    const json body = {{"organ", "fs"}, {"date", "2023-02-22"}};
    CHECK(p.server.As("reader").Post("/api/v1/meetings", body.dump()).status == 403);
    CHECK(p.server.As("officer").Post("/api/v1/meetings", body.dump()).status == 403);
    CHECK(p.server.As("reader").Get("/api/v1/meetings").status == 200);
    const auto admin = p.server.As("admin");
    auto field_of = [&](const json& b) {
      const auto r = admin.Post("/api/v1/meetings", b.dump());
      CHECK(r.status == 422);
      return r.Json().at("error").at("details").at("field").get<std::string>();
    };
    json bad = body;
    bad["organ"] = "finns-inte";
    CHECK(field_of(bad) == "organ");
    bad = body;
    bad["date"] = "2023-02-30";
    CHECK(field_of(bad) == "date");
    bad = body;
    bad["time"] = "25:00";
    CHECK(field_of(bad) == "time");
    CHECK(
        admin.Request("PATCH", "/api/v1/meetings/999999", json{{"place", "x"}}.dump(), {}).status ==
        404);
    CHECK(admin.Request("DELETE", "/api/v1/meetings/999999", "", {}).status == 404);
  }

  TEST_CASE("The demo data holds the 2023 meetings") {
    ServerOptions o = PrivateServer::DefaultOptions();
    o.demo_load = true;
    PrivateServer p(o);
    const auto reader = p.server.As("reader");
    auto dates = [&](const std::string& organ) {
      std::set<std::string> out;
      const json page = reader.Get("/api/v1/meetings?organ=" + organ).Json();
      for (const auto& m : page.at("items")) out.insert(m.at("date").get<std::string>());
      return out;
    };
    CHECK(dates("ana").count("2023-01-25") == 1);
    CHECK(dates("ana-pres").count("2023-01-11") == 1);
    const auto again = p.db.KansliOk({"demo", "load"});
    CHECK(again.out.find("meetings 2023: 0") != std::string::npos);
  }
}

}  // namespace
}  // namespace kansli::test
