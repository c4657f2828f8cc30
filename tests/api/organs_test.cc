// POST /api/v1/organs: an admin adds and edits the organisation.
#include <doctest/doctest.h>

#include "tests/api/api_support.h"

namespace kansli::test {
namespace {

json FindOrgan(const Http& http, const std::string& code) {
  const json organs = http.Get("/api/v1/organs").Json();  // kept alive for the loop
  for (const auto& o : organs.at("items"))
    if (o.at("code") == code) return o;
  return nullptr;
}

TEST_SUITE("api") {
  TEST_CASE("An admin adds an organ, edits it, and cases can be distributed to it at once") {
    PrivateServer p;
    const auto admin = p.server.As("admin");
    const json organ = {{"code", "kfn"},
                        {"name", "Kultur- och fritidsnämnden"},
                        {"kind", "nämnd"},
                        {"parent", "rf"},
                        {"presidium", nullptr}};
    const auto created = admin.Post("/api/v1/organs", organ.dump());
    CHECK(created.status == 201);
    CHECK(FindOrgan(admin, "kfn").at("name") == "Kultur- och fritidsnämnden");

    json renamed = organ;
    renamed["name"] = "Nämnd för kultur och fritid";
    CHECK(admin.Post("/api/v1/organs", renamed.dump()).status == 200);
    CHECK(FindOrgan(admin, "kfn").at("name") == "Nämnd för kultur och fritid");

    const long long id = CreateCase(p.server.As("registrar"), MotionBody("Fler bibliotek"))["id"];
    const json c = SendEvent(p.server.As("secretary"), id,
                             {{"event", "distribute"}, {"organ", "rf-pres"}, {"to", "kfn"}});
    CHECK(c.at("responsible_organ") == "kfn");
  }

  TEST_CASE("Changing the organisation is for admins and refuses bad organs with 422") {
    PrivateServer p;
    const json organ = {{"code", "kfn"}, {"name", "Kulturnämnden"}, {"kind", "nämnd"}};
    CHECK(p.server.As("registrar").Post("/api/v1/organs", organ.dump()).status == 403);
    CHECK(p.server.As("reader").Post("/api/v1/organs", organ.dump()).status == 403);
    const auto admin = p.server.As("admin");
    auto field_of = [&](const json& body) {
      const auto r = admin.Post("/api/v1/organs", body.dump());
      CHECK(r.status == 422);
      return r.Json().at("error").at("details").at("field").get<std::string>();
    };
    json bad = organ;
    bad["kind"] = "kommitté";
    CHECK(field_of(bad) == "kind");
    bad = organ;
    bad["parent"] = "finns-inte";
    CHECK(field_of(bad) == "parent");
    bad = organ;
    bad["code"] = "Kultur Nämnd";
    CHECK(field_of(bad) == "code");
    bad = organ;
    bad.erase("name");
    CHECK(field_of(bad) == "name");
    CHECK(FindOrgan(admin, "kfn").is_null());  // nothing was saved
  }
}

}  // namespace
}  // namespace kansli::test
