// API tokens: 256-bit random values of which only the SHA-256 is stored.
#include <doctest/doctest.h>

#include <fstream>

#include "tests/pg/pg_support.h"
#include "workflow/errors.h"

namespace kansli::test {
namespace {

TEST_SUITE("pg") {
  TEST_CASE("A created token verifies as its owner and only its hash is stored") {
    PgFixture f;
    auto& tokens = f.stack.tokens;
    const std::string token = tokens.Create("kansliet", "registrar");
    CHECK(token.rfind("kansli_", 0) == 0);
    CHECK(token.size() == 7 + 64);

    const auto who = tokens.Verify(token);
    REQUIRE(who.has_value());
    CHECK(who->name == "kansliet");
    CHECK(who->role == "registrar");
    CHECK_FALSE(who->revoked);

    pqxx::connection c(f.db.dsn());
    pqxx::read_transaction t(c);
    const auto rows = t.exec("SELECT token_hash, row_to_json(api_tokens)::text FROM api_tokens");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0][0].as<std::string>() == persistence::Sha256Hex(token));
    // The token appears nowhere in the row, not even its random part.
    CHECK(rows[0][1].as<std::string>().find(token.substr(7)) == std::string::npos);

    CHECK_FALSE(tokens.Verify("kansli_" + std::string(64, '0')).has_value());
    CHECK_FALSE(tokens.Verify("").has_value());
    CHECK_FALSE(tokens.Verify(persistence::Sha256Hex(token)).has_value());  // the hash is no token
  }

  TEST_CASE("Two tokens may not share a name") {
    PgFixture f;
    f.stack.tokens.Create("dubbel", "reader");
    CHECK_THROWS_AS(f.stack.tokens.Create("dubbel", "admin"), workflow::Conflict);
    CHECK(Count(f.db.dsn(), "SELECT count(*) FROM api_tokens") == 1);
    CHECK(Scalar(f.db.dsn(), "SELECT role FROM api_tokens") == "reader");
  }

  TEST_CASE("A revoked token no longer verifies") {
    PgFixture f;
    auto& tokens = f.stack.tokens;
    const std::string keep = tokens.Create("behålls", "officer");
    const std::string gone = tokens.Create("återkallas", "secretary");
    REQUIRE(tokens.Verify(gone).has_value());  // now cached

    CHECK(tokens.Revoke("återkallas"));
    CHECK_FALSE(tokens.Verify(gone).has_value());
    CHECK(tokens.Verify(keep).has_value());
    CHECK_FALSE(tokens.Revoke("återkallas"));  // no active token of that name any more
    CHECK_FALSE(tokens.Revoke("finns-inte"));
    CHECK(Count(f.db.dsn(), "SELECT count(*) FROM api_tokens WHERE revoked_at IS NOT NULL") == 1);

    const auto list = tokens.List();
    REQUIRE(list.size() == 2);
    CHECK(list[0].name == "behålls");
    CHECK_FALSE(list[0].revoked);
    CHECK(list[1].name == "återkallas");
    CHECK(list[1].revoked);

    // Another process (here: another store without a cache) sees the revocation.
    persistence::PgTokenStore other(f.stack.pool, std::chrono::seconds(0));
    CHECK_FALSE(other.Verify(gone).has_value());
    CHECK(other.Verify(keep)->role == "officer");
  }

  TEST_CASE("kansli token create writes the token to a file and stores only its hash") {
    PgFixture f;
    const auto file = std::filesystem::temp_directory_path() / ("kansli-token-" + f.db.name());
    const auto r = f.db.KansliOk(
        {"token", "create", "--name", "cli", "--role", "presidium", "--output", file.string()});
    std::ifstream in(file);
    std::string token;
    std::getline(in, token);
    std::filesystem::remove(file);
    CHECK(r.out.find(token) == std::string::npos);  // not printed when written to a file
    REQUIRE(token.rfind("kansli_", 0) == 0);
    const auto who = f.stack.tokens.Verify(token);
    REQUIRE(who.has_value());
    CHECK(who->name == "cli");
    CHECK(who->role == "presidium");
    CHECK(Scalar(f.db.dsn(), "SELECT token_hash FROM api_tokens WHERE name = 'cli'") ==
          persistence::Sha256Hex(token));

    const auto bad = f.db.Kansli({"token", "create", "--name", "x", "--role", "kung"});
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("unknown role") != std::string::npos);
  }
}

}  // namespace
}  // namespace kansli::test
