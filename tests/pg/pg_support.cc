#include "tests/pg/pg_support.h"

#include "tests/support/env.h"

namespace kansli::test {

PgStack::PgStack(const std::string& dsn, int pool_size)
    : pool(persistence::PoolSettings{dsn, pool_size}),
      tx(pool),
      reader(pool),
      tokens(pool),
      status(pool),
      clock(*workflow::ParseInstant(kNow)),
      cases(tx, reader, clock, workflow::ServiceSettings{}) {}

PgFixture::PgFixture() : db(), stack(db.dsn()) { LoadDemoOrgans(stack.tx); }

void LoadDemoOrgans(workflow::Transactions& tx) {
  const auto doc = ReadJsonFile(OrgansPath());
  tx.Run("test-organs", [&](workflow::UnitOfWork& u) {
    for (const auto& o : doc.at("organs")) {
      workflow::Organ organ;
      organ.code = o.at("code").get<std::string>();
      organ.name = o.at("name").get<std::string>();
      organ.kind = o.at("kind").get<std::string>();
      if (o["parent"].is_string()) organ.parent = o["parent"].get<std::string>();
      if (o["presidium"].is_string()) organ.presidium = o["presidium"].get<std::string>();
      u.UpsertOrgan(organ);
    }
  });
}

workflow::RegisterCommand Registration(const nlohmann::json& body) {
  return workflow::DecodeRegistration(body);
}

workflow::RegisterCommand MotionCommand(const std::string& title, const std::string& received) {
  return Registration({{"type", "motion"},
                       {"title", title},
                       {"received", received},
                       {"submitters", {{{"name", "Mikael Ekvall"}, {"party", "V"}}}}});
}

workflow::EventCommand Event(const nlohmann::json& body) { return workflow::DecodeEvent(body); }

workflow::Case RegisterMotion(PgStack& s, const std::string& title, const std::string& received) {
  return s.cases.Register(MotionCommand(title, received), kRegistrar, {}).changed;
}

std::string Scalar(const std::string& dsn, const std::string& sql) {
  pqxx::connection c(dsn);
  pqxx::read_transaction t(c);
  const auto r = t.exec(sql);
  if (r.empty() || r[0][0].is_null()) return "";
  return r[0][0].as<std::string>();
}

long long Count(const std::string& dsn, const std::string& sql) {
  return std::stoll(Scalar(dsn, sql));
}

std::string SqlStateOf(const std::string& dsn, const std::string& sql, std::string* message) {
  pqxx::connection c(dsn);
  try {
    pqxx::work t(c);
    t.exec(sql);
    t.commit();
    return "";
  } catch (const pqxx::sql_error& e) {
    if (message) *message = e.what();
    if (!e.sqlstate().empty()) return e.sqlstate();
    // libpqxx 6.4 leaves sqlstate() empty on some of its subclasses.
    if (dynamic_cast<const pqxx::insufficient_privilege*>(&e)) return "42501";
    return "?";
  }
}

}  // namespace kansli::test
